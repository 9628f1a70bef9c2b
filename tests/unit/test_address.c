/*
 * test_address.c - unit tests of the address checks (address.c,
 * address_clean.c, address_typo.c, address_lists.c): valid and invalid
 * addresses per RFC 5321, 5322 and 6531 with the reason given, the
 * clean-up and the changes it reports, IDN round trips (German, Chinese),
 * the role, disposable and free-mail flags, misspelling suggestions with
 * and without MX, the domain counter, the compiled lists against the text
 * files in data/, and hostile input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DATA_DIR SMTPDOC_TEST_DATA "/../../data/"

/* ---- valid addresses ------------------------------------------------------ */

static const struct {
	const char *in;
	const char *address;       /* the address to show */
	const char *address_ascii; /* with A-labels */
} valid_cases[] = {
	{"john@example.com", "john@example.com", "john@example.com"},
	{"John.Smith@example.com", "John.Smith@example.com", "John.Smith@example.com"},
	{"user+tag@example.com", "user+tag@example.com", "user+tag@example.com"},
	{"o'brien@example.ie", "o'brien@example.ie", "o'brien@example.ie"},
	{"a!#$%&'*+-/=?^_`{|}~@example.com", "a!#$%&'*+-/=?^_`{|}~@example.com",
	 "a!#$%&'*+-/=?^_`{|}~@example.com"},
	{"x@sub.domain.example.co.uk", "x@sub.domain.example.co.uk", "x@sub.domain.example.co.uk"},
	{"x@a-b.example.com", "x@a-b.example.com", "x@a-b.example.com"},
	{"x@123.example.com", "x@123.example.com", "x@123.example.com"},
	{"x@example.c0m", "x@example.c0m", "x@example.c0m"},
	/* quoted local parts (RFC 5321 Quoted-string) */
	{"\"john doe\"@example.com", "\"john doe\"@example.com", "\"john doe\"@example.com"},
	{"\"john@doe\"@example.com", "\"john@doe\"@example.com", "\"john@doe\"@example.com"},
	{"\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com"},
	{"\"a\\\\b\"@example.com", "\"a\\\\b\"@example.com", "\"a\\\\b\"@example.com"},
	{"\"\"@example.com", "\"\"@example.com", "\"\"@example.com"},
	{"\"(comment)\"@example.com", "\"(comment)\"@example.com", "\"(comment)\"@example.com"},
	/* address literals (RFC 5321 4.1.3) */
	{"x@[192.0.2.1]", "x@[192.0.2.1]", "x@[192.0.2.1]"},
	{"x@[IPv6:2001:db8::1]", "x@[IPv6:2001:db8::1]", "x@[IPv6:2001:db8::1]"},
	{"x@[IPv6:::ffff:192.0.2.1]", "x@[IPv6:::ffff:192.0.2.1]", "x@[IPv6:::ffff:192.0.2.1]"},
	/* RFC 6531: UTF-8 local parts and internationalised domains */
	{"jörg@example.com", "jörg@example.com", "jörg@example.com"},
	{"jörg@münchen.de", "jörg@münchen.de", "jörg@xn--mnchen-3ya.de"},
	{"user@xn--mnchen-3ya.de", "user@münchen.de", "user@xn--mnchen-3ya.de"},
	{"用户@例子.中国", "用户@例子.中国", "用户@xn--fsqu00a.xn--fiqs8s"},
	{"user@xn--fsqu00a.xn--fiqs8s", "user@例子.中国", "user@xn--fsqu00a.xn--fiqs8s"},
	{"user@faß.de", "user@faß.de", "user@xn--fa-hia.de"}, /* non-transitional: no "fass" */
	{"δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@παράδειγμα.δοκιμή",
	 "δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp"},
	{"\"jörg doe\"@example.com", "\"jörg doe\"@example.com", "\"jörg doe\"@example.com"},
};

static void
test_valid(void)
{
	sd_address_info a = {0};
	size_t i;

	for (i = 0; i < NELEM(valid_cases); i++) {
		CHECK(sd_address_check(valid_cases[i].in, &a) == SMTPDOC_OK);
		if (!a.valid)
			fprintf(stderr, "\"%s\": not valid: %s\n", valid_cases[i].in,
				a.reason ? a.reason : "(no reason)");
		CHECK(a.valid);
		CHECK(a.error == SD_ADDRESS_EOK);
		CHECK(a.reason == NULL);
		CHECK_STR(a.input, valid_cases[i].in);
		CHECK_STR(a.address, valid_cases[i].address);
		CHECK_STR(a.address_ascii, valid_cases[i].address_ascii);
		CHECK(a.changes == 0);
	}
	sd_address_info_free(&a);
}

/* ---- invalid addresses ---------------------------------------------------- */

