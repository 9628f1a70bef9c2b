/*
 * util.c - small building blocks shared by the library modules.
 *
 * Arena: sd_arena_new() / sd_arena_free(); every sd_arena_* allocation is
 * released with its arena. Buffer: sd_buf with a hard cap on its length,
 * always NUL-terminated; sd_buf_free releases it. ASCII helpers never look
 * at the locale. Address and date helpers tolerate any garbage.
 * sd_hash_bytes: the one hash of the library's tables and caches.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* ---- hash ------------------------------------------------------------- */

/* Each 8-byte word is folded in with a multiply and a shift (one short
 * dependency chain per word, not per byte), the tail as a zero-padded
 * word with the length, then the bits are mixed once more so that the
 * low bits, which pick a slot, depend on every byte. */
uint64_t
sd_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t h = seed ^ UINT64_C(0x9e3779b97f4a7c15), w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
		h ^= h >> 32;
	}
	w = (uint64_t)n << 56;
	if (n)
		memcpy(&w, b, n); /* the bytes land low, the count stays high */
	h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 29;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 32;
	return h;
}

/* ---- arena ------------------------------------------------------------ */

#define SD_ARENA_CHUNK 8192

struct sd_arena_chunk {
	struct sd_arena_chunk *next;
	size_t used, size;
	max_align_t mem[]; /* aligned storage follows */
};

struct sd_arena {
	struct sd_arena_chunk *head;
};

sd_arena *
sd_arena_new(void)
{
	return calloc(1, sizeof(sd_arena));
}

