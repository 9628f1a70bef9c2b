/*
 * test_spf.c - unit tests of the SPF module (spf_*.c): the record parser
 * (terms, qualifiers, dual prefix lengths, modifiers, and errors with
 * their exact byte offset and reason), the macro checker and expander on
 * RFC 7208 section 7.4's examples and our own, domain-spec and name
 * rules, addresses, then check_host() against zones served from memory
 * (tests/unit/spfzone.h): counting of DNS-querying terms and void
 * lookups, the partial evaluation and tree count over the 10-lookup limit,
 * exp=, DNS errors, IPv4-mapped clients, %{p}, hostile records, and the
 * lint of record trees.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf.h"
#include "spf_internal.h"
#include "spfzone.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
contains(const char *s, const char *word)
{
	return s != NULL && word != NULL && strstr(s, word) != NULL;
}

/* ---- parser ------------------------------------------------------------ */

/* ok 1: must parse; else the error's offset (-1: not checked) and a word
 * its reason must contain */
static const struct {
	const char *rec;
	int ok;
	long off;
	const char *word;
} parse_cases[] = {
	{"v=spf1", 1, 0, NULL},
	{"v=spf1 -all", 1, 0, NULL},
	{"V=SPF1 A MX -ALL", 1, 0, NULL},
	{"v=spf1 a  -all ", 1, 0, NULL},
	{"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", 1, 0, NULL},
	{"v=spf1 a:foo:bar/baz.example.com", 1, 0, NULL},
	{"v=spf1 a:foo.example.xn--zckzah -all", 1, 0, NULL},
	{"v=spf1 redirect=_spf.example.org", 1, 0, NULL},
	{"v=spf1 exp=explain.%{d} -all", 1, 0, NULL},
	{"v=spf1 foo=%{l}bar default=+", 1, 0, NULL},
	{"v=spf1 a:%{d}", 1, 0, NULL},
	{"v=spf1 a:macro%%percent%_%_space%-url-space.example.com", 1, 0, NULL},
	{"v=spf1 exists:%{ir}.%{l1r+-}.%{v}._spf.%{d2} -all", 1, 0, NULL},
	{"v=spf1 ip4:0.0.0.0/0 ip6:::/0", 1, 0, NULL},
	{"v=spf1 ip6:::ffff:1.2.3.4", 1, 0, NULL},
	{"v=spf1 ip4:1.2.3.4 -all moo", 0, 24, "unknown mechanism"},
	{"v=spf1 -all.", 0, 8, "unknown mechanism"},
	{"v=spf1 -all:foo", 0, 11, "takes nothing"},
	{"v=spf1 -all/8", 0, 11, "takes nothing"},
	{"v=spf1 ip4:1.2.3.4/33", 0, 19, "more than 32"},
	{"v=spf1 ip4:1.2.3.4/032", 0, 19, "start with 0"},
	{"v=spf1 ip4:1.2.3", 0, 11, "IPv4"},
	{"v=spf1 ip4:01.2.3.4", 0, 11, "leading zeros"},
	{"v=spf1 ip4:1.2.3.4:8080", 0, 11, "IPv4"},
	{"v=spf1 ip4:1.2.3.4//32", 0, 18, "prefix length"},
	{"v=spf1 ip4", 0, 10, "needs ':'"},
	{"v=spf1 ip6:::1.1.1.1/129", 0, 21, "more than 128"},
	{"v=spf1 ip6::CAFE::BABE", 0, 11, "IPv6"},
	{"v=spf1 ip6:::1.1.1.1//33", 0, 20, "prefix length"},
	{"v=spf1 a/24/64", 0, 11, "unexpected"},
	{"v=spf1 a//129", 0, 10, "more than 128"},
	{"v=spf1 a/33", 0, 9, "more than 32"},
	{"v=spf1 a:", 0, 9, "needs a domain"},
	{"v=spf1 mx: -all", 0, 10, "needs a domain"},
	{"v=spf1 include", 0, 14, "needs ':'"},
	{"v=spf1 include: -all", 0, 15, "needs a domain"},
	{"v=spf1 include:ip5.example.com/24", 0, -1, "top-level label"},
	{"v=spf1 exists:mail.example.com/24", 0, -1, "top-level label"},
	{"v=spf1 ptr/0", 0, 10, "no prefix length"},
	{"v=spf1 ptr:", 0, 11, "needs a domain"},
	{"v=spf1 exists", 0, 13, "needs ':'"},
	{"v=spf1 a:111.222.33.44", 0, 9, "ip4:111.222.33.44"},
	{"v=spf1 a:abc.123", 0, 13, "all digits"},
	{"v=spf1 a:museum", 0, 9, "not a full domain"},
	{"v=spf1 a:museum.", 0, 9, "not a full domain"},
	{"v=spf1 a:example.-com", 0, 17, "top-level label"},
	{"v=spf1 a:example.com:8080", 0, -1, "top-level label"},
	{"v=spf1 a:%{d}.", 0, -1, "empty label"},
	{"v=spf1 redirect=a.example redirect=b.example", 0, 26, "twice"},
	{"v=spf1 exp=a.example exp=b.example", 0, 21, "twice"},
	{"v=spf1 redirect:t2.example.com", 0, 7, "unknown mechanism"},
	{"v=spf1 1up=foo", 0, 7, "start with a letter"},
	{"v=spf1 =all", 0, 7, "needs a name"},
	{"v=spf1 moo.cow/far_out=man:dog/cat", 0, 7, "unknown mechanism"},
	{"v=spf1 exp=", 0, 11, "needs a domain"},
	{"v=spf1 exp=-all", 0, -1, "full domain"},
	{"v=spf1 redirect=", 0, 16, "needs a domain"},
	{"v=spf1 foo=%abc", 0, 11, "'%'"},
	{"v=spf1 foo=abc%", 0, 14, "lone '%'"},
	{"v=spf1 a:%{a}.example.com", 0, 11, "not a macro letter"},
	{"v=spf1 exp=%{r}.example.com", 0, 13, "explanation"},
	{"v=spf1 a:%{d0}.example.com", 0, 12, "must not be 0"},
	{"v=spf1 a:%{d2r+-.example.com", 0, -1, "end with '}'"},
	{"v=spf1 a:ctrl.example.com\rptr -all", 0, 25, "carriage return"},
	{"v=spf1 a:x.example.com\t-all", 0, 22, "tab"},
	{"v=spf1 \x80" "a:example.net -all", 0, 7, "not ASCII"},
	{"v=spf1 a:example.net \x96" "all", 0, 21, "not ASCII"},
	{"v=spf10", 0, 0, "v=spf1"},
	{"v=spf1 - all", 0, 8, "followed by a mechanism"},
	{":foo", 0, 0, "v=spf1"},
	{"v=spf1 :foo", 0, 7, "mechanism name is missing"},
};

