/*
 * live_spf_suite.c - runs the RFC 7208 test suite against sd_spf_check().
 *
 * Usage: live_spf_suite [-v] CASES.txt
 *
 * CASES.txt is what tests/e2e/spf_suite.py makes of the suite's YAML (the
 * format is described there): scenarios of zone data, each followed by
 * its cases. The zone is served from memory through an sd_dns_lookup_fn:
 *   - names are compared without regard to case and a final dot;
 *   - a name with no entry is NXDOMAIN, a name without records of the type
 *     asked NODATA;
 *   - a CNAME is followed (the answer names the canonical name); a chain
 *     longer than 8 links, a loop included, is SERVFAIL;
 *   - a TIMEOUT entry makes a query time out unless a record of the type
 *     asked was listed before it (the suite's convention: "TXT record
 *     present, but SPF lookup times out").
 *
 * For each case it prints "ok" or "FAIL" with the name, the result and,
 * on failure (or with -v, always), the report's text; then "N of M cases
 * pass". A case passes when the result is one of the suite's acceptable
 * results and, where the suite gives an explanation, the explanation is
 * that text (compared without regard to ASCII case, since the suite writes
 * ip6.arpa nibbles in upper case) or, for "DEFAULT", no exp= text at all.
 * Each case must also stay under 300 queries. Exit status: 0 when every
 * case passes, 1 otherwise, 2 on a usage or input error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf.h"
#include "spf_internal.h"

#define ZONE_MAX_CNAME 8
#define CASE_MAX_QUERIES 300

typedef struct zentry {
	char *name;         /* lower case, no final dot */
	int type;           /* SD_DNS_*, or 0 for TIMEOUT */
	unsigned pref;
	char *host;
	char *text;         /* TXT bytes */
	size_t text_len;
	unsigned char addr[16];
} zentry;

typedef struct zone {
	zentry *v;
	size_t n, cap;
	int queries;
} zone;

/* ---- the line format ------------------------------------------------- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode field f in place; returns its length, or -1 when malformed. */
static long
decode(char *f)
{
	size_t i = 0, o = 0;

	if (strcmp(f, "%") == 0) {
		f[0] = '\0';
		return 0;
	}
	while (f[i]) {
		if (f[i] == '%') {
			int h = hexval((unsigned char)f[i + 1]), l;

			if (h < 0 || (l = hexval((unsigned char)f[i + 2])) < 0)
				return -1;
			f[o++] = (char)(h * 16 + l);
			i += 3;
		} else {
			f[o++] = f[i++];
		}
	}
	f[o] = '\0';
	return (long)o;
}

