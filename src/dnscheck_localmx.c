/*
 * dnscheck_localmx.c - a domain this server delivers locally: do its MX
 * records lead here?
 *
 * Entry point: sd_dnscheck_local_mx (dnscheck.h), one "mx.local" item.
 *
 * The classic hosting fault: the domain's mail moved to another provider
 * (its MX records point there) while this server still lists the domain
 * as local. Everyone else's mail for the domain goes to the provider; mail
 * sent from this server (website forms, other accounts here) is delivered
 * into a local mailbox nobody reads, or refused as an unknown user.
 *
 * An MX host is this server when its name is one of the local names given
 * or one of its addresses is one of the local addresses given. Without MX
 * records the domain's own address is the mail host (RFC 5321 5.1). At
 * most SD_DNSCHECK_MAX_MX hosts and SD_LOCALMX_MAX_LOCALS local entries
 * are looked at.
 */
#include <string.h>

#include "dnscheck_int.h"

#define SD_LOCALMX_MAX_LOCALS 32

typedef struct sd_localmx {
	char names[SD_LOCALMX_MAX_LOCALS][SD_DNSCHECK_NAME_MAX];
	size_t nnames;
	sd_dc_ip ips[SD_LOCALMX_MAX_LOCALS];
	size_t nips;
} sd_localmx;

static int
sd_localmx_is_ip(const sd_localmx *l, const sd_dc_hostaddrs *h)
{
	size_t i, k;

	for (i = 0; i < h->n; i++)
		for (k = 0; k < l->nips; k++)
			if (h->ip[i].family == l->ips[k].family &&
			    memcmp(h->ip[i].b, l->ips[k].b, h->ip[i].family == 4 ? 4 : 16) == 0)
				return 1;
	return 0;
}

/* sd_localmx_host - 1 when host is this server, 0 when not, -1 when it
 * could not be told, -2 on no memory */
static int
sd_localmx_host(sd_dns_lookup_fn lookup, void *lctx, const sd_localmx *l, const char *host)
{
	sd_dc_hostaddrs h;
	size_t i;

	for (i = 0; i < l->nnames; i++)
		if (strcmp(l->names[i], host) == 0)
			return 1;
	if (l->nips == 0)
		return 0;
	if (sd_dc_host_addrs(lookup, lctx, host, 0, &h) < 0)
		return -2;
	if (sd_localmx_is_ip(l, &h))
		return 1;
	return h.temporary ? -1 : 0;
}

/* sd_localmx_elsewhere - the fail item: mail for dom goes to others */
static void
sd_localmx_elsewhere(sd_check_item *it, const char *dom, const char *where)
{
	it->status = SD_CHECK_FAIL;
	sd_check_item_cause(it, "domain.mx-elsewhere");
	sd_check_item_summary(it, "This server delivers mail for %s itself, but the domain's mail "
			      "goes to %s. Mail sent from this server to %s (website forms, other "
			      "accounts here) stays here and never reaches the real mailboxes.",
			      dom, where, dom);
	sd_check_item_bounce(it, "550 5.1.1 <info@%s>: Recipient address rejected: User unknown "
			     "in virtual mailbox table", dom);
	sd_check_item_fix(it, "If %s's mail is handled by %s, stop delivering it here: in cPanel "
			  "set Email Routing to \"Remote Mail Exchanger\"; in Postfix remove %s "
			  "from mydestination and virtual_mailbox_domains.", dom, where, dom);
	sd_check_item_fix(it, "If this server should receive %s's mail, point the domain's MX "
			  "records at this server's host name instead.", dom);
}

