/*
 * verify.c - 'smtpdoc verify ADDRESS... | --file LIST': check recipient
 * addresses before sending: syntax, the domain's mail servers, and the
 * mailbox itself through an SMTP probe (RCPT TO, never DATA).
 *
 * Answers are written as they come (text, json, jsonl or csv), to
 * standard output or appended to --output FILE; with --output, addresses
 * already answered in that file are skipped, so a long list can be
 * resumed. A progress line is drawn on standard error when it is a
 * terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct verify_ctx {
	FILE *out;
	smtpdoc_format format;
	unsigned flags;
	int json_first;
	int progress;
	size_t count[4];          /* deliverable, undeliverable, risky, unknown */
	size_t skipped, bad_lines, added;
	/* inputs already answered (--output resume): a hash set */
	char **done;
	size_t ndone, capdone;
	smtpdoc_verifier *v;
	smtpdoc_status add_status;
} verify_ctx;

static void
verify_usage(FILE *fp)
{
	fputs("usage: smtpdoc verify [OPTIONS] ADDRESS...\n"
	      "       smtpdoc verify [OPTIONS] --file LIST\n\n"
	      "Check recipient addresses before sending: is the address well formed, does\n"
	      "its domain receive mail, and does the recipient's server accept the\n"
	      "mailbox (an SMTP probe: EHLO, STARTTLS, MAIL FROM, RCPT TO, RSET, QUIT;\n"
	      "never DATA). Each address gets deliverable, undeliverable, risky or\n"
	      "unknown, with the reason, the server's reply and what to do.\n\n"
	      "options:\n"
	      "  -F, --file LIST          read addresses from LIST ('-': standard input): one a\n"
	      "                           line, or CSV with a header naming the address column\n"
	      "      --column NAME        the CSV column holding the addresses\n"
	      "  -o, --output FILE        append answers to FILE; addresses already answered\n"
	      "                           there are skipped (resume an interrupted run)\n"
	      "  -f, --format FMT         text (default), json, jsonl or csv\n"
	      "  -r, --resolver ADDR[:PORT]  send every DNS query to this server\n"
	      "  -p, --port PORT          the MX hosts' SMTP port (default 25)\n"
	      "      --helo NAME          the EHLO name (default: this host's name)\n"
	      "      --from ADDRESS       the MAIL FROM address (default: the null sender <>)\n"
	      "  -t, --timeout SECONDS    per network step (default 10)\n"
	      "      --no-smtp            syntax and DNS only: ask no mail server\n"
	      "      --no-catch-all       do not try a made-up address to detect catch-all domains\n"
	      "      --no-tls             never use STARTTLS\n"
	      "      --connections N      SMTP connections at once per domain (default 2)\n"
	      "      --per-connection N   addresses asked per connection (default 50)\n"
	      "      --rate N             RCPT commands per second per domain (default 5)\n"
	      "      --progress WHEN      auto (default: when standard error is a terminal),\n"
	      "                           always, never\n"
	      "      --color WHEN         auto (default), always, never\n"
	      "  -q, --quiet              no summary line\n"
	      "  -h, --help               this help\n\n"
	      "exit status: 0 every address deliverable, 1 some address not deliverable\n"
	      "             (undeliverable, risky or unknown), 2 usage or input error\n", fp);
}

static size_t
verify_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static int
verify_done_has(const verify_ctx *c, const char *s)
{
	size_t k;

	if (c->capdone == 0)
		return 0;
	for (k = verify_hash(s) & (c->capdone - 1); c->done[k]; k = (k + 1) & (c->capdone - 1))
		if (strcmp(c->done[k], s) == 0)
			return 1;
	return 0;
}

static void
verify_done_add(void *vctx, const char *s)
{
	verify_ctx *c = vctx;
	size_t k;

	if (verify_done_has(c, s))
		return;
	if ((c->ndone + 1) * 2 > c->capdone) {
		size_t cap = c->capdone ? c->capdone * 2 : 1024, i;
		char **t = calloc(cap, sizeof(*t));
		if (t == NULL)
			return;
		for (i = 0; i < c->capdone; i++)
			if (c->done[i]) {
				for (k = verify_hash(c->done[i]) & (cap - 1); t[k]; k = (k + 1) & (cap - 1))
					;
				t[k] = c->done[i];
			}
		free(c->done);
		c->done = t;
		c->capdone = cap;
	}
	for (k = verify_hash(s) & (c->capdone - 1); c->done[k]; k = (k + 1) & (c->capdone - 1))
		;
	if ((c->done[k] = strdup(s)) != NULL)
		c->ndone++;
}

static void
verify_add(verify_ctx *c, const char *address)
{
	smtpdoc_status st;

	if (verify_done_has(c, address)) {
		c->skipped++;
		return;
	}
	verify_done_add(c, address); /* a list naming it twice asks once */
	if ((st = smtpdoc_verifier_add(c->v, address)) != SMTPDOC_OK)
		c->add_status = st;
	else
		c->added++;
}

static int
verify_list_address(void *vctx, unsigned long line, const char *address)
{
	(void)line;
	verify_add(vctx, address);
	return ((verify_ctx *)vctx)->add_status == SMTPDOC_OK ? 0 : 1;
}

