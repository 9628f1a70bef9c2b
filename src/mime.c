/*
 * mime.c - the GMime wrapper: raw message bytes -> sd_msgview.
 *
 * sd_mime_read() normalises line endings (LF, CRLF and bare CR all become
 * LF), lets GMime parse the MIME structure, transfer encodings, RFC 2047
 * words and charsets, and collects what the decoders need: the bounce's own
 * headers, its readable text (text/plain parts, and text/html parts with
 * the tags removed, converted to UTF-8), the message/delivery-status and
 * message/feedback-report parts, and the headers of the returned original
 * message (message/rfc822 or text/rfc822-headers). Attachments are not read.
 * Every string lands in the caller's arena; no GObject escapes this file.
 *
 * Cost: LF-only input is parsed where it lies (no copy); text parts are
 * decoded in chunks and reading stops once the text cap is reached; a
 * text copy of the original's headers is read only up to its blank line;
 * charset converters stay loaded between messages (sd_pin_charset).
 *
 * Limits: SD_MAX_MIME_DEPTH levels of nesting, SD_MAX_TEXT_BYTES of text,
 * SD_MAX_HEADERS headers per block; hitting one sets view->truncated.
 */
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "internal.h"

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

/* ---- charset converters kept loaded ----------------------------------
 * glibc loads most charset converters (gconv modules) with dlopen on
 * iconv_open and unloads them again soon after the last iconv_close. GMime
 * opens and closes a converter for every part and every encoded header
 * word, so without help each such message costs a dlopen/dlclose pair
 * (and the munmap behind it). Holding one descriptor per charset for the
 * life of the process keeps its module loaded: later iconv_open calls find
 * it in memory. At most SD_PINNED_MAX charsets; unknown names are
 * remembered as failures so they are not retried. */
#define SD_PINNED_MAX 32
#define SD_PINNED_NAME 40

static struct {
	char name[SD_PINNED_NAME];
	iconv_t cd;
} sd_pinned[SD_PINNED_MAX];
static size_t sd_npinned;
static pthread_mutex_t sd_pinned_lock = PTHREAD_MUTEX_INITIALIZER;

static void
sd_pin_charset(const char *cs, size_t len)
{
	char name[SD_PINNED_NAME];
	const char *iname;
	size_t i;

	if (len == 0 || len >= sizeof(name))
		return;
	for (i = 0; i < len; i++)
		name[i] = (char)sd_tolower((unsigned char)cs[i]);
	name[len] = '\0';
	if (strcmp(name, "utf-8") == 0 || strcmp(name, "us-ascii") == 0 || strcmp(name, "utf8") == 0)
		return;
	pthread_mutex_lock(&sd_pinned_lock);
	for (i = 0; i < sd_npinned; i++)
		if (strcmp(sd_pinned[i].name, name) == 0)
			break;
	if (i == sd_npinned && sd_npinned < SD_PINNED_MAX) {
		iname = g_mime_charset_iconv_name(name);
		memcpy(sd_pinned[i].name, name, len + 1);
		sd_pinned[i].cd = iname ? iconv_open("UTF-8", iname) : (iconv_t)-1;
		sd_npinned++;
	}
	pthread_mutex_unlock(&sd_pinned_lock);
}

/* Pin the charsets a raw header value will be decoded from: those named
 * in RFC 2047 encoded words, and GMime's guess for raw 8-bit text. */
static void
sd_pin_header_charsets(const char *raw)
{
	const char *p = raw;
	int eightbit = 0;

	if (raw == NULL)
		return;
	for (; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			eightbit = 1;
		if (p[0] == '=' && p[1] == '?') {
			const char *cs = p + 2, *e = cs;
			while (*e && *e != '?' && *e != '*' && !sd_isspace((unsigned char)*e))
				e++;
			if (*e == '?' || *e == '*')
				sd_pin_charset(cs, (size_t)(e - cs));
		}
	}
	if (eightbit) {
		const char *lc = g_mime_locale_charset();
		if (lc)
			sd_pin_charset(lc, strlen(lc));
	}
}

