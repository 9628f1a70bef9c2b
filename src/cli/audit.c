/*
 * audit.c - 'smtpdoc audit': read a mail server's configuration as it
 * lies on disk (cPanel/Exim or Postfix) and list what will make mail
 * bounce, each problem with the bounce it causes and its fix.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void
audit_usage(FILE *fp)
{
	fputs("usage: smtpdoc audit [OPTIONS]\n\n"
	      "Read the mail server configuration under --root (cPanel/Exim: /etc/localdomains,\n"
	      "/etc/remotedomains, /etc/userdomains, /etc/valiases, /etc/vdomainaliases,\n"
	      "/etc/aliases, /etc/localaliases, the mailboxes in /home/USER/etc/DOMAIN/passwd;\n"
	      "Postfix: /etc/postfix/main.cf and the tables it names, regexp: and pcre: ones\n"
	      "included; both: the users' ~/.forward) and check it: forwarders, aliases,\n"
	      ".forward files and pattern rules that lead nowhere, loops, mailboxes without\n"
	      "their directory, local domains whose MX is elsewhere, remote domains whose MX\n"
	      "is this server, domains listed as both local and remote.\n\n"
	      "options:\n"
	      "      --root DIR           the tree to read (default /)\n"
	      "  -r, --resolver ADDR[:PORT]  send every DNS query to this server\n"
	      "      --hostname NAME      this server's host name (repeatable; default:\n"
	      "                           gethostname())\n"
	      "  -i, --ip IP              this server's address (repeatable; default: the\n"
	      "                           addresses of its interfaces)\n"
	      "      --no-dns             no DNS lookups (no MX checks, forward targets at\n"
	      "                           other domains not checked)\n"
	      "  -t, --timeout SECONDS    per DNS query (default 5)\n"
	      "  -f, --format FMT         text (default), json (one array) or jsonl (one item a line)\n"
	      "      --color WHEN         auto (default), always, never\n"
	      "  -h, --help               this help\n\n"
	      "Files that cannot be read are warnings on standard error (\"FILE:LINE: what\");\n"
	      "the audit goes on.\n\n"
	      "exit status: 0 no problem found (warnings allowed), 1 at least one problem,\n"
	      "             2 usage error or no configuration found\n", fp);
}

int
cli_audit_parse(const char *cmd, int argc, char **argv, void (*usage)(FILE *), cli_audit_args *a)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'R'},
		{"resolver", required_argument, NULL, 'r'},
		{"hostname", required_argument, NULL, 'H'},
		{"ip", required_argument, NULL, 'i'},
		{"no-dns", no_argument, NULL, 'N'},
		{"timeout", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"color", required_argument, NULL, 'C'},
		{"colour", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *color = "auto";
	size_t nnames = 0, nips = 0;
	char *end;
	long secs;
	int c, color_on;

	memset(a, 0, sizeof(*a));
	smtpdoc_audit_options_init(&a->o);
	a->format = SMTPDOC_FORMAT_TEXT;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:i:t:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'R': a->o.root = optarg; break;
		case 'r': a->o.resolver = optarg; break;
		case 'N': a->o.no_dns = 1; break;
		case 'H':
		case 'i':
			if ((c == 'H' ? nnames : nips) >= CLI_AUDIT_MAX_LIST) {
				fprintf(stderr, "smtpdoc %s: at most %d values for one option\n", cmd, CLI_AUDIT_MAX_LIST);
				return -1;
			}
			if (c == 'H')
				a->names[nnames++] = optarg;
			else
				a->ips[nips++] = optarg;
			break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || secs < 1 || secs > 600) {
				fprintf(stderr, "smtpdoc %s: --timeout takes seconds from 1 to 600, not '%s'\n", cmd,
					optarg);
				return -1;
			}
			a->o.timeout_ms = (int)secs * 1000;
			break;
		case 'f':
			if (cli_parse_format(optarg, &a->format) != 0) {
				fprintf(stderr, "smtpdoc %s: unknown format '%s' (use text, json or jsonl)\n", cmd, optarg);
				return -1;
			}
			break;
		case 'C': color = optarg; break;
		case 'h': usage(stdout); return 1;
		default:
			cli_option_error(cmd, argv);
			return -1;
		}
	}
	color_on = cli_color(color, STDOUT_FILENO);
	if (color_on < 0) {
		fprintf(stderr, "smtpdoc %s: --color takes auto, always or never, not '%s'\n", cmd, color);
		return -1;
	}
	if (color_on && a->format == SMTPDOC_FORMAT_TEXT)
		a->flags |= SMTPDOC_OUT_COLOR;
	a->o.hostnames = nnames ? a->names : NULL;
	a->o.n_hostnames = nnames;
	a->o.ips = nips ? a->ips : NULL;
	a->o.n_ips = nips;
	return 0;
}

int
cli_audit(int argc, char **argv)
{
	cli_audit_args a;
	smtpdoc_audit_report *rep = NULL;
	char err[512];
	size_t i;
	int rc;

	if ((rc = cli_audit_parse("audit", argc, argv, audit_usage, &a)) != 0)
		return rc > 0 ? 0 : CLI_EXIT_ERROR;
	if (optind != argc) {
		fprintf(stderr, "smtpdoc audit: unexpected argument '%s' (try --help)\n", argv[optind]);
		return CLI_EXIT_ERROR;
	}
	if (smtpdoc_audit(&a.o, &rep, err, sizeof(err)) != SMTPDOC_OK) {
		fprintf(stderr, "smtpdoc audit: %s\n", err[0] ? err : "out of memory");
		return CLI_EXIT_ERROR;
	}
	for (i = 0; i < rep->nwarnings; i++)
		fprintf(stderr, "smtpdoc audit: warning: %s\n", rep->warnings[i]);
	switch (a.format) {
	case SMTPDOC_FORMAT_JSON:
		fputs("[", stdout);
		for (i = 0; i < rep->checks.count; i++) {
			fputs(i ? ",\n" : "\n", stdout);
			smtpdoc_write_check_item_json(stdout, &rep->checks, &rep->checks.items[i]);
		}
		fputs(rep->checks.count ? "\n]\n" : "]\n", stdout);
		break;
	case SMTPDOC_FORMAT_JSONL:
		for (i = 0; i < rep->checks.count; i++) {
			smtpdoc_write_check_item_json(stdout, &rep->checks, &rep->checks.items[i]);
			putchar('\n');
		}
		break;
	default:
		smtpdoc_write_audit_text(stdout, rep, a.flags);
		break;
	}
	rc = strcmp(rep->checks.worst, "fail") == 0 ? 1 : 0;
	smtpdoc_audit_report_free(rep);
	fflush(stdout);
	return rc;
}
