/*
 * audit_text.c - the line and list syntax shared by the configuration
 * files `smtpdoc audit` reads.
 *
 * Entry points: sd_audit_lines (logical lines: '#' comments, blank lines,
 * continuation lines that start with a space or tab, as in aliases(5),
 * Postfix main.cf and map source files) and sd_audit_split (a target list
 * split at commas, optionally at white space, outside double quotes).
 *
 * Bad input is skipped line by line with a warning naming the file and
 * line: a physical line over SD_AUDIT_MAX_LINE bytes, a line holding NUL
 * or other control bytes (binary junk), a logical line over
 * SD_AUDIT_MAX_LOGICAL bytes. One pass, no backtracking.
 */
#include <string.h>

#include "audit.h"

typedef struct sd_lines_state {
	sd_audit_cfg *c;
	const char *file;
	sd_buf cur;
	unsigned long start;
	int have, bad;
	sd_audit_line_fn fn;
	void *ctx;
} sd_lines_state;

/* sd_lines_flush - hand the logical line collected so far to fn */
static int
sd_lines_flush(sd_lines_state *s)
{
	int stop = 0;

	if (s->have && !s->bad) {
		while (s->cur.len > 0 && sd_isspace((unsigned char)s->cur.data[s->cur.len - 1]))
			s->cur.data[--s->cur.len] = '\0';
		stop = s->fn(s->ctx, s->start, s->cur.data, s->cur.len);
	}
	sd_buf_reset(&s->cur);
	s->have = s->bad = 0;
	return stop;
}

/* sd_line_junk - the first control byte in line (not tab or CR), or -1 */
static long
sd_line_junk(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f)
			return (long)i;
	}
	return -1;
}

void
sd_audit_lines(sd_audit_cfg *c, const char *file, const char *text, size_t len, int with_continuation,
	       sd_audit_line_fn fn, void *ctx)
{
	sd_lines_state s;
	size_t pos = 0;
	unsigned long lineno = 0;

	memset(&s, 0, sizeof(s));
	s.c = c;
	s.file = file;
	s.fn = fn;
	s.ctx = ctx;
	sd_buf_init(&s.cur, SD_AUDIT_MAX_LOGICAL);
	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos, k = 0;
		long junk;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > SD_AUDIT_MAX_LINE) {
			sd_audit_warn(c, file, lineno, "line of %zu bytes is longer than %d; skipped", n,
				      SD_AUDIT_MAX_LINE);
			if (with_continuation && s.have && (p[0] == ' ' || p[0] == '\t'))
				s.bad = 1;
			continue;
		}
		if ((junk = sd_line_junk(p, n)) >= 0) {
			sd_audit_warn(c, file, lineno, "binary data (byte 0x%02x at column %ld); line skipped",
				      (unsigned char)p[junk], junk + 1);
			if (with_continuation && s.have && n > 0 && (p[0] == ' ' || p[0] == '\t'))
				s.bad = 1;
			continue;
		}
		while (k < n && (p[k] == ' ' || p[k] == '\t'))
			k++;
		if (k == n || p[k] == '#') /* blank or comment */
			continue;
		if (with_continuation && k > 0) {
			if (!s.have) {
				sd_audit_warn(c, file, lineno, "continuation line with no line before it; skipped");
				continue;
			}
			if (sd_buf_addc(&s.cur, ' ') != 0 || sd_buf_add(&s.cur, p + k, n - k) != 0) {
				if (!s.bad)
					sd_audit_warn(c, file, s.start, "entry longer than %d bytes; skipped",
						      SD_AUDIT_MAX_LOGICAL);
				s.bad = 1;
			}
			continue;
		}
		if (sd_lines_flush(&s))
			goto done;
		s.have = 1;
		s.start = lineno;
		if (sd_buf_add(&s.cur, p + k, n - k) != 0)
			s.bad = 1;
	}
	sd_lines_flush(&s);
done:
	sd_buf_free(&s.cur);
}

int
sd_audit_split(sd_audit_cfg *c, const char *s, int spaces_too, const char **out, size_t max)
{
	size_t n = 0;
	const char *p = s;

	while (*p) {
		const char *start, *end;
		int inq = 0;
		char *t;

		while (*p == ',' || (spaces_too && sd_isspace((unsigned char)*p)) || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		start = p;
		for (; *p; p++) {
			if (*p == '"')
				inq = !inq;
			else if (!inq && (*p == ',' || (spaces_too && sd_isspace((unsigned char)*p))))
				break;
		}
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end - start >= 2 && start[0] == '"' && end[-1] == '"') {
			start++;
			end--;
		}
		if (end == start)
			continue;
		if (n >= max)
			return (int)n;
		t = sd_arena_strndup(c->arena, start, (size_t)(end - start));
		if (t == NULL) {
			c->nomem = 1;
			return -1;
		}
		out[n++] = t;
	}
	return (int)n;
}
