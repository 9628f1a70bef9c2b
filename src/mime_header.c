/*
 * mime_header.c - header blocks of a message or a MIME part, read in place.
 *
 * sd_mime_scan_headers() walks the lines of a header block once (memchr
 * per line), notes where the MIME fields are, and, when asked, stores the
 * headers with their values unfolded and decoded: RFC 2047 encoded words
 * and raw 8-bit text go through GMime's g_mime_utils_header_decode_text(),
 * plain ASCII values (nearly all) are only copied. Content-Type and
 * Content-Disposition parameters are parsed by GMime too (quoted strings,
 * RFC 2231 continuations and charsets), one small object per part.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mime_internal.h"

/* RFC 5322 ftext: printable ASCII but the colon. */
static int
sd_is_ftext(unsigned char c)
{
	return c >= 33 && c <= 126 && c != ':';
}

/* Trace and signature headers: long, numerous, and read by no decoder, so
 * their values are not decoded or kept. */
static int
sd_unused_header(const char *name, size_t len)
{
	static const char *const names[] = {
		"received", "x-received", "dkim-signature", "x-google-dkim-signature",
		"arc-seal", "arc-message-signature", "arc-authentication-results",
		"authentication-results", "received-spf", "x-gm-message-state",
		"x-google-smtp-source", NULL,
	};
	size_t i;
	int c = sd_tolower((unsigned char)name[0]);

	if (c != 'r' && c != 'x' && c != 'd' && c != 'a')
		return 0;
	for (i = 0; names[i]; i++)
		if (names[i][0] == c && strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0)
			return 1;
	return 0;
}

static int
sd_name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* Pin the charsets a raw header value will be decoded from: those named
 * in RFC 2047 encoded words, and GMime's guess for raw 8-bit text. */
static void
sd_pin_value_charsets(const char *v)
{
	const char *p;
	int eightbit = 0;

	for (p = v; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			eightbit = 1;
		if (p[0] == '=' && p[1] == '?') {
			const char *cs = p + 2, *e = cs;
			while (*e && *e != '?' && *e != '*' && !sd_isspace((unsigned char)*e))
				e++;
			if (*e == '?' || *e == '*')
				sd_mime_pin_charset(cs, (size_t)(e - cs));
		}
	}
	if (eightbit) {
		const char *lc = g_mime_locale_charset();
		if (lc)
			sd_mime_pin_charset(lc, strlen(lc));
	}
}

/* Bytes that need a second look in a header value: NUL, tab and CR
 * (made spaces), '=' (may open an encoded word) and 8-bit bytes. */
