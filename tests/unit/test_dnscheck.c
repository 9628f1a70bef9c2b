/*
 * test_dnscheck.c - unit tests of the DNS-record checks (dnscheck_*.c):
 * MX, DMARC, DKIM, MTA-STS, TLS-RPT, reverse DNS, blocklists, the local
 * delivery MX check, and their helpers (tag lists, names, items).
 *
 * DNS answers come from a mock sd_dns_lookup_fn that serves a zone written
 * as a table in this file: a row per record (name, type, data), or a row
 * that forces a status (a timeout, a server failure) for a name and type.
 * A name with rows of other types only answers NODATA; a name with no row
 * answers NXDOMAIN; a CNAME row is followed. The mock logs every name it
 * was asked, so tests can check the query names built (reverse names,
 * blocklist names, the DMARC fallback).
 *
 * The RSA keys are fixtures made once with `openssl genrsa` (2048, 1024
 * and 512 bits) and printed as base64 DER (SubjectPublicKeyInfo; the 1024
 * key also as a bare RSAPublicKey); the Ed25519 key likewise.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnscheck.h"
#include "dnscheck_int.h"
#include "testutil.h"

/* The mock allocates every string of an answer with malloc, one by one,
 * the layout dns.h implies and sd_dns_answer_free() releases. */

/* ---- the mock zone ------------------------------------------------------ */
#define FORCE(st) (-(int)(st)) /* a row's len that forces a status */

typedef struct zrow {
	const char *name;
	int type;
	const char *data; /* MX "10 host", A/AAAA address, TXT text, PTR/CNAME host */
	int len;          /* TXT: bytes of data when it holds NULs (0: strlen);
			   * FORCE(status): answer that status */
} zrow;

typedef struct mock {
	const zrow *rows;
	char log[64][300];
	size_t nlog;
	const char *big;  /* a hostile TXT record served at "big.test" */
	size_t biglen;
} mock;

static char *
xstrdup(const char *s)
{
	char *d = malloc(strlen(s) + 1);

	if (d != NULL)
		strcpy(d, s);
	return d;
}

