/*
 * dnscheck_ptr.c - reverse DNS of an IP address, confirmed forward.
 *
 * Entry point: sd_dnscheck_ptr (dnscheck.h), one "rdns.ptr" item.
 *
 * The PTR records of the address's reverse name (RFC 1035 3.5 for IPv4,
 * RFC 3596 2.5 for IPv6, built by sd_dnscheck_reverse_name) are looked up;
 * then the A (or AAAA) records of each PTR name, at most SD_PTR_MAX_NAMES,
 * which must include the address: "forward-confirmed reverse DNS", which
 * receivers such as Gmail require of the sending address (550 5.7.25).
 * A confirmed name that looks like one given to a whole range of home or
 * dynamic addresses (it holds the address's numbers, or words such as
 * dynamic, dsl, pool) is a warning: many receivers score it as spam. The
 * word list is data, below; matching is on whole words of the name.
 */
#include <stdlib.h>
#include <string.h>

#include "dnscheck_int.h"

#define SD_PTR_MAX_NAMES 8

/* Words that mark names handed out to whole address ranges. */
static const char *const sd_ptr_generic_words[] = {
	"dynamic", "dyn", "dhcp", "dsl", "adsl", "vdsl", "xdsl", "pool", "ppp", "pppoe",
	"dial", "dialup", "dialin", "cable", "broadband", "cpe", "residential", "client",
	"clients", "customer", "cust", "unassigned", "nat", NULL,
};

/* sd_ptr_tokens - the numbers in name: decimal runs (as decimal) or, for
 * IPv6, alphanumeric runs that are hex (as hex); at most max */
static size_t
sd_ptr_tokens(const char *name, int hex, unsigned long *tok, size_t *len, size_t max)
{
	size_t n = 0, i = 0, L = strlen(name);

	while (i < L && n < max) {
		size_t s = i;
		unsigned long v = 0;
		int ok = 1;

		if (!sd_isalnum((unsigned char)name[i])) {
			i++;
			continue;
		}
		if (!hex) {
			if (!sd_isdigit((unsigned char)name[i])) {
				i++;
				continue;
			}
			while (i < L && sd_isdigit((unsigned char)name[i])) {
				if (i - s < 12)
					v = v * 10 + (unsigned long)(name[i] - '0');
				i++;
			}
		} else {
			while (i < L && sd_isalnum((unsigned char)name[i])) {
				int c = sd_tolower((unsigned char)name[i]);

				if (sd_isdigit(c))
					v = v * 16 + (unsigned long)(c - '0');
				else if (c >= 'a' && c <= 'f')
					v = v * 16 + (unsigned long)(c - 'a' + 10);
				else
					ok = 0;
				i++;
			}
			if (i - s > 4)
				ok = 0;
		}
		if (!ok)
			continue;
		tok[n] = v;
		len[n] = i - s;
		n++;
	}
	return n;
}

