/*
 * test_address_file.c - unit tests of the address list reader
 * (address_file.c): plain lists and CSV (RFC 4180 quotes, separators and
 * line breaks inside quotes, "" escapes), the choice of the address
 * column, comments, blank lines, byte order mark, LF/CRLF/CR, bad lines
 * with their numbers, a missing column, read errors, and a long list read
 * as a stream.
 */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "testutil.h"

/* One event as read: 'A' address, 'B' bad line, 'E' end, 'X' error. */
typedef struct event {
	char kind;
	unsigned long line;
	char text[256];
	size_t len;
} event;

#define MAX_EVENTS 64

/* read_all - every event of a list held in memory, the last one E or X;
 * returns how many */
static size_t
read_all(const char *data, size_t len, const sd_addrlist_opts *opts, event *ev,
	 char *column, size_t colsz)
{
	FILE *fp = fmemopen((void *)data, len, "r");
	sd_addrlist *r;
	sd_addrlist_item it;
	sd_addrlist_status st;
	size_t n = 0;

	if (column != NULL)
		column[0] = '\0';
	if (fp == NULL)
		return 0;
	r = sd_addrlist_new(fp, opts);
	if (r == NULL) {
		fclose(fp);
		return 0;
	}
	do {
		st = sd_addrlist_next(r, &it);
		ev[n].kind = st == SD_ADDRLIST_ADDRESS ? 'A' : st == SD_ADDRLIST_BAD ? 'B'
			   : st == SD_ADDRLIST_END ? 'E' : 'X';
		ev[n].line = it.line;
		ev[n].len = it.len;
		(void)snprintf(ev[n].text, sizeof(ev[n].text), "%s", it.text ? it.text : "(null)");
		n++;
	} while ((st == SD_ADDRLIST_ADDRESS || st == SD_ADDRLIST_BAD) && n < MAX_EVENTS);
	/* after the end, the same again */
	CHECK(sd_addrlist_next(r, &it) == st);
	if (column != NULL && sd_addrlist_column(r) != NULL)
		(void)snprintf(column, colsz, "%s", sd_addrlist_column(r));
	sd_addrlist_free(r);
	fclose(fp);
	return n;
}

/* expect - the events match "kind line text" triples */
typedef struct want {
	char kind;
	unsigned long line;
	const char *text; /* A: exact; B, X: words in it; E: NULL */
} want;

static void
expect(const char *name, const event *ev, size_t n, const want *w, size_t nw)
{
	size_t i;
	int ok = n == nw;

	for (i = 0; ok && i < n; i++) {
		if (ev[i].kind != w[i].kind || ev[i].line != w[i].line)
			ok = 0;
		else if (w[i].kind == 'A' && strcmp(ev[i].text, w[i].text) != 0)
			ok = 0;
		else if ((w[i].kind == 'B' || w[i].kind == 'X') && strstr(ev[i].text, w[i].text) == NULL)
			ok = 0;
	}
	if (!ok) {
		fprintf(stderr, "%s: got\n", name);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %c %lu [%s]\n", ev[i].kind, ev[i].line, ev[i].text);
	}
	CHECK(ok);
}

#define EXPECT(name, ev, n, w) expect(name, ev, n, w, sizeof(w) / sizeof((w)[0]))
#define S(lit) lit, sizeof(lit) - 1

static void
test_csv(void)
{
	static const char data[] =
		"\xef\xbb\xbf" "Name,\"E-Mail\",Phone\r\n"       /* 1: BOM, header */
		"# people\r\n"                                  /* 2 */
		"\"Smith, John\",john@example.com,123\r\n"      /* 3: embedded comma */
		"\r\n"                                          /* 4: blank */
		"Jane, \"jane@example.com\" ,5\r\n"             /* 5: spaces around quotes */
		"\"multi\nline\",\"a@example.com\"\n"           /* 6-7: line break in quotes */
		"\"O\"\"Brien\",\"o'brien@example.ie\",7\n"     /* 8: "" escape */
		"short\n"                                       /* 9: no address column */
		"\"bad\"x,b@example.com,1\n"                    /* 10: text after quote */
		"Ann,,9\n"                                      /* 11: empty field */
		"Bob, bob@example.com ,9\n"                     /* 12: spaces kept */
		"\"Doe; Jr\",\"x,y\"\"z\"\"@example.com\",1\n"  /* 13: comma and quote in the address */
		"Eve,\"unclosed@example.com,2\n";               /* 14: never closed */
	static const want w[] = {
		{'A', 3, "john@example.com"},
		{'A', 5, "jane@example.com"},
		{'A', 6, "a@example.com"},
		{'A', 8, "o'brien@example.ie"},
		{'B', 9, "1 field; the address is field 2 (E-Mail)"},
		{'B', 10, "text after the closing quote"},
		{'B', 11, "E-Mail field is empty"},
		{'A', 12, " bob@example.com "},
		{'A', 13, "x,y\"z\"@example.com"},
		{'B', 14, "unbalanced quote"},
		{'E', 14, NULL},
	};
	event ev[MAX_EVENTS];
	char col[64];
	size_t n = read_all(S(data), NULL, ev, col, sizeof(col));

	EXPECT("csv", ev, n, w);
	CHECK_STR(col, "E-Mail");
}

