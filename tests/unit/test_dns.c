/*
 * test_dns.c - unit tests of the DNS module without a DNS server: status
 * names, answer new/free, --resolver strings (good ones accepted, bad ones
 * refused with a reason), names and types that are never sent, the
 * message reader sd_dns_parse() on crafted answers (records, CNAME chains,
 * TXT joining, null MX, escapes, every way a hostile message can be cut or
 * bent, and a bounded run of random mutations), and queries that get no
 * answer: to a socket of this program that never reads (timeout) and to a
 * port where nothing listens (timeout or error), synchronous and through
 * a poll() loop, and queries still in flight when the resolver is freed.
 * Network traffic goes to 127.0.0.1 only.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "dns_parse.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a DNS message builder -------------------------------------------- */

typedef struct msg {
	unsigned char b[8192];
	size_t n;
	size_t rdlen_at; /* where the open record's RDLENGTH goes */
} msg;

static void
put8(msg *m, unsigned v)
{
	if (m->n < sizeof(m->b))
		m->b[m->n++] = (unsigned char)v;
}

static void
put16(msg *m, unsigned v)
{
	put8(m, v >> 8 & 0xFF);
	put8(m, v & 0xFF);
}

static void
put32(msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xFFFF);
}

/* a dotted name, uncompressed; "" or "." is the root */
static void
putname(msg *m, const char *name)
{
	while (*name && strcmp(name, ".") != 0) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);

		put8(m, (unsigned)l);
		for (size_t i = 0; i < l; i++)
			put8(m, (unsigned char)name[i]);
		name += l;
		if (*name == '.')
			name++;
	}
	put8(m, 0);
}

static void
putptr(msg *m, size_t off)
{
	put16(m, 0xC000 | (unsigned)off);
}

/* header with QR set and the given RCODE, one question */
static void
header(msg *m, unsigned rcode, unsigned an, const char *qname, unsigned qtype)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, 0x8180 | rcode);
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	putname(m, qname);
	put16(m, qtype);
	put16(m, 1);
}

/* start a record (owner written by the caller), class IN */
static void
rr_begin(msg *m, unsigned type, uint32_t ttl)
{
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	m->rdlen_at = m->n;
	put16(m, 0);
}

static void
rr_end(msg *m)
{
	size_t l = m->n - m->rdlen_at - 2;

	m->b[m->rdlen_at] = (unsigned char)(l >> 8);
	m->b[m->rdlen_at + 1] = (unsigned char)(l & 0xFF);
}

/* read m as the answer to a question for qname (NULL: any) */
static sd_dns_answer *
parse_q(const msg *m, const char *qname, int qtype)
{
	/* an exact-size copy, so a read past the end is caught by ASan */
	unsigned char *copy = malloc(m->n ? m->n : 1);
	sd_dns_answer *a;

	memcpy(copy, m->b, m->n);
	a = sd_dns_parse(copy, m->n, qname, qtype);
	free(copy);
	return a;
}

static sd_dns_answer *
parse(const msg *m, int qtype)
{
	return parse_q(m, NULL, qtype);
}

#define QNAME_AT 12 /* offset of the question name, for pointers */

/* ---- status names and answers ----------------------------------------- */

static void
test_names(void)
{
	static const struct {
		sd_dns_status s;
		const char *name;
	} cases[] = {
		{SD_DNS_OK, "ok"},           {SD_DNS_NODATA, "nodata"},
		{SD_DNS_NXDOMAIN, "nxdomain"}, {SD_DNS_SERVFAIL, "servfail"},
		{SD_DNS_REFUSED, "refused"}, {SD_DNS_TIMEOUT, "timeout"},
		{SD_DNS_ERROR, "error"},
	};
	for (size_t i = 0; i < NELEM(cases); i++)
		CHECK_STR(sd_dns_status_name(cases[i].s), cases[i].name);
	CHECK_STR(sd_dns_status_name((sd_dns_status)99), "error");
}

static void
test_answer_new(void)
{
	sd_dns_answer *a = sd_dns_answer_new(SD_DNS_NXDOMAIN);

	CHECK(a != NULL);
	if (a) {
		CHECK(a->status == SD_DNS_NXDOMAIN);
		CHECK(a->n == 0 && a->rr == NULL && a->cname == NULL);
	}
	sd_dns_answer_free(a);
	sd_dns_answer_free(NULL);
}

/* ---- --resolver strings ---------------------------------------------- */

