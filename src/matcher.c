/*
 * matcher.c - Aho-Corasick automaton compiled to a DFA (see matcher.h).
 *
 * Build: a trie of all patterns, breadth-first failure links, then every
 * missing transition filled from the failure state, so matching never
 * follows a failure link. Each state keeps the best pattern ending there
 * (own or through its failure chain) and a link to the next state on that
 * chain that ends a pattern, for sd_matcher_each.
 * Memory: states * SD_NCLASS * 4 bytes; a few hundred patterns take well
 * under a megabyte.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "matcher.h"

#define SD_NCLASS 48
#define SD_SPACE_CLASS 1

struct sd_matcher {
	int *next;        /* nstates * SD_NCLASS */
	int *fail;
	int *own;         /* pattern ending exactly here, or -1 */
	int *best;        /* best pattern ending here or on the fail chain */
	int *outlink;     /* next state on the fail chain with own >= 0 */
	int *prio;        /* copy of the priorities */
	size_t nstates, cap, npat;
	unsigned char cls[256];
};

static void
sd_matcher_classes(unsigned char cls[256])
{
	static const char punct[] = ".,:;'\"-_/<>@()[]=#%+!?&*";
	int c, k = 2;

	memset(cls, 0, 256); /* class 0: other */
	cls[' '] = cls['\t'] = cls['\n'] = cls['\r'] = cls['\f'] = cls['\v'] = SD_SPACE_CLASS;
	for (c = 'a'; c <= 'z'; c++) {
		cls[c] = (unsigned char)k;
		cls[c - 32] = (unsigned char)k;
		k++;
	}
	for (c = '0'; c <= '9'; c++)
		cls[c] = (unsigned char)k++;
	for (c = 0; punct[c] && k < SD_NCLASS; c++)
		cls[(unsigned char)punct[c]] = (unsigned char)k++;
}

static int
sd_matcher_grow(sd_matcher *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	int *nx = realloc(m->next, cap * SD_NCLASS * sizeof(int));
	int *f, *o, *b, *l;

	if (nx == NULL)
		return -1;
	m->next = nx;
	f = realloc(m->fail, cap * sizeof(int));
	if (f == NULL)
		return -1;
	m->fail = f;
	o = realloc(m->own, cap * sizeof(int));
	if (o == NULL)
		return -1;
	m->own = o;
	b = realloc(m->best, cap * sizeof(int));
	if (b == NULL)
		return -1;
	m->best = b;
	l = realloc(m->outlink, cap * sizeof(int));
	if (l == NULL)
		return -1;
	m->outlink = l;
	m->cap = cap;
	return 0;
}

static int
sd_matcher_new_state(sd_matcher *m)
{
	size_t s;

	if (m->nstates == m->cap && sd_matcher_grow(m) != 0)
		return -1;
	s = m->nstates++;
	for (size_t c = 0; c < SD_NCLASS; c++)
		m->next[s * SD_NCLASS + c] = -1;
	m->fail[s] = 0;
	m->own[s] = -1;
	m->best[s] = -1;
	m->outlink[s] = -1;
	return (int)s;
}

void
sd_matcher_free(sd_matcher *m)
{
	if (m == NULL)
		return;
	free(m->next);
	free(m->fail);
	free(m->own);
	free(m->best);
	free(m->outlink);
	free(m->prio);
	free(m);
}

static int
sd_better(const sd_matcher *m, int a, int b)
{
	/* is pattern a better than pattern b? */
	if (a < 0)
		return 0;
	if (b < 0)
		return 1;
	return m->prio[a] > m->prio[b];
}

/* Turn the completed automaton into the table the scans walk. White
 * space is folded into it: a state entered on white space (and the start
 * state) stays put on more white space, which is what skipping a run of
 * spaces does. Each entry then holds the target's offset into the table
 * (state * SD_NCLASS), bit-inverted when a pattern ends there, so a scan
 * costs one load per byte and a sign test. */
