/*
 * phraselist.c - a fixed list of phrases searched in one pass.
 *
 * Several modules ask "which of these phrases occurs in this text?" (SMTP
 * stage wordings, markers of the returned message, MTA signatures). A
 * phrase list is compiled on first use into one automaton (matcher.c), so
 * the text is read once whatever the number of phrases, instead of once
 * per phrase. Lists are static data; the compiled automaton lives until
 * the process ends. A phrase group compiles several lists into one
 * automaton, so that a text that all of them read is read once.
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"
#include "matcher.h"

static pthread_mutex_t sd_phraselist_lock = PTHREAD_MUTEX_INITIALIZER;

static const sd_matcher *
sd_phraselist_get(sd_phraselist *pl)
{
	const sd_matcher *m = atomic_load_explicit(&pl->compiled, memory_order_acquire);
	size_t i;

	if (m != NULL)
		return m;
	pthread_mutex_lock(&sd_phraselist_lock);
	m = atomic_load_explicit(&pl->compiled, memory_order_relaxed);
	if (m == NULL) {
		int *prio = malloc((pl->n ? pl->n : 1) * sizeof(int));
		const char **texts = malloc((pl->n ? pl->n : 1) * sizeof(char *));
		size_t n = 0;
		if (prio != NULL && texts != NULL) {
			/* earlier in the list ranks higher */
			for (i = 0; i < pl->n; i++) {
				const char *t = *(const char *const *)((const char *)pl->base + i * pl->stride);
				if (t == NULL)
					break;
				texts[n] = t;
				prio[n] = (int)(pl->n - i);
				n++;
			}
			m = sd_matcher_new(texts, prio, n);
			atomic_store_explicit(&pl->compiled, (sd_matcher *)m, memory_order_release);
		}
		free(prio);
		free(texts);
	}
	pthread_mutex_unlock(&sd_phraselist_lock);
	return m;
}

int
sd_phraselist_first(sd_phraselist *pl, const char *text, size_t len)
{
	const sd_matcher *m;

	if (text == NULL || len == 0 || (m = sd_phraselist_get(pl)) == NULL)
		return -1;
	return sd_matcher_best(m, text, len);
}

void
sd_phraselist_each(sd_phraselist *pl, const char *text, size_t len,
		   int (*fn)(void *ctx, int phrase, size_t end), void *ctx)
{
	const sd_matcher *m;

	if (text == NULL || len == 0 || (m = sd_phraselist_get(pl)) == NULL)
		return;
	sd_matcher_each(m, text, len, fn, ctx);
}

/* ---- several lists in one pass ----------------------------------------- */

static const sd_matcher *
sd_phrasegroup_get(sd_phrasegroup *g)
{
	const sd_matcher *m = atomic_load_explicit(&g->compiled, memory_order_acquire);
	size_t i, k, total = 0, n = 0;
	const char **texts = NULL;
	int *prio = NULL;

	if (m != NULL)
		return m;
	pthread_mutex_lock(&sd_phraselist_lock);
	m = atomic_load_explicit(&g->compiled, memory_order_relaxed);
	if (m != NULL)
		goto out;
	for (k = 0; k < g->nlists; k++)
		total += g->lists[k]->n;
	texts = malloc((total ? total : 1) * sizeof(*texts));
	prio = malloc((total ? total : 1) * sizeof(*prio));
	g->list_of = malloc((total ? total : 1) * sizeof(int));
	g->index_of = malloc((total ? total : 1) * sizeof(int));
	if (texts == NULL || prio == NULL || g->list_of == NULL || g->index_of == NULL)
		goto out;
	for (k = 0; k < g->nlists; k++) {
		const sd_phraselist *pl = g->lists[k];
		for (i = 0; i < pl->n; i++) {
			const char *t = *(const char *const *)((const char *)pl->base + i * pl->stride);
			if (t == NULL)
				break;
			texts[n] = t;
			prio[n] = 0;
			g->list_of[n] = (int)k;
			g->index_of[n] = (int)i;
			n++;
		}
	}
	m = sd_matcher_new(texts, prio, n);
	atomic_store_explicit(&g->compiled, (sd_matcher *)m, memory_order_release);
out:
	pthread_mutex_unlock(&sd_phraselist_lock);
	free(texts);
	free(prio);
	return m;
}

typedef struct sd_group_ctx {
	const sd_phrasegroup *g;
	int (*fn)(void *ctx, int list, int phrase, size_t end);
	void *ctx;
} sd_group_ctx;

static int
sd_group_hit(void *ctx, int pattern, size_t end)
{
	sd_group_ctx *c = ctx;

	return c->fn(c->ctx, c->g->list_of[pattern], c->g->index_of[pattern], end);
}

void
sd_phrasegroup_each(sd_phrasegroup *g, const char *text, size_t len,
		    int (*fn)(void *ctx, int list, int phrase, size_t end), void *ctx)
{
	const sd_matcher *m;
	sd_group_ctx c = {g, fn, ctx};

	if (text == NULL || len == 0 || (m = sd_phrasegroup_get(g)) == NULL)
		return;
	sd_matcher_each(m, text, len, sd_group_hit, &c);
}