static void
test_csv_separators(void)
{
	static const char semi[] = "name;email;city\nAnn;ann@example.com;Bonn\n\"B;C\";bc@example.com;X\n";
	static const want wsemi[] = {
		{'A', 2, "ann@example.com"}, {'A', 3, "bc@example.com"}, {'E', 3, NULL},
	};
	static const char tab[] = "email\tname\ntab@example.com\tT, Ab\n";
	static const want wtab[] = {{'A', 2, "tab@example.com"}, {'E', 2, NULL}};
	/* one column, named like one: a CSV with a single field */
	static const char single[] = "Email Address\n\"one@example.com\"\ntwo@example.com\n";
	static const want wsingle[] = {
		{'A', 2, "one@example.com"}, {'A', 3, "two@example.com"}, {'E', 3, NULL},
	};
	/* CR alone ends lines too */
	static const char cr[] = "id,mail\r1,cr@example.com\r2,cr2@example.com";
	static const want wcr[] = {
		{'A', 2, "cr@example.com"}, {'A', 3, "cr2@example.com"}, {'E', 3, NULL},
	};
	event ev[MAX_EVENTS];
	char col[64];
	size_t n;

	n = read_all(S(semi), NULL, ev, col, sizeof(col));
	EXPECT("semicolons", ev, n, wsemi);
	n = read_all(S(tab), NULL, ev, col, sizeof(col));
	EXPECT("tabs", ev, n, wtab);
	n = read_all(S(single), NULL, ev, col, sizeof(col));
	EXPECT("single column", ev, n, wsingle);
	CHECK_STR(col, "Email Address");
	n = read_all(S(cr), NULL, ev, col, sizeof(col));
	EXPECT("CR line ends", ev, n, wcr);
}

static void
test_csv_columns(void)
{
	/* an e-mail name wins over "Address" (often a postal one) */
	static const char crm[] = "Name,Address,Email\nAnn,1 Main St,ann@example.com\n";
	static const want wcrm[] = {{'A', 2, "ann@example.com"}, {'E', 2, NULL}};
	/* without one, "Address" is taken */
	static const char loose[] = "Name,Address\nAnn,ann@example.com\n";
	static const want wloose[] = {{'A', 2, "ann@example.com"}, {'E', 2, NULL}};
	/* the caller names the column */
	static const char named[] = "Email,Work Mail\nhome@example.com,work@example.com\n";
	static const want wnamed[] = {{'A', 2, "work@example.com"}, {'E', 2, NULL}};
	/* no address column: reading stops */
	static const char none[] = "Name,Phone\nAnn,123\n";
	static const want wnone[] = {{'X', 1, "names no e-mail column"}};
	static const want wmissing[] = {{'X', 1, "no column named 'Mail2'"}};
	sd_addrlist_opts opts = {SD_ADDRLIST_AUTO, "work mail"};
	event ev[MAX_EVENTS];
	char col[64];
	size_t n;

	n = read_all(S(crm), NULL, ev, col, sizeof(col));
	EXPECT("crm", ev, n, wcrm);
	CHECK_STR(col, "Email");
	n = read_all(S(loose), NULL, ev, col, sizeof(col));
	EXPECT("loose", ev, n, wloose);
	CHECK_STR(col, "Address");
	n = read_all(S(named), &opts, ev, col, sizeof(col));
	EXPECT("named", ev, n, wnamed);
	CHECK_STR(col, "Work Mail");
	n = read_all(S(none), NULL, ev, col, sizeof(col));
	EXPECT("none", ev, n, wnone);
	CHECK_STR(col, "");
	opts.column = "Mail2";
	n = read_all(S(named), &opts, ev, col, sizeof(col));
	EXPECT("missing", ev, n, wmissing);
}

