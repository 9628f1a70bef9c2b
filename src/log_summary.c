/*
 * log_summary.c - counts of failure events in tables of bounded size,
 * and their summary as text (smtpdoc logs in text mode).
 *
 * Each table (causes, recipient domains, rejected senders, refused
 * clients) keeps at most max_keys keys in an open-addressing index. When
 * a new key finds it full, the less frequent half is dropped (a
 * quickselect on the count): memory stays bounded whatever the log holds,
 * the frequent keys stay, and each drop costs O(max_keys) on the average
 * once per max_keys/2 new keys. A key that came back after being dropped
 * starts again from one, so late counts may be low; the totals by kind and
 * by hour are exact. Keys are copied (at most SD_TOP_KEY bytes); the summary owns
 * them and smtpdoc_log_summary_free() releases everything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "logparse.h"

#define SD_TOP_KEY 200

typedef struct sd_topent {
	char *key;              /* ASCII lower case */
	unsigned long count;
	size_t len;
} sd_topent;

typedef struct sd_toptab {
	sd_topent *v;
	size_t n, max;
	uint32_t *slot; /* index + 1 into v, 0 empty */
	size_t nslot;   /* a power of two, at least 2 * max */
	int pruned;
} sd_toptab;

enum { SD_T_CAUSE, SD_T_DOMAIN, SD_T_SENDER, SD_T_CLIENT, SD_T_COUNT };

struct smtpdoc_log_summary {
	sd_toptab t[SD_T_COUNT];
	unsigned long kinds[SMTPDOC_LOG_KIND_COUNT];
	unsigned long hours[24];
	unsigned long total;
	time_t first, last;
};

static int
sd_top_init(sd_toptab *t, size_t max)
{
	t->max = max;
	t->nslot = 16;
	while (t->nslot < 2 * max)
		t->nslot *= 2;
	t->v = calloc(max, sizeof(*t->v));
	t->slot = calloc(t->nslot, sizeof(*t->slot));
	return t->v && t->slot ? 0 : -1;
}

static void
sd_top_index(sd_toptab *t)
{
	size_t i;

	memset(t->slot, 0, t->nslot * sizeof(*t->slot));
	for (i = 0; i < t->n; i++) {
		size_t h = (size_t)sd_hash_bytes(t->v[i].key, t->v[i].len, 0) & (t->nslot - 1);
		while (t->slot[h])
			h = (h + 1) & (t->nslot - 1);
		t->slot[h] = (uint32_t)(i + 1);
	}
}

