/*
 * address_typo.c - misspelt domains and the domain that was meant.
 *
 * Entry points (address.h): sd_typo_provider (shared with explain's hints
 * in hints.c), sd_address_suggest, sd_suggest_kind_id, and the domain
 * counter sd_domfreq_new / _add / _top / _free for bulk lists.
 *
 * Distances are the optimal string alignment variant of the
 * Damerau-Levenshtein distance (insert, delete, change, swap two
 * neighbours), over bytes, for domains of at most SD_TYPO_DOMAIN_MAX bytes,
 * in fixed stack rows: no allocation, O(n * m) for one pair.
 *
 * When is a domain d "close" to a target p (sd_typo_near):
 *   - same first label, other ending (gmail.con, hotmail.cm): when the
 *     endings are one edit apart, or for any ending when the target uses
 *     only one (gmail.net);
 *   - other names: whole domain within 1 edit, or 2 edits keeping the
 *     first letter, for names of 5 or more letters (mall.com is not
 *     "gmail.com"); 1 edit without a changed letter for 4-letter names
 *     (mall.com is not "mail.com"); never for shorter names.
 * Targets, in the order sd_address_suggest tries them:
 *   1. the big providers marked "typo" in data/mail-providers.txt; a
 *      listed provider or a real look-alike (data/typo-lookalikes.txt) is
 *      never corrected;
 *   2. bulk mode: a domain of the same list seen at least SD_FREQ_MIN
 *      times and SD_FREQ_RATIO times as often as the domain checked;
 *   3. ending slips: endings that do not exist (.con, .cmo) for .com,
 *      .net, .org; and .co, .cm, .om for .com, which are real country
 *      endings, only when the caller found no MX for the domain.
 * A domain the caller says has working MX records gets nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "internal.h"
#include "keyset.h"

#define SD_FREQ_MIN 5     /* a frequent domain is seen at least this often */
#define SD_FREQ_RATIO 10  /* ... and this many times as often as the one checked */

#define SD_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Endings typed for .com, .net and .org. real: a country ending that
 * exists, so it is only suggested when the domain has no MX. */
static const struct {
	const char *slip;
	const char *meant;
	int real;
} sd_tld_slips[] = {
	{"con", "com", 0},  {"cmo", "com", 0},  {"ocm", "com", 0},
	{"vom", "com", 0},  {"xom", "com", 0},  {"cpm", "com", 0},
	{"cim", "com", 0},  {"clm", "com", 0},  {"comm", "com", 0},
	{"coom", "com", 0}, {"cmm", "com", 0},  {"co", "com", 1},
	{"cm", "com", 1},   {"om", "com", 1},   {"nte", "net", 0},
	{"nett", "net", 0}, {"ogr", "org", 0},  {"orgg", "org", 0},
};

/* sd_osa - optimal string alignment distance; for lengths over
 * SD_TYPO_DOMAIN_MAX (which callers never pass) the longer length. */
