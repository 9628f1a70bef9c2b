/*
 * phraselist.c - a fixed list of phrases searched in one pass.
 *
 * Several modules ask "which of these phrases occurs in this text?" (SMTP
 * stage wordings, markers of the returned message, MTA signatures). A
 * phrase list is compiled on first use into one automaton (matcher.c), so
 * the text is read once whatever the number of phrases, instead of once
 * per phrase. Lists are static data; the compiled automaton lives until
 * the process ends.
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
