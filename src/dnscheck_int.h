/*
 * dnscheck_int.h - helpers shared by the dnscheck_*.c files only.
 *
 * sd_dc_tags_parse: the "tag=value; tag=value" lists of DKIM (RFC 6376
 * 3.2), DMARC, MTA-STS and TLS-RPT records, parsed in one pass into
 * pointers into the record text (nothing allocated). sd_dc_problems: the
 * problems a record parser found, each with the status it deserves.
 * sd_dc_lookup and friends: lookups through the caller's sd_dns_lookup_fn.
 * Two ASCII comparisons (the rest are internal.h's).
 */
#ifndef SMTPDOC_DNSCHECK_INT_H
#define SMTPDOC_DNSCHECK_INT_H

#include <stddef.h>
#include <netinet/in.h>

#include "internal.h"
#include "dnscheck.h"

/* ---- ASCII (the sd_is* helpers of internal.h) ------------------------ */
static inline int sd_dc_iswsp(int c) { return c == ' ' || c == '\t'; }
/* 1 when s[0..n) equals word, ASCII case folded (word is lower-case) */
int sd_dc_eq_nocase(const char *s, size_t n, const char *word);
/* 1 when s[0..n) equals word exactly */
int sd_dc_eq(const char *s, size_t n, const char *word);

/* Gmail's refusal of mail that passes neither SPF nor DKIM (aligned), the
 * example bounce of a missing DMARC record or an unusable DKIM key. */
#define SD_DC_BOUNCE_UNAUTHENTICATED                                              \
	"550 5.7.26 This mail has been blocked because the sender is "          \
	"unauthenticated. Gmail requires all senders to authenticate with "     \
	"either SPF or DKIM."

/* ---- tag lists ---------------------------------------------------------- */
#define SD_DC_MAX_TAGS 64

typedef struct sd_dc_tag {
	const char *name, *value; /* into the record text; value trimmed */
	size_t name_len, value_len;
	int spaced;               /* whitespace around the '=' */
} sd_dc_tag;

typedef struct sd_dc_tags {
	sd_dc_tag v[SD_DC_MAX_TAGS];
	size_t n;
} sd_dc_tags;

/* Parse text[0..len) as a tag list: tag-spec *(";" tag-spec) [";"],
 * tag-spec = [WSP] name [WSP] "=" [WSP] value [WSP], name = ALPHA
 * *(ALPHA / DIGIT / "_"), value bytes printable ASCII but ';' (and inner
 * whitespace). Empty specs (";;") are skipped. Returns 0, or -1 with a
 * plain sentence in err: a byte that cannot be there, a spec without '=',
 * a bad tag name, a repeated tag (case_fold: names compared ignoring case)
 * or more than SD_DC_MAX_TAGS tags. Linear in len. */
int sd_dc_tags_parse(const char *text, size_t len, int case_fold, sd_dc_tags *out, char *err,
		     size_t errlen);
/* The tag named name (case_fold as above), or NULL. */
const sd_dc_tag *sd_dc_tags_get(const sd_dc_tags *t, const char *name, int case_fold);

/* Does the record start with the version tag name=value (then the end,
 * whitespace or ';')? Returns 1 when it does exactly, with whitespace
 * allowed before the name and around '=' unless strict; 2 when it does
 * only if case and whitespace are ignored (a near miss worth reporting);
 * 0 otherwise. */
int sd_dc_version_prefix(const char *text, size_t len, const char *name, const char *value,
			 int strict);

/* ---- problems a parser found -------------------------------------------- */
#define SD_DC_MAX_PROBLEMS 16
#define SD_DC_PROBLEM_LEN 240

typedef struct sd_dc_problems {
	size_t n;
	sd_check_status worst;        /* SD_CHECK_PASS when n == 0 */
	sd_check_status status[SD_DC_MAX_PROBLEMS];
	char text[SD_DC_MAX_PROBLEMS][SD_DC_PROBLEM_LEN];
} sd_dc_problems;

