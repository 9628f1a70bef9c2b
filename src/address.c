/*
 * address.c - is this text a valid e-mail address, and what is it?
 *
 * Entry points (address.h): sd_address_check_n, sd_address_check,
 * sd_address_info_free, sd_address_error_id, sd_address_change_id,
 * sd_address_change_text.
 *
 * The steps, each linear in the input:
 *   1. the input is kept for out->input as valid UTF-8; a NUL, a byte that
 *      is not UTF-8, or more than SD_ADDRESS_INPUT_MAX bytes end the check
 *      there;
 *   2. the clean-up of address_clean.c (spaces, names, brackets, mailto:);
 *   3. no control characters anywhere (RFC 5321 allows none, even quoted);
 *   4. the split: a local part that opens with a quote runs to its closing
 *      quote, which must be followed by @; otherwise at the @. With several
 *      @ the last one gives the domain, which still gets checked and can
 *      still get a misspelling suggestion;
 *   5. the local part (RFC 5321 4.1.2): a Dot-string of RFC 5322 atext
 *      (3.2.3) plus UTF-8 (RFC 6531 3.3), or a Quoted-string of qtextSMTP,
 *      UTF-8 and quoted-pairSMTP (a backslash and a printable ASCII
 *      character);
 *   6. the domain: an address literal (RFC 5321 4.1.3: [IPv4] or
 *      [IPv6:...]), or a domain of letter-digit-hyphen labels (RFC 5321
 *      4.1.2, RFC 1123 2.1) in lower case, a final dot dropped; a domain
 *      with UTF-8 or an "xn--" label goes through libidn2
 *      (idn2_lookup_u8 with NFC input and UTS #46 non-transitional
 *      mapping) to A-labels and back (idn2_to_unicode_8z8z) to U-labels.
 *      At least two labels; a top label that is not all digits;
 *   7. the limits in octets (RFC 5321 4.5.3.1): local part 64, label 63,
 *      domain 255 and address 254, the domain counted in A-labels;
 *   8. the flags: role (local part), disposable and free-mail (domain).
 * The first problem in reading order is the one reported.
 *
 * Memory: the strings of an sd_address_info live in one block (mem_),
 * grown when needed and reused by the next check on the same info, so a
 * bulk run allocates next to nothing per address; libidn2's results are
 * freed before returning. Work buffers are on the stack
 * (SD_ADDRESS_INPUT_MAX bytes each).
 */
#include <arpa/inet.h>
#include <idn2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "internal.h"

#if defined(__GNUC__) || defined(__clang__)
#define SD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SD_PRINTF(f, a)
#endif

#define SD_SNIP_MAX 48        /* bytes of the input quoted in a reason */
#define SD_REASON_MAX 320
#define SD_IDN_INPUT_MAX 1024 /* a longer domain cannot fit 255 octets */
#define SD_NONE ((size_t)-1)  /* no string */

static const char *const sd_error_ids[] = {
#define SD_X_ID(name, id) id,
	SD_ADDRESS_ERROR_MAP(SD_X_ID)
#undef SD_X_ID
};

static const struct {
	const char *id;
	const char *text;
} sd_changes[] = {
#define SD_X_CHANGE(name, id, text) {id, text},
	SD_ADDRESS_CHANGE_MAP(SD_X_CHANGE)
#undef SD_X_CHANGE
};

const char *
sd_address_error_id(sd_address_error e)
{
	if ((int)e < 0 || e >= SD_ADDRESS_ERROR_COUNT)
		return "unknown";
	return sd_error_ids[e];
}

/* sd_change_index - the index of a single known bit, or -1 */
static int
sd_change_index(unsigned bit)
{
	int i;

	for (i = 0; i < SD_ADDRESS_CHANGE_COUNT; i++)
		if (bit == 1u << i)
			return i;
	return -1;
}

const char *
sd_address_change_id(unsigned bit)
{
	int i = sd_change_index(bit);

	return i >= 0 ? sd_changes[i].id : NULL;
}

const char *
sd_address_change_text(unsigned bit)
{
	int i = sd_change_index(bit);

	return i >= 0 ? sd_changes[i].text : NULL;
}

/* ---- the check's state ------------------------------------------------- */