static int
name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (sd_tolower((unsigned char)*a) != sd_tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static void
add_rr(sd_dns_answer *a, const zrow *r, mock *m)
{
	sd_dns_rr *rr;

	a->rr = realloc(a->rr, (a->n + 1) * sizeof(*a->rr));
	rr = &a->rr[a->n++];
	memset(rr, 0, sizeof(*rr));
	rr->type = r->type;
	rr->ttl = 300;
	switch (r->type) {
	case SD_DNS_A:
		inet_pton(AF_INET, r->data, rr->addr);
		break;
	case SD_DNS_AAAA:
		inet_pton(AF_INET6, r->data, rr->addr);
		break;
	case SD_DNS_MX: {
		const char *sp = strchr(r->data, ' ');

		rr->pref = (unsigned)atoi(r->data);
		/* dns.h: no final dot, so the root is "" */
		rr->host = xstrdup(strcmp(sp + 1, ".") == 0 ? "" : sp + 1);
		break;
	}
	case SD_DNS_TXT:
		if (r->data == NULL) {
			rr->text_len = m->biglen;
			rr->text = malloc(m->biglen + 1);
			memcpy(rr->text, m->big, m->biglen);
			rr->text[m->biglen] = '\0';
		} else {
			rr->text_len = r->len > 0 ? (size_t)r->len : strlen(r->data);
			rr->text = malloc(rr->text_len + 1);
			memcpy(rr->text, r->data, rr->text_len);
			rr->text[rr->text_len] = '\0';
		}
		break;
	default:
		rr->host = xstrdup(r->data);
		break;
	}
}

static sd_dns_answer *
mock_lookup(void *ctx, const char *name, int type)
{
	mock *m = ctx;
	sd_dns_answer *a = sd_dns_answer_new(SD_DNS_OK);
	const char *cur = name;
	size_t i, hops;
	int seen = 0;

	if (m->nlog < 64)
		snprintf(m->log[m->nlog++], sizeof(m->log[0]), "%s/%d", name, type);
	for (hops = 0; hops < 8; hops++) {
		const char *next = NULL;

		for (i = 0; m->rows[i].name != NULL; i++)
			if (m->rows[i].type == SD_DNS_CNAME && type != SD_DNS_CNAME &&
			    name_eq(m->rows[i].name, cur))
				next = m->rows[i].data;
		if (next == NULL)
			break;
		free(a->cname);
		a->cname = xstrdup(next);
		cur = next;
	}
	for (i = 0; m->rows[i].name != NULL; i++) {
		const zrow *r = &m->rows[i];

		if (!name_eq(r->name, cur))
			continue;
		seen = 1;
		if (r->type != type)
			continue;
		if (r->len < 0) {
			a->status = (sd_dns_status)(-r->len);
			return a;
		}
		add_rr(a, r, m);
	}
	if (a->n == 0)
		a->status = seen ? SD_DNS_NODATA : SD_DNS_NXDOMAIN;
	return a;
}

static int
logged(const mock *m, const char *entry)
{
	size_t i;

	for (i = 0; i < m->nlog; i++)
		if (strcmp(m->log[i], entry) == 0)
			return 1;
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */
static const char *
detail(const sd_check_item *it, const char *key)
{
	size_t i;

	for (i = 0; it != NULL && i < it->ndetails; i++)
		if (strcmp(it->details[i].key, key) == 0)
			return it->details[i].value;
	return NULL;
}

/* a detail with this key whose value holds needle */
static int
has_detail(const sd_check_item *it, const char *key, const char *needle)
{
	size_t i;

	for (i = 0; it != NULL && i < it->ndetails; i++)
		if (strcmp(it->details[i].key, key) == 0 && strstr(it->details[i].value, needle))
			return 1;
	return 0;
}

static int
says(const sd_check_item *it, const char *needle)
{
	return it != NULL && it->summary != NULL && strstr(it->summary, needle) != NULL;
}

static int
bounce_has(const sd_check_item *it, const char *needle)
{
	return it != NULL && it->bounce != NULL && strstr(it->bounce, needle) != NULL;
}

#define CHECK_STATUS(it, want)                                                             \
	do {                                                                               \
		const sd_check_item *it_ = (it);                                            \
		if (it_ == NULL) {                                                          \
			fprintf(stderr, "%s:%d: no item\n", __FILE__, __LINE__);          \
			CHECK(0);                                                           \
		} else {                                                                    \
			if (it_->status != (want))                                          \
				fprintf(stderr, "%s:%d: %s %s: status %s, want %s (%s)\n",  \
					__FILE__, __LINE__, it_->id,                        \
					it_->subject ? it_->subject : "",                   \
					sd_check_status_name(it_->status),                  \
					sd_check_status_name(want),                         \
					it_->summary ? it_->summary : "");                  \
			CHECK(it_->status == (want));                                       \
		}                                                                           \
	} while (0)

static void
dump(const sd_check_list *l)
{
	size_t i, k;

	if (getenv("DNSCHECK_DUMP") == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		const sd_check_item *it = l->v[i];

		printf("[%s] %s %s: %s\n", sd_check_status_name(it->status), it->id,
		       it->subject ? it->subject : "", it->summary ? it->summary : "");
		for (k = 0; k < it->ndetails; k++)
			printf("    %s = %s\n", it->details[k].key, it->details[k].value);
		if (it->cause)
			printf("    cause: %s\n", it->cause);
		if (it->bounce)
			printf("    bounce: %s\n", it->bounce);
		for (k = 0; k < it->nfix; k++)
			printf("    fix %zu: %s\n", k + 1, it->fix[k]);
	}
}

#define K2048 "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1d5RMlezxB+FonDNvA/H0ZtV8aqfH1EmR5wwRgTYk6B7gi88CLp8rAmIvzFtndwrJzbhOhsvJyldR2LkWdqHlKmPjOCbDE/Lw64lSkRFncos05fl6xWFBEFyNhTexqSTwFHX80Wt/L7CnkYi+1WJ9sxr5izla9rQptY+Qzs8UcXbqUPa2FO+ES44ZyFyl7AcRGNCrcDbVkdFlAlg5IntIedaSlHazcn3ayGmF1l9HTz8YLA+emOiZ3YQ7gkHkCqvAmuM4J7O4xMLGA3DXtCBvauUKYdZQvY7e1SSRV49AZ7sv4aJkrR67bRjZwmTxbb0tEJeqgZ64NEa4mLQrQsAcQIDAQAB"
#define K1024 "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDvvC9Mb6ItwG+dCe2xpUA7OfuGOfBm+4djEzNCcfsh7ELcpRjInPTS1Hu9FSupLOslkQtMogSqR5UUaaTOJlFCwqgY2lvFCbgxVNN5DzAkG85/Jvxy6a2J+pkCyYFJg785op8q/FOUh3TEeRTnsdeiYZnY0Pcw6O//PJh7qSawXQIDAQAB"
#define K512 "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMnnjtP1wOJcJAO3Zd0Pb59iWR+Bgnk0BsOAc6alVzbiByCRSwyIPJLycAtR6R2q/jpngKpNJpXYD7/ozeXif6ECAwEAAQ=="
#define K1024P1 "MIGJAoGBAO+8L0xvoi3Ab50J7bGlQDs5+4Y58Gb7h2MTM0Jx+yHsQtylGMic9NLUe70VK6ks6yWRC0yiBKpHlRRppM4mUULCqBjaW8UJuDFU03kPMCQbzn8m/HLprYn6mQLJgUmDvzminyr8U5SHdMR5FOex16JhmdjQ9zDo7/88mHupJrBdAgMBAAE="
#define KED "dSQpy9CDY4ig4F7VNt1j+T1jKPPvhObW7UM34o1+Lvg="

/* The one zone every test reads. */
static const zrow zone[] = {
	/* MX */
	{"good.test", SD_DNS_MX, "10 mx1.good.test", 0},
	{"good.test", SD_DNS_MX, "20 mx2.good.test", 0},
	{"mx1.good.test", SD_DNS_A, "192.0.2.1", 0},
	{"mx1.good.test", SD_DNS_AAAA, "2001:db8::1", 0},
	{"mx2.good.test", SD_DNS_A, "192.0.2.2", 0},
	{"same.test", SD_DNS_MX, "10 mx1.good.test", 0},
	{"same.test", SD_DNS_MX, "10 mx2.good.test", 0},
	{"same.test", SD_DNS_MX, "10 MX2.good.test.", 0},
	{"nullmx.test", SD_DNS_MX, "0 .", 0},
	{"nullmx.test", SD_DNS_A, "192.0.2.80", 0},
	{"mixednull.test", SD_DNS_MX, "0 .", 0},
	{"mixednull.test", SD_DNS_MX, "10 mx1.good.test", 0},
	{"alias.test", SD_DNS_MX, "10 mail.alias.test", 0},
	{"mail.alias.test", SD_DNS_CNAME, "real.hosting.test", 0},
	{"real.hosting.test", SD_DNS_A, "192.0.2.30", 0},
	{"literal.test", SD_DNS_MX, "10 192.0.2.40", 0},
	{"halfbroken.test", SD_DNS_MX, "10 mx1.good.test", 0},
	{"halfbroken.test", SD_DNS_MX, "20 noaddr.halfbroken.test", 0},
	{"noaddr.halfbroken.test", SD_DNS_TXT, "just text", 0},
	{"deadmx.test", SD_DNS_MX, "10 gone.deadmx.test", 0},
	{"deadmx.test", SD_DNS_TXT, "v=spf1 -all", 0},
	{"implicit.test", SD_DNS_A, "192.0.2.50", 0},
	{"nomail.test", SD_DNS_TXT, "v=spf1 -all", 0},
	{"slow.test", SD_DNS_MX, NULL, FORCE(SD_DNS_TIMEOUT)},
	/* DMARC */
	{"_dmarc.good.test", SD_DNS_TXT, "v=DMARC1; p=reject; rua=mailto:dmarc@good.test", 0},
	{"_dmarc.good.test", SD_DNS_TXT, "google-site-verification=abc", 0},
	{"_dmarc.none.test", SD_DNS_TXT, "v=DMARC1; p=none; rua=mailto:d@none.test", 0},
	{"_dmarc.twice.test", SD_DNS_TXT, "v=DMARC1; p=reject", 0},
	{"_dmarc.twice.test", SD_DNS_TXT, "v=DMARC1; p=none", 0},
	{"_dmarc.example.co.uk", SD_DNS_TXT, "v=DMARC1; p=quarantine; sp=reject; adkim=s", 0},
	{"_dmarc.org.test", SD_DNS_TXT, "v=DMARC1;p=quarantine", 0},
	{"_dmarc.messy.test", SD_DNS_TXT,
	 "v=DMARC1; p=maybe; pct=200; adkim=x; rua=mailto:r@other.test,mailto:bad; fo=9; "
	 "rf=xml; ri=soon; zz=1", 0},
	{"_dmarc.consent.test", SD_DNS_TXT, "v=DMARC1; p=reject; rua=mailto:r@reports.test!10m", 0},
	{"consent.test._report._dmarc.reports.test", SD_DNS_TXT, "v=DMARC1", 0},
	{"_dmarc.lower.test", SD_DNS_TXT, "v=dmarc1; p=reject", 0},
	{"_dmarc.nop.test", SD_DNS_TXT, "v=DMARC1; adkim=s", 0},
	{"_dmarc.half.test", SD_DNS_TXT, "v=DMARC1; p=reject; pct=50", 0},
	{"_dmarc.dmarcslow.test", SD_DNS_TXT, NULL, FORCE(SD_DNS_SERVFAIL)},
	{"_dmarc.garbage.test", SD_DNS_TXT, "v=DMARC1; p=reject; \x01\x02 junk", 0},
	{"_dmarc.nul.test", SD_DNS_TXT, "v=DMARC1; p=re\0ject", (int)sizeof("v=DMARC1; p=re\0ject") - 1},
	{"_dmarc.big.test", SD_DNS_TXT, NULL, 0},
	{"_mta-sts.big.test", SD_DNS_TXT, NULL, 0},
	{"_smtp._tls.big.test", SD_DNS_TXT, NULL, 0},
	{"huge._domainkey.big.test", SD_DNS_TXT, NULL, 0},
	/* DKIM */
	{"s2048._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; k=rsa; p=" K2048, 0},
	{"s1024._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; k=rsa; p=" K1024, 0},
	{"s512._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; p=" K512, 0},
	{"bare._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; p=" K1024P1, 0},
	{"gone._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; k=rsa; p=", 0},
	{"test._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; t=y; p=" K2048, 0},
	{"sha1._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; h=sha1; p=" K2048, 0},
	{"ed._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; k=ed25519; p=" KED, 0},
	{"junk._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; p=!!notbase64!!", 0},
	{"split._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; p=" K2048, 0},
	{"split._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; p=" K1024, 0},
	{"wrongv._domainkey.keys.test", SD_DNS_TXT, "k=rsa; v=DKIM1; p=" K2048, 0},
	{"cut._domainkey.keys.test", SD_DNS_TXT, "v=DKIM1; p=" "MIIBIjANBgkqhkiG9w0BAQEFAAOC", 0},
	{"slow._domainkey.keys.test", SD_DNS_TXT, NULL, FORCE(SD_DNS_TIMEOUT)},
	{"selector1._domainkey.guess.test", SD_DNS_TXT, "v=DKIM1; k=rsa; p=" K2048, 0},
	{"default._domainkey.wild.test", SD_DNS_TXT, "v=spf1 include:_spf.wild.test -all", 0},
	{"google._domainkey.wild.test", SD_DNS_TXT, "hello", 0},
	/* MTA-STS and TLS-RPT */
	{"_mta-sts.good.test", SD_DNS_TXT, "v=STSv1; id=20240101T010101", 0},
	{"mta-sts.good.test", SD_DNS_A, "192.0.2.60", 0},
	{"_smtp._tls.good.test", SD_DNS_TXT, "v=TLSRPTv1; rua=mailto:tls@good.test,https://r.good.test/x", 0},
	{"_mta-sts.badid.test", SD_DNS_TXT, "v=STSv1; id=2024-01-01", 0},
	{"_mta-sts.two.test", SD_DNS_TXT, "v=STSv1; id=1", 0},
	{"_mta-sts.two.test", SD_DNS_TXT, "v=STSv1; id=2", 0},
	{"_mta-sts.spaced.test", SD_DNS_TXT, "v = STSv1; id=1", 0},
	{"_mta-sts.nohost.test", SD_DNS_TXT, "v=STSv1; id=abc ;", 0},
	{"_mta-sts.eqspace.test", SD_DNS_TXT, "v=STSv1; id= abc", 0},
	{"_smtp._tls.norua.test", SD_DNS_TXT, "v=TLSRPTv1; ext=1", 0},
	{"_smtp._tls.ftp.test", SD_DNS_TXT, "v=TLSRPTv1; rua=ftp://x.ftp.test", 0},
	/* PTR */
	{"25.2.0.192.in-addr.arpa", SD_DNS_PTR, "mail.good.test", 0},
	{"mail.good.test", SD_DNS_A, "192.0.2.25", 0},
	{"26.2.0.192.in-addr.arpa", SD_DNS_PTR, "other.good.test", 0},
	{"other.good.test", SD_DNS_A, "192.0.2.99", 0},
	{"7.100.51.198.in-addr.arpa", SD_DNS_PTR, "7-100-51-198.cust.isp.test", 0},
	{"7-100-51-198.cust.isp.test", SD_DNS_A, "198.51.100.7", 0},
	{"8.100.51.198.in-addr.arpa", SD_DNS_PTR, "host198-51-100-8.isp.test", 0},
	{"host198-51-100-8.isp.test", SD_DNS_A, "198.51.100.8", 0},
	{"9.100.51.198.in-addr.arpa", SD_DNS_PTR, "adsl.pool.isp.test", 0},
	{"adsl.pool.isp.test", SD_DNS_A, "198.51.100.9", 0},
	{"10.100.51.198.in-addr.arpa", SD_DNS_PTR, "liverpool.example.test", 0},
	{"liverpool.example.test", SD_DNS_A, "198.51.100.10", 0},
	{"5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", SD_DNS_PTR,
	 "mail6.good.test", 0},
	{"mail6.good.test", SD_DNS_AAAA, "2001:db8::25", 0},
	{"27.2.0.192.in-addr.arpa", SD_DNS_PTR, NULL, FORCE(SD_DNS_TIMEOUT)},
	/* blocklists: 192.0.2.99 is on nothing; 192.0.2.1 on several */
	{"1.2.0.192.zen.spamhaus.org", SD_DNS_A, "127.0.0.2", 0},
	{"1.2.0.192.zen.spamhaus.org", SD_DNS_TXT, "https://check.spamhaus.org/sbl/query/SBL1", 0},
	{"1.2.0.192.bl.spamcop.net", SD_DNS_A, "127.0.0.1", 0},
	{"1.2.0.192.b.barracudacentral.org", SD_DNS_A, "203.0.113.5", 0},
	{"1.2.0.192.psbl.surriel.com", SD_DNS_A, NULL, FORCE(SD_DNS_TIMEOUT)},
	{"2.2.0.192.zen.spamhaus.org", SD_DNS_A, "127.255.255.254", 0},
	{"3.2.0.192.zen.spamhaus.org", SD_DNS_A, "127.0.0.11", 0},
	{"3.2.0.192.zen.spamhaus.org", SD_DNS_A, "127.0.0.4", 0},
	{"4.2.0.192.bl.example.net", SD_DNS_A, "127.0.0.3", 0},
	{"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org",
	 SD_DNS_A, "127.0.0.3", 0},
	{"spammy.test.dbl.spamhaus.org", SD_DNS_A, "127.0.1.2", 0},
	{"spammy.test.multi.uribl.com", SD_DNS_A, "127.0.0.6", 0},
	{"grey.test.multi.uribl.com", SD_DNS_A, "127.0.0.4", 0},
	{"good.test.multi.uribl.com", SD_DNS_A, "127.0.0.1", 0},
	{"good.test.dbl.spamhaus.org", SD_DNS_A, "127.255.255.252", 0},
	/* local delivery */
	{"hosted.test", SD_DNS_MX, "10 server.hosting.test", 0},
	{"server.hosting.test", SD_DNS_A, "203.0.113.10", 0},
	{"byip.test", SD_DNS_MX, "5 mx.byip.test", 0},
	{"mx.byip.test", SD_DNS_A, "203.0.113.10", 0},
	{"moved.test", SD_DNS_MX, "1 aspmx.l.google.test", 0},
	{"moved.test", SD_DNS_MX, "5 alt1.aspmx.l.google.test", 0},
	{"aspmx.l.google.test", SD_DNS_A, "198.51.100.200", 0},
	{"alt1.aspmx.l.google.test", SD_DNS_A, "198.51.100.201", 0},
	{"backup.test", SD_DNS_MX, "10 mx.elsewhere.test", 0},
	{"backup.test", SD_DNS_MX, "50 server.hosting.test", 0},
	{"mx.elsewhere.test", SD_DNS_A, "198.51.100.77", 0},
	{"selfaddr.test", SD_DNS_A, "203.0.113.10", 0},
	{NULL, 0, NULL, 0},
};

static mock M;

static void
reset(void)
{
	M.rows = zone;
	M.nlog = 0;
}

/* ---- helpers of the module ------------------------------------------------ */
static void
test_names(void)
{
	static const struct {
		const char *in, *want;
	} org[] = {
		{"example.com", "example.com"},
		{"a.b.example.com", "example.com"},
		{"Mail.Example.COM.", "example.com"},
		{"x.y.example.co.uk", "example.co.uk"},
		{"example.co.uk", "example.co.uk"},
		{"shop.example.com.au", "example.com.au"},
		{"co.uk", "co.uk"},
		{"com", "com"},
	};
	char out[SD_DNSCHECK_NAME_MAX], rev[200], long_name[300];
	size_t i;

	for (i = 0; i < sizeof(org) / sizeof(org[0]); i++) {
		CHECK(sd_dnscheck_org_domain(org[i].in, out) == 0);
		CHECK_STR(out, org[i].want);
	}
	CHECK(sd_dnscheck_org_domain("bad..name", out) < 0);
	CHECK(sd_dnscheck_org_domain("has space.com", out) < 0);
	CHECK(sd_dnscheck_org_domain("", out) < 0);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	CHECK(sd_dnscheck_domain_norm(long_name, out) < 0);
	memset(long_name, 'a', 64);
	strcpy(long_name + 64, ".com");
	CHECK(sd_dnscheck_domain_norm(long_name, out) < 0); /* a 64-byte label */

	CHECK(sd_dnscheck_reverse_name("192.0.2.1", NULL, rev, sizeof(rev)) == 4);
	CHECK_STR(rev, "1.2.0.192.in-addr.arpa");
	CHECK(sd_dnscheck_reverse_name("192.0.2.1", "zen.spamhaus.org", rev, sizeof(rev)) == 4);
	CHECK_STR(rev, "1.2.0.192.zen.spamhaus.org");
	CHECK(sd_dnscheck_reverse_name("2001:db8::25", NULL, rev, sizeof(rev)) == 6);
	CHECK_STR(rev, "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	CHECK(sd_dnscheck_reverse_name("2001:DB8:0:0:1:0:0:ABCD", NULL, rev, sizeof(rev)) == 6);
	CHECK_STR(rev, "d.c.b.a.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	CHECK(sd_dnscheck_reverse_name("::ffff:192.0.2.1", NULL, rev, sizeof(rev)) == 4);
	CHECK_STR(rev, "1.2.0.192.in-addr.arpa");
	CHECK(sd_dnscheck_reverse_name("[192.0.2.1]", NULL, rev, sizeof(rev)) == 4);
	CHECK(sd_dnscheck_reverse_name("192.0.2", NULL, rev, sizeof(rev)) == 0);
	CHECK(sd_dnscheck_reverse_name("mail.example.com", NULL, rev, sizeof(rev)) == 0);
	CHECK(sd_dnscheck_reverse_name("2001:db8::1", NULL, rev, 20) == 0); /* does not fit */
}

static void
test_tags(void)
{
	sd_dc_tags t;
	char err[160], many[1200];
	const sd_dc_tag *g;
	size_t i, o = 0;

	CHECK(sd_dc_tags_parse("v=DKIM1; k = rsa ;p=AB CD; ", 27, 0, &t, err, sizeof(err)) == 0);
	CHECK(t.n == 3);
	g = sd_dc_tags_get(&t, "k", 0);
	CHECK(g != NULL && sd_dc_eq(g->value, g->value_len, "rsa") && g->spaced);
	g = sd_dc_tags_get(&t, "p", 0);
	CHECK(g != NULL && sd_dc_eq(g->value, g->value_len, "AB CD"));
	CHECK(sd_dc_tags_get(&t, "K", 0) == NULL);
	CHECK(sd_dc_tags_get(&t, "K", 1) != NULL);
	CHECK(sd_dc_tags_parse("a=1; a=2", 8, 0, &t, err, sizeof(err)) < 0);
	CHECK(strstr(err, "more than once") != NULL);
	CHECK(sd_dc_tags_parse("a=1; A=2", 8, 1, &t, err, sizeof(err)) < 0);
	CHECK(sd_dc_tags_parse("a=1; A=2", 8, 0, &t, err, sizeof(err)) == 0);
	CHECK(sd_dc_tags_parse("a=1; novalue", 12, 0, &t, err, sizeof(err)) < 0);
	CHECK(strstr(err, "tag=value") != NULL);
	CHECK(sd_dc_tags_parse("1a=1", 4, 0, &t, err, sizeof(err)) < 0);
	CHECK(sd_dc_tags_parse("a=1\0b", 5, 0, &t, err, sizeof(err)) < 0);
	CHECK(sd_dc_tags_parse(";;a=1;;", 7, 0, &t, err, sizeof(err)) == 0 && t.n == 1);
	for (i = 0; i < 70; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "t%zu=x;", i);
	CHECK(sd_dc_tags_parse(many, o, 0, &t, err, sizeof(err)) < 0);
	CHECK(sd_dc_version_prefix("v=DMARC1; p=none", 16, "v", "DMARC1", 0) == 1);
	CHECK(sd_dc_version_prefix("  v = DMARC1", 12, "v", "DMARC1", 0) == 1);
	CHECK(sd_dc_version_prefix("v=dmarc1; p=none", 16, "v", "DMARC1", 0) == 2);
	CHECK(sd_dc_version_prefix("v=DMARC10", 9, "v", "DMARC1", 0) == 0);
	CHECK(sd_dc_version_prefix("p=none; v=DMARC1", 16, "v", "DMARC1", 0) == 0);
	CHECK(sd_dc_version_prefix("v = STSv1;", 10, "v", "STSv1", 1) == 2);
	CHECK(sd_dc_version_prefix("v=STSv1;", 8, "v", "STSv1", 1) == 1);
}

static void
test_items(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it, *b;
	char raw[2000];
	size_t i;

	it = sd_check_list_add(&l, "x.one", SD_CHECK_PASS);
	b = sd_check_list_add(&l, "x.two", SD_CHECK_INFO);
	CHECK(it != NULL && b != NULL);
	sd_check_item_subject(it, "example.com");
	sd_check_item_summary(it, "n=%d", 3);
	sd_check_item_fix(it, "step %d", 1);
	sd_check_item_fix(it, "step %d", 2);
	sd_check_item_cause(it, "sender.no-ptr");
	sd_check_item_cause(it, NULL);
	sd_check_item_detail_text(it, "record", "a\0b\x7f\\", 5);
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = 'z';
	sd_check_item_detail_text(it, "long", raw, sizeof(raw));
	CHECK_STR(it->summary, "n=3");
	CHECK(it->nfix == 2);
	CHECK_STR(it->fix[1], "step 2");
	CHECK(it->cause == NULL);
	CHECK_STR(detail(it, "record"), "a\\x00b\\x7f\\x5c");
	CHECK(detail(it, "long") != NULL && strlen(detail(it, "long")) == SD_CHECK_MAX_VALUE + 3);
	sd_check_item_worsen(it, SD_CHECK_WARN);
	sd_check_item_worsen(it, SD_CHECK_INFO);
	CHECK(it->status == SD_CHECK_WARN);
	CHECK(sd_check_list_worst(&l) == SD_CHECK_WARN);
	CHECK(sd_check_list_find(&l, "x.one", "example.com") == it);
	CHECK(sd_check_list_find(&l, "x.one", "other") == NULL);
	CHECK(sd_check_list_find(&l, "x.two", NULL) == b);
	CHECK(sd_check_list_status(&l) == SMTPDOC_OK);
	CHECK_STR(sd_check_status_name(SD_CHECK_UNKNOWN), "unknown");
	sd_check_list_free(&l);
	CHECK(l.n == 0 && l.v == NULL);
	sd_check_list_free(&l);
	sd_check_item_free(NULL);
}

/* ---- MX ----------------------------------------------------------------- */
static void
test_mx(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_dnscheck_strs addrs = {0};
	sd_check_item *it;

	reset();
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "Good.Test.", &l, &addrs) == SMTPDOC_OK);
	dump(&l);
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", "good.test"), SD_CHECK_PASS);
	CHECK_STATUS(sd_check_list_find(&l, "mx.host", "mx1.good.test"), SD_CHECK_PASS);
	CHECK_STATUS(sd_check_list_find(&l, "mx.host", "mx2.good.test"), SD_CHECK_PASS);
	CHECK(addrs.n == 3);
	CHECK(addrs.n == 3 && strcmp(addrs.v[0], "192.0.2.1") == 0 &&
	      strcmp(addrs.v[1], "2001:db8::1") == 0);
	sd_dnscheck_strs_free(&addrs);
	sd_check_list_free(&l);

	/* shared preferences are fine; the same host twice is checked once */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "same.test", &l, NULL) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK(has_detail(it, "note", "share a preference"));
	CHECK(l.n == 3);
	sd_check_list_free(&l);

	/* null MX */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "nullmx.test", &l, &addrs) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(it ? it->cause : NULL, "domain.not-accepting");
	CHECK(bounce_has(it, "5.1.10"));
	CHECK(says(it, "accepts no mail"));
	CHECK(l.n == 1 && addrs.n == 0);
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "mixednull.test", &l, NULL) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "must be the only one"));
	sd_check_list_free(&l);

	/* an MX that is an alias */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "alias.test", &l, NULL) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "mx.host", "mail.alias.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK_STR(detail(it, "alias_of"), "real.hosting.test");
	CHECK_STR(it ? it->cause : NULL, "sender.dns-records");
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", NULL), SD_CHECK_PASS);
	sd_check_list_free(&l);

	/* an IP address as MX */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "literal.test", &l, NULL) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "mx.host", "192.0.2.40");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "IP address, not a host name"));
	CHECK(!logged(&M, "192.0.2.40/1")); /* never looked up as a name */
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", NULL), SD_CHECK_FAIL);
	sd_check_list_free(&l);

	/* a host without address: a warning while another host works */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "halfbroken.test", &l, NULL) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "mx.host", "noaddr.halfbroken.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "has no address"));
	CHECK(bounce_has(it, "Host or domain name not found"));
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", NULL), SD_CHECK_PASS);
	sd_check_list_free(&l);
	/* ... and a failure when it is the only one */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "deadmx.test", &l, NULL) == SMTPDOC_OK);
	CHECK_STATUS(sd_check_list_find(&l, "mx.host", "gone.deadmx.test"), SD_CHECK_FAIL);
	CHECK(says(sd_check_list_find(&l, "mx.host", NULL), "does not exist"));
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", NULL), SD_CHECK_FAIL);
	sd_check_list_free(&l);

	/* implicit MX */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "implicit.test", &l, &addrs) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "implicit MX"));
	CHECK_STR(detail(it, "implicit_mx"), "192.0.2.50");
	CHECK(addrs.n == 1);
	sd_dnscheck_strs_free(&addrs);
	sd_check_list_free(&l);

	/* no mail host at all; no domain; no answer */
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "nomail.test", &l, NULL) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(it ? it->cause : NULL, "domain.unknown");
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "nosuch.test", &l, NULL) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "does not exist"));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "slow.test", &l, NULL) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mx.records", NULL);
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	CHECK_STR(detail(it, "dns"), "timeout");
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mx(mock_lookup, &M, "bad name..test", &l, NULL) == SMTPDOC_EINVAL);
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", NULL), SD_CHECK_FAIL);
	sd_check_list_free(&l);
}