static const unsigned char sd_value_special[256] = {
	[0] = 1, ['\t'] = 1, ['\r'] = 1, ['='] = 1,
	[0x80] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* A raw value unfolded into the arena: line breaks dropped, tabs and CRs
 * made spaces, NULs dropped. *special is set when it holds "=?" or 8-bit
 * bytes. */
static char *
sd_unfold(sd_arena *a, const char *v, size_t len, int *special)
{
	char *out = sd_arena_alloc_raw(a, len + 1);
	const char *p = v, *end = v + len;
	size_t i, o = 0;

	*special = 0;
	if (out == NULL)
		return NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t run = nl ? (size_t)(nl - p) : (size_t)(end - p);
		memcpy(out + o, p, run);
		o += run;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	out[o] = '\0';
	for (i = 0; i < o; i++) {
		unsigned char c = (unsigned char)out[i];
		if (!sd_value_special[c])
			continue;
		if (c >= 0x80 || (c == '=' && out[i + 1] == '?'))
			*special = 1;
		else if (c == '\t' || c == '\r')
			out[i] = ' ';
		else if (c == '\0')
			break;
	}
	if (i < o) {
		/* NULs inside: drop them, as the value is a C string */
		size_t k = i;
		for (; i < o; i++) {
			unsigned char c = (unsigned char)out[i];
			if (c == '\0')
				continue;
			if (c == '\t' || c == '\r')
				c = ' ';
			else if (c >= 0x80 || (c == '=' && i + 1 < o && out[i + 1] == '?'))
				*special = 1;
			out[k++] = (char)c;
		}
		out[k] = '\0';
	}
	return out;
}

/* The value as stored: unfolded, decoded to UTF-8, trimmed. */
static char *
sd_header_value(sd_arena *a, const char *v, size_t len)
{
	int special;
	char *s = sd_unfold(a, v, len, &special);

	if (s == NULL)
		return NULL;
	if (special) {
		char *dec;
		sd_pin_value_charsets(s);
		dec = g_mime_utils_header_decode_text(NULL, s);
		if (dec) {
			char *copy = sd_arena_strdup(a, dec);
			g_free(dec);
			if (copy) {
				for (char *p = copy; *p; p++)
					if (*p == '\n' || *p == '\r' || *p == '\t')
						*p = ' ';
				s = copy;
			}
		}
	}
	return sd_trim(s);
}

static void
sd_store_header(sd_arena *a, sd_headers *out, size_t *cap, const char *name, size_t nlen,
		const char *v, size_t vlen)
{
	sd_header *h;

	if (out->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		sd_header *nv = sd_arena_alloc(a, ncap * sizeof(*nv));
		if (nv == NULL)
			return;
		if (out->n)
			memcpy(nv, out->v, out->n * sizeof(*nv));
		out->v = nv;
		*cap = ncap;
	}
	h = &out->v[out->n];
	h->name = sd_arena_strndup(a, name, nlen);
	h->value = sd_header_value(a, v, vlen);
	if (h->name && h->value)
		out->n++;
}

size_t
sd_mime_scan_headers(sd_arena *a, const char *text, size_t len, sd_mime_fields *mf,
		     sd_headers *out, int *truncated)
{
	size_t pos = 0, cap = 0;

	memset(mf, 0, sizeof(*mf));
	if (out) {
		out->v = NULL;
		out->n = 0;
	}
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		size_t next = pos + ll + (nl ? 1 : 0);
		size_t nlen = 0, c, vlen;
		const char *v;

		if (ll == 0 || (ll == 1 && line[0] == '\r'))
			return next; /* the blank line: the body follows */
		while (nlen < ll && sd_is_ftext((unsigned char)line[nlen]))
			nlen++;
		c = nlen;
		while (c < ll && (line[c] == ' ' || line[c] == '\t'))
			c++;
		if (nlen == 0 || c >= ll || line[c] != ':') {
			/* A first line that is no header means there is no
			 * header block. Later such lines (a broken fold, a
			 * stray "From " line) are skipped, as GMime's parser
			 * does: the block still ends at its blank line. */
			if (pos == 0)
				return 0;
			pos = next;
			continue;
		}
		/* continuation lines */
		while (next < len && (text[next] == ' ' || text[next] == '\t')) {
			const char *cnl = memchr(text + next, '\n', len - next);
			next = cnl ? (size_t)(cnl - text) + 1 : len;
		}
		v = line + c + 1;
		vlen = (size_t)(text + next - v);
		if (vlen && v[vlen - 1] == '\n')
			vlen--;
		if (nlen > 8 && (line[0] == 'C' || line[0] == 'c')) {
			if (sd_name_is(line, nlen, "content-type") && mf->ctype == NULL) {
				mf->ctype = v;
				mf->ctype_len = vlen;
			} else if (sd_name_is(line, nlen, "content-transfer-encoding") && mf->cte == NULL) {
				mf->cte = v;
				mf->cte_len = vlen;
			} else if (sd_name_is(line, nlen, "content-disposition") && mf->disp == NULL) {
				mf->disp = v;
				mf->disp_len = vlen;
			}
		}
		if (out && !sd_unused_header(line, nlen)) {
			if (out->n < SD_MAX_HEADERS)
				sd_store_header(a, out, &cap, line, nlen, v, vlen);
			else if (truncated)
				*truncated = 1;
		}
		pos = next;
	}
	return len;
}

/* Copy s[0..n) lower-cased into dst (size dsz), trimmed; "" when too long. */
static void
sd_lower_into(char *dst, size_t dsz, const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	if (n >= dsz)
		n = 0;
	for (i = 0; i < n; i++)
		dst[i] = (char)sd_tolower((unsigned char)s[i]);
	dst[n] = '\0';
}