static const struct {
	const char *in;
	sd_address_error error;
	const char *words;  /* in the reason */
} invalid_cases[] = {
	{"", SD_ADDRESS_EEMPTY, "empty"},
	{"   ", SD_ADDRESS_EEMPTY, "empty"},
	{"<>", SD_ADDRESS_EEMPTY, "empty"},
	{"johnexample.com", SD_ADDRESS_ENO_AT, "no @"},
	{"\"john\"", SD_ADDRESS_ENO_AT, "no @ after the quoted local part"},
	{"@example.com", SD_ADDRESS_ELOCAL_EMPTY, "local part (before the @) is empty"},
	{"john@", SD_ADDRESS_EDOMAIN_EMPTY, "domain (after the @) is empty"},
	{"a@b@example.com", SD_ADDRESS_EMANY_AT, "2 @ signs"},
	{"john@@example.com", SD_ADDRESS_EMANY_AT, "2 @ signs"},
	{".john@example.com", SD_ADDRESS_ELOCAL_DOT, "'.john' starts with a dot"},
	{"john.@example.com", SD_ADDRESS_ELOCAL_DOT, "'john.' ends with a dot"},
	{"john..doe@example.com", SD_ADDRESS_ELOCAL_DOT, "'john..doe' has two dots in a row"},
	{"jo hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains a space"},
	{"jo(hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains '('"},
	{"jo,hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains ','"},
	{"jo[hn]@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains '['"},
	{"jo\\hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains '\\'"},
	{"jo:hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains ':'"},
	{"jo<hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "contains '<'"},
	{"jo\xe3\x80\x80hn@example.com", SD_ADDRESS_ELOCAL_CHAR, "U+3000"},
	{"\"john@example.com", SD_ADDRESS_EQUOTE_UNBALANCED, "unbalanced quote"},
	{"\"john\\\"@example.com", SD_ADDRESS_EQUOTE_UNBALANCED, "unbalanced quote"},
	{"\"john\"doe@example.com", SD_ADDRESS_EQUOTE_MISPLACED, "followed by @, not by 'd'"},
	{"jo\"hn\"@example.com", SD_ADDRESS_EQUOTE_MISPLACED, "quotes may only enclose the whole"},
	{"\"a\\\xc3\xa9\"@example.com", SD_ADDRESS_EQUOTED_CHAR, "backslash"},
	{"a\tb@example.com", SD_ADDRESS_ECONTROL, "a tab"},
	{"a\nb@example.com", SD_ADDRESS_ECONTROL, "a line break"},
	{"a\x01" "b@example.com", SD_ADDRESS_ECONTROL, "U+0001"},
	{"a\x7f" "b@example.com", SD_ADDRESS_ECONTROL, "U+007F"},
	{"a\xc2\x85" "b@example.com", SD_ADDRESS_ECONTROL, "U+0085"},
	{"\"a\tb\"@example.com", SD_ADDRESS_ECONTROL, "a tab"},
	{"j\xffohn@example.com", SD_ADDRESS_EBAD_UTF8, "byte 2 (0xFF) is not valid UTF-8"},
	{"\xc0\xaf@example.com", SD_ADDRESS_EBAD_UTF8, "byte 1 (0xC0)"},        /* overlong */
	{"\xed\xa0\x80@example.com", SD_ADDRESS_EBAD_UTF8, "byte 1 (0xED)"},    /* surrogate */
	{"john@example.com\xe2\x82", SD_ADDRESS_EBAD_UTF8, "byte 17 (0xE2)"},  /* cut short */
	{"x@a..b.com", SD_ADDRESS_ELABEL_EMPTY, "the domain 'a..b.com' has an empty label"},
	{"x@.example.com", SD_ADDRESS_ELABEL_EMPTY, "starts with a dot"},
	{"x@example.com..", SD_ADDRESS_ELABEL_EMPTY, "empty label"},
	{"x@-ab.com", SD_ADDRESS_ELABEL_HYPHEN, "the domain label '-ab' starts with a hyphen"},
	{"x@ab-.com", SD_ADDRESS_ELABEL_HYPHEN, "the domain label 'ab-' ends with a hyphen"},
	{"x@exa_mple.com", SD_ADDRESS_EDOMAIN_CHAR, "contains '_'"},
	{"x@exa mple.com", SD_ADDRESS_EDOMAIN_CHAR, "contains a space"},
	{"x@exa\xe3\x80\x80mple.com", SD_ADDRESS_EDOMAIN_CHAR, "contains a space"},
	{"jane@gmail,com", SD_ADDRESS_EDOMAIN_CHAR, "contains ','"},
	{"x@example.com/", SD_ADDRESS_EDOMAIN_CHAR, "contains '/'"},
	{"x@localhost", SD_ADDRESS_EDOMAIN_SINGLE_LABEL, "'localhost' has no dot"},
	{"x@1.2.3.4", SD_ADDRESS_EDOMAIN_NUMERIC, "brackets, as in [1.2.3.4]"},
	{"x@example.123", SD_ADDRESS_EDOMAIN_NUMERIC, "ends in a number"},
	{"x@\xe2\x98\x83.com", SD_ADDRESS_EDOMAIN_IDN, "cannot have"},   /* a snowman */
	{"x@xn--zzzzzz.com", SD_ADDRESS_EDOMAIN_IDN, "not a valid internationalised"},
	{"x@xn--a.com", SD_ADDRESS_EDOMAIN_IDN, "not a valid internationalised"},
	{"x@m\xc3\xbc-.de", SD_ADDRESS_ELABEL_HYPHEN, "hyphen"},
	{"x@[300.1.1.1]", SD_ADDRESS_ELITERAL, "not an IPv4 address"},
	{"x@[1.2.3]", SD_ADDRESS_ELITERAL, "not an IPv4 address"},
	{"x@[1.2.3.4.5]", SD_ADDRESS_ELITERAL, "not an IPv4 address"},
	{"x@[0001.2.3.4]", SD_ADDRESS_ELITERAL, "not an IPv4 address"},
	{"x@[IPv6:zz::1]", SD_ADDRESS_ELITERAL, "not an IPv6 address"},
	{"x@[IPv6:]", SD_ADDRESS_ELITERAL, "not an IPv6 address"},
	{"x@[foo:bar]", SD_ADDRESS_ELITERAL, "the tag 'foo'"},
	{"x@[192.0.2.1", SD_ADDRESS_ELITERAL, "not closed"},
	{"x@[]", SD_ADDRESS_ELITERAL, "not an IPv4 address"},
};

static void
test_invalid(void)
{
	sd_address_info a = {0};
	size_t i;

	for (i = 0; i < NELEM(invalid_cases); i++) {
		CHECK(sd_address_check(invalid_cases[i].in, &a) == SMTPDOC_OK);
		if (a.error != invalid_cases[i].error || a.reason == NULL ||
		    strstr(a.reason, invalid_cases[i].words) == NULL)
			fprintf(stderr, "\"%s\": got %s \"%s\", want %s \"%s\"\n", invalid_cases[i].in,
				sd_address_error_id(a.error), a.reason ? a.reason : "(null)",
				sd_address_error_id(invalid_cases[i].error), invalid_cases[i].words);
		CHECK(!a.valid);
		CHECK(a.error == invalid_cases[i].error);
		CHECK(a.reason != NULL && strstr(a.reason, invalid_cases[i].words) != NULL);
		CHECK(a.address != NULL);
		CHECK(a.address_ascii == NULL);
	}
	sd_address_info_free(&a);
}

/* Lengths: RFC 5321 4.5.3.1, right at each limit and one over. */
static void
test_limits(void)
{
	sd_address_info a = {0};
	char buf[600], lab[70];
	size_t n;

	/* local part: 64 octets pass, 65 fail */
	memset(buf, 'a', 64);
	strcpy(buf + 64, "@example.com");
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.valid);
	memset(buf, 'a', 65);
	strcpy(buf + 65, "@example.com");
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && !a.valid);
	CHECK(a.error == SD_ADDRESS_ELOCAL_TOO_LONG);
	CHECK_STR(a.reason, "the local part is 65 octets long; at most 64 are allowed");
	/* octets, not characters: 32 two-byte letters are 64 octets */
	for (n = 0; n < 32; n++)
		memcpy(buf + 2 * n, "\xc3\xa9", 2);
	strcpy(buf + 64, "@example.com");
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.valid);
	memcpy(buf + 64, "e@example.com", 14);
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.error == SD_ADDRESS_ELOCAL_TOO_LONG);

	/* label: 63 pass, 64 fail */
	memset(lab, 'b', 63);
	lab[63] = '\0';
	(void)snprintf(buf, sizeof(buf), "x@%s.com", lab);
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.valid);
	memset(lab, 'b', 64);
	lab[64] = '\0';
	(void)snprintf(buf, sizeof(buf), "x@%s.com", lab);
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.error == SD_ADDRESS_ELABEL_TOO_LONG);
	CHECK(a.reason != NULL && strstr(a.reason, "64 octets long; at most 63") != NULL);
	/* a label too long once in A-labels */
	strcpy(buf, "x@");
	for (n = 0; n < 58; n++)
		strcat(buf, "\xc3\xbc");
	strcat(buf, ".de");
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.error == SD_ADDRESS_ELABEL_TOO_LONG);

	/* the whole address: 254 pass, 255 fail. "x@" + labels of 63 and a
	 * last one to make up the length. */
	memset(lab, 'c', 63);
	lab[63] = '\0';
	(void)snprintf(buf, sizeof(buf), "x@%s.%s.%s.%.*s", lab, lab, lab, 60, lab);
	CHECK(strlen(buf) == 254);
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.valid);
	(void)snprintf(buf, sizeof(buf), "xy@%s.%s.%s.%.*s", lab, lab, lab, 60, lab);
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.error == SD_ADDRESS_EPATH_TOO_LONG);
	CHECK_STR(a.reason, "the address is 255 octets long; at most 254 are allowed");

	/* a bad local part and a bad literal: the domain is not valid either */
	CHECK(sd_address_check(".x@[300.1.1.1]", &a) == SMTPDOC_OK && a.error == SD_ADDRESS_ELOCAL_DOT);
	CHECK(a.domain_ascii == NULL && a.literal);
	CHECK(sd_address_check(".x@[192.0.2.1]", &a) == SMTPDOC_OK && a.error == SD_ADDRESS_ELOCAL_DOT);
	CHECK_STR(a.domain_ascii, "[192.0.2.1]");
	/* a bad local part, a good domain: its forms are there */
	CHECK(sd_address_check("a..b@M\xc3\xbcnchen.de", &a) == SMTPDOC_OK && !a.valid);
	CHECK_STR(a.domain, "münchen.de");
	CHECK_STR(a.domain_ascii, "xn--mnchen-3ya.de");
	CHECK_STR(a.address, "a..b@münchen.de");
	CHECK(a.address_ascii == NULL);
	/* 57 two-byte letters make a 62-octet A-label: still fine */
	strcpy(buf, "x@");
	for (n = 0; n < 57; n++)
		strcat(buf, "\xc3\xbc");
	strcat(buf, ".de");
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.valid);

	/* the domain: over 255 octets */
	(void)snprintf(buf, sizeof(buf), "x@%s.%s.%s.%s.com", lab, lab, lab, lab);
	CHECK(sd_address_check(buf, &a) == SMTPDOC_OK && a.error == SD_ADDRESS_EDOMAIN_TOO_LONG);
	CHECK(a.reason != NULL && strstr(a.reason, "at most 255") != NULL);
	sd_address_info_free(&a);
}

