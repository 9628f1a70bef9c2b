/*
 * dnscheck.h - checklist items, and the DNS-record checks of `smtpdoc check`
 * other than SPF.
 *
 * The item. Every check of `smtpdoc check` (the DNS ones here, SPF, the SMTP
 * probe, the port checks) reports sd_check_item values, so the command can
 * print them all the same way: an id naming the kind of check, the subject
 * it was run on, a status, a summary for someone who is not a mail
 * administrator, machine-readable details, the catalog cause the problem
 * leads to, an example of the bounce it produces, and the steps that fix it.
 *
 * Ownership. An sd_check_list is the caller's struct (zero it, or use
 * SD_CHECK_LIST_INIT); the items in it, and every string of an item, belong
 * to the list and are released by sd_check_list_free(). Item pointers stay
 * valid until then (items are allocated one by one). A standalone item from
 * sd_check_item_new() is freed with sd_check_item_free().
 *
 * The checks. Each one takes a synchronous lookup function and its context
 * (dns.h; the real resolver is sd_resolver_lookup with an sd_resolver *),
 * appends one or more items to a list and returns SMTPDOC_OK,
 * SMTPDOC_EINVAL (an argument is not usable: nothing was looked up, and an
 * item saying why was still added when the list was given) or
 * SMTPDOC_ENOMEM (the items added so far stay in the list). A DNS failure
 * is never an error of the call: it is an item with status
 * SD_CHECK_UNKNOWN. The checks never print and never exit.
 */
#ifndef SMTPDOC_DNSCHECK_H
#define SMTPDOC_DNSCHECK_H

#include <stddef.h>

#include "smtpdoc/smtpdoc.h"
#include "dns.h"

/* ---- the checklist item (dnscheck_item.c) ------------------------------ */

/* Ordered from good to bad, so the worst of several is the largest; UNKNOWN
 * ("could not be checked now") sorts between INFO and WARN on purpose: it is
 * not a problem found, but it is not a pass either. */
typedef enum sd_check_status {
	SD_CHECK_PASS = 0, /* as it should be */
	SD_CHECK_INFO,     /* nothing wrong; something worth knowing */
	SD_CHECK_UNKNOWN,  /* could not be checked now (DNS timeout, refusal) */
	SD_CHECK_WARN,     /* works, but weak or likely to cause trouble */
	SD_CHECK_FAIL,     /* wrong: mail bounces or is refused because of it */
} sd_check_status;

/* "pass", "info", "unknown", "warn", "fail" */
const char *sd_check_status_name(sd_check_status st);

typedef struct sd_check_kv {
	char *key;   /* short lower-case word: "record", "policy", "selector" */
	char *value; /* printable ASCII; record text is escaped and capped */
} sd_check_kv;

typedef struct sd_check_item {
	char *id;               /* kind of check: "dmarc.record", "mx.host", ... */
	char *subject;          /* what was checked: a domain, host or IP; or NULL */
	sd_check_status status;
	char *summary;          /* one or two plain sentences; never NULL once set */
	sd_check_kv *details;   /* in the order added; keys may repeat */
	size_t ndetails;
	char *cause;            /* catalog id (smtpdoc_cause_find), or NULL */
	char *bounce;           /* example reply this problem produces, or NULL */
	char **fix;             /* steps specific to this finding, in order */
	size_t nfix;
	int nomem;              /* some text could not be stored (no memory) */
} sd_check_item;

typedef struct sd_check_list {
	sd_check_item **v;
	size_t n, cap;
	int nomem;              /* an item could not be added (no memory) */
} sd_check_list;
#define SD_CHECK_LIST_INIT {NULL, 0, 0, 0}

/* A new item with a copy of id and the status; NULL on no memory. */
sd_check_item *sd_check_item_new(const char *id, sd_check_status st);
/* Free an item and all its strings; NULL is fine. */
void sd_check_item_free(sd_check_item *it);
/* Append a new item to the list and return it (owned by the list), or NULL
 * on no memory (then l->nomem is set). */
sd_check_item *sd_check_list_add(sd_check_list *l, const char *id, sd_check_status st);
/* Free every item of the list and reset it to empty; the struct itself is
 * the caller's. NULL is fine. */
void sd_check_list_free(sd_check_list *l);
/* The worst status in the list (SD_CHECK_PASS when empty). */
sd_check_status sd_check_list_worst(const sd_check_list *l);
/* The first item with this id (and this subject, unless subject is NULL),
 * or NULL. */
sd_check_item *sd_check_list_find(const sd_check_list *l, const char *id, const char *subject);
/* SMTPDOC_ENOMEM when the list or one of its items lost something for
 * lack of memory, else SMTPDOC_OK. */
smtpdoc_status sd_check_list_status(const sd_check_list *l);

/* Setters. Each copies its text; on no memory it sets it->nomem and
 * returns -1, else 0. Formatted text is printf-style; values that come
 * from DNS must go through sd_check_item_detail_text() (or be passed as
 * "%s" arguments of text already made printable). */