static void
test_resolver_strings(void)
{
	static const char *good[] = {
		"127.0.0.1", "127.0.0.1:5353", "::1", "[::1]", "[::1]:5353",
		"192.0.2.1:53", "2001:db8::1", "[2001:db8::1]:65535",
	};
	static const struct {
		const char *in;
		const char *says; /* a piece of the reason */
	} bad[] = {
		{"", "bad resolver address"},
		{"resolver.example", "bad resolver address \"resolver.example\""},
		{"resolver.example:53", "want an IP address"},
		{"300.1.1.1", "bad resolver address"},
		{"1.2.3.4:", "bad resolver port"},
		{"1.2.3.4:0", "bad resolver port"},
		{"1.2.3.4:65536", "bad resolver port"},
		{"1.2.3.4:53x", "bad resolver port"},
		{"1.2.3.4:-1", "bad resolver port"},
		{"1.2.3.4:53,5.6.7.8", "bad resolver port"},
		{"[::1", "bad resolver address"},
		{"[::1]x", "bad resolver address"},
		{"[::1]:", "bad resolver port"},
		{"[1.2.3.4]:53", "bad resolver address"},
		{"[]:53", "bad resolver address"},
		{" 1.2.3.4", "bad resolver address"},
	};
	char err[256];

	for (size_t i = 0; i < NELEM(good); i++) {
		sd_resolver *r = sd_resolver_new(good[i], 100, 1, err, sizeof(err));

		if (r == NULL)
			fprintf(stderr, "resolver \"%s\" refused: %s\n", good[i], err);
		CHECK(r != NULL);
		sd_resolver_free(r);
	}
	for (size_t i = 0; i < NELEM(bad); i++) {
		sd_resolver *r;

		err[0] = '\0';
		r = sd_resolver_new(bad[i].in, 100, 1, err, sizeof(err));
		CHECK(r == NULL);
		if (strstr(err, bad[i].says) == NULL)
			fprintf(stderr, "resolver \"%s\": reason \"%s\", want \"%s\"\n", bad[i].in,
				err, bad[i].says);
		CHECK(strstr(err, bad[i].says) != NULL);
		sd_resolver_free(r);
	}
	CHECK(sd_resolver_new("127.0.0.1", 600001, 1, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "too long") != NULL);
	CHECK(sd_resolver_new("127.0.0.1", 100, 11, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "too many") != NULL);
	/* no error buffer at all is allowed */
	CHECK(sd_resolver_new("nonsense", 100, 1, NULL, 0) == NULL);
	/* the system's resolver, defaults for timeout and tries; its
	 * synchronous lookup is an sd_dns_lookup_fn */
	{
		sd_resolver *r = sd_resolver_new(NULL, 0, 0, err, sizeof(err));
		sd_dns_lookup_fn fn = sd_resolver_lookup;

		CHECK(fn != NULL);

		CHECK(r != NULL);
		CHECK(r == NULL || (sd_resolver_pending(r) == 0 && sd_resolver_queries(r) == 0));
		CHECK(r == NULL || sd_resolver_timeout_ms(r, 100) == -1);
		sd_resolver_free(r);
	}
}

/* ---- names and types never sent -------------------------------------- */

static int cb_calls;

static void
count_cb(void *ctx, sd_dns_answer *ans)
{
	(void)ctx;
	cb_calls++;
	sd_dns_answer_free(ans);
}

static void
test_refused_queries(void)
{
	char long_label[80], long_name[300];
	const char *names[] = {
		"", ".", "..", "a..b", ".a", "a b", "a\\046b", "caf\xc3\xa9.example",
		"tab\t.example", long_label, long_name, NULL,
	};
	char err[256];
	sd_resolver *r;

	memset(long_label, 'a', 64);
	strcpy(long_label + 64, ".example");
	for (size_t i = 0; i < 254; i++)
		long_name[i] = (i % 2) ? '.' : 'a';
	long_name[253] = 'a';
	long_name[254] = '\0';

	/* a server that is never reached: nothing may be sent */
	r = sd_resolver_new("127.0.0.1:9", 100, 1, err, sizeof(err));
	CHECK(r != NULL);
	if (r == NULL)
		return;
	cb_calls = 0;
	for (size_t i = 0; i < NELEM(names); i++) {
		sd_dns_answer *a = sd_resolver_lookup(r, names[i], SD_DNS_MX);

		CHECK(a != NULL && a->status == SD_DNS_ERROR && a->n == 0);
		sd_dns_answer_free(a);
		CHECK(sd_resolver_query(r, names[i], SD_DNS_A, count_cb, NULL) == -1);
	}
	CHECK(sd_resolver_query(r, "example.test", 99, count_cb, NULL) == -1);
	CHECK(sd_resolver_query(r, "example.test", 0, count_cb, NULL) == -1);
	CHECK(sd_resolver_query(r, "example.test", SD_DNS_A, NULL, NULL) == -1);
	CHECK(sd_resolver_query(NULL, "example.test", SD_DNS_A, count_cb, NULL) == -1);
	CHECK(cb_calls == 0);
	CHECK(sd_resolver_queries(r) == 0);
	CHECK(sd_resolver_pending(r) == 0);
	sd_resolver_free(r);
}

