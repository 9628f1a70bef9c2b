/*
 * fuzz_address.c - libFuzzer target for the address checks of `verify`:
 * sd_address_check_n() and sd_address_suggest() (src/address.c and
 * friends), and the list reader sd_addrlist_*() (src/address_file.c).
 *
 * The first byte of the input chooses what the rest goes to:
 *   0: one address, checked, then suggestions with MX unknown, none, and
 *      with a small domain frequency table;
 *   1, 2, 3: a list read with automatic, CSV and plain format; every
 *      address it yields is checked, and its domain counted; at the end
 *      the counter's top domains are asked for.
 * Every string handed out is read to its end, so a missing terminator or
 * a stale pointer shows under AddressSanitizer; a result that breaks the
 * documented contract calls abort().
 *
 * These are internal interfaces (src/address.h), not yet in the public
 * header, hence the relative include.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_address
 *	build-fuzz/fuzz_address -max_total_time=600 -max_len=8192 \
 *	    /tmp/fuzzwork fuzz/corpus/fuzz_address
 *
 * Linked with fuzz/replay_main.c into fuzz_address_replay, which ctest runs
 * over fuzz/corpus/fuzz_address.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/address.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink;

/* fuzz_read - touch every byte of s */
static void
fuzz_read(const char *s)
{
	if (s != NULL)
		fuzz_sink += strlen(s);
}

/* fuzz_check - check one address and everything said about it */
static void
fuzz_check(const char *s, size_t n, sd_address_info *a, sd_domfreq *f)
{
	static const sd_domcount freq[] = {
		{"example.com", 500}, {"gmail.com", 100}, {"example.org", 20},
	};
	sd_suggestion sg;

	if (sd_address_check_n(s, n, a) != SMTPDOC_OK)
		return;
	fuzz_read(a->input);
	fuzz_read(a->address);
	fuzz_read(a->address_ascii);
	fuzz_read(a->local);
	fuzz_read(a->domain);
	fuzz_read(a->domain_ascii);
	fuzz_read(a->reason);
	if (a->input == NULL || a->address == NULL)
		abort();
	if (a->valid != (a->error == SD_ADDRESS_EOK) || a->valid != (a->reason == NULL))
		abort();
	if (a->valid && (a->address_ascii == NULL || strlen(a->address_ascii) > SD_ADDRESS_PATH_MAX))
		abort();
	(void)sd_address_suggest(a, SD_MX_UNKNOWN, NULL, 0, &sg);
	(void)sd_address_suggest(a, 0, freq, sizeof(freq) / sizeof(freq[0]), &sg);
	if (memchr(sg.domain, '\0', sizeof(sg.domain)) == NULL ||
	    memchr(sg.address, '\0', sizeof(sg.address)) == NULL)
		abort();
	if (f != NULL && a->domain != NULL)
		(void)sd_domfreq_add(f, a->domain);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sd_addrlist_format formats[] = {
		SD_ADDRLIST_AUTO, SD_ADDRLIST_CSV, SD_ADDRLIST_PLAIN,
	};
	sd_address_info a = {0};
	sd_addrlist_opts opts = {SD_ADDRLIST_AUTO, NULL};
	sd_addrlist_item it;
	sd_addrlist_status st;
	const sd_domcount *top;
	sd_addrlist *r;
	sd_domfreq *f;
	FILE *fp;
	size_t n, i;

	if (size == 0)
		return 0;
	if (data[0] % 4 == 0 || size == 1) {
		fuzz_check((const char *)data + 1, size - 1, &a, NULL);
		sd_address_info_free(&a);
		return 0;
	}
	opts.format = formats[data[0] % 4 - 1];
	fp = fmemopen((void *)(data + 1), size - 1, "r");
	if (fp == NULL)
		return 0;
	r = sd_addrlist_new(fp, &opts);
	f = sd_domfreq_new();
	while (r != NULL && ((st = sd_addrlist_next(r, &it)) == SD_ADDRLIST_ADDRESS ||
			     st == SD_ADDRLIST_BAD)) {
		if (it.text == NULL || it.text[it.len] != '\0')
			abort();
		if (st == SD_ADDRLIST_ADDRESS)
			fuzz_check(it.text, it.len, &a, f);
		else
			fuzz_read(it.text);
	}
	fuzz_read(sd_addrlist_column(r));
	top = sd_domfreq_top(f, 10, &n);
	for (i = 0; top != NULL && i < n; i++)
		fuzz_read(top[i].domain);
	sd_domfreq_free(f);
	sd_addrlist_free(r);
	sd_address_info_free(&a);
	fclose(fp);
	return 0;
}
