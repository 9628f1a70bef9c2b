/*
 * explain.c - 'smtpdoc explain': decode bounces and print the diagnosis.
 *
 * Reads each PATH (file, directory, Maildir, mbox, '-' for standard
 * input), decodes every message, and prints one result per failed
 * recipient as text, a JSON array or JSON lines. Problems with one input
 * are reported on one line and the rest is still decoded.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct explain_ctx {
	smtpdoc_format format;
	unsigned flags;
	int support;
	int undecoded;
	int quiet;
	size_t messages, bounces, results, not_bounce, undecodable, errors;
	int json_first;
} explain_ctx;

static void
explain_usage(FILE *fp)
{
	fputs("usage: smtpdoc explain [OPTIONS] [PATH...]\n\n"
	      "Decode bounce messages and say, per failed recipient, why delivery failed\n"
	      "and how to fix it. PATH is a message file, a directory or Maildir (read\n"
	      "recursively), an mbox file, or '-' for standard input (the default).\n\n"
	      "options:\n"
	      "  -f, --format FMT      text (default), json (one array) or jsonl (one object a line)\n"
	      "  -s, --support-report  print what a support desk needs: diagnosis, time, sender,\n"
	      "                        recipient and the full bounce message\n"
	      "  -u, --undecoded       list messages that could not be decoded, and why, on stderr\n"
	      "      --color WHEN      auto (default: only on a terminal, never with NO_COLOR), always, never\n"
	      "  -q, --quiet           no summary line\n"
	      "  -h, --help            this help\n\n"
	      "exit status: 0 bounces decoded, 1 nothing bounce-like found,\n"
	      "             2 usage error or an input that could not be read\n", fp);
}

static void
explain_error(void *vctx, const char *origin, const char *problem)
{
	explain_ctx *ctx = vctx;

	ctx->errors++;
	fprintf(stderr, "smtpdoc: %s: %s\n", origin, problem);
}

static int
explain_message(void *vctx, const char *origin, const void *data, size_t len)
{
	explain_ctx *ctx = vctx;
	smtpdoc_report *rep = NULL;
	smtpdoc_status st;
	size_t i;

	ctx->messages++;
	st = smtpdoc_decode(data, len, origin, &rep);
	if (st != SMTPDOC_OK) {
		ctx->errors++;
		fprintf(stderr, "smtpdoc: %s: %s\n", origin, smtpdoc_strerror(st));
		return 0;
	}
	if (rep->kind != SMTPDOC_KIND_BOUNCE) {
		if (rep->kind == SMTPDOC_KIND_UNDECODED)
			ctx->undecodable++;
		else
			ctx->not_bounce++;
		if (ctx->undecoded)
			fprintf(stderr, "smtpdoc: %s: %s\n", origin, rep->why);
		smtpdoc_report_free(rep);
		return 0;
	}
	ctx->bounces++;
	if (ctx->support) {
		smtpdoc_write_support_report(stdout, rep, ctx->flags);
	} else {
		for (i = 0; i < rep->count; i++) {
			const smtpdoc_result *r = &rep->results[i];
			switch (ctx->format) {
			case SMTPDOC_FORMAT_JSON:
				fputs(ctx->json_first ? "[\n" : ",\n", stdout);
				ctx->json_first = 0;
				smtpdoc_write_result_json(stdout, r);
				break;
			case SMTPDOC_FORMAT_JSONL:
				smtpdoc_write_result_json(stdout, r);
				putchar('\n');
				break;
			default:
				if (ctx->results)
					putchar('\n');
				smtpdoc_write_result_text(stdout, r, ctx->flags);
				break;
			}
			ctx->results++;
		}
	}
	/* a decoded bounce with a "why" lost part of its results (a limit was
	 * hit): always say so, it is data the user would otherwise miss */
	if (rep->why)
		fprintf(stderr, "smtpdoc: %s: %s\n", origin, rep->why);
	smtpdoc_report_free(rep);
	return 0;
}

int
cli_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"support-report", no_argument, NULL, 's'},
		{"undecoded", no_argument, NULL, 'u'},
		{"color", required_argument, NULL, 'C'},
		{"colour", required_argument, NULL, 'C'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	explain_ctx ctx;
	const char *color = "auto";
	int c, i, color_on;

	memset(&ctx, 0, sizeof(ctx));
	ctx.json_first = 1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:suqh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_parse_format(optarg, &ctx.format) != 0) {
				fprintf(stderr, "smtpdoc explain: unknown format '%s' (use text, json or jsonl)\n", optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 's': ctx.support = 1; break;
		case 'u': ctx.undecoded = 1; break;
		case 'q': ctx.quiet = 1; break;
		case 'C': color = optarg; break;
		case 'h': explain_usage(stdout); return 0;
		default:
			cli_option_error("explain", argv);
			return CLI_EXIT_ERROR;
		}
	}
	color_on = cli_color(color, STDOUT_FILENO);
	if (color_on < 0) {
		fprintf(stderr, "smtpdoc explain: --color takes auto, always or never, not '%s'\n", color);
		return CLI_EXIT_ERROR;
	}
	if (color_on && ctx.format == SMTPDOC_FORMAT_TEXT)
		ctx.flags |= SMTPDOC_OUT_COLOR;
	if (smtpdoc_init() != SMTPDOC_OK) {
		fputs("smtpdoc: cannot initialise the library\n", stderr);
		return CLI_EXIT_ERROR;
	}
	if (optind >= argc) {
		smtpdoc_input_walk("-", explain_message, explain_error, &ctx);
	} else {
		for (i = optind; i < argc; i++)
			smtpdoc_input_walk(argv[i], explain_message, explain_error, &ctx);
	}
	if (ctx.format == SMTPDOC_FORMAT_JSON && !ctx.support)
		fputs(ctx.json_first ? "[]\n" : "\n]\n", stdout);
	fflush(stdout);
	if (!ctx.quiet && ctx.format == SMTPDOC_FORMAT_TEXT)
		fprintf(stderr, "\nsmtpdoc: %zu message%s read: %zu bounce%s (%zu recipient result%s), "
			"%zu not a bounce, %zu undecodable, %zu input error%s\n",
			ctx.messages, ctx.messages == 1 ? "" : "s", ctx.bounces, ctx.bounces == 1 ? "" : "s",
			ctx.results, ctx.results == 1 ? "" : "s", ctx.not_bounce, ctx.undecodable, ctx.errors,
			ctx.errors == 1 ? "" : "s");
	if (ctx.errors)
		return CLI_EXIT_ERROR;
	return ctx.bounces ? CLI_EXIT_FOUND : CLI_EXIT_NOTHING;
}