void
sd_arena_free(sd_arena *a)
{
	struct sd_arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *
sd_arena_alloc_raw(sd_arena *a, size_t n)
{
	struct sd_arena_chunk *c = a->head;
	size_t align = sizeof(max_align_t);
	char *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > SD_ARENA_CHUNK ? n : SD_ARENA_CHUNK;
		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->mem + c->used;
	c->used += n;
	return p;
}

void *
sd_arena_alloc(sd_arena *a, size_t n)
{
	void *p = sd_arena_alloc_raw(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *
sd_arena_strndup(sd_arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	if (n == SIZE_MAX)
		return NULL;
	p = sd_arena_alloc_raw(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sd_arena_strdup(sd_arena *a, const char *s)
{
	return s ? sd_arena_strndup(a, s, strlen(s)) : NULL;
}

/* ---- bounded buffer --------------------------------------------------- */

void
sd_buf_init(sd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->truncated = 0;
}

int
sd_buf_add(sd_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len) {
		b->truncated = 1;
		n = b->max - b->len;
		if (n == 0)
			return -1;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *d;
		while (cap < b->len + n + 1)
			cap *= 2;
		d = realloc(b->data, cap);
		if (d == NULL)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return b->truncated ? -1 : 0;
}

int
sd_buf_addc(sd_buf *b, char c)
{
	return sd_buf_add(b, &c, 1);
}

int
sd_buf_adds(sd_buf *b, const char *s)
{
	return sd_buf_add(b, s, strlen(s));
}

void
sd_buf_reset(sd_buf *b)
{
	b->len = 0;
	b->truncated = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
sd_buf_free(sd_buf *b)
{
	free(b->data);
	sd_buf_init(b, b->max);
}

/* ---- ASCII string helpers --------------------------------------------- */

const char *
sd_line_after(const char *text, size_t len, const char *needle)
{
	const char *hit = sd_memcasemem(text, len, needle, strlen(needle));
	const char *nl;

	if (hit == NULL)
		return NULL;
	nl = memchr(hit, '\n', len - (size_t)(hit - text));
	return nl ? nl + 1 : NULL;
}

/* How common a byte is in mail text, roughly (higher = more common); the
 * search below scans for the needle's rarest byte with memchr. */
static int
sd_byte_commonness(unsigned char c)
{
	/* English letter frequencies in tenths of a percent, a..z */
	static const unsigned char letters[26] = {
		82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24,
		67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1,
	};
	int l = sd_tolower(c);

	if (l >= 'a' && l <= 'z')
		return letters[l - 'a'];
	if (c == ' ')
		return 180;
	if (sd_isdigit(c) || c == '.' || c == '\n' || c == '-')
		return 20;
	return 5;
}

/* Equal, ignoring ASCII case, over n bytes? */
static int
sd_caseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sd_tolower((unsigned char)a[i]) != sd_tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Earliest case-insensitive occurrence; at most nlen steps per byte of hay
 * (needles are short constants). memchr looks for the
 * needle's rarest byte (both cases when it is a letter, each memchr
 * result reused until passed), and every hit is checked in place. */
const char *
sd_memcasemem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t k = 0, i;
	const char *p, *end, *nlo, *nup;
	int lo, up;

	if (nlen == 0)
		return hay;
	if (nlen > hlen)
		return NULL;
	for (i = 1; i < nlen; i++)
		if (sd_byte_commonness((unsigned char)needle[i]) < sd_byte_commonness((unsigned char)needle[k]))
			k = i;
	lo = sd_tolower((unsigned char)needle[k]);
	up = (lo >= 'a' && lo <= 'z') ? lo - 32 : lo;
	/* the rare byte of a match lies in hay[k .. hlen - nlen + k] */
	p = hay + k;
	end = hay + (hlen - nlen) + k + 1;
	nlo = memchr(p, lo, (size_t)(end - p));
	nup = up != lo ? memchr(p, up, (size_t)(end - p)) : NULL;
	while (nlo || nup) {
		const char *q = (nlo && (!nup || nlo < nup)) ? nlo : nup;
		if (sd_caseeq(q - k, needle, nlen))
			return q - k;
		p = q + 1;
		if (q == nlo)
			nlo = p < end ? memchr(p, lo, (size_t)(end - p)) : NULL;
		else
			nup = p < end ? memchr(p, up, (size_t)(end - p)) : NULL;
	}
	return NULL;
}

const char *
sd_strcasestr(const char *hay, const char *needle)
{
	if (hay == NULL || needle == NULL)
		return NULL;
	return sd_memcasemem(hay, strlen(hay), needle, strlen(needle));
}

int
sd_strcaseprefix(const char *s, const char *prefix)
{
	if (s == NULL)
		return 0;
	for (; *prefix; s++, prefix++)
		if (sd_tolower((unsigned char)*s) != sd_tolower((unsigned char)*prefix))
			return 0;
	return 1;
}

char *
sd_trim(char *s)
{
	size_t n;
	char *p = s;

	if (s == NULL)
		return NULL;
	while (sd_isspace((unsigned char)*p))
		p++;
	n = strlen(p);
	while (n > 0 && sd_isspace((unsigned char)p[n - 1]))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

char *
sd_lower(char *s)
{
	char *p;

	for (p = s; p && *p; p++)
		*p = (char)sd_tolower((unsigned char)*p);
	return s;
}

/* ---- addresses -------------------------------------------------------- */

static int
sd_is_local_char(int c)
{
	return sd_isalnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL) ||
	       c >= 0x80;
}

static int
sd_is_domain_char(int c)
{
	return sd_isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80;
}

int
sd_find_address(const char *text, size_t len, char *out, size_t outsz)
{
	size_t i;

	for (i = 0; i < len; i++) {
		size_t s, e, dots = 0;
		if (text[i] != '@')
			continue;
		s = i;
		while (s > 0 && sd_is_local_char((unsigned char)text[s - 1]))
			s--;
		e = i + 1;
		while (e < len && sd_is_domain_char((unsigned char)text[e])) {
			if (text[e] == '.')
				dots++;
			e++;
		}
		while (e > i + 1 && text[e - 1] == '.') {
			e--;
			dots--;
		}
		while (s < i && text[s] == '.')
			s++;
		if (s == i || e == i + 1)
			continue;
		if (dots == 0 && !(e - i - 1 == 9 && sd_memcasemem(text + i + 1, 9, "localhost", 9)))
			continue;
		if (e - s + 1 > outsz)
			continue;
		memcpy(out, text + s, e - s);
		out[e - s] = '\0';
		return 1;
	}
	return 0;
}

char *
sd_clean_address(sd_arena *a, const char *value)
{
	char buf[512];
	const char *p, *semi;

	if (value == NULL)
		return NULL;
	p = value;
	/* "rfc822; user@host" */
	semi = strchr(p, ';');
	if (semi && (size_t)(semi - p) < 16)
		p = semi + 1;
	if (sd_find_address(p, strlen(p), buf, sizeof(buf)))
		return sd_arena_strdup(a, buf);
	return NULL;
}

/* ---- dates (RFC 5322 section 3.3, with common deviations) ------------- */

static int
sd_month(const char *s)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[4];
	int i;

	for (i = 0; i < 3; i++) {
		if (!sd_isalpha((unsigned char)s[i]))
			return -1;
		m[i] = (char)sd_tolower((unsigned char)s[i]);
	}
	m[3] = '\0';
	for (i = 0; i < 12; i++)
		if (memcmp(months + i * 3, m, 3) == 0)
			return i;
	return -1;
}

static long
sd_days_from_civil(long y, unsigned m, unsigned d)
{
	/* days since 1970-01-01 in the proleptic Gregorian calendar */
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static const char *
sd_read_int(const char *p, int maxdigits, long *v)
{
	int n = 0;

	*v = 0;
	while (n < maxdigits && sd_isdigit((unsigned char)*p)) {
		*v = *v * 10 + (*p - '0');
		p++;
		n++;
	}
	return n ? p : NULL;
}

time_t
sd_parse_date(const char *s, char tzoff[8])
{
	long day = -1, year = -1, hh = 0, mm = 0, ss = 0, v;
	int mon = -1, off = 0, have_off = 0;
	const char *p = s;

	if (tzoff)
		tzoff[0] = '\0';
	if (s == NULL)
		return 0;
	/* scan tokens: day, month name, year, hh:mm[:ss], zone */
	while (*p) {
		while (*p && (sd_isspace((unsigned char)*p) || *p == ','))
			p++;
		if (!*p)
			break;
		if (sd_isdigit((unsigned char)*p)) {
			const char *q = sd_read_int(p, 4, &v);
			if (q && *q == ':') {
				hh = v;
				q = sd_read_int(q + 1, 2, &mm);
				if (q && *q == ':')
					q = sd_read_int(q + 1, 2, &ss);
				if (q == NULL)
					return 0;
				p = q;
				continue;
			}
			if (q == NULL)
				return 0;
			if (day < 0 && v >= 1 && v <= 31 && mon < 0)
				day = v;
			else if (year < 0)
				year = v < 50 ? v + 2000 : (v < 1000 ? v + 1900 : v);
			else if (day < 0)
				day = v;
			p = q;
		} else if ((*p == '+' || *p == '-') && sd_isdigit((unsigned char)p[1])) {
			const char *q = sd_read_int(p + 1, 4, &v);
			if (q && q - p == 5 && !have_off) {
				off = (int)((v / 100) * 60 + v % 100);
				if (*p == '-')
					off = -off;
				have_off = 1;
				if (tzoff) {
					memcpy(tzoff, p, 5);
					tzoff[5] = '\0';
				}
			}
			p = q ? q : p + 1;
		} else if (sd_isalpha((unsigned char)*p)) {
			int m = sd_month(p);
			if (m >= 0 && mon < 0)
				mon = m;
			else if (!have_off && (sd_strcaseprefix(p, "GMT") || sd_strcaseprefix(p, "UTC") || sd_strcaseprefix(p, "UT "))) {
				have_off = 1;
				if (tzoff)
					memcpy(tzoff, "+0000", 6);
			}
			while (*p && !sd_isspace((unsigned char)*p) && *p != ',')
				p++;
		} else {
			p++;
		}
	}
	if (day < 1 || mon < 0 || year < 1970 || year > 9999 || hh > 23 || mm > 59 || ss > 60)
		return 0;
	return (time_t)(sd_days_from_civil(year, (unsigned)mon + 1, (unsigned)day) * 86400L +
			hh * 3600 + mm * 60 + ss - (long)off * 60);
}

/* ---- header blocks ---------------------------------------------------- */

const char *
sd_headers_get(const sd_headers *h, const char *name)
{
	size_t i;

	int c = sd_tolower((unsigned char)name[0]);

	for (i = 0; h && i < h->n; i++)
		if (sd_tolower((unsigned char)h->v[i].name[0]) == c && strcasecmp(h->v[i].name, name) == 0)
			return h->v[i].value;
	return NULL;
}

size_t
sd_headers_parse_text(sd_arena *a, const char *text, size_t len, sd_headers *out)
{
	size_t pos = 0, cap = 0;
	sd_buf val;

	out->v = NULL;
	out->n = 0;
	sd_buf_init(&val, SD_MAX_DIAG_BYTES);
	while (pos < len && out->n < SD_MAX_HEADERS) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		const char *colon;
		size_t nlen, next;

		if (ll == 0 || (ll == 1 && line[0] == '\r'))
			break;
		colon = memchr(line, ':', ll);
		if (colon == NULL || colon == line)
			break;
		for (nlen = 0; line + nlen < colon; nlen++)
			if (sd_isspace((unsigned char)line[nlen]))
				break;
		if (line + nlen != colon)
			break;
		sd_buf_reset(&val);
		sd_buf_add(&val, colon + 1, ll - (size_t)(colon + 1 - line));
		next = pos + ll + (nl ? 1 : 0);
		/* continuation lines */
		while (next < len && (text[next] == ' ' || text[next] == '\t')) {
			const char *cl = text + next;
			const char *cnl = memchr(cl, '\n', len - next);
			size_t cll = cnl ? (size_t)(cnl - cl) : len - next;
			sd_buf_addc(&val, ' ');
			sd_buf_add(&val, cl, cll);
			next += cll + (cnl ? 1 : 0);
		}
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			sd_header *nv = sd_arena_alloc(a, ncap * sizeof(*nv));
			if (nv == NULL)
				break;
			if (out->n)
				memcpy(nv, out->v, out->n * sizeof(*nv));
			out->v = nv;
			cap = ncap;
		}
		out->v[out->n].name = sd_arena_strndup(a, line, nlen);
		out->v[out->n].value = sd_trim(sd_arena_strdup(a, val.data ? val.data : ""));
		if (out->v[out->n].name == NULL || out->v[out->n].value == NULL)
			break;
		out->n++;
		pos = next;
	}
	sd_buf_free(&val);
	return pos;
}
