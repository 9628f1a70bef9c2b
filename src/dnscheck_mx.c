/*
 * dnscheck_mx.c - is the domain set up to receive mail? MX records
 * (RFC 5321 5.1), null MX (RFC 7505), implicit MX.
 *
 * Entry point: sd_dnscheck_mx (dnscheck.h). Adds "mx.records" for the
 * domain and one "mx.host" per distinct MX host (at most
 * SD_DNSCHECK_MAX_MX); optionally collects the MX hosts' addresses for the
 * reverse DNS check.
 *
 * Rules followed: an MX exchange must be a host name with address records,
 * not an alias (RFC 2181 10.3, RFC 5321 5.1) and not an IP address written
 * as a name; without MX records the domain's own A/AAAA records are the
 * mail host (implicit MX, RFC 5321 5.1); "MX 0 ." alone is a null MX, the
 * domain accepts no mail, and it must be the only MX record (RFC 7505 3).
 */
#include <string.h>

#include "dnscheck_int.h"

/* a host name of an MX record: "" or "." is the root (null MX) */
static int
sd_mx_is_root(const char *host)
{
	return host == NULL || host[0] == '\0' || strcmp(host, ".") == 0;
}

/* sd_mx_addrs_text - the addresses as "a, b, c" */
static void
sd_mx_addrs_text(const sd_dc_hostaddrs *h, char *out, size_t outsz)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < h->n; i++) {
		char one[64];
		size_t k;

		sd_dc_ip_format(&h->ip[i], one, sizeof(one));
		k = strlen(one);
		if (o + k + 3 >= outsz)
			break;
		if (o > 0) {
			memcpy(out + o, ", ", 2);
			o += 2;
		}
		memcpy(out + o, one, k + 1);
		o += k;
	}
}

/* sd_mx_collect - add the addresses to the caller's list */
static int
sd_mx_collect(const sd_dc_hostaddrs *h, sd_dnscheck_strs *addrs)
{
	size_t i;

	for (i = 0; addrs != NULL && i < h->n; i++) {
		char one[64];

		sd_dc_ip_format(&h->ip[i], one, sizeof(one));
		if (sd_dc_strs_add(addrs, one) < 0)
			return -1;
	}
	return 0;
}

/* sd_mx_host - one "mx.host" item; *works set to 1 when the host has an
 * address, 0 when it has none for sure, -1 when unknown */