static void
test_parse(void)
{
	size_t i;

	for (i = 0; i < NELEM(parse_cases); i++) {
		sd_arena *a = sd_arena_new();
		sd_spf_record rec;
		sd_spf_syntax err;
		const char *r = parse_cases[i].rec;
		int rc = sd_spf_record_parse(a, r, strlen(r), &rec, &err);

		if (parse_cases[i].ok) {
			if (rc != 0)
				fprintf(stderr, "parse \"%s\": error at %zu: %s\n", r, err.offset,
					err.why);
			CHECK(rc == 0);
		} else {
			CHECK(rc == 1);
			if (rc == 1 && parse_cases[i].off >= 0 &&
			    (long)err.offset != parse_cases[i].off) {
				fprintf(stderr, "parse \"%s\": offset %zu, want %ld (%s)\n", r,
					err.offset, parse_cases[i].off, err.why);
				CHECK(0);
			}
			if (rc == 1 && !contains(err.why, parse_cases[i].word)) {
				fprintf(stderr, "parse \"%s\": reason \"%s\" lacks \"%s\"\n", r,
					err.why, parse_cases[i].word);
				CHECK(0);
			}
		}
		sd_arena_free(a);
	}
}

static void
test_parse_terms(void)
{
	static const char rec[] = "v=spf1 ip4:192.0.2.0/24 ip6:2001:DB8::/32 a mx:mail.example.org/24//64 "
				  "include:_spf.example.org ?exists:%{i}.bl.example.org ~ptr -all "
				  "redirect=x.example exp=e.example foo=bar a:foo:bar/baz.example.com a//64";
	static const char nul[] = "v=spf1 a:foo.example.com\0";
	sd_arena *a = sd_arena_new();
	sd_spf_record r;
	sd_spf_syntax err;
	const sd_spf_term *t;

	CHECK(sd_spf_record_parse(a, rec, strlen(rec), &r, &err) == 0);
	CHECK(r.n == 13);
	if (r.n == 13) {
		t = r.terms;
		CHECK(t[0].kind == SD_SPF_T_IP4 && t[0].qualifier == '+' && t[0].cidr4 == 24);
		CHECK(t[0].net[0] == 192 && t[0].net[1] == 0 && t[0].net[2] == 2 && t[0].net[3] == 0);
		CHECK(t[1].kind == SD_SPF_T_IP6 && t[1].cidr6 == 32 && t[1].net[0] == 0x20 &&
		      t[1].net[1] == 0x01 && t[1].net[2] == 0x0d && t[1].net[3] == 0xb8);
		CHECK(t[2].kind == SD_SPF_T_A && t[2].spec == NULL && t[2].cidr4 == 32 &&
		      t[2].cidr6 == 128);
		CHECK(t[3].kind == SD_SPF_T_MX && t[3].cidr4 == 24 && t[3].cidr6 == 64);
		CHECK_STR(t[3].spec, "mail.example.org");
		CHECK(t[4].kind == SD_SPF_T_INCLUDE);
		CHECK_STR(t[4].spec, "_spf.example.org");
		CHECK(t[5].kind == SD_SPF_T_EXISTS && t[5].qualifier == '?');
		CHECK_STR(t[5].spec, "%{i}.bl.example.org");
		CHECK(t[6].kind == SD_SPF_T_PTR && t[6].qualifier == '~' && t[6].spec == NULL);
		CHECK(t[7].kind == SD_SPF_T_ALL && t[7].qualifier == '-');
		CHECK(t[8].kind == SD_SPF_T_REDIRECT && r.redirect == &t[8]);
		CHECK(t[9].kind == SD_SPF_T_EXP && r.exp == &t[9]);
		CHECK_STR(t[9].spec, "e.example");
		CHECK(t[10].kind == SD_SPF_T_UNKNOWN_MOD);
		CHECK_STR(t[10].text, "foo=bar");
		CHECK_STR(t[11].spec, "foo:bar/baz.example.com");
		CHECK(t[11].cidr4 == 32);
		CHECK(t[12].spec == NULL && t[12].cidr4 == 32 && t[12].cidr6 == 64);
		CHECK(t[5].offset == 96);
		CHECK(r.has_all == 1);
		/* a, mx, include, exists, ptr, a, a; the redirect is dead beside "all" */
		CHECK(r.dns_terms == 7);
	}
	/* a NUL inside the record (TXT data may hold one) */
	CHECK(sd_spf_record_parse(a, nul, sizeof(nul) - 1, &r, &err) == 1);
	CHECK(err.offset == 24);
	CHECK(contains(err.why, "NUL"));
	CHECK_STR(err.term, "a:foo.example.com");
	/* a live redirect counts */
	CHECK(sd_spf_record_parse(a, "v=spf1 mx redirect=x.example", 28, &r, &err) == 0);
	CHECK(r.dns_terms == 2 && r.has_all == 0);
	sd_arena_free(a);

	CHECK(sd_spf_is_record("v=spf1", 6));
	CHECK(sd_spf_is_record("V=SpF1 -all", 11));
	CHECK(!sd_spf_is_record("v=spf10", 7));
	CHECK(!sd_spf_is_record("v=spf1mx", 8));
	CHECK(!sd_spf_is_record(" v=spf1", 7));
	CHECK(!sd_spf_is_record("v=spf", 5));
	CHECK(!sd_spf_is_record(NULL, 0));
}

/* ---- macros ------------------------------------------------------------ */

static const char *
test_pname(void *ctx, const char *domain)
{
	(void)domain;
	return ctx;
}

/* Expand spec with RFC 7208 7.4's data: sender strong-bad@email.example.com,
 * client ip, PTR name mx.example.org. */
static const char *
expand(const char *spec, int exp_text, const char *ip, char *out, size_t outlen)
{
	sd_spf_ip addr;
	sd_spf_macro_env env;
	sd_buf b;

	memset(&env, 0, sizeof(env));
	if (sd_spf_ip_parse(ip, &addr) != 0)
		return "(bad ip)";
	env.sender = "strong-bad@email.example.com";
	env.local = "strong-bad";
	env.sender_domain = "email.example.com";
	env.domain = "email.example.com";
	env.helo = "mx.example.org";
	env.receiver = "mx.receiver.example";
	env.now = 1700000000;
	env.ip = &addr;
	env.validated_name = test_pname;
	env.vctx = (void *)"mx.example.org";
	sd_buf_init(&b, 4096);
	if (sd_spf_macro_expand(&env, spec, exp_text, &b) != 0)
		snprintf(out, outlen, "(failed)");
	else
		snprintf(out, outlen, "%s", b.data ? b.data : "");
	sd_buf_free(&b);
	return out;
}

