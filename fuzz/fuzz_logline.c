/*
 * fuzz_logline.c - libFuzzer target for the mail log line parser
 * (src/log_line.c, log_postfix.c, log_exim.c, log_sendmail.c) and the
 * event writers.
 *
 * The input is cut into lines; each goes through sd_log_parse_line() with
 * and without SMTPDOC_LOG_ALL, whose spans must lie inside the line, and
 * through smtpdoc_log_parse_line(), whose event is written as JSON and
 * text to /dev/null. Build and run as the other targets (fuzz/README.md);
 * fuzz_logline_replay replays fuzz/corpus/fuzz_logline in every test run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "../src/logparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fuzz_null;

static void
check_span(const char *line, size_t len, sd_span s)
{
	if (s.p == NULL)
		return;
	/* a span is inside the line, or one of the parser's own constants */
	if (s.p >= line && s.p <= line + len) {
		if (s.n > (size_t)(line + len - s.p))
			abort();
	}
}

static void
fuzz_line(const char *line, size_t len)
{
	smtpdoc_log_options o;
	smtpdoc_log_event ev;
	sd_logline l;
	int all;

	for (all = 0; all < 2; all++) {
		if (sd_log_parse_line(line, len, all, &l) == SD_LOG_EVENT) {
			check_span(line, len, l.queueid);
			check_span(line, len, l.addresser);
			check_span(line, len, l.recipient);
			check_span(line, len, l.rhost);
			check_span(line, len, l.rip);
			check_span(line, len, l.replycode);
			check_span(line, len, l.status);
			check_span(line, len, l.text);
			check_span(line, len, l.messageid);
			check_span(line, len, l.related);
		}
		memset(&o, 0, sizeof(o));
		o.flags = all ? SMTPDOC_LOG_ALL : 0;
		o.now = 1796300000;
		if (smtpdoc_log_parse_line(line, len, &o, &ev) == 1) {
			smtpdoc_write_log_event_json(fuzz_null, &ev);
			smtpdoc_write_log_event_text(fuzz_null, &ev, 0);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	if (fuzz_null == NULL)
		fuzz_null = fopen("/dev/null", "w");
	if (fuzz_null == NULL)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		/* a copy of exactly the line, so a read past it is caught */
		char *line = malloc(n ? n : 1);
		if (line == NULL)
			return 0;
		memcpy(line, p, n);
		fuzz_line(line, n);
		free(line);
		p += n + (nl != NULL);
	}
	return 0;
}