/* ---- DMARC ---------------------------------------------------------------- */
static sd_check_item *
dmarc(sd_check_list *l, const char *domain)
{
	sd_check_list_free(l);
	reset();
	CHECK(sd_dnscheck_dmarc(mock_lookup, &M, domain, l) == SMTPDOC_OK);
	dump(l);
	CHECK(l->n == 1);
	return sd_check_list_find(l, "dmarc.record", NULL);
}

static void
test_dmarc(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it;
	char *big;
	size_t i;

	it = dmarc(&l, "good.test");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(detail(it, "policy"), "reject");
	CHECK_STR(detail(it, "applies"), "reject");
	CHECK(has_detail(it, "adkim", "relaxed"));
	CHECK(has_detail(it, "note", "not a DMARC record")); /* the other TXT record */
	CHECK(has_detail(it, "bounce_when_unaligned", "5.7.26"));
	CHECK(says(it, "refused (p=reject)"));
	CHECK(it != NULL && it->cause == NULL && it->bounce == NULL);

	it = dmarc(&l, "none.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "policy none"));

	it = dmarc(&l, "missing.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(it ? it->cause : NULL, "sender.no-dmarc");
	CHECK(bounce_has(it, "550 5.7.26"));
	CHECK(says(it, "no DMARC record"));
	CHECK(logged(&M, "_dmarc.missing.test/16"));

	it = dmarc(&l, "twice.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "2 DMARC records"));

	/* a subdomain falls back to its organisational domain */
	it = dmarc(&l, "mail.shop.example.co.uk");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK(logged(&M, "_dmarc.mail.shop.example.co.uk/16"));
	CHECK(logged(&M, "_dmarc.example.co.uk/16"));
	CHECK(!logged(&M, "_dmarc.shop.example.co.uk/16"));
	CHECK_STR(detail(it, "found_at"), "_dmarc.example.co.uk");
	CHECK_STR(detail(it, "policy"), "quarantine");
	CHECK_STR(detail(it, "applies"), "reject"); /* sp= */
	CHECK(has_detail(it, "adkim", "strict"));
	it = dmarc(&l, "sub.org.test");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(detail(it, "applies"), "quarantine"); /* no sp=: p= */
	it = dmarc(&l, "example.co.uk");
	CHECK_STR(detail(it, "applies"), "quarantine");
	CHECK_STR(detail(it, "subdomain_policy"), "reject");
	it = dmarc(&l, "deep.missing.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(logged(&M, "_dmarc.missing.test/16"));

	/* invalid values, each named */
	it = dmarc(&l, "messy.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "p= value"));
	CHECK(has_detail(it, "problem", "treat it as p=none"));
	CHECK(has_detail(it, "problem", "pct="));
	CHECK(has_detail(it, "problem", "adkim="));
	CHECK(has_detail(it, "problem", "\"mailto:bad\" is not a mail address"));
	CHECK(has_detail(it, "problem", "fo="));
	CHECK(has_detail(it, "problem", "rf="));
	CHECK(has_detail(it, "problem", "ri="));
	CHECK(has_detail(it, "note", "zz= is not a DMARC tag"));
	CHECK(has_detail(it, "problem", "reports will not be sent to other.test"));
	CHECK(logged(&M, "messy.test._report._dmarc.other.test/16"));
	CHECK_STR(detail(it, "applies"), "none");

	it = dmarc(&l, "consent.test");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK(has_detail(it, "note", "reports.test accepts DMARC reports"));

	it = dmarc(&l, "lower.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "problem", "v=DMARC1, written exactly so"));

	it = dmarc(&l, "nop.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "cannot be used"));
	CHECK(has_detail(it, "problem", "no p= tag"));

	it = dmarc(&l, "half.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "pct below 100"));

	it = dmarc(&l, "dmarcslow.test");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	CHECK(!logged(&M, "_dmarc.dmarcslow.test/16") || !logged(&M, "_dmarc.test/16"));

	/* hostile records */
	it = dmarc(&l, "garbage.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "problem", "cannot be read"));
	CHECK(has_detail(it, "record", "\\x01\\x02"));
	it = dmarc(&l, "nul.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	big = malloc(200000);
	for (i = 0; i < 200000; i++)
		big[i] = (char)((i * 7919u) % 251u);
	memcpy(big, "v=DMARC1; ", 10);
	M.big = big;
	M.biglen = 200000;
	it = dmarc(&l, "big.test");
	CHECK(it != NULL && it->status >= SD_CHECK_WARN);
	CHECK(detail(it, "record") != NULL && strlen(detail(it, "record")) <= SD_CHECK_MAX_VALUE * 4 + 3);
	for (i = 10; i + 4 < 200000; i += 4)
		memcpy(big + i, "a=;", 3), big[i + 3] = ' ';
	it = dmarc(&l, "big.test"); /* thousands of empty-valued tags */
	CHECK(it != NULL && it->status == SD_CHECK_FAIL);
	/* the same hostile bytes as MTA-STS, TLS-RPT and DKIM records */
	for (i = 0; i < 3; i++) {
		const char *sel[1] = {"huge"};
		size_t k;

		if (i == 1) /* random bytes after each version tag */
			for (k = 0; k < 200000; k++)
				big[k] = (char)((k * 7919u) % 251u);
		if (i == 2) /* one enormous, valid-looking key */
			for (k = 0; k < 200000; k++)
				big[k] = "ABCD"[k % 4];
		memcpy(big, "v=STSv1; ", 9);
		sd_check_list_free(&l);
		CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "big.test", &l) == SMTPDOC_OK);
		CHECK_STATUS(sd_check_list_find(&l, "mta-sts.record", NULL), SD_CHECK_WARN);
		memcpy(big, "v=TLSRPTv1; ", 12);
		CHECK(sd_dnscheck_tlsrpt(mock_lookup, &M, "big.test", &l) == SMTPDOC_OK);
		CHECK_STATUS(sd_check_list_find(&l, "tlsrpt.record", NULL), SD_CHECK_WARN);
		memcpy(big, "v=DKIM1; p=", 11);
		CHECK(sd_dnscheck_dkim(mock_lookup, &M, "big.test", sel, 1, &l) == SMTPDOC_OK);
		CHECK_STATUS(sd_check_list_find(&l, "dkim.key", NULL), SD_CHECK_FAIL);
		dump(&l);
	}
	free(big);
	M.big = NULL;
	sd_check_list_free(&l);
}

/* ---- DKIM ----------------------------------------------------------------- */
static sd_check_item *
dkim1(sd_check_list *l, const char *sel)
{
	const char *sels[1] = {sel};

	sd_check_list_free(l);
	reset();
	CHECK(sd_dnscheck_dkim(mock_lookup, &M, "keys.test", sels, 1, l) == SMTPDOC_OK);
	dump(l);
	CHECK(l->n == 1);
	return sd_check_list_find(l, "dkim.key", NULL);
}

static void
test_dkim(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it;
	const char *two[2] = {"s2048", "nosuch"};

	it = dkim1(&l, "s2048");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(detail(it, "key_bits"), "2048");
	CHECK_STR(detail(it, "key_type"), "rsa");
	CHECK_STR(it ? it->subject : NULL, "s2048._domainkey.keys.test");
	CHECK(says(it, "2048 bits"));

	it = dkim1(&l, "s1024");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK_STR(detail(it, "key_bits"), "1024");
	CHECK_STR(it ? it->cause : NULL, "sender.dkim-key");

	it = dkim1(&l, "s512");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(detail(it, "key_bits"), "512");
	CHECK(has_detail(it, "problem", "under 1024 bits"));
	CHECK(bounce_has(it, "5.7.26"));

	it = dkim1(&l, "bare");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK_STR(detail(it, "key_bits"), "1024");
	CHECK(has_detail(it, "note", "bare RSAPublicKey"));

	it = dkim1(&l, "gone");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "revoked"));

	it = dkim1(&l, "test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "testing"));

	it = dkim1(&l, "sha1");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "problem", "sha256"));

	it = dkim1(&l, "ed");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(detail(it, "key_type"), "ed25519");
	CHECK_STR(detail(it, "key_bits"), "256");

	it = dkim1(&l, "junk");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "problem", "base64"));

	it = dkim1(&l, "cut");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "problem", "RSA public key that can be read"));

	it = dkim1(&l, "split");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "2 TXT records"));

	it = dkim1(&l, "wrongv");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "problem", "v= must be DKIM1"));

	it = dkim1(&l, "nosuch");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "No DKIM key is published for selector nosuch"));
	CHECK_STR(it ? it->cause : NULL, "sender.dkim-key");

	it = dkim1(&l, "slow");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);

	it = dkim1(&l, "bad selector");
	CHECK_STATUS(it, SD_CHECK_FAIL);

	/* two selectors given: one item each */
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_dkim(mock_lookup, &M, "keys.test", two, 2, &l) == SMTPDOC_OK);
	CHECK(l.n == 2);
	CHECK_STATUS(sd_check_list_find(&l, "dkim.key", "s2048._domainkey.keys.test"), SD_CHECK_PASS);
	CHECK_STATUS(sd_check_list_find(&l, "dkim.key", "nosuch._domainkey.keys.test"), SD_CHECK_FAIL);
	sd_check_list_free(&l);

	/* guessing: a found selector only; nothing about the others */
	reset();
	CHECK(sd_dnscheck_dkim(mock_lookup, &M, "guess.test", NULL, 0, &l) == SMTPDOC_OK);
	dump(&l);
	CHECK(l.n == 1);
	CHECK_STATUS(sd_check_list_find(&l, "dkim.key", "selector1._domainkey.guess.test"),
		     SD_CHECK_PASS);
	CHECK(sd_check_list_find(&l, "dkim.selectors", NULL) == NULL);
	CHECK(logged(&M, "default._domainkey.guess.test/16"));
	CHECK(logged(&M, "google._domainkey.guess.test/16"));
	sd_check_list_free(&l);

	/* guessing and finding nothing: never "DKIM missing" */
	reset();
	CHECK(sd_dnscheck_dkim(mock_lookup, &M, "wild.test", NULL, 0, &l) == SMTPDOC_OK);
	dump(&l);
	CHECK(l.n == 1);
	it = sd_check_list_find(&l, "dkim.selectors", NULL);
	CHECK_STATUS(it, SD_CHECK_INFO);
	CHECK(says(it, "not found") || says(it, "No DKIM key was found for the selectors tried: "
					   "default, dkim, mail, selector1"));
	CHECK(says(it, "does not mean DKIM is missing"));
	CHECK(!says(it, "DKIM missing") && !says(it, "has no DKIM"));
	CHECK(has_detail(it, "tried", "google"));
	CHECK(it != NULL && it->nfix >= 1 && strstr(it->fix[0], "--dkim-selector") != NULL);
	sd_check_list_free(&l);
}

