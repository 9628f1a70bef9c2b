/*
 * dnscheck_dnsbl.c - is an address or a domain on a DNS blocklist?
 *
 * Entry points: sd_dnscheck_dnsbl_ip and sd_dnscheck_dnsbl_domain
 * (dnscheck.h), one item per zone.
 *
 * Queries follow RFC 5782: an IPv4 address as its four octets reversed
 * before the zone (2.1), an IPv6 address as its 32 nibbles reversed (2.4),
 * a domain as itself before the zone (2.2); the A record answers. NXDOMAIN
 * (or a name without A records) means not listed. An answer is decoded by
 * the zone's row in dnscheck_dnsbl_zones.c when smtpdoc knows the zone,
 * else by generic rules: 127.0.0.1 is never a listing (RFC 5782 5 reserves
 * it as the entry every list must leave out) and lists that answer every
 * query they refuse use it, 127.255.255.x is an error code, and an answer
 * outside 127/8 comes from a resolver that invents answers for missing
 * names; all three are "the list refused the query", never a listing.
 * Other 127/8 answers are listings. A timeout or server failure is
 * unknown. When an address or domain is listed, the TXT record at the same
 * name (the list's own explanation) is looked up once.
 */
#include <stdio.h>
#include <string.h>

#include "dnscheck_int.h"

#define SD_DNSBL_MAX_ZONES 32   /* zones checked per call */
#define SD_DNSBL_MAX_ANSWERS 8  /* A records decoded per answer */

/* sd_dnsbl_decode - the kind of one answer address and its meaning */
static int
sd_dnsbl_decode(const sd_dnsbl_zone *z, const unsigned char a[4], char *meaning, size_t msz)
{
	const sd_dnsbl_code *c;
	int kind = 0;

	if (a[0] != 127) {
		sd_dc_fmt(meaning, msz, "the answer %u.%u.%u.%u is not a blocklist code: the "
			  "resolver seems to invent answers for names that do not exist", a[0], a[1],
			  a[2], a[3]);
		return SD_DNSBL_REFUSED;
	}
	for (c = z != NULL ? z->codes : NULL; c != NULL && c->meaning != NULL; c++) {
		if (memcmp(c->addr, a, 4) == 0) {
			sd_dc_fmt(meaning, msz, "%s", c->meaning);
			return c->kind;
		}
	}
	if (z != NULL && z->bitmask && a[1] == 0 && a[2] == 0 && a[3] > 1) {
		/* a set of bits: the worst listing among them */
		meaning[0] = '\0';
		for (c = z->codes; c->meaning != NULL; c++) {
			if (c->kind == SD_DNSBL_REFUSED || (a[3] & c->addr[3]) == 0)
				continue;
			if (kind == 0 || c->kind < kind) {
				kind = c->kind;
				sd_dc_fmt(meaning, msz, "%s", c->meaning);
			}
		}
		if (kind != 0)
			return kind;
	}
	if (a[1] == 0 && a[2] == 0 && a[3] == 1) {
		sd_dc_fmt(meaning, msz, "127.0.0.1 is never a listing; lists answer it when they "
			  "refuse a query");
		return SD_DNSBL_REFUSED;
	}
	if (a[1] == 255 && a[2] == 255) {
		sd_dc_fmt(meaning, msz, "127.255.255.%u is an error code of the list, not a "
			  "listing", a[3]);
		return SD_DNSBL_REFUSED;
	}
	sd_dc_fmt(meaning, msz, "listed (answer %u.%u.%u.%u)", a[0], a[1], a[2], a[3]);
	return SD_DNSBL_LISTED;
}

/* sd_dnsbl_txt - the list's explanation at qname, as a detail */
static int
sd_dnsbl_txt(sd_dns_lookup_fn lookup, void *lctx, const char *qname, sd_check_item *it)
{
	sd_dns_answer *t = sd_dc_lookup(lookup, lctx, qname, SD_DNS_TXT);
	size_t i;

	if (t == NULL)
		return -1;
	for (i = 0; t->status == SD_DNS_OK && i < t->n; i++)
		if (t->rr[i].type == SD_DNS_TXT && t->rr[i].text != NULL) {
			sd_check_item_detail_text(it, "list_says", t->rr[i].text, t->rr[i].text_len);
			break;
		}
	sd_dns_answer_free(t);
	return 0;
}