/* ---- the message reader ----------------------------------------------- */

static void
test_parse_mx(void)
{
	msg m;
	sd_dns_answer *a;

	header(&m, 0, 3, "Example.test", SD_DNS_MX);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_MX, 300);
	put16(&m, 20);
	putname(&m, "mx2.example.test");
	rr_end(&m);
	/* a record of another type is left out */
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_A, 300);
	put32(&m, 0x7F000001);
	rr_end(&m);
	/* owner in another case, exchange compressed against the question */
	putname(&m, "EXAMPLE.TEST");
	rr_begin(&m, SD_DNS_MX, 0x80000001u);
	put16(&m, 10);
	put8(&m, 3);
	put8(&m, 'm');
	put8(&m, 'x');
	put8(&m, '1');
	putptr(&m, QNAME_AT);
	rr_end(&m);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_OK && a->n == 2 && a->cname == NULL);
	if (a && a->n == 2) {
		CHECK(a->rr[0].type == SD_DNS_MX && a->rr[0].pref == 20 && a->rr[0].ttl == 300);
		CHECK_STR(a->rr[0].host, "mx2.example.test");
		CHECK(a->rr[1].pref == 10 && a->rr[1].ttl == 0); /* top bit: 0 */
		CHECK_STR(a->rr[1].host, "mx1.example.test"); /* lower case */
	}
	sd_dns_answer_free(a);

	/* null MX (RFC 7505) */
	header(&m, 0, 1, "nullmx.test", SD_DNS_MX);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_MX, 60);
	put16(&m, 0);
	put8(&m, 0);
	rr_end(&m);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_OK && a->n == 1);
	if (a && a->n == 1) {
		CHECK(a->rr[0].pref == 0);
		CHECK_STR(a->rr[0].host, "");
	}
	sd_dns_answer_free(a);

	/* no answer: nodata; answers of another type only: nodata */
	header(&m, 0, 0, "a.test", SD_DNS_MX);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_NODATA && a->n == 0);
	sd_dns_answer_free(a);
	header(&m, 0, 1, "a.test", SD_DNS_MX);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_A, 60);
	put32(&m, 1);
	rr_end(&m);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_NODATA && a->n == 0);
	sd_dns_answer_free(a);
	/* a record of the type for another owner is not the answer */
	header(&m, 0, 1, "a.test", SD_DNS_MX);
	putname(&m, "b.test");
	rr_begin(&m, SD_DNS_MX, 60);
	put16(&m, 5);
	putname(&m, "mx.b.test");
	rr_end(&m);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_NODATA);
	sd_dns_answer_free(a);
}

