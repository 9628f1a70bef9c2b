/*
 * dns.h - DNS lookups for `smtpdoc verify` and `smtpdoc check`.
 *
 * One answer type for every lookup, and two ways to get answers:
 *
 *   - sd_dns_lookup_fn: a synchronous lookup function with a context. SPF
 *     evaluation and the DNS checks are written against it only, so tests
 *     can serve zone data from memory (the RFC 7208 suite) as well as from
 *     a real server.
 *   - sd_resolver: the real resolver (c-ares), usable synchronously
 *     (sd_resolver_lookup, which is an sd_dns_lookup_fn) or asynchronously
 *     from a poll() loop (sd_resolver_query and friends), for bulk verify.
 *
 * Statuses keep apart what callers must not confuse: a name that does not
 * exist, a name without records of the type asked, and a failure to get an
 * answer at all (try again later).
 *
 * Ownership: every sd_dns_answer returned is the caller's, freed with
 * sd_dns_answer_free(); its strings belong to it.
 */
#ifndef SMTPDOC_DNS_H
#define SMTPDOC_DNS_H

#include <poll.h>
#include <stddef.h>

typedef enum sd_dns_status {
	SD_DNS_OK = 0,     /* records of the type asked (n > 0) */
	SD_DNS_NODATA,     /* the name exists but has no record of that type */
	SD_DNS_NXDOMAIN,   /* the name does not exist */
	SD_DNS_SERVFAIL,   /* the server could not answer: try again later */
	SD_DNS_REFUSED,    /* the server refused the query */
	SD_DNS_TIMEOUT,    /* no answer in time */
	SD_DNS_ERROR,      /* anything else: bad name, malformed answer, no memory */
} sd_dns_status;

/* Record types, as numbered on the wire. */
enum {
	SD_DNS_A = 1,
	SD_DNS_NS = 2,
	SD_DNS_CNAME = 5,
	SD_DNS_PTR = 12,
	SD_DNS_MX = 15,
	SD_DNS_TXT = 16,
	SD_DNS_AAAA = 28,
};

typedef struct sd_dns_rr {
	int type;
	unsigned ttl;
	unsigned pref;           /* MX: preference */
	char *host;              /* MX exchange, CNAME/PTR/NS target; no final dot */
	char *text;              /* TXT: the record's strings concatenated without
				  * separators (RFC 7208 3.3); may hold NULs */
	size_t text_len;
	unsigned char addr[16];  /* A: 4 bytes, AAAA: 16 */
} sd_dns_rr;

typedef struct sd_dns_answer {
	sd_dns_status status;
	char *cname;             /* the canonical name when the name asked was an
				  * alias (a CNAME chain was followed), else NULL */
	size_t n;
	sd_dns_rr *rr;
	/* MX answers only: addresses of the exchanges that the server sent
	 * along in the additional section (RFC 1035 4.1, RFC 5321 5.1), each
	 * an A or AAAA record with host = the exchange it belongs to. They
	 * save a lookup per exchange; a caller may always look up instead. */
	size_t nextra;
	sd_dns_rr *extra;
} sd_dns_answer;

/* A new answer with the given status and no records; NULL on no memory. */
sd_dns_answer *sd_dns_answer_new(sd_dns_status status);
void sd_dns_answer_free(sd_dns_answer *a);
/* "ok", "nodata", "nxdomain", "servfail", "refused", "timeout", "error" */
const char *sd_dns_status_name(sd_dns_status s);

/* A synchronous lookup: a new answer for name and type (never NULL but on
 * no memory). */
typedef sd_dns_answer *(*sd_dns_lookup_fn)(void *ctx, const char *name, int type);

/* ---- the real resolver (dns.c, c-ares) -------------------------------- */

typedef struct sd_resolver sd_resolver;

/* A resolver. server: NULL for the system's (/etc/resolv.conf), or
 * "ADDR", "ADDR:PORT", "[ADDR6]:PORT" to send every query there (the
 * --resolver option). timeout_ms per try, tries attempts. NULL on error,
 * with a one-line reason in err. */
sd_resolver *sd_resolver_new(const char *server, int timeout_ms, int tries, char *err, size_t errlen);
void sd_resolver_free(sd_resolver *r);

/* Synchronous lookup; r is an sd_resolver *. Matches sd_dns_lookup_fn. */
sd_dns_answer *sd_resolver_lookup(void *r, const char *name, int type);

/* Asynchronous lookup: cb is called from sd_resolver_process() (or from
 * sd_resolver_free(), with an SD_DNS_ERROR answer) and owns the answer.
 * Returns 0, or -1 when the query could not be started. */
typedef void (*sd_dns_cb)(void *ctx, sd_dns_answer *ans);
int sd_resolver_query(sd_resolver *r, const char *name, int type, sd_dns_cb cb, void *ctx);
/* For a poll() loop: fill at most max pollfds with the resolver's sockets
 * and return how many; the longest the loop may sleep before calling
 * sd_resolver_process (at most max_ms; -1 when nothing is pending). */
int sd_resolver_pollfds(sd_resolver *r, struct pollfd *fds, int max);
int sd_resolver_timeout_ms(sd_resolver *r, int max_ms);
/* Handle what poll() reported for those pollfds (and timeouts). */
void sd_resolver_process(sd_resolver *r, const struct pollfd *fds, int n);
/* Queries started and not yet answered. */
size_t sd_resolver_pending(const sd_resolver *r);
/* Queries sent so far (for the bulk benchmark's "one per domain"). */
unsigned long sd_resolver_queries(const sd_resolver *r);

#endif
