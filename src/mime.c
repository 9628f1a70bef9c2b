/*
 * mime.c - raw message bytes -> sd_msgview: the walk over a message's MIME
 * structure.
 *
 * sd_mime_read() normalises line endings (LF, CRLF and bare CR all become
 * LF), reads the bounce's own headers, then follows its structure in place:
 * multipart bodies are split at their boundary lines, message/rfc822 parts
 * are opened, and each leaf part is sorted by type. It collects what the
 * decoders need: the readable text (text/plain parts, and text/html parts
 * with the tags removed, in UTF-8), the message/delivery-status and
 * message/feedback-report parts, and the headers of the returned original
 * message (message/rfc822 or text/rfc822-headers). Attachments and the
 * returned message's body are never read.
 *
 * No GMime object tree is built: building one (a GObject for every header,
 * part and stream) cost four fifths of a decode. GMime still does what
 * needs MIME's rules in full, through mime_header.c and mime_content.c:
 * Content-Type parameters, encoded words, transfer encodings, charsets.
 *
 * Cost: LF-only input is read where it lies (no copy); each multipart
 * level is one pass over its body (memmem for the boundary); text is
 * decoded only up to the text cap.
 *
 * Limits: SD_MAX_MIME_DEPTH levels of nesting, SD_MAX_MIME_PARTS parts,
 * SD_MAX_TEXT_BYTES of text, SD_MAX_HEADERS headers per block; hitting one
 * sets view->truncated.
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mime_internal.h"

#define SD_MAX_MIME_PARTS 10000   /* leaf and multipart parts followed */
#define SD_MAX_BOUNDARY 998       /* longer boundary parameters are refused */

static pthread_once_t sd_gmime_once = PTHREAD_ONCE_INIT;

static void
sd_gmime_init_once(void)
{
	g_mime_init();
}

void
sd_mime_init(void)
{
	pthread_once(&sd_gmime_once, sd_gmime_init_once);
}

typedef struct sd_walk {
	sd_arena *arena;
	sd_msgview *view;
	sd_buf body;
	sd_buf dsn;
	sd_buf feedback;
	unsigned nparts;
	int truncated;
} sd_walk;

/* Copy data with every CRLF and bare CR turned into LF; NULL on OOM. The
 * runs between CRs are copied whole. */
static char *
sd_normalise_eol(const char *data, size_t len, size_t *outlen)
{
	char *out = malloc(len + 1);
	const char *p = data, *end = data + len;
	size_t o = 0;

	if (out == NULL)
		return NULL;
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		size_t run = cr ? (size_t)(cr - p) : (size_t)(end - p);
		memcpy(out + o, p, run);
		o += run;
		if (cr == NULL)
			break;
		out[o++] = '\n';
		p = cr + 1;
		if (p < end && *p == '\n')
			p++;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static void sd_walk_body(sd_walk *w, const sd_ctype *ct, const sd_mime_fields *mf, const char *body,
			 size_t len, int depth);

static int
sd_is(const sd_ctype *ct, const char *type, const char *sub)
{
	return strcmp(ct->type, type) == 0 && (sub == NULL || strcmp(ct->sub, sub) == 0);
}

/* One body part: its header block, then its body. In a multipart/digest a
 * part without a Content-Type is a message (RFC 2046 5.1.5). */
static void
sd_walk_part(sd_walk *w, const char *p, size_t len, int depth, int digest)
{
	sd_mime_fields mf;
	sd_ctype ct;
	size_t off;

	if (depth > SD_MAX_MIME_DEPTH || ++w->nparts > SD_MAX_MIME_PARTS) {
		w->truncated = 1;
		return;
	}
	off = sd_mime_scan_headers(w->arena, p, len, &mf, NULL, &w->truncated);
	sd_mime_parse_ctype(w->arena, &mf, digest ? "message" : "text", digest ? "rfc822" : "plain", &ct);
	sd_walk_body(w, &ct, &mf, p + off, len - off, depth);
}

/* The delimiter line "--boundary" or "--boundary--" at line start at p?
 * Only spaces and tabs may follow it on its line. Returns 0 when p is no
 * delimiter, 1 for a delimiter, 2 for the closing one; *next gets the
 * start of the following line. */
static int
sd_delimiter(const char *p, const char *end, const char *b, size_t blen, const char **next)
{
	const char *q = p + 2 + blen;
	int closing = 0;

	if ((size_t)(end - p) < 2 + blen || p[0] != '-' || p[1] != '-' || memcmp(p + 2, b, blen) != 0)
		return 0;
	if (end - q >= 2 && q[0] == '-' && q[1] == '-') {
		closing = 1;
		q += 2;
	}
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q < end && *q != '\n')
		return 0;
	*next = q < end ? q + 1 : end;
	return closing ? 2 : 1;
}