static int
sd_mx_host(sd_dns_lookup_fn lookup, void *lctx, const char *domain, const char *host,
	   unsigned pref, sd_check_list *out, sd_dnscheck_strs *addrs, int *works,
	   sd_check_item **item)
{
	sd_check_item *it = sd_check_list_add(out, "mx.host", SD_CHECK_PASS);
	sd_dc_hostaddrs h;
	sd_dc_ip lit;
	char list[512];

	*item = it;
	*works = 0;
	if (it == NULL)
		return -1;
	sd_check_item_subject(it, host);
	sd_check_item_detail(it, "preference", "%u", pref);
	if (sd_dc_ip_parse(host, &lit) == 0) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it,
			"The MX record of %s names %s, which is an IP address, not a host name. "
			"Mail servers look it up as a name, find nothing and cannot deliver to it.",
			domain, host);
		sd_check_item_cause(it, "sender.dns-records");
		sd_check_item_bounce(it,
			"550 5.4.4 Host or domain name not found. Name service error for "
			"name=%s type=A: Host not found", host);
		sd_check_item_fix(it,
			"Give the mail server a host name with an A record (for example "
			"mail.%s A %s) and point the MX record at that name.", domain, host);
		return 0;
	}
	if (sd_dc_host_addrs(lookup, lctx, host, 0, &h) < 0)
		return -1;
	sd_mx_addrs_text(&h, list, sizeof(list));
	if (h.n > 0) {
		*works = 1;
		sd_check_item_detail(it, "addresses", "%s", list);
		if (sd_mx_collect(&h, addrs) < 0)
			return -1;
	}
	if (h.alias) {
		sd_check_item_detail(it, "alias_of", "%s", h.target);
		sd_check_item_worsen(it, SD_CHECK_WARN);
		sd_check_item_cause(it, "sender.dns-records");
		sd_check_item_fix(it,
			"Point the MX record of %s straight at %s (the real host name) instead of "
			"the alias %s.", domain, h.target, host);
	}
	if (h.n > 0) {
		sd_check_item_summary(it, h.alias ?
			"%s is an alias (CNAME) of %s. An MX record must name the real host (RFC 2181 "
			"10.3, RFC 5321 5.1); most servers follow the alias, some refuse to." :
			"%s has the address%s %s.", host, h.alias ? h.target : h.n > 1 ? "es" : "",
			h.alias ? "" : list);
		return 0;
	}
	if (h.temporary) {
		*works = -1;
		sd_check_item_worsen(it, SD_CHECK_UNKNOWN);
		sd_check_item_summary(it,
			"The address of %s could not be looked up just now (the DNS server did not "
			"answer); try again later.", host);
		return 0;
	}
	sd_check_item_worsen(it, SD_CHECK_FAIL);
	sd_check_item_summary(it,
		"%s, named by the MX record of %s, %s, so no mail can be delivered to it.",
		host, domain, h.nxdomain ? "does not exist" : "has no address (no A or AAAA record)");
	sd_check_item_cause(it, "sender.dns-records");
	sd_check_item_bounce(it,
		"550 5.4.4 Host or domain name not found. Name service error for name=%s "
		"type=A: %s", host, h.nxdomain ? "Host not found" :
		"Host found but no data record of requested type");
	sd_check_item_fix(it, "Add an A (and AAAA, if it has IPv6) record for %s with the address "
			  "of your mail server, or point the MX record at a host that has one.", host);
	return 0;
}

/* sd_mx_implicit - no MX record: the domain's own address is its mail host */
static smtpdoc_status
sd_mx_implicit(sd_dns_lookup_fn lookup, void *lctx, const char *domain, sd_check_item *it,
	       sd_dnscheck_strs *addrs)
{
	sd_dc_hostaddrs h;
	char list[512];

	if (sd_dc_host_addrs(lookup, lctx, domain, 0, &h) < 0)
		return SMTPDOC_ENOMEM;
	sd_check_item_detail(it, "mx", "none");
	if (h.n > 0) {
		sd_mx_addrs_text(&h, list, sizeof(list));
		sd_check_item_detail(it, "implicit_mx", "%s", list);
		it->status = SD_CHECK_WARN;
		sd_check_item_summary(it,
			"%s has no MX record, so other servers deliver its mail to the domain's own "
			"address (%s). That works (an \"implicit MX\"), but if no mail server "
			"listens there mail is lost, and some servers refuse mail from domains "
			"without an MX record.", domain, list);
		sd_check_item_cause(it, "sender.dns-records");
		sd_check_item_fix(it, "Add an MX record naming your mail server (for example "
				  "%s. MX 10 mail.%s.), or a null MX (%s. MX 0 .) if the domain "
				  "takes no mail.", domain, domain, domain);
		return sd_mx_collect(&h, addrs) < 0 ? SMTPDOC_ENOMEM : SMTPDOC_OK;
	}
	if (h.temporary) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "%s has no MX record, and its address could not be "
				      "looked up just now; try again later.", domain);
		return SMTPDOC_OK;
	}
	it->status = SD_CHECK_FAIL;
	sd_check_item_summary(it, "%s has no MX record and no address, so mail to it cannot be "
			      "delivered, and many servers refuse mail from it.", domain);
	sd_check_item_cause(it, "domain.unknown");
	sd_check_item_bounce(it, "550 5.1.2 Host or domain name not found. Name service error "
			     "for name=%s type=MX: Host found but no data record of requested type",
			     domain);
	sd_check_item_fix(it, "Add an MX record for %s naming the host name of your mail "
			  "server (for example %s. MX 10 mail.%s.).", domain, domain, domain);
	return SMTPDOC_OK;
}