static void
test_parse_addr_cname(void)
{
	msg m;
	sd_dns_answer *a;
	size_t t1;

	/* www -> t1 -> t2, records of t2 after a decoy A of www */
	header(&m, 0, 5, "www.a.test", SD_DNS_AAAA);
	putname(&m, "t2.b.test");
	rr_begin(&m, SD_DNS_AAAA, 30);
	for (int i = 0; i < 16; i++)
		put8(&m, (unsigned)i);
	rr_end(&m);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_CNAME, 30);
	t1 = m.n;
	putname(&m, "t1.a.test");
	rr_end(&m);
	putptr(&m, t1);
	rr_begin(&m, SD_DNS_CNAME, 30);
	putname(&m, "T2.b.test");
	rr_end(&m);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_A, 30);
	put32(&m, 0x01020304);
	rr_end(&m);
	putname(&m, "t2.B.TEST");
	rr_begin(&m, SD_DNS_AAAA, 40);
	for (int i = 0; i < 16; i++)
		put8(&m, 0xF0u + (unsigned)i);
	rr_end(&m);
	a = parse(&m, SD_DNS_AAAA);
	CHECK(a && a->status == SD_DNS_OK && a->n == 2);
	if (a) {
		CHECK_STR(a->cname, "t2.b.test");
		if (a->n == 2) {
			CHECK(a->rr[0].addr[15] == 15 && a->rr[0].ttl == 30);
			CHECK(a->rr[1].addr[0] == 0xF0 && a->rr[1].ttl == 40);
			CHECK(a->rr[1].type == SD_DNS_AAAA && a->rr[1].host == NULL);
		}
	}
	sd_dns_answer_free(a);

	/* asking for the CNAME itself: no following */
	a = parse(&m, SD_DNS_CNAME);
	CHECK(a && a->status == SD_DNS_ERROR); /* the question is AAAA */
	sd_dns_answer_free(a);
	header(&m, 0, 1, "www.a.test", SD_DNS_CNAME);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_CNAME, 30);
	putname(&m, "t1.a.test.");
	rr_end(&m);
	a = parse(&m, SD_DNS_CNAME);
	CHECK(a && a->status == SD_DNS_OK && a->n == 1 && a->cname == NULL);
	if (a && a->n == 1)
		CHECK_STR(a->rr[0].host, "t1.a.test");
	sd_dns_answer_free(a);

	/* an alias whose target has no such records: nodata, cname kept */
	header(&m, 0, 1, "www.a.test", SD_DNS_A);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_CNAME, 30);
	putname(&m, "t1.a.test");
	rr_end(&m);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_NODATA && a->n == 0);
	if (a)
		CHECK_STR(a->cname, "t1.a.test");
	sd_dns_answer_free(a);

	/* a CNAME loop is malformed */
	header(&m, 0, 2, "x.test", SD_DNS_A);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_CNAME, 30);
	t1 = m.n;
	putname(&m, "y.test");
	rr_end(&m);
	putptr(&m, t1);
	rr_begin(&m, SD_DNS_CNAME, 30);
	putptr(&m, QNAME_AT);
	rr_end(&m);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR && a->n == 0 && a->cname == NULL);
	sd_dns_answer_free(a);

	/* A with the wrong data length */
	header(&m, 0, 1, "x.test", SD_DNS_A);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_A, 30);
	put16(&m, 1);
	put8(&m, 1);
	rr_end(&m);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
}

static void
test_parse_txt_ptr(void)
{
	msg m;
	sd_dns_answer *a;
	char big[300];

	memset(big, 'x', sizeof(big));
	header(&m, 0, 2, "a.test", SD_DNS_TXT);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_TXT, 60);
	put8(&m, 7);
	for (const char *p = "v=spf1 "; *p; p++)
		put8(&m, (unsigned char)*p);
	put8(&m, 0); /* an empty string */
	put8(&m, 4);
	put8(&m, '-');
	put8(&m, 0); /* a NUL inside */
	put8(&m, 'a');
	put8(&m, 'l');
	rr_end(&m);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_TXT, 60);
	put8(&m, 255);
	for (int i = 0; i < 255; i++)
		put8(&m, 'x');
	put8(&m, 45);
	for (int i = 0; i < 45; i++)
		put8(&m, 'x');
	rr_end(&m);
	a = parse(&m, SD_DNS_TXT);
	CHECK(a && a->status == SD_DNS_OK && a->n == 2);
	if (a && a->n == 2) {
		CHECK(a->rr[0].text_len == 11);
		CHECK(memcmp(a->rr[0].text, "v=spf1 -\0al", 11) == 0);
		CHECK(a->rr[0].text[11] == '\0');
		CHECK(a->rr[1].text_len == 300 && memcmp(a->rr[1].text, big, 300) == 0);
	}
	sd_dns_answer_free(a);

	/* a string longer than the data */
	header(&m, 0, 1, "a.test", SD_DNS_TXT);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_TXT, 60);
	put8(&m, 10);
	put8(&m, 'x');
	rr_end(&m);
	a = parse(&m, SD_DNS_TXT);
	CHECK(a && a->status == SD_DNS_ERROR && a->n == 0);
	sd_dns_answer_free(a);

	/* PTR with odd label bytes: escaped */
	header(&m, 0, 1, "1.2.0.192.in-addr.arpa", SD_DNS_PTR);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_PTR, 60);
	put8(&m, 4);
	put8(&m, 'a');
	put8(&m, '.');
	put8(&m, 0);
	put8(&m, '\\');
	putname(&m, "test");
	rr_end(&m);
	a = parse(&m, SD_DNS_PTR);
	CHECK(a && a->status == SD_DNS_OK && a->n == 1);
	if (a && a->n == 1)
		CHECK_STR(a->rr[0].host, "a\\046\\000\\092.test");
	sd_dns_answer_free(a);

	/* PTR whose name runs past its data */
	header(&m, 0, 1, "1.2.0.192.in-addr.arpa", SD_DNS_PTR);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_PTR, 60);
	put8(&m, 3);
	put8(&m, 'a');
	rr_end(&m);
	put8(&m, 'b');
	put8(&m, 'c');
	put8(&m, 0);
	a = parse(&m, SD_DNS_PTR);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* NS with data left after the name */
	header(&m, 0, 1, "a.test", SD_DNS_NS);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_NS, 60);
	putname(&m, "ns.a.test");
	put8(&m, 0);
	rr_end(&m);
	a = parse(&m, SD_DNS_NS);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
}