/* sd_dnsbl_one - look what (an IP in text or a domain) up in one zone */
static smtpdoc_status
sd_dnsbl_one(sd_dns_lookup_fn lookup, void *lctx, const char *what, const char *qname,
	     const char *zone, int domain, sd_check_list *out)
{
	const sd_dnsbl_zone *z = sd_dc_dnsbl_find(zone);
	const char *list = z != NULL ? z->name : zone;
	char subject[SD_DNSCHECK_NAME_MAX * 2 + 8], meaning[200], listed[200], refused[200];
	sd_check_item *it;
	sd_dns_answer *a;
	size_t i, nans = 0;
	int worst = 0, pbl = 0;

	it = sd_check_list_add(out, domain ? "dnsbl.domain" : "dnsbl.ip", SD_CHECK_PASS);
	if (it == NULL)
		return SMTPDOC_ENOMEM;
	sd_dc_fmt(subject, sizeof(subject), "%s on %s", what, zone);
	sd_check_item_subject(it, subject);
	sd_check_item_detail(it, "zone", "%s", zone);
	sd_check_item_detail(it, "query", "%s", qname);
	a = sd_dc_lookup(lookup, lctx, qname, SD_DNS_A);
	if (a == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dc_temporary(a->status)) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_detail(it, "dns", "%s", sd_dns_status_name(a->status));
		sd_check_item_summary(it, "Whether %s is on %s is unknown: %s. Try again later.", what,
				      list, sd_dc_status_words(a->status));
		goto done;
	}
	listed[0] = refused[0] = '\0';
	for (i = 0; a->status == SD_DNS_OK && i < a->n && nans < SD_DNSBL_MAX_ANSWERS; i++) {
		const unsigned char *b = a->rr[i].addr;
		int kind;

		if (a->rr[i].type != SD_DNS_A)
			continue;
		nans++;
		kind = sd_dnsbl_decode(z, b, meaning, sizeof(meaning));
		sd_check_item_detail(it, "answer", "%u.%u.%u.%u: %s", b[0], b[1], b[2], b[3],
				     meaning);
		if (kind == SD_DNSBL_REFUSED) {
			if (refused[0] == '\0')
				sd_dc_fmt(refused, sizeof(refused), "%s", meaning);
		} else if (worst == 0 || kind < worst) {
			worst = kind;
			sd_dc_fmt(listed, sizeof(listed), "%s", meaning);
		}
		if (z != NULL && !domain && b[1] == 0 && b[2] == 0 && (b[3] == 10 || b[3] == 11) &&
		    strcmp(z->zone, "zen.spamhaus.org") == 0)
			pbl = 1;
	}
	if (nans == 0) {
		sd_check_item_summary(it, "%s is not on %s.", what, list);
		goto done;
	}
	if (refused[0] != '\0') {
		/* an error answer beside a listing makes the listing untrustworthy too */
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "%s could not be checked: the list refused the query (your "
				      "resolver is blocked or over its limit): %s.", list, refused);
		sd_check_item_fix(it, "Run the check through your own resolver (a local unbound or "
				  "the server's own), not a public one such as 8.8.8.8 or 1.1.1.1; "
				  "--resolver chooses it.");
		if (z != NULL && z->lookup != NULL)
			sd_check_item_fix(it, "Or look %s up by hand at %s.", what, z->lookup);
		goto done;
	}
	it->status = worst == SD_DNSBL_LISTED ? SD_CHECK_FAIL : SD_CHECK_WARN;
	sd_check_item_detail(it, "meaning", "%s", listed);
	sd_check_item_cause(it, "sender.blocklisted");
	if (domain)
		sd_check_item_summary(it, "%s is on the blocklist %s (%s). Servers that use this "
				      "list refuse mail from the domain or with links to it.", what,
				      list, listed);
	else
		sd_check_item_summary(it, "%s is on the blocklist %s (%s). Servers that use this "
				      "list refuse mail sent from this address.", what, list, listed);
	if (domain)
		sd_check_item_bounce(it, "554 5.7.1 Service unavailable; Sender address [%s] blocked "
				     "using %s", what, zone);
	else
		sd_check_item_bounce(it, "554 5.7.1 Service unavailable; Client host [%s] blocked "
				     "using %s", what, zone);
	if (pbl)
		sd_check_item_fix(it, "This range is not meant to send mail directly: send through "
				  "your provider's mail server (port 587, with login), or, if %s is a "
				  "real mail server with a fixed address, ask for removal from the PBL "
				  "at https://check.spamhaus.org/.", what);
	else
		sd_check_item_fix(it, "First find and stop the cause: a computer with malware, a "
				  "stolen mail password, or a website script sending spam; removal "
				  "does not last otherwise.");
	sd_check_item_fix(it, "Look %s up at %s for the reason and the removal form.", what,
			  z != NULL && z->lookup != NULL ? z->lookup : "the list's website");
	if (sd_dnsbl_txt(lookup, lctx, qname, it) < 0) {
		sd_dns_answer_free(a);
		return SMTPDOC_ENOMEM;
	}
done:
	sd_dns_answer_free(a);
	return SMTPDOC_OK;
}

/* sd_dnsbl_zone_ok - a zone name usable in a query; *norm gets it */
static int
sd_dnsbl_zone_ok(const char *zone, char norm[SD_DNSCHECK_NAME_MAX])
{
	return zone != NULL && sd_dnscheck_domain_norm(zone, norm) == 0 && strchr(norm, '.') != NULL;
}