/* sd_mx_null - the domain publishes a null MX */
static void
sd_mx_null(sd_check_item *it, const char *domain, size_t others)
{
	it->status = SD_CHECK_FAIL;
	sd_check_item_detail(it, "null_mx", "yes");
	sd_check_item_cause(it, "domain.not-accepting");
	if (others > 0) {
		sd_check_item_summary(it,
			"%s publishes a \"null MX\" (which says it accepts no mail) beside %zu "
			"other MX record(s). A null MX must be the only one (RFC 7505), so "
			"servers may either refuse all mail to the domain or use the others.",
			domain, others);
		sd_check_item_fix(it, "Remove the \"MX 0 .\" record if %s receives mail, or remove "
				  "the other MX records if it does not.", domain);
	} else {
		sd_check_item_summary(it,
			"%s says it accepts no mail at all (a \"null MX\" record, RFC 7505). Mail "
			"to it is refused, and many servers also refuse mail from it (550 5.7.27 "
			"Sender address has null MX).", domain);
		sd_check_item_fix(it, "If %s should receive or send mail, replace the \"MX 0 .\" "
				  "record by an MX record naming your mail server.", domain);
	}
	sd_check_item_bounce(it, "556 5.1.10 Recipient address has null MX");
}

smtpdoc_status
sd_dnscheck_mx(sd_dns_lookup_fn lookup, void *lctx, const char *domain, sd_check_list *out,
	       sd_dnscheck_strs *addrs)
{
	char dom[SD_DNSCHECK_NAME_MAX];
	sd_dns_answer *a = NULL;
	sd_check_item *rec, *hosts[SD_DNSCHECK_MAX_MX];
	int works[SD_DNSCHECK_MAX_MX];
	size_t i, k, nhosts = 0, nmx = 0, nnull = 0, ok = 0, unknown = 0, skipped = 0;
	unsigned prev_pref = 0;
	int shared = 0;
	smtpdoc_status st = SMTPDOC_OK;

	rec = sd_check_list_add(out, "mx.records", SD_CHECK_PASS);
	if (rec == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dnscheck_domain_norm(domain, dom) < 0) {
		rec->status = SD_CHECK_FAIL;
		sd_check_item_summary(rec, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	sd_check_item_subject(rec, dom);
	a = sd_dc_lookup(lookup, lctx, dom, SD_DNS_MX);
	if (a == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dc_temporary(a->status)) {
		rec->status = SD_CHECK_UNKNOWN;
		sd_check_item_detail(rec, "dns", "%s", sd_dns_status_name(a->status));
		sd_check_item_summary(rec, "The MX records of %s could not be looked up: %s. Try "
				      "again later.", dom, sd_dc_status_words(a->status));
		goto done;
	}
	if (a->status == SD_DNS_NXDOMAIN) {
		rec->status = SD_CHECK_FAIL;
		sd_check_item_summary(rec, "The domain %s does not exist in DNS, so no mail can be "
				      "sent to it, and servers refuse mail from it.", dom);
		sd_check_item_cause(rec, "domain.unknown");
		sd_check_item_bounce(rec, "550 5.1.2 Host or domain name not found. Name service "
				     "error for name=%s type=MX: Host not found", dom);
		sd_check_item_fix(rec, "Check the spelling of the domain, that its registration "
				  "has not expired (whois %s) and that its name servers hold its "
				  "records.", dom);
		goto done;
	}
	for (i = 0; a->status == SD_DNS_OK && i < a->n; i++) {
		if (a->rr[i].type != SD_DNS_MX)
			continue;
		nmx++;
		if (sd_mx_is_root(a->rr[i].host))
			nnull++;
	}
	if (nmx == 0) {
		st = sd_mx_implicit(lookup, lctx, dom, rec, addrs);
		goto done;
	}
	if (nnull > 0) {
		sd_mx_null(rec, dom, nmx - nnull);
		if (nmx == nnull)
			goto done;
	}
	/* every distinct MX host, in the order given */
	for (i = 0; i < a->n; i++) {
		const sd_dns_rr *rr = &a->rr[i];
		char host[SD_DNSCHECK_NAME_MAX], shown[SD_DNSCHECK_NAME_MAX];
		int dup = 0;

		if (rr->type != SD_DNS_MX || sd_mx_is_root(rr->host))
			continue;
		sd_dc_printable(rr->host, strlen(rr->host), 253, shown, sizeof(shown));
		sd_check_item_detail(rec, "mx", "%u %s", rr->pref, shown);
		if (nhosts > 0 && rr->pref == prev_pref)
			shared = 1;
		prev_pref = rr->pref;
		if (sd_dnscheck_domain_norm(rr->host, host) < 0) {
			sd_check_item *bad = sd_check_list_add(out, "mx.host", SD_CHECK_FAIL);

			if (bad == NULL) {
				st = SMTPDOC_ENOMEM;
				goto done;
			}
			sd_check_item_subject(bad, shown);
			sd_check_item_summary(bad, "The MX record of %s names \"%s\", which is not a "
					      "usable host name.", dom, shown);
			sd_check_item_cause(bad, "sender.dns-records");
			sd_check_item_fix(bad, "Correct the MX record of %s to name your mail "
					  "server's host name.", dom);
			continue;
		}
		for (k = 0; k < nhosts; k++)
			if (strcmp(hosts[k]->subject ? hosts[k]->subject : "", host) == 0)
				dup = 1;
		if (dup)
			continue;
		if (nhosts == SD_DNSCHECK_MAX_MX) {
			skipped++;
			continue;
		}
		if (sd_mx_host(lookup, lctx, dom, host, rr->pref, out, addrs, &works[nhosts],
			       &hosts[nhosts]) < 0) {
			st = SMTPDOC_ENOMEM;
			goto done;
		}
		if (works[nhosts] > 0)
			ok++;
		else if (works[nhosts] < 0)
			unknown++;
		nhosts++;
	}
	if (shared)
		sd_check_item_detail(rec, "note", "several MX records share a preference: mail "
				     "is spread between those hosts, which is normal");
	if (skipped > 0)
		sd_check_item_detail(rec, "note", "only the first %d MX hosts were checked",
				     SD_DNSCHECK_MAX_MX);
	if (nnull > 0)
		goto done;
	if (ok > 0) {
		/* a host without an address is a weakness while others work */
		for (k = 0; k < nhosts; k++)
			if (works[k] == 0 && hosts[k]->status == SD_CHECK_FAIL)
				hosts[k]->status = SD_CHECK_WARN;
		sd_check_item_summary(rec, "%s receives mail at %zu mail server%s.", dom, nhosts,
				      nhosts == 1 ? "" : "s");
	} else if (unknown > 0) {
		rec->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(rec, "%s has MX records, but their addresses could not be "
				      "looked up just now; try again later.", dom);
	} else {
		rec->status = SD_CHECK_FAIL;
		sd_check_item_summary(rec, "%s has MX records, but none of the mail servers they "
				      "name can be reached, so mail to it cannot be delivered.", dom);
		sd_check_item_cause(rec, "sender.dns-records");
		sd_check_item_bounce(rec, "550 5.4.4 Host or domain name not found (no usable MX "
				     "host for %s)", dom);
		sd_check_item_fix(rec, "Make the MX records of %s name host names that have A or "
				  "AAAA records.", dom);
	}
done:
	sd_dns_answer_free(a);
	if (st == SMTPDOC_OK)
		st = sd_check_list_status(out);
	return st;
}
