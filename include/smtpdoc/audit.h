/*
 * audit.h - public interface of `smtpdoc audit` and `smtpdoc route`:
 * a mail server's configuration as it lies on disk (cPanel/Exim or
 * Postfix), read without running the server.
 *
 * Included by <smtpdoc/smtpdoc.h>; do not include it on its own.
 *
 * Memory: every report handed out is the caller's and is released with
 * its *_free function (NULL is fine); strings inside a report belong to
 * the report.
 */
#ifndef SMTPDOC_AUDIT_H
#define SMTPDOC_AUDIT_H

typedef struct smtpdoc_audit_options {
	const char *root;            /* the tree to read; NULL: "/" */
	const char *resolver;        /* "ADDR[:PORT]" for every DNS query, or
				      * NULL for the system's resolver */
	const char *const *hostnames; /* this server's host names; NULL/0:
				      * gethostname() */
	size_t n_hostnames;
	const char *const *ips;      /* this server's addresses; NULL/0:
				      * the interfaces' (getifaddrs()) */
	size_t n_ips;
	int timeout_ms;              /* per DNS query; 0: 5000 */
	int no_dns;                  /* 1: no DNS lookups at all */
} smtpdoc_audit_options;

/*! Defaults: everything zero or NULL. */
SMTPDOC_EXPORT void smtpdoc_audit_options_init(smtpdoc_audit_options *o);

typedef struct smtpdoc_audit_report {
	smtpdoc_check_report checks; /* the findings, as `smtpdoc check`
				      * items (domain and ip are NULL; each
				      * item's subject says what it is about) */
	const char *root;
	const char *layout;          /* "cpanel", "postfix" or "cpanel+postfix" */
	const char *const *warnings; /* input that could not be read: one line
				      * each, "FILE:LINE: what" */
	size_t nwarnings;
} smtpdoc_audit_report;

/*! Read the configuration under o->root and check it. On SMTPDOC_OK *out
 *  holds the report. SMTPDOC_EINVAL when no mail server configuration is
 *  found there or an option is unusable, with a one-line reason in err.
 *  Unreadable or malformed files are warnings, never errors. */
SMTPDOC_EXPORT SMTPDOC_WARN_UNUSED smtpdoc_status
smtpdoc_audit(const smtpdoc_audit_options *o, smtpdoc_audit_report **out, char *err, size_t errlen);
SMTPDOC_EXPORT void smtpdoc_audit_report_free(smtpdoc_audit_report *r);
/*! The audit as text for a person (heading, warnings, the checklist). */
SMTPDOC_EXPORT void smtpdoc_write_audit_text(FILE *fp, const smtpdoc_audit_report *r, unsigned flags);

/* One step of a route, in the order the server takes them; depth grows by
 * one for each alias followed. */
typedef struct smtpdoc_route_step {
	unsigned depth;
	const char *address;         /* the address (or local name) handled */
	const char *action;          /* "domain-alias", "alias", "catch-all",
				      * "extension" (an address extension
				      * stripped), "forward" (a .forward file),
				      * "mailbox", "remote", "pipe", "file",
				      * "include" (an :include: list, not
				      * followed), "discard", "fail", "loop",
				      * "depth-limit", "unknown-user" */
	const char *result;          /* "ok", "fail", "warn", "unknown" */
	const char *target;          /* what it leads to: the alias targets,
				      * the mailbox directory, the MX hosts,
				      * the command; or NULL */
	const char *source;          /* the file and line or the setting that
				      * says so, or NULL */
	const char *note;            /* a plain sentence, or NULL */
	const char *reply;           /* for a failure: the SMTP reply */
	const char *cause;           /* for a failure: the catalog id */
} smtpdoc_route_step;

typedef struct smtpdoc_route_report {
	const char *address;
	const char *layout;          /* "cpanel" or "postfix" */
	const char *domain_class;    /* "local", "remote", "virtual-mailbox",
				      * "virtual-alias", "domain-alias", "none" */
	const char *why;             /* the file or setting that makes it so */
	const char *verdict;         /* "delivered", "failed", "partly failed" */
	const char *reply;           /* the first failure's SMTP reply, or NULL */
	const char *cause;           /* its catalog id, or NULL */
	const char *const *fix;      /* steps for that failure, NULL-terminated */
	size_t nsteps;
	const smtpdoc_route_step *steps;
	const char *const *warnings; /* as in the audit report */
	size_t nwarnings;
} smtpdoc_route_report;

/*! How the server under o->root would handle address, like exim -bt.
 *  On SMTPDOC_OK *out holds the report. SMTPDOC_EINVAL: not an address,
 *  or no configuration found, with a reason in err. */
SMTPDOC_EXPORT SMTPDOC_WARN_UNUSED smtpdoc_status
smtpdoc_route(const smtpdoc_audit_options *o, const char *address, smtpdoc_route_report **out,
	      char *err, size_t errlen);
SMTPDOC_EXPORT void smtpdoc_route_report_free(smtpdoc_route_report *r);
/*! The route as one JSON object (no trailing newline), and as text. */
SMTPDOC_EXPORT void smtpdoc_write_route_json(FILE *fp, const smtpdoc_route_report *r);
SMTPDOC_EXPORT void smtpdoc_write_route_text(FILE *fp, const smtpdoc_route_report *r, unsigned flags);

#endif
