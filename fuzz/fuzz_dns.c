/*
 * fuzz_dns.c - libFuzzer target for the DNS answer reader, sd_dns_parse()
 * (src/dns_parse.c), which reads every message a DNS server sends back.
 *
 * Input: one byte choosing the type asked (its value modulo 7: A, NS,
 * CNAME, PTR, MX, TXT, AAAA; bit 7 set: the question name must also be
 * "example.test"), then the DNS message as it came over the wire. Every
 * field of the answer is read: each name to its end, each TXT text over
 * its whole length.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_dns
 *	build-fuzz/fuzz_dns -max_total_time=600 -max_len=4096 fuzz/corpus/fuzz_dns
 *
 * Linked with fuzz/replay_main.c into fuzz_dns_replay, which ctest runs
 * over fuzz/corpus/fuzz_dns (answers of a real server, of
 * tests/dns/badserver.py, and every input that once crashed).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../src/dns_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = {SD_DNS_A,  SD_DNS_NS,  SD_DNS_CNAME, SD_DNS_PTR,
				    SD_DNS_MX, SD_DNS_TXT, SD_DNS_AAAA};
	sd_dns_answer *a;
	size_t sum = 0;

	if (size < 1)
		return 0;
	a = sd_dns_parse(data + 1, size - 1, (data[0] & 0x80) ? "example.test" : NULL,
			 types[(data[0] & 0x7F) % 7]);
	if (a == NULL)
		return 0;
	if (a->cname)
		sum += strlen(a->cname);
	for (size_t i = 0; i < a->n; i++) {
		const sd_dns_rr *rr = &a->rr[i];

		sum += (size_t)rr->type + rr->ttl + rr->pref + rr->addr[0] + rr->addr[15];
		if (rr->host)
			sum += strlen(rr->host);
		for (size_t k = 0; rr->text && k < rr->text_len; k++)
			sum += (unsigned char)rr->text[k];
	}
	sink = sum + (size_t)a->status;
	sd_dns_answer_free(a);
	return 0;
}
