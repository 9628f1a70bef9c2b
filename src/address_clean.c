/*
 * address_clean.c - the clean-up of an address before its syntax check.
 *
 * Entry point (address.h): sd_address_clean. What people paste around an
 * address, and what it removes, each reported as an SD_ADDRESS_CHANGED_*
 * bit:
 *   - invisible characters anywhere: zero-width space, word joiner, byte
 *     order mark, soft hyphen, no-break spaces (U+00A0, U+2007, U+202F),
 *     direction marks and embeddings; zero-width (non-)joiners next to
 *     ASCII or at an end (between two non-ASCII letters they can belong to
 *     a word, and stay);
 *   - a full-width at sign (U+FF20), made @ when there is no @;
 *   - spaces at both ends, ASCII or Unicode (U+3000, U+2003, ...);
 *   - "Name <address>" (the last <...> outside quotes wins), bare angle
 *     brackets, a lone < or > at one end;
 *   - quotes around the whole address ("...", '...', curly quotes), but
 *     not the quotes of a quoted local part ("john doe"@example.com);
 *   - "mailto:", the "?subject=..." part of the link, and %XX escapes of
 *     printable ASCII in it;
 *   - a comment after or before the address: john@example.com (John);
 *   - commas, semicolons and colons after the address.
 * These are repeated until nothing changes (at most SD_CLEAN_ROUNDS
 * times), so "<mailto:a@b.c>" loses both. The case of the text is never
 * changed here, and nothing inside the address is removed but invisible
 * characters.
 *
 * Input is valid UTF-8 without NUL (sd_address_check sees to it); output
 * is never longer than input. Each round is linear in the input.
 */
#include <string.h>

#include "address.h"
#include "internal.h"

#define SD_CLEAN_ROUNDS 8 /* wrappings peeled at most: keeps the work linear */

/* sd_is_invisible - removed wherever it is */
static int
sd_is_invisible(unsigned cp)
{
	return cp == 0x00A0 || cp == 0x00AD || cp == 0x180E || cp == 0x2007 ||
	       cp == 0x200B || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202F) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* sd_uspace_len - the length of the space character at p (ASCII white
 * space or a Unicode space) or 0 */
static size_t
sd_uspace_len(const char *p, size_t n)
{
	unsigned cp;
	size_t len;

	if (n > 0 && sd_isspace((unsigned char)*p))
		return 1;
	len = sd_utf8_next((const unsigned char *)p, n, &cp);
	if (len > 1 && sd_is_uspace(cp))
		return len;
	return 0;
}

/* sd_uspace_before - the length of the space character that ends p[0..n) */
static size_t
sd_uspace_before(const char *p, size_t n)
{
	size_t back;

	for (back = 1; back <= 4 && back <= n; back++)
		if (((unsigned char)p[n - back] & 0xC0) != 0x80)
			return sd_uspace_len(p + n - back, back) == back ? back : 0;
	return 0;
}

/* sd_trim - drop spaces at both ends of [*s, *e); 1 when any went */
static int
sd_trim_ends(const char **s, const char **e)
{
	const char *s0 = *s, *e0 = *e;
	size_t k;

	while (*s < *e && (k = sd_uspace_len(*s, (size_t)(*e - *s))) > 0)
		*s += k;
	while (*e > *s && (k = sd_uspace_before(*s, (size_t)(*e - *s))) > 0)
		*e -= k;
	return *s != s0 || *e != e0;
}

/* sd_drop_invisible - copy in to out without invisible characters; a
 * full-width @ becomes @ when at_ok. Returns the length written. */
static size_t
sd_drop_invisible(const char *in, size_t n, char *out, int at_ok, unsigned *changes)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0, len;
	unsigned cp;

	while (i < n) {
		len = sd_utf8_next(p + i, n - i, &cp);
		if (len == 0) { /* not UTF-8: the caller checked; copy as it is */
			len = 1;
			cp = p[i];
		}
		if (sd_is_invisible(cp)) {
			*changes |= SD_ADDRESS_CHANGED_INVISIBLE;
		} else if ((cp == 0x200C || cp == 0x200D) &&
			   (o == 0 || (unsigned char)out[o - 1] < 0x80 ||
			    i + len >= n || p[i + len] < 0x80)) {
			*changes |= SD_ADDRESS_CHANGED_INVISIBLE;
		} else if (cp == 0xFF20 && at_ok) {
			out[o++] = '@';
			*changes |= SD_ADDRESS_CHANGED_FULLWIDTH_AT;
		} else {
			memmove(out + o, in + i, len);
			o += len;
		}
		i += len;
	}
	return o;
}

