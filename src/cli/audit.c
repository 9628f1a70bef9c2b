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

/* cli_audit_options - the options audit and route share; returns 0 when
 * handled, 1 when c is not one of them, -1 on a bad value */
int
cli_audit_option(const char *cmd, int c, const char *arg, smtpdoc_audit_options *o, const char **names,
		 size_t *nnames, const char **ips, size_t *nips)
{
	char *end;
	long secs;

	switch (c) {
	case 'R': o->root = arg; return 0;
	case 'r': o->resolver = arg; return 0;
	case 'N': o->no_dns = 1; return 0;
	case 'H':
	case 'i':
		if ((c == 'H' ? *nnames : *nips) >= CLI_AUDIT_MAX_LIST) {
			fprintf(stderr, "smtpdoc %s: at most %d values for one option\n", cmd, CLI_AUDIT_MAX_LIST);
			return -1;
		}
		if (c == 'H')
			names[(*nnames)++] = arg;
		else
			ips[(*nips)++] = arg;
		return 0;
	case 't':
		secs = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || secs < 1 || secs > 600) {
			fprintf(stderr, "smtpdoc %s: --timeout takes seconds from 1 to 600, not '%s'\n", cmd, arg);
			return -1;
		}
		o->timeout_ms = (int)secs * 1000;
		return 0;
	default:
		return 1;
	}
}

int
cli_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_AUDIT_LONG_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *names[CLI_AUDIT_MAX_LIST], *ips[CLI_AUDIT_MAX_LIST];
	size_t nnames = 0, nips = 0, i;
	smtpdoc_audit_options o;
	smtpdoc_audit_report *rep = NULL;
	smtpdoc_format format = SMTPDOC_FORMAT_TEXT;
	const char *color = "auto";
	char err[512];
	int c, color_on, r;

	smtpdoc_audit_options_init(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:i:t:f:h", opts, NULL)) != -1) {
		if ((r = cli_audit_option("audit", c, optarg, &o, names, &nnames, ips, &nips)) == 0)
			continue;
		if (r < 0)
			return CLI_EXIT_ERROR;
		switch (c) {
		case 'f':
			if (cli_parse_format(optarg, &format) != 0) {
				fprintf(stderr, "smtpdoc audit: unknown format '%s' (use text, json or jsonl)\n", optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 'C': color = optarg; break;
		case 'h': audit_usage(stdout); return 0;
		default:
			cli_option_error("audit", argv);
			return CLI_EXIT_ERROR;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "smtpdoc audit: unexpected argument '%s' (try --help)\n", argv[optind]);
		return CLI_EXIT_ERROR;
	}
	color_on = cli_color(color, STDOUT_FILENO);
	if (color_on < 0) {
		fprintf(stderr, "smtpdoc audit: --color takes auto, always or never, not '%s'\n", color);
		return CLI_EXIT_ERROR;
	}
	o.hostnames = nnames ? names : NULL;
	o.n_hostnames = nnames;
	o.ips = nips ? ips : NULL;
	o.n_ips = nips;
	if (smtpdoc_audit(&o, &rep, err, sizeof(err)) != SMTPDOC_OK) {
		fprintf(stderr, "smtpdoc audit: %s\n", err[0] ? err : "out of memory");
		return CLI_EXIT_ERROR;
	}
	for (i = 0; i < rep->nwarnings; i++)
		fprintf(stderr, "smtpdoc audit: warning: %s\n", rep->warnings[i]);
	switch (format) {
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
		smtpdoc_write_audit_text(stdout, rep, color_on ? SMTPDOC_OUT_COLOR : 0);
		break;
	}
	c = strcmp(rep->checks.worst, "fail") == 0 ? 1 : 0;
	smtpdoc_audit_report_free(rep);
	fflush(stdout);
	return c;
}
