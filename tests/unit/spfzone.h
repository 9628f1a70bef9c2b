/*
 * spfzone.h - DNS zone data served from memory through sd_dns_lookup_fn,
 * for the SPF tests (tests/unit/test_spf.c, tests/live/live_spf_suite.c).
 *
 *   sz_zone z = {0};
 *   sz_add_txt(&z, "example.org", "v=spf1 a -all", 13);
 *   sz_add_addr(&z, "example.org", "192.0.2.1");
 *   ... sd_spf_check(sz_lookup, &z, ...) ...
 *   sz_clear(&z);          (drops the data; sz_free also the array)
 *
 * Rules:
 *   - names are compared without regard to case and a final dot;
 *   - a name with no entry is NXDOMAIN, a name without records of the type
 *     asked NODATA;
 *   - a CNAME is followed (the answer names the canonical name); a chain
 *     longer than SZ_MAX_CNAME links, a loop included, is SERVFAIL;
 *   - a TIMEOUT entry makes a query time out unless a record of the type
 *     asked was listed before it (the RFC 7208 suite's convention), and a
 *     SERVFAIL entry does the same with SERVFAIL;
 *   - every query is counted in z->queries, and z->log keeps the last
 *     "TYPE name" asked.
 *
 * Answers are built with sd_dns_answer_new() and filled with malloc'd
 * records and strings, the layout sd_dns_answer_free() releases.
 */
#ifndef SMTPDOC_SPFZONE_H
#define SMTPDOC_SPFZONE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "spf.h"
#include "spf_internal.h"

#define SZ_MAX_CNAME 8
#define SZ_TIMEOUT (-1)
#define SZ_SERVFAIL (-2)

typedef struct sz_entry {
	char *name;         /* lower case, no final dot */
	int type;           /* SD_DNS_*, SZ_TIMEOUT or SZ_SERVFAIL */
	unsigned pref;
	char *host;
	char *text;
	size_t text_len;
	unsigned char addr[16];
} sz_entry;

typedef struct sz_zone {
	sz_entry *v;
	size_t n, cap;
	int queries;
	char log[300];
} sz_zone;

static inline char *
sz_norm(const char *s)
{
	size_t n = strlen(s), i;
	char *out;

	if (n > 0 && s[n - 1] == '.')
		n--;
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		out[i] = (char)sd_tolower((unsigned char)s[i]);
	out[n] = '\0';
	return out;
}

static inline void
sz_clear(sz_zone *z)
{
	size_t i;

	for (i = 0; i < z->n; i++) {
		free(z->v[i].name);
		free(z->v[i].host);
		free(z->v[i].text);
	}
	z->n = 0;
	z->queries = 0;
}

static inline void
sz_free(sz_zone *z)
{
	sz_clear(z);
	free(z->v);
	z->v = NULL;
	z->cap = 0;
}

/* A new entry; exits the test program when out of memory. */
static inline sz_entry *
sz_add(sz_zone *z, const char *name, int type)
{
	sz_entry *e;

	if (z->n == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 64;
		sz_entry *v = realloc(z->v, cap * sizeof(*v));

		if (v == NULL)
			abort();
		z->v = v;
		z->cap = cap;
	}
	e = &z->v[z->n++];
	memset(e, 0, sizeof(*e));
	e->name = sz_norm(name);
	e->type = type;
	if (e->name == NULL)
		abort();
	return e;
}

static inline void
sz_add_txt(sz_zone *z, const char *name, const char *text, size_t len)
{
	sz_entry *e = sz_add(z, name, SD_DNS_TXT);

	e->text = malloc(len + 1);
	if (e->text == NULL)
		abort();
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->text_len = len;
}

/* A TXT record from a C string. */
static inline void
sz_txt(sz_zone *z, const char *name, const char *text)
{
	sz_add_txt(z, name, text, strlen(text));
}

/* An A or AAAA record, as the address is written; returns -1 when it is
 * neither. */