/* ---- MTA-STS and TLS-RPT ------------------------------------------------------ */
static void
test_sts(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it;

	reset();
	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "good.test", &l) == SMTPDOC_OK);
	CHECK(sd_dnscheck_tlsrpt(mock_lookup, &M, "good.test", &l) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "mta-sts.record", NULL);
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(detail(it, "id"), "20240101T010101");
	CHECK(has_detail(it, "policy_file", "not checked"));
	CHECK(has_detail(it, "policy_file", "https://mta-sts.good.test/.well-known/mta-sts.txt"));
	CHECK(logged(&M, "_mta-sts.good.test/16"));
	it = sd_check_list_find(&l, "tlsrpt.record", NULL);
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK(logged(&M, "_smtp._tls.good.test/16"));
	sd_check_list_free(&l);

	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "missing.test", &l) == SMTPDOC_OK);
	CHECK(sd_dnscheck_tlsrpt(mock_lookup, &M, "missing.test", &l) == SMTPDOC_OK);
	CHECK_STATUS(sd_check_list_find(&l, "mta-sts.record", NULL), SD_CHECK_INFO);
	CHECK(says(sd_check_list_find(&l, "mta-sts.record", NULL), "optional"));
	CHECK_STATUS(sd_check_list_find(&l, "tlsrpt.record", NULL), SD_CHECK_INFO);
	sd_check_list_free(&l);

	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "badid.test", &l) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mta-sts.record", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "id= must be"));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "two.test", &l) == SMTPDOC_OK);
	CHECK_STATUS(sd_check_list_find(&l, "mta-sts.record", NULL), SD_CHECK_WARN);
	CHECK(says(sd_check_list_find(&l, "mta-sts.record", NULL), "exactly one"));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "spaced.test", &l) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mta-sts.record", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "without spaces"));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "nohost.test", &l) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "mta-sts.record", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "policy host mta-sts.nohost.test has no address"));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_mta_sts(mock_lookup, &M, "eqspace.test", &l) == SMTPDOC_OK);
	CHECK_STATUS(sd_check_list_find(&l, "mta-sts.record", NULL), SD_CHECK_WARN);
	sd_check_list_free(&l);

	CHECK(sd_dnscheck_tlsrpt(mock_lookup, &M, "norua.test", &l) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "tlsrpt.record", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "no rua="));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_tlsrpt(mock_lookup, &M, "ftp.test", &l) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "tlsrpt.record", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "problem", "ftp://"));
	sd_check_list_free(&l);
}