static const struct {
	const char *spec;
	const char *ip;
	int exp;
	const char *want;
} macro_cases[] = {
	/* RFC 7208 section 7.4 */
	{"%{s}", "192.0.2.3", 0, "strong-bad@email.example.com"},
	{"%{o}", "192.0.2.3", 0, "email.example.com"},
	{"%{d}", "192.0.2.3", 0, "email.example.com"},
	{"%{d4}", "192.0.2.3", 0, "email.example.com"},
	{"%{d3}", "192.0.2.3", 0, "email.example.com"},
	{"%{d2}", "192.0.2.3", 0, "example.com"},
	{"%{d1}", "192.0.2.3", 0, "com"},
	{"%{dr}", "192.0.2.3", 0, "com.example.email"},
	{"%{d2r}", "192.0.2.3", 0, "example.email"},
	{"%{l}", "192.0.2.3", 0, "strong-bad"},
	{"%{l-}", "192.0.2.3", 0, "strong.bad"},
	{"%{lr}", "192.0.2.3", 0, "strong-bad"},
	{"%{lr-}", "192.0.2.3", 0, "bad.strong"},
	{"%{l1r-}", "192.0.2.3", 0, "strong"},
	{"%{ir}.%{v}._spf.%{d2}", "192.0.2.3", 0, "3.2.0.192.in-addr._spf.example.com"},
	{"%{lr-}.lp._spf.%{d2}", "192.0.2.3", 0, "bad.strong.lp._spf.example.com"},
	{"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "192.0.2.3", 0,
	 "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
	{"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "192.0.2.3", 0,
	 "3.2.0.192.in-addr.strong.lp._spf.example.com"},
	{"%{d2}.trusted-domains.example.net", "192.0.2.3", 0,
	 "example.com.trusted-domains.example.net"},
	{"%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01", 0,
	 "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"},
	/* our own */
	{"%{i}", "2001:db8::cb01", 0,
	 "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1"},
	{"%{i}", "::ffff:192.0.2.3", 0, "192.0.2.3"},
	{"%{v}", "::ffff:192.0.2.3", 0, "in-addr"},
	{"%{c}", "2001:db8::cb01", 1, "2001:db8::cb01"},
	{"%{c}", "192.0.2.3", 1, "192.0.2.3"},
	{"%{r} %{t}", "192.0.2.3", 1, "mx.receiver.example 1700000000"},
	{"%{p}", "192.0.2.3", 0, "mx.example.org"},
	{"%{p2}", "192.0.2.3", 0, "example.org"},
	{"%{h}", "192.0.2.3", 0, "mx.example.org"},
	{"%{d1000}", "192.0.2.3", 0, "email.example.com"},
	{"%{d99999999999999999999}", "192.0.2.3", 0, "email.example.com"},
	{"%{s=}", "192.0.2.3", 0, "strong-bad@email.example.com"},
	{"%{s@}", "192.0.2.3", 0, "(failed)"},
	{"%{l2r+-}", "192.0.2.3", 0, "bad.strong"},
	{"%{d.-}", "192.0.2.3", 0, "email.example.com"},
	{"%{S}", "192.0.2.3", 0, "strong-bad%40email.example.com"},
	{"%{L}", "192.0.2.3", 0, "strong-bad"},
	{"%%%_%-", "192.0.2.3", 0, "% %20"},
	{"a%{d1}b", "192.0.2.3", 0, "acomb"},
	{"%{d} is %{i}", "192.0.2.3", 1, "email.example.com is 192.0.2.3"},
};

static void
test_macros(void)
{
	char buf[512];
	size_t i, off;
	char why[SD_SPF_WHY_MAX];

	for (i = 0; i < NELEM(macro_cases); i++)
		CHECK_STR(expand(macro_cases[i].spec, macro_cases[i].exp, macro_cases[i].ip, buf,
				 sizeof(buf)),
			  macro_cases[i].want);
	/* 7.3: upper-case letters are URL-escaped (the suite's upper-macro) */
	{
		sd_spf_ip ip;
		sd_spf_macro_env env;
		sd_buf b;

		memset(&env, 0, sizeof(env));
		sd_spf_ip_parse("192.0.2.3", &ip);
		env.ip = &ip;
		env.local = "~jack&jill=up-a_b3.c";
		sd_buf_init(&b, 256);
		CHECK(sd_spf_macro_expand(&env, "l=%{L}", 0, &b) == 0);
		CHECK_STR(b.data, "l=~jack%26jill%3Dup-a_b3.c");
		sd_buf_free(&b);
		/* an expansion over the buffer's cap fails instead of growing */
		sd_buf_init(&b, 20);
		CHECK(sd_spf_macro_expand(&env, "%{l}%{l}%{l}", 0, &b) != 0);
		CHECK(b.truncated);
		sd_buf_free(&b);
	}
	/* syntax */
	CHECK(sd_spf_macro_check("%{d}", 4, 0, &off, why, sizeof(why)) == 0);
	CHECK(sd_spf_macro_check("%{c}", 4, 0, &off, why, sizeof(why)) != 0);
	CHECK(sd_spf_macro_check("%{c}", 4, 1, &off, why, sizeof(why)) == 0);
	CHECK(sd_spf_macro_check("a b", 3, 0, &off, why, sizeof(why)) != 0 && off == 1);
	CHECK(sd_spf_macro_check("a b", 3, 1, &off, why, sizeof(why)) == 0);
	CHECK(sd_spf_macro_check("The %{x}-files.", 15, 1, &off, why, sizeof(why)) != 0 &&
	      off == 6);
	CHECK(sd_spf_macro_check("%(ir)", 5, 0, &off, why, sizeof(why)) != 0 && off == 0);
	CHECK(sd_spf_macro_check("%{", 2, 0, &off, why, sizeof(why)) != 0);
	CHECK(sd_spf_macro_check("%{d", 3, 0, &off, why, sizeof(why)) != 0 && off == 3);
	CHECK(sd_spf_macro_check("%{d2r+-/}", 9, 0, &off, why, sizeof(why)) == 0);
	CHECK(sd_spf_macro_check("%{d2rr}", 7, 0, &off, why, sizeof(why)) != 0);
	CHECK(sd_spf_macro_check("%{d00}", 6, 0, &off, why, sizeof(why)) != 0);
	CHECK(sd_spf_macro_check("%{d01}", 6, 0, &off, why, sizeof(why)) == 0);
}

static void
test_domain_spec(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{"example.com", 1},   {"example.com.", 1},    {"%{d}", 1},
		{"foo.%{d}", 1},      {"%{d}.com", 1},        {"x%%", 1},
		{"a.xn--zckzah", 1},  {"a.b-c", 1},           {".com", 1},
		{"a.123-4", 1},       {"", 0},                {"museum", 0},
		{"museum.", 0},       {"abc.123", 0},         {"example.-com", 0},
		{"example.com-", 0},  {"%{d}.", 0},           {"example.com/24", 0},
		{"example.com..", 0}, {"exa mple.com", 0},    {"a.c_m", 0},
		{"%{d}com", 0},
	};
	size_t i, off;
	char why[SD_SPF_WHY_MAX];

	for (i = 0; i < NELEM(cases); i++) {
		int rc = sd_spf_domain_spec_check(cases[i].s, strlen(cases[i].s), &off, why,
						  sizeof(why));
		if ((rc == 0) != cases[i].ok) {
			fprintf(stderr, "domain-spec \"%s\": %s\n", cases[i].s, rc ? why : "accepted");
			CHECK(0);
		} else {
			CHECK(1);
		}
	}
}

static void
test_names(void)
{
	char label[70], name[600];
	sd_buf b;
	size_t i;

	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(name, sizeof(name), "%s.example.com", label);
	CHECK(sd_spf_name_problem(name, 1) == NULL);
	snprintf(name, sizeof(name), "b%s.example.com", label);
	CHECK(contains(sd_spf_name_problem(name, 1), "63"));
	CHECK(contains(sd_spf_name_problem(name, 0), "63"));
	CHECK(contains(sd_spf_name_problem("a..example.com", 0), "empty label"));
	CHECK(contains(sd_spf_name_problem(".example.com", 0), "empty label"));
	CHECK(sd_spf_name_problem("localhost", 0) == NULL);
	CHECK(contains(sd_spf_name_problem("localhost", 1), "single label"));
	CHECK(contains(sd_spf_name_problem("[1.2.3.5]", 1), "top-level"));
	CHECK(contains(sd_spf_name_problem("1.2.3.5", 1), "top-level"));
	CHECK(sd_spf_name_problem("_spf.example.com", 1) == NULL);
	CHECK(contains(sd_spf_name_problem("", 0), "empty"));

	/* 7.3: a name over 253 bytes loses whole labels on the left */
	sd_buf_init(&b, 4096);
	for (i = 0; i < 30; i++)
		sd_buf_adds(&b, "label-nr.");
	sd_buf_adds(&b, "example.com.");
	sd_spf_name_trim(&b);
	CHECK(b.len <= 253);
	CHECK(b.len > 253 - 10);
	CHECK(strncmp(b.data, "label-nr.", 9) == 0);
	CHECK(sd_spf_name_under(b.data, "example.com"));
	CHECK(b.data[b.len - 1] == 'm');
	sd_buf_free(&b);

	CHECK(sd_spf_name_under("mail.Example.com.", "example.COM"));
	CHECK(sd_spf_name_under("example.com", "example.com."));
	CHECK(!sd_spf_name_under("badexample.com", "example.com"));
	CHECK(!sd_spf_name_under("com", "example.com"));
}