/* ---- the clean-up ------------------------------------------------------------ */

#define CH(x) SD_ADDRESS_CHANGED_##x

static const struct {
	const char *in;
	const char *address;
	unsigned changes;
} clean_cases[] = {
	{" john@example.com ", "john@example.com", CH(SPACE)},
	{"\t john@example.com\r\n", "john@example.com", CH(SPACE)},
	{"\xe3\x80\x80john@example.com", "john@example.com", CH(SPACE)}, /* U+3000 */
	{"<john@example.com>", "john@example.com", CH(BRACKETS)},
	{"< john@example.com >", "john@example.com", CH(BRACKETS) | CH(SPACE)},
	{"<john@example.com", "john@example.com", CH(BRACKETS)},
	{"john@example.com>", "john@example.com", CH(BRACKETS)},
	{"John Smith <john@example.com>", "john@example.com", CH(NAME)},
	{"\"Smith, John <js>\" <john@example.com>", "john@example.com", CH(NAME)},
	{"john@example.com (John Smith)", "john@example.com", CH(NAME)},
	{"(John Smith) john@example.com", "john@example.com", CH(NAME)},
	{"mailto:john@example.com", "john@example.com", CH(MAILTO)},
	{"MAILTO:john@example.com?subject=Hello%20there", "john@example.com", CH(MAILTO)},
	{"mailto:john%2Bsales@example.com", "john+sales@example.com", CH(MAILTO)},
	{"mailto:john%00x@example.com", "john%00x@example.com", CH(MAILTO)},
	{"<mailto:john@example.com>", "john@example.com", CH(MAILTO) | CH(BRACKETS)},
	{"\"john@example.com\"", "john@example.com", CH(QUOTES)},
	{"'john@example.com'", "john@example.com", CH(QUOTES)},
	{"\xe2\x80\x9cjohn@example.com\xe2\x80\x9d", "john@example.com", CH(QUOTES)},
	{"john@example.com.", "john@example.com", CH(TRAILING_DOT)},
	{"john@example.com,", "john@example.com", CH(TRAILING_PUNCT)},
	{"john@example.com;", "john@example.com", CH(TRAILING_PUNCT)},
	{"John@EXAMPLE.com", "John@example.com", CH(DOMAIN_CASE)},
	{"john\xe2\x80\x8b@example.com", "john@example.com", CH(INVISIBLE)},      /* ZWSP */
	{"\xef\xbb\xbfjohn@example.com", "john@example.com", CH(INVISIBLE)},      /* BOM */
	{"john@exam\xc2\xadple.com", "john@example.com", CH(INVISIBLE)},          /* soft hyphen */
	{"\xc2\xa0john@example.com\xc2\xa0", "john@example.com", CH(INVISIBLE)},  /* NBSP */
	{"john\xc2\xa0@example.com", "john@example.com", CH(INVISIBLE)},
	{"john@example.com\xe2\x80\x8e", "john@example.com", CH(INVISIBLE)},      /* LRM */
	{"jo\xe2\x80\x8dhn@example.com", "john@example.com", CH(INVISIBLE)},      /* ZWJ in ASCII */
	{"john\xef\xbc\xa0" "example.com", "john@example.com", CH(FULLWIDTH_AT)},
	{"x@\xef\xbd\x85xample.com", "x@example.com", CH(DOMAIN_MAPPED)},         /* full-width e */
	{"x@example\xe3\x80\x82" "com", "x@example.com", CH(DOMAIN_MAPPED)},      /* 。 */
	{"x@M\xc3\x9cNCHEN.DE", "x@münchen.de", CH(DOMAIN_CASE) | CH(DOMAIN_MAPPED)},
	{"x@XN--MNCHEN-3YA.DE", "x@münchen.de", CH(DOMAIN_CASE)},
	{" <mailto:John@Example.COM.> ", "John@example.com",
	 CH(SPACE) | CH(BRACKETS) | CH(MAILTO) | CH(TRAILING_DOT) | CH(DOMAIN_CASE)},
	/* a zero-width non-joiner between two Persian letters belongs there */
	{"\xd9\x85\xe2\x80\x8c\xdb\x8c@example.com", "\xd9\x85\xe2\x80\x8c\xdb\x8c@example.com", 0},
	/* quotes of a quoted local part are not "around the address" */
	{"\"john doe\"@example.com", "\"john doe\"@example.com", 0},
	{"john@example.com", "john@example.com", 0},
};