/* ---- reverse DNS ---------------------------------------------------------- */
static sd_check_item *
ptr(sd_check_list *l, const char *ip, const char *host)
{
	sd_check_list_free(l);
	reset();
	CHECK(sd_dnscheck_ptr(mock_lookup, &M, ip, host, l) == SMTPDOC_OK);
	dump(l);
	return sd_check_list_find(l, "rdns.ptr", NULL);
}

static void
test_ptr(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it;

	it = ptr(&l, "192.0.2.25", NULL);
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(detail(it, "confirmed_by"), "mail.good.test");
	CHECK_STR(detail(it, "ptr_query"), "25.2.0.192.in-addr.arpa");
	CHECK(logged(&M, "25.2.0.192.in-addr.arpa/12"));
	CHECK(logged(&M, "mail.good.test/1"));
	CHECK(!logged(&M, "mail.good.test/28")); /* IPv4: A only */

	it = ptr(&l, "192.0.2.200", NULL);
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(it ? it->cause : NULL, "sender.no-ptr");
	CHECK(bounce_has(it, "550 5.7.25"));
	CHECK(bounce_has(it, "does not have a PTR record"));
	CHECK(says(it, "no reverse DNS name"));

	it = ptr(&l, "192.0.2.26", NULL);
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "does not lead back"));

	it = ptr(&l, "198.51.100.7", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "generic", "\"cust\"") || has_detail(it, "generic", "numbers"));
	it = ptr(&l, "198.51.100.8", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "generic", "address's numbers"));
	it = ptr(&l, "198.51.100.9", NULL);
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(has_detail(it, "generic", "\"adsl\""));
	it = ptr(&l, "198.51.100.10", NULL); /* "liverpool" is not "pool" */
	CHECK_STATUS(it, SD_CHECK_PASS);

	it = ptr(&l, "2001:db8::25", NULL);
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK(logged(&M, "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa/12"));
	CHECK(logged(&M, "mail6.good.test/28"));
	CHECK_STR(it ? it->subject : NULL, "2001:db8::25");

	it = ptr(&l, "::ffff:192.0.2.25", NULL);
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK_STR(it ? it->subject : NULL, "192.0.2.25");

	it = ptr(&l, "192.0.2.27", NULL);
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);

	/* an MX host's address: a warning, and said so */
	it = ptr(&l, "192.0.2.200", "mx1.good.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "mail server mx1.good.test"));

	sd_check_list_free(&l);
	CHECK(sd_dnscheck_ptr(mock_lookup, &M, "not-an-ip", NULL, &l) == SMTPDOC_EINVAL);
	CHECK_STATUS(sd_check_list_find(&l, "rdns.ptr", NULL), SD_CHECK_FAIL);
	sd_check_list_free(&l);
}