static void
test_addresses(void)
{
	static const struct {
		const char *in;
		const char *text; /* %{c}; NULL: must not parse */
	} cases[] = {
		{"192.0.2.1", "192.0.2.1"},
		{"0.0.0.0", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255"},
		{"[192.0.2.1]", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"::FFFF:1.2.3.4", "1.2.3.4"},
		{"2001:db8::1", "2001:db8::1"},
		{"2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
		{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
		{"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
		{"::", "::"},
		{"::1", "::1"},
		{"1::", "1::"},
		{"CAFE:BABE::192.168.218.40", "cafe:babe::c0a8:da28"},
		{"192.0.2.256", NULL},
		{"192.0.2", NULL},
		{"192.0.2.01", NULL},
		{"1.2.3.4.5", NULL},
		{"1.2.3.4 ", NULL},
		{"::CAFE::BABE", NULL},
		{":CAFE::BABE", NULL},
		{"1:2:3:4:5:6:7:8:9", NULL},
		{"1:2:3:4:5:6:7::8", NULL},
		{"12345::", NULL},
		{"1:", NULL},
		{"", NULL},
		{"example.com", NULL},
	};
	size_t i;
	sd_spf_ip ip;
	char txt[48], rev[80];
	unsigned char a[4] = {192, 0, 2, 0}, b[4] = {192, 0, 3, 0};

	for (i = 0; i < NELEM(cases); i++) {
		int rc = sd_spf_ip_parse(cases[i].in, &ip);

		if (cases[i].text == NULL) {
			CHECK(rc != 0);
			continue;
		}
		CHECK(rc == 0);
		if (rc == 0) {
			sd_spf_ip_text(&ip, txt);
			CHECK_STR(txt, cases[i].text);
		}
	}
	CHECK(sd_spf_ip_parse("192.0.2.1", &ip) == 0);
	sd_spf_ip_reverse(&ip, rev);
	CHECK_STR(rev, "1.2.0.192.in-addr.arpa");
	CHECK(sd_spf_ip_parse("2001:db8::1", &ip) == 0 && ip.family == 6);
	sd_spf_ip_reverse(&ip, rev);
	CHECK_STR(rev, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	CHECK(sd_spf_prefix_match(a, b, 23));
	CHECK(!sd_spf_prefix_match(a, b, 24));
	CHECK(sd_spf_prefix_match(a, b, 0));
	CHECK(sd_spf_prefix_match(a, a, 32));
}

/* ---- check_host() --------------------------------------------------------- */

static sd_spf_report *
check(sz_zone *z, const char *ip, const char *sender)
{
	sd_spf_options opt = {"mx.receiver.example", 1700000000LL, 0};
	sd_spf_report *r = NULL;

	if (sd_spf_check(sz_lookup, z, ip, NULL, sender, "helo.example.org", &opt, &r) != SMTPDOC_OK)
		return NULL;
	return r;
}

static int
has_step(const sd_spf_report *r, sd_spf_step_kind kind, const char *term)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == kind && (term == NULL || (r->steps[i].term &&
								  strcmp(r->steps[i].term, term) == 0)))
			return 1;
	return 0;
}

static void
test_counting(void)
{
	sz_zone z = {0};
	sd_spf_report *r;

	sz_txt(&z, "example.org", "v=spf1 a mx include:_spf.example.org exists:%{i}.x.example.org "
		   "ip4:192.0.2.99 -all");
	sz_add_addr(&z, "example.org", "192.0.2.1");
	sz_add_host(&z, "example.org", SD_DNS_MX, 10, "mail.example.org");
	sz_add_addr(&z, "mail.example.org", "192.0.2.2");
	sz_txt(&z, "_spf.example.org", "v=spf1 ip4:198.51.100.0/24 -all");

	r = check(&z, "192.0.2.99", "alice@example.org");
	CHECK(r && r->result == SD_SPF_PASS);
	if (r) {
		CHECK(r->lookups == 4);      /* a, mx, include, exists */
		CHECK(r->void_lookups == 1); /* exists: the name does not exist */
		CHECK_STR(r->matched_term, "ip4:192.0.2.99");
		CHECK_STR(r->matched_domain, "example.org");
		CHECK_STR(r->record, "v=spf1 a mx include:_spf.example.org exists:%{i}.x.example.org "
			  "ip4:192.0.2.99 -all");
		CHECK(r->problem == NULL && r->limit_hit == 0 && r->tree == NULL);
		CHECK(has_step(r, SD_SPF_STEP_INCLUDE, "include:_spf.example.org"));
		CHECK(has_step(r, SD_SPF_STEP_NOMATCH, "exists:%{i}.x.example.org"));
	}
	sd_spf_report_free(r);

	r = check(&z, "198.51.100.7", "alice@example.org");
	CHECK(r && r->result == SD_SPF_PASS && r->lookups == 3 && r->void_lookups == 0);
	if (r)
		CHECK_STR(r->matched_term, "include:_spf.example.org");
	sd_spf_report_free(r);

	r = check(&z, "192.0.2.2", "alice@example.org");
	CHECK(r && r->result == SD_SPF_PASS && r->lookups == 2);
	if (r)
		CHECK_STR(r->matched_term, "mx");
	sd_spf_report_free(r);

	r = check(&z, "203.0.113.5", "alice@example.org");
	CHECK(r && r->result == SD_SPF_FAIL && r->lookups == 4 && r->void_lookups == 1);
	if (r) {
		CHECK(r->explanation == NULL);
		CHECK_STR(r->matched_term, "-all");
		CHECK(contains(r->reason, "-all"));
	}
	sd_spf_report_free(r);

	/* the HELO identity: no sender, postmaster@helo */
	sz_txt(&z, "helo.example.org", "v=spf1 -exists:%{l}.%{o}.deny.example.org a -all");
	sz_add_addr(&z, "helo.example.org", "192.0.2.50");
	sz_add_addr(&z, "postmaster.helo.example.org.deny.example.org", "127.0.0.2");
	r = check(&z, "192.0.2.50", "");
	CHECK(r && r->result == SD_SPF_FAIL);
	if (r) {
		CHECK_STR(r->domain, "helo.example.org");
		CHECK_STR(r->sender, "postmaster@helo.example.org");
		CHECK_STR(r->matched_term, "-exists:%{l}.%{o}.deny.example.org");
	}
	sd_spf_report_free(r);
	sz_free(&z);
}

static void
test_voids(void)
{
	sz_zone z = {0};
	sd_spf_report *r;

	sz_txt(&z, "three.example.org", "v=spf1 a:n1.example.org mx:n2.example.org "
		   "exists:n3.example.org ip4:192.0.2.1 -all");
	sz_txt(&z, "two.example.org", "v=spf1 a:n1.example.org mx:n2.example.org -all");
	sz_txt(&z, "n2.example.org", "v=spf1 -all"); /* exists, but has no MX */
	r = check(&z, "192.0.2.1", "x@three.example.org");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r) {
		CHECK_STR(r->problem, "void-limit");
		CHECK(r->void_lookups == 3 && r->lookups == 3);
		CHECK(contains(r->reason, "exists:n3.example.org"));
		CHECK(has_step(r, SD_SPF_STEP_ERROR, "exists:n3.example.org"));
	}
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.1", "x@two.example.org");
	CHECK(r && r->result == SD_SPF_FAIL && r->void_lookups == 2);
	sd_spf_report_free(r);
	sz_free(&z);
}

/* The tree of the over-limit tests: 13 DNS-querying terms in all. */
static void
limit_zone(sz_zone *z)
{
	int i;
	char name[64];

	sz_txt(z, "example.com", "v=spf1 include:a.example.com include:b.example.com "
		  "include:c.example.com ip4:192.0.2.200 -all");
	sz_txt(z, "a.example.com", "v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com");
	sz_txt(z, "b.example.com", "v=spf1 a:h4.example.com a:h5.example.com a:h6.example.com");
	sz_txt(z, "c.example.com", "v=spf1 include:d.example.com mx");
	sz_txt(z, "d.example.com", "v=spf1 a:h7.example.com a:h8.example.com");
	sz_add_host(z, "c.example.com", SD_DNS_MX, 10, "mail.example.com");
	sz_add_addr(z, "mail.example.com", "198.51.100.100");
	for (i = 1; i <= 8; i++) {
		char addr[32];

		snprintf(name, sizeof(name), "h%d.example.com", i);
		snprintf(addr, sizeof(addr), "198.51.100.%d", i);
		sz_add_addr(z, name, addr);
	}
}

static const sd_spf_node *
node_of(const sd_spf_lint_report *l, const char *domain)
{
	size_t i;

	for (i = 0; l && i < l->nnodes; i++)
		if (strcmp(l->nodes[i].domain, domain) == 0)
			return &l->nodes[i];
	return NULL;
}

static const sd_spf_issue *
issue_of(const sd_spf_lint_report *l, const char *code)
{
	size_t i;

	for (i = 0; l && i < l->nissues; i++)
		if (strcmp(l->issues[i].code, code) == 0)
			return &l->issues[i];
	return NULL;
}

static const sd_spf_step *
limit_step(const sd_spf_report *r)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == SD_SPF_STEP_LIMIT)
			return &r->steps[i];
	return NULL;
}