static void
test_clean(void)
{
	sd_address_info a = {0};
	size_t i;

	for (i = 0; i < NELEM(clean_cases); i++) {
		CHECK(sd_address_check(clean_cases[i].in, &a) == SMTPDOC_OK);
		if (!a.valid || a.changes != clean_cases[i].changes)
			fprintf(stderr, "\"%s\": valid %d, changes 0x%x, want 0x%x (%s)\n",
				clean_cases[i].in, a.valid, a.changes, clean_cases[i].changes,
				a.reason ? a.reason : "");
		CHECK(a.valid);
		CHECK_STR(a.address, clean_cases[i].address);
		CHECK(a.changes == clean_cases[i].changes);
		CHECK_STR(a.input, clean_cases[i].in);
	}
	sd_address_info_free(&a);
}

static void
test_change_names(void)
{
	unsigned bit;
	int i, j;

	for (i = 0; i < SD_ADDRESS_CHANGE_COUNT; i++) {
		bit = 1u << i;
		CHECK(sd_address_change_id(bit) != NULL);
		CHECK(sd_address_change_text(bit) != NULL && strlen(sd_address_change_text(bit)) > 10);
		for (j = 0; j < i; j++)
			CHECK(strcmp(sd_address_change_id(bit), sd_address_change_id(1u << j)) != 0);
	}
	CHECK(sd_address_change_id(0) == NULL);
	CHECK(sd_address_change_id(3) == NULL);
	CHECK(sd_address_change_text(1u << SD_ADDRESS_CHANGE_COUNT) == NULL);
	CHECK_STR(sd_address_change_id(SD_ADDRESS_CHANGED_MAILTO), "mailto");
	for (i = 0; i < SD_ADDRESS_ERROR_COUNT; i++)
		for (j = 0; j < i; j++)
			CHECK(strcmp(sd_address_error_id((sd_address_error)i),
				     sd_address_error_id((sd_address_error)j)) != 0);
	CHECK_STR(sd_address_error_id(SD_ADDRESS_ELOCAL_TOO_LONG), "local-too-long");
	CHECK_STR(sd_address_error_id(SD_ADDRESS_ERROR_COUNT), "unknown");
}

/* ---- IDN round trips --------------------------------------------------------- */

