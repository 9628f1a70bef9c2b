/*
 * spf_internal.h - what the SPF files share (prefix sd_spf_); not part of
 * the module's interface (spf.h), but open to the unit tests.
 *
 *   spf_addr.c   IP addresses: parsing, prefixes, %{i}/%{c} text, reverse
 *                names
 *   spf_parse.c  record selection (4.5) and the record grammar (4.6.1,
 *                section 5, section 6, appendix A) into sd_spf_record
 *   spf_macro.c  macro-string syntax and expansion (section 7), domain-spec
 *                and target-name rules (4.3, 4.8, 7.3)
 *   spf_fetch.c  a domain's record from the DNS: lookup and selection
 *   spf_eval.c   check_host() (sections 4, 5, 6) with the limits of 4.6.4,
 *                include, redirect, exp=; its state is in spf_eval.h
 *   spf_mech.c   the mechanisms that look at addresses (ip4, ip6, all, a,
 *                mx, ptr, exists) and %{p}
 *   spf_lint.c   the static walk of a record tree
 *   spf_report.c result names, the trace, reports and their text form
 */
#ifndef SMTPDOC_SPF_INTERNAL_H
#define SMTPDOC_SPF_INTERNAL_H

#include <stddef.h>

#include "internal.h"
#include "spf.h"

/* RFC 7208 4.6.4 */
#define SD_SPF_MAX_DNS_TERMS 10   /* include, a, mx, ptr, exists, redirect */
#define SD_SPF_MAX_VOID 2         /* lookups that find nothing */
#define SD_SPF_MAX_MX_NAMES 10    /* names of one mx mechanism looked up */
#define SD_SPF_MAX_PTR_NAMES 10   /* names of one PTR answer looked at */
/* RFC 7208 7.3 and RFC 1035 */
#define SD_SPF_MAX_NAME 253       /* a domain name for a query */
#define SD_SPF_MAX_LABEL 63
/* our own bounds against hostile data */
#define SD_SPF_MAX_RECORD 16384   /* bytes of one record; longer: permerror */
#define SD_SPF_MAX_TERMS 1024     /* terms of one record; more: permerror */
#define SD_SPF_MAX_EXPAND 8192    /* bytes of one macro expansion */
#define SD_SPF_MAX_EXP_TEXT 1024  /* bytes of an explanation kept */
#define SD_SPF_MAX_STEPS 512      /* trace entries kept per check */
#define SD_SPF_MAX_INPUT 1024     /* bytes of sender, helo, domain used */
#define SD_SPF_LINT_MAX_NODES 64  /* records walked by one lint */
#define SD_SPF_LINT_MAX_DEPTH 12  /* include/redirect nesting followed */
#define SD_SPF_LINT_MAX_QUERIES 400 /* DNS queries made by one lint */
#define SD_SPF_LINT_MAX_ISSUES 200
#define SD_SPF_LINT_LONG_RECORD 450 /* a record longer than this gets a note */

#define SD_SPF_WHY_MAX 200        /* bytes of a syntax error's reason */

#if defined(__GNUC__) || defined(__clang__)
#define SD_SPF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SD_SPF_PRINTF(f, a)
#endif

/* ---- addresses (spf_addr.c) ------------------------------------------- */

/* Strict dotted quad, no leading zeros (RFC 7208 ip4-network); s[0..n).
 * Returns 0 or -1. */