static void
test_over_limit(void)
{
	sz_zone z = {0};
	const sd_spf_step *st;
	sd_spf_report *r;
	sd_spf_options opt = {NULL, 1, 1};
	const sd_spf_node *nd;
	sd_buf b;

	limit_zone(&z);
	/* 192.0.2.200 is listed, but after the includes that use up the limit */
	r = check(&z, "192.0.2.200", "bob@example.com");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r) {
		CHECK_STR(r->problem, "lookup-limit");
		CHECK(r->limit_hit == 1);
		CHECK(r->lookups == 10);
		CHECK_STR(r->limit_term, "a:h7.example.com");
		CHECK_STR(r->limit_domain, "d.example.com");
		CHECK_STR(r->limit_path,
			  "include:c.example.com > include:d.example.com > a:h7.example.com");
		CHECK(r->lookups_needed == 13);
		CHECK(r->tree != NULL);
		CHECK(r->matched_term == NULL);
		/* how far it got: every term before the 11th is in the trace */
		CHECK(has_step(r, SD_SPF_STEP_NOMATCH, "a:h6.example.com"));
		CHECK(has_step(r, SD_SPF_STEP_INCLUDE, "include:d.example.com"));
		st = limit_step(r);
		CHECK(st && st->lookups == 11 && st->depth == 2);
		CHECK(st && strcmp(st->term, "a:h7.example.com") == 0);
		CHECK(st && strcmp(st->domain, "d.example.com") == 0);
		/* after it, each enclosing include reports the permerror */
		CHECK(r->nsteps > 0 && r->steps[r->nsteps - 1].kind == SD_SPF_STEP_ERROR);
		CHECK(r->nsteps > 0 && strcmp(r->steps[r->nsteps - 1].term, "include:c.example.com") == 0);
		CHECK(!has_step(r, SD_SPF_STEP_NOMATCH, "ip4:192.0.2.200"));
		nd = node_of(r->tree, "c.example.com");
		CHECK(nd && nd->own_lookups == 2 && nd->total_lookups == 4 && nd->depth == 1);
		nd = node_of(r->tree, "d.example.com");
		CHECK(nd && nd->total_lookups == 2 && nd->depth == 2 &&
		      strcmp(r->tree->nodes[nd->parent].domain, "c.example.com") == 0);
		sd_buf_init(&b, 1 << 16);
		CHECK(sd_spf_report_text(r, &b) == 0);
		CHECK(contains(b.data, "a:h7.example.com [lookup 11]"));
		CHECK(contains(b.data, "over the limit at: include:c.example.com > "));
		CHECK(contains(b.data, "the whole record needs 13 DNS lookups"));
		CHECK(contains(b.data, "include:c.example.com: 5 (this term and 4 in c.example.com "
			       "and below)"));
		CHECK(contains(b.data, "include:d.example.com: 3 (this term and 2 in"));
		CHECK(contains(b.data, "example.com: 13 DNS lookups in all, 3 by terms of its own"));
		CHECK(contains(r->reason, "the whole record needs 13"));
		sd_buf_free(&b);
	}
	sd_spf_report_free(r);

	/* a match before the limit is a pass */
	r = check(&z, "198.51.100.1", "bob@example.com");
	CHECK(r && r->result == SD_SPF_PASS && r->lookups == 2 && !r->limit_hit);
	sd_spf_report_free(r);

	/* without the tree count */
	r = NULL;
	CHECK(sd_spf_check(sz_lookup, &z, "192.0.2.200", "example.com", NULL, NULL, &opt, &r) ==
	      SMTPDOC_OK);
	CHECK(r && r->limit_hit && r->tree == NULL && r->lookups_needed == -1);
	sd_spf_report_free(r);

	/* a loop of includes ends at the limit, in bounded work */
	sz_clear(&z);
	sz_txt(&z, "loop1.example.net", "v=spf1 include:loop2.example.net -all");
	sz_txt(&z, "loop2.example.net", "v=spf1 include:loop1.example.net -all");
	sz_txt(&z, "self.example.net", "v=spf1 ip4:192.0.2.1 redirect=self.example.net");
	r = check(&z, "192.0.2.9", "x@loop1.example.net");
	CHECK(r && r->result == SD_SPF_PERMERROR && r->limit_hit);
	CHECK(r && r->tree && !r->tree->lookups_exact && issue_of(r->tree, "loop"));
	CHECK(z.queries < 40);
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@self.example.net");
	CHECK(r && r->result == SD_SPF_PERMERROR && r->limit_hit);
	if (r)
		CHECK_STR(r->limit_term, "redirect=self.example.net");
	sd_spf_report_free(r);
	sz_free(&z);
}

