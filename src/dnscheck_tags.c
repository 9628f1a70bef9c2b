/*
 * dnscheck_tags.c - the "tag=value; tag=value" lists of DKIM key records
 * (RFC 6376 3.2), DMARC (RFC 7489 6.3), MTA-STS (RFC 8461 3.1) and TLS-RPT
 * (RFC 8460 3) records, and the problem lists the record parsers fill.
 *
 * Entry points (dnscheck_int.h): sd_dc_tags_parse, sd_dc_tags_get,
 * sd_dc_version_prefix, sd_dc_eq, sd_dc_eq_nocase, sd_dc_problem, sd_dc_problems_to_item,
 * sd_dc_printable.
 *
 * The parser makes one pass over the record and allocates nothing: tags
 * point into the caller's text, which must outlive them. Limits: at most
 * SD_DC_MAX_TAGS tags; any byte outside printable ASCII and tab, space, CR
 * and LF makes the list invalid. The record text may hold NULs (a TXT
 * record's strings are binary); they are such bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dnscheck_int.h"

int
sd_dc_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

int
sd_dc_eq_nocase(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (sd_tolower((unsigned char)s[i]) != (unsigned char)word[i])
			return 0;
	return 1;
}

/* sd_dc_isfws - whitespace allowed between tokens (WSP and folding CRLF) */
static int
sd_dc_isfws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* sd_dc_names_eq - two tag names equal, maybe ignoring case */
static int
sd_dc_names_eq(const char *a, size_t an, const char *b, size_t bn, int case_fold)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++) {
		int x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (case_fold) {
			x = sd_tolower(x);
			y = sd_tolower(y);
		}
		if (x != y)
			return 0;
	}
	return 1;
}

/* sd_dc_spec - parse one tag-spec text[0..len) (no ';' in it) into tag;
 * returns 1 for a tag, 0 for an empty spec, -1 with err on error */
static int
sd_dc_spec(const char *s, size_t len, sd_dc_tag *tag, char *err, size_t errlen)
{
	size_t i = 0, j, nstart, nend, vstart, vend;
	char shown[48];

	while (i < len && sd_dc_isfws((unsigned char)s[i]))
		i++;
	if (i == len)
		return 0;
	nstart = i;
	while (i < len && s[i] != '=' && !sd_dc_isfws((unsigned char)s[i]))
		i++;
	nend = i;
	while (i < len && sd_dc_isfws((unsigned char)s[i]))
		i++;
	if (i == len || s[i] != '=') {
		sd_dc_printable(s + nstart, len - nstart, 32, shown, sizeof(shown));
		snprintf(err, errlen, "\"%s\" is not written as tag=value", shown);
		return -1;
	}
	if (nend == nstart) {
		snprintf(err, errlen, "a value has no tag name before its '='");
		return -1;
	}
	if (!sd_isalpha((unsigned char)s[nstart])) {
		sd_dc_printable(s + nstart, nend - nstart, 32, shown, sizeof(shown));
		snprintf(err, errlen, "\"%s\" is not a tag name (it must start with a letter)", shown);
		return -1;
	}
	for (j = nstart; j < nend; j++)
		if (!sd_isalnum((unsigned char)s[j]) && s[j] != '_') {
			sd_dc_printable(s + nstart, nend - nstart, 32, shown, sizeof(shown));
			snprintf(err, errlen, "\"%s\" is not a tag name (letters, digits and _ only)", shown);
			return -1;
		}
	tag->spaced = i > nend;
	i++; /* the '=' */
	if (i < len && sd_dc_isfws((unsigned char)s[i]))
		tag->spaced = 1;
	while (i < len && sd_dc_isfws((unsigned char)s[i]))
		i++;
	vstart = i;
	vend = len;
	while (vend > vstart && sd_dc_isfws((unsigned char)s[vend - 1]))
		vend--;
	for (j = vstart; j < vend; j++) {
		unsigned char c = (unsigned char)s[j];

		if (!(c >= 0x21 && c <= 0x7e) && !sd_dc_isfws(c)) {
			sd_dc_printable(s + nstart, nend - nstart, 32, shown, sizeof(shown));
			snprintf(err, errlen, "the value of %s holds a byte that cannot be in a record (0x%02x)",
				 shown, c);
			return -1;
		}
	}
	tag->name = s + nstart;
	tag->name_len = nend - nstart;
	tag->value = s + vstart;
	tag->value_len = vend - vstart;
	return 1;
}