typedef struct sd_walk {
	sd_arena *arena;
	sd_msgview *view;
	sd_buf body;
	sd_buf dsn;
	sd_buf feedback;
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

/* Trace and signature headers: long, numerous, and read by no decoder, so
 * their values are not decoded or kept. */
static int
sd_unused_header(const char *name)
{
	static const char *const names[] = {
		"received", "x-received", "dkim-signature", "x-google-dkim-signature",
		"arc-seal", "arc-message-signature", "arc-authentication-results",
		"authentication-results", "received-spf", "x-gm-message-state",
		"x-google-smtp-source", NULL,
	};
	size_t i;
	int c = g_ascii_tolower(name[0]);

	if (c != 'r' && c != 'x' && c != 'd' && c != 'a')
		return 0;
	for (i = 0; names[i]; i++)
		if (names[i][0] == c && g_ascii_strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void
sd_collect_headers(sd_walk *w, GMimeObject *obj, sd_headers *out)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0;

	out->n = 0;
	out->v = NULL;
	if (n <= 0)
		return;
	if (n > SD_MAX_HEADERS) {
		n = SD_MAX_HEADERS;
		w->truncated = 1;
	}
	out->v = sd_arena_alloc(w->arena, (size_t)n * sizeof(sd_header));
	if (out->v == NULL)
		return;
	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = h ? g_mime_header_get_name(h) : NULL;
		const char *value;
		char *v;
		if (name == NULL || sd_unused_header(name))
			continue;
		sd_pin_header_charsets(g_mime_header_get_raw_value(h));
		value = g_mime_header_get_value(h);
		v = sd_arena_strdup(w->arena, value ? value : "");
		if (v == NULL)
			continue;
		/* unfold whatever folding is left */
		for (char *p = v; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		out->v[out->n].name = sd_arena_strdup(w->arena, name);
		out->v[out->n].value = sd_trim(v);
		if (out->v[out->n].name)
			out->n++;
	}
}

/* Remove tags and decode a few entities; linear in len. */
static void
sd_html_to_text(const char *s, size_t len, sd_buf *out)
{
	size_t i = 0;

	while (i < len) {
		char c = s[i];
		if (c == '<') {
			size_t j = i + 1;
			int block = 0;
			if (j < len && (s[j] == '/' ))
				j++;
			if (j + 1 < len && (sd_strcaseprefix(s + j, "br") || sd_strcaseprefix(s + j, "p") ||
					    (j + 2 < len && sd_strcaseprefix(s + j, "div")) ||
					    sd_strcaseprefix(s + j, "tr") ||
					    sd_strcaseprefix(s + j, "li")))
				block = 1;
			while (i < len && s[i] != '>')
				i++;
			i++;
			sd_buf_addc(out, block ? '\n' : ' ');
			continue;
		}
		if (c == '&') {
			static const struct { const char *ent; char ch; } ents[] = {
				{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'},
				{"&quot;", '"'}, {"&nbsp;", ' '}, {"&#39;", '\''},
			};
			size_t k;
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
				size_t el = strlen(ents[k].ent);
				if (len - i >= el && strncasecmp(s + i, ents[k].ent, el) == 0) {
					sd_buf_addc(out, ents[k].ch);
					i += el;
					break;
				}
			}
			if (k < sizeof(ents) / sizeof(ents[0]))
				continue;
		}
		sd_buf_addc(out, c);
		i++;
	}
	sd_buf_addc(out, '\n');
}

/* A stream giving the decoded content of a leaf part: the transfer
 * encoding undone and, with convert, the charset turned into UTF-8. The
 * same filters GMime's data wrapper would apply, but read on demand so
 * that a caller can stop once it has what it needs. NULL when the part has
 * no content; the caller unrefs the stream. */
static GMimeStream *
sd_part_open(GMimeObject *obj, int convert)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(obj));
	GMimeStream *src, *filt;
	const char *cs;

	if (dw == NULL || (src = g_mime_data_wrapper_get_stream(dw)) == NULL)
		return NULL;
	g_mime_stream_reset(src);
	filt = g_mime_stream_filter_new(src);
	switch (g_mime_data_wrapper_get_encoding(dw)) {
	case GMIME_CONTENT_ENCODING_BASE64:
	case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
	case GMIME_CONTENT_ENCODING_UUENCODE: {
		GMimeFilter *f = g_mime_filter_basic_new(g_mime_data_wrapper_get_encoding(dw), FALSE);
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(filt), f);
		g_object_unref(f);
		break;
	}
	default:
		break;
	}
	cs = g_mime_object_get_content_type_parameter(obj, "charset");
	if (convert && cs && strcasecmp(cs, "utf-8") != 0 && strcasecmp(cs, "us-ascii") != 0) {
		GMimeFilter *f;
		sd_pin_charset(cs, strlen(cs));
		f = g_mime_filter_charset_new(cs, "UTF-8");
		if (f) {
			g_mime_stream_filter_add(GMIME_STREAM_FILTER(filt), f);
			g_object_unref(f);
		}
	}
	return filt;
}

