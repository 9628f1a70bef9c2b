/*
 * spf_parse.c - the SPF record grammar (RFC 7208 4.5, 4.6.1, sections 5
 * and 6, appendix A) turned into an sd_spf_record.
 *
 * Entry points (spf_internal.h): sd_spf_is_record (the version test of
 * record selection), sd_spf_record_parse, sd_spf_term_queries,
 * sd_spf_kind_name, sd_spf_printable.
 *
 * One left-to-right pass over the record, term by term; a term is split at
 * spaces only (any other control byte is an error, 4.6.1). A term is a
 * modifier when the first of '=', ':' and '/' in it is '=' (4.6.1), else a
 * mechanism, optionally after a qualifier. The a and mx mechanisms take a
 * domain-spec and a dual prefix length: the prefix is read from the end of
 * the term ("/N", "//M", "/N//M"), so a domain-spec may itself hold ':' or
 * '/' (a:foo:bar/baz.example.com). Every term is checked, the whole record
 * before any evaluation (4.6), and the first error is reported with the
 * byte offset in the record and a plain reason.
 *
 * Names are compared without regard to case. Strings of the result are
 * copies in the caller's arena. Limits: SD_SPF_MAX_RECORD bytes and
 * SD_SPF_MAX_TERMS terms per record (more is a syntax error).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spf_internal.h"

static const struct {
	const char *name;
	sd_spf_kind kind;
} sd_spf_mechs[] = {
	{"all", SD_SPF_T_ALL},   {"include", SD_SPF_T_INCLUDE}, {"a", SD_SPF_T_A},
	{"mx", SD_SPF_T_MX},     {"ptr", SD_SPF_T_PTR},         {"ip4", SD_SPF_T_IP4},
	{"ip6", SD_SPF_T_IP6},   {"exists", SD_SPF_T_EXISTS},
};

const char *
sd_spf_kind_name(sd_spf_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(sd_spf_mechs) / sizeof(sd_spf_mechs[0]); i++)
		if (sd_spf_mechs[i].kind == k)
			return sd_spf_mechs[i].name;
	if (k == SD_SPF_T_REDIRECT)
		return "redirect";
	if (k == SD_SPF_T_EXP)
		return "exp";
	return "modifier";
}

int
sd_spf_term_queries(const sd_spf_term *t)
{
	switch (t->kind) {
	case SD_SPF_T_INCLUDE:
	case SD_SPF_T_A:
	case SD_SPF_T_MX:
	case SD_SPF_T_PTR:
	case SD_SPF_T_EXISTS:
	case SD_SPF_T_REDIRECT:
		return 1;
	default:
		return 0;
	}
}

int
sd_spf_is_record(const char *text, size_t len)
{
	static const char v[] = "v=spf1";
	size_t i;

	if (text == NULL || len < 6)
		return 0;
	for (i = 0; i < 6; i++)
		if (sd_tolower((unsigned char)text[i]) != v[i])
			return 0;
	return len == 6 || text[6] == ' ';
}

char *
sd_spf_printable(sd_arena *a, const char *text, size_t len)
{
	size_t i, n = 0;
	char *out, *p;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		n += (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : (c == '\\' ? 2 : 4);
	}
	out = sd_arena_alloc_raw(a, n + 1);
	if (out == NULL)
		return NULL;
	for (i = 0, p = out; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\\') {
			*p++ = '\\';
			*p++ = '\\';
		} else if (c >= 0x20 && c < 0x7f) {
			*p++ = (char)c;
		} else {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = "0123456789ABCDEF"[c >> 4];
			*p++ = "0123456789ABCDEF"[c & 15];
		}
	}
	*p = '\0';
	return out;
}

/* The parse state: the record, the term being read, the error. */
typedef struct sd_spf_pstate {
	const char *rec;
	size_t len;
	size_t tstart, tlen;   /* the current term */
	sd_spf_syntax *err;
} sd_spf_pstate;

/* Record an error at offset off of the record; returns 1. */
static int SD_SPF_PRINTF(3, 4)
sd_spf_fail(sd_spf_pstate *ps, size_t off, const char *fmt, ...)
{
	va_list ap;
	size_t n = ps->tlen;

	ps->err->offset = off;
	ps->err->term_offset = ps->tstart;
	if (n > sizeof(ps->err->term) - 1)
		n = sizeof(ps->err->term) - 1;
	memcpy(ps->err->term, ps->rec + ps->tstart, n);
	ps->err->term[n] = '\0';
	va_start(ap, fmt);
	vsnprintf(ps->err->why, sizeof(ps->err->why), fmt, ap);
	va_end(ap);
	return 1;
}