static void
test_plain(void)
{
	static const char data[] =
		"\xef\xbb\xbf" "a@example.com\n"     /* 1 */
		"\n"                                 /* 2 */
		"   # a comment\n"                   /* 3 */
		"  b@example.com  \r\n"              /* 4: spaces kept for the check */
		"John <john@example.com>\n"          /* 5 */
		"Doe, Jane <jane@example.com>\n"     /* 6: a comma, yet plain */
		"broken\n"                           /* 7 */
		"last@example.com";                  /* 8: no final line end */
	static const want w[] = {
		{'A', 1, "a@example.com"},
		{'A', 4, "  b@example.com  "},
		{'A', 5, "John <john@example.com>"},
		{'A', 6, "Doe, Jane <jane@example.com>"},
		{'A', 7, "broken"},
		{'A', 8, "last@example.com"},
		{'E', 8, NULL},
	};
	/* a header-like first line read as an address when asked to */
	static const char forced[] = "email\nx@example.com\n";
	static const want wforced[] = {{'A', 1, "email"}, {'A', 2, "x@example.com"}, {'E', 2, NULL}};
	/* and a CSV forced on a first line that has an @ */
	static const char csv[] = "x@example.com,name\ny@example.com,z\n";
	static const want wcsv[] = {{'X', 1, "names no e-mail column"}};
	sd_addrlist_opts plain = {SD_ADDRLIST_PLAIN, NULL}, force_csv = {SD_ADDRLIST_CSV, NULL};
	event ev[MAX_EVENTS];
	char col[64];
	size_t n;

	n = read_all(S(data), NULL, ev, col, sizeof(col));
	EXPECT("plain", ev, n, w);
	CHECK_STR(col, "");
	n = read_all(S(forced), &plain, ev, col, sizeof(col));
	EXPECT("forced plain", ev, n, wforced);
	n = read_all(S(csv), &force_csv, ev, col, sizeof(col));
	EXPECT("forced csv", ev, n, wcsv);
	/* empty input and only comments */
	n = read_all(S(""), NULL, ev, NULL, 0);
	CHECK(n == 1 && ev[0].kind == 'E');
	n = read_all(S("# nothing\n\n"), NULL, ev, NULL, 0);
	CHECK(n == 1 && ev[0].kind == 'E' && ev[0].line == 2);
}

/* Lines with NULs, very long lines, quotes open for many lines. */
static void
test_hostile_lists(void)
{
	static const char nul[] = "a\0b@example.com\nc@example.com\n";

	static const char csvnul[] = "email,n\n\0x@example.com,1\n";
	size_t big = SD_ADDRLIST_LINE_MAX + 100, i, n;
	char *data = malloc(big * 2 + 200);
	event ev[MAX_EVENTS];
	char *p;

	n = read_all(nul, sizeof(nul) - 1, NULL, ev, NULL, 0);
	CHECK(n == 3 && ev[0].kind == 'A' && ev[0].len == 15 && ev[1].kind == 'A');
	/* a field that opens with NUL is not empty */
	n = read_all(csvnul, sizeof(csvnul) - 1, NULL, ev, NULL, 0);
	CHECK(n == 2 && ev[0].kind == 'A' && ev[0].len == 14 && ev[0].line == 2);
	CHECK(data != NULL);
	if (data == NULL)
		return;

	/* plain: a line over the cap is bad, the next one is read */
	memset(data, 'x', big);
	memcpy(data + big, "\nok@example.com\n", 16);
	n = read_all(data, big + 16, NULL, ev, NULL, 0);
	CHECK(n == 3 && ev[0].kind == 'B' && ev[0].line == 1 && strstr(ev[0].text, "longer") != NULL);
	CHECK(ev[1].kind == 'A' && ev[1].line == 2 && strcmp(ev[1].text, "ok@example.com") == 0);

	/* CSV: the same */
	p = data;
	memcpy(p, "email\n", 6);
	p += 6;
	memset(p, 'y', big);
	p += big;
	memcpy(p, "\nok@example.com\n", 16);
	p += 16;
	n = read_all(data, (size_t)(p - data), NULL, ev, NULL, 0);
	CHECK(n == 3 && ev[0].kind == 'B' && ev[0].line == 2 && ev[1].kind == 'A' && ev[1].line == 3);

	/* a quote left open for more lines than a record may span */
	p = data;
	memcpy(p, "email\n\"open\n", 12);
	p += 12;
	for (i = 0; i < SD_ADDRLIST_RECORD_LINES + 10; i++)
		*p++ = '\n';
	memcpy(p, "after@example.com\n", 18);
	p += 18;
	n = read_all(data, (size_t)(p - data), NULL, ev, NULL, 0);
	CHECK(n >= 2 && ev[0].kind == 'B' && ev[0].line == 2 && strstr(ev[0].text, "quote") != NULL);
	CHECK(n >= 2 && ev[n - 2].kind == 'A' && strcmp(ev[n - 2].text, "after@example.com") == 0);
	free(data);
}