static void
test_idn(void)
{
	static const struct {
		const char *in, *domain, *domain_ascii;
	} cases[] = {
		/* German: umlaut and sharp s (non-transitional keeps ß) */
		{"info@münchen.de", "münchen.de", "xn--mnchen-3ya.de"},
		{"info@xn--mnchen-3ya.de", "münchen.de", "xn--mnchen-3ya.de"},
		{"kontakt@straße.de", "straße.de", "xn--strae-oqa.de"},
		{"kontakt@xn--strae-oqa.de", "straße.de", "xn--strae-oqa.de"},
		/* Chinese, with the ideographic full stop as a separator */
		{"user@例子.中国", "例子.中国", "xn--fsqu00a.xn--fiqs8s"},
		{"user@xn--fsqu00a.xn--fiqs8s", "例子.中国", "xn--fsqu00a.xn--fiqs8s"},
		{"user@例子。中国", "例子.中国", "xn--fsqu00a.xn--fiqs8s"},
		/* an ASCII domain stays the same in both forms */
		{"user@example.org", "example.org", "example.org"},
	};
	sd_address_info a = {0}, b = {0};
	char again[300];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		CHECK(sd_address_check(cases[i].in, &a) == SMTPDOC_OK);
		CHECK(a.valid);
		CHECK_STR(a.domain, cases[i].domain);
		CHECK_STR(a.domain_ascii, cases[i].domain_ascii);
		/* each form checks back to the same pair */
		(void)snprintf(again, sizeof(again), "%s", a.address_ascii ? a.address_ascii : "");
		CHECK(sd_address_check(again, &b) == SMTPDOC_OK && b.valid);
		CHECK_STR(b.domain, cases[i].domain);
		(void)snprintf(again, sizeof(again), "%s", a.address ? a.address : "");
		CHECK(sd_address_check(again, &b) == SMTPDOC_OK && b.valid);
		CHECK_STR(b.domain_ascii, cases[i].domain_ascii);
		CHECK(b.changes == 0);
	}
	sd_address_info_free(&a);
	sd_address_info_free(&b);
}

/* ---- flags ------------------------------------------------------------------- */

static const struct {
	const char *in;
	int role, disposable, freemail, literal, smtputf8;
} flag_cases[] = {
	{"john@example.com", 0, 0, 0, 0, 0},
	{"postmaster@example.com", 1, 0, 0, 0, 0},
	{"Info@example.com", 1, 0, 0, 0, 0},
	{"SALES+europe@example.com", 1, 0, 0, 0, 0},
	{"noreply@example.com", 1, 0, 0, 0, 0},
	{"no-reply@example.com", 1, 0, 0, 0, 0},
	{"abuse@gmail.com", 1, 0, 1, 0, 0},
	{"infos@example.com", 0, 0, 0, 0, 0},
	{"\"postmaster\"@example.com", 0, 0, 0, 0, 0},
	{"x@mailinator.com", 0, 1, 0, 0, 0},
	{"x@eu.mailinator.com", 0, 1, 0, 0, 0},
	{"x@MAILINATOR.COM", 0, 1, 0, 0, 0},
	{"x@notmailinator.com", 0, 0, 0, 0, 0},
	{"x@mailinator.com.example.org", 0, 0, 0, 0, 0},
	{"x@yopmail.com", 0, 1, 0, 0, 0},
	{"x@gmail.com", 0, 0, 1, 0, 0},
	{"x@yahoo.co.jp", 0, 0, 1, 0, 0},
	{"x@web.de", 0, 0, 1, 0, 0},
	{"x@mail.google.com", 0, 0, 0, 0, 0},
	{"x@[192.0.2.1]", 0, 0, 0, 1, 0},
	{"jörg@example.com", 0, 0, 0, 0, 1},
	{"user@münchen.de", 0, 0, 0, 0, 0},
	{"用户@例子.中国", 0, 0, 0, 0, 1},
};

static void
test_flags(void)
{
	sd_address_info a = {0};
	size_t i;

	for (i = 0; i < NELEM(flag_cases); i++) {
		CHECK(sd_address_check(flag_cases[i].in, &a) == SMTPDOC_OK);
		CHECK(a.valid);
		if (a.role != flag_cases[i].role || a.disposable != flag_cases[i].disposable ||
		    a.freemail != flag_cases[i].freemail)
			fprintf(stderr, "\"%s\": role %d disposable %d freemail %d\n",
				flag_cases[i].in, a.role, a.disposable, a.freemail);
		CHECK(a.role == flag_cases[i].role);
		CHECK(a.disposable == flag_cases[i].disposable);
		CHECK(a.freemail == flag_cases[i].freemail);
		CHECK(a.literal == flag_cases[i].literal);
		CHECK(a.smtputf8 == flag_cases[i].smtputf8);
	}
	/* direct lookups */
	CHECK(sd_address_is_role("webmaster", 9));
	CHECK(sd_address_is_role("WebMaster+x", 11));
	CHECK(!sd_address_is_role("+postmaster", 11));
	CHECK(!sd_address_is_role("", 0));
	CHECK(sd_address_is_disposable("a.b.guerrillamail.com", 21));
	CHECK(!sd_address_is_disposable("com", 3));
	CHECK(sd_address_is_freemail("outlook.com", 11));
	CHECK(sd_address_is_lookalike("wahoo.com", 9));
	CHECK(!sd_address_is_lookalike("yahoo.com", 9));
	sd_address_info_free(&a);
}

/* ---- suggestions ------------------------------------------------------------- */

