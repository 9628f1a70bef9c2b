/*
 * fuzz_decode.c - libFuzzer target for smtpdoc_decode().
 *
 * Feeds each input as one raw message to smtpdoc_decode(), then reads
 * every string of the report and of each result (strlen), so that
 * AddressSanitizer sees a dangling or unterminated pointer even when the
 * decoder itself did not trip over it, and frees the report.
 *
 * It also checks the few promises smtpdoc.h makes about the report and
 * aborts when one is broken: a status inside the status list; a report
 * exactly when the status is SMTPDOC_OK; a results array when count > 0;
 * a kind inside the kind list.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_decode
 *	build-fuzz/fuzz_decode -max_total_time=1800 -rss_limit_mb=2048 \
 *	    fuzz/corpus/fuzz_decode
 *
 * The same file is linked with fuzz/replay_main.c into fuzz_decode_replay,
 * which runs the committed corpus in the normal test run (ctest).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sum of lengths read, kept so that the reads are not optimised away. */
static volatile size_t fuzz_sink;

/* fuzz_touch - read a report-owned string to its end; NULL is fine */
static void
fuzz_touch(const char *s)
{
	if (s != NULL)
		fuzz_sink += strlen(s);
}

/* fuzz_touch_result - read every string field of one result */
static void
fuzz_touch_result(const smtpdoc_result *r)
{
	fuzz_touch(r->recipient);
	fuzz_touch(r->addresser);
	fuzz_touch(r->senderdomain);
	fuzz_touch(r->destination);
	fuzz_touch(r->alias);
	fuzz_touch(r->action);
	fuzz_touch(r->replycode);
	fuzz_touch(r->deliverystatus);
	fuzz_touch(r->diagnosticcode);
	fuzz_touch(r->diagnostictype);
	fuzz_touch(r->reason);
	fuzz_touch(r->timezoneoffset);
	fuzz_touch(r->origin);
	fuzz_touch(r->smtpagent);
	fuzz_touch(r->smtpcommand);
	fuzz_touch(r->lhost);
	fuzz_touch(r->rhost);
	fuzz_touch(r->messageid);
	fuzz_touch(r->subject);
	fuzz_touch(r->listid);
	fuzz_touch(r->feedbacktype);
	fuzz_touch(r->token);
	fuzz_touch(r->cause);
	fuzz_sink += (size_t)r->hardbounce + (size_t)r->timestamp;
}

/* fuzz_touch_report - read the report header, its raw copy and results */
static void
fuzz_touch_report(const smtpdoc_report *rep)
{
	size_t i;

	fuzz_touch(rep->origin);
	fuzz_touch(rep->why);
	if (rep->kind != SMTPDOC_KIND_BOUNCE
	    && rep->kind != SMTPDOC_KIND_NOT_BOUNCE
	    && rep->kind != SMTPDOC_KIND_UNDECODED)
		abort();
	/* raw is raw_len bytes, not necessarily NUL-terminated. */
	if (rep->raw_len > 0) {
		if (rep->raw == NULL)
			abort();
		fuzz_sink += (unsigned char)rep->raw[0];
		fuzz_sink += (unsigned char)rep->raw[rep->raw_len - 1];
	}
	if (rep->count > 0 && rep->results == NULL)
		abort();
	for (i = 0; i < rep->count; i++)
		fuzz_touch_result(&rep->results[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	smtpdoc_report *rep = NULL;
	smtpdoc_status st;

	st = smtpdoc_decode(data, size, "fuzz", &rep);
	if ((int)st < 0 || st >= SMTPDOC_STATUS_COUNT)
		abort();
	fuzz_touch(smtpdoc_strerror(st));
	if (st == SMTPDOC_OK) {
		if (rep == NULL)
			abort();
		fuzz_touch_report(rep);
	} else if (rep != NULL) {
		abort();
	}
	smtpdoc_report_free(rep);
	return 0;
}
