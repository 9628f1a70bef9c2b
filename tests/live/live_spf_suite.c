/*
 * live_spf_suite.c - runs the RFC 7208 test suite against sd_spf_check().
 *
 * Usage: live_spf_suite [-v] CASES.txt
 *
 * CASES.txt is what tests/e2e/spf_suite.py makes of the suite's YAML (the
 * format is described there): scenarios of zone data, each followed by
 * its cases. The zone is served from memory through an sd_dns_lookup_fn
 * by tests/unit/spfzone.h (its head comment gives the rules: case-blind
 * names, NXDOMAIN vs NODATA, CNAME chains, and TIMEOUT entries that apply
 * unless a record of the type asked was listed first, the suite's
 * convention for "TXT record present, but SPF lookup times out").
 *
 * For each case it prints "ok" or "FAIL" with the name, the result and,
 * on failure (or with -v, always), the report's text; then "N of M cases
 * pass". A case passes when the result is one of the suite's acceptable
 * results and, where the suite gives an explanation, the explanation is
 * that text (compared without regard to ASCII case, since the suite writes
 * ip6.arpa nibbles in upper case) or, for "DEFAULT", no exp= text at all.
 * Each case must also stay under 300 queries. Exit status: 0 when every
 * case passes, 1 otherwise, 2 on a usage or input error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf.h"
#include "spfzone.h"

#define CASE_MAX_QUERIES 300

/* ---- the line format ------------------------------------------------- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode field f in place; returns its length, or -1 when malformed. */
static long
decode(char *f)
{
	size_t i = 0, o = 0;

	if (strcmp(f, "%") == 0) {
		f[0] = '\0';
		return 0;
	}
	while (f[i]) {
		if (f[i] == '%') {
			int h = hexval((unsigned char)f[i + 1]), l;

			if (h < 0 || (l = hexval((unsigned char)f[i + 2])) < 0)
				return -1;
			f[o++] = (char)(h * 16 + l);
			i += 3;
		} else {
			f[o++] = f[i++];
		}
	}
	f[o] = '\0';
	return (long)o;
}

/* Split line into at most max fields at spaces. */
static int
split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		fields[n++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* "rr NAME TYPE ..." (fields decoded by the caller); 0 or -1. */
static int
zone_rr(sz_zone *z, char **f, long *len, int n)
{
	char *text;
	size_t total = 0, o = 0;
	int i;

	if (n < 3)
		return -1;
	if (strcmp(f[2], "TIMEOUT") == 0) {
		sz_add(z, f[1], SZ_TIMEOUT);
		return 0;
	}
	if (strcmp(f[2], "A") == 0 || strcmp(f[2], "AAAA") == 0)
		return n == 4 ? sz_add_addr(z, f[1], f[3]) : -1;
	if (strcmp(f[2], "MX") == 0) {
		if (n != 5)
			return -1;
		sz_add_host(z, f[1], SD_DNS_MX, (unsigned)strtoul(f[3], NULL, 10), f[4]);
		return 0;
	}
	if (strcmp(f[2], "PTR") == 0 || strcmp(f[2], "CNAME") == 0) {
		if (n != 4)
			return -1;
		sz_add_host(z, f[1], f[2][0] == 'P' ? SD_DNS_PTR : SD_DNS_CNAME, 0, f[3]);
		return 0;
	}
	if (strcmp(f[2], "TXT") == 0) {
		/* the strings of one record, glued together (RFC 7208 3.3) */
		if (n < 4 || atoi(f[3]) != n - 4)
			return -1;
		for (i = 4; i < n; i++)
			total += (size_t)len[i];
		text = malloc(total + 1);
		if (text == NULL)
			return -1;
		for (i = 4; i < n; i++) {
			memcpy(text + o, f[i], (size_t)len[i]);
			o += (size_t)len[i];
		}
		sz_add_txt(z, f[1], text, total);
		free(text);
		return 0;
	}
	return -1;
}

/* ---- running the cases ------------------------------------------------- */

static int
result_ok(const char *list, sd_spf_result r)
{
	const char *want = sd_spf_result_name(r);
	size_t n = strlen(want);
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, want, n) == 0)
			return 1;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

static int
run_case(sz_zone *z, char **f, int n, int verbose)
{
	sd_spf_options opt = {"receiver.example.org", 1000000000LL, 0};
	sd_spf_report *rep = NULL;
	smtpdoc_status st;
	const char *why = NULL;
	int ok;
	sd_buf b;

	/* case NAME HOST MAILFROM HELO RESULTS EXPKIND [TEXT] */
	z->queries = 0;
	st = sd_spf_check(sz_lookup, z, f[2], NULL, f[3], f[4], &opt, &rep);
	if (st != SMTPDOC_OK) {
		printf("FAIL %s: sd_spf_check returned %d\n", f[1], (int)st);
		return 0;
	}
	if (!result_ok(f[5], rep->result))
		why = "result";
	else if (strcmp(f[6], "default") == 0 && rep->explanation != NULL)
		why = "explanation (want the default)";
	else if (strcmp(f[6], "text") == 0 &&
		 (n < 8 || rep->explanation == NULL || strcasecmp(rep->explanation, f[7]) != 0))
		why = "explanation";
	else if (z->queries > CASE_MAX_QUERIES)
		why = "too many queries";
	ok = why == NULL;
	if (ok)
		printf("ok %s: %s\n", f[1], sd_spf_result_name(rep->result));
	else
		printf("FAIL %s: %s: got %s, explanation \"%s\"; want %s, explanation %s%s%s "
		       "(%d queries)\n", f[1], why, sd_spf_result_name(rep->result),
		       rep->explanation ? rep->explanation : "(none)", f[5],
		       n >= 8 ? "\"" : "", n >= 8 ? f[7] : f[6], n >= 8 ? "\"" : "", z->queries);
	if (!ok || verbose) {
		sd_buf_init(&b, 1 << 20);
		if (sd_spf_report_text(rep, &b) == 0 && b.data)
			printf("%s", b.data);
		sd_buf_free(&b);
	}
	sd_spf_report_free(rep);
	return ok;
}

int
main(int argc, char **argv)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	sz_zone z = {0};
	int verbose = 0, total = 0, passed = 0, bad = 0;
	const char *path;

	if (argc == 3 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		path = argv[2];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: live_spf_suite [-v] CASES.txt\n");
		return 2;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		perror(path);
		return 2;
	}
	while (getline(&line, &cap, fp) > 0) {
		char *f[64];
		long len[64];
		int n, i;

		line[strcspn(line, "\r\n")] = '\0';
		n = split(line, f, 64);
		if (n == 0 || f[0][0] == '#')
			continue;
		for (i = 1; i < n; i++)
			if ((len[i] = decode(f[i])) < 0)
				bad = 1;
		if (bad)
			break;
		if (strcmp(f[0], "scenario") == 0) {
			sz_clear(&z);
		} else if (strcmp(f[0], "rr") == 0) {
			if (zone_rr(&z, f, len, n) != 0) {
				bad = 1;
				break;
			}
		} else if (strcmp(f[0], "case") == 0 && n >= 7) {
			total++;
			passed += run_case(&z, f, n, verbose);
		} else {
			bad = 1;
			break;
		}
	}
	free(line);
	fclose(fp);
	sz_free(&z);
	if (bad) {
		fprintf(stderr, "live_spf_suite: %s: malformed line\n", path);
		return 2;
	}
	printf("%d of %d cases pass\n", passed, total);
	return passed == total && total > 0 ? 0 : 1;
}