static const struct {
	const char *in;
	int has_mx;
	sd_suggest_kind kind;
	const char *domain;     /* NULL: no suggestion */
	unsigned distance;
	const char *address;
} suggest_cases[] = {
	{"john@gmial.com", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 1, "john@gmail.com"},
	{"jane@hotmial.com", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "hotmail.com", 1, "jane@hotmail.com"},
	{"a@yahooo.com", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "yahoo.com", 1, "a@yahoo.com"},
	{"x@outlok.com", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "outlook.com", 1, "x@outlook.com"},
	{"bob@gmail.con", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 1, "bob@gmail.com"},
	{"bob@gmail.co", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 1, "bob@gmail.com"},
	{"bob@gmail.net", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 3, "bob@gmail.com"},
	{"Bob@GMIAL.COM", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 1, "Bob@gmail.com"},
	{" <john@gmial.com> ", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 1, "john@gmail.com"},
	{"jane@gmail,com", SD_MX_UNKNOWN, SD_SUGGEST_PROVIDER, "gmail.com", 1, "jane@gmail.com"},
	{"john@gmial.com", 0, SD_SUGGEST_PROVIDER, "gmail.com", 1, "john@gmail.com"},
	/* the caller found working MX records: never a suggestion */
	{"john@gmial.com", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"jane@hotmial.com", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"a@yahooo.com", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@outlok.com", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"bob@gmail.con", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@example.con", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	/* ending slips on any domain */
	{"x@example.con", SD_MX_UNKNOWN, SD_SUGGEST_TLD, "example.com", 1, "x@example.com"},
	{"x@example.cmo", SD_MX_UNKNOWN, SD_SUGGEST_TLD, "example.com", 1, "x@example.com"},
	{"x@shop.example.comm", SD_MX_UNKNOWN, SD_SUGGEST_TLD, "shop.example.com", 1, "x@shop.example.com"},
	{"x@example.ogr", SD_MX_UNKNOWN, SD_SUGGEST_TLD, "example.org", 1, "x@example.org"},
	/* .co and .cm exist: only when the domain has no MX */
	{"x@example.co", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@example.co", 0, SD_SUGGEST_TLD, "example.com", 1, "x@example.com"},
	{"x@example.cm", 0, SD_SUGGEST_TLD, "example.com", 1, "x@example.com"},
	{"x@example.co", 1, SD_SUGGEST_NONE, NULL, 0, NULL},
	/* real domains stay alone */
	{"x@gmail.com", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@example.com", 0, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@hotmart.com", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@wahoo.com", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@yahoo.co.jp", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@yahoo.ie", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@sina.cn", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@mall.com", SD_MX_UNKNOWN, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"x@[192.0.2.1]", 0, SD_SUGGEST_NONE, NULL, 0, NULL},
	{"nodomain", 0, SD_SUGGEST_NONE, NULL, 0, NULL},
};

static void
test_suggest(void)
{
	sd_address_info a = {0};
	sd_suggestion s;
	size_t i;
	char big[400];
	int got;

	for (i = 0; i < NELEM(suggest_cases); i++) {
		CHECK(sd_address_check(suggest_cases[i].in, &a) == SMTPDOC_OK);
		memset(&s, 0xA5, sizeof(s)); /* the call must clear it */
		got = sd_address_suggest(&a, suggest_cases[i].has_mx, NULL, 0, &s);
		if (got != (suggest_cases[i].domain != NULL))
			fprintf(stderr, "\"%s\" (mx %d): suggestion %s, want %s\n", suggest_cases[i].in,
				suggest_cases[i].has_mx, got ? s.domain : "none",
				suggest_cases[i].domain ? suggest_cases[i].domain : "none");
		CHECK(got == (suggest_cases[i].domain != NULL));
		CHECK(s.kind == suggest_cases[i].kind);
		if (suggest_cases[i].domain == NULL) {
			CHECK_STR(s.domain, "");
			CHECK_STR(s.address, "");
			continue;
		}
		CHECK_STR(s.domain, suggest_cases[i].domain);
		CHECK_STR(s.address, suggest_cases[i].address);
		CHECK(s.distance == suggest_cases[i].distance);
	}

	/* a local part too long for the corrected address: the domain only */
	memset(big, 'l', 320);
	strcpy(big + 320, "@gmial.com");
	CHECK(sd_address_check(big, &a) == SMTPDOC_OK && !a.valid);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, NULL, 0, &s) == 1);
	CHECK_STR(s.domain, "gmail.com");
	CHECK_STR(s.address, "");
	/* the longest domain looked at, whose fixed ending would be longer
	 * (fuzz/corpus/fuzz_address/regress-tld-fix-past-limit) */
	memset(big, 'd', 100);
	memcpy(big, "x@", 2);
	memcpy(big + 2 + SD_TYPO_DOMAIN_MAX - 3, ".cm", 4);
	CHECK(strlen(big + 2) == SD_TYPO_DOMAIN_MAX);
	CHECK(sd_address_check(big, &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, 0, NULL, 0, &s) == 0);
	memcpy(big + 2 + SD_TYPO_DOMAIN_MAX - 4, ".cm", 4); /* one shorter: it fits */
	CHECK(sd_address_check(big, &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, 0, NULL, 0, &s) == 1 && s.kind == SD_SUGGEST_TLD);
	CHECK(strlen(s.domain) == SD_TYPO_DOMAIN_MAX);
	CHECK(sd_address_suggest(NULL, SD_MX_UNKNOWN, NULL, 0, &s) == 0);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, NULL, 0, NULL) == 0);
	CHECK_STR(sd_suggest_kind_id(SD_SUGGEST_FREQUENT), "frequent");
	CHECK_STR(sd_suggest_kind_id(SD_SUGGEST_NONE), "none");
	sd_address_info_free(&a);
}

/* Bulk mode: close to a domain far more frequent in the same list. */
static void
test_suggest_frequent(void)
{
	static const sd_domcount freq[] = {
		{"acmecorp.com", 400}, {"acmecrap.com", 60}, {"example.org", 40},
		{"rarely.net", 4}, {"gmail.com", 3},
	};
	sd_address_info a = {0};
	sd_suggestion s;

	CHECK(sd_address_check("bob@acmecrop.com", &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, freq, NELEM(freq), &s) == 1);
	CHECK(s.kind == SD_SUGGEST_FREQUENT);
	CHECK_STR(s.domain, "acmecorp.com");
	CHECK_STR(s.address, "bob@acmecorp.com");
	CHECK(s.distance == 1);
	/* without the table, or with working MX: nothing */
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, NULL, 0, &s) == 0);
	CHECK(sd_address_suggest(&a, 1, freq, NELEM(freq), &s) == 0);
	/* a frequent domain itself, and one too frequent to be a slip */
	CHECK(sd_address_check("bob@acmecorp.com", &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, freq, NELEM(freq), &s) == 0);
	CHECK(sd_address_check("bob@acmecrap.com", &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, freq, NELEM(freq), &s) == 0);
	/* close to a domain seen fewer than 5 times: nothing */
	CHECK(sd_address_check("bob@rarley.net", &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, freq, NELEM(freq), &s) == 0);
	/* too far */
	CHECK(sd_address_check("bob@acme.com", &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, freq, NELEM(freq), &s) == 0);
	/* the provider list comes first */
	CHECK(sd_address_check("bob@gmial.com", &a) == SMTPDOC_OK);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, freq, NELEM(freq), &s) == 1);
	CHECK(s.kind == SD_SUGGEST_PROVIDER);
	sd_address_info_free(&a);
}