/* sd_ptr_generic - why name looks generic for ip, or NULL */
static const char *
sd_ptr_generic(const char *name, const sd_dc_ip *ip, char *why, size_t whysz)
{
	unsigned long tok[64], want[8];
	size_t len[64], n, i, k, nw;
	const char *p = name;

	/* whole words */
	while (*p != '\0') {
		const char *s;

		while (*p != '\0' && !sd_isalpha((unsigned char)*p))
			p++;
		s = p;
		while (sd_isalpha((unsigned char)*p))
			p++;
		for (k = 0; p > s && sd_ptr_generic_words[k] != NULL; k++)
			if (sd_dc_eq_nocase(s, (size_t)(p - s), sd_ptr_generic_words[k])) {
				sd_dc_fmt(why, whysz, "the name has the word \"%s\"",
					  sd_ptr_generic_words[k]);
				return why;
			}
	}
	/* the address's numbers, in order or reversed */
	if (ip->family == 4) {
		nw = 4;
		for (i = 0; i < 4; i++)
			want[i] = ip->b[i];
	} else {
		nw = 8;
		for (i = 0; i < 8; i++)
			want[i] = (unsigned long)ip->b[2 * i] << 8 | ip->b[2 * i + 1];
	}
	n = sd_ptr_tokens(name, ip->family == 6, tok, len, 64);
	for (i = 0; ip->family == 4 && i < n; i++) {
		/* 192168001002: the four octets as one zero-padded number */
		if (len[i] == 12 && tok[i] == ((want[0] * 1000 + want[1]) * 1000 + want[2]) * 1000 +
						  want[3]) {
			sd_dc_fmt(why, whysz, "the name holds the address's numbers");
			return why;
		}
	}
	for (i = 0; i + 4 <= n; i++) {
		size_t start;

		for (start = 0; start + 4 <= nw; start++) {
			int fwd = 1, rev = ip->family == 4;

			for (k = 0; k < 4; k++) {
				if (tok[i + k] != want[start + k])
					fwd = 0;
				if (tok[i + k] != want[3 - k])
					rev = 0;
			}
			if (fwd || rev) {
				sd_dc_fmt(why, whysz, "the name holds the address's numbers");
				return why;
			}
		}
	}
	return NULL;
}

/* sd_ptr_fail_text - the bounce of a missing or unconfirmed PTR */
static void
sd_ptr_bounce(sd_check_item *it, const char *ip)
{
	sd_check_item_cause(it, "sender.no-ptr");
	sd_check_item_bounce(it, "550 5.7.25 [%s] The IP address sending this message does not "
			     "have a PTR record setup, or the corresponding forward DNS entry does "
			     "not point to the sending IP.", ip);
}

