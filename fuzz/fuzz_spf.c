/*
 * fuzz_spf.c - libFuzzer target for the SPF module (src/spf_*.c): record
 * parsing, macro expansion, check_host() and the lint, on records the
 * fuzzer writes.
 *
 * The input is split at '\n' into at most FUZZ_SPF_RECORDS lines. Line 0
 * is the TXT record of example.org, line N the TXT record of
 * N.example.org (so "include:3.example.org" reaches line 3); a line may
 * hold any bytes. Every other name is served by a fixed in-memory zone:
 * names under example.org have A 192.0.2.1, AAAA 2001:db8::1 and MX
 * mx.example.org, the client's PTR names ptr.example.org, names with
 * "timeout" in them time out, and the rest do not exist. Each input is
 * checked for an IPv4 and an IPv6 client and linted; line 0 also goes
 * straight to the parser and, as explanation text, to the macro checker.
 * Every string of the reports is read, and the text forms are written to
 * a bounded buffer.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_spf
 *	build-fuzz/fuzz_spf -max_total_time=600 -rss_limit_mb=2048 \
 *	    -dict=fuzz/spf.dict /tmp/fuzzwork fuzz/corpus/fuzz_spf
 *
 * Linked with fuzz/replay_main.c into fuzz_spf_replay, which ctest runs
 * over fuzz/corpus/fuzz_spf.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/spf.h"
#include "../src/spf_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SPF_RECORDS 16
#define FUZZ_SPF_MAX_QUERIES 1000

typedef struct fuzz_zone {
	const char *rec[FUZZ_SPF_RECORDS];
	size_t len[FUZZ_SPF_RECORDS];
	size_t n;
	int queries;
} fuzz_zone;

/* Which line is the record of name: 0 for example.org, N for
 * N.example.org; -1 otherwise. */
static int
fuzz_line_of(const char *name)
{
	size_t n = strlen(name);
	int v = 0;
	const char *p = name;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 11 && strncasecmp(name, "example.org", 11) == 0)
		return 0;
	while (p < name + n && *p >= '0' && *p <= '9' && v < 100)
		v = v * 10 + (*p++ - '0');
	if (p == name || v >= FUZZ_SPF_RECORDS || (size_t)(p - name) + 12 != n ||
	    strncasecmp(p, ".example.org", 12) != 0)
		return -1;
	return v;
}

