/*
 * main.c - the smtpdoc command: dispatches to a subcommand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cli_command;

static const cli_command cli_commands[] = {
	{"explain", cli_explain, "decode bounce messages: why delivery failed and how to fix it"},
	{"verify", cli_verify, "check recipient addresses before sending: syntax, DNS, the mailbox"},
	{"logs", cli_logs, "find rejections, bounces and deferrals in Exim, Postfix, Sendmail logs"},
	{"track", cli_track, "follow one message through mail logs: attempts, outcome, diagnosis"},
	{"check", cli_check, "check a domain's sending side: MX, SPF, DMARC, DKIM, PTR, blocklists"},
	{"audit", cli_audit, "check a mail server's configuration on disk (cPanel/Exim, Postfix)"},
	{"route", cli_route, "show how this server would handle an address, and why it fails"},
	{NULL, NULL, NULL},
};

static void
cli_usage(FILE *fp)
{
	size_t i;

	fputs("usage: smtpdoc [--version] [--help] COMMAND [ARGS]\n\n"
	      "smtpdoc tells you why an email bounced and how to fix it.\n\ncommands:\n", fp);
	for (i = 0; cli_commands[i].name; i++)
		fprintf(fp, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fputs("\nEvery command takes --format text|json|jsonl (text is the default).\n"
	      "Run 'smtpdoc COMMAND --help' for the options of a command.\n"
	      "Exit status: 0 success, 1 nothing found or something not in order (see each\n"
	      "command's --help), 2 usage or input error.\n", fp);
}

int
cli_parse_format(const char *s, smtpdoc_format *fmt)
{
	if (strcmp(s, "text") == 0)
		*fmt = SMTPDOC_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*fmt = SMTPDOC_FORMAT_JSON;
	else if (strcmp(s, "jsonl") == 0)
		*fmt = SMTPDOC_FORMAT_JSONL;
	else
		return -1;
	return 0;
}

void
cli_option_error(const char *cmd, char **argv)
{
	if (optopt)
		fprintf(stderr, "smtpdoc %s: bad or incomplete option '-%c' (try --help)\n", cmd, optopt);
	else
		fprintf(stderr, "smtpdoc %s: unknown option '%s' (try --help)\n", cmd, argv[optind - 1]);
}

int
cli_color(const char *mode, int fd)
{
	const char *nc;

	if (strcmp(mode, "always") == 0)
		return 1;
	if (strcmp(mode, "never") == 0)
		return 0;
	if (strcmp(mode, "auto") != 0)
		return -1;
	nc = getenv("NO_COLOR");
	if (nc && nc[0])
		return 0;
	return isatty(fd) ? 1 : 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cli_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("smtpdoc %s\n", SMTPDOC_VERSION);
		return 0;
	}
	/* into a pipe or a file, write in big blocks: a log's JSON lines are
	 * hundreds of megabytes */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1u << 16);
	for (i = 0; cli_commands[i].name; i++)
		if (strcmp(argv[1], cli_commands[i].name) == 0)
			return cli_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "smtpdoc: unknown command '%s' (try 'smtpdoc --help')\n", argv[1]);
	return CLI_EXIT_ERROR;
}