typedef struct sd_check {
	sd_address_info *out;
	char *mem;              /* string storage, becomes out->mem_ */
	size_t len, cap;
	int oom;
	unsigned fails;         /* problems found, the first one recorded */
	/* offsets into mem of the strings of out, or SD_NONE */
	size_t input, address, address_ascii, local, domain, domain_ascii, reason;
	char why[SD_REASON_MAX];
} sd_check;

/* sd_reserve - room for n more bytes in the storage; -1 when memory ran
 * out (then every later call fails too). It may move the storage: take
 * pointers into it only after. */
static int
sd_reserve(sd_check *c, size_t n)
{
	size_t cap;
	char *m;

	if (c->oom)
		return -1;
	if (n > SIZE_MAX / 2 - c->len) {
		c->oom = 1;
		return -1;
	}
	if (c->len + n <= c->cap)
		return 0;
	cap = c->cap ? c->cap : 256;
	while (cap < c->len + n)
		cap *= 2;
	m = realloc(c->mem, cap);
	if (m == NULL) {
		c->oom = 1;
		return -1;
	}
	c->mem = m;
	c->cap = cap;
	return 0;
}

/* sd_add - append n bytes (not from the storage itself) */
static int
sd_add(sd_check *c, const char *s, size_t n)
{
	if (sd_reserve(c, n) != 0)
		return -1;
	if (n > 0)
		memcpy(c->mem + c->len, s, n);
	c->len += n;
	return 0;
}

/* sd_put - a string of n bytes into the storage; its offset, or SD_NONE
 * when memory ran out */
static size_t
sd_put(sd_check *c, const char *s, size_t n)
{
	size_t off = c->len;

	if (sd_add(c, s, n) != 0 || sd_add(c, "", 1) != 0)
		return SD_NONE;
	return off;
}

/* sd_put_addr - the string l@d into the storage, where d is the string
 * at offset doff of the storage itself */
static size_t
sd_put_addr(sd_check *c, const char *l, size_t ln, size_t doff)
{
	size_t off = c->len, dn;

	if (doff == SD_NONE)
		return SD_NONE;
	dn = strlen(c->mem + doff);
	if (ln > SIZE_MAX / 2 || sd_reserve(c, ln + dn + 2) != 0)
		return SD_NONE;
	memcpy(c->mem + c->len, l, ln);
	c->mem[c->len + ln] = '@';
	memcpy(c->mem + c->len + ln + 1, c->mem + doff, dn);
	c->mem[c->len + ln + 1 + dn] = '\0';
	c->len += ln + dn + 2;
	return off;
}

