/*
 * spf.h - Sender Policy Framework (RFC 7208): check_host() and a static
 * "lint" of a domain's record tree, with a trace a person can follow.
 *
 * Both entry points are written against sd_dns_lookup_fn (dns.h) only: the
 * caller hands in a synchronous lookup function and its context (the real
 * resolver, sd_resolver_lookup, or zone data served from memory in tests).
 * Nothing here prints or exits.
 *
 *   sd_spf_check()   evaluates check_host() for one client IP, domain and
 *                    sender, and returns an sd_spf_report: the result, the
 *                    explanation (exp=), the mechanism that decided, the
 *                    number of DNS-querying terms and void lookups used, and
 *                    a trace of every step. When the record tree needs more
 *                    than 10 DNS-querying terms, the report still shows how
 *                    far evaluation got, the chain of includes that led to
 *                    the 11th term, and (from a static count of the whole
 *                    tree) how many lookups the record would need.
 *   sd_spf_lint()    walks a domain's record and everything it includes or
 *                    redirects to, without an IP: lookups the tree needs
 *                    (limit 10), syntax errors, several records, includes
 *                    without a record, loops, void targets, mx with more
 *                    than 10 names, the deprecated ptr, open policies
 *                    ("+all", "?all", no "all" at all).
 *
 * Ownership: an sd_spf_report or sd_spf_lint_report and every string and array it
 * points to belong to one allocation, released with sd_spf_report_free() or
 * sd_spf_lint_free() (both accept NULL). Answers from the lookup function
 * are freed with sd_dns_answer_free() as soon as they have been read.
 *
 * Bounds: every count below is a named limit (spf_internal.h); records,
 * macro expansions, traces and walks are all capped, so a hostile zone
 * (huge records, loops of includes, garbage bytes) costs bounded time and
 * memory. There is no overall wall-clock limit here (RFC 7208 4.6.4 asks
 * for one of at least 20 seconds): the resolver's timeout and tries bound
 * each query, and at most a few hundred queries are made per check.
 */
#ifndef SMTPDOC_SPF_H
#define SMTPDOC_SPF_H

#include <stddef.h>

#include "dns.h"
#include "internal.h"

/* The results of check_host() (RFC 7208 section 2.6). */
typedef enum sd_spf_result {
	SD_SPF_NONE = 0,   /* no SPF record, or the domain is not a valid name */
	SD_SPF_NEUTRAL,    /* the record says nothing about this IP ("?") */
	SD_SPF_PASS,       /* the IP is authorised ("+") */
	SD_SPF_FAIL,       /* the IP is not authorised ("-") */
	SD_SPF_SOFTFAIL,   /* probably not authorised ("~") */
	SD_SPF_TEMPERROR,  /* a DNS failure: try again later */
	SD_SPF_PERMERROR,  /* the published records are broken */
} sd_spf_result;

/* "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror" */
const char *sd_spf_result_name(sd_spf_result r);

/* An IP address; IPv4-mapped IPv6 addresses are stored as IPv4. */
typedef struct sd_spf_ip {
	int family;              /* 4 or 6 */
	unsigned char addr[16];  /* the first 4 bytes for IPv4 */
} sd_spf_ip;

/* Read an IPv4 or IPv6 address ("192.0.2.1", "2001:db8::1",
 * "::ffff:192.0.2.1" becomes IPv4). Returns 0, or -1 when s is not one. */
int sd_spf_ip_parse(const char *s, sd_spf_ip *out);

/* Options of a check; a NULL pointer or a zeroed struct gives the
 * defaults. */
typedef struct sd_spf_options {
	const char *receiver;  /* %{r} in explanations; NULL: "unknown" */
	long long now;         /* %{t} in explanations; 0: the current time */
	int no_tree_count;     /* 1: when the lookup limit is hit, do not walk
				* the whole tree to count what it needs */
} sd_spf_options;

/* ---- the trace ---------------------------------------------------------- */

