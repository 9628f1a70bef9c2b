/*
 * smtp_reply.c - read SMTP replies from a byte stream, within fixed bounds.
 *
 * sd_smtp_reader_feed() takes bytes as they arrive, in pieces of any size,
 * and stops after the line that ends a reply (RFC 5321 4.2: "ddd-text"
 * lines, then one "ddd text" or "ddd" line). It never allocates: the
 * reply's text is kept in the reader up to SD_SMTP_TEXT_MAX bytes (the
 * rest is dropped and flagged), a line may not be longer than
 * SD_SMTP_LINE_MAX bytes nor a reply have more than SD_SMTP_LINES_MAX
 * lines. A line that does not start with a reply code (first digit 2 to 5,
 * second 0 to 5) and a separator is refused once its end or its first 48
 * bytes are in (quoted in the reason), so garbage is never buffered
 * further; sd_smtp_reader_end() refuses a shorter bad line when the
 * server stops there.
 *
 * The enhanced status code (RFC 2034, RFC 3463) is taken from the start
 * of the first line's text, when its class is the reply code's first
 * digit, and removed from every line that repeats it. Lines end in CRLF;
 * a bare LF is accepted. Control characters in the text become '?'.
 *
 * sd_smtp_reader_take() copies the reply out (the caller frees it with
 * sd_smtp_reply_clear()); sd_smtp_reply_format() writes one for people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "smtp_probe.h"

void
sd_smtp_reader_init(sd_smtp_reader *r)
{
	memset(r, 0, sizeof(*r));
}

int
sd_smtp_reader_busy(const sd_smtp_reader *r)
{
	return r->lines > 0 || r->col > 0 || r->cr;
}

/* Append one byte to the reply text. */
static void
sd_reader_put(sd_smtp_reader *r, char c)
{
	if (r->len >= SD_SMTP_TEXT_MAX) {
		r->truncated = 1;
		return;
	}
	r->text[r->len++] = c;
}

/* Append one character of a line's text, as printable as it gets. */
static void
sd_reader_addc(sd_smtp_reader *r, unsigned char c)
{
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		c = '?';
	sd_reader_put(r, (char)c);
}

/* Length of an RFC 3463 code at p[0..n) followed by a space or the end,
 * of class cls; 0 when there is none. */
static size_t
sd_reader_status_len(const char *p, size_t n, char cls)
{
	size_t i = 2, d;

	if (n < 5 || p[0] != cls || p[1] != '.')
		return 0;
	for (d = 0; i < n && sd_isdigit((unsigned char)p[i]) && d < 3; i++, d++)
		;
	if (d == 0 || i >= n || p[i] != '.')
		return 0;
	i++;
	for (d = 0; i < n && sd_isdigit((unsigned char)p[i]) && d < 3; i++, d++)
		;
	if (d == 0 || (i < n && p[i] != ' '))
		return 0;
	return i;
}

/* The line's first bytes are all in head: set or strip the status code,
 * then append the rest of them as text. */
static void
sd_reader_flush_head(sd_smtp_reader *r)
{
	const char *t = r->head + 4;
	size_t n = r->head_len > 4 ? r->head_len - 4 : 0, i, sl;

	sl = sd_reader_status_len(t, n, r->head[0]);
	if (sl > 0 && sl < sizeof(r->status)) {
		if (r->lines == 0 && r->status[0] == '\0') {
			memcpy(r->status, t, sl);
			r->status[sl] = '\0';
		}
		if (strlen(r->status) == sl && memcmp(r->status, t, sl) == 0) {
			t += sl;
			n -= sl;
			if (n > 0 && *t == ' ') {
				t++;
				n--;
			}
		}
	}
	for (i = 0; i < n; i++)
		sd_reader_addc(r, (unsigned char)t[i]);
	r->head_len = sizeof(r->head) + 1; /* flushed: text goes straight on */
}

/* Is byte c right at position col (0-based) of a reply line? */
static int
sd_reader_prefix_ok(size_t col, unsigned char c)
{
	switch (col) {
	case 0:
		return c >= '2' && c <= '5';
	case 1:
		return c >= '0' && c <= '5';
	case 2:
		return sd_isdigit(c);
	default:
		return c == ' ' || c == '-';
	}
}

/* Set the error: the bad line as far as it is known, quoted. */
static int
sd_reader_garbage(sd_smtp_reader *r)
{
	char q[sizeof(r->head) + 1];
	size_t n = r->head_len < sizeof(r->head) ? r->head_len : sizeof(r->head), i;

	for (i = 0; i < n; i++)
		q[i] = ((unsigned char)r->head[i] < 0x20 || (unsigned char)r->head[i] >= 0x7f)
			       ? '?'
			       : r->head[i];
	q[n] = '\0';
	if (n == 0)
		snprintf(r->why, sizeof(r->why), "reply is not SMTP: an empty line");
	else
		snprintf(r->why, sizeof(r->why), "reply is not SMTP: \"%s%s\"", q,
			 n == sizeof(r->head) ? "..." : "");
	return -1;
}