smtpdoc_status
sd_dnscheck_ptr(sd_dns_lookup_fn lookup, void *lctx, const char *ip, const char *host,
		sd_check_list *out)
{
	char text[64], rev[128], who[SD_DNSCHECK_NAME_MAX + 96], confirmed[SD_DNSCHECK_NAME_MAX];
	char why[96], first[SD_DNSCHECK_NAME_MAX], shown_host[SD_DNSCHECK_NAME_MAX];
	sd_dns_answer *a;
	sd_check_item *it;
	sd_dc_ip addr;
	size_t i, names = 0;
	int temporary = 0;
	sd_check_status bad = host != NULL ? SD_CHECK_WARN : SD_CHECK_FAIL;

	it = sd_check_list_add(out, "rdns.ptr", SD_CHECK_PASS);
	if (it == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dc_ip_parse(ip, &addr) < 0) {
		it->status = SD_CHECK_FAIL;
		sd_dc_printable(ip ? ip : "", ip ? strlen(ip) : 0, 60, text, sizeof(text));
		sd_check_item_summary(it, "\"%s\" is not an IP address.", text);
		return SMTPDOC_EINVAL;
	}
	sd_dc_ip_format(&addr, text, sizeof(text));
	sd_check_item_subject(it, text);
	if (host != NULL) {
		sd_dc_printable(host, strlen(host), 253, shown_host, sizeof(shown_host));
		sd_check_item_detail(it, "mx_host", "%s", shown_host);
		sd_dc_fmt(who, sizeof(who), "The address %s of the mail server %s", text, shown_host);
	} else {
		sd_dc_fmt(who, sizeof(who), "The sending address %s", text);
	}
	if (sd_dnscheck_reverse_name(text, NULL, rev, sizeof(rev)) == 0) {
		it->status = SD_CHECK_FAIL;
		return SMTPDOC_EINVAL;
	}
	sd_check_item_detail(it, "ptr_query", "%s", rev);
	a = sd_dc_lookup(lookup, lctx, rev, SD_DNS_PTR);
	if (a == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dc_temporary(a->status)) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "%s: its reverse DNS name could not be looked up: %s. Try "
				      "again later.", who, sd_dc_status_words(a->status));
		goto done;
	}
	confirmed[0] = first[0] = '\0';
	for (i = 0; a->status == SD_DNS_OK && i < a->n; i++) {
		char norm[SD_DNSCHECK_NAME_MAX];
		sd_dc_hostaddrs h;
		size_t k;

		if (a->rr[i].type != SD_DNS_PTR || a->rr[i].host == NULL)
			continue;
		if (names++ == SD_PTR_MAX_NAMES)
			break;
		if (sd_dnscheck_domain_norm(a->rr[i].host, norm) < 0) {
			sd_check_item_detail_text(it, "ptr", a->rr[i].host, strlen(a->rr[i].host));
			continue;
		}
		sd_check_item_detail(it, "ptr", "%s", norm);
		if (first[0] == '\0')
			memcpy(first, norm, strlen(norm) + 1);
		if (confirmed[0] != '\0')
			continue;
		if (sd_dc_host_addrs(lookup, lctx, norm, addr.family, &h) < 0) {
			sd_dns_answer_free(a);
			return SMTPDOC_ENOMEM;
		}
		if (h.temporary)
			temporary = 1;
		for (k = 0; k < h.n; k++)
			if (h.ip[k].family == addr.family &&
			    memcmp(h.ip[k].b, addr.b, addr.family == 4 ? 4 : 16) == 0)
				memcpy(confirmed, norm, strlen(norm) + 1);
	}
	if (names == 0) {
		it->status = bad;
		sd_check_item_summary(it, "%s has no reverse DNS name (PTR record). Gmail and many "
				      "other receivers refuse mail from such addresses.%s", who,
				      host != NULL ? " This matters if this server also sends mail." :
				      "");
		sd_ptr_bounce(it, text);
		sd_check_item_fix(it, "Ask whoever owns the address %s (your hosting company or "
				  "internet provider) to set its PTR record to your mail server's "
				  "name, such as mail.example.com; it cannot be set in your own "
				  "domain's DNS.", text);
		sd_check_item_fix(it, "Make sure that name has an %s record pointing back to %s.",
				  addr.family == 4 ? "A" : "AAAA", text);
		goto done;
	}
	if (confirmed[0] == '\0') {
		if (temporary) {
			it->status = SD_CHECK_UNKNOWN;
			sd_check_item_summary(it, "%s has the reverse name %s, but whether that name "
					      "leads back to it could not be looked up just now.", who,
					      first);
			goto done;
		}
		it->status = bad;
		sd_check_item_summary(it, "%s has the reverse name %s, but that name does not lead "
				      "back to %s, so receivers treat the address as having no "
				      "valid name.", who, first[0] ? first : "(unusable)", text);
		sd_ptr_bounce(it, text);
		sd_check_item_fix(it, "Add an %s record for %s pointing to %s, or have the PTR "
				  "record changed to a name that already does.",
				  addr.family == 4 ? "A" : "AAAA", first[0] ? first : "the name", text);
		goto done;
	}
	sd_check_item_detail(it, "confirmed_by", "%s", confirmed);
	if (sd_ptr_generic(confirmed, &addr, why, sizeof(why)) != NULL) {
		it->status = SD_CHECK_WARN;
		sd_check_item_detail(it, "generic", "%s", why);
		sd_check_item_summary(it, "%s has the reverse name %s, which looks like a name given "
				      "to a whole range of home or dynamic addresses (%s). Many "
				      "receivers treat mail from such names as spam.", who, confirmed,
				      why);
		sd_check_item_cause(it, "sender.no-ptr");
		sd_check_item_bounce(it, "550 5.7.1 Client host rejected: %s looks like a dynamic "
				     "address; send through your provider's mail server", confirmed);
		sd_check_item_fix(it, "Ask whoever owns %s to set its PTR record to your mail "
				  "server's own name (for example mail.yourdomain), with an %s record "
				  "of that name pointing back to it.", text,
				  addr.family == 4 ? "A" : "AAAA");
		goto done;
	}
	sd_check_item_summary(it, "%s has the reverse name %s, which leads back to it.", who,
			      confirmed);
done:
	sd_dns_answer_free(a);
	return sd_check_list_status(out);
}