/* RFC 2045 token characters. */
static int
sd_is_token(unsigned char c)
{
	return c > 32 && c < 127 && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Content-Type values in the plain form nearly every message uses,
 * type/subtype followed by attribute=token or attribute="quoted string"
 * parameters, are read here without building GMime objects. Anything
 * else (comments, RFC 2231 "attr*=" parameters, encoded words, broken
 * syntax) returns 0 and is left to GMime. */
static int
sd_parse_plain_ctype(sd_arena *a, const char *v, sd_ctype *ct)
{
	const char *p = v, *t;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	for (t = p; sd_is_token((unsigned char)*p); p++)
		;
	if (p == t || *p != '/' || (size_t)(p - t) >= sizeof(ct->type))
		return 0;
	for (n = 0; t + n < p; n++)
		ct->type[n] = (char)sd_tolower((unsigned char)t[n]);
	ct->type[n] = '\0';
	for (t = ++p; sd_is_token((unsigned char)*p); p++)
		;
	if (p == t || (size_t)(p - t) >= sizeof(ct->sub))
		return 0;
	for (n = 0; t + n < p; n++)
		ct->sub[n] = (char)sd_tolower((unsigned char)t[n]);
	ct->sub[n] = '\0';
	for (;;) {
		const char *attr, *val;
		size_t alen, vlen;
		char *copy;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 1;
		if (*p++ != ';')
			return 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 1; /* a trailing semicolon */
		for (attr = p; sd_is_token((unsigned char)*p) && *p != '*'; p++)
			;
		alen = (size_t)(p - attr);
		while (*p == ' ' || *p == '\t')
			p++;
		if (alen == 0 || *p++ != '=')
			return 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			size_t o = 0;
			val = ++p;
			while (*p && *p != '"')
				p += (p[0] == '\\' && p[1]) ? 2 : 1;
			if (*p != '"')
				return 0;
			vlen = (size_t)(p - val);
			p++;
			if ((copy = sd_arena_alloc(a, vlen + 1)) == NULL)
				return 0;
			for (n = 0; n < vlen; n++) {
				if (val[n] == '\\' && n + 1 < vlen)
					n++;
				copy[o++] = val[n];
			}
			copy[o] = '\0';
		} else {
			for (val = p; sd_is_token((unsigned char)*p); p++)
				;
			vlen = (size_t)(p - val);
			if ((copy = sd_arena_strndup(a, val, vlen)) == NULL)
				return 0;
		}
		if (strstr(copy, "=?") != NULL)
			return 0; /* an encoded word: GMime decodes those */
		if (alen == 8 && strncasecmp(attr, "boundary", 8) == 0)
			ct->boundary = copy;
		else if (alen == 7 && strncasecmp(attr, "charset", 7) == 0)
			ct->charset = copy;
		else if (alen == 4 && strncasecmp(attr, "name", 4) == 0)
			ct->name = copy;
	}
}

void
sd_mime_parse_ctype(sd_arena *a, const sd_mime_fields *mf, const char *deftype, const char *defsub,
		    sd_ctype *ct)
{
	GMimeContentType *gct;
	const char *p;
	int special;
	char *raw;

	memset(ct, 0, sizeof(*ct));
	sd_lower_into(ct->type, sizeof(ct->type), deftype);
	sd_lower_into(ct->sub, sizeof(ct->sub), defsub);
	if (mf->ctype == NULL)
		return;
	raw = sd_unfold(a, mf->ctype, mf->ctype_len, &special);
	if (raw == NULL)
		return;
	if (!special) {
		sd_ctype plain;
		memset(&plain, 0, sizeof(plain));
		if (sd_parse_plain_ctype(a, raw, &plain)) {
			*ct = plain;
			return;
		}
	}
	if ((gct = g_mime_content_type_parse(NULL, raw)) == NULL)
		return;
	sd_lower_into(ct->type, sizeof(ct->type), g_mime_content_type_get_media_type(gct));
	sd_lower_into(ct->sub, sizeof(ct->sub), g_mime_content_type_get_media_subtype(gct));
	if ((p = g_mime_content_type_get_parameter(gct, "boundary")) != NULL)
		ct->boundary = sd_arena_strdup(a, p);
	if ((p = g_mime_content_type_get_parameter(gct, "charset")) != NULL)
		ct->charset = sd_arena_strdup(a, p);
	if ((p = g_mime_content_type_get_parameter(gct, "name")) != NULL)
		ct->name = sd_arena_strdup(a, p);
	g_object_unref(gct);
}

const char *
sd_mime_disposition_filename(sd_arena *a, const sd_mime_fields *mf)
{
	GMimeContentDisposition *cd;
	const char *fn, *copy = NULL;
	int special;
	char *raw;

	if (mf->disp == NULL)
		return NULL;
	raw = sd_unfold(a, mf->disp, mf->disp_len, &special);
	if (raw == NULL || (cd = g_mime_content_disposition_parse(NULL, raw)) == NULL)
		return NULL;
	if ((fn = g_mime_content_disposition_get_parameter(cd, "filename")) != NULL)
		copy = sd_arena_strdup(a, fn);
	g_object_unref(cd);
	return copy;
}

int
sd_mime_encoding(const sd_mime_fields *mf)
{
	char name[40];
	size_t i = 0, o = 0;

	if (mf->cte == NULL)
		return GMIME_CONTENT_ENCODING_DEFAULT;
	while (i < mf->cte_len && sd_isspace((unsigned char)mf->cte[i]))
		i++;
	while (i < mf->cte_len && o + 1 < sizeof(name) && !sd_isspace((unsigned char)mf->cte[i]) &&
	       mf->cte[i] != ';' && mf->cte[i] != '(')
		name[o++] = mf->cte[i++];
	name[o] = '\0';
	return (int)g_mime_content_encoding_from_string(name);
}
