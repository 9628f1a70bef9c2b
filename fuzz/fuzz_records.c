/*
 * fuzz_records.c - libFuzzer target for the record parsers of `smtpdoc
 * check` (src/dnscheck_*.c): DMARC, DKIM keys, MTA-STS and TLS-RPT
 * records, and the MX check, on record text the fuzzer writes.
 *
 * Every TXT query is answered with the input as one record, split into
 * two records at the first '\n' when there is one (so "several records"
 * paths run too); MX queries get one MX to mx.example.org whose A is
 * 192.0.2.1; everything else does not exist. Each input goes through
 * every check, and every string of every item is read.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_records
 *	build-fuzz/fuzz_records -max_total_time=600 /tmp/fuzzwork fuzz/corpus/fuzz_records
 *
 * Linked with fuzz/replay_main.c into fuzz_records_replay, which ctest
 * runs over fuzz/corpus/fuzz_records.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/dnscheck.h"

typedef struct fuzz_zone {
	const uint8_t *data;
	size_t len;
} fuzz_zone;

static sd_dns_rr *
fuzz_rr(sd_dns_answer *a, int type)
{
	sd_dns_rr *n = realloc(a->rr, (a->n + 1) * sizeof(*n));

	if (n == NULL)
		return NULL;
	a->rr = n;
	memset(&n[a->n], 0, sizeof(n[0]));
	n[a->n].type = type;
	n[a->n].ttl = 300;
	return &n[a->n++];
}

static int
fuzz_txt(sd_dns_answer *a, const uint8_t *p, size_t n)
{
	sd_dns_rr *rr = fuzz_rr(a, SD_DNS_TXT);

	if (rr == NULL || (rr->text = malloc(n + 1)) == NULL)
		return -1;
	memcpy(rr->text, p, n);
	rr->text[n] = '\0';
	rr->text_len = n;
	return 0;
}

static sd_dns_answer *
fuzz_lookup(void *ctx, const char *name, int type)
{
	const fuzz_zone *z = ctx;
	sd_dns_answer *a = sd_dns_answer_new(SD_DNS_OK);
	sd_dns_rr *rr;

	if (a == NULL)
		return NULL;
	if (type == SD_DNS_TXT) {
		const uint8_t *nl = memchr(z->data, '\n', z->len);
		size_t first = nl ? (size_t)(nl - z->data) : z->len;
		if (fuzz_txt(a, z->data, first) != 0 ||
		    (nl && fuzz_txt(a, nl + 1, z->len - first - 1) != 0))
			a->status = SD_DNS_ERROR;
	} else if (type == SD_DNS_MX && strcmp(name, "example.org") == 0) {
		if ((rr = fuzz_rr(a, SD_DNS_MX)) == NULL || (rr->host = strdup("mx.example.org")) == NULL)
			a->status = SD_DNS_ERROR;
		else
			rr->pref = 10;
	} else if (type == SD_DNS_A && strcmp(name, "mx.example.org") == 0) {
		if ((rr = fuzz_rr(a, SD_DNS_A)) != NULL) {
			rr->addr[0] = 192;
			rr->addr[2] = 2;
			rr->addr[3] = 1;
		}
	} else {
		a->status = SD_DNS_NXDOMAIN;
	}
	if (a->status == SD_DNS_OK && a->n == 0)
		a->status = SD_DNS_NODATA;
	return a;
}

static size_t
fuzz_read_items(const sd_check_list *l)
{
	size_t i, k, sum = 0;

	for (i = 0; i < l->n; i++) {
		const sd_check_item *it = l->v[i];
		sum += strlen(it->id) + (it->summary ? strlen(it->summary) : 0) +
		       (it->subject ? strlen(it->subject) : 0) + (it->bounce ? strlen(it->bounce) : 0);
		for (k = 0; k < it->ndetails; k++)
			sum += strlen(it->details[k].key) + strlen(it->details[k].value);
		for (k = 0; k < it->nfix; k++)
			sum += strlen(it->fix[k]);
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sel[] = {"s1", "s2"};
	sd_check_list l = SD_CHECK_LIST_INIT;
	fuzz_zone z = {data, size};

	if (size > 65536)
		return 0;
	sd_dnscheck_mx(fuzz_lookup, &z, "example.org", &l, NULL);
	sd_dnscheck_dmarc(fuzz_lookup, &z, "mail.example.org", &l);
	sd_dnscheck_dkim(fuzz_lookup, &z, "example.org", sel, 2, &l);
	sd_dnscheck_mta_sts(fuzz_lookup, &z, "example.org", &l);
	sd_dnscheck_tlsrpt(fuzz_lookup, &z, "example.org", &l);
	sd_dnscheck_dnsbl_domain(fuzz_lookup, &z, "example.org", NULL, 0, &l);
	if (fuzz_read_items(&l) == (size_t)-1)
		abort();
	sd_check_list_free(&l);
	return 0;
}