/* sd_dnsbl_bad_zone - an item for a zone name that cannot be used */
static smtpdoc_status
sd_dnsbl_bad_zone(const char *id, const char *zone, sd_check_list *out)
{
	sd_check_item *it = sd_check_list_add(out, id, SD_CHECK_UNKNOWN);
	char shown[80];

	if (it == NULL)
		return SMTPDOC_ENOMEM;
	sd_dc_printable(zone ? zone : "", zone ? strlen(zone) : 0, 64, shown, sizeof(shown));
	sd_check_item_summary(it, "\"%s\" is not a blocklist zone name that can be looked up.",
			      shown);
	return SMTPDOC_OK;
}

smtpdoc_status
sd_dnscheck_dnsbl_ip(sd_dns_lookup_fn lookup, void *lctx, const char *ip,
		     const char *const *zones, size_t nzones, sd_check_list *out)
{
	char text[64], zone[SD_DNSCHECK_NAME_MAX], qname[SD_DNSCHECK_NAME_MAX + 80];
	sd_dc_ip addr;
	size_t i;
	smtpdoc_status st;

	if (sd_dc_ip_parse(ip, &addr) < 0) {
		sd_check_item *it = sd_check_list_add(out, "dnsbl.ip", SD_CHECK_FAIL);

		if (it == NULL)
			return SMTPDOC_ENOMEM;
		sd_dc_printable(ip ? ip : "", ip ? strlen(ip) : 0, 60, text, sizeof(text));
		sd_check_item_summary(it, "\"%s\" is not an IP address.", text);
		return SMTPDOC_EINVAL;
	}
	sd_dc_ip_format(&addr, text, sizeof(text));
	if (zones == NULL || nzones == 0) {
		zones = sd_dnscheck_dnsbl_ip_zones;
		for (nzones = 0; zones[nzones] != NULL; nzones++)
			;
	}
	for (i = 0; i < nzones && i < SD_DNSBL_MAX_ZONES; i++) {
		const sd_dnsbl_zone *z;

		if (!sd_dnsbl_zone_ok(zones[i], zone) || strlen(zone) > 180) {
			st = sd_dnsbl_bad_zone("dnsbl.ip", zones[i], out);
			if (st != SMTPDOC_OK)
				return st;
			continue;
		}
		z = sd_dc_dnsbl_find(zone);
		if (z != NULL && z->domains)
			continue; /* a domain list: nothing to ask it about an address */
		if (addr.family == 6 && z != NULL && !z->ipv6)
			continue; /* the list has no IPv6 entries */
		if (sd_dnscheck_reverse_name(text, zone, qname, sizeof(qname)) == 0)
			continue;
		st = sd_dnsbl_one(lookup, lctx, text, qname, zone, 0, out);
		if (st != SMTPDOC_OK)
			return st;
	}
	return sd_check_list_status(out);
}

smtpdoc_status
sd_dnscheck_dnsbl_domain(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
			 const char *const *zones, size_t nzones, sd_check_list *out)
{
	char dom[SD_DNSCHECK_NAME_MAX], zone[SD_DNSCHECK_NAME_MAX], qname[SD_DNSCHECK_NAME_MAX * 2];
	size_t i;
	smtpdoc_status st;

	if (sd_dnscheck_domain_norm(domain, dom) < 0) {
		sd_check_item *it = sd_check_list_add(out, "dnsbl.domain", SD_CHECK_FAIL);

		if (it == NULL)
			return SMTPDOC_ENOMEM;
		sd_check_item_summary(it, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	if (zones == NULL || nzones == 0) {
		zones = sd_dnscheck_dnsbl_domain_zones;
		for (nzones = 0; zones[nzones] != NULL; nzones++)
			;
	}
	for (i = 0; i < nzones && i < SD_DNSBL_MAX_ZONES; i++) {
		const sd_dnsbl_zone *z;

		if (!sd_dnsbl_zone_ok(zones[i], zone)) {
			st = sd_dnsbl_bad_zone("dnsbl.domain", zones[i], out);
			if (st != SMTPDOC_OK)
				return st;
			continue;
		}
		z = sd_dc_dnsbl_find(zone);
		if (z != NULL && !z->domains)
			continue; /* an address list */
		if (sd_dc_fmt(qname, sizeof(qname), "%s.%s", dom, zone) < 0 || strlen(qname) > 253) {
			sd_check_item *it = sd_check_list_add(out, "dnsbl.domain", SD_CHECK_UNKNOWN);

			if (it == NULL)
				return SMTPDOC_ENOMEM;
			sd_check_item_summary(it, "%s is too long to be looked up in %s.", dom, zone);
			continue;
		}
		st = sd_dnsbl_one(lookup, lctx, dom, qname, zone, 1, out);
		if (st != SMTPDOC_OK)
			return st;
	}
	return sd_check_list_status(out);
}