/* ---- blocklists ---------------------------------------------------------------- */
static void
test_dnsbl(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it;
	const char *custom[2] = {"bl.example.net", "not a zone"};
	size_t i;

	reset();
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "192.0.2.99", NULL, 0, &l) == SMTPDOC_OK);
	CHECK(l.n == 5);
	for (i = 0; i < l.n; i++)
		CHECK_STATUS(l.v[i], SD_CHECK_PASS);
	CHECK(logged(&M, "99.2.0.192.zen.spamhaus.org/1"));
	CHECK(logged(&M, "99.2.0.192.b.barracudacentral.org/1"));
	CHECK(says(l.v[0], "is not on Spamhaus ZEN"));
	sd_check_list_free(&l);

	reset();
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "192.0.2.1", NULL, 0, &l) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.1 on zen.spamhaus.org");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(it ? it->cause : NULL, "sender.blocklisted");
	CHECK(has_detail(it, "meaning", "Spamhaus SBL"));
	CHECK(bounce_has(it, "blocked using zen.spamhaus.org"));
	CHECK(has_detail(it, "list_says", "check.spamhaus.org"));
	/* 127.0.0.1 from SpamCop: a refusal, not a listing */
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.1 on bl.spamcop.net");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	CHECK(says(it, "the list refused the query (your resolver is blocked or over its limit)"));
	CHECK(it != NULL && it->cause == NULL);
	/* an answer outside 127/8 */
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.1 on b.barracudacentral.org");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	CHECK(has_detail(it, "answer", "invent answers"));
	/* a timeout */
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.1 on psbl.surriel.com");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	CHECK(says(it, "did not answer in time"));
	CHECK_STATUS(sd_check_list_find(&l, "dnsbl.ip", "192.0.2.1 on bl.mailspike.net"),
		     SD_CHECK_PASS);
	sd_check_list_free(&l);

	/* Spamhaus refusing a public resolver */
	reset();
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "192.0.2.2", NULL, 0, &l) == SMTPDOC_OK);
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.2 on zen.spamhaus.org");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	CHECK(says(it, "public or open resolver"));
	CHECK(it != NULL && it->bounce == NULL);
	sd_check_list_free(&l);

	/* PBL and XBL together */
	reset();
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "192.0.2.3", NULL, 0, &l) == SMTPDOC_OK);
	dump(&l);
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.3 on zen.spamhaus.org");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "answer", "127.0.0.11: Spamhaus PBL"));
	CHECK(has_detail(it, "answer", "127.0.0.4: Spamhaus XBL"));
	CHECK(it != NULL && it->nfix > 0 && strstr(it->fix[0], "port 587") != NULL);
	sd_check_list_free(&l);

	/* IPv6: nibbles, and only the lists that hold IPv6 */
	reset();
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "2001:db8::1", NULL, 0, &l) == SMTPDOC_OK);
	CHECK(l.n == 1);
	CHECK_STATUS(l.n ? l.v[0] : NULL, SD_CHECK_FAIL);
	CHECK(logged(&M, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
			 "zen.spamhaus.org/1"));
	sd_check_list_free(&l);

	/* a list smtpdoc does not know, and a zone name that is not one */
	reset();
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "192.0.2.4", custom, 2, &l) == SMTPDOC_OK);
	dump(&l);
	CHECK(l.n == 2);
	it = sd_check_list_find(&l, "dnsbl.ip", "192.0.2.4 on bl.example.net");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "meaning", "listed (answer 127.0.0.3)"));
	CHECK_STATUS(l.n == 2 ? l.v[1] : NULL, SD_CHECK_UNKNOWN);
	sd_check_list_free(&l);

	/* domains */
	reset();
	CHECK(sd_dnscheck_dnsbl_domain(mock_lookup, &M, "spammy.test", NULL, 0, &l) == SMTPDOC_OK);
	dump(&l);
	CHECK(l.n == 2);
	it = sd_check_list_find(&l, "dnsbl.domain", "spammy.test on dbl.spamhaus.org");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(has_detail(it, "meaning", "spam domain"));
	CHECK(bounce_has(it, "Sender address [spammy.test] blocked using dbl.spamhaus.org"));
	it = sd_check_list_find(&l, "dnsbl.domain", "spammy.test on multi.uribl.com");
	CHECK_STATUS(it, SD_CHECK_FAIL); /* black and grey bits: black wins */
	CHECK(has_detail(it, "meaning", "URIBL black"));
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_dnsbl_domain(mock_lookup, &M, "grey.test", NULL, 0, &l) == SMTPDOC_OK);
	CHECK_STATUS(sd_check_list_find(&l, "dnsbl.domain", "grey.test on multi.uribl.com"),
		     SD_CHECK_WARN);
	CHECK_STATUS(sd_check_list_find(&l, "dnsbl.domain", "grey.test on dbl.spamhaus.org"),
		     SD_CHECK_PASS);
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_dnsbl_domain(mock_lookup, &M, "good.test", NULL, 0, &l) == SMTPDOC_OK);
	CHECK_STATUS(sd_check_list_find(&l, "dnsbl.domain", "good.test on multi.uribl.com"),
		     SD_CHECK_UNKNOWN);
	CHECK_STATUS(sd_check_list_find(&l, "dnsbl.domain", "good.test on dbl.spamhaus.org"),
		     SD_CHECK_UNKNOWN);
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_dnsbl_ip(mock_lookup, &M, "999.1.1.1", NULL, 0, &l) == SMTPDOC_EINVAL);
	sd_check_list_free(&l);
}

