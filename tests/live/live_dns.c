/*
 * live_dns.c - the resolver (dns.c) against a real DNS server.
 *
 * Usage: live_dns PORT BADPORT
 *
 * Run by tests/e2e/dns_live.sh, which first starts Knot on 127.0.0.1:PORT
 * with the zones this program expects (see that script) and
 * tests/dns/badserver.py on 127.0.0.1:BADPORT. Checks every case of the
 * table below through the synchronous lookup, then all of them at once
 * (three times each) through sd_resolver_query and a poll() loop, then the
 * bad server's answers both ways, and that sd_resolver_queries counted
 * every lookup. Prints "N passed, N failed"; exit status 1 on a failure.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* What one lookup must give: its status, canonical name ("-" for none)
 * and records, rendered by render() and sorted, joined by " | ". */
typedef struct dcase {
	const char *name;
	int type;
	const char *want;
} dcase;

static const dcase cases[] = {
	/* two MX of different preference */
	{"example.test", SD_DNS_MX,
	 "ok cname=- | MX 10 mx1.example.test | MX 20 mx2.example.test"},
	/* any case, and a final dot */
	{"EXAMPLE.Test.", SD_DNS_MX,
	 "ok cname=- | MX 10 mx1.example.test | MX 20 mx2.example.test"},
	/* null MX (RFC 7505) */
	{"nullmx.example.test", SD_DNS_MX, "ok cname=- | MX 0 \"\""},
	/* an MX whose exchange is an alias, and that alias */
	{"viacname.example.test", SD_DNS_MX, "ok cname=- | MX 5 alias.example.test"},
	{"alias.example.test", SD_DNS_A, "ok cname=mx1.example.test | A 192.0.2.1 ttl=1234"},
	/* an MX whose exchange is written as an IP address */
	{"literal.example.test", SD_DNS_MX, "ok cname=- | MX 10 192.0.2.25"},
	/* a domain with addresses only */
	{"onlya.example.test", SD_DNS_MX, "nodata cname=-"},
	{"onlya.example.test", SD_DNS_A, "ok cname=- | A 192.0.2.10 ttl=300"},
	{"onlya.example.test", SD_DNS_AAAA, "ok cname=- | AAAA 2001:db8::10"},
	{"mx2.example.test", SD_DNS_AAAA, "ok cname=- | AAAA 2001:db8::2"},
	/* TXT: strings joined without separators, one record each */
	{"txt.example.test", SD_DNS_TXT,
	 "ok cname=- | TXT \"second record\" | TXT \"v=spf1 ip4:192.0.2.0/24 -all\""},
	{"_dmarc.example.test", SD_DNS_TXT, "ok cname=- | TXT \"v=DMARC1; p=reject\""},
	/* one TXT record of 865 bytes in four strings: more than 512 bytes,
	 * so the answer comes over TCP after a truncated one over UDP */
	{"longtxt.example.test", SD_DNS_TXT, "ok cname=- | TXT len=865"},
	/* PTR in in-addr.arpa and ip6.arpa */
	{"1.2.0.192.in-addr.arpa", SD_DNS_PTR, "ok cname=- | PTR mx1.example.test"},
	{"25.2.0.192.in-addr.arpa", SD_DNS_PTR, "ok cname=- | PTR literal-host.example.test"},
	{"2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", SD_DNS_PTR,
	 "ok cname=- | PTR mx2.example.test"},
	{"9.2.0.192.in-addr.arpa", SD_DNS_PTR, "nxdomain cname=-"},
	/* a CNAME chain: followed for A, not when the CNAME is asked */
	{"chain1.example.test", SD_DNS_A, "ok cname=chain3.example.test | A 192.0.2.33 ttl=300"},
	{"chain1.example.test", SD_DNS_CNAME, "ok cname=- | CNAME chain2.example.test"},
	{"chain1.example.test", SD_DNS_MX, "nodata cname=chain3.example.test"},
	/* NS of the zone */
	{"example.test", SD_DNS_NS, "ok cname=- | NS ns.smtpdoc-dns.test"},
	/* names that do not exist, names without the type asked */
	{"nope.example.test", SD_DNS_MX, "nxdomain cname=-"},
	{"nope.example.test", SD_DNS_A, "nxdomain cname=-"},
	{"deep.nope.example.test", SD_DNS_TXT, "nxdomain cname=-"},
	{"nodata.example.test", SD_DNS_A, "nodata cname=-"},
	{"nodata.example.test", SD_DNS_MX, "nodata cname=-"},
	{"example.test", SD_DNS_A, "nodata cname=-"},
	/* a name that exists only as a parent of another (empty non-terminal) */
	{"example.test", SD_DNS_TXT, "nodata cname=-"},
	{"sub.example.test", SD_DNS_TXT, "nodata cname=-"},
	/* not a zone of the server: refused */
	{"elsewhere.invalid", SD_DNS_A, "refused cname=-"},
};