static void
test_domfreq(void)
{
	static const char *const doms[] = {
		"b.com", "a.com", "c.com", "a.com", "b.com", "a.com", "d.com", "c.com",
	};
	sd_domfreq *f = sd_domfreq_new();
	const sd_domcount *top;
	size_t i, n = 99;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(sd_domfreq_top(f, 10, &n) == NULL && n == 0);
	for (i = 0; i < NELEM(doms); i++)
		CHECK(sd_domfreq_add(f, doms[i]) == 0);
	top = sd_domfreq_top(f, 3, &n);
	CHECK(top != NULL && n == 3);
	if (top != NULL && n == 3) {
		CHECK_STR(top[0].domain, "a.com");
		CHECK(top[0].count == 3);
		CHECK_STR(top[1].domain, "b.com"); /* 2 each: byte order */
		CHECK_STR(top[2].domain, "c.com");
		CHECK(top[2].count == 2);
	}
	top = sd_domfreq_top(f, 100, &n);
	CHECK(n == 4);
	CHECK(sd_domfreq_add(f, NULL) == -1);
	sd_domfreq_free(f);
	sd_domfreq_free(NULL);

	/* many distinct domains: the set grows */
	f = sd_domfreq_new();
	for (i = 0; f != NULL && i < 5000; i++) {
		char d[32];
		(void)snprintf(d, sizeof(d), "d%zu.example", i % 2500);
		CHECK(sd_domfreq_add(f, d) == 0);
	}
	top = sd_domfreq_top(f, 1, &n);
	CHECK(n == 1 && top != NULL && top[0].count == 2);
	sd_domfreq_free(f);
}

/* ---- the compiled lists are the text files ----------------------------------- */

/* read_list - the entries (first word of each line that is not blank or a
 * comment) of a data file; *n gets how many; NULL when it cannot be read */
static char **
read_list(const char *name, size_t *n)
{
	char path[512], line[512];
	char **v = NULL;
	size_t cap = 0;
	FILE *fp;

	*n = 0;
	(void)snprintf(path, sizeof(path), "%s%s", DATA_DIR, name);
	fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *s = line, *e;
		char *hash = strchr(s, '#');
		if (hash != NULL)
			*hash = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		for (e = s; *e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r'; e++)
			;
		if (e == s)
			continue;
		*e = '\0';
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			if (v == NULL)
				break;
		}
		v[(*n)++] = strdup(s);
	}
	fclose(fp);
	return v;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
test_lists(void)
{
	char **v;
	size_t n, i;

	v = read_list("role-accounts.txt", &n);
	CHECK(v != NULL && n == sd_role_accounts_count);
	for (i = 0; v != NULL && i < n && i < sd_role_accounts_count; i++) {
		CHECK_STR(sd_role_accounts[i], v[i]);
		CHECK(sd_address_is_role(v[i], strlen(v[i])));
	}
	free_list(v, n);

	v = read_list("disposable-domains.txt", &n);
	CHECK(v != NULL && n == sd_disposable_domains_count);
	for (i = 0; v != NULL && i < n && i < sd_disposable_domains_count; i++) {
		CHECK_STR(sd_disposable_domains[i], v[i]);
		CHECK(sd_address_is_disposable(v[i], strlen(v[i])));
		CHECK(!sd_address_is_freemail(v[i], strlen(v[i])));
	}
	free_list(v, n);

	v = read_list("mail-providers.txt", &n);
	CHECK(v != NULL && n == sd_mail_providers_count);
	for (i = 0; v != NULL && i < n && i < sd_mail_providers_count; i++) {
		CHECK_STR(sd_mail_providers[i].domain, v[i]);
		CHECK(sd_address_is_freemail(v[i], strlen(v[i])));
		CHECK(!sd_address_is_disposable(v[i], strlen(v[i])));
		/* a provider is never "corrected" */
		CHECK(sd_typo_provider(v[i], strlen(v[i]), NULL) == NULL);
	}
	free_list(v, n);
	CHECK(sd_mail_providers[0].flags == (SD_PROVIDER_TYPO | SD_PROVIDER_ONE_TLD));

	v = read_list("typo-lookalikes.txt", &n);
	CHECK(v != NULL && n == sd_typo_lookalikes_count);
	for (i = 0; v != NULL && i < n; i++)
		CHECK(sd_address_is_lookalike(v[i], strlen(v[i])));
	free_list(v, n);
	CHECK(sd_address_lists_init() == 0);
}

/* ---- memory and hostile input ------------------------------------------------- */