static int
fuzz_add(sd_dns_answer *a, int type, const char *host, const char *text, size_t len)
{
	sd_dns_rr *rr = realloc(a->rr, (a->n + 1) * sizeof(*rr));

	if (rr == NULL)
		return -1;
	a->rr = rr;
	rr = &a->rr[a->n];
	memset(rr, 0, sizeof(*rr));
	rr->type = type;
	if (host != NULL && (rr->host = strdup(host)) == NULL)
		return -1;
	if (text != NULL) {
		rr->text = malloc(len + 1);
		if (rr->text == NULL) {
			free(rr->host);
			return -1;
		}
		memcpy(rr->text, text, len);
		rr->text[len] = '\0';
		rr->text_len = len;
	}
	if (type == SD_DNS_A)
		memcpy(rr->addr, "\xc0\x00\x02\x01", 4);
	if (type == SD_DNS_AAAA)
		memcpy(rr->addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	a->n++;
	return 0;
}

static sd_dns_answer *
fuzz_lookup(void *ctx, const char *name, int type)
{
	fuzz_zone *z = ctx;
	sd_dns_answer *a = sd_dns_answer_new(SD_DNS_OK);
	int line = fuzz_line_of(name), rc = 0;
	size_t n = strlen(name);

	z->queries++;
	if (a == NULL)
		return NULL;
	if (strstr(name, "timeout") != NULL) {
		a->status = SD_DNS_TIMEOUT;
		return a;
	}
	if (type == SD_DNS_TXT && line >= 0) {
		if ((size_t)line < z->n)
			rc = fuzz_add(a, SD_DNS_TXT, NULL, z->rec[line], z->len[line]);
	} else if (type == SD_DNS_PTR && n > 5 && strcmp(name + n - 5, ".arpa") == 0) {
		rc = fuzz_add(a, SD_DNS_PTR, "ptr.example.org", NULL, 0);
	} else if (n >= 11 && strncasecmp(name + n - 11, "example.org", 11) == 0) {
		if (type == SD_DNS_A || type == SD_DNS_AAAA)
			rc = fuzz_add(a, type, NULL, NULL, 0);
		else if (type == SD_DNS_MX)
			rc = fuzz_add(a, SD_DNS_MX, "mx.example.org", NULL, 0);
	} else {
		a->status = SD_DNS_NXDOMAIN;
		return a;
	}
	if (rc != 0) {
		sd_dns_answer_free(a);
		return NULL;
	}
	if (a->n == 0)
		a->status = SD_DNS_NODATA;
	return a;
}

/* Touch every string, so that a bad pointer shows. */
static size_t
fuzz_len(const char *s)
{
	return s ? strlen(s) : 0;
}

static void
fuzz_report(const sd_spf_report *r)
{
	size_t i, sum = 0;
	sd_buf b;

	sum += fuzz_len(r->ip) + fuzz_len(r->domain) + fuzz_len(r->sender) + fuzz_len(r->record);
	sum += fuzz_len(r->reason) + fuzz_len(r->explanation) + fuzz_len(r->matched_term);
	sum += fuzz_len(r->matched_domain) + fuzz_len(r->error_domain) + fuzz_len(r->error_term);
	sum += fuzz_len(r->limit_term) + fuzz_len(r->limit_domain) + fuzz_len(r->limit_path);
	for (i = 0; i < r->nsteps; i++)
		sum += fuzz_len(r->steps[i].domain) + fuzz_len(r->steps[i].term) +
		       fuzz_len(r->steps[i].detail);
	if (r->lookups > SD_SPF_MAX_DNS_TERMS || r->nsteps > SD_SPF_MAX_STEPS || sum == (size_t)-1)
		abort();
	sd_buf_init(&b, 1 << 20);
	(void)sd_spf_report_text(r, &b);
	sd_buf_free(&b);
}

static void
fuzz_lint(const sd_spf_lint_report *l)
{
	size_t i, sum = 0;
	sd_buf b;

	sum += fuzz_len(l->domain) + fuzz_len(l->record);
	for (i = 0; i < l->nnodes; i++)
		sum += fuzz_len(l->nodes[i].domain) + fuzz_len(l->nodes[i].record) +
		       fuzz_len(l->nodes[i].via);
	for (i = 0; i < l->nissues; i++)
		sum += fuzz_len(l->issues[i].domain) + fuzz_len(l->issues[i].term) +
		       fuzz_len(l->issues[i].message) + fuzz_len(l->issues[i].code);
	if (l->nnodes > SD_SPF_LINT_MAX_NODES || sum == (size_t)-1)
		abort();
	sd_buf_init(&b, 1 << 20);
	(void)sd_spf_lint_text(l, &b);
	sd_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ips[2] = {"192.0.2.1", "2001:db8::1"};
	fuzz_zone z;
	const char *p = size ? (const char *)data : "", *end = p + size;
	sd_spf_report *r;
	sd_spf_lint_report *l;
	sd_arena *a;
	sd_spf_record rec;
	sd_spf_syntax syn;
	char why[SD_SPF_WHY_MAX];
	size_t off;
	int i;

	memset(&z, 0, sizeof(z));
	while (p <= end && z.n < FUZZ_SPF_RECORDS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		z.rec[z.n] = p;
		z.len[z.n++] = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	a = sd_arena_new();
	if (a != NULL) {
		(void)sd_spf_record_parse(a, z.rec[0], z.len[0], &rec, &syn);
		sd_arena_free(a);
	}
	(void)sd_spf_macro_check(z.rec[0], z.len[0], 1, &off, why, sizeof(why));
	for (i = 0; i < 2; i++) {
		r = NULL;
		z.queries = 0;
		if (sd_spf_check(fuzz_lookup, &z, ips[i], NULL, "strong-bad+x@example.org",
				 "helo.example.org", NULL, &r) == SMTPDOC_OK) {
			fuzz_report(r);
			sd_spf_report_free(r);
		}
		if (z.queries > FUZZ_SPF_MAX_QUERIES)
			abort(); /* the work must stay bounded */
	}
	l = NULL;
	z.queries = 0;
	if (sd_spf_lint(fuzz_lookup, &z, "example.org", NULL, &l) == SMTPDOC_OK) {
		fuzz_lint(l);
		sd_spf_lint_free(l);
	}
	if (z.queries > SD_SPF_LINT_MAX_QUERIES + 10)
		abort();
	return 0;
}