static inline int
sz_add_addr(sz_zone *z, const char *name, const char *addr)
{
	unsigned char b[16];

	if (sd_spf_ip4_parse(addr, strlen(addr), b) == 0) {
		memcpy(sz_add(z, name, SD_DNS_A)->addr, b, 4);
		return 0;
	}
	if (sd_spf_ip6_parse(addr, strlen(addr), b) == 0) {
		memcpy(sz_add(z, name, SD_DNS_AAAA)->addr, b, 16);
		return 0;
	}
	return -1;
}

/* An MX, PTR or CNAME record. */
static inline void
sz_add_host(sz_zone *z, const char *name, int type, unsigned pref, const char *host)
{
	sz_entry *e = sz_add(z, name, type);

	e->pref = pref;
	e->host = type == SD_DNS_MX ? sz_norm(host) : strdup(host);
	if (e->host == NULL)
		abort();
}

static inline int
sz_append(sd_dns_answer *a, const sz_entry *e)
{
	sd_dns_rr *v = realloc(a->rr, (a->n + 1) * sizeof(*v));
	sd_dns_rr *rr;

	if (v == NULL)
		return -1;
	a->rr = v;
	rr = &a->rr[a->n];
	memset(rr, 0, sizeof(*rr));
	rr->type = e->type;
	rr->ttl = 300;
	rr->pref = e->pref;
	memcpy(rr->addr, e->addr, sizeof(rr->addr));
	if (e->host != NULL && (rr->host = strdup(e->host)) == NULL)
		return -1;
	if (e->text != NULL) {
		rr->text = malloc(e->text_len + 1);
		if (rr->text == NULL) {
			free(rr->host);
			return -1;
		}
		memcpy(rr->text, e->text, e->text_len + 1);
		rr->text_len = e->text_len;
	}
	a->n++;
	return 0;
}

static inline sd_dns_answer *
sz_resolve(sz_zone *z, const char *qname, int type, int hops)
{
	char *name;
	sd_dns_answer *a;
	size_t i;
	int exists = 0;

	if (hops > SZ_MAX_CNAME)
		return sd_dns_answer_new(SD_DNS_SERVFAIL);
	name = sz_norm(qname);
	if (name == NULL)
		return NULL;
	a = sd_dns_answer_new(SD_DNS_OK);
	for (i = 0; a != NULL && i < z->n; i++) {
		const sz_entry *e = &z->v[i];

		if (strcmp(e->name, name) != 0)
			continue;
		exists = 1;
		if (e->type == SZ_TIMEOUT || e->type == SZ_SERVFAIL) {
			if (a->n == 0) {
				a->status = e->type == SZ_TIMEOUT ? SD_DNS_TIMEOUT : SD_DNS_SERVFAIL;
				break;
			}
			continue;
		}
		if (e->type == type) {
			if (sz_append(a, e) != 0) {
				sd_dns_answer_free(a);
				a = NULL;
			}
		} else if (e->type == SD_DNS_CNAME && a->n == 0) {
			sd_dns_answer *b = sz_resolve(z, e->host, type, hops + 1);

			sd_dns_answer_free(a);
			a = b;
			if (a != NULL && a->cname == NULL && a->status == SD_DNS_OK) {
				a->cname = sz_norm(e->host);
				if (a->cname == NULL) {
					sd_dns_answer_free(a);
					a = NULL;
				}
			}
			free(name);
			return a;
		}
	}
	free(name);
	if (a != NULL && a->status == SD_DNS_OK && a->n == 0)
		a->status = exists ? SD_DNS_NODATA : SD_DNS_NXDOMAIN;
	return a;
}

/* The sd_dns_lookup_fn; ctx is an sz_zone. */
static inline sd_dns_answer *
sz_lookup(void *ctx, const char *name, int type)
{
	sz_zone *z = ctx;

	z->queries++;
	snprintf(z->log, sizeof(z->log), "%d %s", type, name);
	return sz_resolve(z, name, type, 0);
}

#endif