int sd_check_item_subject(sd_check_item *it, const char *subject);
int sd_check_item_summary(sd_check_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sd_check_item_cause(sd_check_item *it, const char *cause_id);
int sd_check_item_bounce(sd_check_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sd_check_item_fix(sd_check_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sd_check_item_detail(sd_check_item *it, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A detail whose value is raw bytes from DNS (may hold NULs, controls,
 * anything): bytes outside printable ASCII become \xHH and the value is
 * cut at SD_CHECK_MAX_VALUE bytes with "..." after it. */
int sd_check_item_detail_text(sd_check_item *it, const char *key, const char *text, size_t len);
/* Raise the status to st when st is worse (never lowers it). */
void sd_check_item_worsen(sd_check_item *it, sd_check_status st);

/* The items of l laid out as the public array (smtpdoc_check_item), which
 * points into l's strings: l must outlive it. Free the array with
 * sd_check_items_free (n = l->n). NULL on no memory. */
smtpdoc_check_item *sd_check_list_publish(const sd_check_list *l);
void sd_check_items_free(smtpdoc_check_item *items, size_t n);

#define SD_CHECK_MAX_VALUE 512 /* longest detail value from DNS text */

/* ---- the checks --------------------------------------------------------- */

/* MX sanity for domain (dnscheck_mx.c). Items:
 *   "mx.records" (subject domain): MX present (pass); none but an address
 *     record, so mail goes to the domain's own address (implicit MX, warn);
 *     no MX and no address, or the domain does not exist (fail); null MX,
 *     RFC 7505 (fail: the domain says it accepts no mail), or a null MX
 *     beside other MX records (fail); lookup failed (unknown).
 *   "mx.host" (subject the MX host), one per distinct host, at most
 *     SD_DNSCHECK_MAX_MX: has addresses (pass); an IP address written as a
 *     name (fail); an alias, CNAME (warn); no A/AAAA (fail, or warn when
 *     other MX hosts work); lookup failed (unknown).
 * Duplicate preferences are normal and only listed in the details.
 * When addrs is not NULL, the textual addresses of every MX host (or of
 * the domain itself under an implicit MX) are appended to it, without
 * repeats, for sd_dnscheck_ptr(); free it with sd_dnscheck_strs_free(). */
#define SD_DNSCHECK_MAX_MX 16
typedef struct sd_dnscheck_strs {
	char **v;
	size_t n, cap;
} sd_dnscheck_strs;
void sd_dnscheck_strs_free(sd_dnscheck_strs *s); /* frees the strings, resets s */
smtpdoc_status sd_dnscheck_mx(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
			      sd_check_list *out, sd_dnscheck_strs *addrs);

/* DMARC, RFC 7489 (dnscheck_dmarc.c). One item "dmarc.record" (subject
 * domain). Looks up _dmarc.DOMAIN, and when it holds no DMARC record, the
 * organisational domain's (sd_dnscheck_org_domain) as receivers do. Status:
 * a valid record with p=quarantine or p=reject (pass); p=none, pct below
 * 100, or fixable tag problems (warn); no record, several records (receivers
 * then ignore all of them), no valid p= (fail); lookup failed (unknown).
 * Details: record, found_at, policy, subdomain_policy, applies (the policy
 * that applies to domain itself), adkim, aspf, pct, rua, ruf, fo, rf, ri,
 * and one "problem" per problem found. External report addresses (rua/ruf
 * at another organisational domain) are checked for their authorisation
 * record, RFC 7489 7.1. */
smtpdoc_status sd_dnscheck_dmarc(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
				 sd_check_list *out);

/* DKIM keys, RFC 6376 3.6.1 (dnscheck_dkim.c). selectors: the ones to
 * look up (nsel > 0), or NULL/0 to try sd_dnscheck_dkim_common_selectors.
 * One item "dkim.key" (subject SELECTOR._domainkey.DOMAIN, detail
 * "selector") for every selector found, and for every given selector that
 * is not found (fail) or could not be looked up (unknown); key status:
 * usable RSA key of 2048 bits or more, or an Ed25519 key (pass); RSA 1024
 * to 2047 bits, t=y testing, several records (warn); revoked (empty p=),
 * shorter than 1024 bits, unreadable key, h= allowing only sha1, wrong v=
 * (fail). When guessing and no selector is found, one item "dkim.selectors"
 * (info) saying which were tried: DKIM selectors cannot be listed from DNS,
 * so this never means that DKIM is missing. */
smtpdoc_status sd_dnscheck_dkim(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
				const char *const *selectors, size_t nsel, sd_check_list *out);
extern const char *const sd_dnscheck_dkim_common_selectors[]; /* NULL-terminated */

/* MTA-STS, RFC 8461 3.1, and SMTP TLS reporting, RFC 8460 3
 * (dnscheck_sts.c). Items "mta-sts.record" and "tlsrpt.record" (subject
 * domain): one valid record (pass); none (info: both are optional); not
 * exactly one record starting with the version, or a syntax error (warn:
 * senders then act as if there were none); lookup failed (unknown). For a
 * valid MTA-STS record the policy host mta-sts.DOMAIN must have an address
 * (warn when not); the policy file itself, fetched over HTTPS, is not
 * checked (the details say so). */
smtpdoc_status sd_dnscheck_mta_sts(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
				   sd_check_list *out);
smtpdoc_status sd_dnscheck_tlsrpt(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
				  sd_check_list *out);

/* Reverse DNS of an IP address and its forward confirmation
 * (dnscheck_ptr.c). ip: IPv4 or IPv6 text. host: NULL for the address mail
 * is sent from (--ip), or the MX host the address belongs to (wording
 * only). One item "rdns.ptr" (subject ip): a PTR name whose A/AAAA records
 * include ip (pass); the same with a generic-looking name (holds the
 * address's digits, or words such as dynamic, dsl, pool: warn); no PTR, or
 * no PTR name leads back to ip (fail); lookups failed (unknown). Details:
 * ptr_query (the in-addr.arpa or ip6.arpa name), ptr (each name),
 * confirmed_by. */
smtpdoc_status sd_dnscheck_ptr(sd_dns_lookup_fn lookup, void *lctx, const char *ip,
			       const char *host, sd_check_list *out);

/* DNS blocklists (dnscheck_dnsbl.c, zones in dnscheck_dnsbl_zones.c).
 * sd_dnscheck_dnsbl_ip() looks ip up in each zone (RFC 5782: reversed
 * octets for IPv4, reversed nibbles for IPv6; zones that list no IPv6 are
 * skipped for an IPv6 address), sd_dnscheck_dnsbl_domain() looks domain up
 * in each domain zone. zones: names of zones to use, or NULL/0 for the
 * defaults (sd_dnscheck_dnsbl_ip_zones, sd_dnscheck_dnsbl_domain_zones). A
 * zone smtpdoc knows gets its answer codes decoded; any other is read by
 * the generic rules. One item "dnsbl.ip" or "dnsbl.domain" per zone
 * (subject "IP on ZONE"): NXDOMAIN or no A record, not listed (pass); a
 * listing code (fail, or warn for the codes a list calls informational);
 * an error code (Spamhaus's 127.255.255.x, 127.0.0.1 from lists that answer
 * every query they refuse) or an answer outside 127/8 (unknown: "the list
 * refused the query"), never a listing; timeout or server failure
 * (unknown). */
smtpdoc_status sd_dnscheck_dnsbl_ip(sd_dns_lookup_fn lookup, void *lctx, const char *ip,
				    const char *const *zones, size_t nzones, sd_check_list *out);
smtpdoc_status sd_dnscheck_dnsbl_domain(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
					const char *const *zones, size_t nzones,
					sd_check_list *out);
extern const char *const sd_dnscheck_dnsbl_ip_zones[];     /* NULL-terminated defaults */
extern const char *const sd_dnscheck_dnsbl_domain_zones[]; /* NULL-terminated defaults */

/* A domain this server delivers locally must have its MX records point at
 * this server (dnscheck_localmx.c). locals: this server's host names and
 * IP addresses (text), nlocals of them. One item "mx.local" (subject
 * domain): the most preferred MX (or, with no MX, the domain's own
 * address) is this server (pass); only a less preferred MX is (warn); no
 * MX is, so mail from elsewhere goes to another server while mail sent from
 * this one stays here (fail); null MX or no such domain (fail); lookups
 * failed (unknown). */
smtpdoc_status sd_dnscheck_local_mx(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
				    const char *const *locals, size_t nlocals,
				    sd_check_list *out);

/* ---- helpers other modules may want (dnscheck_names.c) ------------------ */

#define SD_DNSCHECK_NAME_MAX 256 /* a domain name, with room for the NUL */

/* Copy name into out lower-cased, without a final dot, after checking it
 * is a usable domain name (1 to 253 characters, labels of 1 to 63 bytes,
 * no spaces or controls). Returns 0, or -1 when it is not. */
int sd_dnscheck_domain_norm(const char *name, char out[SD_DNSCHECK_NAME_MAX]);

/* The organisational domain of domain (normalised), by an approximation of
 * the public suffix list: the last two labels, or the last three when the
 * last two are a well-known two-level public suffix (co.uk, com.au, ...;
 * the table is in dnscheck_names.c). Domains under suffixes the table does
 * not know, such as private registries, come out one label short or long.
 * Writes into out; returns 0, or -1 when domain is not a usable name. */
int sd_dnscheck_org_domain(const char *domain, char out[SD_DNSCHECK_NAME_MAX]);

/* The reverse-lookup name of an IP address, with the zone appended:
 * "4.3.2.1.in-addr.arpa" for 1.2.3.4 and zone "in-addr.arpa" (or NULL),
 * the 32 reversed nibbles then "ip6.arpa" for IPv6; with another zone (a
 * DNS blocklist) the same labels before that zone. An IPv4-mapped IPv6
 * address (::ffff:1.2.3.4) is treated as the IPv4 address. Returns 4 or
 * 6 (the family), or 0 when ip is not an address or the name does not
 * fit. */
int sd_dnscheck_reverse_name(const char *ip, const char *zone, char *out, size_t outsz);

#endif