static void
test_exp(void)
{
	sz_zone z = {0};
	sd_spf_report *r;

	sz_txt(&z, "example.net", "v=spf1 include:inc.example.net ~exists:soft.example.net -all "
		   "exp=why.%{d}");
	sz_txt(&z, "inc.example.net", "v=spf1 ip4:192.0.2.1 -all exp=incwhy.example.net");
	sz_txt(&z, "why.example.net", "%{i} is not one of %{d}'s servers; see %{r} at %{t}");
	sz_txt(&z, "incwhy.example.net", "wrong one");
	sz_add_addr(&z, "soft.example.net", "127.0.0.2");
	sz_txt(&z, "redir.example.net", "v=spf1 exp=lost.example.net redirect=target.example.net");
	sz_txt(&z, "target.example.net", "v=spf1 -all exp=kept.example.net");
	sz_txt(&z, "lost.example.net", "lost");
	sz_txt(&z, "kept.example.net", "kept for %{d} and %{o}");

	r = check(&z, "192.0.2.9", "x@example.net");
	CHECK(r && r->result == SD_SPF_SOFTFAIL && r->explanation == NULL);
	sd_spf_report_free(r);
	sz_clear(&z);
	sz_txt(&z, "example.net", "v=spf1 include:inc.example.net -all exp=why.%{d}");
	sz_txt(&z, "inc.example.net", "v=spf1 ip4:192.0.2.1 -all exp=incwhy.example.net");
	sz_txt(&z, "why.example.net", "%{i} is not one of %{d}'s servers; see %{r} at %{t}");
	sz_txt(&z, "incwhy.example.net", "wrong one");
	sz_txt(&z, "redir.example.net", "v=spf1 exp=lost.example.net redirect=target.example.net");
	sz_txt(&z, "target.example.net", "v=spf1 -all exp=kept.example.net");
	sz_txt(&z, "lost.example.net", "lost");
	sz_txt(&z, "kept.example.net", "kept for %{d} and %{o}");
	r = check(&z, "192.0.2.9", "x@example.net");
	CHECK(r && r->result == SD_SPF_FAIL);
	if (r) {
		CHECK_STR(r->explanation, "192.0.2.9 is not one of example.net's servers; see "
			  "mx.receiver.example at 1700000000");
		CHECK(has_step(r, SD_SPF_STEP_EXP, "exp=why.%{d}"));
	}
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.1", "x@example.net");
	CHECK(r && r->result == SD_SPF_PASS && r->explanation == NULL);
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@redir.example.net");
	CHECK(r && r->result == SD_SPF_FAIL);
	if (r) {
		CHECK_STR(r->explanation, "kept for target.example.net and redir.example.net");
		CHECK_STR(r->matched_domain, "target.example.net");
	}
	sd_spf_report_free(r);
	sz_free(&z);
}

static void
test_dns_errors(void)
{
	sz_zone z = {0};
	sd_spf_report *r;

	sz_txt(&z, "a.example.org", "v=spf1 a:slow.example.org -all");
	sz_add(&z, "slow.example.org", SZ_TIMEOUT);
	sz_txt(&z, "ptr.example.org", "v=spf1 ptr -all");
	sz_add(&z, "9.2.0.192.in-addr.arpa", SZ_SERVFAIL);
	sz_add(&z, "broken.example.org", SZ_SERVFAIL);
	sz_txt(&z, "inc.example.org", "v=spf1 include:broken.example.org -all");

	r = check(&z, "192.0.2.9", "x@a.example.org");
	CHECK(r && r->result == SD_SPF_TEMPERROR);
	if (r) {
		CHECK_STR(r->problem, "dns");
		CHECK(contains(r->reason, "timeout"));
	}
	sd_spf_report_free(r);
	/* a failed PTR lookup is no match, not a temperror (5.5) */
	r = check(&z, "192.0.2.9", "x@ptr.example.org");
	CHECK(r && r->result == SD_SPF_FAIL && r->lookups == 1);
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@broken.example.org");
	CHECK(r && r->result == SD_SPF_TEMPERROR);
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@inc.example.org");
	CHECK(r && r->result == SD_SPF_TEMPERROR);
	if (r)
		CHECK(contains(r->reason, "broken.example.org"));
	sd_spf_report_free(r);
	sz_free(&z);
}

static void
test_records(void)
{
	sz_zone z = {0};
	sd_spf_report *r;
	int i;
	char host[64];

	sz_txt(&z, "top.example.org", "v=spf1 include:bad.example.org -all");
	sz_txt(&z, "bad.example.org", "v=spf1 ip4:1.2.3.4/33 -all");
	sz_txt(&z, "two.example.org", "v=spf1 -all");
	sz_txt(&z, "two.example.org", "v=spf1 +all");
	sz_txt(&z, "other.example.org", "google-site-verification=abc");
	sz_txt(&z, "noinc.example.org", "v=spf1 include:other.example.org -all");
	sz_txt(&z, "mx11.example.org", "v=spf1 mx -all");
	for (i = 0; i < 11; i++) {
		snprintf(host, sizeof(host), "mx%d.example.org", i);
		sz_add_host(&z, "mx11.example.org", SD_DNS_MX, (unsigned)i, host);
		sz_add_addr(&z, host, "192.0.2.77");
	}

	r = check(&z, "192.0.2.9", "x@top.example.org");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r) {
		CHECK_STR(r->problem, "syntax");
		CHECK_STR(r->error_domain, "bad.example.org");
		CHECK_STR(r->error_term, "ip4:1.2.3.4/33");
		CHECK(r->error_offset == 19);
		CHECK(contains(r->reason, "character 20"));
	}
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@two.example.org");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r)
		CHECK_STR(r->problem, "multiple-records");
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@other.example.org");
	CHECK(r && r->result == SD_SPF_NONE);
	if (r)
		CHECK_STR(r->problem, "no-record");
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.9", "x@noinc.example.org");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r)
		CHECK_STR(r->problem, "include-none");
	sd_spf_report_free(r);
	r = check(&z, "192.0.2.77", "x@mx11.example.org");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r)
		CHECK_STR(r->problem, "mx-limit");
	sd_spf_report_free(r);
	/* 4.3: an invalid domain is none without any query */
	z.queries = 0;
	r = check(&z, "192.0.2.9", "x@a..example.org");
	CHECK(r && r->result == SD_SPF_NONE && z.queries == 0);
	if (r)
		CHECK_STR(r->problem, "invalid-domain");
	sd_spf_report_free(r);
	sz_free(&z);
}