#define SD_READ_CHUNK 16384

/* Close a stream from sd_part_open, rewinding the part's own stream. */
static void
sd_part_close(GMimeObject *obj, GMimeStream *filt)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(obj));

	g_object_unref(filt);
	if (dw && g_mime_data_wrapper_get_stream(dw))
		g_mime_stream_reset(g_mime_data_wrapper_get_stream(dw));
}

/* All of a part's decoded content, for the HTML path (NULL on failure). */
static GByteArray *
sd_part_bytes(GMimeObject *obj)
{
	GMimeStream *filt = sd_part_open(obj, 1);
	GByteArray *ba;
	guint8 chunk[SD_READ_CHUNK];
	ssize_t n;

	if (filt == NULL)
		return NULL;
	ba = g_byte_array_new();
	while ((n = g_mime_stream_read(filt, (char *)chunk, sizeof(chunk))) > 0)
		g_byte_array_append(ba, chunk, (guint)n);
	sd_part_close(obj, filt);
	return ba; /* caller frees with g_byte_array_free */
}

/* Append a text part to dst with CRLF and bare CR turned into LF and a
 * final LF added, reading only until dst is full. */
static void
sd_append_text(sd_buf *dst, GMimeObject *obj)
{
	GMimeStream *filt = sd_part_open(obj, 1);
	char in[SD_READ_CHUNK], out[SD_READ_CHUNK + 1];
	int pending_cr = 0, any = 0;
	char last = '\0';
	ssize_t n;

	if (filt == NULL)
		return;
	while (!dst->truncated && (n = g_mime_stream_read(filt, in, sizeof(in))) > 0) {
		size_t i = 0, o = 0;
		if (pending_cr) {
			if (in[0] != '\n')
				out[o++] = '\n';
			pending_cr = 0;
		}
		for (; i < (size_t)n; i++) {
			if (in[i] != '\r')
				out[o++] = in[i];
			else if (i + 1 == (size_t)n)
				pending_cr = 1; /* decided by the next byte */
			else if (in[i + 1] != '\n')
				out[o++] = '\n';
		}
		if (o) {
			any = 1;
			last = out[o - 1];
			sd_buf_add(dst, out, o);
		}
	}
	if (pending_cr) {
		any = 1;
		last = '\n';
		sd_buf_addc(dst, '\n');
	}
	if (any && last != '\n')
		sd_buf_addc(dst, '\n');
	sd_part_close(obj, filt);
}

static void
sd_append_part(sd_buf *dst, GMimeObject *obj, int html)
{
	GByteArray *ba;

	if (!html) {
		sd_append_text(dst, obj);
		return;
	}
	if ((ba = sd_part_bytes(obj)) == NULL)
		return;
	/* drop CRs a transfer encoding may have carried */
	{
		size_t i, o = 0;
		for (i = 0; i < ba->len; i++)
			if (ba->data[i] != '\r')
				ba->data[o++] = ba->data[i];
			else if (i + 1 >= ba->len || ba->data[i + 1] != '\n')
				ba->data[o++] = '\n';
		ba->len = (guint)o;
	}
	sd_html_to_text((const char *)ba->data, ba->len, dst);
	g_byte_array_free(ba, TRUE);
}

static int
sd_type_is(GMimeObject *obj, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *t, *s;

	if (ct == NULL)
		return 0;
	t = g_mime_content_type_get_media_type(ct);
	s = g_mime_content_type_get_media_subtype(ct);
	return t && s && strcasecmp(t, type) == 0 && (subtype == NULL || strcasecmp(s, subtype) == 0);
}

/* The header block of a returned message kept as text: read (without CRs)
 * up to its first blank line, which is as far as the header parser goes. */