/* Is this body part text/plain (or without a Content-Type, which makes
 * it text/plain)? Reads its header block only. */
static int
sd_part_is_plain(sd_walk *w, const char *p, size_t len)
{
	sd_mime_fields mf;
	sd_ctype ct;

	sd_mime_scan_headers(w->arena, p, len, &mf, NULL, NULL);
	sd_mime_parse_ctype(w->arena, &mf, "text", "plain", &ct);
	return strcmp(ct.type, "text") == 0 && strcmp(ct.sub, "plain") == 0;
}

/* The body parts of a multipart body, one at a time. The preamble and
 * epilogue are skipped; a part without a closing delimiter runs to the
 * end; no delimiter at all gives no parts. */
typedef struct sd_parts {
	const char *body, *end, *p, *part;
	const char *boundary;
	size_t blen;
	int done;
} sd_parts;

static void
sd_parts_init(sd_parts *it, const char *body, size_t len, const char *boundary)
{
	it->body = body;
	it->end = body + len;
	it->p = body;
	it->part = NULL;
	it->boundary = boundary;
	it->blen = strlen(boundary);
	it->done = it->blen == 0 || it->blen > SD_MAX_BOUNDARY;
}

/* The next part as [*s, *e): 1, or 0 when there are no more. */
static int
sd_parts_next(sd_parts *it, const char **s, const char **e)
{
	while (!it->done && it->p < it->end) {
		const char *hit = memmem(it->p, (size_t)(it->end - it->p), it->boundary, it->blen);
		const char *line, *next = NULL, *part = it->part;
		int kind;

		if (hit == NULL)
			break;
		line = hit - 2;
		if (hit - it->body < 2 || (line > it->body && line[-1] != '\n') ||
		    (kind = sd_delimiter(line, it->end, it->boundary, it->blen, &next)) == 0) {
			/* no delimiter: go on from the next line, where the
			 * next one could start (so a boundary repeated within
			 * a line costs one search, not one per byte) */
			const char *nl = memchr(hit, '\n', (size_t)(it->end - hit));
			if (nl == NULL)
				break;
			it->p = nl + 1;
			continue;
		}
		it->part = kind == 2 ? NULL : next;
		it->p = next;
		it->done = kind == 2;
		if (part) {
			/* the line break before a delimiter belongs to it */
			*s = part;
			*e = line > part ? line - 1 : part;
			return 1;
		}
	}
	it->done = 1;
	if (it->part && it->part < it->end) {
		*s = it->part;
		*e = it->end;
		it->part = NULL;
		return 1;
	}
	return 0;
}

/* Walk each part of a multipart body. Of the parts of a
 * multipart/alternative, which say the same thing in different forms,
 * only the first text/plain one is read when there is one (an HTML twin
 * would only repeat it). */
static void
sd_walk_multipart(sd_walk *w, const char *body, size_t len, const char *boundary, int depth,
		  int digest, int alternative)
{
	sd_parts it;
	const char *s, *e;

	if (alternative) {
		sd_parts_init(&it, body, len, boundary);
		while (sd_parts_next(&it, &s, &e))
			if (sd_part_is_plain(w, s, (size_t)(e - s))) {
				sd_walk_part(w, s, (size_t)(e - s), depth + 1, 0);
				return;
			}
	}
	sd_parts_init(&it, body, len, boundary);
	while (sd_parts_next(&it, &s, &e))
		sd_walk_part(w, s, (size_t)(e - s), depth + 1, digest);
}

/* The header block of a returned message, kept as text (text/rfc822-headers,
 * or an attached .eml): decoded and read up to its blank line. */