static void
test_clients(void)
{
	sz_zone z = {0};
	sd_spf_report *r = NULL;

	sz_txt(&z, "example.org", "v=spf1 ip6:::ffff:192.0.2.1 ip4:192.0.2.1 "
		   "exists:%{p}.allow.example.org -all");
	sz_add_host(&z, "7.2.0.192.in-addr.arpa", SD_DNS_PTR, 0, "mail.example.org.");
	sz_add_addr(&z, "mail.example.org", "192.0.2.7");
	sz_add_addr(&z, "mail.example.org.allow.example.org", "127.0.0.2");

	/* IPv4-mapped IPv6 is IPv4 (section 5): ip6 does not match it */
	r = check(&z, "::ffff:192.0.2.1", "x@example.org");
	CHECK(r && r->result == SD_SPF_PASS);
	if (r) {
		CHECK_STR(r->ip, "192.0.2.1");
		CHECK_STR(r->matched_term, "ip4:192.0.2.1");
	}
	sd_spf_report_free(r);
	/* %{p}: the validated name */
	r = check(&z, "192.0.2.7", "x@example.org");
	CHECK(r && r->result == SD_SPF_PASS);
	sd_spf_report_free(r);
	/* bad arguments */
	r = NULL;
	CHECK(sd_spf_check(sz_lookup, &z, "192.0.2.300", NULL, "x@example.org", NULL, NULL, &r) ==
	      SMTPDOC_EINVAL && r == NULL);
	CHECK(sd_spf_check(sz_lookup, &z, "192.0.2.1", NULL, NULL, NULL, NULL, &r) ==
	      SMTPDOC_EINVAL && r == NULL);
	CHECK(sd_spf_check(NULL, &z, "192.0.2.1", "example.org", NULL, NULL, NULL, &r) ==
	      SMTPDOC_EINVAL && r == NULL);
	/* an explicit domain with a sender elsewhere */
	CHECK(sd_spf_check(sz_lookup, &z, "192.0.2.1", "example.org", "x@elsewhere.example",
			   NULL, NULL, &r) == SMTPDOC_OK);
	CHECK(r && r->result == SD_SPF_PASS);
	if (r)
		CHECK_STR(r->sender, "x@elsewhere.example");
	sd_spf_report_free(r);
	sz_free(&z);
}

/* A small generator for the hostile tests (deterministic). */
static uint32_t rng = 12345;

static uint32_t
next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static void
test_hostile(void)
{
	static const char alphabet[] = "v=spf1 aimxp4:/.%{}-_+~?=lsodrhcvt0123456789 exincludeall"
				       "\x01\x80\t";
	sz_zone z = {0};
	sd_spf_report *r;
	sd_spf_lint_report *l;
	sd_buf b;
	char rec[200];
	int i, k, ok = 1;

	/* a record over SD_SPF_MAX_RECORD */
	sd_buf_init(&b, 1 << 20);
	sd_buf_adds(&b, "v=spf1");
	for (i = 0; i < 2000; i++)
		sd_buf_adds(&b, " ip4:10.0.0.1");
	sz_add_txt(&z, "huge.example.org", b.data, b.len);
	sd_buf_free(&b);
	r = check(&z, "192.0.2.1", "x@huge.example.org");
	CHECK(r && r->result == SD_SPF_PERMERROR);
	if (r)
		CHECK(contains(r->reason, "bytes long"));
	sd_spf_report_free(r);

	/* many terms: evaluated, the trace capped */
	sd_buf_init(&b, 1 << 20);
	sd_buf_adds(&b, "v=spf1");
	for (i = 0; i < 1000; i++)
		sd_buf_adds(&b, " ip4:10.0.0.1");
	sd_buf_adds(&b, " -all");
	sz_add_txt(&z, "many.example.org", b.data, b.len);
	sd_buf_free(&b);
	r = check(&z, "192.0.2.1", "x@many.example.org");
	CHECK(r && r->result == SD_SPF_FAIL);
	CHECK(r && r->steps_truncated && r->nsteps == SD_SPF_MAX_STEPS);
	sd_spf_report_free(r);

	/* an expansion far over the cap: the target is unusable, no match */
	sd_buf_init(&b, 1 << 20);
	sd_buf_adds(&b, "v=spf1 exists:");
	for (i = 0; i < 900; i++)
		sd_buf_adds(&b, "%{s}");
	sd_buf_adds(&b, " -all");
	sz_add_txt(&z, "big.example.org", b.data, b.len);
	sd_buf_free(&b);
	r = check(&z, "192.0.2.1", "someone-with-a-long-name@big.example.org");
	CHECK(r && r->result == SD_SPF_FAIL && r->lookups == 1);
	sd_spf_report_free(r);

	/* random records: any result, never a crash, bounded queries */
	for (i = 0; i < 3000 && ok; i++) {
		size_t n = 7 + next_rand() % 60;

		memcpy(rec, "v=spf1 ", 7);
		for (k = 7; k < (int)n; k++)
			rec[k] = alphabet[next_rand() % (sizeof(alphabet) - 1)];
		sz_clear(&z);
		sz_add_txt(&z, "r.example.org", rec, n);
		sz_add_txt(&z, "example.org", rec, n);
		sz_add_addr(&z, "r.example.org", "192.0.2.1");
		sz_add_host(&z, "r.example.org", SD_DNS_MX, 1, "r.example.org");
		r = check(&z, i % 2 ? "192.0.2.1" : "2001:db8::1", "a-b+c@r.example.org");
		if (r == NULL || r->result > SD_SPF_PERMERROR || z.queries > 300)
			ok = 0;
		sd_spf_report_free(r);
		l = NULL;
		if (sd_spf_lint(sz_lookup, &z, "r.example.org", NULL, &l) != SMTPDOC_OK || l == NULL)
			ok = 0;
		sd_spf_lint_free(l);
	}
	CHECK(ok);
	sz_free(&z);
}

/* ---- lint ---------------------------------------------------------------- */

static sd_spf_lint_report *
lint(sz_zone *z, const char *domain)
{
	sd_spf_lint_report *l = NULL;

	if (sd_spf_lint(sz_lookup, z, domain, NULL, &l) != SMTPDOC_OK)
		return NULL;
	return l;
}

static void
test_lint_tree(void)
{
	sz_zone z = {0};
	sd_spf_lint_report *l;
	const sd_spf_issue *is;
	sd_buf b;

	limit_zone(&z);
	l = lint(&z, "example.com");
	CHECK(l && l->lookups == 13 && l->lookups_exact == 1);
	CHECK(l && l->status == SD_SPF_PERMERROR && l->nnodes == 5);
	CHECK_STR(l ? l->record : NULL, "v=spf1 include:a.example.com include:b.example.com "
		  "include:c.example.com ip4:192.0.2.200 -all");
	is = issue_of(l, "too-many-lookups");
	CHECK(is && is->severity == SD_SPF_ERROR);
	if (is) {
		CHECK(contains(is->message, "needs 13 DNS lookups"));
		CHECK(contains(is->message, "include:a.example.com 4, include:b.example.com 4, "
			       "include:c.example.com 5"));
	}
	sd_buf_init(&b, 1 << 16);
	CHECK(l && sd_spf_lint_text(l, &b) == 0);
	CHECK(contains(b.data, "DNS lookups needed: 13 (limit 10), over the limit"));
	CHECK(contains(b.data, "error [too-many-lookups]"));
	sd_buf_free(&b);
	sd_spf_lint_free(l);

	/* within the limit */
	l = lint(&z, "c.example.com");
	CHECK(l && l->lookups == 4 && l->status == SD_SPF_NEUTRAL);
	CHECK(l && issue_of(l, "too-many-lookups") == NULL);
	/* an included record without "all" is fine; the domain's own policy
	 * without one is not */
	CHECK(l && issue_of(l, "no-all") != NULL);
	sd_spf_lint_free(l);
	sz_free(&z);
}