int sd_spf_ip4_parse(const char *s, size_t n, unsigned char out[4]);
/* IPv6 text (RFC 4291 2.2), s[0..n). Returns 0 or -1. */
int sd_spf_ip6_parse(const char *s, size_t n, unsigned char out[16]);
/* Do the first bits of a and b agree? (bytes: 4 or 16) */
int sd_spf_prefix_match(const unsigned char *a, const unsigned char *b, int bits);
/* %{i}: dotted quad, or 32 dot-separated lower-case nibbles for IPv6. */
void sd_spf_ip_dotted(const sd_spf_ip *ip, char out[72]);
/* %{c}: dotted quad, or RFC 5952 text for IPv6. */
void sd_spf_ip_text(const sd_spf_ip *ip, char out[48]);
/* The PTR query name: "4.3.2.1.in-addr.arpa" or "...ip6.arpa". */
void sd_spf_ip_reverse(const sd_spf_ip *ip, char out[80]);
/* Does an answer record hold ip? (A for IPv4, AAAA for IPv6) */
int sd_spf_rr_is_ip(const sd_dns_rr *rr, const sd_spf_ip *ip);

/* ---- records (spf_parse.c) -------------------------------------------- */

typedef enum sd_spf_kind {
	SD_SPF_T_ALL = 1,
	SD_SPF_T_INCLUDE,
	SD_SPF_T_A,
	SD_SPF_T_MX,
	SD_SPF_T_PTR,
	SD_SPF_T_IP4,
	SD_SPF_T_IP6,
	SD_SPF_T_EXISTS,
	SD_SPF_T_REDIRECT,   /* modifiers from here on */
	SD_SPF_T_EXP,
	SD_SPF_T_UNKNOWN_MOD,
} sd_spf_kind;

typedef struct sd_spf_term {
	sd_spf_kind kind;
	char qualifier;          /* '+', '-', '~', '?' ('+' when not written);
				  * 0 for modifiers */
	const char *text;        /* the term as written, NUL-terminated */
	size_t offset;           /* where it starts in the record */
	const char *spec;        /* domain-spec, or an unknown modifier's
				  * macro-string; NULL when not written */
	int cidr4, cidr6;        /* prefix lengths; 32 and 128 when not written */
	unsigned char net[16];   /* ip4: 4 bytes, ip6: 16 */
} sd_spf_term;

typedef struct sd_spf_record {
	sd_spf_term *terms;
	size_t n;
	const sd_spf_term *redirect;  /* NULL when absent */
	const sd_spf_term *exp;
	int has_all;                  /* an "all" anywhere: redirect is ignored */
	int dns_terms;                /* DNS-querying terms, redirect included
				       * when it is not ignored */
} sd_spf_record;

typedef struct sd_spf_syntax {
	size_t offset;                /* of the offending byte in the record */
	size_t term_offset;           /* of the term that holds it */
	char term[80];                /* that term (printable, maybe cut) */
	char why[SD_SPF_WHY_MAX];
} sd_spf_syntax;

/* Does text[0..len) start with the version "v=spf1" (any case) followed
 * by a space or the end? (RFC 7208 4.5) */
int sd_spf_is_record(const char *text, size_t len);

/* Parse a record (version included). Returns 0, 1 on a syntax error (err
 * filled in; the whole record is checked before any evaluation, 4.6), -1
 * on no memory. Strings of out live in arena a. */
int sd_spf_record_parse(sd_arena *a, const char *text, size_t len, sd_spf_record *out,
			sd_spf_syntax *err);

/* Is the term one that causes DNS queries (4.6.4)? */
int sd_spf_term_queries(const sd_spf_term *t);
/* "all", "include", ..., "redirect", "exp", or the unknown modifier's text */
const char *sd_spf_kind_name(sd_spf_kind k);

/* A printable copy of text[0..len): bytes outside 0x20-0x7E as \xHH. */
char *sd_spf_printable(sd_arena *a, const char *text, size_t len);

/* ---- macros and names (spf_macro.c) ----------------------------------- */

typedef struct sd_spf_macro_env {
	const char *sender;         /* s */
	const char *local;          /* l */
	const char *sender_domain;  /* o */
	const char *domain;         /* d */
	const char *helo;           /* h */
	const char *receiver;       /* r (explanations only) */
	const sd_spf_ip *ip;        /* i, v, c */
	long long now;              /* t (explanations only) */
	/* p: the validated name of ip for domain (7.3), looked up when first
	 * needed; NULL function: "unknown" */
	const char *(*validated_name)(void *ctx, const char *domain);
	void *vctx;
} sd_spf_macro_env;

