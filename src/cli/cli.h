/*
 * cli.h - the smtpdoc command's subcommands and shared helpers.
 * The command uses only the public API in <smtpdoc/smtpdoc.h>.
 */
#ifndef SMTPDOC_CLI_H
#define SMTPDOC_CLI_H

#include <smtpdoc/smtpdoc.h>

/* Exit codes, documented in the README and smtpdoc(1). */
#define CLI_EXIT_FOUND 0    /* bounces decoded */
#define CLI_EXIT_NOTHING 1  /* nothing bounce-like found */
#define CLI_EXIT_ERROR 2    /* usage or input error */

int cli_explain(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_route(int argc, char **argv);

/* audit.c: what audit and route share: --root, --resolver, --hostname,
 * --ip, --no-dns, --timeout, --format, --color and --help. */
#define CLI_AUDIT_MAX_LIST 32
typedef struct cli_audit_args {
	smtpdoc_audit_options o;     /* hostnames and ips point into names, ips */
	const char *names[CLI_AUDIT_MAX_LIST], *ips[CLI_AUDIT_MAX_LIST];
	smtpdoc_format format;
	unsigned flags;              /* SMTPDOC_OUT_COLOR */
} cli_audit_args;
/* Parse argv for command cmd; usage prints its --help. 0: parsed, the
 * operands start at optind; 1: --help was printed; -1: a usage error was
 * reported. */
int cli_audit_parse(const char *cmd, int argc, char **argv, void (*usage)(FILE *), cli_audit_args *a);
int cli_logs(int argc, char **argv);
int cli_track(int argc, char **argv);

/* Parse an ISO 8601 option value into *out; prints the usage error for
 * command cmd and option opt and returns -1 when it is not one. */
int cli_parse_iso_time(const char *cmd, const char *opt, const char *s, time_t *out);

/* The usage error for the option getopt_long just refused (optopt,
 * argv[optind - 1]), as "smtpdoc CMD: ..." on standard error. */
void cli_option_error(const char *cmd, char **argv);
/* Parse "text|json|jsonl"; returns 0 and sets *fmt, or -1. */
int cli_parse_format(const char *s, smtpdoc_format *fmt);
/* Decide on colour: mode "auto", "always" or "never"; NO_COLOR wins in
 * auto mode. Returns 1 for colour, 0 for none, -1 for a bad mode. */
int cli_color(const char *mode, int fd);

#endif