/* A list far larger than the reader's buffers, read as a stream. */
static void
test_stream(void)
{
	FILE *fp = tmpfile();
	sd_addrlist *r;
	sd_addrlist_item it;
	sd_addrlist_status st = SD_ADDRLIST_ERROR;
	unsigned long i, lines = 200000, got = 0, bad = 0, order_ok = 1;
	char expected[64];

	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	fputs("id,\"e-mail\",note\n", fp);
	for (i = 0; i < lines; i++) {
		if (i % 1000 == 500)
			fputs("broken,\"\n", fp); /* unbalanced: eats the next line */
		else
			fprintf(fp, "%lu,\"user%lu@example.com\",\"a, b\"\n", i, i);
	}
	rewind(fp);
	r = sd_addrlist_new(fp, NULL);
	CHECK(r != NULL);
	while (r != NULL && ((st = sd_addrlist_next(r, &it)) == SD_ADDRLIST_ADDRESS || st == SD_ADDRLIST_BAD)) {
		if (st == SD_ADDRLIST_BAD) {
			bad++;
			continue;
		}
		i = it.line - 2;
		(void)snprintf(expected, sizeof(expected), "user%lu@example.com", i);
		if (strcmp(it.text, expected) != 0)
			order_ok = 0;
		got++;
	}
	CHECK(st == SD_ADDRLIST_END);
	CHECK(order_ok);
	/* each broken line takes the next one with it */
	CHECK(bad == lines / 1000);
	CHECK(got == lines - 2 * (lines / 1000));
	sd_addrlist_free(r);
	fclose(fp);
}

static void
test_read_error(void)
{
	FILE *fp = fopen("/dev/null", "w"); /* reading it fails */
	sd_addrlist *r;
	sd_addrlist_item it;

	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	r = sd_addrlist_new(fp, NULL);
	CHECK(r != NULL);
	CHECK(sd_addrlist_next(r, &it) == SD_ADDRLIST_ERROR);
	CHECK(it.text != NULL && strstr(it.text, "cannot be read") != NULL);
	CHECK(sd_addrlist_next(r, &it) == SD_ADDRLIST_ERROR);
	sd_addrlist_free(r);
	fclose(fp);
	CHECK(sd_addrlist_new(NULL, NULL) == NULL);
	CHECK(sd_addrlist_next(NULL, &it) == SD_ADDRLIST_ERROR);
	sd_addrlist_free(NULL);
}

/* The reader and the check together, as verify --file uses them. */
static void
test_with_check(void)
{
	static const char data[] = "Name,Email\n"
				   "\"Smith, John\",\" <John@Example.COM> \"\n"
				   "Jane,jane@gmial.com\n"
				   "Bad,not-an-address\n";
	FILE *fp = fmemopen((void *)data, sizeof(data) - 1, "r");
	sd_addrlist *r = fp ? sd_addrlist_new(fp, NULL) : NULL;
	sd_address_info a = {0};
	sd_addrlist_item it;
	sd_suggestion s;

	CHECK(r != NULL);
	if (r == NULL) {
		if (fp)
			fclose(fp);
		return;
	}
	CHECK(sd_addrlist_next(r, &it) == SD_ADDRLIST_ADDRESS);
	CHECK(sd_address_check_n(it.text, it.len, &a) == SMTPDOC_OK && a.valid);
	CHECK_STR(a.address, "John@example.com");
	CHECK(a.changes == (SD_ADDRESS_CHANGED_SPACE | SD_ADDRESS_CHANGED_BRACKETS |
			    SD_ADDRESS_CHANGED_DOMAIN_CASE));
	CHECK(sd_addrlist_next(r, &it) == SD_ADDRLIST_ADDRESS);
	CHECK(sd_address_check_n(it.text, it.len, &a) == SMTPDOC_OK && a.valid);
	CHECK(sd_address_suggest(&a, SD_MX_UNKNOWN, NULL, 0, &s) == 1);
	CHECK_STR(s.address, "jane@gmail.com");
	CHECK(sd_addrlist_next(r, &it) == SD_ADDRLIST_ADDRESS);
	CHECK(it.line == 4);
	CHECK(sd_address_check_n(it.text, it.len, &a) == SMTPDOC_OK && !a.valid);
	CHECK(a.error == SD_ADDRESS_ENO_AT);
	CHECK(sd_addrlist_next(r, &it) == SD_ADDRLIST_END);
	sd_address_info_free(&a);
	sd_addrlist_free(r);
	fclose(fp);
}

int
main(void)
{
	test_csv();
	test_csv_separators();
	test_csv_columns();
	test_plain();
	test_hostile_lists();
	test_stream();
	test_read_error();
	test_with_check();
	TEST_MAIN_END();
}