int
sd_dc_tags_parse(const char *text, size_t len, int case_fold, sd_dc_tags *out, char *err,
		 size_t errlen)
{
	size_t start = 0, i, k;
	char shown[48];

	out->n = 0;
	if (errlen > 0)
		err[0] = '\0';
	for (i = 0; i <= len; i++) {
		sd_dc_tag tag;
		int r;

		if (i < len && text[i] != ';')
			continue;
		r = sd_dc_spec(text + start, i - start, &tag, err, errlen);
		start = i + 1;
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		for (k = 0; k < out->n; k++)
			if (sd_dc_names_eq(out->v[k].name, out->v[k].name_len, tag.name, tag.name_len,
					   case_fold)) {
				sd_dc_printable(tag.name, tag.name_len, 32, shown, sizeof(shown));
				snprintf(err, errlen, "the tag %s appears more than once", shown);
				return -1;
			}
		if (out->n == SD_DC_MAX_TAGS) {
			snprintf(err, errlen, "the record has more than %d tags", SD_DC_MAX_TAGS);
			return -1;
		}
		out->v[out->n++] = tag;
	}
	return 0;
}

/* sd_dc_match - text at *i starts with word (maybe ignoring case); moves *i */
static int
sd_dc_match(const char *text, size_t len, size_t *i, const char *word, int fold)
{
	size_t n = strlen(word);

	if (len - *i < n)
		return 0;
	if (fold ? !sd_dc_names_eq(text + *i, n, word, n, 1) : !sd_dc_eq(text + *i, n, word))
		return 0;
	*i += n;
	return 1;
}

/* sd_dc_version_try - does text start with name=value? ws: whitespace
 * allowed before the name and around '='; fold: case ignored */
static int
sd_dc_version_try(const char *text, size_t len, const char *name, const char *value, int ws,
		  int fold)
{
	size_t i = 0;

	while (ws && i < len && sd_dc_isfws((unsigned char)text[i]))
		i++;
	if (!sd_dc_match(text, len, &i, name, fold))
		return 0;
	while (ws && i < len && sd_dc_iswsp((unsigned char)text[i]))
		i++;
	if (i == len || text[i] != '=')
		return 0;
	i++;
	while (ws && i < len && sd_dc_iswsp((unsigned char)text[i]))
		i++;
	if (!sd_dc_match(text, len, &i, value, fold))
		return 0;
	return i == len || text[i] == ';' || sd_dc_isfws((unsigned char)text[i]);
}

int
sd_dc_version_prefix(const char *text, size_t len, const char *name, const char *value,
		     int strict)
{
	if (sd_dc_version_try(text, len, name, value, !strict, 0))
		return 1;
	return sd_dc_version_try(text, len, name, value, 1, 1) ? 2 : 0;
}

const sd_dc_tag *
sd_dc_tags_get(const sd_dc_tags *t, const char *name, int case_fold)
{
	size_t i, n = strlen(name);

	for (i = 0; i < t->n; i++)
		if (sd_dc_names_eq(t->v[i].name, t->v[i].name_len, name, n, case_fold))
			return &t->v[i];
	return NULL;
}

void
sd_dc_problem(sd_dc_problems *p, sd_check_status st, const char *fmt, ...)
{
	va_list ap;

	if (st > p->worst)
		p->worst = st;
	if (p->n == SD_DC_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(p->text[p->n], SD_DC_PROBLEM_LEN, fmt, ap);
	va_end(ap);
	p->status[p->n] = st;
	p->n++;
}

void
sd_dc_problems_to_item(const sd_dc_problems *p, sd_check_item *it)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->status[i] == SD_CHECK_PASS)
			sd_check_item_detail(it, "note", "%s", p->text[i]);
		else
			sd_check_item_detail(it, "problem", "%s: %s",
					     sd_check_status_name(p->status[i]), p->text[i]);
	}
	sd_check_item_worsen(it, p->worst);
}

void
sd_dc_printable(const char *s, size_t n, size_t max, char *out, size_t outsz)
{
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; i < n && i < max && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (n > max && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

int
sd_dc_fetch_versioned(sd_dns_lookup_fn lookup, void *lctx, const char *name, const char *kind,
		      const char *version, int strict, int note_others, sd_dc_found *f, sd_dc_problems *pr)
{
	char shown[64];
	size_t i;

	memset(f, 0, sizeof(*f));
	f->ans = sd_dc_lookup(lookup, lctx, name, SD_DNS_TXT);
	if (f->ans == NULL)
		return -1;
	for (i = 0; f->ans->status == SD_DNS_OK && i < f->ans->n; i++) {
		const sd_dns_rr *rr = &f->ans->rr[i];
		int m;

		if (rr->type != SD_DNS_TXT || rr->text == NULL)
			continue;
		m = sd_dc_version_prefix(rr->text, rr->text_len, "v", version, strict);
		if (m == 1) {
			if (f->count++ == 0)
				f->index = i;
			continue;
		}
		if (m == 0 && !note_others)
			continue;
		sd_dc_printable(rr->text, rr->text_len, 40, shown, sizeof(shown));
		if (m == 2)
			sd_dc_problem(pr, SD_CHECK_WARN,
				      "the record \"%s\" at %s is ignored: it must begin with v=%s, "
				      "written exactly so, without spaces", shown, name, version);
		else
			sd_dc_problem(pr, SD_CHECK_PASS, "the TXT record \"%s\" at %s is not a %s "
				      "record and is ignored", shown, name, kind);
	}
	return 0;
}