static int
sd_matcher_finish(sd_matcher *m)
{
	size_t s, c, n = m->nstates;
	unsigned char *spacey = calloc(n ? n : 1, 1);

	if (spacey == NULL)
		return -1;
	if ((size_t)INT_MAX / SD_NCLASS < n) {
		free(spacey);
		return -1;
	}
	spacey[0] = 1;
	for (s = 0; s < n; s++)
		spacey[m->next[s * SD_NCLASS + SD_SPACE_CLASS]] = 1;
	for (s = 0; s < n; s++)
		if (spacey[s])
			m->next[s * SD_NCLASS + SD_SPACE_CLASS] = (int)s;
	for (s = 0; s < n; s++)
		for (c = 0; c < SD_NCLASS; c++) {
			int t = m->next[s * SD_NCLASS + c];
			int off = t * SD_NCLASS;
			m->next[s * SD_NCLASS + c] = m->best[t] >= 0 ? ~off : off;
		}
	free(spacey);
	return 0;
}

sd_matcher *
sd_matcher_new(const char *const *patterns, const int *prio, size_t n)
{
	sd_matcher *m = calloc(1, sizeof(*m));
	int *queue = NULL;
	size_t qh = 0, qt = 0, i;

	if (m == NULL)
		return NULL;
	sd_matcher_classes(m->cls);
	m->npat = n;
	m->prio = malloc((n ? n : 1) * sizeof(int));
	if (m->prio == NULL || sd_matcher_new_state(m) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		m->prio[i] = prio ? prio[i] : 0;

	/* trie */
	for (i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)patterns[i];
		int s = 0, prev_space = 1;
		for (; *p; p++) {
			int c = m->cls[*p];
			int t;
			if (c == SD_SPACE_CLASS) {
				if (prev_space)
					continue;
				prev_space = 1;
			} else {
				prev_space = 0;
			}
			t = m->next[(size_t)s * SD_NCLASS + (size_t)c];
			if (t < 0) {
				t = sd_matcher_new_state(m);
				if (t < 0)
					goto fail;
				m->next[(size_t)s * SD_NCLASS + (size_t)c] = t;
			}
			s = t;
		}
		if (s != 0 && sd_better(m, (int)i, m->own[s]))
			m->own[s] = (int)i;
	}

	/* breadth-first failure links and DFA completion */
	queue = malloc(m->nstates * sizeof(int));
	if (queue == NULL)
		goto fail;
	for (size_t c = 0; c < SD_NCLASS; c++) {
		int t = m->next[c];
		if (t < 0) {
			m->next[c] = 0;
		} else {
			m->fail[t] = 0;
			queue[qt++] = t;
		}
	}
	m->best[0] = -1;
	while (qh < qt) {
		int s = queue[qh++];
		int f = m->fail[s];
		m->best[s] = m->own[s];
		if (sd_better(m, m->best[f], m->best[s]))
			m->best[s] = m->best[f];
		m->outlink[s] = m->own[f] >= 0 ? f : m->outlink[f];
		for (size_t c = 0; c < SD_NCLASS; c++) {
			int t = m->next[(size_t)s * SD_NCLASS + c];
			if (t < 0) {
				m->next[(size_t)s * SD_NCLASS + c] = m->next[(size_t)f * SD_NCLASS + c];
			} else {
				m->fail[t] = m->next[(size_t)f * SD_NCLASS + c];
				queue[qt++] = t;
			}
		}
	}
	free(queue);
	queue = NULL;
	if (sd_matcher_finish(m) != 0)
		goto fail;
	return m;
fail:
	free(queue);
	sd_matcher_free(m);
	return NULL;
}

int
sd_matcher_best(const sd_matcher *m, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	const int *next = m->next;
	int o = 0, best = -1;
	size_t i;

	for (i = 0; i < len; i++) {
		o = next[o + m->cls[p[i]]];
		if (o < 0) {
			o = ~o;
			if (sd_better(m, m->best[o / SD_NCLASS], best))
				best = m->best[o / SD_NCLASS];
		}
	}
	return best;
}

void
sd_matcher_each(const sd_matcher *m, const char *text, size_t len,
		int (*fn)(void *ctx, int pattern, size_t end), void *ctx)
{
	const unsigned char *p = (const unsigned char *)text;
	const int *next = m->next;
	int o = 0, s, t;
	size_t i;

	for (i = 0; i < len; i++) {
		o = next[o + m->cls[p[i]]];
		if (o >= 0)
			continue;
		o = ~o;
		s = o / SD_NCLASS;
		for (t = m->own[s] >= 0 ? s : m->outlink[s]; t > 0; t = m->outlink[t])
			if (fn(ctx, m->own[t], i + 1))
				return;
	}
}
