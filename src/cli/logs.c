/*
 * logs.c - 'smtpdoc logs FILE...': every rejection, bounce, deferral and
 * expiry in Exim, Postfix and Sendmail logs, each classified as explain
 * classifies a bounce; a summary in text mode, one object per event in
 * JSON. Files are read as streams (gzip too), '-' or none is standard
 * input; a bad line is reported with its number and the scan goes on.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct logs_ctx {
	smtpdoc_format format;
	unsigned flags;
	int list, json_first;
	unsigned long failures;
	smtpdoc_log_summary *sum;
	int oom;
} logs_ctx;

static void
logs_usage(FILE *fp)
{
	fputs("usage: smtpdoc logs [OPTIONS] [FILE...]\n\n"
	      "Find every rejection, bounce, deferral and expiry in mail server logs and\n"
	      "say why each happened, as 'smtpdoc explain' would for the bounce. Reads\n"
	      "Exim main and reject logs, Postfix logs (syslog with classic or RFC 3339\n"
	      "timestamps, or its maillog_file) and Sendmail logs, plain or gzip. FILE '-'\n"
	      "or none is standard input.\n\n"
	      "options:\n"
	      "  -f, --format FMT      text (default: a summary), json (one array of events)\n"
	      "                        or jsonl (one event a line)\n"
	      "  -l, --list            text: list each event before the summary\n"
	      "  -a, --all             also receptions, deliveries and notices (json, --list)\n"
	      "      --since TIME      only events at or after TIME (ISO 8601: 2026-12-02,\n"
	      "                        2026-12-02T10:00, ...Z or +hh:mm; no zone: UTC)\n"
	      "      --until TIME      only events before TIME\n"
	      "  -n, --top N           entries per summary table (default 10)\n"
	      "      --color WHEN      auto (default), always, never\n"
	      "  -q, --quiet           no warnings about bad lines, no closing line\n"
	      "  -h, --help            this help\n\n"
	      "exit status: 0 failures found, 1 none found, 2 usage error or a file that\n"
	      "             could not be read\n", fp);
}

static void
logs_warn(void *vctx, const char *origin, unsigned long line, const char *problem)
{
	const int *quiet = vctx; /* the first member of logs_run */

	if (*quiet)
		return;
	if (line)
		fprintf(stderr, "smtpdoc logs: %s:%lu: %s\n", origin, line, problem);
	else
		fprintf(stderr, "smtpdoc logs: %s: %s\n", origin, problem);
}

typedef struct logs_run {
	int quiet; /* first: logs_warn reads it */
	logs_ctx *ctx;
} logs_run;

static int
logs_event(void *vctx, const smtpdoc_log_event *ev)
{
	logs_ctx *ctx = ((logs_run *)vctx)->ctx;

	if (ev->kind <= SMTPDOC_LOG_EXPIRED)
		ctx->failures++;
	if (ctx->sum && smtpdoc_log_summary_add(ctx->sum, ev) != SMTPDOC_OK)
		ctx->oom = 1;
	switch (ctx->format) {
	case SMTPDOC_FORMAT_JSON:
		fputs(ctx->json_first ? "[\n" : ",\n", stdout);
		ctx->json_first = 0;
		smtpdoc_write_log_event_json(stdout, ev);
		break;
	case SMTPDOC_FORMAT_JSONL:
		smtpdoc_write_log_event_json(stdout, ev);
		putchar('\n');
		break;
	default:
		if (ctx->list)
			smtpdoc_write_log_event_text(stdout, ev, ctx->flags);
		break;
	}
	return 0;
}

int
cli_parse_iso_time(const char *cmd, const char *opt, const char *s, time_t *out)
{
	if (smtpdoc_log_parse_time(s, out) != SMTPDOC_OK) {
		fprintf(stderr, "smtpdoc %s: %s takes an ISO 8601 date or time (2026-12-02, 2026-12-02T10:11:12Z), "
			"not '%s'\n", cmd, opt, s);
		return -1;
	}
	return 0;
}

