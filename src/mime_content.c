/*
 * mime_content.c - the readable content of one MIME part.
 *
 * A part's bytes are transfer-decoded with GMime's stateless decoders
 * (g_mime_encoding_step: base64, quoted-printable, uuencode), converted to
 * UTF-8 with iconv under GMime's charset names, and appended to a bounded
 * buffer with CRLF and bare CR turned into LF. Only as much input is
 * decoded as the buffer can still take, so a large text attachment costs
 * no more than the text cap.
 *
 * Charset converters are pinned: glibc loads most of them with dlopen on
 * iconv_open and unloads them again after the last iconv_close, so without
 * help every part in, say, ISO-2022-JP costs a dlopen/dlclose pair. One
 * descriptor per charset is held for the life of the process (at most
 * SD_PINNED_MAX; unknown names are remembered as failures).
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mime_internal.h"

#define SD_PINNED_MAX 32
#define SD_PINNED_NAME 40
#define SD_CHUNK 16384

static struct {
	char name[SD_PINNED_NAME];
	iconv_t cd;
} sd_pinned[SD_PINNED_MAX];
static size_t sd_npinned;
static pthread_mutex_t sd_pinned_lock = PTHREAD_MUTEX_INITIALIZER;

static int
sd_is_utf8_name(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "us-ascii") == 0 ||
	       strcasecmp(cs, "utf8") == 0 || strcasecmp(cs, "ascii") == 0;
}

void
sd_mime_pin_charset(const char *cs, size_t len)
{
	char name[SD_PINNED_NAME];
	const char *iname;
	size_t i;

	if (len == 0 || len >= sizeof(name))
		return;
	for (i = 0; i < len; i++)
		name[i] = (char)sd_tolower((unsigned char)cs[i]);
	name[len] = '\0';
	if (sd_is_utf8_name(name))
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

/* 1 when enc leaves the bytes as they are (7bit, 8bit, binary, none). */
static int
sd_mime_is_identity(int enc)
{
	return enc != GMIME_CONTENT_ENCODING_BASE64 && enc != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
	       enc != GMIME_CONTENT_ENCODING_UUENCODE;
}

/* Undo the transfer encoding of data[0..len) into out (reset first),
 * stopping once out holds want bytes. Returns 1 when input was left
 * unread. Identity encodings are copied. */
static int
sd_transfer_decode(sd_buf *out, const char *data, size_t len, int enc, size_t want)
{
	GMimeEncoding st;
	size_t pos = 0;

	sd_buf_reset(out);
	if (sd_mime_is_identity(enc)) {
		size_t n = len < want ? len : want;
		sd_buf_add(out, data, n);
		return n < len;
	}
	g_mime_encoding_init_decode(&st, (GMimeContentEncoding)enc);
	if (enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		/* GMime's step function expects the "begin" line to be gone */
		while (pos < len) {
			const char *line = data + pos;
			const char *nl = memchr(line, '\n', len - pos);
			size_t next = nl ? (size_t)(nl + 1 - data) : len;
			int begin = len - pos >= 6 && memcmp(line, "begin ", 6) == 0;
			pos = next;
			if (begin) {
				st.state |= GMIME_UUDECODE_STATE_BEGIN;
				break;
			}
		}
	}
	while (pos < len && out->len < want && !out->truncated) {
		size_t n = len - pos < SD_CHUNK ? len - pos : SD_CHUNK;
		char tmp[SD_CHUNK * 2];
		size_t o = g_mime_encoding_step(&st, data + pos, n, tmp);
		if (sd_buf_add(out, tmp, o) != 0)
			break;
		pos += n;
	}
	return pos < len;
}

/* Convert in[0..len) from charset cs to UTF-8 into out (reset first). A
 * byte that is not valid in cs becomes '?'; an incomplete sequence at the
 * end is dropped. Returns -1 when cs is unknown (out untouched). */
static int
sd_to_utf8(sd_buf *out, const char *in, size_t len, const char *cs)
{
	const char *iname = g_mime_charset_iconv_name(cs);
	iconv_t cd;
	char *ip = (char *)(uintptr_t)in;
	size_t il = len;

	if (iname == NULL)
		return -1;
	sd_mime_pin_charset(cs, strlen(cs));
	cd = iconv_open("UTF-8", iname);
	if (cd == (iconv_t)-1)
		return -1;
	sd_buf_reset(out);
	while (il > 0 && !out->truncated) {
		char tmp[SD_CHUNK];
		char *op = tmp;
		size_t ol = sizeof(tmp);
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int err = errno;
		if (op > tmp && sd_buf_add(out, tmp, (size_t)(op - tmp)) != 0)
			break;
		if (r != (size_t)-1)
			break;
		if (err == E2BIG)
			continue;
		if (err == EILSEQ) {
			sd_buf_addc(out, '?');
			ip++;
			il--;
			continue;
		}
		break; /* EINVAL: an incomplete sequence at the end */
	}
	iconv_close(cd);
	return 0;
}