typedef enum sd_spf_step_kind {
	SD_SPF_STEP_RECORD,   /* a record was looked up for domain (detail says
			       * what was found); term is NULL */
	SD_SPF_STEP_INCLUDE,  /* include: term is followed; the steps of the
			       * included record come next, one level deeper,
			       * then a MATCH or NOMATCH step for term */
	SD_SPF_STEP_MATCH,    /* term matched: its qualifier gives the result */
	SD_SPF_STEP_NOMATCH,  /* term did not match; evaluation goes on */
	SD_SPF_STEP_REDIRECT, /* no mechanism matched; term is the redirect= */
	SD_SPF_STEP_DEFAULT,  /* no mechanism matched and no redirect: neutral */
	SD_SPF_STEP_ERROR,    /* term (or the record) ended evaluation with a
			       * temperror or permerror */
	SD_SPF_STEP_LIMIT,    /* term would have been the 11th DNS-querying
			       * term, or the 3rd void lookup: permerror */
	SD_SPF_STEP_EXP,      /* the explanation (exp=) was looked up */
} sd_spf_step_kind;

typedef struct sd_spf_step {
	sd_spf_step_kind kind;
	int depth;            /* 0 for the record of the domain checked, 1 in
			       * a record it includes or redirects to, ... */
	const char *domain;   /* the domain whose record holds term */
	const char *term;     /* the term as written, or NULL */
	const char *detail;   /* what happened, in plain words */
	int lookups;          /* DNS-querying terms used so far */
	int voids;            /* void lookups so far */
} sd_spf_step;

/* ---- check_host() --------------------------------------------------------- */

typedef struct sd_spf_report {
	sd_spf_result result;
	const char *ip;            /* the client IP as checked (IPv4 for mapped) */
	const char *domain;        /* the domain checked */
	const char *sender;        /* the sender used for macros (postmaster@...
				    * when none or no local-part was given) */
	const char *record;        /* the domain's SPF record (non-printable
				    * bytes as \xHH), or NULL when none */
	const char *reason;        /* why this result, in one plain sentence */
	const char *problem;       /* for none and the errors, a stable id of
				    * the cause: "no-record", "invalid-domain",
				    * "dns", "multiple-records", "syntax",
				    * "lookup-limit", "void-limit", "mx-limit",
				    * "include-none", "redirect-none"; else NULL */
	const char *explanation;   /* the domain's own explanation (exp=), only
				    * with fail; NULL when it gave none */
	const char *matched_term;  /* the mechanism that decided, as written, or
				    * NULL (default result, none, errors) */
	const char *matched_domain;/* the domain whose record holds it */
	int lookups;               /* DNS-querying terms evaluated: include, a,
				    * mx, ptr, exists, redirect (limit 10) */
	int void_lookups;          /* of them, lookups that found no record
				    * (NXDOMAIN or NODATA; limit 2) */

	/* A syntax error (result permerror): where. */
	const char *error_domain;  /* the record that has it, or NULL */
	const char *error_term;    /* the term, or NULL */
	size_t error_offset;       /* byte offset of the error in that record */

	/* The lookup limit (result permerror, limit_hit 1). */
	int limit_hit;             /* 1: the 11th DNS-querying term was reached */
	const char *limit_term;    /* that term, as written */
	const char *limit_domain;  /* the record that holds it */
	const char *limit_path;    /* the chain that led to it, outermost first:
				    * "include:a.example > include:b.example > mx" */
	int lookups_needed;        /* DNS-querying terms the whole tree needs
				    * (static count, see sd_spf_lint), or -1 */
	const struct sd_spf_lint_report *tree; /* that count, per include; NULL unless
					 * limit_hit and the count was made */

	sd_spf_step *steps;        /* the trace, in order */
	size_t nsteps;
	int steps_truncated;       /* 1 when SD_SPF_MAX_STEPS cut the trace */

	struct sd_spf_priv *priv;  /* owner of all the above */
} sd_spf_report;

/* Evaluate check_host() (RFC 7208 section 4) for the client ip (text,
 * IPv4 or IPv6) and publish the result in *out.
 *
 *   domain  the domain whose policy is checked; NULL: the domain part of
 *           sender, or helo when sender is NULL or empty.
 *   sender  the MAIL FROM address; NULL or "" for a HELO check (the sender
 *           is then postmaster@helo). A sender without a local-part
 *           ("@example.org") gets "postmaster".
 *   helo    the HELO/EHLO name, for %{h}; may be NULL.
 *   opt     NULL for the defaults.
 *
 * Returns SMTPDOC_OK with *out set (whatever the SPF result, none and the
 * errors included), SMTPDOC_EINVAL when ip is not an address or no domain
 * can be found (*out NULL), SMTPDOC_ENOMEM. Free *out with
 * sd_spf_report_free(). */