/* valid_utf8 - s holds only well-formed UTF-8 */
static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	unsigned cp;

	while (i < n) {
		k = sd_utf8_next(p + i, n - i, &cp);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* consistent - what every result must hold */
static int
consistent(const sd_address_info *a)
{
	if (a->input == NULL || a->address == NULL || !valid_utf8(a->input))
		return 0;
	if (a->valid)
		return a->error == SD_ADDRESS_EOK && a->reason == NULL && a->local != NULL &&
		       a->domain != NULL && a->domain_ascii != NULL && a->address_ascii != NULL &&
		       strlen(a->address_ascii) <= SD_ADDRESS_PATH_MAX && valid_utf8(a->address);
	return a->error != SD_ADDRESS_EOK && a->reason != NULL && a->address_ascii == NULL;
}

static void
test_hostile(void)
{
	static const char alphabet[] = "aZ9.@@\"\\ <>()[]:;,-_'+\t\r\n\x00\x01\x7f"
				       "\xc3\xa9\xe2\x80\x8b\xef\xbc\xa0\xff\xc0\xed\xe4\xb8\xad";
	sd_address_info a = {0};
	sd_suggestion s;
	char buf[300], *huge;
	uint32_t seed = 12345;
	size_t i, j, n, huge_n = 3u * 1024 * 1024;
	int all_ok = 1;

	/* NUL inside: refused, and shown as U+FFFD */
	CHECK(sd_address_check_n("jo\0hn@example.com", 17, &a) == SMTPDOC_OK);
	CHECK(a.error == SD_ADDRESS_ENUL);
	CHECK_STR(a.reason, "the address contains a NUL byte (at byte 3)");
	CHECK_STR(a.input, "jo\xef\xbf\xbdhn@example.com");
	CHECK(sd_address_check_n("j\xffo", 3, &a) == SMTPDOC_OK);
	CHECK_STR(a.input, "j\xef\xbf\xbdo");
	/* NULL input and NULL info */
	CHECK(sd_address_check(NULL, &a) == SMTPDOC_OK && a.error == SD_ADDRESS_EEMPTY);
	CHECK(sd_address_check("x@example.com", NULL) == SMTPDOC_EINVAL);
	sd_address_info_free(NULL);

	/* megabytes: refused unread, input kept at the cap */
	huge = malloc(huge_n);
	CHECK(huge != NULL);
	if (huge != NULL) {
		memset(huge, 'a', huge_n);
		memcpy(huge + huge_n - 12, "@example.com", 12);
		CHECK(sd_address_check_n(huge, huge_n, &a) == SMTPDOC_OK);
		CHECK(a.error == SD_ADDRESS_EINPUT_TOO_LONG);
		CHECK(strlen(a.input) == SD_ADDRESS_INPUT_MAX);
		/* just under the cap: a full check, linear */
		memcpy(huge + SD_ADDRESS_INPUT_MAX - 12, "@example.com", 12);
		CHECK(sd_address_check_n(huge, SD_ADDRESS_INPUT_MAX, &a) == SMTPDOC_OK);
		CHECK(a.error == SD_ADDRESS_ELOCAL_TOO_LONG);
		/* brackets nested thousands deep */
		for (i = 0; i < SD_ADDRESS_INPUT_MAX / 2; i++) {
			huge[i] = '<';
			huge[SD_ADDRESS_INPUT_MAX - 1 - i] = '>';
		}
		CHECK(sd_address_check_n(huge, SD_ADDRESS_INPUT_MAX, &a) == SMTPDOC_OK);
		CHECK(consistent(&a));
		/* all quotes, all @, all dots, all mailto: */
		memset(huge, '"', SD_ADDRESS_INPUT_MAX);
		CHECK(sd_address_check_n(huge, SD_ADDRESS_INPUT_MAX, &a) == SMTPDOC_OK && consistent(&a));
		memset(huge, '@', SD_ADDRESS_INPUT_MAX);
		CHECK(sd_address_check_n(huge, SD_ADDRESS_INPUT_MAX, &a) == SMTPDOC_OK && consistent(&a));
		memset(huge, '.', SD_ADDRESS_INPUT_MAX);
		CHECK(sd_address_check_n(huge, SD_ADDRESS_INPUT_MAX, &a) == SMTPDOC_OK && consistent(&a));
		for (i = 0; i + 7 <= SD_ADDRESS_INPUT_MAX; i += 7)
			memcpy(huge + i, "mailto:", 7);
		CHECK(sd_address_check_n(huge, i, &a) == SMTPDOC_OK && consistent(&a));
		/* a domain of thousands of non-ASCII letters */
		memcpy(huge, "x@", 2);
		for (i = 2; i + 2 <= SD_ADDRESS_INPUT_MAX; i += 2)
			memcpy(huge + i, "\xc3\xbc", 2);
		CHECK(sd_address_check_n(huge, i, &a) == SMTPDOC_OK && consistent(&a));
		CHECK(a.error == SD_ADDRESS_EDOMAIN_TOO_LONG);
		free(huge);
	}

	/* random strings from a nasty alphabet: never a crash, always a
	 * consistent result; the same info reused every time */
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % sizeof(buf);
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			buf[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (sd_address_check_n(buf, n, &a) != SMTPDOC_OK || !consistent(&a)) {
			all_ok = 0;
			break;
		}
		(void)sd_address_suggest(&a, SD_MX_UNKNOWN, NULL, 0, &s);
	}
	CHECK(all_ok);
	sd_address_info_free(&a);
	CHECK(a.mem_ == NULL && a.input == NULL);
}

/* The hints of explain use the same misspelling check. */
static void
test_hints_agree(void)
{
	static const char *const typos[] = {
		"john@gmial.com", "jane@hotmial.com", "a@yahooo.com", "x@outlok.com", "bob@gmail.con",
	};
	sd_address_info a = {0};
	sd_suggestion s;
	smtpdoc_hints h;
	size_t i;

	for (i = 0; i < NELEM(typos); i++) {
		smtpdoc_address_hints(typos[i], &h);
		CHECK(sd_address_check(typos[i], &a) == SMTPDOC_OK);
		CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, NULL, 0, &s) == 1);
		CHECK_STR(h.suggestion, s.address);
	}
	sd_address_info_free(&a);
}

int
main(void)
{
	test_valid();
	test_invalid();
	test_limits();
	test_clean();
	test_change_names();
	test_idn();
	test_flags();
	test_suggest();
	test_suggest_frequent();
	test_domfreq();
	test_lists();
	test_hostile();
	test_hints_agree();
	TEST_MAIN_END();
}
