/*
 * fuzz_smtp_reply.c - libFuzzer target for the SMTP probe's reply reader
 * (src/smtp_reply.c) and EHLO keyword parser (src/smtp_ehlo.c).
 *
 * The first byte of the input picks the piece size (1 to 256 bytes) in
 * which the rest is fed to sd_smtp_reader_feed(), as a server's bytes
 * arrive in pieces of any size. Every reply read is checked (code in
 * range, text NUL-terminated, no longer than SD_SMTP_TEXT_MAX, its length
 * right), formatted with sd_smtp_reply_format() and parsed as an EHLO
 * reply; reading stops at the first error, as the session does, after
 * sd_smtp_reader_end() has looked at what is left.
 *
 * Build and run as the other targets (fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_smtp_reply
 *	build-fuzz/fuzz_smtp_reply -max_total_time=600 fuzz/corpus/fuzz_smtp_reply
 *
 * Linked with fuzz/replay_main.c into fuzz_smtp_reply_replay, which ctest
 * runs over fuzz/corpus/fuzz_smtp_reply.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/smtp_probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check - a broken promise of the reader: crash so the fuzzer sees it */
static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
fuzz_reply(const sd_smtp_reply *r)
{
	sd_smtp_features f;
	char line[600];

	check(r->code >= 200 && r->code <= 559);
	check(r->text != NULL && strlen(r->text) == r->len);
	check(r->len <= SD_SMTP_TEXT_MAX);
	check(r->lines >= 1 && r->lines <= SD_SMTP_LINES_MAX);
	check(strlen(r->status) < sizeof(r->status));
	sd_smtp_reply_format(r, line, sizeof(line));
	check(strlen(line) < sizeof(line));
	sd_smtp_features_parse(r, &f);
	check(strlen(f.auth) < sizeof(f.auth));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sd_smtp_reader rd;
	size_t piece, off = 0;
	int rc = 0;

	if (size == 0)
		return 0;
	piece = (size_t)data[0] + 1;
	data++;
	size--;
	sd_smtp_reader_init(&rd);
	while (off < size && rc >= 0) {
		size_t n = size - off < piece ? size - off : piece, at = 0;

		while (at < n) {
			size_t used;
			sd_smtp_reply r;

			rc = sd_smtp_reader_feed(&rd, (const char *)data + off + at, n - at, &used);
			check(used <= n - at);
			at += used;
			if (rc < 0)
				break;
			if (rc == 0) {
				check(at == n);
				break;
			}
			if (sd_smtp_reader_take(&rd, &r) == 0) {
				fuzz_reply(&r);
				sd_smtp_reply_clear(&r);
			}
		}
		off += n;
	}
	if (rc >= 0)
		rc = sd_smtp_reader_end(&rd);
	if (rc < 0)
		check(rd.why[0] != '\0');
	return 0;
}