/* Split line into at most max fields at spaces. */
static int
split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		fields[n++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static char *
norm_name(const char *s)
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

static void
zone_clear(zone *z)
{
	size_t i;

	for (i = 0; i < z->n; i++) {
		free(z->v[i].name);
		free(z->v[i].host);
		free(z->v[i].text);
	}
	z->n = 0;
}

static zentry *
zone_add(zone *z, const char *name, int type)
{
	zentry *e;

	if (z->n == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 64;
		zentry *v = realloc(z->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		z->v = v;
		z->cap = cap;
	}
	e = &z->v[z->n];
	memset(e, 0, sizeof(*e));
	e->name = norm_name(name);
	if (e->name == NULL)
		return NULL;
	e->type = type;
	z->n++;
	return e;
}

/* "rr NAME TYPE ..." (fields decoded by the caller) */
static int
zone_rr(zone *z, char **f, long *len, int n)
{
	zentry *e;
	sd_spf_ip ip;
	int i, k;
	size_t total = 0;

	if (n < 3)
		return -1;
	if (strcmp(f[2], "TIMEOUT") == 0)
		return zone_add(z, f[1], 0) ? 0 : -1;
	if (strcmp(f[2], "A") == 0 || strcmp(f[2], "AAAA") == 0) {
		int type = f[2][1] == '\0' ? SD_DNS_A : SD_DNS_AAAA;

		if (n != 4 || sd_spf_ip_parse(f[3], &ip) != 0)
			return -1;
		/* the zone keeps what was written, mapped or not */
		if ((e = zone_add(z, f[1], type)) == NULL)
			return -1;
		if (type == SD_DNS_A) {
			if (sd_spf_ip4_parse(f[3], strlen(f[3]), e->addr) != 0)
				return -1;
		} else if (sd_spf_ip6_parse(f[3], strlen(f[3]), e->addr) != 0) {
			return -1;
		}
		return 0;
	}
	if (strcmp(f[2], "MX") == 0) {
		if (n != 5 || (e = zone_add(z, f[1], SD_DNS_MX)) == NULL)
			return -1;
		e->pref = (unsigned)strtoul(f[3], NULL, 10);
		e->host = norm_name(f[4]);
		return e->host ? 0 : -1;
	}
	if (strcmp(f[2], "PTR") == 0 || strcmp(f[2], "CNAME") == 0) {
		if (n != 4 || (e = zone_add(z, f[1], f[2][0] == 'P' ? SD_DNS_PTR : SD_DNS_CNAME)) == NULL)
			return -1;
		e->host = strdup(f[3]);
		return e->host ? 0 : -1;
	}
	if (strcmp(f[2], "TXT") == 0) {
		if (n < 4 || (k = atoi(f[3])) != n - 4 || (e = zone_add(z, f[1], SD_DNS_TXT)) == NULL)
			return -1;
		for (i = 4; i < n; i++)
			total += (size_t)len[i];
		e->text = malloc(total + 1);
		if (e->text == NULL)
			return -1;
		for (i = 4; i < n; i++) {
			memcpy(e->text + e->text_len, f[i], (size_t)len[i]);
			e->text_len += (size_t)len[i];
		}
		e->text[e->text_len] = '\0';
		return 0;
	}
	return -1;
}

/* ---- the lookup function ------------------------------------------------- */

static int
rr_append(sd_dns_answer *a, const zentry *e)
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
	if (e->host && (rr->host = strdup(e->host)) == NULL)
		return -1;
	if (e->text) {
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

static sd_dns_answer *
zone_resolve(zone *z, const char *qname, int type, int hops)
{
	char *name = norm_name(qname);
	sd_dns_answer *a;
	size_t i;
	int exists = 0;

	if (name == NULL)
		return NULL;
	if (hops > ZONE_MAX_CNAME) {
		free(name);
		return sd_dns_answer_new(SD_DNS_SERVFAIL);
	}
	a = sd_dns_answer_new(SD_DNS_OK);
	for (i = 0; a != NULL && i < z->n; i++) {
		const zentry *e = &z->v[i];

		if (strcmp(e->name, name) != 0)
			continue;
		exists = 1;
		if (e->type == 0) {
			if (a->n == 0) {
				a->status = SD_DNS_TIMEOUT;
				break;
			}
			continue;
		}
		if (e->type == type) {
			if (rr_append(a, e) != 0) {
				sd_dns_answer_free(a);
				a = NULL;
			}
		} else if (e->type == SD_DNS_CNAME && a->n == 0) {
			sd_dns_answer *b = zone_resolve(z, e->host, type, hops + 1);

			sd_dns_answer_free(a);
			a = b;
			if (a != NULL && a->cname == NULL && a->status == SD_DNS_OK) {
				a->cname = norm_name(e->host);
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

static sd_dns_answer *
zone_lookup(void *ctx, const char *name, int type)
{
	zone *z = ctx;

	z->queries++;
	return zone_resolve(z, name, type, 0);
}

/* ---- running the cases ------------------------------------------------- */

static int
result_ok(const char *list, sd_spf_result r)
{
	const char *want = sd_spf_result_name(r);
	size_t n = strlen(want);
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, want, n) == 0)
			return 1;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

static int
run_case(zone *z, char **f, int n, int verbose)
{
	sd_spf_options opt = {"receiver.example.org", 1000000000LL, 0};
	sd_spf_report *rep = NULL;
	smtpdoc_status st;
	const char *why = NULL;
	int ok;
	sd_buf b;

	/* case NAME HOST MAILFROM HELO RESULTS EXPKIND [TEXT] */
	z->queries = 0;
	st = sd_spf_check(zone_lookup, z, f[2], NULL, f[3], f[4], &opt, &rep);
	if (st != SMTPDOC_OK) {
		printf("FAIL %s: sd_spf_check returned %d\n", f[1], (int)st);
		return 0;
	}
	if (!result_ok(f[5], rep->result))
		why = "result";
	else if (strcmp(f[6], "default") == 0 && rep->explanation != NULL)
		why = "explanation (want the default)";
	else if (strcmp(f[6], "text") == 0 &&
		 (n < 8 || rep->explanation == NULL || strcasecmp(rep->explanation, f[7]) != 0))
		why = "explanation";
	else if (z->queries > CASE_MAX_QUERIES)
		why = "too many queries";
	ok = why == NULL;
	if (ok)
		printf("ok %s: %s\n", f[1], sd_spf_result_name(rep->result));
	else
		printf("FAIL %s: %s: got %s, explanation \"%s\"; want %s, explanation %s%s%s "
		       "(%d queries)\n", f[1], why, sd_spf_result_name(rep->result),
		       rep->explanation ? rep->explanation : "(none)", f[5],
		       n >= 8 ? "\"" : "", n >= 8 ? f[7] : f[6], n >= 8 ? "\"" : "", z->queries);
	if (!ok || verbose) {
		sd_buf_init(&b, 1 << 20);
		if (sd_spf_report_text(rep, &b) == 0 && b.data)
			printf("%s", b.data);
		sd_buf_free(&b);
	}
	sd_spf_report_free(rep);
	return ok;
}

int
main(int argc, char **argv)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	zone z = {0};
	int verbose = 0, total = 0, passed = 0, bad = 0;
	const char *path;

	if (argc == 3 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		path = argv[2];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: live_spf_suite [-v] CASES.txt\n");
		return 2;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		perror(path);
		return 2;
	}
	while (getline(&line, &cap, fp) > 0) {
		char *f[64];
		long len[64];
		int n, i;

		line[strcspn(line, "\r\n")] = '\0';
		n = split(line, f, 64);
		if (n == 0 || f[0][0] == '#')
			continue;
		for (i = 1; i < n; i++)
			if ((len[i] = decode(f[i])) < 0)
				bad = 1;
		if (bad)
			break;
		if (strcmp(f[0], "scenario") == 0) {
			zone_clear(&z);
		} else if (strcmp(f[0], "rr") == 0) {
			if (zone_rr(&z, f, len, n) != 0) {
				bad = 1;
				break;
			}
		} else if (strcmp(f[0], "case") == 0 && n >= 7) {
			total++;
			passed += run_case(&z, f, n, verbose);
		} else {
			bad = 1;
			break;
		}
	}
	free(line);
	fclose(fp);
	zone_clear(&z);
	free(z.v);
	if (bad) {
		fprintf(stderr, "live_spf_suite: %s: malformed line\n", path);
		return 2;
	}
	printf("%d of %d cases pass\n", passed, total);
	return passed == total && total > 0 ? 0 : 1;
}
