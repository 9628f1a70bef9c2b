/*
 * dnscheck_dnsbl_zones.c - the DNS blocklists smtpdoc knows, as data: each
 * zone's name, what it lists, and what its answer codes mean.
 *
 * Entry points: sd_dnscheck_dnsbl_ip_zones and sd_dnscheck_dnsbl_domain_zones
 * (the defaults, dnscheck.h) and sd_dc_dnsbl_find (dnscheck_int.h).
 *
 * The codes are those each list documents on its own site, in our words.
 * Lists answer 127.0.0.2 for a plain listing (RFC 5782 2.1, 5: 127.0.0.2
 * is every list's test entry). Spamhaus answers 127.255.255.252, .254 and
 * .255 instead of a listing when it refuses a query (a malformed query, a
 * query through a public or open resolver, too many queries); URIBL answers
 * 127.0.0.1 when it refuses one. Those are REFUSED, never listings. Any
 * other list, or a code not in its row, is read by the generic rules of
 * dnscheck_dnsbl.c (127.0.0.1 and answers outside 127/8 are refusals,
 * other 127/8 answers listings).
 *
 * Defaults: the IP lists most receivers use (Spamhaus ZEN, SpamCop,
 * Barracuda, PSBL, Mailspike) and the domain lists Spamhaus DBL and URIBL.
 */
#include <stddef.h>
#include <string.h>

#include "dnscheck_int.h"

#define SPAMHAUS_ERRORS                                                                  \
	{{127, 255, 255, 252}, SD_DNSBL_REFUSED,                                             \
	 "the list could not read the query (a typing error in the list's name)"},          \
	{{127, 255, 255, 254}, SD_DNSBL_REFUSED,                                             \
	 "the list refuses queries that come through a public or open resolver"},            \
	{{127, 255, 255, 255}, SD_DNSBL_REFUSED,                                             \
	 "the resolver sent the list more queries than its free use allows"}

static const sd_dnsbl_code sd_zen_codes[] = {
	{{127, 0, 0, 2}, SD_DNSBL_LISTED, "Spamhaus SBL: a known source of spam"},
	{{127, 0, 0, 3}, SD_DNSBL_LISTED, "Spamhaus CSS: the address sent spam recently"},
	{{127, 0, 0, 4}, SD_DNSBL_LISTED, "Spamhaus XBL: the address is infected or hijacked "
					  "(malware, a compromised machine or proxy)"},
	{{127, 0, 0, 5}, SD_DNSBL_LISTED, "Spamhaus XBL: the address is infected or hijacked"},
	{{127, 0, 0, 6}, SD_DNSBL_LISTED, "Spamhaus XBL: the address is infected or hijacked"},
	{{127, 0, 0, 7}, SD_DNSBL_LISTED, "Spamhaus XBL: the address is infected or hijacked"},
	{{127, 0, 0, 9}, SD_DNSBL_LISTED, "Spamhaus DROP: the network is run by spammers or "
					  "criminals"},
	{{127, 0, 0, 10}, SD_DNSBL_LISTED, "Spamhaus PBL: the network's owner says addresses "
					   "in this range should not send mail directly"},
	{{127, 0, 0, 11}, SD_DNSBL_LISTED, "Spamhaus PBL: this range is one Spamhaus found "
					   "should not send mail directly (home or dynamic "
					   "addresses)"},
	SPAMHAUS_ERRORS,
	{{0, 0, 0, 0}, 0, NULL},
};

static const sd_dnsbl_code sd_dbl_codes[] = {
	{{127, 0, 1, 2}, SD_DNSBL_LISTED, "Spamhaus DBL: a spam domain"},
	{{127, 0, 1, 4}, SD_DNSBL_LISTED, "Spamhaus DBL: a phishing domain"},
	{{127, 0, 1, 5}, SD_DNSBL_LISTED, "Spamhaus DBL: a malware domain"},
	{{127, 0, 1, 6}, SD_DNSBL_LISTED, "Spamhaus DBL: a botnet control domain"},
	{{127, 0, 1, 102}, SD_DNSBL_LISTED, "Spamhaus DBL: a legitimate domain abused for spam"},
	{{127, 0, 1, 103}, SD_DNSBL_LISTED, "Spamhaus DBL: a legitimate domain abused as a "
					    "redirector in spam"},
	{{127, 0, 1, 104}, SD_DNSBL_LISTED, "Spamhaus DBL: a legitimate domain abused for "
					    "phishing"},
	{{127, 0, 1, 105}, SD_DNSBL_LISTED, "Spamhaus DBL: a legitimate domain abused for "
					    "malware"},
	{{127, 0, 1, 106}, SD_DNSBL_LISTED, "Spamhaus DBL: a legitimate domain abused for "
					    "botnet control"},
	SPAMHAUS_ERRORS,
	{{0, 0, 0, 0}, 0, NULL},
};

static const sd_dnsbl_code sd_plain_codes[] = {
	{{127, 0, 0, 2}, SD_DNSBL_LISTED, "listed as a source of spam"},
	{{0, 0, 0, 0}, 0, NULL},
};

/* URIBL's answers are bits of the last octet; 127.0.0.1 is its refusal. */
static const sd_dnsbl_code sd_uribl_codes[] = {
	{{127, 0, 0, 1}, SD_DNSBL_REFUSED, "the list refuses queries from this resolver (a "
					   "public resolver, or too many queries)"},
	{{127, 0, 0, 2}, SD_DNSBL_LISTED, "URIBL black: a domain seen in spam"},
	{{127, 0, 0, 4}, SD_DNSBL_NOTED, "URIBL grey: a domain seen in bulk mail that some "
					 "people call spam"},
	{{127, 0, 0, 8}, SD_DNSBL_NOTED, "URIBL red: a new domain seen in mail, not yet "
					 "judged"},
	{{0, 0, 0, 0}, 0, NULL},
};

static const sd_dnsbl_zone sd_dnsbl_zones[] = {
	{"zen.spamhaus.org", "Spamhaus ZEN", 0, 1, 0, sd_zen_codes, "https://check.spamhaus.org/"},
	{"bl.spamcop.net", "SpamCop", 0, 0, 0, sd_plain_codes, "https://www.spamcop.net/bl.shtml"},
	{"b.barracudacentral.org", "Barracuda", 0, 0, 0, sd_plain_codes,
	 "https://www.barracudacentral.org/lookups"},
	{"psbl.surriel.com", "PSBL", 0, 0, 0, sd_plain_codes, "https://psbl.org/"},
	{"bl.mailspike.net", "Mailspike", 0, 0, 0, sd_plain_codes, NULL},
	{"dbl.spamhaus.org", "Spamhaus DBL", 1, 0, 0, sd_dbl_codes, "https://check.spamhaus.org/"},
	{"multi.uribl.com", "URIBL", 1, 0, 1, sd_uribl_codes, "https://admin.uribl.com/"},
};

const char *const sd_dnscheck_dnsbl_ip_zones[] = {
	"zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "psbl.surriel.com",
	"bl.mailspike.net", NULL,
};

const char *const sd_dnscheck_dnsbl_domain_zones[] = {
	"dbl.spamhaus.org", "multi.uribl.com", NULL,
};

const sd_dnsbl_zone *
sd_dc_dnsbl_find(const char *zone)
{
	size_t i;

	for (i = 0; zone != NULL && i < sizeof(sd_dnsbl_zones) / sizeof(sd_dnsbl_zones[0]); i++)
		if (sd_dc_eq_nocase(zone, strlen(zone), sd_dnsbl_zones[i].zone))
			return &sd_dnsbl_zones[i];
	return NULL;
}