/* The bad server's answers (tests/dns/badserver.py). */
static const dcase bad_cases[] = {
	{"refused.bad.test", SD_DNS_A, "refused cname=-"},
	{"servfail.bad.test", SD_DNS_A, "servfail cname=-"},
	{"formerr.bad.test", SD_DNS_A, "error cname=-"},
	{"garbage.bad.test", SD_DNS_A, "error cname=-"},
	{"loop.bad.test", SD_DNS_A, "error cname=-"},
	{"cut.bad.test", SD_DNS_A, "error cname=-"},
	{"count.bad.test", SD_DNS_A, "error cname=-"},
	{"badmx.bad.test", SD_DNS_MX, "error cname=-"},
	{"badtxt.bad.test", SD_DNS_TXT, "error cname=-"},
	{"noise.bad.test", SD_DNS_A, "timeout cname=-"},
	{"short.bad.test", SD_DNS_A, "timeout cname=-"},
	{"other.bad.test", SD_DNS_A, "nxdomain cname=-"},
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* render - an answer as text, for comparing with a case's want */
static void
render(const sd_dns_answer *a, char *out, size_t outlen)
{
	char *rows[64];
	size_t n = 0, used;

	if (a == NULL) {
		snprintf(out, outlen, "(null)");
		return;
	}
	used = (size_t)snprintf(out, outlen, "%s cname=%s", sd_dns_status_name(a->status),
				a->cname ? a->cname : "-");
	for (size_t i = 0; i < a->n && n < NELEM(rows); i++) {
		const sd_dns_rr *rr = &a->rr[i];
		char buf[512], addr[INET6_ADDRSTRLEN];

		switch (rr->type) {
		case SD_DNS_MX:
			snprintf(buf, sizeof(buf), "MX %u %s", rr->pref, *rr->host ? rr->host : "\"\"");
			break;
		case SD_DNS_A:
			inet_ntop(AF_INET, rr->addr, addr, sizeof(addr));
			snprintf(buf, sizeof(buf), "A %s ttl=%u", addr, rr->ttl);
			break;
		case SD_DNS_AAAA:
			inet_ntop(AF_INET6, rr->addr, addr, sizeof(addr));
			snprintf(buf, sizeof(buf), "AAAA %s", addr);
			break;
		case SD_DNS_TXT:
			if (rr->text_len <= 100)
				snprintf(buf, sizeof(buf), "TXT \"%.*s\"", (int)rr->text_len, rr->text);
			else
				snprintf(buf, sizeof(buf), "TXT len=%zu", rr->text_len);
			break;
		case SD_DNS_PTR:
			snprintf(buf, sizeof(buf), "PTR %s", rr->host);
			break;
		case SD_DNS_CNAME:
			snprintf(buf, sizeof(buf), "CNAME %s", rr->host);
			break;
		case SD_DNS_NS:
			snprintf(buf, sizeof(buf), "NS %s", rr->host);
			break;
		default:
			snprintf(buf, sizeof(buf), "type%d", rr->type);
		}
		rows[n++] = strdup(buf);
	}
	qsort(rows, n, sizeof(rows[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, " | %s", rows[i]);
		free(rows[i]);
	}
}

/* check_answer - compare and report; frees nothing */
static void
check_answer(const char *how, const dcase *c, const sd_dns_answer *a)
{
	char got[2048];

	render(a, got, sizeof(got));
	if (strcmp(got, c->want) != 0)
		fprintf(stderr, "%s %s type %d:\n    got  %s\n    want %s\n", how, c->name, c->type,
			got, c->want);
	CHECK(strcmp(got, c->want) == 0);
}

/* the long TXT record, byte by byte: 255 a, 255 b, 255 c, 100 d */
static void
check_long_txt(sd_resolver *r)
{
	sd_dns_answer *a = sd_resolver_lookup(r, "longtxt.example.test", SD_DNS_TXT);
	int same = a && a->status == SD_DNS_OK && a->n == 1 && a->rr[0].text_len == 865;

	for (size_t i = 0; same && i < 865; i++) {
		char want = i < 255 ? 'a' : i < 510 ? 'b' : i < 765 ? 'c' : 'd';

		if (a->rr[0].text[i] != want)
			same = 0;
	}
	CHECK(same);
	CHECK(a && a->n == 1 && a->rr[0].text[865] == '\0');
	sd_dns_answer_free(a);
}

/* ---- asynchronous -------------------------------------------------- */

typedef struct slot {
	const dcase *c;
	int calls;
} slot;

static void
slot_done(void *ctx, sd_dns_answer *ans)
{
	slot *s = ctx;

	s->calls++;
	check_answer("async", s->c, ans);
	sd_dns_answer_free(ans);
}

/* run_async - every case of table copies times at once; returns how many
 * queries were started */
static size_t
run_async(sd_resolver *r, const dcase *table, size_t n, int copies)
{
	size_t total = n * (size_t)copies, started = 0, max_pending = 0;
	slot *slots = calloc(total, sizeof(*slots));
	int all_once = 1;

	if (slots == NULL)
		return 0;
	for (size_t i = 0; i < total; i++) {
		slots[i].c = &table[i % n];
		if (sd_resolver_query(r, slots[i].c->name, slots[i].c->type, slot_done, &slots[i]) == 0)
			started++;
	}
	CHECK(started == total);
	CHECK(sd_resolver_pending(r) == started);
	/* bounded: 10000 rounds; every query has its own deadline anyway */
	for (int round = 0; round < 10000 && sd_resolver_pending(r) > 0; round++) {
		struct pollfd fds[16];
		int nfds = sd_resolver_pollfds(r, fds, 16);
		int t = sd_resolver_timeout_ms(r, 1000);

		if (sd_resolver_pending(r) > max_pending)
			max_pending = sd_resolver_pending(r);
		poll(fds, (nfds_t)nfds, t);
		sd_resolver_process(r, fds, nfds);
	}
	CHECK(sd_resolver_pending(r) == 0);
	for (size_t i = 0; i < total; i++)
		if (slots[i].calls != 1)
			all_once = 0;
	CHECK(all_once);
	printf("# %zu queries in flight at once\n", max_pending);
	free(slots);
	return started;
}

int
main(int argc, char **argv)
{
	char server[64], err[256];
	sd_resolver *r;
	unsigned long sent = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: live_dns PORT BADPORT\n");
		return 2;
	}

	/* the real server */
	snprintf(server, sizeof(server), "127.0.0.1:%s", argv[1]);
	r = sd_resolver_new(server, 2000, 2, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "live_dns: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < NELEM(cases); i++) {
		sd_dns_answer *a = sd_resolver_lookup(r, cases[i].name, cases[i].type);

		check_answer("sync", &cases[i], a);
		sd_dns_answer_free(a);
		sent++;
	}
	CHECK(sd_resolver_queries(r) == sent);
	check_long_txt(r);
	sent++;
	sent += run_async(r, cases, NELEM(cases), 3);
	CHECK(sd_resolver_queries(r) == sent);
	printf("# %lu queries to 127.0.0.1:%s\n", sd_resolver_queries(r), argv[1]);
	sd_resolver_free(r);

	/* the bad server: short timeout, so "noise" and "short" end soon */
	snprintf(server, sizeof(server), "127.0.0.1:%s", argv[2]);
	r = sd_resolver_new(server, 300, 2, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "live_dns: %s\n", err);
		return 1;
	}
	sent = 0;
	for (size_t i = 0; i < NELEM(bad_cases); i++) {
		sd_dns_answer *a = sd_resolver_lookup(r, bad_cases[i].name, bad_cases[i].type);

		check_answer("sync", &bad_cases[i], a);
		sd_dns_answer_free(a);
		sent++;
	}
	sent += run_async(r, bad_cases, NELEM(bad_cases), 2);
	CHECK(sd_resolver_queries(r) == sent);
	sd_resolver_free(r);
	TEST_MAIN_END();
}