static size_t
sd_osa(const char *a, size_t n, const char *b, size_t m)
{
	size_t rows[3][SD_TYPO_DOMAIN_MAX + 1];
	size_t *pp = rows[0], *p = rows[1], *c = rows[2], *t;
	size_t i, j, v;

	if (n > SD_TYPO_DOMAIN_MAX || m > SD_TYPO_DOMAIN_MAX)
		return n > m ? n : m;

	for (j = 0; j <= m; j++)
		p[j] = j;
	for (i = 1; i <= n; i++) {
		c[0] = i;
		for (j = 1; j <= m; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			v = p[j - 1] + cost;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[m];
}

/* sd_osa_within - sd_osa(a, n, b, m) when it is at most k, else k + 1;
 * only the cells within k of the diagonal are computed, and a row whose
 * cells all exceed k ends the work (most pairs stop after a few rows).
 * Both lengths must be at most SD_TYPO_DOMAIN_MAX. */
static size_t
sd_osa_within(const char *a, size_t n, const char *b, size_t m, size_t k)
{
	size_t rows[3][SD_TYPO_DOMAIN_MAX + 2];
	size_t *pp = rows[0], *p = rows[1], *c = rows[2], *t;
	size_t big = k + 1, i, j, v, lo, hi, rowmin;

	if ((n > m ? n - m : m - n) > k || n > SD_TYPO_DOMAIN_MAX || m > SD_TYPO_DOMAIN_MAX)
		return big;
	for (j = 0; j <= m + 1; j++)
		p[j] = pp[j] = j <= k ? j : big;
	for (i = 1; i <= n; i++) {
		lo = i > k ? i - k : 1;
		hi = i + k < m ? i + k : m;
		c[lo - 1] = lo == 1 ? (i <= k ? i : big) : big;
		rowmin = c[lo - 1];
		for (j = lo; j <= hi; j++) {
			v = p[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v > big ? big : v;
			if (c[j] < rowmin)
				rowmin = c[j];
		}
		c[hi + 1] = big; /* the next row's band reaches one further */
		if (rowmin > k)
			return big;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[m] > big ? big : p[m];
}

/* sd_is_swap - for two strings of equal length n at distance 1: 1 when the
 * edit is a swap of two neighbours, 0 when it is a changed letter. */
static int
sd_is_swap(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && a[i] == b[i])
		i++;
	return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i];
}

/* sd_label_len - length of the first label of a domain */
static size_t
sd_label_len(const char *d, size_t n)
{
	const char *dot = memchr(d, '.', n);

	return dot != NULL ? (size_t)(dot - d) : n;
}

/* sd_typo_near - 1 when d (n bytes) is close to target p (pn bytes) by the
 * rules in the head comment; *rank gets the distance that ranks it among
 * targets (the endings' distance for a same-name match). Both at most
 * SD_TYPO_DOMAIN_MAX bytes. */
static int
sd_typo_near(const char *d, size_t n, const char *p, size_t pn, int one_tld, size_t *rank)
{
	size_t lab = sd_label_len(d, n), plab = sd_label_len(p, pn);
	size_t dist, limit;

	if (lab == plab && memcmp(d, p, lab) == 0) {
		/* same name, another ending */
		const char *s = lab < n ? d + lab + 1 : d + n;
		size_t sn = lab < n ? n - lab - 1 : 0;
		const char *ps = plab < pn ? p + plab + 1 : p + pn;
		size_t psn = plab < pn ? pn - plab - 1 : 0;
		dist = sd_osa(s, sn, ps, psn);
		if (dist == 0 || (!one_tld && dist > 1))
			return 0;
	} else {
		limit = plab >= 5 ? 2 : plab == 4 ? 1 : 0;
		if (limit == 0 || n + limit < pn || pn + limit < n)
			return 0;
		dist = sd_osa_within(d, n, p, pn, limit);
		if (dist > limit || (dist == 2 && d[0] != p[0]))
			return 0;
		if (plab == 4 && n == pn && !sd_is_swap(d, p, n))
			return 0;
	}
	*rank = dist;
	return 1;
}

const char *
sd_typo_provider(const char *d, size_t n, unsigned *dist)
{
	const char *best = NULL;
	size_t best_rank = (size_t)-1, rank, i, pn;

	if (dist != NULL)
		*dist = 0;
	if (d == NULL || n == 0 || n > SD_TYPO_DOMAIN_MAX)
		return NULL;
	if (sd_address_is_freemail(d, n) || sd_address_is_lookalike(d, n))
		return NULL;
	for (i = 0; i < sd_mail_providers_count; i++) {
		const sd_provider_row *p = &sd_mail_providers[i];
		if (!(p->flags & SD_PROVIDER_TYPO))
			continue;
		pn = strlen(p->domain);
		if (pn > SD_TYPO_DOMAIN_MAX)
			continue;
		if (sd_typo_near(d, n, p->domain, pn, (p->flags & SD_PROVIDER_ONE_TLD) != 0, &rank) &&
		    rank < best_rank) {
			best_rank = rank;
			best = p->domain;
		}
	}
	if (best != NULL && dist != NULL)
		*dist = (unsigned)sd_osa(d, n, best, strlen(best));
	return best;
}

/* sd_typo_frequent - the frequent domain of freq that d (n bytes) was
 * probably meant to be, or NULL */
static const char *
sd_typo_frequent(const char *d, size_t n, const sd_domcount *freq, size_t nfreq)
{
	const char *best = NULL;
	size_t own = 1, best_rank = (size_t)-1, best_count = 0, rank, i, fn;

	for (i = 0; i < nfreq; i++)
		if (freq[i].domain != NULL && strlen(freq[i].domain) == n &&
		    memcmp(freq[i].domain, d, n) == 0 && freq[i].count > own)
			own = freq[i].count;
	for (i = 0; i < nfreq; i++) {
		const char *f = freq[i].domain;
		if (f == NULL || freq[i].count < SD_FREQ_MIN ||
		    freq[i].count / SD_FREQ_RATIO < own)
			continue;
		fn = strlen(f);
		if (fn == 0 || fn > SD_TYPO_DOMAIN_MAX || (fn == n && memcmp(f, d, n) == 0))
			continue;
		if (!sd_typo_near(d, n, f, fn, 0, &rank))
			continue;
		if (rank < best_rank || (rank == best_rank && freq[i].count > best_count)) {
			best = f;
			best_rank = rank;
			best_count = freq[i].count;
		}
	}
	return best;
}

/* sd_typo_tld - the ending slip of d (n bytes) fixed, written to buf
 * (size bufsz); 1 when there is one, and the result is at most
 * SD_TYPO_DOMAIN_MAX bytes. real_ok: .co, .cm, .om may count. */
static int
sd_typo_tld(const char *d, size_t n, int real_ok, char *buf, size_t bufsz)
{
	const char *dot = NULL, *q;
	size_t i, head, tn;

	for (q = d; q < d + n; q++)
		if (*q == '.')
			dot = q;
	if (dot == NULL || dot == d)
		return 0;
	head = (size_t)(dot - d) + 1; /* name and its dot */
	tn = n - head;
	for (i = 0; i < SD_NELEM(sd_tld_slips); i++) {
		const char *slip = sd_tld_slips[i].slip;
		size_t mn = strlen(sd_tld_slips[i].meant);
		if (strlen(slip) != tn || memcmp(slip, dot + 1, tn) != 0)
			continue;
		if (sd_tld_slips[i].real && !real_ok)
			return 0;
		if (head + mn >= bufsz || head + mn > SD_TYPO_DOMAIN_MAX)
			return 0;
		memcpy(buf, d, head);
		memcpy(buf + head, sd_tld_slips[i].meant, mn + 1);
		return 1;
	}
	return 0;
}

const char *
sd_suggest_kind_id(sd_suggest_kind k)
{
	switch (k) {
	case SD_SUGGEST_PROVIDER:
		return "provider";
	case SD_SUGGEST_TLD:
		return "tld";
	case SD_SUGGEST_FREQUENT:
		return "frequent";
	case SD_SUGGEST_NONE:
		break;
	}
	return "none";
}

int
sd_address_suggest(const sd_address_info *info, int has_mx,
		   const sd_domcount *freq, size_t nfreq, sd_suggestion *out)
{
	char fixed[SD_TYPO_DOMAIN_MAX + 8];
	const char *d, *meant = NULL;
	sd_suggest_kind kind = SD_SUGGEST_NONE;
	size_t n, mn, ln;
	unsigned dist = 0;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	if (info == NULL || info->domain == NULL || info->literal || has_mx == 1)
		return 0;
	d = info->domain;
	n = strlen(d);
	if (n == 0 || n > SD_TYPO_DOMAIN_MAX)
		return 0;
	if (sd_address_is_freemail(d, n) || sd_address_is_lookalike(d, n))
		return 0;

	if ((meant = sd_typo_provider(d, n, &dist)) != NULL) {
		kind = SD_SUGGEST_PROVIDER;
	} else if (freq != NULL && (meant = sd_typo_frequent(d, n, freq, nfreq)) != NULL) {
		kind = SD_SUGGEST_FREQUENT;
		dist = (unsigned)sd_osa(d, n, meant, strlen(meant));
	} else if (sd_typo_tld(d, n, has_mx == 0, fixed, sizeof(fixed))) {
		meant = fixed;
		kind = SD_SUGGEST_TLD;
		dist = (unsigned)sd_osa(d, n, meant, strlen(meant));
	} else {
		return 0;
	}

	mn = strlen(meant);
	if (mn >= sizeof(out->domain))
		return 0;
	out->kind = kind;
	out->distance = dist;
	memcpy(out->domain, meant, mn + 1);
	ln = info->local != NULL ? strlen(info->local) : 0;
	if (ln > 0 && ln + 1 + mn < sizeof(out->address)) {
		memcpy(out->address, info->local, ln);
		out->address[ln] = '@';
		memcpy(out->address + ln + 1, meant, mn + 1);
	}
	return 1;
}

/* ---- counting the domains of a list ------------------------------------ */

struct sd_domfreq {
	sd_keyset *set;
	sd_domcount *top;  /* the last answer of sd_domfreq_top */
	size_t ntop, captop;
};

sd_domfreq *
sd_domfreq_new(void)
{
	sd_domfreq *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->set = sd_keyset_new();
	if (f->set == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void
sd_domfreq_free(sd_domfreq *f)
{
	if (f == NULL)
		return;
	sd_keyset_free(f->set);
	free(f->top);
	free(f);
}

int
sd_domfreq_add(sd_domfreq *f, const char *domain)
{
	if (f == NULL || domain == NULL)
		return -1;
	return sd_keyset_add(f->set, domain, strlen(domain)) > 0 ? 0 : -1;
}

static void
sd_domfreq_collect(void *ctx, const char *key, size_t n, size_t count)
{
	sd_domfreq *f = ctx;

	(void)n;
	if (f->ntop < f->captop) {
		f->top[f->ntop].domain = key;
		f->top[f->ntop].count = count;
		f->ntop++;
	}
}

/* most frequent first, then byte order */
static int
sd_domcount_cmp(const void *a, const void *b)
{
	const sd_domcount *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->domain, y->domain);
}

const sd_domcount *
sd_domfreq_top(sd_domfreq *f, size_t max, size_t *n)
{
	size_t size;

	if (n != NULL)
		*n = 0;
	if (f == NULL || (size = sd_keyset_size(f->set)) == 0 || max == 0)
		return NULL;
	if (size > f->captop) {
		sd_domcount *t;
		if (size > SIZE_MAX / sizeof(*t))
			return NULL;
		t = realloc(f->top, size * sizeof(*t));
		if (t == NULL)
			return NULL;
		f->top = t;
		f->captop = size;
	}
	f->ntop = 0;
	sd_keyset_each(f->set, sd_domfreq_collect, f);
	qsort(f->top, f->ntop, sizeof(*f->top), sd_domcount_cmp);
	if (n != NULL)
		*n = f->ntop < max ? f->ntop : max;
	return f->top;
}