/* sd_fail - record the first problem found */
static void SD_PRINTF(3, 4)
sd_fail(sd_check *c, sd_address_error e, const char *fmt, ...)
{
	va_list ap;

	c->fails++;
	if (c->out->error != SD_ADDRESS_EOK)
		return;
	c->out->error = e;
	va_start(ap, fmt);
	(void)vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

/* sd_snip - s (n bytes of UTF-8) for quoting in a reason: cut after
 * SD_SNIP_MAX bytes at a character boundary with "...", control
 * characters shown as '?'. Returns buf. */
static const char *
sd_snip(char *buf, size_t size, const char *s, size_t n)
{
	size_t i, o = 0, cut = n;

	if (cut > SD_SNIP_MAX) {
		cut = SD_SNIP_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	for (i = 0; i < cut && o + 4 < size; i++) {
		unsigned char ch = (unsigned char)s[i];
		buf[o++] = ch < 0x20 || ch == 0x7F ? '?' : (char)ch;
	}
	if (cut < n && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* ---- step 1: the input ---------------------------------------------------- */

/* sd_keep_input - the input as valid UTF-8 into the storage: each NUL
 * and each byte that does not start a UTF-8 sequence becomes U+FFFD */
static size_t
sd_keep_input(sd_check *c, const char *in, size_t n)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t off = c->len, i = 0, k, run;
	unsigned cp;

	while (i < n) {
		for (run = i; run < n && p[run] != 0; run += k)
			if ((k = sd_utf8_next(p + run, n - run, &cp)) == 0)
				break;
		if (sd_add(c, in + i, run - i) != 0)
			return SD_NONE;
		if (run < n) {
			if (sd_add(c, "\xEF\xBF\xBD", 3) != 0)
				return SD_NONE;
			run++;
		}
		i = run;
	}
	if (sd_add(c, "", 1) != 0)
		return SD_NONE;
	return off;
}

/* ---- steps 3 to 5: control characters, the split, the local part ------- */

/* sd_control_name - words for a control character */
static const char *
sd_control_name(unsigned cp, char *buf, size_t size)
{
	if (cp == '\t')
		return "a tab";
	if (cp == '\n' || cp == '\r')
		return "a line break";
	(void)snprintf(buf, size, "a control character (U+%04X)", cp);
	return buf;
}

/* sd_find_control - the first control character of s (valid UTF-8):
 * C0, DEL, C1; 1 with *cp and *at set, else 0 */
static int
sd_find_control(const char *s, size_t n, unsigned *cp, size_t *at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		k = sd_utf8_next(p + i, n - i, cp);
		if (k == 0)
			return 0;
		if (*cp < 0x20 || (*cp >= 0x7F && *cp <= 0x9F)) {
			*at = i;
			return 1;
		}
		i += k;
	}
	return 0;
}

/* RFC 5322 3.2.3 atext, ASCII part */
static int
sd_is_atext(int ch)
{
	return sd_isalnum(ch) || (ch != 0 && strchr("!#$%&'*+-/=?^_`{|}~", ch) != NULL);
}

/* sd_check_dot_string - an unquoted local part */
static void
sd_check_dot_string(sd_check *c, const char *l, size_t ln)
{
	char snip[SD_SNIP_MAX + 8];
	const unsigned char *p = (const unsigned char *)l;
	size_t i, k;
	unsigned cp;

	if (l[0] == '.') {
		sd_fail(c, SD_ADDRESS_ELOCAL_DOT, "the local part '%s' starts with a dot",
			sd_snip(snip, sizeof(snip), l, ln));
		return;
	}
	for (i = 0; i < ln; i += k) {
		k = sd_utf8_next(p + i, ln - i, &cp);
		if (k == 0) { /* cannot happen: the input was checked */
			k = 1;
			cp = p[i];
		}
		if (sd_is_uspace(cp)) {
			sd_fail(c, SD_ADDRESS_ELOCAL_CHAR, "the local part '%s' contains a space "
				"character (U+%04X), which is only allowed inside quotes",
				sd_snip(snip, sizeof(snip), l, ln), cp);
			return;
		}
		if (cp >= 0x80 || sd_is_atext((int)cp))
			continue;
		if (cp == '.') {
			if (i + 1 == ln) {
				sd_fail(c, SD_ADDRESS_ELOCAL_DOT, "the local part '%s' ends with a dot",
					sd_snip(snip, sizeof(snip), l, ln));
				return;
			}
			if (p[i + 1] == '.') {
				sd_fail(c, SD_ADDRESS_ELOCAL_DOT,
					"the local part '%s' has two dots in a row",
					sd_snip(snip, sizeof(snip), l, ln));
				return;
			}
			continue;
		}
		if (cp == ' ') {
			sd_fail(c, SD_ADDRESS_ELOCAL_CHAR, "the local part '%s' contains a space, "
				"which is only allowed inside quotes", sd_snip(snip, sizeof(snip), l, ln));
		} else if (cp == '"') {
			sd_fail(c, SD_ADDRESS_EQUOTE_MISPLACED, "the local part '%s' has a quote inside "
				"it; quotes may only enclose the whole local part, as in "
				"\"john doe\"@example.com", sd_snip(snip, sizeof(snip), l, ln));
		} else {
			sd_fail(c, SD_ADDRESS_ELOCAL_CHAR, "the local part '%s' contains '%c', "
				"which is only allowed inside quotes",
				sd_snip(snip, sizeof(snip), l, ln), (char)cp);
		}
		return;
	}
}

/* sd_check_quoted - a quoted local part, quotes included; it was split at
 * its closing quote, so only its content is looked at here */
static void
sd_check_quoted(sd_check *c, const char *l, size_t ln)
{
	size_t i;

	for (i = 1; i + 1 < ln; i++) {
		if (l[i] != '\\')
			continue;
		/* quoted-pairSMTP: a backslash and a printable ASCII character */
		if ((unsigned char)l[i + 1] < 0x20 || (unsigned char)l[i + 1] > 0x7E) {
			sd_fail(c, SD_ADDRESS_EQUOTED_CHAR, "a backslash in the quoted local part "
				"may only escape a printable ASCII character");
			return;
		}
		i++;
	}
}

/* ---- step 6: the domain ---------------------------------------------------- */

/* sd_parse_ipv4 - RFC 5321 IPv4-address-literal: four 1-3 digit numbers up
 * to 255 with dots between */
static int
sd_parse_ipv4(const char *s, size_t n)
{
	size_t i = 0, parts = 0, digits;
	unsigned v;

	for (;;) {
		v = 0;
		digits = 0;
		while (i < n && sd_isdigit((unsigned char)s[i]) && digits < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return 0;
		parts++;
		if (parts == 4)
			return i == n;
		if (i >= n || s[i] != '.')
			return 0;
		i++;
	}
}

/* sd_check_literal - [IPv4] or [IPv6:...] (RFC 5321 4.1.3) */
static void
sd_check_literal(sd_check *c, const char *d, size_t dn)
{
	char snip[SD_SNIP_MAX + 8], v6[64];
	unsigned char bin[16];
	const char *in, *colon;
	size_t inn;

	if (dn < 2 || d[dn - 1] != ']') {
		sd_fail(c, SD_ADDRESS_ELITERAL, "the address literal '%s' is not closed with ]",
			sd_snip(snip, sizeof(snip), d, dn));
		return;
	}
	in = d + 1;
	inn = dn - 2;
	colon = memchr(in, ':', inn);
	if (colon == NULL) {
		if (!sd_parse_ipv4(in, inn))
			sd_fail(c, SD_ADDRESS_ELITERAL, "the address literal '%s' is not an IPv4 "
				"address (four numbers from 0 to 255 with dots between)",
				sd_snip(snip, sizeof(snip), d, dn));
		return;
	}
	if (colon - in == 4 && sd_strcaseprefix(in, "IPv6")) {
		inn -= 5;
		if (inn == 0 || inn >= sizeof(v6)) {
			sd_fail(c, SD_ADDRESS_ELITERAL, "the address literal '%s' is not an IPv6 "
				"address", sd_snip(snip, sizeof(snip), d, dn));
			return;
		}
		memcpy(v6, colon + 1, inn);
		v6[inn] = '\0';
		if (inet_pton(AF_INET6, v6, bin) != 1)
			sd_fail(c, SD_ADDRESS_ELITERAL, "the address literal '%s' is not an IPv6 "
				"address", sd_snip(snip, sizeof(snip), d, dn));
		return;
	}
	sd_fail(c, SD_ADDRESS_ELITERAL, "the address literal '%s' has the tag '%s'; the only "
		"tag defined is IPv6:", sd_snip(snip, sizeof(snip), d, dn),
		sd_snip(v6, sizeof(v6), in, (size_t)(colon - in)));
}

/* sd_check_labels - the labels of an ASCII domain (A-labels); returns the
 * number of labels, or 0 after a failure */
static size_t
sd_check_labels(sd_check *c, const char *d, size_t dn)
{
	char snip[SD_SNIP_MAX + 8], lab[SD_SNIP_MAX + 8];
	const char *s = d, *e = d + dn, *dot, *q;
	size_t n = 0, ln;

	if (dn == 0 || d[0] == '.') {
		sd_fail(c, SD_ADDRESS_ELABEL_EMPTY, "the domain '%s' starts with a dot",
			sd_snip(snip, sizeof(snip), d, dn));
		return 0;
	}
	while (s <= e) {
		dot = memchr(s, '.', (size_t)(e - s));
		if (dot == NULL)
			dot = e;
		ln = (size_t)(dot - s);
		n++;
		if (ln == 0) {
			sd_fail(c, SD_ADDRESS_ELABEL_EMPTY, "the domain '%s' has an empty label "
				"(two dots in a row)", sd_snip(snip, sizeof(snip), d, dn));
			return 0;
		}
		for (q = s; q < dot; q++)
			if (*q == ' ') {
				sd_fail(c, SD_ADDRESS_EDOMAIN_CHAR, "the domain '%s' contains a space",
					sd_snip(snip, sizeof(snip), d, dn));
				return 0;
			} else if (!sd_isalnum((unsigned char)*q) && *q != '-') {
				sd_fail(c, SD_ADDRESS_EDOMAIN_CHAR, "the domain '%s' contains '%c'; "
					"a domain has only letters, digits, hyphens and dots",
					sd_snip(snip, sizeof(snip), d, dn), *q);
				return 0;
			}
		if (ln > SD_ADDRESS_LABEL_MAX) {
			sd_fail(c, SD_ADDRESS_ELABEL_TOO_LONG, "the domain label '%s' is %zu octets "
				"long; at most %d are allowed", sd_snip(lab, sizeof(lab), s, ln), ln,
				SD_ADDRESS_LABEL_MAX);
			return 0;
		}
		if (s[0] == '-' || dot[-1] == '-') {
			sd_fail(c, SD_ADDRESS_ELABEL_HYPHEN, "the domain label '%s' %s with a hyphen",
				sd_snip(lab, sizeof(lab), s, ln), s[0] == '-' ? "starts" : "ends");
			return 0;
		}
		s = dot + 1;
	}
	return n;
}

/* sd_check_top - the domain d (A-labels, n labels) as a whole */
static int
sd_check_top(sd_check *c, const char *d, size_t dn, size_t nlabels)
{
	char snip[SD_SNIP_MAX + 8];
	const char *top = d + dn, *q;

	if (dn > SD_ADDRESS_DOMAIN_MAX) {
		sd_fail(c, SD_ADDRESS_EDOMAIN_TOO_LONG, "the domain is %zu octets long; at most %d "
			"are allowed", dn, SD_ADDRESS_DOMAIN_MAX);
		return -1;
	}
	if (nlabels < 2) {
		sd_fail(c, SD_ADDRESS_EDOMAIN_SINGLE_LABEL, "the domain '%s' has no dot; a domain "
			"on the Internet has at least two parts, as in example.com",
			sd_snip(snip, sizeof(snip), d, dn));
		return -1;
	}
	while (top > d && top[-1] != '.')
		top--;
	for (q = top; q < d + dn && sd_isdigit((unsigned char)*q); q++)
		;
	if (q < d + dn)
		return 0;
	if (nlabels == 4 && sd_parse_ipv4(d, dn))
		sd_fail(c, SD_ADDRESS_EDOMAIN_NUMERIC, "'%s' is an IP address; as a domain it must "
			"be written in brackets, as in [%s]", sd_snip(snip, sizeof(snip), d, dn), snip);
	else
		sd_fail(c, SD_ADDRESS_EDOMAIN_NUMERIC, "the domain '%s' ends in a number; no "
			"top-level domain is all digits", sd_snip(snip, sizeof(snip), d, dn));
	return -1;
}

/* sd_idn_fail - a libidn2 refusal in words */
static void
sd_idn_fail(sd_check *c, int rc, const char *d, size_t dn)
{
	char snip[SD_SNIP_MAX + 8];

	sd_snip(snip, sizeof(snip), d, dn);
	switch (rc) {
	case IDN2_TOO_BIG_LABEL:
	case IDN2_PUNYCODE_BIG_OUTPUT:
		sd_fail(c, SD_ADDRESS_ELABEL_TOO_LONG, "a label of the domain '%s' is longer than "
			"%d octets in its ASCII (A-label) form", snip, SD_ADDRESS_LABEL_MAX);
		break;
	case IDN2_TOO_BIG_DOMAIN:
		sd_fail(c, SD_ADDRESS_EDOMAIN_TOO_LONG, "the domain '%s' is longer than %d octets "
			"in its ASCII (A-label) form", snip, SD_ADDRESS_DOMAIN_MAX);
		break;
	case IDN2_HYPHEN_STARTEND:
		sd_fail(c, SD_ADDRESS_ELABEL_HYPHEN, "a label of the domain '%s' starts or ends "
			"with a hyphen", snip);
		break;
	case IDN2_DISALLOWED:
	case IDN2_CONTEXTJ:
	case IDN2_CONTEXTO:
	case IDN2_UNASSIGNED:
		sd_fail(c, SD_ADDRESS_EDOMAIN_IDN, "the domain '%s' has a character that domain "
			"names cannot have (a symbol, an emoji, a space or an unassigned "
			"character)", snip);
		break;
	default:
		sd_fail(c, SD_ADDRESS_EDOMAIN_IDN, "the domain '%s' is not a valid internationalised "
			"domain name: %s", snip, idn2_strerror(rc));
		break;
	}
}

/* sd_check_domain - check d (dn bytes, valid UTF-8, no control
 * characters) and store the domain, domain_ascii; *alen gets the length of
 * the A-label form when valid. Returns -1 when memory ran out. */
static int
sd_check_domain(sd_check *c, const char *d, size_t dn, size_t *alen)
{
	char low[SD_ADDRESS_INPUT_MAX + 1], snip[SD_SNIP_MAX + 8];
	char *ascii = NULL, *uni = NULL;
	const char *a;
	size_t i, an, nlabels;
	int idn = 0, rc;
	unsigned fails = c->fails;

	*alen = 0;
	if (dn == 0) {
		sd_fail(c, SD_ADDRESS_EDOMAIN_EMPTY, "the domain (after the @) is empty");
		c->domain = sd_put(c, "", 0);
		return c->domain == SD_NONE ? -1 : 0;
	}
	if (d[0] == '[') {
		c->out->literal = 1;
		sd_check_literal(c, d, dn);
		c->domain = sd_put(c, d, dn);
		if (c->fails == fails) {
			c->domain_ascii = c->domain;
			*alen = dn;
		}
		return c->domain == SD_NONE ? -1 : 0;
	}
	if (dn > 1 && d[dn - 1] == '.' && d[dn - 2] != '.') {
		dn--;
		c->out->changes |= SD_ADDRESS_CHANGED_TRAILING_DOT;
	}
	for (i = 0; i < dn; i++) {
		unsigned char ch = (unsigned char)d[i];
		if (ch >= 'A' && ch <= 'Z')
			c->out->changes |= SD_ADDRESS_CHANGED_DOMAIN_CASE;
		low[i] = (char)sd_tolower(ch);
		if (ch >= 0x80)
			idn = 1;
		if ((i == 0 || d[i - 1] == '.') && dn - i >= 4 && sd_strcaseprefix(d + i, "xn--"))
			idn = 1;
	}
	low[dn] = '\0';
	c->domain = sd_put(c, low, dn); /* replaced by the U-labels below */
	if (c->domain == SD_NONE)
		return -1;

	/* what the ASCII part says before libidn2 is asked */
	for (i = 0; i < dn; i++) {
		unsigned char ch = (unsigned char)low[i];
		if (ch < 0x80 && !sd_isalnum(ch) && ch != '-' && ch != '.') {
			if (ch == ' ')
				sd_fail(c, SD_ADDRESS_EDOMAIN_CHAR, "the domain '%s' contains a space",
					sd_snip(snip, sizeof(snip), low, dn));
			else
				sd_fail(c, SD_ADDRESS_EDOMAIN_CHAR, "the domain '%s' contains '%c'; a "
					"domain has only letters, digits, hyphens and dots",
					sd_snip(snip, sizeof(snip), low, dn), ch);
			return 0;
		}
		if (ch == '.' && (i == 0 || low[i - 1] == '.')) {
			sd_check_labels(c, low, dn); /* says which */
			return 0;
		}
	}
	if (dn > SD_IDN_INPUT_MAX) {
		sd_fail(c, SD_ADDRESS_EDOMAIN_TOO_LONG, "the domain is %zu octets long; at most %d "
			"are allowed", dn, SD_ADDRESS_DOMAIN_MAX);
		return 0;
	}

	a = low;
	an = dn;
	if (idn) {
		rc = idn2_lookup_u8((const uint8_t *)low, (uint8_t **)&ascii,
				    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc == IDN2_MALLOC)
			return -1;
		if (rc != IDN2_OK) {
			sd_idn_fail(c, rc, low, dn);
			return 0;
		}
		an = strlen(ascii);
		if (an > 1 && ascii[an - 1] == '.') { /* a mapped full stop */
			ascii[--an] = '\0';
			c->out->changes |= SD_ADDRESS_CHANGED_TRAILING_DOT;
		}
		a = ascii;
	}
	nlabels = sd_check_labels(c, a, an);
	if (nlabels > 0 && sd_check_top(c, a, an, nlabels) == 0) {
		c->domain_ascii = sd_put(c, a, an);
		*alen = an;
		if (idn) {
			rc = idn2_to_unicode_8z8z(ascii, &uni, 0);
			if (rc == IDN2_MALLOC) {
				idn2_free(ascii);
				return -1;
			}
			if (rc == IDN2_OK) {
				c->domain = sd_put(c, uni, strlen(uni));
				/* neither the U-labels nor the A-labels as written */
				if (strcmp(uni, low) != 0 && strcmp(ascii, low) != 0)
					c->out->changes |= SD_ADDRESS_CHANGED_DOMAIN_MAPPED;
			} else {
				c->domain = c->domain_ascii;
			}
			idn2_free(uni);
		}
	}
	idn2_free(ascii);
	return c->oom ? -1 : 0;
}

/* ---- the whole check -------------------------------------------------------- */

/* sd_check_parts - steps 3 to 8 on the cleaned text s (n bytes) */
static int
sd_check_parts(sd_check *c, const char *s, size_t n)
{
	char name[48];
	const char *at = NULL, *q, *l, *d;
	size_t ln, dn, alen, nat = 0, i;
	unsigned cp;

	if (sd_find_control(s, n, &cp, &i)) {
		sd_fail(c, SD_ADDRESS_ECONTROL, "the address contains %s",
			sd_control_name(cp, name, sizeof(name)));
		return 0;
	}
	/* the split */
	if (s[0] == '"') {
		const char *end = NULL;
		for (q = s + 1; q < s + n; q++) {
			if (*q == '\\' && q + 1 < s + n) {
				q++;
			} else if (*q == '"') {
				end = q;
				break;
			}
		}
		if (end == NULL) {
			sd_fail(c, SD_ADDRESS_EQUOTE_UNBALANCED, "unbalanced quote: the quote that "
				"opens the local part is never closed");
		} else if (end + 1 == s + n) {
			sd_fail(c, SD_ADDRESS_ENO_AT, "there is no @ after the quoted local part");
			return 0;
		} else if (end[1] != '@') {
			sd_fail(c, SD_ADDRESS_EQUOTE_MISPLACED, "the quoted local part must be "
				"followed by @, not by '%c'", end[1]);
		} else {
			at = end + 1;
		}
	}
	if (at == NULL) {
		for (q = s; q < s + n; q++)
			if (*q == '@') {
				at = q;
				nat++;
			}
		if (at == NULL) {
			sd_fail(c, SD_ADDRESS_ENO_AT, "there is no @ between the local part and the "
				"domain");
			return 0;
		}
		if (nat > 1 && s[0] != '"')
			sd_fail(c, SD_ADDRESS_EMANY_AT, "the address has %zu @ signs; only one is "
				"allowed outside quotes", nat);
	}
	l = s;
	ln = (size_t)(at - s);
	d = at + 1;
	dn = n - ln - 1;
	c->local = sd_put(c, l, ln);
	if (c->local == SD_NONE)
		return -1;

	/* the local part */
	if (ln == 0)
		sd_fail(c, SD_ADDRESS_ELOCAL_EMPTY, "the local part (before the @) is empty");
	else if (l[0] == '"')
		sd_check_quoted(c, l, ln);
	else
		sd_check_dot_string(c, l, ln);
	if (ln > SD_ADDRESS_LOCAL_MAX)
		sd_fail(c, SD_ADDRESS_ELOCAL_TOO_LONG, "the local part is %zu octets long; at most "
			"%d are allowed", ln, SD_ADDRESS_LOCAL_MAX);
	for (i = 0; i < ln; i++)
		if ((unsigned char)l[i] >= 0x80)
			c->out->smtputf8 = 1;
	if (l[0] != '"')
		c->out->role = sd_address_is_role(l, ln);

	/* the domain */
	if (sd_check_domain(c, d, dn, &alen) != 0)
		return -1;
	if (c->domain_ascii != SD_NONE && ln + 1 + alen > SD_ADDRESS_PATH_MAX)
		sd_fail(c, SD_ADDRESS_EPATH_TOO_LONG, "the address is %zu octets long; at most %d "
			"are allowed", ln + 1 + alen, SD_ADDRESS_PATH_MAX);
	if (c->domain_ascii != SD_NONE && !c->out->literal) {
		const char *da = c->mem + c->domain_ascii;
		c->out->disposable = sd_address_is_disposable(da, alen);
		c->out->freemail = sd_address_is_freemail(da, alen);
	}
	/* the address, to show and in ASCII */
	c->address = sd_put_addr(c, l, ln, c->domain);
	if (c->out->error == SD_ADDRESS_EOK && c->domain_ascii != SD_NONE)
		c->address_ascii = sd_put_addr(c, l, ln, c->domain_ascii);
	return c->oom ? -1 : 0;
}

static const char *
sd_at(const sd_check *c, size_t off)
{
	return off == SD_NONE ? NULL : c->mem + off;
}

smtpdoc_status
sd_address_check_n(const char *input, size_t n, sd_address_info *out)
{
	char clean[SD_ADDRESS_INPUT_MAX + 1];
	sd_check c;
	const unsigned char *p;
	size_t i, k, len;
	unsigned cp, changes = 0;

	if (out == NULL)
		return SMTPDOC_EINVAL;
	if (input == NULL)
		n = 0;
	memset(&c, 0, sizeof(c));
	c.mem = out->mem_;
	c.cap = out->memcap_;
	c.input = c.address = c.address_ascii = c.local = SD_NONE;
	c.domain = c.domain_ascii = c.reason = SD_NONE;
	memset(out, 0, sizeof(*out));
	out->error = SD_ADDRESS_EOK;
	c.out = out;

	/* step 1 */
	c.input = sd_keep_input(&c, input != NULL ? input : "",
				n > SD_ADDRESS_INPUT_MAX ? SD_ADDRESS_INPUT_MAX : n);
	if (n > SD_ADDRESS_INPUT_MAX) {
		sd_fail(&c, SD_ADDRESS_EINPUT_TOO_LONG, "the input is %zu bytes long; an address "
			"has at most %d octets", n, SD_ADDRESS_PATH_MAX);
	} else {
		p = (const unsigned char *)input;
		for (i = 0; i < n; i += k) {
			if (p[i] == 0) {
				sd_fail(&c, SD_ADDRESS_ENUL, "the address contains a NUL byte "
					"(at byte %zu)", i + 1);
				break;
			}
			k = sd_utf8_next(p + i, n - i, &cp);
			if (k == 0) {
				sd_fail(&c, SD_ADDRESS_EBAD_UTF8, "byte %zu (0x%02X) is not valid "
					"UTF-8", i + 1, p[i]);
				break;
			}
		}
	}
	if (out->error != SD_ADDRESS_EOK) {
		c.address = c.input;
		goto done;
	}

	/* step 2 */
	len = sd_address_clean(n > 0 ? input : "", n, clean, &changes);
	out->changes = changes;
	if (len == 0) {
		sd_fail(&c, SD_ADDRESS_EEMPTY, n == 0 ? "the address is empty" :
			"the address is empty once spaces, brackets and quotes are removed");
		c.address = sd_put(&c, "", 0);
		goto done;
	}
	if (sd_check_parts(&c, clean, len) != 0)
		goto done;
	if (c.address == SD_NONE)
		c.address = sd_put(&c, clean, len);

done:
	if (out->error != SD_ADDRESS_EOK)
		c.reason = sd_put(&c, c.why, strlen(c.why));
	out->mem_ = c.mem;
	out->memcap_ = c.cap;
	if (c.oom) {
		sd_address_info_free(out);
		return SMTPDOC_ENOMEM;
	}
	out->input = sd_at(&c, c.input);
	out->address = sd_at(&c, c.address);
	out->address_ascii = sd_at(&c, c.address_ascii);
	out->local = sd_at(&c, c.local);
	out->domain = sd_at(&c, c.domain);
	out->domain_ascii = sd_at(&c, c.domain_ascii);
	out->reason = sd_at(&c, c.reason);
	out->valid = out->error == SD_ADDRESS_EOK;
	return SMTPDOC_OK;
}

smtpdoc_status
sd_address_check(const char *input, sd_address_info *out)
{
	return sd_address_check_n(input, input != NULL ? strlen(input) : 0, out);
}

void
sd_address_info_free(sd_address_info *info)
{
	if (info == NULL)
		return;
	free(info->mem_);
	memset(info, 0, sizeof(*info));
}