/* Name of a control byte, for errors. */
static const char *
sd_spf_ctl_name(unsigned char c)
{
	switch (c) {
	case 0:
		return "a NUL byte";
	case '\t':
		return "a tab";
	case '\r':
		return "a carriage return";
	case '\n':
		return "a line feed";
	default:
		return "a control character";
	}
}

static int
sd_spf_eq(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (sd_tolower((unsigned char)s[i]) != word[i])
			return 0;
	return 1;
}

/* One prefix length "/N" at s[*i]: N is "0" or has no leading zero and is
 * at most max (32 or 128). */
static int
sd_spf_cidr(sd_spf_pstate *ps, size_t base, const char *s, size_t n, size_t *i, int max, int *out)
{
	size_t start = ++*i;
	long v = 0;

	while (*i < n && sd_isdigit((unsigned char)s[*i])) {
		if (v <= 1000)
			v = v * 10 + (s[*i] - '0');
		++*i;
	}
	if (*i == start)
		return sd_spf_fail(ps, base + start - 1, "'/' must be followed by a prefix length");
	if (*i - start > 1 && s[start] == '0')
		return sd_spf_fail(ps, base + start, "a prefix length must not start with 0 (/%.*s)",
				   (int)(*i - start), s + start);
	if (v > max)
		return sd_spf_fail(ps, base + start, "the prefix length /%.*s is more than %d, the "
				   "longest for %s", (int)(*i - start), s + start, max,
				   max == 32 ? "IPv4" : "IPv6");
	*out = (int)v;
	return 0;
}

/* A dual prefix length s[0..n) that must be the whole of it: "/N", "//M"
 * or "/N//M" (5.3, 5.4). base: offset of s in the record. */
static int
sd_spf_dual_cidr(sd_spf_pstate *ps, size_t base, const char *s, size_t n, sd_spf_term *t)
{
	size_t i = 0;

	if (i < n && s[i] == '/' && !(i + 1 < n && s[i + 1] == '/')) {
		if (sd_spf_cidr(ps, base, s, n, &i, 32, &t->cidr4))
			return 1;
	}
	if (i < n && s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
		i++;
		if (sd_spf_cidr(ps, base, s, n, &i, 128, &t->cidr6))
			return 1;
	}
	if (i < n)
		return sd_spf_fail(ps, base + i, "unexpected \"%.*s\" after the prefix length: use "
				   "/N for IPv4, //N for IPv6 or /N//M for both",
				   (int)(n - i), s + i);
	return 0;
}

/* Where a dual prefix length starts at the end of s[0..n), or n. */
static size_t
sd_spf_cidr_suffix(const char *s, size_t n)
{
	size_t j = n, k, cut;

	while (j > 0 && sd_isdigit((unsigned char)s[j - 1]))
		j--;
	if (j == n || j == 0 || s[j - 1] != '/')
		return n;
	if (j < 2 || s[j - 2] != '/')
		return j - 1;            /* "/N" */
	cut = j - 2;                     /* "//M", maybe after "/N" */
	k = cut;
	while (k > 0 && sd_isdigit((unsigned char)s[k - 1]))
		k--;
	if (k < cut && k > 0 && s[k - 1] == '/' && !(k > 1 && s[k - 2] == '/'))
		cut = k - 1;
	return cut;
}

/* Check a domain-spec and store a copy in t->spec. */
static int
sd_spf_spec(sd_spf_pstate *ps, sd_arena *a, size_t base, const char *s, size_t n, sd_spf_term *t,
	    const char *what)
{
	size_t off = 0;
	char why[SD_SPF_WHY_MAX];
	unsigned char q[4];

	if (n == 0)
		return sd_spf_fail(ps, base, "%s needs a domain name", what);
	if (sd_spf_domain_spec_check(s, n, &off, why, sizeof(why)) != 0) {
		if (sd_spf_ip4_parse(s, n, q) == 0)
			return sd_spf_fail(ps, base, "\"%.*s\" is an IP address, not a domain name: "
					   "write ip4:%.*s", (int)n, s, (int)n, s);
		return sd_spf_fail(ps, base + off, "%s", why);
	}
	t->spec = sd_arena_strndup(a, s, n);
	return t->spec == NULL ? -1 : 0;
}