/* ---- local delivery ------------------------------------------------------------- */
static sd_check_item *
local(sd_check_list *l, const char *domain)
{
	static const char *const here[] = {"server.hosting.test", "203.0.113.10", "2001:db8::10"};

	sd_check_list_free(l);
	reset();
	CHECK(sd_dnscheck_local_mx(mock_lookup, &M, domain, here, 3, l) == SMTPDOC_OK);
	dump(l);
	CHECK(l->n == 1);
	return sd_check_list_find(l, "mx.local", NULL);
}

static void
test_local_mx(void)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_check_item *it;

	it = local(&l, "hosted.test");
	CHECK_STATUS(it, SD_CHECK_PASS);
	CHECK(!logged(&M, "server.hosting.test/1")); /* matched by name */
	it = local(&l, "byip.test");
	CHECK_STATUS(it, SD_CHECK_PASS);
	it = local(&l, "moved.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK_STR(it ? it->cause : NULL, "domain.mx-elsewhere");
	CHECK(says(it, "goes to aspmx.l.google.test"));
	CHECK(bounce_has(it, "User unknown"));
	it = local(&l, "backup.test");
	CHECK_STATUS(it, SD_CHECK_WARN);
	CHECK(says(it, "backup MX"));
	it = local(&l, "selfaddr.test");
	CHECK_STATUS(it, SD_CHECK_PASS);
	it = local(&l, "implicit.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	it = local(&l, "nullmx.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	CHECK(says(it, "null MX"));
	it = local(&l, "slow.test");
	CHECK_STATUS(it, SD_CHECK_UNKNOWN);
	it = local(&l, "nosuch.test");
	CHECK_STATUS(it, SD_CHECK_FAIL);
	sd_check_list_free(&l);
	CHECK(sd_dnscheck_local_mx(mock_lookup, &M, "hosted.test", NULL, 0, &l) == SMTPDOC_EINVAL);
	sd_check_list_free(&l);
}

/* ---- every check given garbage: never a crash, always an item --------------------- */
static void
test_garbage(void)
{
	static const char *const bad[] = {"", ".", "..", "a..b", "-", "\x01\x02", "x y",
					  "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z"};
	sd_check_list l = SD_CHECK_LIST_INIT;
	size_t i;

	reset();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t before = l.n;

		sd_dnscheck_mx(mock_lookup, &M, bad[i], &l, NULL);
		sd_dnscheck_dmarc(mock_lookup, &M, bad[i], &l);
		sd_dnscheck_dkim(mock_lookup, &M, bad[i], NULL, 0, &l);
		sd_dnscheck_mta_sts(mock_lookup, &M, bad[i], &l);
		sd_dnscheck_tlsrpt(mock_lookup, &M, bad[i], &l);
		sd_dnscheck_ptr(mock_lookup, &M, bad[i], NULL, &l);
		sd_dnscheck_dnsbl_ip(mock_lookup, &M, bad[i], NULL, 0, &l);
		sd_dnscheck_dnsbl_domain(mock_lookup, &M, bad[i], &bad[i], 1, &l);
		sd_dnscheck_local_mx(mock_lookup, &M, bad[i], &bad[i], 1, &l);
		CHECK(l.n >= before + 9);
	}
	for (i = 0; i < l.n; i++)
		CHECK(l.v[i]->summary != NULL);
	sd_check_list_free(&l);
	sd_dnscheck_mx(NULL, NULL, "good.test", &l, NULL); /* no lookup function */
	CHECK_STATUS(sd_check_list_find(&l, "mx.records", NULL), SD_CHECK_UNKNOWN);
	sd_check_list_free(&l);
}

int
main(void)
{
	test_names();
	test_tags();
	test_items();
	test_mx();
	test_dmarc();
	test_dkim();
	test_sts();
	test_ptr();
	test_dnsbl();
	test_local_mx();
	test_garbage();
	TEST_MAIN_END();
}