/* sd_quoted_end - for s at an opening double quote: the position of its
 * closing quote (backslash escapes skipped) before e, or NULL */
static const char *
sd_quoted_end(const char *s, const char *e)
{
	const char *q;

	for (q = s + 1; q < e; q++) {
		if (*q == '\\' && q + 1 < e)
			q++;
		else if (*q == '"')
			return q;
	}
	return NULL;
}

/* sd_unwrap_angle - "Name <addr>", "<addr>", "addr (comment)" and lone
 * brackets at an end */
static int
sd_unwrap_angle(const char **s, const char **e, unsigned *changes)
{
	const char *q, *lt = NULL, *gt = NULL, *end;

	for (q = *s; q < *e; q++) {
		if (*q == '"') {
			end = sd_quoted_end(q, *e);
			if (end == NULL)
				break;
			q = end;
		} else if (*q == '<') {
			lt = q;
			gt = NULL;
		} else if (*q == '>' && lt != NULL && gt == NULL) {
			gt = q;
		}
	}
	if (lt != NULL && gt != NULL) {
		const char *a = *s, *y = lt, *b = gt + 1, *z = *e;
		/* anything but spaces around the brackets is a name or comment */
		sd_trim_ends(&a, &y);
		sd_trim_ends(&b, &z);
		*changes |= a < y || b < z ? SD_ADDRESS_CHANGED_NAME : SD_ADDRESS_CHANGED_BRACKETS;
		*s = lt + 1;
		*e = gt;
		return 1;
	}
	if (*s < *e && **s == '<' && memchr(*s, '>', (size_t)(*e - *s)) == NULL) {
		(*s)++;
		*changes |= SD_ADDRESS_CHANGED_BRACKETS;
		return 1;
	}
	if (*e > *s && (*e)[-1] == '>' && memchr(*s, '<', (size_t)(*e - *s)) == NULL) {
		(*e)--;
		*changes |= SD_ADDRESS_CHANGED_BRACKETS;
		return 1;
	}
	return 0;
}

/* sd_curly_len - the length of a curly quote (U+2018, U+2019, U+201C,
 * U+201D) at p, or 0 */
static size_t
sd_curly_len(const char *p, size_t n)
{
	unsigned cp;
	size_t len = sd_utf8_next((const unsigned char *)p, n, &cp);

	return len == 3 && (cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D) ? 3 : 0;
}

/* sd_unwrap_quotes - quotes around the whole address (with an @ inside) */
static int
sd_unwrap_quotes(const char **s, const char **e, unsigned *changes)
{
	size_t n = (size_t)(*e - *s);

	if (n >= 2 && **s == '"' && (*e)[-1] == '"' &&
	    sd_quoted_end(*s, *e) == *e - 1 && memchr(*s, '@', n) != NULL) {
		(*s)++;
		(*e)--;
	} else if (n >= 2 && **s == '\'' && (*e)[-1] == '\'' && memchr(*s, '@', n) != NULL) {
		(*s)++;
		(*e)--;
	} else if (n >= 6 && sd_curly_len(*s, n) && sd_curly_len(*e - 3, 3) &&
		   memchr(*s, '@', n) != NULL) {
		*s += 3;
		*e -= 3;
	} else {
		return 0;
	}
	*changes |= SD_ADDRESS_CHANGED_QUOTES;
	return 1;
}