static void
test_parse_header(void)
{
	static const struct {
		unsigned rcode;
		sd_dns_status want;
	} rcodes[] = {
		{1, SD_DNS_ERROR}, {2, SD_DNS_SERVFAIL}, {3, SD_DNS_NXDOMAIN},
		{4, SD_DNS_ERROR}, {5, SD_DNS_REFUSED},  {9, SD_DNS_ERROR},
	};
	msg m;
	sd_dns_answer *a;

	for (size_t i = 0; i < NELEM(rcodes); i++) {
		header(&m, rcodes[i].rcode, 0, "a.test", SD_DNS_A);
		a = parse(&m, SD_DNS_A);
		CHECK(a && a->status == rcodes[i].want && a->n == 0);
		sd_dns_answer_free(a);
	}
	/* a query, not a response */
	header(&m, 0, 0, "a.test", SD_DNS_A);
	m.b[2] &= 0x7F;
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* two questions; none */
	header(&m, 0, 0, "a.test", SD_DNS_A);
	m.b[5] = 2;
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	m.b[5] = 0;
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* an error answer without the question is fine, others are not */
	for (unsigned rcode = 0; rcode < 6; rcode++) {
		static const sd_dns_status want[] = {
			SD_DNS_ERROR, SD_DNS_ERROR, SD_DNS_SERVFAIL,
			SD_DNS_ERROR, SD_DNS_ERROR, SD_DNS_REFUSED,
		};

		header(&m, rcode, 0, "a.test", SD_DNS_A);
		m.b[5] = 0;
		m.n = 12;
		a = parse_q(&m, "a.test", SD_DNS_A);
		CHECK(a && a->status == want[rcode]);
		sd_dns_answer_free(a);
	}
	/* the question must be the name asked, in any case, dot or not */
	{
		static const struct {
			const char *asked;
			sd_dns_status want;
		} names[] = {
			{"www.a.test", SD_DNS_NXDOMAIN}, {"WWW.A.Test.", SD_DNS_NXDOMAIN},
			{"www.a.tes", SD_DNS_ERROR},     {"www.a.test.x", SD_DNS_ERROR},
			{"ww.a.test", SD_DNS_ERROR},     {"www.a.test..", SD_DNS_ERROR},
			{"", SD_DNS_ERROR},
		};

		for (size_t i = 0; i < NELEM(names); i++) {
			header(&m, 3, 0, "www.a.test", SD_DNS_A);
			a = parse_q(&m, names[i].asked, SD_DNS_A);
			CHECK(a && a->status == names[i].want);
			sd_dns_answer_free(a);
		}
		/* the same for a refusal that keeps the question */
		header(&m, 5, 0, "www.a.test", SD_DNS_A);
		a = parse_q(&m, "other.test", SD_DNS_A);
		CHECK(a && a->status == SD_DNS_ERROR);
		sd_dns_answer_free(a);
	}
	/* the question is not the type asked */
	header(&m, 0, 0, "a.test", SD_DNS_A);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* NULL and empty */
	a = sd_dns_parse(NULL, 0, NULL, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
}

/* a well-formed answer with several kinds of record, for cutting up */
static void
sample(msg *m)
{
	header(m, 0, 3, "a.test", SD_DNS_MX);
	putptr(m, QNAME_AT);
	rr_begin(m, SD_DNS_CNAME, 9);
	putname(m, "b.test");
	rr_end(m);
	putname(m, "b.test");
	rr_begin(m, SD_DNS_MX, 9);
	put16(m, 1);
	putname(m, "mx.b.test");
	rr_end(m);
	putname(m, "b.test");
	rr_begin(m, SD_DNS_MX, 9);
	put16(m, 2);
	putptr(m, QNAME_AT);
	rr_end(m);
}

static void
test_parse_hostile(void)
{
	msg m, cut;
	sd_dns_answer *a;
	int all_error = 1;

	sample(&m);
	a = parse(&m, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_OK && a->n == 2);
	if (a) {
		CHECK_STR(a->cname, "b.test");
		if (a->n == 2)
			CHECK_STR(a->rr[1].host, "a.test");
	}
	sd_dns_answer_free(a);

	/* every shorter prefix of it is malformed */
	for (size_t len = 0; len < m.n; len++) {
		cut = m;
		cut.n = len;
		a = parse(&cut, SD_DNS_MX);
		if (a == NULL || a->status != SD_DNS_ERROR || a->n != 0) {
			fprintf(stderr, "prefix of %zu bytes: not an error\n", len);
			all_error = 0;
		}
		sd_dns_answer_free(a);
	}
	CHECK(all_error);

	/* a record count that the message cannot hold */
	cut = m;
	cut.b[6] = 0xFF;
	cut.b[7] = 0xFF;
	a = parse(&cut, SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);

	/* an owner name that points at itself */
	header(&m, 0, 1, "a.test", SD_DNS_A);
	putptr(&m, m.n);
	rr_begin(&m, SD_DNS_A, 1);
	put32(&m, 1);
	rr_end(&m);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* two pointers at each other, in the question */
	m.n = 0;
	put16(&m, 1);
	put16(&m, 0x8180);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 0);
	putptr(&m, 14);
	putptr(&m, 12);
	put16(&m, SD_DNS_A);
	put16(&m, 1);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* a pointer past the end */
	header(&m, 0, 1, "a.test", SD_DNS_A);
	putptr(&m, 0x3FFF);
	rr_begin(&m, SD_DNS_A, 1);
	put32(&m, 1);
	rr_end(&m);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* a label type no one uses (0x40) */
	header(&m, 0, 1, "a.test", SD_DNS_A);
	put8(&m, 0x41);
	put8(&m, 'a');
	put8(&m, 0);
	rr_begin(&m, SD_DNS_A, 1);
	put32(&m, 1);
	rr_end(&m);
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* an owner name longer than 255 bytes: a pointer to a chain of
	 * labels and pointers after the record */
	header(&m, 0, 1, "a.test", SD_DNS_A);
	{
		size_t owner = m.n, prev;

		put16(&m, 0);
		rr_begin(&m, SD_DNS_A, 1);
		put32(&m, 1);
		rr_end(&m);
		prev = m.n;
		put8(&m, 63);
		for (int i = 0; i < 63; i++)
			put8(&m, 'x');
		put8(&m, 0);
		for (int k = 0; k < 4; k++) {
			size_t here = m.n;

			put8(&m, 63);
			for (int i = 0; i < 63; i++)
				put8(&m, 'y');
			putptr(&m, prev);
			prev = here;
		}
		m.b[owner] = (unsigned char)(0xC0 | prev >> 8);
		m.b[owner + 1] = (unsigned char)(prev & 0xFF);
	}
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
	/* data length past the end */
	header(&m, 0, 1, "a.test", SD_DNS_A);
	putptr(&m, QNAME_AT);
	rr_begin(&m, SD_DNS_A, 1);
	put32(&m, 1);
	rr_end(&m);
	m.b[m.n - 5] = 0x01; /* RDLENGTH 0x0104 */
	a = parse(&m, SD_DNS_A);
	CHECK(a && a->status == SD_DNS_ERROR);
	sd_dns_answer_free(a);
}