/* A modifier: name "=" value (4.6.1, 6, appendix A). */
static int
sd_spf_modifier(sd_spf_pstate *ps, sd_arena *a, const char *s, size_t n, size_t eq,
		sd_spf_record *rec, sd_spf_term *t)
{
	size_t i, off = 0;
	const char *v = s + eq + 1;
	size_t vn = n - eq - 1, base = ps->tstart + eq + 1;
	char why[SD_SPF_WHY_MAX];

	if (eq == 0)
		return sd_spf_fail(ps, ps->tstart, "a modifier needs a name before '='");
	if (!sd_isalpha((unsigned char)s[0]))
		return sd_spf_fail(ps, ps->tstart, "a modifier name must start with a letter "
				   "(\"%.*s\")", (int)eq, s);
	for (i = 1; i < eq; i++) {
		int c = (unsigned char)s[i];
		if (!sd_isalnum(c) && c != '-' && c != '_' && c != '.')
			return sd_spf_fail(ps, ps->tstart + i, "'%c' is not allowed in a modifier name",
					   c);
	}
	t->qualifier = 0;
	if (sd_spf_eq(s, eq, "redirect")) {
		if (rec->redirect != NULL)
			return sd_spf_fail(ps, ps->tstart, "redirect= appears twice; a record may "
					   "have only one");
		t->kind = SD_SPF_T_REDIRECT;
		return sd_spf_spec(ps, a, base, v, vn, t, "redirect=");
	}
	if (sd_spf_eq(s, eq, "exp")) {
		if (rec->exp != NULL)
			return sd_spf_fail(ps, ps->tstart, "exp= appears twice; a record may have "
					   "only one");
		t->kind = SD_SPF_T_EXP;
		return sd_spf_spec(ps, a, base, v, vn, t, "exp=");
	}
	/* unknown modifiers are ignored, but their value must be a valid
	 * macro-string (appendix A) */
	t->kind = SD_SPF_T_UNKNOWN_MOD;
	if (sd_spf_macro_check(v, vn, 0, &off, why, sizeof(why)) != 0)
		return sd_spf_fail(ps, base + off, "%s", why);
	t->spec = sd_arena_strndup(a, v, vn);
	return t->spec == NULL ? -1 : 0;
}

/* A mechanism, after its qualifier (section 5). */
static int
sd_spf_mechanism(sd_spf_pstate *ps, sd_arena *a, const char *s, size_t n, sd_spf_term *t)
{
	size_t q = 0, e, i, cut, base;
	const char *name;

	t->qualifier = '+';
	if (n > 0 && (s[0] == '+' || s[0] == '-' || s[0] == '~' || s[0] == '?')) {
		t->qualifier = s[0];
		q = 1;
	}
	for (e = q; e < n && s[e] != ':' && s[e] != '/'; e++)
		;
	name = s + q;
	t->kind = 0;
	for (i = 0; i < sizeof(sd_spf_mechs) / sizeof(sd_spf_mechs[0]); i++)
		if (sd_spf_eq(name, e - q, sd_spf_mechs[i].name))
			t->kind = sd_spf_mechs[i].kind;
	if (t->kind == 0) {
		if (e == q && q == 1)
			return sd_spf_fail(ps, ps->tstart + q, "'%c' must be followed by a mechanism",
					   s[0]);
		if (e == q)
			return sd_spf_fail(ps, ps->tstart, "the term starts with '%c': a mechanism "
					   "name is missing", s[0]);
		return sd_spf_fail(ps, ps->tstart + q, "unknown mechanism \"%.*s\" (known: all, "
				   "include, a, mx, ptr, ip4, ip6, exists; modifiers are written "
				   "name=value)", (int)(e - q), name);
	}
	base = ps->tstart + e;
	s += e;
	n -= e;
	switch (t->kind) {
	case SD_SPF_T_ALL:
		if (n > 0)
			return sd_spf_fail(ps, base, "\"all\" takes nothing after it");
		return 0;
	case SD_SPF_T_INCLUDE:
	case SD_SPF_T_EXISTS:
	case SD_SPF_T_PTR:
		if (n == 0 && t->kind == SD_SPF_T_PTR)
			return 0;
		if (n == 0 || s[0] != ':')
			return sd_spf_fail(ps, base, "\"%s\" needs ':' and a domain name, as in "
					   "%s:example.com%s", sd_spf_kind_name(t->kind),
					   sd_spf_kind_name(t->kind),
					   n > 0 && s[0] == '/' ? " (it takes no prefix length)" : "");
		return sd_spf_spec(ps, a, base + 1, s + 1, n - 1, t, sd_spf_kind_name(t->kind));
	case SD_SPF_T_A:
	case SD_SPF_T_MX:
		if (n == 0)
			return 0;
		if (s[0] == '/')
			return sd_spf_dual_cidr(ps, base, s, n, t);
		cut = 1 + sd_spf_cidr_suffix(s + 1, n - 1);
		if (sd_spf_dual_cidr(ps, base + cut, s + cut, n - cut, t))
			return 1;
		return sd_spf_spec(ps, a, base + 1, s + 1, cut - 1, t, sd_spf_kind_name(t->kind));
	case SD_SPF_T_IP4:
	case SD_SPF_T_IP6:
		if (n == 0 || s[0] != ':')
			return sd_spf_fail(ps, base, "\"%s\" needs ':' and an address, as in %s",
					   sd_spf_kind_name(t->kind), t->kind == SD_SPF_T_IP4 ?
					   "ip4:192.0.2.0/24" : "ip6:2001:db8::/32");
		for (cut = 1; cut < n && s[cut] != '/'; cut++)
			;
		if (t->kind == SD_SPF_T_IP4 ? sd_spf_ip4_parse(s + 1, cut - 1, t->net) != 0 :
		    sd_spf_ip6_parse(s + 1, cut - 1, t->net) != 0)
			return sd_spf_fail(ps, base + 1, "\"%.*s\" is not an %s address%s",
					   (int)(cut - 1), s + 1,
					   t->kind == SD_SPF_T_IP4 ? "IPv4" : "IPv6",
					   t->kind == SD_SPF_T_IP4 ? " (four numbers 0-255 without "
					   "leading zeros, like 192.0.2.1)" : "");
		if (cut < n) {
			i = cut;
			if (sd_spf_cidr(ps, base, s, n, &i, t->kind == SD_SPF_T_IP4 ? 32 : 128,
					t->kind == SD_SPF_T_IP4 ? &t->cidr4 : &t->cidr6))
				return 1;
			if (i < n)
				return sd_spf_fail(ps, base + i, "unexpected \"%.*s\" after the prefix "
						   "length of %s", (int)(n - i), s + i,
						   sd_spf_kind_name(t->kind));
		}
		return 0;
	default:
		return 0;
	}
}