smtpdoc_status
sd_dnscheck_local_mx(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
		     const char *const *locals, size_t nlocals, sd_check_list *out)
{
	char dom[SD_DNSCHECK_NAME_MAX], first[SD_DNSCHECK_NAME_MAX], local_host[SD_DNSCHECK_NAME_MAX];
	sd_localmx l;
	sd_check_item *it;
	sd_dns_answer *a;
	size_t i, checked = 0, nnull = 0;
	unsigned best = 0;
	int have_best = 0, best_local = 0, any_local = 0, unknown = 0;
	smtpdoc_status st = SMTPDOC_OK;

	it = sd_check_list_add(out, "mx.local", SD_CHECK_PASS);
	if (it == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dnscheck_domain_norm(domain, dom) < 0) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	sd_check_item_subject(it, dom);
	l.nnames = l.nips = 0;
	for (i = 0; locals != NULL && i < nlocals; i++) {
		if (locals[i] == NULL)
			continue;
		if (sd_dc_ip_parse(locals[i], &l.ips[l.nips]) == 0) {
			if (l.nips < SD_LOCALMX_MAX_LOCALS - 1)
				l.nips++;
		} else if (l.nnames < SD_LOCALMX_MAX_LOCALS &&
			   sd_dnscheck_domain_norm(locals[i], l.names[l.nnames]) == 0) {
			l.nnames++;
		}
	}
	if (l.nnames + l.nips == 0) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "This server's own names and addresses are not known, so "
				      "whether %s's MX records lead here cannot be told.", dom);
		return SMTPDOC_EINVAL;
	}
	a = sd_dc_lookup(lookup, lctx, dom, SD_DNS_MX);
	if (a == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dc_temporary(a->status)) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "The MX records of %s could not be looked up: %s. Try again "
				      "later.", dom, sd_dc_status_words(a->status));
		goto done;
	}
	if (a->status == SD_DNS_NXDOMAIN) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_cause(it, "domain.unknown");
		sd_check_item_summary(it, "This server delivers mail for %s, but the domain does not "
				      "exist in DNS, so nobody else can send mail to it.", dom);
		sd_check_item_fix(it, "Renew or correct the domain %s, or remove it from this "
				  "server's local domains.", dom);
		goto done;
	}
	first[0] = local_host[0] = '\0';
	for (i = 0; a->status == SD_DNS_OK && i < a->n; i++) {
		const sd_dns_rr *rr = &a->rr[i];

		if (rr->type != SD_DNS_MX)
			continue;
		if (rr->host == NULL || rr->host[0] == '\0' || strcmp(rr->host, ".") == 0)
			nnull++;
		else if (!have_best || rr->pref < best) {
			best = rr->pref;
			have_best = 1;
		}
	}
	if (nnull > 0 && !have_best) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_cause(it, "domain.not-accepting");
		sd_check_item_summary(it, "This server delivers mail for %s, but the domain says it "
				      "accepts no mail (a null MX record), so nobody else can send "
				      "mail to it.", dom);
		sd_check_item_fix(it, "Replace the null MX of %s by an MX record naming this server, "
				  "or remove %s from this server's local domains.", dom, dom);
		goto done;
	}
	if (!have_best) {
		/* no MX: the domain's own address is its mail host */
		sd_dc_hostaddrs h;

		if (sd_dc_host_addrs(lookup, lctx, dom, 0, &h) < 0) {
			st = SMTPDOC_ENOMEM;
			goto done;
		}
		sd_check_item_detail(it, "mx", "none (mail goes to the domain's own address)");
		if (sd_localmx_is_ip(&l, &h)) {
			sd_check_item_summary(it, "%s has no MX record, and its own address is this "
					      "server's, so its mail comes here.", dom);
		} else if (h.n > 0) {
			sd_localmx_elsewhere(it, dom, "the domain's own address, which is another "
					     "server");
		} else if (h.temporary) {
			it->status = SD_CHECK_UNKNOWN;
			sd_check_item_summary(it, "The address of %s could not be looked up just now; "
					      "try again later.", dom);
		} else {
			it->status = SD_CHECK_FAIL;
			sd_check_item_cause(it, "domain.unknown");
			sd_check_item_summary(it, "This server delivers mail for %s, but the domain has "
					      "no MX record and no address, so nobody else can send "
					      "mail to it.", dom);
			sd_check_item_fix(it, "Add an MX record for %s naming this server's host name.",
					  dom);
		}
		goto done;
	}
	for (i = 0; i < a->n && checked < SD_DNSCHECK_MAX_MX; i++) {
		const sd_dns_rr *rr = &a->rr[i];
		char host[SD_DNSCHECK_NAME_MAX];
		int r;

		if (rr->type != SD_DNS_MX || rr->host == NULL ||
		    sd_dnscheck_domain_norm(rr->host, host) < 0)
			continue;
		checked++;
		sd_check_item_detail(it, "mx", "%u %s", rr->pref, host);
		if (rr->pref == best && first[0] == '\0')
			memcpy(first, host, strlen(host) + 1);
		r = sd_localmx_host(lookup, lctx, &l, host);
		if (r == -2) {
			st = SMTPDOC_ENOMEM;
			goto done;
		}
		if (r < 0)
			unknown = 1;
		if (r == 1) {
			any_local = 1;
			if (local_host[0] == '\0')
				memcpy(local_host, host, strlen(host) + 1);
			if (rr->pref == best)
				best_local = 1;
		}
	}
	if (best_local) {
		sd_check_item_summary(it, "The MX records of %s lead to this server, which delivers "
				      "its mail.", dom);
	} else if (any_local) {
		it->status = SD_CHECK_WARN;
		sd_check_item_cause(it, "domain.mx-elsewhere");
		sd_check_item_summary(it, "Only a backup MX of %s (%s) is this server; its mail "
				      "normally goes first to %s. Mail sent from this server to %s "
				      "stays here while other mail goes there.", dom, local_host, first,
				      dom);
		sd_check_item_fix(it, "Make sure that is meant: a backup MX should pass mail on, "
				  "not deliver it into local mailboxes.");
	} else if (unknown) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "Whether the MX hosts of %s are this server could not be "
				      "told: some addresses could not be looked up just now.", dom);
	} else {
		sd_localmx_elsewhere(it, dom, first);
	}
done:
	sd_dns_answer_free(a);
	if (st == SMTPDOC_OK)
		st = sd_check_list_status(out);
	return st;
}