/* a small deterministic generator for the mutation run */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
test_parse_mutations(void)
{
	uint32_t seed = 12345;
	msg m, t;
	int in_range = 1;

	sample(&m);
	/* 20000 mutants: flipped bytes, cut ends, random lengths */
	for (int round = 0; round < 20000; round++) {
		int flips = 1 + (int)(rnd(&seed) % 4);
		sd_dns_answer *a;

		t = m;
		for (int f = 0; f < flips; f++)
			t.b[rnd(&seed) % t.n] = (unsigned char)rnd(&seed);
		if (rnd(&seed) % 4 == 0)
			t.n = rnd(&seed) % (m.n + 1);
		a = parse(&t, SD_DNS_MX);
		if (a == NULL || a->status > SD_DNS_ERROR ||
		    (a->status == SD_DNS_OK) != (a->n > 0))
			in_range = 0;
		for (size_t i = 0; a && i < a->n; i++)
			if (a->rr[i].type == SD_DNS_MX && a->rr[i].host == NULL)
				in_range = 0;
		sd_dns_answer_free(a);
	}
	CHECK(in_range);
}

/* ---- queries that get no answer --------------------------------------- */

/* a UDP socket on 127.0.0.1 that never reads; its port in *port */
static int
black_hole(int *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

static int timeouts_seen, others_seen;

static void
status_cb(void *ctx, sd_dns_answer *ans)
{
	(void)ctx;
	if (ans && ans->status == SD_DNS_TIMEOUT && ans->n == 0)
		timeouts_seen++;
	else
		others_seen++;
	sd_dns_answer_free(ans);
}

static void
test_no_answer(void)
{
	char server[64], err[256];
	sd_resolver *r;
	sd_dns_answer *a;
	int port, hole = black_hole(&port);

	CHECK(hole >= 0);
	if (hole < 0)
		return;

	/* synchronous: the deadline (150 ms x 2) answers timeout */
	snprintf(server, sizeof(server), "127.0.0.1:%d", port);
	r = sd_resolver_new(server, 150, 2, err, sizeof(err));
	CHECK(r != NULL);
	if (r == NULL) {
		close(hole);
		return;
	}
	a = sd_resolver_lookup(r, "example.test", SD_DNS_MX);
	CHECK(a && a->status == SD_DNS_TIMEOUT && a->n == 0);
	sd_dns_answer_free(a);
	CHECK(sd_resolver_queries(r) == 1 && sd_resolver_pending(r) == 0);

	/* asynchronous: eight at once through a poll loop */
	timeouts_seen = others_seen = 0;
	for (int i = 0; i < 8; i++) {
		char name[64];

		snprintf(name, sizeof(name), "host%d.example.test", i);
		CHECK(sd_resolver_query(r, name, SD_DNS_A, status_cb, NULL) == 0);
	}
	CHECK(sd_resolver_pending(r) == 8);
	for (int round = 0; round < 1000 && sd_resolver_pending(r) > 0; round++) {
		struct pollfd fds[16];
		int n = sd_resolver_pollfds(r, fds, 16);
		int t = sd_resolver_timeout_ms(r, 500);

		CHECK(t >= 0 && t <= 500);
		poll(fds, (nfds_t)n, t);
		sd_resolver_process(r, fds, n);
	}
	CHECK(timeouts_seen == 8 && others_seen == 0);
	CHECK(sd_resolver_pending(r) == 0 && sd_resolver_queries(r) == 9);
	CHECK(sd_resolver_timeout_ms(r, 500) == -1);

	/* freed with queries in flight: each gets an error answer */
	cb_calls = 0;
	for (int i = 0; i < 3; i++)
		CHECK(sd_resolver_query(r, "example.test", SD_DNS_TXT, count_cb, NULL) == 0);
	CHECK(sd_resolver_pending(r) == 3);
	sd_resolver_free(r);
	CHECK(cb_calls == 3);

	/* a port where nothing listens: timeout or error */
	close(hole);
	r = sd_resolver_new(server, 150, 2, err, sizeof(err));
	CHECK(r != NULL);
	if (r != NULL) {
		a = sd_resolver_lookup(r, "example.test", SD_DNS_A);
		CHECK(a && (a->status == SD_DNS_TIMEOUT || a->status == SD_DNS_ERROR));
		if (a)
			printf("# nothing listening: %s\n", sd_dns_status_name(a->status));
		sd_dns_answer_free(a);
		sd_resolver_free(r);
	}
}

int
main(void)
{
	test_names();
	test_answer_new();
	test_resolver_strings();
	test_refused_queries();
	test_parse_mx();
	test_parse_addr_cname();
	test_parse_txt_ptr();
	test_parse_header();
	test_parse_hostile();
	test_parse_mutations();
	test_no_answer();
	TEST_MAIN_END();
}
