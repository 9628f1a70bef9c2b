/*
 * test_hints.c - unit tests of smtpdoc_address_hints (hints.c): the
 * misspelt-provider suggestions, the lookalikes that must stay alone, and
 * the shape problems (spaces, brackets, @, dots), plus NULL and very long
 * input.
 */
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "testutil.h"

/* One case: input, number of hints, suggestion, and a word that one of the
 * hints must contain (NULL: no check). */
static const struct {
	const char *in;
	size_t count;
	const char *suggestion;
	const char *word;
} cases[] = {
	/* misspelt providers */
	{"john@gmial.com", 1, "john@gmail.com", "misspelling"},
	{"jane@hotmial.com", 1, "jane@hotmail.com", "hotmail.com"},
	{"a@yaho.com", 1, "a@yahoo.com", "yahoo.com"},
	{"bob@gmail.con", 1, "bob@gmail.com", "gmail.com"},
	{"x@outlok.com", 1, "x@outlook.com", "outlook.com"},
	{"bob@gmail.co", 1, "bob@gmail.com", NULL},
	{"bob@hotmail.cm", 1, "bob@hotmail.com", NULL},
	{"bob@gmail.net", 1, "bob@gmail.com", NULL},
	{"Bob.Smith@GMIAL.COM", 1, "Bob.Smith@gmail.com", NULL},
	{"a@gamil.com", 1, "a@gmail.com", NULL},
	{"a@gmai.com", 1, "a@gmail.com", NULL},
	{"a@yahooo.com", 1, "a@yahoo.com", NULL},
	{"a@hotmail.co", 1, "a@hotmail.com", NULL},
	{"a@iclod.com", 1, "a@icloud.com", NULL},
	{"a@aol.con", 1, "a@aol.com", NULL},
	{"a@qq.cmo", 1, "a@qq.com", NULL},
	{"a@comcast.ne", 1, "a@comcast.net", NULL},
	{"a@mial.com", 1, "a@mail.com", NULL},
	{"a@mail.rt", 1, "a@mail.ru", NULL},
	{"a@protonmial.com", 1, "a@protonmail.com", NULL},
	{"a@yandex.ri", 1, "a@yandex.ru", NULL},
	/* exact providers and ordinary domains stay alone */
	{"john@example.com", 0, "", NULL},
	{"john@gmail.com", 0, "", NULL},
	{"john@mydomain.org", 0, "", NULL},
	{"john@company.co.uk", 0, "", NULL},
	{"a@mail.com", 0, "", NULL},
	{"a@email.com", 0, "", NULL},
	{"a@hotmail.co.uk", 0, "", NULL},
	{"a@yahoo.co.jp", 0, "", NULL},
	{"a@yahoo.com.br", 0, "", NULL},
	{"a@gmx.at", 0, "", NULL},
	{"a@mall.com", 0, "", NULL},
	{"a@small.com", 0, "", NULL},
	{"a@gnail.com", 1, "a@gmail.com", NULL},
	{"a@google.com", 0, "", NULL},
	{"a@ymail.com", 0, "", NULL},
	{"a@live.ca", 0, "", NULL},
	{"a@love.com", 0, "", NULL},
	{"a@cloud.com", 0, "", NULL},
	{"a@hotmart.com", 0, "", NULL},
	{"a@outlook.de", 0, "", NULL},
	{"a@wahoo.com", 0, "", NULL},
	{"a@att.com", 0, "", NULL},
	{"a@ab.com", 0, "", NULL},
	{"a@sub.example.co.uk", 0, "", NULL},
	{"a@[192.0.2.1]", 0, "", NULL},
	/* shape problems */
	{"  john@example.com ", 1, "", "spaces before or after"},
	{"<john@example.com>", 1, "", "brackets"},
	{"\"john@example.com\"", 1, "", "quotes"},
	{"mailto:john@example.com", 1, "", "mailto"},
	{"John Smith <john@example.com>", 1, "", "between < and >"},
	{" <john@example.com> ", 1, "", "extra spaces"},
	{"jo hn@example.com", 1, "", "space"},
	{"johnexample.com", 1, "", "no @"},
	{"john@@example.com", 1, "", "more than one @"},
	{"a@b@example.com", 1, "", "more than one @"},
	{"@example.com", 1, "", "before the @"},
	{"john@", 1, "", "after the @"},
	{"john@localhost", 1, "", "no dot"},
	{"john..doe@example.com", 1, "", "two dots"},
	{"john@example..com", 1, "", "two dots"},
	{".john@example.com", 1, "", "start or end"},
	{"john.@example.com", 1, "", "start or end"},
	{"john@example.com.", 1, "", "start or end"},
	{"", 1, "", "empty"},
	{"   ", 1, "", "empty"},
	{"<>", 1, "", "empty"},
	/* several at once; the misspelling always keeps its place */
	{" <jo hn@gmial.com> ", 3, "jo hn@gmail.com", "misspelling"},
	{"jane@gmail,com", 2, "jane@gmail.com", "no dot"},
	{" <jo hn..x@@gmial.com> ", 4, "jo hn..x@@gmail.com", "misspelling"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
hints_contain(const smtpdoc_hints *h, const char *word)
{
	size_t i;

	for (i = 0; i < h->count && i < SMTPDOC_MAX_HINTS; i++)
		if (strstr(h->text[i], word) != NULL)
			return 1;
	return 0;
}

/* Every hint is a NUL-terminated, non-empty sentence. */
static int
hints_well_formed(const smtpdoc_hints *h)
{
	size_t i;

	if (h->count > SMTPDOC_MAX_HINTS)
		return 0;
	if (memchr(h->suggestion, '\0', sizeof(h->suggestion)) == NULL)
		return 0;
	for (i = 0; i < h->count; i++) {
		const char *t = h->text[i];
		size_t n;

		if (memchr(t, '\0', sizeof(h->text[0])) == NULL)
			return 0;
		n = strlen(t);
		if (n == 0 || t[n - 1] != '.')
			return 0;
	}
	return 1;
}

static void
test_cases(void)
{
	smtpdoc_hints h;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		memset(&h, 0xA5, sizeof(h)); /* the call must clear it */
		smtpdoc_address_hints(cases[i].in, &h);
		CHECK(hints_well_formed(&h));
		if (h.count != cases[i].count) {
			size_t k;
			fprintf(stderr, "\"%s\": %zu hints, want %zu\n",
				cases[i].in, h.count, cases[i].count);
			for (k = 0; k < h.count && k < SMTPDOC_MAX_HINTS; k++)
				fprintf(stderr, "  - %s\n", h.text[k]);
		}
		CHECK(h.count == cases[i].count);
		CHECK_STR(h.suggestion, cases[i].suggestion);
		if (cases[i].word != NULL) {
			if (!hints_contain(&h, cases[i].word))
				fprintf(stderr, "\"%s\": no hint says \"%s\"\n",
					cases[i].in, cases[i].word);
			CHECK(hints_contain(&h, cases[i].word));
		}
	}
}

static void
test_edges(void)
{
	smtpdoc_hints h;
	char *big;
	size_t n = 100000;

	/* NULL address and NULL output */
	memset(&h, 0xA5, sizeof(h));
	smtpdoc_address_hints(NULL, &h);
	CHECK(h.count == 1);
	CHECK_STR(h.suggestion, "");
	CHECK(hints_well_formed(&h));
	smtpdoc_address_hints("john@gmial.com", NULL); /* must not crash */

	/* a very long local part: flagged, never overflows */
	big = malloc(n + 32);
	CHECK(big != NULL);
	if (big == NULL)
		return;
	memset(big, 'a', n);
	memcpy(big + n, "@gmial.com", sizeof("@gmial.com"));
	smtpdoc_address_hints(big, &h);
	CHECK(hints_well_formed(&h));
	CHECK(hints_contain(&h, "longer than"));

	/* a long local part that still fits: suggestion only when it fits */
	memset(big, 'b', 250);
	memcpy(big + 250, "@gmial.com", sizeof("@gmial.com"));
	smtpdoc_address_hints(big, &h);
	CHECK(hints_well_formed(&h));
	CHECK(hints_contain(&h, "misspelling"));
	CHECK(h.suggestion[0] == '\0'); /* 250 + 10 bytes would not fit */
	memset(big, 'c', 200);
	memcpy(big + 200, "@gmial.com", sizeof("@gmial.com"));
	smtpdoc_address_hints(big, &h);
	CHECK(strlen(h.suggestion) == 210);

	/* a very long domain: no typo check, no overflow */
	memcpy(big, "x@", 2);
	memset(big + 2, 'd', n);
	memcpy(big + 2 + n, ".com", sizeof(".com"));
	smtpdoc_address_hints(big, &h);
	CHECK(hints_well_formed(&h));
	CHECK_STR(h.suggestion, "");

	/* bytes above 127 and control characters are harmless */
	smtpdoc_address_hints("j\xc3\xb6rg@gm\xc3\xa4il.com", &h);
	CHECK(hints_well_formed(&h));
	smtpdoc_address_hints("a\tb@example.com\r\n", &h);
	CHECK(hints_well_formed(&h));
	CHECK(hints_contain(&h, "space"));
	free(big);
}

int
main(void)
{
	test_cases();
	test_edges();
	TEST_MAIN_END();
}
