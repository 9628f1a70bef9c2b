/*
 * route.c - 'smtpdoc route ADDRESS': how the mail server configured
 * under --root would handle one address (like exim -bt): local or remote
 * and why, the alias chain, the mailbox, the MX; and when it fails, the
 * reply the sender gets, its cause and the fix.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void
route_usage(FILE *fp)
{
	fputs("usage: smtpdoc route [OPTIONS] ADDRESS\n\n"
	      "Show how the mail server configured under --root handles ADDRESS: whether its\n"
	      "domain is local or remote (and which file or setting says so), the forwarders\n"
	      "and aliases it goes through (loops and chains deeper than 20 are cut), the\n"
	      "mailbox it ends in, the MX hosts for remote domains, and when delivery would\n"
	      "fail, the reply the sender gets, its cause and the fix.\n\n"
	      "options:\n"
	      "      --root DIR           the tree to read (default /)\n"
	      "  -r, --resolver ADDR[:PORT]  send every DNS query to this server\n"
	      "      --hostname NAME      this server's host name (repeatable)\n"
	      "  -i, --ip IP              this server's address (repeatable)\n"
	      "      --no-dns             no DNS lookups (remote domains not looked up)\n"
	      "  -t, --timeout SECONDS    per DNS query (default 5)\n"
	      "  -f, --format FMT         text (default), json or jsonl (one object)\n"
	      "      --color WHEN         auto (default), always, never\n"
	      "  -h, --help               this help\n\n"
	      "exit status: 0 delivered, 1 the address (or part of its chain) fails,\n"
	      "             2 usage error or no configuration found\n", fp);
}

int
cli_route(int argc, char **argv)
{
	cli_audit_args a;
	smtpdoc_route_report *rep = NULL;
	char err[512];
	size_t i;
	int rc;

	if ((rc = cli_audit_parse("route", argc, argv, route_usage, &a)) != 0)
		return rc > 0 ? 0 : CLI_EXIT_ERROR;
	if (optind + 1 != argc) {
		fputs(optind >= argc ? "smtpdoc route: name the address to route (try --help)\n"
				     : "smtpdoc route: one address at a time (try --help)\n", stderr);
		return CLI_EXIT_ERROR;
	}
	if (smtpdoc_route(&a.o, argv[optind], &rep, err, sizeof(err)) != SMTPDOC_OK) {
		fprintf(stderr, "smtpdoc route: %s\n", err[0] ? err : "out of memory");
		return CLI_EXIT_ERROR;
	}
	for (i = 0; i < rep->nwarnings; i++)
		fprintf(stderr, "smtpdoc route: warning: %s\n", rep->warnings[i]);
	if (a.format == SMTPDOC_FORMAT_TEXT) {
		smtpdoc_write_route_text(stdout, rep, a.flags);
	} else {
		smtpdoc_write_route_json(stdout, rep);
		putchar('\n');
	}
	rc = strcmp(rep->verdict, "delivered") == 0 ? 0 : 1;
	smtpdoc_route_report_free(rep);
	fflush(stdout);
	return rc;
}