int
cli_logs(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"list", no_argument, NULL, 'l'},
		{"all", no_argument, NULL, 'a'},
		{"since", required_argument, NULL, 'S'},
		{"until", required_argument, NULL, 'U'},
		{"top", required_argument, NULL, 'n'},
		{"color", required_argument, NULL, 'C'},
		{"colour", required_argument, NULL, 'C'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	logs_ctx ctx;
	logs_run run;
	smtpdoc_log_options o;
	smtpdoc_log_stats stats;
	const char *color = "auto";
	char err[256], *end;
	int c, i, color_on, errors = 0;
	long top = 10;

	memset(&ctx, 0, sizeof(ctx));
	memset(&o, 0, sizeof(o));
	memset(&stats, 0, sizeof(stats));
	memset(&run, 0, sizeof(run));
	ctx.json_first = 1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:lan:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_parse_format(optarg, &ctx.format) != 0) {
				fprintf(stderr, "smtpdoc logs: unknown format '%s' (use text, json or jsonl)\n", optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 'l': ctx.list = 1; break;
		case 'a': o.flags |= SMTPDOC_LOG_ALL; break;
		case 'S':
			if (cli_parse_iso_time("logs", "--since", optarg, &o.since) != 0)
				return CLI_EXIT_ERROR;
			break;
		case 'U':
			if (cli_parse_iso_time("logs", "--until", optarg, &o.until) != 0)
				return CLI_EXIT_ERROR;
			break;
		case 'n':
			top = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || top < 1 || top > 1000) {
				fprintf(stderr, "smtpdoc logs: --top takes a number from 1 to 1000, not '%s'\n", optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 'C': color = optarg; break;
		case 'q': run.quiet = 1; break;
		case 'h': logs_usage(stdout); return 0;
		default:
			cli_option_error("logs", argv);
			return CLI_EXIT_ERROR;
		}
	}
	color_on = cli_color(color, STDOUT_FILENO);
	if (color_on < 0) {
		fprintf(stderr, "smtpdoc logs: --color takes auto, always or never, not '%s'\n", color);
		return CLI_EXIT_ERROR;
	}
	if (color_on && ctx.format == SMTPDOC_FORMAT_TEXT)
		ctx.flags |= SMTPDOC_OUT_COLOR;
	if (ctx.format == SMTPDOC_FORMAT_TEXT) {
		ctx.sum = smtpdoc_log_summary_new(4096);
		if (ctx.sum == NULL) {
			fputs("smtpdoc logs: out of memory\n", stderr);
			return CLI_EXIT_ERROR;
		}
	}
	run.ctx = &ctx;
	for (i = optind; i < argc || (i == optind && optind == argc); i++) {
		const char *path = i < argc ? argv[i] : "-";
		if (smtpdoc_log_scan(path, &o, logs_event, logs_warn, &run, &stats, err, sizeof(err)) != SMTPDOC_OK) {
			fprintf(stderr, "smtpdoc logs: %s: %s\n", path, err[0] ? err : "out of memory");
			errors++;
		}
	}
	if (ctx.format == SMTPDOC_FORMAT_JSON)
		fputs(ctx.json_first ? "[]\n" : "\n]\n", stdout);
	if (ctx.sum) {
		if (ctx.list && ctx.failures)
			putchar('\n');
		smtpdoc_write_log_summary_text(stdout, ctx.sum, (size_t)top, ctx.flags);
		smtpdoc_log_summary_free(ctx.sum);
	}
	fflush(stdout);
	if (ctx.oom)
		fputs("smtpdoc logs: out of memory: the summary tables are incomplete\n", stderr);
	if (!run.quiet && ctx.format == SMTPDOC_FORMAT_TEXT)
		fprintf(stderr, "\nsmtpdoc logs: %lu line%s read, %lu failure%s, %lu line%s of no known format, "
			"%lu bad line%s, %d unreadable file%s\n",
			stats.lines, stats.lines == 1 ? "" : "s", ctx.failures, ctx.failures == 1 ? "" : "s",
			stats.unrecognised, stats.unrecognised == 1 ? "" : "s", stats.bad, stats.bad == 1 ? "" : "s",
			errors, errors == 1 ? "" : "s");
	if (errors)
		return CLI_EXIT_ERROR;
	return ctx.failures ? CLI_EXIT_FOUND : CLI_EXIT_NOTHING;
}
