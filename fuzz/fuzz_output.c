/*
 * fuzz_output.c - libFuzzer target for the output side: smtpdoc_decode()
 * followed by every writer the smtpdoc command uses.
 *
 * Each input is decoded as one raw message, like fuzz_decode. Every result
 * is then written as JSON (smtpdoc_write_result_json), as text with and
 * without colour (smtpdoc_write_result_text), and the whole report as a
 * support report (smtpdoc_write_support_report), all to /dev/null; the
 * address hints are computed for every recipient. The first line of the
 * input (at most 1 KB) also goes straight to smtpdoc_write_json_string()
 * and smtpdoc_address_hints(), so that those see arbitrary bytes, not only
 * what the decoder lets through.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_output
 *	build-fuzz/fuzz_output -max_total_time=600 -rss_limit_mb=2048 \
 *	    fuzz/corpus/fuzz_output
 *
 * Linked with fuzz/replay_main.c into fuzz_output_replay, which ctest runs
 * over fuzz/corpus/fuzz_output.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LINE_MAX 1024

/* The sink for all output; opened once, never closed. */
static FILE *fuzz_null;

/* fuzz_hints - hints for s, checking that they are NUL-terminated */
static void
fuzz_hints(const char *s)
{
	smtpdoc_hints h;
	size_t i;

	memset(&h, 0x5a, sizeof(h));
	smtpdoc_address_hints(s, &h);
	if (h.count > SMTPDOC_MAX_HINTS)
		abort();
	for (i = 0; i < h.count; i++)
		if (memchr(h.text[i], '\0', sizeof(h.text[i])) == NULL)
			abort();
	if (memchr(h.suggestion, '\0', sizeof(h.suggestion)) == NULL)
		abort();
}

/* fuzz_first_line - the first line of data, NUL-terminated, to the
 * string-level functions */
static void
fuzz_first_line(const uint8_t *data, size_t size)
{
	char line[FUZZ_LINE_MAX + 1];
	size_t n = size < FUZZ_LINE_MAX ? size : FUZZ_LINE_MAX;
	const void *nl = memchr(data, '\n', n);

	if (nl != NULL)
		n = (size_t)((const uint8_t *)nl - data);
	memcpy(line, data, n);
	line[n] = '\0';
	smtpdoc_write_json_string(fuzz_null, line);
	fuzz_hints(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	smtpdoc_report *rep = NULL;
	smtpdoc_status st;
	size_t i;

	if (fuzz_null == NULL) {
		fuzz_null = fopen("/dev/null", "w");
		if (fuzz_null == NULL)
			abort();
	}
	fuzz_first_line(data, size);
	st = smtpdoc_decode(data, size, "fuzz", &rep);
	if ((int)st < 0 || st >= SMTPDOC_STATUS_COUNT)
		abort();
	if (st != SMTPDOC_OK) {
		if (rep != NULL)
			abort();
		return 0;
	}
	if (rep == NULL)
		abort();
	for (i = 0; i < rep->count; i++) {
		const smtpdoc_result *r = &rep->results[i];

		smtpdoc_write_result_json(fuzz_null, r);
		smtpdoc_write_result_text(fuzz_null, r, 0);
		smtpdoc_write_result_text(fuzz_null, r, SMTPDOC_OUT_COLOR);
		if (r->recipient != NULL)
			fuzz_hints(r->recipient);
	}
	if (rep->kind == SMTPDOC_KIND_BOUNCE)
		smtpdoc_write_support_report(fuzz_null, rep, 0);
	fflush(fuzz_null);
	smtpdoc_report_free(rep);
	return 0;
}