int
sd_spf_record_parse(sd_arena *a, const char *text, size_t len, sd_spf_record *out,
		    sd_spf_syntax *err)
{
	sd_spf_pstate ps = {text, len, 0, 0, err};
	size_t i, nterms = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (!sd_spf_is_record(text, len)) {
		ps.tlen = len < 6 ? len : 6;
		return sd_spf_fail(&ps, 0, "the record does not start with \"v=spf1\"");
	}
	if (len > SD_SPF_MAX_RECORD) {
		ps.tlen = 6;
		return sd_spf_fail(&ps, SD_SPF_MAX_RECORD, "the record is %zu bytes long; more "
				   "than %d is not accepted", len, SD_SPF_MAX_RECORD);
	}
	for (i = 6; i < len; i++)
		if (text[i] == ' ' && i + 1 < len && text[i + 1] != ' ')
			nterms++;
	if (nterms > SD_SPF_MAX_TERMS) {
		ps.tlen = 6;
		return sd_spf_fail(&ps, 0, "the record has %zu terms; more than %d is not accepted",
				   nterms, SD_SPF_MAX_TERMS);
	}
	out->terms = sd_arena_alloc(a, (nterms ? nterms : 1) * sizeof(sd_spf_term));
	if (out->terms == NULL)
		return -1;
	i = 6;
	for (;;) {
		sd_spf_term *t;
		size_t k, sep;
		const char *s;

		while (i < len && text[i] == ' ')
			i++;
		if (i >= len)
			break;
		ps.tstart = i;
		while (i < len && text[i] != ' ')
			i++;
		ps.tlen = i - ps.tstart;
		s = text + ps.tstart;
		for (k = 0; k < ps.tlen; k++) {
			unsigned char c = (unsigned char)s[k];
			if (c >= 0x80)
				return sd_spf_fail(&ps, ps.tstart + k, "byte 0x%02X is not ASCII; SPF "
						   "records are plain ASCII (a pasted special "
						   "character?)", c);
			if (c < 0x20 || c == 0x7f)
				return sd_spf_fail(&ps, ps.tstart + k, "%s is not allowed; terms are "
						   "separated by spaces only", sd_spf_ctl_name(c));
		}
		t = &out->terms[out->n];
		memset(t, 0, sizeof(*t));
		t->offset = ps.tstart;
		t->cidr4 = 32;
		t->cidr6 = 128;
		t->text = sd_arena_strndup(a, s, ps.tlen);
		if (t->text == NULL)
			return -1;
		for (sep = 0; sep < ps.tlen && s[sep] != '=' && s[sep] != ':' && s[sep] != '/'; sep++)
			;
		if (sep < ps.tlen && s[sep] == '=')
			rc = sd_spf_modifier(&ps, a, s, ps.tlen, sep, out, t);
		else
			rc = sd_spf_mechanism(&ps, a, s, ps.tlen, t);
		if (rc != 0)
			return rc;
		out->n++;
		if (t->kind == SD_SPF_T_REDIRECT)
			out->redirect = t;
		else if (t->kind == SD_SPF_T_EXP)
			out->exp = t;
		else if (t->kind == SD_SPF_T_ALL)
			out->has_all = 1;
		if (sd_spf_term_queries(t) && t->kind != SD_SPF_T_REDIRECT)
			out->dns_terms++;
	}
	if (out->redirect != NULL && !out->has_all)
		out->dns_terms++;
	return 0;
}
