/*
 * testutil.h - a tiny table-friendly test harness for the unit tests.
 *
 * CHECK(cond) records a failure with file and line and goes on;
 * CHECK_STR(got, want) compares two strings (NULL-safe) and prints got/want.
 * TEST_MAIN_END prints "N passed, N failed" and returns the exit status.
 */
#ifndef SMTPDOC_TESTUTIL_H
#define SMTPDOC_TESTUTIL_H

#include <stdio.h>
#include <string.h>

static int tu_pass, tu_fail;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			tu_pass++;                                             \
		} else {                                                       \
			tu_fail++;                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
		}                                                              \
	} while (0)

#define CHECK_STR(got, want) tu_check_str(__FILE__, __LINE__, #got, (got), (want))

static inline void
tu_check_str(const char *file, int line, const char *expr, const char *got,
	     const char *want)
{
	int same = (got == NULL && want == NULL) ||
		   (got != NULL && want != NULL && strcmp(got, want) == 0);
	if (same) {
		tu_pass++;
		return;
	}
	tu_fail++;
	fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", file, line, expr,
		got ? got : "(null)", want ? want : "(null)");
}

#define TEST_MAIN_END()                                                        \
	do {                                                                   \
		printf("%d passed, %d failed\n", tu_pass, tu_fail);            \
		return tu_fail ? 1 : 0;                                        \
	} while (0)

#endif