static void
sd_take_orig_headers_text(sd_walk *w, const sd_mime_fields *mf, const char *body, size_t len)
{
	sd_mime_fields inner;
	sd_buf dec;

	if (w->view->has_orig)
		return;
	sd_buf_init(&dec, SD_MAX_TEXT_BYTES);
	sd_mime_decode_raw(&dec, body, len, sd_mime_encoding(mf), SD_MAX_TEXT_BYTES);
	sd_mime_scan_headers(w->arena, dec.data ? dec.data : "", dec.len, &inner, &w->view->orig,
			     &w->truncated);
	w->view->has_orig = w->view->orig.n > 0;
	sd_buf_free(&dec);
}

/* A message/rfc822 part: a bounce forwarded as an attachment (by a filter
 * or a person) is read as the report when the outer message is no report
 * itself; otherwise the inner message is the returned original and only
 * its headers are kept. */
static void
sd_walk_message(sd_walk *w, const sd_mime_fields *mf, const char *body, size_t len, int depth)
{
	int enc = sd_mime_encoding(mf);
	sd_mime_fields imf;
	sd_ctype ict;
	sd_buf dec;
	size_t off;

	sd_buf_init(&dec, SMTPDOC_MAX_MESSAGE_BYTES);
	if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		sd_mime_decode_raw(&dec, body, len, enc, SMTPDOC_MAX_MESSAGE_BYTES);
		body = dec.data ? dec.data : "";
		len = dec.len;
	}
	off = sd_mime_scan_headers(w->arena, body, len, &imf, NULL, &w->truncated);
	sd_mime_parse_ctype(w->arena, &imf, "text", "plain", &ict);
	if (off > 0 && !w->view->is_multipart_report && w->dsn.len == 0 && !w->view->has_orig &&
	    sd_is(&ict, "multipart", "report")) {
		sd_walk_body(w, &ict, &imf, body + off, len - off, depth + 1);
	} else if (!w->view->has_orig) {
		sd_mime_scan_headers(w->arena, body, len, &imf, &w->view->orig, &w->truncated);
		w->view->has_orig = w->view->orig.n > 0;
	}
	sd_buf_free(&dec);
}

static int
sd_has_suffix_ci(const char *s, const char *suffix)
{
	return s && sd_strcasestr(s, suffix) != NULL;
}

static void
sd_walk_body(sd_walk *w, const sd_ctype *ct, const sd_mime_fields *mf, const char *body, size_t len,
	     int depth)
{
	if (depth > SD_MAX_MIME_DEPTH) {
		w->truncated = 1;
		return;
	}
	if (sd_is(ct, "multipart", NULL)) {
		if (sd_is(ct, "multipart", "report"))
			w->view->is_multipart_report = 1;
		if (ct->boundary)
			sd_walk_multipart(w, body, len, ct->boundary, depth, sd_is(ct, "multipart", "digest"),
					  sd_is(ct, "multipart", "alternative"));
		return;
	}
	if (sd_is(ct, "message", "rfc822") || sd_is(ct, "message", "global") || sd_is(ct, "message", "news")) {
		sd_walk_message(w, mf, body, len, depth);
		return;
	}
	if (sd_is(ct, "message", "delivery-status") || sd_is(ct, "message", "global-delivery-status") ||
	    sd_is(ct, "message", "x-delivery-status")) {
		sd_mime_append_content(&w->dsn, body, len, sd_mime_encoding(mf), ct->charset, 0);
		sd_buf_addc(&w->dsn, '\n');
	} else if (sd_is(ct, "message", "feedback-report")) {
		sd_mime_append_content(&w->feedback, body, len, sd_mime_encoding(mf), ct->charset, 0);
	} else if (sd_is(ct, "text", "rfc822-headers") || sd_is(ct, "message", "rfc822-headers") ||
		   sd_is(ct, "message", "global-headers")) {
		sd_take_orig_headers_text(w, mf, body, len);
	} else if (sd_is(ct, "text", "html")) {
		sd_mime_append_content(&w->body, body, len, sd_mime_encoding(mf), ct->charset, 1);
	} else if (sd_is(ct, "text", NULL)) {
		/* a text attachment that is the returned message */
		const char *fn = sd_mime_disposition_filename(w->arena, mf);
		if (fn == NULL)
			fn = ct->name;
		if (sd_has_suffix_ci(fn, ".eml") || sd_has_suffix_ci(fn, ".msg")) {
			sd_take_orig_headers_text(w, mf, body, len);
			return;
		}
		sd_mime_append_content(&w->body, body, len, sd_mime_encoding(mf), ct->charset, 0);
	}
}

