/*
 * verify_dns.c - the DNS side of a verify run: per domain, the MX lookup
 * (the domain's own address when it has no MX, RFC 5321 5.1; a null MX,
 * RFC 7505, answers at once), then the address of the MX host being
 * tried (taken from the MX answer's additional section when the server
 * sent it, else looked up; the next host when one cannot be reached).
 * Every query is started on the verifier's resolver and answered from its
 * poll loop (verify_loop.c).
 *
 * A domain whose every host timed out while no connection has worked
 * anywhere is parked until it is known whether port 25 is blocked.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "verify_internal.h"

#define SD_VERIFY_BLOCKED_HOSTS 3   /* timeouts needed to call port 25 blocked */
#define SD_VERIFY_BLOCKED_DOMAINS 2 /* ... over at least this many domains */


static void sd_addr_cb(void *ctx, sd_dns_answer *a);
static void sd_host_cb(void *ctx, sd_dns_answer *a);

/* ---- DNS -------------------------------------------------------------------- */

void
sd_vdomain_finish(sd_vdomain *d, sd_probe_stage stage)
{
	sd_verify_decide_domain(d->v, d, stage);
	if (d->undecided == 0 && d->active == 0)
		d->state = SD_VD_DONE;
}

void
sd_vdomain_query(sd_vdomain *d, const char *name, int type, sd_dns_cb cb)
{
	smtpdoc_verifier *v = d->v;

	v->dns_inflight++;
	if (sd_resolver_query(v->resolver, name, type, cb, d) != 0) {
		sd_dns_answer *a = sd_dns_answer_new(SD_DNS_ERROR);
		cb(d, a);
	}
}

static int
sd_mx_cmp(const void *a, const void *b)
{
	const sd_dns_rr *x = a, *y = b;

	return x->pref < y->pref ? -1 : x->pref > y->pref;
}

/* The domain has its list of hosts: resolve the first one. */
static void
sd_domain_hosts_known(sd_vdomain *d)
{
	smtpdoc_verifier *v = d->v;

	d->accepts_all = sd_verify_accepts_all(d->name, d->nhosts ? d->hosts[0] : NULL);
	sd_verify_decide_noprobe(v, d);
	if (v->o.no_smtp) {
		sd_vdomain_finish(d, SD_PROBE_NOT_RUN);
		return;
	}
	d->host = 0;
	d->state = SD_VD_HOST;
}

void
sd_mx_cb(void *ctx, sd_dns_answer *a)
{
	sd_vdomain *d = ctx;
	size_t i;

	d->v->dns_inflight--;
	d->mx_status = a ? a->status : SD_DNS_ERROR;
	if (d->mx_status == SD_DNS_OK) {
		qsort(a->rr, a->n, sizeof(a->rr[0]), sd_mx_cmp);
		for (i = 0; i < a->n; i++) {
			if (a->rr[i].type != SD_DNS_MX)
				continue;
			if (a->rr[i].host == NULL || a->rr[i].host[0] == '\0') {
				d->null_mx = 1; /* RFC 7505: "0 ." */
				continue;
			}
			if (d->nhosts < SD_VERIFY_MAX_MX && (d->hosts[d->nhosts] = strdup(a->rr[i].host)) != NULL)
				d->nhosts++;
		}
		/* addresses the server sent along save a lookup per host (an
		 * IPv4 one is preferred, as for the lookups) */
		for (i = 0; i < a->nextra; i++) {
			const sd_dns_rr *g = &a->extra[i];
			size_t k;
			for (k = 0; k < d->nhosts; k++) {
				if (strcmp(d->hosts[k], g->host) != 0)
					continue;
				if (g->type == SD_DNS_A)
					inet_ntop(AF_INET, g->addr, d->glue[k], sizeof(d->glue[k]));
				else if (d->glue[k][0] == '\0')
					inet_ntop(AF_INET6, g->addr, d->glue[k], sizeof(d->glue[k]));
			}
		}
		if (d->nhosts == 0)
			d->null_mx = 1;
	}
	sd_dns_answer_free(a);
	if (d->mx_status == SD_DNS_NODATA) {
		/* no MX: the domain's own address is the implicit MX (RFC 5321 5.1) */
		d->state = SD_VD_ADDR;
		sd_vdomain_query(d, d->name, SD_DNS_A, sd_addr_cb);
		return;
	}
	if (d->mx_status != SD_DNS_OK || d->null_mx) {
		if (d->null_mx) {
			/* null MX wins over any other MX listed with it */
			for (i = 0; i < d->nhosts; i++)
				free(d->hosts[i]);
			d->nhosts = 0;
		}
		sd_vdomain_finish(d, SD_PROBE_NOT_RUN);
		return;
	}
	sd_domain_hosts_known(d);
}