static void
sd_take_orig_headers_text(sd_walk *w, GMimeObject *obj)
{
	GMimeStream *filt;
	char in[SD_READ_CHUNK];
	sd_buf text;
	ssize_t n;

	if (w->view->has_orig)
		return;
	if ((filt = sd_part_open(obj, 0)) == NULL)
		return;
	sd_buf_init(&text, SMTPDOC_MAX_MESSAGE_BYTES);
	while ((n = g_mime_stream_read(filt, in, sizeof(in))) > 0) {
		size_t i, o = 0, from = text.len ? text.len - 1 : 0;
		for (i = 0; i < (size_t)n; i++)
			if (in[i] != '\r')
				in[o++] = in[i];
		if (sd_buf_add(&text, in, o) != 0)
			break;
		if (sd_memcasemem(text.data + from, text.len - from, "\n\n", 2))
			break;
	}
	sd_part_close(obj, filt);
	sd_headers_parse_text(w->arena, text.data ? text.data : "", text.len, &w->view->orig);
	w->view->has_orig = w->view->orig.n > 0;
	sd_buf_free(&text);
}

static void
sd_walk_object(sd_walk *w, GMimeObject *obj, int depth)
{
	if (obj == NULL)
		return;
	if (depth > SD_MAX_MIME_DEPTH) {
		w->truncated = 1;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);
		if (sd_type_is(obj, "multipart", "report"))
			w->view->is_multipart_report = 1;
		for (i = 0; i < n; i++)
			sd_walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		GMimeObject *ip = inner ? g_mime_message_get_mime_part(inner) : NULL;
		/* a bounce forwarded as an attachment (by a filter or a person):
		 * when the outer message is no report itself, the attached
		 * report is the one to read */
		if (ip && !w->view->is_multipart_report && w->dsn.len == 0 && !w->view->has_orig &&
		    sd_type_is(ip, "multipart", "report")) {
			sd_walk_object(w, ip, depth + 1);
			return;
		}
		if (inner && !w->view->has_orig) {
			sd_collect_headers(w, GMIME_OBJECT(inner), &w->view->orig);
			w->view->has_orig = w->view->orig.n > 0;
		}
		return; /* the returned message's body is never read */
	}
	if (!GMIME_IS_PART(obj))
		return;
	if (sd_type_is(obj, "message", "delivery-status") ||
	    sd_type_is(obj, "message", "global-delivery-status") ||
	    sd_type_is(obj, "message", "x-delivery-status")) {
		sd_append_part(&w->dsn, obj, 0);
		sd_buf_addc(&w->dsn, '\n');
	} else if (sd_type_is(obj, "message", "feedback-report")) {
		sd_append_part(&w->feedback, obj, 0);
	} else if (sd_type_is(obj, "text", "rfc822-headers") ||
		   sd_type_is(obj, "message", "rfc822-headers")) {
		sd_take_orig_headers_text(w, obj);
	} else if (sd_type_is(obj, "text", "html")) {
		sd_append_part(&w->body, obj, 1);
	} else if (sd_type_is(obj, "text", NULL) || g_mime_object_get_content_type(obj) == NULL) {
		GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
		const char *fn = g_mime_part_get_filename(GMIME_PART(obj));
		/* a text attachment that is the returned message */
		if (fn && (sd_strcasestr(fn, ".eml") || sd_strcasestr(fn, ".msg"))) {
			sd_take_orig_headers_text(w, obj);
			return;
		}
		(void)cd;
		sd_append_part(&w->body, obj, 0);
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
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	sd_walk w;
	GByteArray *borrowed = NULL;
	size_t nlen, start = 0;
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
	/* GMime reads the bytes where they are: the array only borrows them
	 * (GMime's memory streams never write to a stream they were given), and
	 * is released without its data once the parse is over. */
	borrowed = g_byte_array_new_take((guint8 *)(uintptr_t)(text + start), nlen - start);
	stream = g_mime_stream_mem_new_with_byte_array(borrowed);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg == NULL) {
		st = SMTPDOC_ENOTMAIL;
		goto done;
	}
	sd_collect_headers(&w, GMIME_OBJECT(msg), &out->top);
	if (!sd_looks_like_mail(&out->top)) {
		st = SMTPDOC_ENOTMAIL;
		goto done;
	}
	sd_walk_object(&w, g_mime_message_get_mime_part(msg), 0);
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
	if (msg)
		g_object_unref(msg);
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	if (borrowed)
		g_byte_array_free(borrowed, FALSE); /* the bytes are not ours to free */
	sd_buf_free(&w.body);
	sd_buf_free(&w.dsn);
	sd_buf_free(&w.feedback);
	free(norm);
	return st;
}