static int
sd_hexval(int c)
{
	if (sd_isdigit(c))
		return c - '0';
	c = sd_tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* sd_unwrap_mailto - "mailto:" and the query of the link; the %XX escapes
 * of printable ASCII decoded in place (which shortens the text) */
static int
sd_unwrap_mailto(char **s, char **e, unsigned *changes)
{
	static const char mailto[] = "mailto:";
	size_t k = sizeof(mailto) - 1, i;
	char *q, *w;

	if ((size_t)(*e - *s) < k)
		return 0;
	for (i = 0; i < k; i++)
		if (sd_tolower((unsigned char)(*s)[i]) != mailto[i])
			return 0;
	*s += k;
	q = memchr(*s, '?', (size_t)(*e - *s));
	if (q != NULL)
		*e = q;
	for (q = w = *s; q < *e; q++) {
		int hi, lo;
		if (*q == '%' && *e - q >= 3 && (hi = sd_hexval((unsigned char)q[1])) >= 0 &&
		    (lo = sd_hexval((unsigned char)q[2])) >= 0 && hi * 16 + lo > 0x20 &&
		    hi * 16 + lo < 0x7F) {
			*w++ = (char)(hi * 16 + lo);
			q += 2;
		} else {
			*w++ = *q;
		}
	}
	*e = w;
	*changes |= SD_ADDRESS_CHANGED_MAILTO;
	return 1;
}

/* sd_unwrap_comment - "(comment) addr" or "addr (comment)": a comment
 * after the last @ outside quotes, or one that opens the text */
static int
sd_unwrap_comment(const char **s, const char **e, unsigned *changes)
{
	const char *q, *at = NULL, *end, *open;

	if (*s < *e && **s == '(') {
		end = memchr(*s, ')', (size_t)(*e - *s));
		if (end != NULL && memchr(end, '@', (size_t)(*e - end)) != NULL) {
			const char *z = *e;
			*s = end + 1;
			sd_trim_ends(s, &z); /* the space after the comment */
			*changes |= SD_ADDRESS_CHANGED_NAME;
			return 1;
		}
		return 0;
	}
	if (*e == *s || (*e)[-1] != ')')
		return 0;
	for (q = *s; q < *e; q++) {
		if (*q == '"') {
			end = sd_quoted_end(q, *e);
			if (end == NULL)
				return 0;
			q = end;
		} else if (*q == '@') {
			at = q;
		}
	}
	if (at == NULL || (open = memchr(at, '(', (size_t)(*e - at))) == NULL || open == at + 1)
		return 0;
	*e = open;
	q = *s;
	sd_trim_ends(&q, e); /* the space before the comment */
	*changes |= SD_ADDRESS_CHANGED_NAME;
	return 1;
}

/* sd_drop_trailing_punct - commas, semicolons, colons at the end */
static int
sd_drop_trailing_punct(const char **s, const char **e, unsigned *changes)
{
	const char *e0 = *e;

	while (*e > *s && ((*e)[-1] == ',' || (*e)[-1] == ';' || (*e)[-1] == ':'))
		(*e)--;
	if (*e == e0)
		return 0;
	*changes |= SD_ADDRESS_CHANGED_TRAILING_PUNCT;
	return 1;
}

size_t
sd_address_clean(const char *in, size_t n, char *out, unsigned *changes)
{
	char *s, *e;
	const char *cs, *ce;
	unsigned ch = 0;
	size_t len;
	int again, round = 0;

	len = sd_drop_invisible(in, n, out, memchr(in, '@', n) == NULL, &ch);
	s = out;
	e = out + len;
	do {
		again = 0;
		cs = s;
		ce = e;
		if (sd_trim_ends(&cs, &ce)) {
			ch |= SD_ADDRESS_CHANGED_SPACE;
			again = 1;
		}
		again |= sd_unwrap_angle(&cs, &ce, &ch);
		again |= sd_unwrap_quotes(&cs, &ce, &ch);
		again |= sd_unwrap_comment(&cs, &ce, &ch);
		again |= sd_drop_trailing_punct(&cs, &ce, &ch);
		s = out + (cs - out);
		e = out + (ce - out);
		again |= sd_unwrap_mailto(&s, &e, &ch);
	} while (again && s < e && ++round < SD_CLEAN_ROUNDS);
	len = (size_t)(e - s);
	memmove(out, s, len);
	out[len] = '\0';
	if (changes != NULL)
		*changes = ch;
	return len;
}