/* A line ended: 1 when it ends the reply, 0 when more lines follow, -1 on
 * error. */
static int
sd_reader_line_end(sd_smtp_reader *r)
{
	int code, last;

	if (r->bad || r->head_len < 3)
		return sd_reader_garbage(r);
	code = (r->head[0] - '0') * 100 + (r->head[1] - '0') * 10 + (r->head[2] - '0');
	last = r->head_len == 3 || r->head[3] == ' ';
	if (r->head_len <= sizeof(r->head))
		sd_reader_flush_head(r);
	if (r->lines == 0)
		r->code = code;
	r->lines++;
	r->col = 0;
	r->head_len = 0;
	r->cr = 0;
	if (last)
		return 1;
	if (r->lines >= SD_SMTP_LINES_MAX) {
		snprintf(r->why, sizeof(r->why), "reply of more than %d lines", SD_SMTP_LINES_MAX);
		return -1;
	}
	sd_reader_put(r, '\n');
	return 0;
}

/* One byte of a line (not the LF that ends it). A wrong byte in the code
 * or separator marks the line bad; it is refused once its end or
 * sizeof(head) bytes are in, so the reason can quote it. */
static int
sd_reader_byte(sd_smtp_reader *r, unsigned char c)
{
	if (++r->col > SD_SMTP_LINE_MAX) {
		snprintf(r->why, sizeof(r->why), "reply line longer than %d bytes", SD_SMTP_LINE_MAX);
		return -1;
	}
	if (r->head_len < sizeof(r->head)) {
		r->head[r->head_len++] = (char)c;
		if (r->head_len <= 4 && !sd_reader_prefix_ok(r->head_len - 1, c))
			r->bad = 1;
		if (r->head_len == sizeof(r->head)) {
			if (r->bad)
				return sd_reader_garbage(r);
			sd_reader_flush_head(r);
		}
		return 0;
	}
	sd_reader_addc(r, c);
	return 0;
}

int
sd_smtp_reader_feed(sd_smtp_reader *r, const char *data, size_t len, size_t *used)
{
	size_t i;
	int rc;

	*used = 0;
	if (r->why[0] != '\0')
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\n') {
			rc = sd_reader_line_end(r);
			if (rc != 0) {
				*used = i + 1;
				return rc;
			}
			continue;
		}
		if (r->cr) {
			/* a CR not followed by LF is text */
			r->cr = 0;
			if (sd_reader_byte(r, '\r') < 0)
				goto bad;
		}
		if (c == '\r') {
			r->cr = 1;
			continue;
		}
		if (sd_reader_byte(r, c) < 0)
			goto bad;
	}
	*used = len;
	return 0;
bad:
	*used = i;
	return -1;
}

int
sd_smtp_reader_end(sd_smtp_reader *r)
{
	if (r->why[0] != '\0')
		return -1;
	if (r->bad)
		return sd_reader_garbage(r);
	return 0;
}

int
sd_smtp_reader_take(sd_smtp_reader *r, sd_smtp_reply *out)
{
	int rc = 0;

	while (r->len > 0 && r->text[r->len - 1] == '\n')
		r->len--;
	memset(out, 0, sizeof(*out));
	out->text = malloc(r->len + 1);
	if (out->text == NULL) {
		rc = -1;
	} else {
		memcpy(out->text, r->text, r->len);
		out->text[r->len] = '\0';
		out->len = r->len;
		out->code = r->code;
		out->truncated = r->truncated;
		out->lines = r->lines;
		memcpy(out->status, r->status, sizeof(out->status));
	}
	sd_smtp_reader_init(r);
	return rc;
}

void
sd_smtp_reply_clear(sd_smtp_reply *r)
{
	if (r == NULL)
		return;
	free(r->text);
	memset(r, 0, sizeof(*r));
}

int
sd_smtp_reply_copy(sd_smtp_reply *dst, const sd_smtp_reply *src)
{
	*dst = *src;
	if (src->text == NULL)
		return 0;
	dst->text = malloc(src->len + 1);
	if (dst->text == NULL) {
		memset(dst, 0, sizeof(*dst));
		return -1;
	}
	memcpy(dst->text, src->text, src->len + 1);
	return 0;
}

char *
sd_smtp_reply_format(const sd_smtp_reply *r, char *buf, size_t size)
{
	size_t n, i;
	int w;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (r == NULL || r->code == 0)
		return buf;
	w = snprintf(buf, size, "%d%s%s%s", r->code, r->status[0] ? " " : "", r->status,
		     r->len > 0 ? " " : "");
	if (w < 0 || (size_t)w >= size)
		return buf;
	n = (size_t)w;
	for (i = 0; i < r->len && n + 1 < size; i++)
		buf[n++] = r->text[i] == '\n' ? ' ' : r->text[i];
	buf[n] = '\0';
	return buf;
}