static const char *sd_known_headers[] = {
	"from", "to", "subject", "date", "received", "return-path", "message-id",
	"mime-version", "content-type", "delivered-to", "x-failed-recipients",
	"auto-submitted", "reply-to", "sender", "x-mailer", "cc", "dkim-signature",
	NULL,
};

static int
sd_looks_like_mail(const sd_headers *h)
{
	size_t i, j;

	for (i = 0; i < h->n; i++)
		for (j = 0; sd_known_headers[j]; j++)
			if (strcasecmp(h->v[i].name, sd_known_headers[j]) == 0)
				return 1;
	return 0;
}

smtpdoc_status
sd_mime_read(const char *data, size_t len, sd_arena *a, sd_msgview *out)
{
	smtpdoc_status st = SMTPDOC_OK;
	sd_mime_fields mf;
	sd_ctype ct;
	sd_walk w;
	size_t nlen, start = 0, off;
	const char *text;
	char *norm = NULL;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	out->arena = a;
	w.arena = a;
	w.view = out;
	sd_buf_init(&w.body, SD_MAX_TEXT_BYTES);
	sd_buf_init(&w.dsn, SD_MAX_TEXT_BYTES);
	sd_buf_init(&w.feedback, SD_MAX_TEXT_BYTES);
	sd_mime_init();

	/* Only a message with CRs in it is copied; LF text is parsed in place. */
	if (memchr(data, '\r', len) != NULL) {
		norm = sd_normalise_eol(data, len, &nlen);
		if (norm == NULL)
			return SMTPDOC_ENOMEM;
		text = norm;
	} else {
		text = data;
		nlen = len;
	}
	/* an mbox "From " separator line in front of a single message */
	if (nlen > 5 && memcmp(text, "From ", 5) == 0) {
		const char *nl = memchr(text, '\n', nlen);
		start = nl ? (size_t)(nl - text) + 1 : nlen;
	}
	off = start + sd_mime_scan_headers(a, text + start, nlen - start, &mf, &out->top, &w.truncated);
	if (!sd_looks_like_mail(&out->top)) {
		st = SMTPDOC_ENOTMAIL;
		goto done;
	}
	sd_mime_parse_ctype(a, &mf, "text", "plain", &ct);
	sd_walk_body(&w, &ct, &mf, text + off, nlen - off, 0);
	/* A multipart whose boundary never appears yields no parts: read the
	 * raw body as text instead, so nothing the bounce says is lost. */
	if (w.body.len == 0 && w.dsn.len == 0 && w.feedback.len == 0) {
		const char *b = sd_memcasemem(text + start, nlen - start, "\n\n", 2);
		if (b)
			sd_buf_add(&w.body, b + 2, nlen - start - (size_t)(b + 2 - (text + start)));
	}
	/* DSN fields written as plain text (or in a part we could not see) */
	if (w.dsn.len == 0 && w.body.len) {
		const char *f = sd_memcasemem(w.body.data, w.body.len, "\nFinal-Recipient:", 17);
		if (f) {
			const char *r = sd_memcasemem(w.body.data, (size_t)(f - w.body.data), "Reporting-MTA:", 14);
			const char *from = r ? r : f + 1;
			sd_buf_add(&w.dsn, from, w.body.len - (size_t)(from - w.body.data));
		}
	}
	out->body = sd_arena_strndup(a, w.body.data ? w.body.data : "", w.body.len);
	out->body_len = w.body.len;
	if (w.dsn.len) {
		out->dsn = sd_arena_strndup(a, w.dsn.data, w.dsn.len);
		out->dsn_len = w.dsn.len;
	}
	if (w.feedback.len) {
		out->feedback = sd_arena_strndup(a, w.feedback.data, w.feedback.len);
		out->feedback_len = w.feedback.len;
	}
	out->truncated = w.truncated || w.body.truncated || w.dsn.truncated;
	if (out->body == NULL)
		st = SMTPDOC_ENOMEM;
done:
	sd_buf_free(&w.body);
	sd_buf_free(&w.dsn);
	sd_buf_free(&w.feedback);
	free(norm);
	return st;
}
