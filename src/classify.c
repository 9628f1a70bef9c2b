/*
 * classify.c - free text -> reason and cause.
 *
 * The phrase table (classify_patterns.c) is compiled once, on first use,
 * into one automaton (matcher.c); classifying is a single pass over the
 * text, linear in its length, whatever the number of phrases. When the
 * best match is a lead-in (an MTA's "...: " before its explanation), the
 * explanation was not recognised and the text counts as saying nothing.
 */
#include <pthread.h>
#include <string.h>

#include "classify.h"
#include "internal.h"
#include "matcher.h"

static sd_matcher *sd_phrase_matcher;
static pthread_once_t sd_classify_once = PTHREAD_ONCE_INIT;

static void
sd_classify_build(void)
{
	const char *texts[1024];
	int prio[1024];
	size_t i, n = sd_phrases_len < 1024 ? sd_phrases_len : 1024;

	for (i = 0; i < n; i++) {
		texts[i] = sd_phrases[i].text;
		prio[i] = sd_phrases[i].priority;
	}
	sd_phrase_matcher = sd_matcher_new(texts, prio, n);
}

int
sd_classify_init(void)
{
	pthread_once(&sd_classify_once, sd_classify_build);
	return sd_phrase_matcher ? 0 : -1;
}

void
sd_classify_text(const char *text, size_t len, sd_class *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	if (text == NULL || len == 0 || sd_classify_init() != 0)
		return;
	i = sd_matcher_best(sd_phrase_matcher, text, len);
	if (i < 0 || sd_phrases[i].reason == NULL)
		return; /* nothing, or only a lead-in whose explanation is unknown */
	out->reason = sd_phrases[i].reason;
	out->cause = sd_phrases[i].cause;
	out->priority = sd_phrases[i].priority;
}