static int
sd_top_cmp(const void *a, const void *b)
{
	const sd_topent *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void
sd_top_swap(sd_topent *a, sd_topent *b)
{
	sd_topent t = *a;

	*a = *b;
	*b = t;
}

/* Move the keep most frequent entries to the front, in no order
 * (quickselect on the count: linear on the average, no key compares). */
static void
sd_top_select(sd_topent *v, size_t n, size_t keep)
{
	size_t lo = 0, hi = n, i, store;
	unsigned long pivot;

	while (hi - lo > 1) {
		sd_top_swap(&v[lo + (hi - lo) / 2], &v[hi - 1]);
		pivot = v[hi - 1].count;
		/* counts above the pivot first, then equal ones, then below */
		for (store = lo, i = lo; i < hi - 1; i++)
			if (v[i].count > pivot)
				sd_top_swap(&v[i], &v[store++]);
		if (store >= keep && store > lo) {
			hi = store;
			continue;
		}
		for (i = store; i < hi - 1; i++)
			if (v[i].count == pivot)
				sd_top_swap(&v[i], &v[store++]);
		sd_top_swap(&v[store], &v[hi - 1]);
		store++;
		if (store >= keep)
			return; /* the cut falls among the pivot's equals */
		lo = store;
	}
}

static void
sd_top_prune(sd_toptab *t)
{
	size_t i, keep = t->n / 2;

	sd_top_select(t->v, t->n, keep);
	for (i = keep; i < t->n; i++)
		free(t->v[i].key);
	t->n = keep;
	t->pruned = 1;
	sd_top_index(t);
}

/* count key[0..n) once (ASCII case folded) */
static int
sd_top_add(sd_toptab *t, const char *key, size_t n)
{
	char low[SD_TOP_KEY];
	size_t h, i;
	char *k;

	if (n > SD_TOP_KEY)
		n = SD_TOP_KEY;
	for (i = 0; i < n; i++)
		low[i] = (char)sd_tolower((unsigned char)key[i]);
	h = (size_t)sd_hash_bytes(low, n, 0) & (t->nslot - 1);
	while (t->slot[h]) {
		sd_topent *e = &t->v[t->slot[h] - 1];
		if (e->len == n && memcmp(e->key, low, n) == 0) {
			e->count++;
			return 0;
		}
		h = (h + 1) & (t->nslot - 1);
	}
	if (t->n == t->max) {
		sd_top_prune(t);
		return sd_top_add(t, key, n);
	}
	k = malloc(n + 1);
	if (k == NULL)
		return -1;
	memcpy(k, low, n);
	k[n] = '\0';
	t->v[t->n].key = k;
	t->v[t->n].len = n;
	t->v[t->n].count = 1;
	t->n++;
	t->slot[h] = (uint32_t)t->n;
	return 0;
}

smtpdoc_log_summary *
smtpdoc_log_summary_new(size_t max_keys)
{
	smtpdoc_log_summary *s = calloc(1, sizeof(*s));
	int i;

	if (s == NULL)
		return NULL;
	if (max_keys < 16)
		max_keys = 16;
	if (max_keys > 1000000)
		max_keys = 1000000;
	for (i = 0; i < SD_T_COUNT; i++)
		if (sd_top_init(&s->t[i], max_keys) != 0) {
			smtpdoc_log_summary_free(s);
			return NULL;
		}
	return s;
}

void
smtpdoc_log_summary_free(smtpdoc_log_summary *s)
{
	size_t i, j;

	if (s == NULL)
		return;
	for (i = 0; i < SD_T_COUNT; i++) {
		for (j = 0; j < s->t[i].n; j++)
			free(s->t[i].v[j].key);
		free(s->t[i].v);
		free(s->t[i].slot);
	}
	free(s);
}

smtpdoc_status
smtpdoc_log_summary_add(smtpdoc_log_summary *s, const smtpdoc_log_event *ev)
{
	const char *at;
	int rc = 0;

	if (s == NULL || ev == NULL || (unsigned)ev->kind >= SMTPDOC_LOG_KIND_COUNT)
		return SMTPDOC_EINVAL;
	s->kinds[ev->kind]++;
	if (ev->kind > SMTPDOC_LOG_EXPIRED)
		return SMTPDOC_OK;
	s->total++;
	if (ev->timestamp) {
		s->hours[(ev->timestamp / 3600) % 24]++;
		if (s->first == 0 || ev->timestamp < s->first)
			s->first = ev->timestamp;
		if (ev->timestamp > s->last)
			s->last = ev->timestamp;
	}
	if (ev->cause)
		rc |= sd_top_add(&s->t[SD_T_CAUSE], ev->cause, strlen(ev->cause));
	if (ev->recipient && (at = strrchr(ev->recipient, '@')) != NULL && at[1])
		rc |= sd_top_add(&s->t[SD_T_DOMAIN], at + 1, strlen(at + 1));
	if (ev->kind == SMTPDOC_LOG_REJECTED) {
		if (ev->addresser)
			rc |= sd_top_add(&s->t[SD_T_SENDER], ev->addresser[0] ? ev->addresser : "<>",
					 ev->addresser[0] ? strlen(ev->addresser) : 2);
		if (ev->rhost_ip)
			rc |= sd_top_add(&s->t[SD_T_CLIENT], ev->rhost_ip, strlen(ev->rhost_ip));
	}
	return rc ? SMTPDOC_ENOMEM : SMTPDOC_OK;
}

static void
sd_top_write(FILE *fp, sd_toptab *t, const char *title, size_t top, unsigned long total, int causes)
{
	size_t i;

	if (t->n == 0)
		return;
	qsort(t->v, t->n, sizeof(*t->v), sd_top_cmp);
	sd_top_index(t);
	fprintf(fp, "\n%s%s:\n", title, t->pruned ? " (approximate: many distinct values)" : "");
	for (i = 0; i < t->n && i < top; i++) {
		const smtpdoc_cause *c = causes ? smtpdoc_cause_find(t->v[i].key) : NULL;
		fprintf(fp, "  %9lu %5.1f%%  %s", t->v[i].count, total ? 100.0 * (double)t->v[i].count / (double)total : 0.0,
			t->v[i].key);
		if (c)
			fprintf(fp, " (%s): %s", c->reason, c->title);
		putc('\n', fp);
	}
	if (t->n > top)
		fprintf(fp, "  ... %zu more\n", t->n - top);
}

void
smtpdoc_write_log_summary_text(FILE *fp, const smtpdoc_log_summary *cs, size_t top, unsigned flags)
{
	/* sorting a table for output changes only its order */
	smtpdoc_log_summary *s = (smtpdoc_log_summary *)cs;
	unsigned long maxh = 0;
	char a[40], b[40];
	struct tm tm;
	int h, h0 = -1, h1 = -1;

	fprintf(fp, "%sFailures: %lu%s (rejected %lu, bounced %lu, deferred %lu, expired %lu; bounce notices %lu)\n",
		sd_c(flags, "\033[1m"), s->total, sd_c(flags, "\033[0m"), s->kinds[SMTPDOC_LOG_REJECTED],
		s->kinds[SMTPDOC_LOG_BOUNCED], s->kinds[SMTPDOC_LOG_DEFERRED], s->kinds[SMTPDOC_LOG_EXPIRED],
		s->kinds[SMTPDOC_LOG_NOTICE]);
	if (s->first && gmtime_r(&s->first, &tm)) {
		strftime(a, sizeof(a), "%Y-%m-%d %H:%M:%SZ", &tm);
		gmtime_r(&s->last, &tm);
		strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%SZ", &tm);
		fprintf(fp, "From %s to %s\n", a, b);
	}
	if (s->total == 0)
		return;
	sd_top_write(fp, &s->t[SD_T_CAUSE], "Top causes", top, s->total, 1);
	sd_top_write(fp, &s->t[SD_T_DOMAIN], "Top recipient domains", top, s->total, 0);
	sd_top_write(fp, &s->t[SD_T_SENDER], "Top rejected senders", top, s->kinds[SMTPDOC_LOG_REJECTED], 0);
	sd_top_write(fp, &s->t[SD_T_CLIENT], "Top refused clients", top, s->kinds[SMTPDOC_LOG_REJECTED], 0);
	for (h = 0; h < 24; h++)
		if (s->hours[h]) {
			if (s->hours[h] > maxh)
				maxh = s->hours[h];
			if (h0 < 0)
				h0 = h;
			h1 = h;
		}
	if (maxh == 0)
		return;
	/* the hours from the first to the last with failures: a short log
	 * does not print a day of empty rows */
	fputs("\nFailures by hour (UTC):\n", fp);
	for (h = h0; h <= h1; h++) {
		int bar = (int)((s->hours[h] * 40 + maxh - 1) / maxh), i;
		fprintf(fp, "  %02d  %9lu  ", h, s->hours[h]);
		for (i = 0; i < bar; i++)
			putc('#', fp);
		putc('\n', fp);
	}
}