/* Check the macro-string syntax of s[0..n) (7.1). exp_text: 1 for the text
 * of an explanation (letters c, r, t and spaces allowed). Returns 0, or -1
 * with the offset of the problem and a reason. */
int sd_spf_macro_check(const char *s, size_t n, int exp_text, size_t *err_off,
		       char *why, size_t whylen);
/* Check a domain-spec: a macro-string ending in a macro-expand or in "."
 * toplabel ["."] (7.1). Returns 0, or -1 with offset and reason. */
int sd_spf_domain_spec_check(const char *s, size_t n, size_t *err_off, char *why,
			     size_t whylen);
/* Expand a checked macro-string into out (appended). Returns 0, or -1 when
 * the expansion does not fit SD_SPF_MAX_EXPAND or on no memory. */
int sd_spf_macro_expand(const sd_spf_macro_env *env, const char *s, int exp_text, sd_buf *out);
/* Make an expanded domain-spec a target-name: drop one final dot, then
 * whole labels from the left until at most 253 bytes are left (7.3). */
void sd_spf_name_trim(sd_buf *b);
/* NULL when name is a usable DNS name (no empty label, labels of at most
 * 63 bytes, at most 253 bytes; with initial, also several labels and a
 * plausible top label, 4.3); else a plain reason. */
const char *sd_spf_name_problem(const char *name, int initial);
/* Is the top label rule of 7.1 met by s[0..n)? */
int sd_spf_toplabel_ok(const char *s, size_t n);
/* Is name equal to dom or a name under it? (ASCII case folded, final dots
 * ignored) */
int sd_spf_name_under(const char *name, const char *dom);

/* ---- fetching a record (spf_fetch.c) ---------------------------------- */

typedef enum sd_spf_fetch_status {
	SD_SPF_FETCH_OK = 0,
	SD_SPF_FETCH_NONE,       /* no v=spf1 record (nodata, nxdomain, or
				  * only other TXT records) */
	SD_SPF_FETCH_VOID,       /* the same, the name or TXT set absent */
	SD_SPF_FETCH_MULTIPLE,   /* several v=spf1 records: permerror */
	SD_SPF_FETCH_DNS,        /* the lookup failed: temperror */
	SD_SPF_FETCH_NOMEM,
} sd_spf_fetch_status;

typedef struct sd_spf_fetched {
	sd_spf_fetch_status status;
	const char *text;           /* the record (may hold NULs), in the arena */
	size_t len;
	int count;                  /* v=spf1 records found */
	sd_dns_status dns;          /* the answer's status */
} sd_spf_fetched;

/* Look up domain's TXT records and select the SPF one (4.4, 4.5). */
void sd_spf_fetch(sd_dns_lookup_fn lookup, void *ctx, sd_arena *a, const char *domain,
		  sd_spf_fetched *out);

/* ---- reports (spf_report.c) ------------------------------------------- */

struct sd_spf_priv {
	sd_arena *arena;
	sd_spf_step *steps;       /* malloc'd, grown by sd_spf_step_add */
	size_t cap;
	sd_spf_issue *issues;     /* the same for the lint */
	size_t icap;
	struct sd_spf_lint_report *tree; /* owned by a report */
};

struct sd_spf_priv *sd_spf_priv_new(void);
void sd_spf_priv_free(struct sd_spf_priv *p);
/* arena copy of a formatted string; NULL on no memory */
char *sd_spf_fmt(sd_arena *a, const char *fmt, ...) SD_SPF_PRINTF(2, 3);
/* Append a step; 0, or -1 on no memory (a full trace only sets
 * steps_truncated). */
int sd_spf_step_add(sd_spf_report *r, sd_spf_step_kind kind, int depth, const char *domain,
		    const char *term, const char *detail, int lookups, int voids);

#endif
