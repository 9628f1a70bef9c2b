/*
 * check.c - 'smtpdoc check DOMAIN': the sending side of a domain as a
 * checklist (MX and their SMTP service, submission ports, SPF, DMARC,
 * DKIM, MTA-STS, TLS-RPT, reverse DNS, DNS blocklists), each problem tied
 * to the bounce it causes and its fix.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define CHECK_MAX_LIST 64

static void
check_usage(FILE *fp)
{
	fputs("usage: smtpdoc check [OPTIONS] DOMAIN\n\n"
	      "Check the sending side of DOMAIN and say, per item, whether it is in order\n"
	      "and, when it is not, which bounce it causes and how to fix it: MX records\n"
	      "and each MX host on port 25 (banner, SIZE limit, STARTTLS, AUTH), the\n"
	      "submission ports 587 and 465, SPF (evaluated for --ip), DMARC, DKIM,\n"
	      "MTA-STS, TLS-RPT, reverse DNS of --ip and of each MX, DNS blocklists.\n\n"
	      "options:\n"
	      "  -i, --ip IP              the IP address your mail is sent from\n"
	      "  -s, --dkim-selector S    a DKIM selector to look up (repeatable; default:\n"
	      "                           common selectors)\n"
	      "  -r, --resolver ADDR[:PORT]  send every DNS query to this server\n"
	      "      --helo NAME          the EHLO name of the SMTP probes (default: this host)\n"
	      "  -t, --timeout SECONDS    per network step (default 10)\n"
	      "  -p, --port PORT          the MX hosts' SMTP port (default 25)\n"
	      "      --no-smtp            DNS checks only: no connections to the MX hosts\n"
	      "      --local              this host delivers DOMAIN's mail: check that the MX\n"
	      "                           records point here\n"
	      "      --dnsbl ZONE         an IP blocklist zone to use instead of the defaults\n"
	      "                           (repeatable)\n"
	      "      --dbl ZONE           a domain blocklist zone to use instead of the\n"
	      "                           defaults (repeatable)\n"
	      "  -f, --format FMT         text (default), json (one array) or jsonl (one item a line)\n"
	      "      --color WHEN         auto (default), always, never\n"
	      "  -h, --help               this help\n\n"
	      "exit status: 0 no problem found (warnings allowed), 1 at least one problem,\n"
	      "             2 usage error\n", fp);
}

int
cli_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"ip", required_argument, NULL, 'i'},
		{"dkim-selector", required_argument, NULL, 's'},
		{"resolver", required_argument, NULL, 'r'},
		{"helo", required_argument, NULL, 'H'},
		{"timeout", required_argument, NULL, 't'},
		{"port", required_argument, NULL, 'p'},
		{"no-smtp", no_argument, NULL, 'N'},
		{"local", no_argument, NULL, 'L'},
		{"dnsbl", required_argument, NULL, 'B'},
		{"dbl", required_argument, NULL, 'D'},
		{"format", required_argument, NULL, 'f'},
		{"color", required_argument, NULL, 'C'},
		{"colour", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *selectors[CHECK_MAX_LIST], *ipzones[CHECK_MAX_LIST], *dzones[CHECK_MAX_LIST];
	size_t nsel = 0, nip = 0, nd = 0, i;
	smtpdoc_check_options o;
	smtpdoc_check_report *rep = NULL;
	smtpdoc_format format = SMTPDOC_FORMAT_TEXT;
	const char *color = "auto";
	char err[256], *end;
	int c, color_on;
	long secs;

	smtpdoc_check_options_init(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:s:r:t:p:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.ip = optarg; break;
		case 's':
		case 'B':
		case 'D': {
			const char **list = c == 's' ? selectors : c == 'B' ? ipzones : dzones;
			size_t *n = c == 's' ? &nsel : c == 'B' ? &nip : &nd;
			if (*n >= CHECK_MAX_LIST) {
				fprintf(stderr, "smtpdoc check: at most %d values for one option\n", CHECK_MAX_LIST);
				return CLI_EXIT_ERROR;
			}
			list[(*n)++] = optarg;
			break;
		}
		case 'r': o.resolver = optarg; break;
		case 'H': o.helo = optarg; break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || secs < 1 || secs > 600) {
				fprintf(stderr, "smtpdoc check: --timeout takes seconds from 1 to 600, not '%s'\n", optarg);
				return CLI_EXIT_ERROR;
			}
			o.timeout_ms = (int)secs * 1000;
			break;
		case 'p':
			secs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || secs < 1 || secs > 65535) {
				fprintf(stderr, "smtpdoc check: --port takes a port number, not '%s'\n", optarg);
				return CLI_EXIT_ERROR;
			}
			o.port = (unsigned)secs;
			break;
		case 'N': o.no_smtp = 1; break;
		case 'L': o.local = 1; break;
		case 'f':
			if (cli_parse_format(optarg, &format) != 0) {
				fprintf(stderr, "smtpdoc check: unknown format '%s' (use text, json or jsonl)\n", optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 'C': color = optarg; break;
		case 'h': check_usage(stdout); return 0;
		default:
			cli_option_error("check", argv);
			return CLI_EXIT_ERROR;
		}
	}
	if (optind + 1 != argc) {
		fputs(optind >= argc ? "smtpdoc check: name the domain to check (try --help)\n"
				     : "smtpdoc check: one domain at a time (try --help)\n", stderr);
		return CLI_EXIT_ERROR;
	}
	color_on = cli_color(color, STDOUT_FILENO);
	if (color_on < 0) {
		fprintf(stderr, "smtpdoc check: --color takes auto, always or never, not '%s'\n", color);
		return CLI_EXIT_ERROR;
	}
	o.domain = argv[optind];
	o.dkim_selectors = nsel ? selectors : NULL;
	o.n_dkim_selectors = nsel;
	o.dnsbl_ip_zones = nip ? ipzones : NULL;
	o.n_dnsbl_ip_zones = nip;
	o.dnsbl_domain_zones = nd ? dzones : NULL;
	o.n_dnsbl_domain_zones = nd;
	if (smtpdoc_check(&o, &rep, err, sizeof(err)) != SMTPDOC_OK) {
		fprintf(stderr, "smtpdoc check: %s\n", err[0] ? err : "out of memory");
		return CLI_EXIT_ERROR;
	}
	switch (format) {
	case SMTPDOC_FORMAT_JSON:
		fputs("[", stdout);
		for (i = 0; i < rep->count; i++) {
			fputs(i ? ",\n" : "\n", stdout);
			smtpdoc_write_check_item_json(stdout, rep, &rep->items[i]);
		}
		fputs(rep->count ? "\n]\n" : "]\n", stdout);
		break;
	case SMTPDOC_FORMAT_JSONL:
		for (i = 0; i < rep->count; i++) {
			smtpdoc_write_check_item_json(stdout, rep, &rep->items[i]);
			putchar('\n');
		}
		break;
	default:
		smtpdoc_write_check_text(stdout, rep, color_on ? SMTPDOC_OUT_COLOR : 0);
		break;
	}
	c = strcmp(rep->worst, "fail") == 0 ? 1 : 0;
	smtpdoc_check_report_free(rep);
	fflush(stdout);
	return c;
}
