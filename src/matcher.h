/*
 * matcher.h - multi-pattern phrase matcher, linear in the input.
 *
 * Patterns are compiled once into an Aho-Corasick automaton, turned into a
 * full DFA over a small alphabet: ASCII letters folded to lower case,
 * digits, a handful of punctuation, and "other". Any run of white space in
 * the text (and in a pattern) counts as one space. Matching is one table
 * look-up per input byte; there is no backtracking.
 */
#ifndef SMTPDOC_MATCHER_H
#define SMTPDOC_MATCHER_H

#include <stddef.h>

typedef struct sd_matcher sd_matcher;

/* Compile n patterns; prio[i] ranks pattern i (higher wins). Returns NULL
 * on out of memory. Free with sd_matcher_free. */
sd_matcher *sd_matcher_new(const char *const *patterns, const int *prio, size_t n);
void sd_matcher_free(sd_matcher *m);

/* Index of the highest-priority pattern found in text (the earliest among
 * equals), or -1. */
int sd_matcher_best(const sd_matcher *m, const char *text, size_t len);

/* Call fn for every pattern occurrence (index and end offset in text);
 * fn returns non-zero to stop. */
void sd_matcher_each(const sd_matcher *m, const char *text, size_t len,
		     int (*fn)(void *ctx, int pattern, size_t end), void *ctx);

#endif