static void
verify_list_error(void *vctx, unsigned long line, const char *problem)
{
	verify_ctx *c = vctx;

	c->bad_lines++;
	fprintf(stderr, "smtpdoc verify: line %lu: %s\n", line, problem);
}

static void
verify_result(void *vctx, const smtpdoc_verification *r)
{
	verify_ctx *c = vctx;
	static const char *const names[4] = {"deliverable", "undeliverable", "risky", "unknown"};
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(r->verdict, names[i]) == 0)
			c->count[i]++;
	if (c->progress)
		fputs("\r\033[K", stderr);
	switch (c->format) {
	case SMTPDOC_FORMAT_JSON:
		fputs(c->json_first ? "[\n" : ",\n", c->out);
		c->json_first = 0;
		smtpdoc_write_verification_json(c->out, r);
		break;
	case SMTPDOC_FORMAT_JSONL:
		smtpdoc_write_verification_json(c->out, r);
		putc('\n', c->out);
		break;
	case SMTPDOC_FORMAT_CSV:
		smtpdoc_write_verification_csv(c->out, r);
		break;
	default:
		smtpdoc_write_verification_text(c->out, r, c->flags);
		putc('\n', c->out);
		break;
	}
	fflush(c->out);
}

static void
verify_progress(void *vctx, size_t done, size_t total)
{
	verify_ctx *c = vctx;
	size_t width = 30, filled = total ? done * width / total : width, i;

	if (!c->progress)
		return;
	fputs("\r\033[K[", stderr);
	for (i = 0; i < width; i++)
		putc(i < filled ? '#' : ' ', stderr);
	fprintf(stderr, "] %zu/%zu addresses", done, total);
	fflush(stderr);
}

/* --opt N with N in [min, max]; -1 with a message on a bad value. */
static long
verify_number(const char *opt, const char *s, long min, long max)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "smtpdoc verify: %s takes a number from %ld to %ld, not '%s'\n", opt, min, max, s);
		return -1;
	}
	return n;
}