smtpdoc_status sd_spf_check(sd_dns_lookup_fn lookup, void *ctx, const char *ip,
			    const char *domain, const char *sender, const char *helo,
			    const sd_spf_options *opt, sd_spf_report **out);
void sd_spf_report_free(sd_spf_report *r);

/* Append a readable account of the report to out: result, reason, the
 * trace indented by depth, and, over the limit, the count per include. */
int sd_spf_report_text(const sd_spf_report *r, sd_buf *out);

/* ---- the static lint -------------------------------------------------- */

typedef enum sd_spf_severity {
	SD_SPF_INFO = 0,
	SD_SPF_WARNING,
	SD_SPF_ERROR,      /* receivers get permerror (or none) from it */
} sd_spf_severity;

typedef struct sd_spf_issue {
	sd_spf_severity severity;
	const char *code;     /* stable id, see sd_spf_lint() */
	const char *domain;   /* the record concerned */
	const char *term;     /* the term concerned, or NULL */
	size_t offset;        /* byte offset of term (or of a syntax error) in
			       * the record; 0 when term is NULL */
	const char *message;  /* plain words */
} sd_spf_issue;

/* One record of the tree. */
typedef struct sd_spf_node {
	int depth;            /* 0 for the domain linted */
	int parent;           /* index in nodes of the record that includes it;
			       * -1 for the root */
	const char *via;      /* the term that leads here ("include:x"), NULL
			       * for the root */
	const char *domain;
	const char *record;   /* printable; NULL when none was found */
	sd_spf_result status; /* NONE: no record; PERMERROR: several records
			       * or a syntax error; TEMPERROR: DNS failure;
			       * NEUTRAL: a usable record */
	int own_lookups;      /* DNS-querying terms in this record */
	int total_lookups;    /* own_lookups plus those of every record below */
} sd_spf_node;

typedef struct sd_spf_lint_report {
	const char *domain;
	const char *record;   /* the domain's record (printable), or NULL */
	sd_spf_result status; /* NONE: no record; TEMPERROR: it could not be
			       * fetched; PERMERROR: an error-level issue means
			       * receivers will (or may, depending on the IP)
			       * get permerror; NEUTRAL otherwise */
	int lookups;          /* DNS-querying terms the whole tree needs if
			       * every term is evaluated */
	int lookups_exact;    /* 0: some target could not be followed (macros
			       * that depend on the sender, DNS errors, loops,
			       * the walk's caps): lookups is a lower bound */
	int void_targets;     /* a/mx/include targets that do not exist */
	int errors, warnings;
	sd_spf_node *nodes;   /* nodes[0] is the root; parents come first */
	size_t nnodes;
	sd_spf_issue *issues;
	size_t nissues;
	struct sd_spf_priv *priv;
} sd_spf_lint_report;

/* Walk domain's SPF record tree and report what is wrong with it. record:
 * NULL to look the domain's record up, or the text of a record to check
 * in its place (before publishing it).
 *
 * Issue codes: "no-record", "multiple-records", "dns-error", "syntax",
 * "too-many-lookups", "include-none", "redirect-none", "loop",
 * "void-lookups", "void-target", "too-many-mx", "ptr", "open-all",
 * "neutral-all", "no-all", "redirect-ignored", "after-all",
 * "macro-target", "walk-capped", "long-record".
 *
 * Returns SMTPDOC_OK with *out set, SMTPDOC_EINVAL when domain is NULL or
 * empty, SMTPDOC_ENOMEM. Free *out with sd_spf_lint_free(). */
smtpdoc_status sd_spf_lint(sd_dns_lookup_fn lookup, void *ctx, const char *domain,
			   const char *record, sd_spf_lint_report **out);
void sd_spf_lint_free(sd_spf_lint_report *l);

/* Append a readable account of the lint to out: the tree with lookups per
 * record, then the issues. */
int sd_spf_lint_text(const sd_spf_lint_report *l, sd_buf *out);

#endif