static const struct {
	const char *record;   /* the record of lint.example.org */
	const char *code;     /* an issue that must be there */
	sd_spf_severity sev;
	int lookups;          /* -1: not checked */
	int exact;
} lint_cases[] = {
	{"v=spf1 ptr -all", "ptr", SD_SPF_WARNING, 1, 1},
	{"v=spf1 ip4:192.0.2.1 +all", "open-all", SD_SPF_ERROR, 0, 1},
	{"v=spf1 include:open.example.org -all", "open-all", SD_SPF_ERROR, 1, 1},
	{"v=spf1 ip4:192.0.2.1 ?all", "neutral-all", SD_SPF_WARNING, 0, 1},
	{"v=spf1 ip4:192.0.2.1", "no-all", SD_SPF_WARNING, 0, 1},
	{"v=spf1 include:none.example.org -all", "include-none", SD_SPF_ERROR, 1, 1},
	{"v=spf1 redirect=none.example.org", "redirect-none", SD_SPF_ERROR, 1, 1},
	{"v=spf1 include:loop.example.org -all", "loop", SD_SPF_ERROR, -1, 0},
	{"v=spf1 a:v1.example.org a:v2.example.org mx:v3.example.org -all", "void-lookups",
	 SD_SPF_ERROR, 3, 1},
	{"v=spf1 a:v1.example.org -all", "void-target", SD_SPF_WARNING, 1, 1},
	{"v=spf1 mx:mx11.example.org -all", "too-many-mx", SD_SPF_ERROR, 1, 1},
	{"v=spf1 include:%{i}._spf.example.org -all", "macro-target", SD_SPF_INFO, 1, 0},
	{"v=spf1 include:%{d}.sub.example.org -all", "include-none", SD_SPF_ERROR, 1, 1},
	{"v=spf1 -all redirect=open.example.org", "redirect-ignored", SD_SPF_WARNING, 0, 1},
	{"v=spf1 -all a mx", "after-all", SD_SPF_WARNING, 0, 1},
	{"v=spf1 a -all ip4:1.2.3.4/33", "syntax", SD_SPF_ERROR, -1, 0},
	{"v=spf1 include:bad.example.org -all", "syntax", SD_SPF_ERROR, -1, 0},
	{"v=spf1 include:two.example.org -all", "multiple-records", SD_SPF_ERROR, -1, 0},
	{"v=spf1 include:slow.example.org -all", "dns-error", SD_SPF_WARNING, -1, 0},
};

static void
lint_zone(sz_zone *z)
{
	int i;
	char host[64];

	sz_txt(z, "open.example.org", "v=spf1 +all");
	sz_txt(z, "loop.example.org", "v=spf1 include:lint.example.org");
	sz_txt(z, "bad.example.org", "v=spf1 ip4:1.2.3.4/33");
	sz_txt(z, "two.example.org", "v=spf1 -all");
	sz_txt(z, "two.example.org", "v=spf1 ~all");
	sz_add(z, "slow.example.org", SZ_TIMEOUT);
	sz_add_addr(z, "lint.example.org", "192.0.2.1");
	for (i = 0; i < 11; i++) {
		snprintf(host, sizeof(host), "mx%d.example.org", i);
		sz_add_host(z, "mx11.example.org", SD_DNS_MX, (unsigned)i, host);
	}
}

static void
test_lint_issues(void)
{
	sz_zone z = {0};
	size_t i;

	for (i = 0; i < NELEM(lint_cases); i++) {
		sd_spf_lint_report *l;
		const sd_spf_issue *is;

		sz_clear(&z);
		lint_zone(&z);
		sz_txt(&z, "lint.example.org", lint_cases[i].record);
		l = lint(&z, "lint.example.org");
		CHECK(l != NULL);
		if (l == NULL)
			continue;
		is = issue_of(l, lint_cases[i].code);
		if (is == NULL || is->severity != lint_cases[i].sev) {
			sd_buf b;

			sd_buf_init(&b, 1 << 16);
			sd_spf_lint_text(l, &b);
			fprintf(stderr, "lint \"%s\": want %s:\n%s", lint_cases[i].record,
				lint_cases[i].code, b.data ? b.data : "");
			sd_buf_free(&b);
			CHECK(0);
		} else {
			CHECK(1);
		}
		if (lint_cases[i].lookups >= 0 && l->lookups != lint_cases[i].lookups) {
			fprintf(stderr, "lint \"%s\": %d lookups, want %d\n", lint_cases[i].record,
				l->lookups, lint_cases[i].lookups);
			CHECK(0);
		}
		CHECK(l->lookups_exact == lint_cases[i].exact);
		CHECK((l->status == SD_SPF_PERMERROR) == (l->errors > 0));
		sd_spf_lint_free(l);
	}

	/* "-include:" of a "+all" record fails everyone: not open */
	sz_clear(&z);
	lint_zone(&z);
	sz_txt(&z, "lint.example.org", "v=spf1 -include:open.example.org ip4:192.0.2.1 ~all");
	{
		sd_spf_lint_report *l = lint(&z, "lint.example.org");
		sd_buf b;

		CHECK(l && issue_of(l, "open-all") == NULL && l->lookups == 1 && l->errors == 0);
		sd_spf_lint_free(l);
		/* a long record gets a note, nothing worse */
		sd_buf_init(&b, 4096);
		sd_buf_adds(&b, "v=spf1");
		while (b.len < 500)
			sd_buf_adds(&b, " ip4:192.0.2.1");
		sd_buf_adds(&b, " -all");
		l = NULL;
		CHECK(sd_spf_lint(sz_lookup, &z, "lint.example.org", b.data, &l) == SMTPDOC_OK);
		CHECK(l && issue_of(l, "long-record") && issue_of(l, "long-record")->severity ==
		      SD_SPF_INFO && l->status == SD_SPF_NEUTRAL);
		sd_spf_lint_free(l);
		sd_buf_free(&b);
	}

	/* no record at all; a clean record */
	sz_clear(&z);
	sz_txt(&z, "clean.example.org", "v=spf1 mx ip4:192.0.2.0/24 include:_spf.example.org -all");
	sz_add_host(&z, "clean.example.org", SD_DNS_MX, 10, "mail.example.org");
	sz_txt(&z, "_spf.example.org", "v=spf1 ip6:2001:db8::/32 ~all");
	{
		sd_spf_lint_report *l = lint(&z, "nothing.example.org");

		CHECK(l && l->status == SD_SPF_NONE && issue_of(l, "no-record") && !l->record);
		sd_spf_lint_free(l);
		l = lint(&z, "clean.example.org");
		CHECK(l && l->status == SD_SPF_NEUTRAL && l->errors == 0 && l->warnings == 0);
		CHECK(l && l->lookups == 2 && l->nnodes == 2);
		sd_spf_lint_free(l);
		/* a record given in place of the published one */
		l = NULL;
		CHECK(sd_spf_lint(sz_lookup, &z, "clean.example.org", "v=spf1 a:x.example.org/33 -all",
				  &l) == SMTPDOC_OK);
		CHECK(l && l->status == SD_SPF_PERMERROR);
		if (l && issue_of(l, "syntax")) {
			CHECK(issue_of(l, "syntax")->offset == 23);
			CHECK(contains(issue_of(l, "syntax")->message, "character 24"));
		} else {
			CHECK(0);
		}
		sd_spf_lint_free(l);
		CHECK(sd_spf_lint(sz_lookup, &z, "", NULL, &l) == SMTPDOC_EINVAL && l == NULL);
	}
	sz_free(&z);
}

int
main(void)
{
	test_parse();
	test_parse_terms();
	test_macros();
	test_domain_spec();
	test_names();
	test_addresses();
	test_counting();
	test_voids();
	test_over_limit();
	test_exp();
	test_dns_errors();
	test_records();
	test_clients();
	test_hostile();
	test_lint_tree();
	test_lint_issues();
	TEST_MAIN_END();
}