/* Remove tags and decode a few entities; linear in len. */
static void
sd_html_to_text(const char *s, size_t len, sd_buf *out)
{
	static const struct {
		const char *ent;
		size_t len;
		char ch;
	} ents[] = {
		{"&lt;", 4, '<'}, {"&gt;", 4, '>'}, {"&amp;", 5, '&'},
		{"&quot;", 6, '"'}, {"&nbsp;", 6, ' '}, {"&#39;", 5, '\''},
	};
	size_t i = 0;

	while (i < len) {
		char c = s[i];
		if (c == '<') {
			size_t j = i + 1;
			int block = 0;
			if (j < len && s[j] == '/')
				j++;
			if (j + 1 < len && (sd_strcaseprefix(s + j, "br") || sd_strcaseprefix(s + j, "p") ||
					    (j + 2 < len && sd_strcaseprefix(s + j, "div")) ||
					    sd_strcaseprefix(s + j, "tr") || sd_strcaseprefix(s + j, "li")))
				block = 1;
			{
				const char *gt = memchr(s + i, '>', len - i);
				i = gt ? (size_t)(gt - s) + 1 : len;
			}
			sd_buf_addc(out, block ? '\n' : ' ');
			continue;
		}
		if (c == '&') {
			size_t k;
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
				if (len - i >= ents[k].len && strncasecmp(s + i, ents[k].ent, ents[k].len) == 0)
					break;
			if (k < sizeof(ents) / sizeof(ents[0])) {
				sd_buf_addc(out, ents[k].ch);
				i += ents[k].len;
				continue;
			}
		}
		/* a run of plain text, copied at once */
		{
			const char *lt = memchr(s + i + 1, '<', len - i - 1);
			const char *amp = memchr(s + i + 1, '&', (lt ? (size_t)(lt - s) : len) - i - 1);
			size_t j = amp ? (size_t)(amp - s) : lt ? (size_t)(lt - s) : len;
			sd_buf_add(out, s + i, j - i);
			i = j;
		}
	}
	sd_buf_addc(out, '\n');
}

/* Append s[0..n) to dst with CRLF and bare CR made LF, ending in LF. */
static void
sd_append_lf(sd_buf *dst, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	if (n == 0)
		return;
	while (p < end && !dst->truncated) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		size_t run = cr ? (size_t)(cr - p) : (size_t)(end - p);
		sd_buf_add(dst, p, run);
		if (cr == NULL)
			break;
		sd_buf_addc(dst, '\n');
		p = cr + 1;
		if (p < end && *p == '\n')
			p++;
	}
	if (dst->len && dst->data[dst->len - 1] != '\n')
		sd_buf_addc(dst, '\n');
}

void
sd_mime_append_content(sd_buf *dst, const char *data, size_t len, int enc, const char *cs, int html)
{
	size_t room;
	sd_buf dec, conv;
	const char *text;
	size_t tlen;
	int left;

	if (dst->truncated || dst->len >= dst->max)
		return;
	room = dst->max - dst->len;
	/* some slack: CRs and tags are dropped below, so a little more input
	 * than room may still fit */
	sd_buf_init(&dec, room + SD_CHUNK);
	sd_buf_init(&conv, room + SD_CHUNK);
	if (sd_mime_is_identity(enc)) {
		/* nothing to undo: read the bytes where they lie */
		tlen = len < room + SD_CHUNK / 2 ? len : room + SD_CHUNK / 2;
		left = tlen < len;
		text = data;
	} else {
		left = sd_transfer_decode(&dec, data, len, enc, room + SD_CHUNK / 2);
		text = dec.data ? dec.data : "";
		tlen = dec.len;
	}
	if (cs && !sd_is_utf8_name(cs) && sd_to_utf8(&conv, text, tlen, cs) == 0) {
		text = conv.data ? conv.data : "";
		tlen = conv.len;
	}
	if (html) {
		sd_buf plain;
		sd_buf_init(&plain, tlen + 1);
		sd_append_lf(&plain, text, tlen);
		sd_html_to_text(plain.data ? plain.data : "", plain.len, dst);
		sd_buf_free(&plain);
	} else {
		sd_append_lf(dst, text, tlen);
	}
	if (left)
		dst->truncated = 1;
	sd_buf_free(&dec);
	sd_buf_free(&conv);
}

void
sd_mime_decode_raw(sd_buf *dst, const char *data, size_t len, int enc, size_t max)
{
	size_t i, o = 0;

	sd_transfer_decode(dst, data, len, enc, max);
	for (i = 0; i < dst->len; i++)
		if (dst->data[i] != '\r')
			dst->data[o++] = dst->data[i];
	dst->len = o;
	if (dst->data)
		dst->data[o] = '\0';
}
