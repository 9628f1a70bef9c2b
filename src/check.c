/*
 * check.c - smtpdoc_check(): the sending side of a domain, as a checklist.
 *
 * Runs, in this order, with one resolver (the --resolver one or the
 * system's): the MX records and their hosts, each MX on port 25 and the
 * submission ports (check_smtp.c, unless no_smtp), SPF (check_spf.c),
 * DMARC, DKIM, MTA-STS, TLS-RPT, reverse DNS of the --ip and of each MX
 * address, DNS blocklists for the --ip and the domain, and, with local,
 * whether the MX records point at this host. Every check runs and is
 * reported even after another failed. The internal items (dnscheck.h) are
 * then laid out as the public smtpdoc_check_item array, which points into
 * them; the report keeps the list alive until smtpdoc_check_report_free().
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

typedef struct sd_check_report {
	smtpdoc_check_report pub;      /* first: the public view */
	sd_check_list list;
	smtpdoc_check_item *items;
	char *domain, *ip;
} sd_check_report;

void
smtpdoc_check_options_init(smtpdoc_check_options *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 10000;
}

/* This host's names and addresses, for the local-MX check. */
static size_t
sd_local_identities(char **out, size_t max)
{
	struct ifaddrs *ifa = NULL, *p;
	char name[256];
	size_t n = 0;

	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		if (n < max && (out[n] = strdup(name)) != NULL)
			n++;
	}
	if (getifaddrs(&ifa) != 0)
		return n;
	for (p = ifa; p && n < max; p = p->ifa_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *a = NULL;
		if (p->ifa_addr == NULL)
			continue;
		if (p->ifa_addr->sa_family == AF_INET)
			a = &((const struct sockaddr_in *)(const void *)p->ifa_addr)->sin_addr;
		else if (p->ifa_addr->sa_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)(const void *)p->ifa_addr)->sin6_addr;
		if (a && inet_ntop(p->ifa_addr->sa_family, a, buf, sizeof(buf)) && (out[n] = strdup(buf)) != NULL)
			n++;
	}
	freeifaddrs(ifa);
	return n;
}

static void
sd_check_local(sd_resolver *r, const char *domain, sd_check_list *out)
{
	char *locals[64];
	size_t n = sd_local_identities(locals, sizeof(locals) / sizeof(locals[0])), i;

	sd_dnscheck_local_mx(sd_resolver_lookup, r, domain, (const char *const *)locals, n, out);
	for (i = 0; i < n; i++)
		free(locals[i]);
}

static void
sd_check_ptrs(sd_resolver *r, const char *ip, sd_check_list *out)
{
	size_t i, n = out->n;

	if (ip)
		sd_dnscheck_ptr(sd_resolver_lookup, r, ip, NULL, out);
	/* each MX host's addresses, with the host name they should map to */
	for (i = 0; i < n; i++) {
		const sd_check_item *mx = out->v[i];
		size_t d;
		if (strcmp(mx->id, "mx.host") != 0 || mx->subject == NULL)
			continue;
		for (d = 0; d < mx->ndetails; d++) {
			char list[512], *save = NULL, *tok;
			if (strcmp(mx->details[d].key, "addresses") != 0)
				continue;
			snprintf(list, sizeof(list), "%s", mx->details[d].value);
			for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
				sd_dnscheck_ptr(sd_resolver_lookup, r, tok, mx->subject, out);
		}
	}
}

/* Lay the internal items out as the public array. */
static int
sd_check_publish(sd_check_report *rep)
{
	if ((rep->items = sd_check_list_publish(&rep->list)) == NULL)
		return -1;
	rep->pub.items = rep->items;
	rep->pub.count = rep->list.n;
	rep->pub.worst = sd_check_status_name(sd_check_list_worst(&rep->list));
	return 0;
}

smtpdoc_status
smtpdoc_check(const smtpdoc_check_options *o, smtpdoc_check_report **out, char *err, size_t errlen)
{
	char domain[SD_DNSCHECK_NAME_MAX], helo[256];
	struct in6_addr a6;
	struct in_addr a4;
	sd_check_report *rep;
	sd_resolver *r;
	sd_check_run run;
	int timeout;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (o == NULL || o->domain == NULL || sd_dnscheck_domain_norm(o->domain, domain) != 0) {
		if (err)
			snprintf(err, errlen, "'%s' is not a domain name", o && o->domain ? o->domain : "");
		return SMTPDOC_EINVAL;
	}
	if (o->ip && inet_pton(AF_INET, o->ip, &a4) != 1 && inet_pton(AF_INET6, o->ip, &a6) != 1) {
		if (err)
			snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", o->ip);
		return SMTPDOC_EINVAL;
	}
	timeout = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	if ((r = sd_resolver_new(o->resolver, timeout, 2, err, errlen)) == NULL)
		return SMTPDOC_EINVAL;
	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		sd_resolver_free(r);
		return SMTPDOC_ENOMEM;
	}
	rep->domain = strdup(domain);
	rep->ip = o->ip ? strdup(o->ip) : NULL;
	rep->pub.domain = rep->domain;
	rep->pub.ip = rep->ip;
	if (o->helo)
		snprintf(helo, sizeof(helo), "%s", o->helo);
	else if (gethostname(helo, sizeof(helo)) != 0 || helo[0] == '\0')
		snprintf(helo, sizeof(helo), "localhost");
	helo[sizeof(helo) - 1] = '\0';
	run.helo = helo;
	run.timeout_ms = timeout;
	run.port = o->port ? o->port : 25;

	sd_dnscheck_mx(sd_resolver_lookup, r, domain, &rep->list, NULL);
	if (!o->no_smtp)
		sd_check_smtp(&run, &rep->list);
	sd_check_spf(sd_resolver_lookup, r, domain, o->ip, helo, &rep->list);
	sd_dnscheck_dmarc(sd_resolver_lookup, r, domain, &rep->list);
	sd_dnscheck_dkim(sd_resolver_lookup, r, domain, o->dkim_selectors, o->n_dkim_selectors, &rep->list);
	sd_dnscheck_mta_sts(sd_resolver_lookup, r, domain, &rep->list);
	sd_dnscheck_tlsrpt(sd_resolver_lookup, r, domain, &rep->list);
	sd_check_ptrs(r, o->ip, &rep->list);
	if (o->ip)
		sd_dnscheck_dnsbl_ip(sd_resolver_lookup, r, o->ip, o->dnsbl_ip_zones, o->n_dnsbl_ip_zones,
				     &rep->list);
	sd_dnscheck_dnsbl_domain(sd_resolver_lookup, r, domain, o->dnsbl_domain_zones, o->n_dnsbl_domain_zones,
				 &rep->list);
	if (o->local)
		sd_check_local(r, domain, &rep->list);
	sd_resolver_free(r);
	if (rep->domain == NULL || (o->ip && rep->ip == NULL) || rep->list.nomem || sd_check_publish(rep) != 0) {
		smtpdoc_check_report_free(&rep->pub);
		return SMTPDOC_ENOMEM;
	}
	*out = &rep->pub;
	return SMTPDOC_OK;
}

void
smtpdoc_check_report_free(smtpdoc_check_report *pub)
{
	sd_check_report *rep = (sd_check_report *)pub;

	if (rep == NULL)
		return;
	sd_check_items_free(rep->items, rep->list.n);
	sd_check_list_free(&rep->list);
	free(rep->domain);
	free(rep->ip);
	free(rep);
}