static void
sd_addr_cb(void *ctx, sd_dns_answer *a)
{
	sd_vdomain *d = ctx;

	d->v->dns_inflight--;
	d->addr_status = a ? a->status : SD_DNS_ERROR;
	sd_dns_answer_free(a);
	if (d->addr_status == SD_DNS_OK && (d->hosts[0] = strdup(d->name)) != NULL) {
		d->nhosts = 1;
		sd_domain_hosts_known(d);
		return;
	}
	sd_vdomain_finish(d, SD_PROBE_NOT_RUN);
}

/* Move to the next MX host, or answer what is left as unreachable. */
void
sd_vdomain_next_host(sd_vdomain *d)
{
	d->ip[0] = '\0';
	if (++d->host < d->nhosts) {
		d->state = SD_VD_HOST;
		return;
	}
	d->host = d->nhosts ? d->nhosts - 1 : 0; /* keep the last one for reports */
	if (d->refused) {
		sd_vdomain_finish(d, SD_PROBE_REFUSED);
	} else if (d->last_timeout && d->v->connects_ok == 0 && !d->v->port_blocked) {
		/* wait: if no host anywhere answers, port 25 is blocked here */
		d->state = SD_VD_PARKED;
		return;
	} else {
		sd_vdomain_finish(d, SD_PROBE_NO_CONNECT);
	}
	d->state = d->active ? SD_VD_READY : SD_VD_DONE;
}

/* Parked domains: answer them once it is known whether port 25 is
 * blocked (a connection worked somewhere: it is not; enough hosts of
 * enough domains timed out and nothing else is going on: it is). */
void
sd_vdomain_settle_parked(smtpdoc_verifier *v)
{
	size_t i, parked = 0, running = 0;

	for (i = 0; i < v->ndomains; i++) {
		int st = v->domains[i]->state;
		if (st == SD_VD_PARKED)
			parked++;
		else if (st != SD_VD_DONE && v->domains[i]->undecided)
			running++;
	}
	if (parked == 0)
		return;
	if (v->connects_ok == 0 && v->connect_timeouts >= SD_VERIFY_BLOCKED_HOSTS &&
	    parked >= SD_VERIFY_BLOCKED_DOMAINS)
		v->port_blocked = 1;
	if (!v->port_blocked && v->connects_ok == 0 && running)
		return; /* not known yet */
	for (i = 0; i < v->ndomains; i++) {
		sd_vdomain *d = v->domains[i];
		if (d->state != SD_VD_PARKED)
			continue;
		sd_vdomain_finish(d, SD_PROBE_NO_CONNECT);
		d->state = SD_VD_DONE;
	}
}

static void
sd_host_cb(void *ctx, sd_dns_answer *a)
{
	sd_vdomain *d = ctx;
	sd_dns_status st = a ? a->status : SD_DNS_ERROR;
	size_t i;

	d->v->dns_inflight--;
	for (i = 0; a && st == SD_DNS_OK && i < a->n; i++) {
		const sd_dns_rr *rr = &a->rr[i];
		if (rr->type == SD_DNS_A && inet_ntop(AF_INET, rr->addr, d->ip, sizeof(d->ip)))
			break;
		if (rr->type == SD_DNS_AAAA && inet_ntop(AF_INET6, rr->addr, d->ip, sizeof(d->ip)))
			break;
	}
	sd_dns_answer_free(a);
	if (d->ip[0]) {
		d->state = SD_VD_READY;
		return;
	}
	if (st == SD_DNS_NODATA && !d->aaaa_tried) {
		/* an IPv6-only host */
		d->aaaa_tried = 1;
		sd_vdomain_query(d, d->hosts[d->host], SD_DNS_AAAA, sd_host_cb);
		return;
	}
	sd_vdomain_next_host(d);
}

/* Start the lookup of the current host's address (or take a literal). */
void
sd_vdomain_resolve_host(sd_vdomain *d)
{
	const char *h = d->hosts[d->host];
	unsigned char buf[16];

	d->aaaa_tried = 0;
	if (inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1) {
		snprintf(d->ip, sizeof(d->ip), "%s", h);
		d->state = SD_VD_READY;
		return;
	}
	if (d->glue[d->host][0]) {
		snprintf(d->ip, sizeof(d->ip), "%s", d->glue[d->host]);
		d->state = SD_VD_READY;
		return;
	}
	d->state = SD_VD_HOSTQ;
	sd_vdomain_query(d, h, SD_DNS_A, sd_host_cb);
}