/* Record one problem (the 17th and later only raise worst). */
void sd_dc_problem(sd_dc_problems *p, sd_check_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add a detail per problem to it ("problem", or "note" for one recorded
 * with SD_CHECK_PASS) and raise its status to the worst. */
void sd_dc_problems_to_item(const sd_dc_problems *p, sd_check_item *it);
/* Copy at most n bytes of s into out (size outsz) as printable ASCII
 * (others become '?'), cut with "..." when longer than max. */
void sd_dc_printable(const char *s, size_t n, size_t max, char *out, size_t outsz);

/* ---- lookups -------------------------------------------------------------- */
/* The answer for name/type, or NULL on no memory. A name that does not fit
 * a DNS name gives an SD_DNS_ERROR answer without a lookup. */
sd_dns_answer *sd_dc_lookup(sd_dns_lookup_fn lookup, void *lctx, const char *name, int type);
/* A DNS status that means "no answer now, try again" (servfail, refused,
 * timeout, error). */
int sd_dc_temporary(sd_dns_status st);
/* Plain words for a failed lookup: "the DNS server did not answer in
 * time", ... */
const char *sd_dc_status_words(sd_dns_status st);
/* snprintf that returns -1 when the text does not fit. */
int sd_dc_fmt(char *out, size_t outsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An IP address, binary. */
typedef struct sd_dc_ip {
	int family;              /* 4 or 6 */
	unsigned char b[16];     /* 4 or 16 bytes */
} sd_dc_ip;
/* Parse an IPv4 or IPv6 address (an IPv4-mapped IPv6 address becomes
 * IPv4; "[...]" brackets are accepted). Returns 0, or -1. */
int sd_dc_ip_parse(const char *text, sd_dc_ip *out);
/* The address as text into out (at least 46 bytes). */
void sd_dc_ip_format(const sd_dc_ip *ip, char *out, size_t outsz);
/* 1 when rr (an A or AAAA record) holds ip. */
int sd_dc_rr_is_ip(const sd_dns_rr *rr, const sd_dc_ip *ip);

/* The addresses of a host name: A and AAAA lookups (families: 4, 6, or
 * 0 for both). */
#define SD_DC_MAX_ADDRS 16
typedef struct sd_dc_hostaddrs {
	size_t n;                 /* addresses found, at most SD_DC_MAX_ADDRS */
	sd_dc_ip ip[SD_DC_MAX_ADDRS];
	int alias;                /* the name is an alias (CNAME) */
	char target[SD_DNSCHECK_NAME_MAX]; /* its canonical name, printable */
	int temporary;            /* a lookup failed for now */
	int nxdomain;             /* the name does not exist */
} sd_dc_hostaddrs;
/* Returns 0, or -1 on no memory. */
int sd_dc_host_addrs(sd_dns_lookup_fn lookup, void *lctx, const char *host, int families,
		     sd_dc_hostaddrs *out);

/* ---- DNS blocklists (table in dnscheck_dnsbl_zones.c) ------------------ */
enum {
	SD_DNSBL_LISTED = 1, /* a listing: mail is refused where the list is used */
	SD_DNSBL_NOTED,      /* a listing the list calls informational (warn) */
	SD_DNSBL_REFUSED,    /* an error answer: the list refused the query */
};

typedef struct sd_dnsbl_code {
	unsigned char addr[4]; /* the answer, 127.x.y.z */
	int kind;              /* SD_DNSBL_* */
	const char *meaning;   /* plain words */
} sd_dnsbl_code;

typedef struct sd_dnsbl_zone {
	const char *zone;      /* "zen.spamhaus.org" */
	const char *name;      /* "Spamhaus ZEN" */
	int domains;           /* lists domain names, not addresses */
	int ipv6;              /* lists IPv6 addresses too */
	int bitmask;           /* the last octet is a set of bits, one per code */
	const sd_dnsbl_code *codes; /* NULL-terminated by meaning */
	const char *lookup;    /* where a person looks up and asks for removal */
} sd_dnsbl_zone;

/* The zone smtpdoc knows by that name (ASCII case folded), or NULL. */
const sd_dnsbl_zone *sd_dc_dnsbl_find(const char *zone);

/* Append a copy of s to the list unless it is there already; 0 or -1. */
int sd_dc_strs_add(sd_dnscheck_strs *s, const char *str);

/* ---- versioned TXT records (DMARC, MTA-STS, TLS-RPT) --------------------- */

/* The TXT records at a name that begin with v=VERSION. */
typedef struct sd_dc_found {
	sd_dns_answer *ans;   /* the caller frees it (sd_dns_answer_free) */
	size_t count;         /* records starting with v=VERSION */
	size_t index;         /* the first of them */
} sd_dc_found;

/* Look up the TXT records at name and count those beginning with
 * v=version (strict as for sd_dc_version_prefix); near misses become
 * warnings in pr, and, with note_others, other TXT records notes saying
 * they are not a kind ("DMARC") record. -1 on no memory. */
int sd_dc_fetch_versioned(sd_dns_lookup_fn lookup, void *lctx, const char *name, const char *kind,
			  const char *version, int strict, int note_others, sd_dc_found *f,
			  sd_dc_problems *pr);

#endif