int
cli_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"file", required_argument, NULL, 'F'},
		{"column", required_argument, NULL, 'K'},
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"resolver", required_argument, NULL, 'r'},
		{"port", required_argument, NULL, 'p'},
		{"helo", required_argument, NULL, 'H'},
		{"from", required_argument, NULL, 'M'},
		{"timeout", required_argument, NULL, 't'},
		{"no-smtp", no_argument, NULL, 'N'},
		{"no-catch-all", no_argument, NULL, 'A'},
		{"no-tls", no_argument, NULL, 'T'},
		{"connections", required_argument, NULL, 'c'},
		{"per-connection", required_argument, NULL, 'P'},
		{"rate", required_argument, NULL, 'R'},
		{"progress", required_argument, NULL, 'G'},
		{"color", required_argument, NULL, 'C'},
		{"colour", required_argument, NULL, 'C'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	smtpdoc_verify_options o;
	verify_ctx ctx;
	const char *file = NULL, *column = NULL, *output = NULL, *color = "auto", *progress = "auto";
	int c, i, quiet = 0, color_on, rc;
	char err[300];
	long n;
	smtpdoc_verify_stats st;

	smtpdoc_verify_options_init(&o);
	memset(&ctx, 0, sizeof(ctx));
	ctx.json_first = 1;
	ctx.out = stdout;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "F:o:f:r:p:t:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'F': file = optarg; break;
		case 'K': column = optarg; break;
		case 'o': output = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				ctx.format = SMTPDOC_FORMAT_CSV;
			else if (cli_parse_format(optarg, &ctx.format) != 0) {
				fprintf(stderr, "smtpdoc verify: unknown format '%s' (use text, json, jsonl or csv)\n",
					optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 'r': o.resolver = optarg; break;
		case 'p':
			if ((n = verify_number("--port", optarg, 1, 65535)) < 0)
				return CLI_EXIT_ERROR;
			o.port = (unsigned)n;
			break;
		case 'H': o.helo = optarg; break;
		case 'M': o.from = optarg; break;
		case 't':
			if ((n = verify_number("--timeout", optarg, 1, 600)) < 0)
				return CLI_EXIT_ERROR;
			o.timeout_ms = (int)n * 1000;
			break;
		case 'N': o.no_smtp = 1; break;
		case 'A': o.no_catch_all = 1; break;
		case 'T': o.no_tls = 1; break;
		case 'c':
			if ((n = verify_number("--connections", optarg, 1, 50)) < 0)
				return CLI_EXIT_ERROR;
			o.max_connections = (unsigned)n;
			break;
		case 'P':
			if ((n = verify_number("--per-connection", optarg, 1, 10000)) < 0)
				return CLI_EXIT_ERROR;
			o.rcpts_per_connection = (unsigned)n;
			break;
		case 'R':
			if ((n = verify_number("--rate", optarg, 1, 100000)) < 0)
				return CLI_EXIT_ERROR;
			o.rcpts_per_second = (double)n;
			break;
		case 'G': progress = optarg; break;
		case 'C': color = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': verify_usage(stdout); return 0;
		default:
			cli_option_error("verify", argv);
			return CLI_EXIT_ERROR;
		}
	}
	if ((file == NULL) == (optind >= argc)) {
		fputs(file ? "smtpdoc verify: give addresses or --file, not both (try --help)\n"
			   : "smtpdoc verify: name the addresses to check, or --file LIST (try --help)\n", stderr);
		return CLI_EXIT_ERROR;
	}
	color_on = cli_color(color, STDOUT_FILENO);
	ctx.progress = cli_color(progress, STDERR_FILENO);
	if (color_on < 0 || ctx.progress < 0) {
		fputs("smtpdoc verify: --color and --progress take auto, always or never\n", stderr);
		return CLI_EXIT_ERROR;
	}
	if (color_on && ctx.format == SMTPDOC_FORMAT_TEXT && output == NULL)
		ctx.flags |= SMTPDOC_OUT_COLOR;
	if ((ctx.v = smtpdoc_verifier_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "smtpdoc verify: %s\n", err[0] ? err : "out of memory");
		return CLI_EXIT_ERROR;
	}
	if (output) {
		if (smtpdoc_verify_read_done(output, verify_done_add, &ctx, err, sizeof(err)) != SMTPDOC_OK) {
			fprintf(stderr, "smtpdoc verify: %s\n", err);
			smtpdoc_verifier_free(ctx.v);
			return CLI_EXIT_ERROR;
		}
		if ((ctx.out = fopen(output, "a")) == NULL) {
			fprintf(stderr, "smtpdoc verify: %s: cannot write: %m\n", output);
			smtpdoc_verifier_free(ctx.v);
			return CLI_EXIT_ERROR;
		}
		if (ctx.format == SMTPDOC_FORMAT_CSV && ftell(ctx.out) == 0)
			smtpdoc_write_verification_csv_header(ctx.out);
		if (ctx.format == SMTPDOC_FORMAT_JSON) {
			fputs("smtpdoc verify: --output appends: use jsonl or csv with it\n", stderr);
			fclose(ctx.out);
			smtpdoc_verifier_free(ctx.v);
			return CLI_EXIT_ERROR;
		}
	} else if (ctx.format == SMTPDOC_FORMAT_CSV) {
		smtpdoc_write_verification_csv_header(ctx.out);
	}
	rc = CLI_EXIT_FOUND;
	if (file) {
		if (smtpdoc_address_list_read(file, column, verify_list_address, verify_list_error, &ctx, err,
					      sizeof(err)) != SMTPDOC_OK) {
			fprintf(stderr, "smtpdoc verify: %s\n", err[0] ? err : "cannot read the list");
			rc = CLI_EXIT_ERROR;
		}
	} else {
		for (i = optind; i < argc; i++)
			verify_add(&ctx, argv[i]);
	}
	if (ctx.add_status != SMTPDOC_OK) {
		fprintf(stderr, "smtpdoc verify: %s\n", smtpdoc_strerror(ctx.add_status));
		rc = CLI_EXIT_ERROR;
	}
	if (rc == CLI_EXIT_FOUND)
		smtpdoc_verifier_run(ctx.v, verify_result, verify_progress, &ctx);
	if (ctx.progress)
		fputs("\r\033[K", stderr);
	if (ctx.format == SMTPDOC_FORMAT_JSON)
		fputs(ctx.json_first ? "[]\n" : "\n]\n", ctx.out);
	smtpdoc_verifier_stats(ctx.v, &st);
	if (st.port25_blocked)
		fputs("smtpdoc verify: no mail server could be reached on port 25 and every attempt timed out: "
		      "this network blocks outgoing port 25. Run the check from a server whose port 25 is "
		      "open, or ask your internet provider to unblock it.\n", stderr);
	if (!quiet)
		fprintf(stderr, "smtpdoc verify: %zu address%s: %zu deliverable, %zu undeliverable, %zu risky, "
			"%zu unknown%s%zu skipped (already answered), %zu bad line%s; %zu domain%s, %lu DNS "
			"quer%s, %lu SMTP connection%s\n",
			ctx.added, ctx.added == 1 ? "" : "es", ctx.count[0], ctx.count[1], ctx.count[2], ctx.count[3],
			"; ", ctx.skipped, ctx.bad_lines, ctx.bad_lines == 1 ? "" : "s", st.domains,
			st.domains == 1 ? "" : "s", st.dns_queries, st.dns_queries == 1 ? "y" : "ies",
			st.connections, st.connections == 1 ? "" : "s");
	if (ctx.out != stdout)
		fclose(ctx.out);
	else
		fflush(stdout);
	smtpdoc_verifier_free(ctx.v);
	for (size_t k = 0; k < ctx.capdone; k++)
		free(ctx.done[k]);
	free(ctx.done);
	if (rc != CLI_EXIT_FOUND)
		return rc;
	if (ctx.bad_lines)
		return CLI_EXIT_ERROR;
	return ctx.count[1] + ctx.count[2] + ctx.count[3] ? CLI_EXIT_NOTHING : CLI_EXIT_FOUND;
}
