/*
 * test_audit.c - unit tests of the configuration parsers and the route
 * engine of `smtpdoc audit` (src/audit_*.c): logical lines (comments,
 * continuation lines, junk, long lines), aliases(5) with :include:, cPanel
 * valiases, Postfix main.cf with $expansion and map source files, and
 * alias chains with loop detection and the depth cap. No DNS: routes to
 * other domains are "unknown".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "testutil.h"

#define TXT(s) (s), (sizeof(s) - 1)

static const sd_audit_alias *
find(const sd_audit_cfg *c, int kind, const char *key, const char *dom)
{
	return sd_audit_alias_find(c, kind, key, dom);
}

static int
has_warning(const sd_audit_cfg *c, const char *needle)
{
	size_t i;

	for (i = 0; i < c->nwarn; i++)
		if (strstr(c->warn[i], needle))
			return 1;
	return 0;
}

struct fixed_seen {
	int n;
	char first[64];
};

static void
fixed_fn(void *ctx, const char *pattern, const char *result, const char *src)
{
	struct fixed_seen *seen = ctx;

	(void)src;
	if (seen->n++ == 0)
		snprintf(seen->first, sizeof(seen->first), "%s -> %s", pattern, result);
}

static void
test_aliases(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new(SMTPDOC_TEST_DATA "/audit/cpanel");
	const sd_audit_alias *a;

	sd_audit_parse_aliases(c, SD_ALIAS_SYSTEM, "/t/aliases",
			       TXT("# comment\n"
				   "root: alice\n"
				   "team: a@x.test,\n"
				   "\tb@x.test,  \"|/bin/prog arg\",\n"
				   "   # a comment inside does not end the entry\n"
				   "\tc@x.test\n"
				   "\n"
				   "Staff: :include:/etc/mail/staff.list, d@x.test\n"
				   "bad line without colon\n"
				   "  orphan\n"
				   "empty:\n"
				   "crlf: e@x.test\r\n"));
	a = find(c, SD_ALIAS_SYSTEM, "root", NULL);
	CHECK(a && a->ntargets == 1 && strcmp(a->targets[0], "alice") == 0);
	a = find(c, SD_ALIAS_SYSTEM, "team", NULL);
	CHECK(a && a->ntargets == 4);
	if (a && a->ntargets == 4) {
		CHECK_STR(a->targets[1], "b@x.test");
		CHECK_STR(a->targets[2], "|/bin/prog arg");
		CHECK_STR(a->targets[3], "c@x.test");
		CHECK_STR(a->src, "/t/aliases:3");
	}
	a = find(c, SD_ALIAS_SYSTEM, "staff", NULL); /* names are lower-cased */
	CHECK(a && a->ntargets == 2);
	if (a && a->ntargets == 2) {
		CHECK_STR(a->targets[0], "alice"); /* from the :include: file */
		CHECK_STR(a->targets[1], "d@x.test");
	}
	a = find(c, SD_ALIAS_SYSTEM, "crlf", NULL);
	CHECK(a && strcmp(a->targets[0], "e@x.test") == 0);
	CHECK(has_warning(c, "/t/aliases:9: no \"name:\""));
	CHECK(!has_warning(c, "/t/aliases:10:")); /* continues line 9's (bad) entry */
	CHECK(has_warning(c, "/t/aliases:11: alias empty has no target"));
	sd_audit_cfg_free(c);
}

static void
test_include_loop_and_junk(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	char big[SD_AUDIT_MAX_LINE + 100];
	char *text;
	size_t n;

	sd_audit_parse_aliases(c, SD_ALIAS_SYSTEM, "/t/a", TXT("x: :include:/nope\nok: y\n"));
	CHECK(has_warning(c, ":include: file /nope cannot be read"));
	CHECK(find(c, SD_ALIAS_SYSTEM, "ok", NULL) != NULL);
	sd_audit_parse_aliases(c, SD_ALIAS_SYSTEM, "/t/b", TXT("j\001unk: y\nz: \"unclosed, w\n"));
	CHECK(has_warning(c, "/t/b:1: binary data (byte 0x01 at column 2)"));
	CHECK(find(c, SD_ALIAS_SYSTEM, "z", NULL) != NULL);
	memset(big, 'a', sizeof(big));
	memcpy(big, "long: ", 6);
	n = sizeof(big);
	text = malloc(n + 20);
	memcpy(text, big, n);
	memcpy(text + n, "\nafter: q\n", 10);
	sd_audit_parse_aliases(c, SD_ALIAS_SYSTEM, "/t/c", text, n + 10);
	CHECK(has_warning(c, "/t/c:1: line of"));
	CHECK(find(c, SD_ALIAS_SYSTEM, "long", NULL) == NULL);
	CHECK(find(c, SD_ALIAS_SYSTEM, "after", NULL) != NULL);
	free(text);
	sd_audit_cfg_free(c);
}

static void
test_valiases(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	const sd_audit_alias *a;

	sd_audit_parse_valiases(c, "/etc/valiases/Ex.Test", "Ex.Test",
				TXT("info@ex.test: bob@other.test, carol\n"
				    "sales: |/usr/bin/x\n"
				    "gone@ex.test: :fail: Gone, moved away\n"
				    "x@else.test: y\n"
				    "*: :blackhole:\n"));
	a = find(c, SD_ALIAS_VALIAS, "info", "ex.test");
	CHECK(a && a->ntargets == 2 && strcmp(a->targets[1], "carol") == 0);
	a = find(c, SD_ALIAS_VALIAS, "sales", "ex.test");
	CHECK(a && strcmp(a->targets[0], "|/usr/bin/x") == 0);
	a = find(c, SD_ALIAS_VALIAS, "gone", "ex.test");
	CHECK(a && a->ntargets == 1 && strcmp(a->targets[0], ":fail: Gone, moved away") == 0);
	CHECK(find(c, SD_ALIAS_VALIAS, "*", "ex.test") != NULL);
	CHECK(find(c, SD_ALIAS_VALIAS, "x", "ex.test") == NULL);
	CHECK(has_warning(c, ":4: address of another domain"));
	sd_audit_cfg_free(c);
}

static void
test_maincf(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");

	sd_audit_parse_maincf(c, "main.cf",
			      TXT("# comment\n"
				  "myhostname = mx1.example.test\n"
				  "mydestination = $myhostname, localhost.$mydomain,\n"
				  "    ${extra}, $(other) ${unset?never} ${unset:dflt}\n"
				  "extra = one.test\n"
				  "other = ${extra?two.test}\n"
				  "a = $b\n"
				  "b = $a\n"
				  "dollar = $$5\n"
				  "bad name = x\n"));
	CHECK_STR(sd_audit_param_expand(c, "mydomain"), "example.test");
	CHECK_STR(sd_audit_param_expand(c, "mydestination"),
		  "mx1.example.test, localhost.example.test, one.test, two.test  dflt");
	CHECK_STR(sd_audit_param_expand(c, "alias_maps"), "hash:/etc/aliases");
	CHECK_STR(sd_audit_param_expand(c, "dollar"), "$5");
	CHECK_STR(sd_audit_param_expand(c, "a"), ""); /* a loop stops with a warning */
	CHECK(has_warning(c, "nested more than"));
	CHECK(has_warning(c, "main.cf:10: \"bad name\" is not a parameter name"));
	sd_audit_cfg_free(c);
}

static int n_map;
static char map_seen[4][128];

static void
map_fn(sd_audit_cfg *c, void *ctx, const char *key, const char *value, const char *src)
{
	(void)c;
	(void)ctx;
	(void)src;
	if (n_map < 4)
		snprintf(map_seen[n_map], sizeof(map_seen[0]), "%s=%s", key, value);
	n_map++;
}

static void
test_map(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");

	sd_audit_parse_map(c, "virtual",
			   TXT("# virtual\n"
			       "User@Ex.test   a@x.test,\n"
			       "  b@x.test\n"
			       "@ex.test\tcatch@x.test\n"
			       "lonely\n"),
			   map_fn, NULL);
	CHECK(n_map == 2);
	CHECK_STR(map_seen[0], "user@ex.test=a@x.test, b@x.test");
	CHECK_STR(map_seen[1], "@ex.test=catch@x.test");
	CHECK(has_warning(c, "virtual:5: key \"lonely\" has no value"));
	sd_audit_cfg_free(c);
}

/* a small cPanel-like model built by hand, routed without DNS */
static void
test_route(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	sd_route_env e;
	sd_route r;
	const char *t1[] = {"b@ex.test"}, *t2[] = {"c@ex.test"}, *t3[] = {"a@ex.test"};
	const char *t4[] = {"ghost@ex.test", "|/bin/x"}, *t5[] = {"self@ex.test", "a@ex.test"};
	char key[32], tgt[32];
	int i;

	c->cpanel = 1;
	sd_audit_domain_mark(c, "ex.test", SD_DOM_LOCAL, "localdomains:1");
	sd_audit_alias_add(c, SD_ALIAS_VALIAS, "a", "ex.test", t1, 1, "v:1");
	sd_audit_alias_add(c, SD_ALIAS_VALIAS, "b", "ex.test", t2, 1, "v:2");
	sd_audit_alias_add(c, SD_ALIAS_VALIAS, "c", "ex.test", t3, 1, "v:3");
	sd_audit_alias_add(c, SD_ALIAS_VALIAS, "mixed", "ex.test", t4, 2, "v:4");
	sd_audit_alias_add(c, SD_ALIAS_VALIAS, "self", "ex.test", t5, 2, "v:5");
	/* a chain deeper than the cap: d0 -> d1 -> ... -> d30 */
	for (i = 0; i < 30; i++) {
		const char *t[1];
		snprintf(key, sizeof(key), "d%d", i);
		snprintf(tgt, sizeof(tgt), "d%d@ex.test", i + 1);
		t[0] = tgt;
		sd_audit_alias_add(c, SD_ALIAS_VALIAS, key, "ex.test", t, 1, "v:9");
	}
	memset(&e, 0, sizeof(e));
	e.cfg = c;

	memset(&r, 0, sizeof(r));
	CHECK(sd_route_run(&e, "A@EX.test", NULL, &r) == 0);
	CHECK(r.n == 4);
	if (r.n == 4) {
		CHECK_STR(r.steps[3].action, "loop");
		CHECK_STR(r.steps[3].address, "a@ex.test");
		CHECK_STR(r.steps[3].cause, "config.alias-loop");
		CHECK(r.steps[3].depth == 3);
	}
	CHECK_STR(r.domain_class, "local");
	sd_route_free(&r);

	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "mixed@ex.test", NULL, &r);
	CHECK(r.n == 3);
	if (r.n == 3) {
		CHECK_STR(r.steps[1].action, "unknown-user");
		CHECK_STR(r.steps[1].reply, "550 No Such User Here");
		CHECK_STR(r.steps[2].action, "pipe");
		CHECK_STR(r.steps[2].target, "/bin/x");
	}
	sd_route_free(&r);

	/* an alias that lists itself keeps a copy: no loop */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "self@ex.test", NULL, &r);
	for (i = 0; i < (int)r.n; i++)
		if (strcmp(r.steps[i].address, "self@ex.test") == 0)
			CHECK(strcmp(r.steps[i].action, "loop") != 0);
	sd_route_free(&r);

	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "d0@ex.test", NULL, &r);
	CHECK(r.n > 0 && strcmp(r.steps[r.n - 1].action, "depth-limit") == 0);
	CHECK(r.n == SD_ROUTE_MAX_DEPTH + 2);
	sd_route_free(&r);

	/* another domain without DNS: unknown, not failed */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "x@elsewhere.test", NULL, &r);
	CHECK(r.n == 1 && strcmp(r.steps[0].action, "remote") == 0 && strcmp(r.steps[0].result, "unknown") == 0);
	CHECK_STR(r.domain_class, "remote");
	sd_route_free(&r);

	/* bad addresses */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "@ex.test", NULL, &r);
	CHECK(r.n == 1 && strcmp(r.steps[0].cause, "address.syntax") == 0);
	sd_route_free(&r);

	sd_route_env_free(&e);
	sd_audit_cfg_free(c);
}

/* address extensions, as a table: delimiters, input, stripped, extension */
static void
test_extension(void)
{
	static const struct {
		const char *delims, *in, *base, *ext; /* base NULL: not split */
	} cases[] = {
		{"+", "user+tag@ex.test", "user@ex.test", "+tag"},
		{"+", "user+a+b@ex.test", "user@ex.test", "+a+b"},
		{"+-", "user-tag@ex.test", "user@ex.test", "-tag"},
		{"+-", "user-a+b@ex.test", "user@ex.test", "-a+b"}, /* the first delimiter of any kind */
		{"+-", "bob+x", "bob", "+x"},                       /* a local name */
		{"+", "user@ex+test", NULL, NULL},                  /* '+' only in the domain */
		{"+", "+tag@ex.test", NULL, NULL},                  /* empty local part left */
		{"+", "user+@ex.test", "user@ex.test", "+"},        /* an empty extension */
		{"+", "user@ex.test", NULL, NULL},
		{"", "user+tag@ex.test", NULL, NULL},               /* no recipient_delimiter */
		{"-", "Mailer-Daemon@ex.test", NULL, NULL},         /* never split */
		{"+-", "double-bounce", NULL, NULL},
		{"+", "postmaster+x@ex.test", "postmaster@ex.test", "+x"}, /* only the whole name is kept */
		{"-", "owner-list@ex.test", NULL, NULL},            /* owner-NAME with '-' */
		{"+-", "list-request@ex.test", NULL, NULL},         /* NAME-request with '-' */
		{"+", "owner-list+x@ex.test", "owner-list@ex.test", "+x"}, /* '-' not a delimiter */
	};
	char base[64], ext[64], out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sd_audit_ext_split(cases[i].delims, cases[i].in, base, sizeof(base), ext, sizeof(ext));
		if (cases[i].base == NULL) {
			if (got != 0)
				fprintf(stderr, "case %zu: %s was split\n", i, cases[i].in);
			CHECK(got == 0);
			continue;
		}
		CHECK(got == 1);
		if (got == 1) {
			CHECK_STR(base, cases[i].base);
			CHECK_STR(ext, cases[i].ext);
		}
	}
	/* too small for the result: not split */
	CHECK(sd_audit_ext_split("+", "user+tag@ex.test", base, 5, ext, sizeof(ext)) == 0);
	CHECK(sd_audit_ext_add("a@x.test", "+t", out, sizeof(out)) == 0);
	CHECK_STR(out, "a+t@x.test");
	CHECK(sd_audit_ext_add("bob", "-t", out, sizeof(out)) == 0);
	CHECK_STR(out, "bob-t");
	CHECK(sd_audit_ext_add("a@x.test", "+t", out, 8) == -1);
}

/* the step actions of a route, joined: "extension,alias,extension,mailbox" */
static const char *
route_actions(const sd_route *r, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && n + 1 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "", r->steps[i].action);
	return buf;
}

/* extensions in routes: Postfix's lookup order and propagation, cPanel's
 * plus addressing */
static void
test_route_extension(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	const char *t1[] = {"box@pf.test"}, *t2[] = {"whole@else.test"}, *t3[] = {"bob"};
	char acts[256];
	sd_route_env e;
	sd_route r;

	c->postfix = 1;
	c->delims = "+-";
	c->delims_src = "main.cf:9";
	c->propagate_ext = 1;
	sd_audit_domain_mark(c, "pf.test", SD_DOM_VMAILBOX, "main.cf:3");
	sd_audit_domain_mark(c, "here.test", SD_DOM_LOCAL, "main.cf:4");
	sd_audit_mailbox_add(c, "box@pf.test", "/nonexistent/box/", "vmailbox:1");
	sd_audit_alias_add(c, SD_ALIAS_VIRTUAL, "sales@pf.test", NULL, t1, 1, "virtual:1");
	sd_audit_alias_add(c, SD_ALIAS_VIRTUAL, "sales+whole@pf.test", NULL, t2, 1, "virtual:2");
	sd_audit_alias_add(c, SD_ALIAS_SYSTEM, "postmaster", NULL, t3, 1, "aliases:1");
	sd_audit_user_add(c, "bob", "/home/bob", "passwd:2");
	memset(&e, 0, sizeof(e));
	e.cfg = c;

	/* the mailbox without the extension */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "box+news@pf.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "extension,mailbox");
	if (r.n == 2) {
		CHECK_STR(r.steps[0].target, "box@pf.test");
		CHECK_STR(r.steps[0].source, "main.cf:9");
		CHECK(r.steps[1].depth == 1);
		CHECK_STR(r.steps[1].address, "box@pf.test");
	}
	sd_route_free(&r);

	/* the whole address has its own alias: no stripping */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "sales+whole@pf.test", NULL, &r);
	CHECK(r.n >= 1 && strcmp(r.steps[0].action, "alias") == 0 &&
	      strcmp(r.steps[0].target, "whole@else.test") == 0);
	sd_route_free(&r);

	/* the alias of sales@ matched: its target gets the extension */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "sales-x@pf.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "extension,alias,extension,mailbox");
	if (r.n == 4)
		CHECK_STR(r.steps[2].address, "box-x@pf.test");
	sd_route_free(&r);
	c->propagate_ext = 0;
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "sales-x@pf.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "extension,alias,mailbox");
	sd_route_free(&r);

	/* no mailbox with or without: the whole address is refused */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "nobody+x@pf.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "unknown-user");
	CHECK(r.n == 1 && strstr(r.steps[0].reply, "<nobody+x@pf.test>") != NULL);
	sd_route_free(&r);

	/* a local name: the alias for the name without its extension */
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "bob+x@here.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "extension,mailbox");
	sd_route_free(&r);
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "postmaster+x@here.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "extension,alias,mailbox");
	sd_route_free(&r);
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "bob-request@here.test", NULL, &r); /* NAME-request: not split */
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "unknown-user");
	sd_route_free(&r);

	/* cPanel: box+tag@domain goes to box@domain, after whole matches */
	c->postfix = 0;
	c->cpanel = 1;
	c->delims = "+";
	sd_audit_domain_mark(c, "cp.test", SD_DOM_LOCAL, "localdomains:1");
	sd_audit_mailbox_add(c, "info@cp.test", "/nonexistent/info", "passwd:1");
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "info+list@cp.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "extension,mailbox");
	sd_route_free(&r);
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "info-list@cp.test", NULL, &r); /* '-' is no delimiter there */
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "unknown-user");
	sd_route_free(&r);

	sd_route_env_free(&e);
	sd_audit_cfg_free(c);
}

/* .forward text: entries, kinds, bad input */
static void
test_forward(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	const sd_audit_alias *a;

	sd_audit_parse_forward(c, "/home/u/.forward", "u",
			       TXT("# comment\n"
				   "\\u, a@x.test\n"
				   "\"|/usr/bin/vacation u\"\n"
				   "  b@x.test ,/var/archive/u\n"
				   ":include:/home/u/list\n"
				   "two words\n"
				   "bin\001ary@x.test\n"
				   "c@x.test\r\n"));
	a = find(c, SD_ALIAS_FORWARD, "u", NULL);
	CHECK(a && a->ntargets == 7);
	if (a && a->ntargets == 7) {
		CHECK_STR(a->targets[0], "\\u");
		CHECK_STR(a->targets[1], "a@x.test");
		CHECK_STR(a->targets[2], "|/usr/bin/vacation u");
		CHECK_STR(a->targets[3], "b@x.test");
		CHECK_STR(a->targets[4], "/var/archive/u");
		CHECK_STR(a->targets[5], ":include:/home/u/list");
		CHECK_STR(a->targets[6], "c@x.test");
		CHECK_STR(a->src, "/home/u/.forward:2");
	}
	CHECK(find(c, SD_ALIAS_SYSTEM, "u", NULL) == NULL); /* not a system alias */
	CHECK(has_warning(c, "/home/u/.forward:6: \"two words\" is not an address"));
	CHECK(has_warning(c, "/home/u/.forward:7: binary data"));
	sd_audit_parse_forward(c, "/home/v/.forward", "v", TXT("# only a comment\n"));
	CHECK(find(c, SD_ALIAS_FORWARD, "v", NULL) == NULL);
	CHECK(has_warning(c, "/home/v/.forward: no address"));
	sd_audit_cfg_free(c);
}

/* .forward and /etc/localaliases in routes: the chain, what is not
 * followed, loops through .forward files and aliases alike */
static void
test_route_forward(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	const char *f1[] = {"\\u", "v", "|/bin/prog", ":include:/l", "/var/f"}, *f2[] = {"w"};
	const char *a1[] = {"u"}, *l1[] = {"u"};
	char acts[256];
	sd_route_env e;
	sd_route r;

	c->postfix = 1;
	sd_audit_domain_mark(c, "here.test", SD_DOM_LOCAL, "main.cf:4");
	sd_audit_user_add(c, "u", "/home/u", "passwd:1");
	sd_audit_user_add(c, "v", "/home/v", "passwd:2");
	sd_audit_alias_add(c, SD_ALIAS_FORWARD, "u", NULL, f1, 5, "/home/u/.forward:1");
	sd_audit_alias_add(c, SD_ALIAS_FORWARD, "v", NULL, f2, 1, "/home/v/.forward:1");
	sd_audit_alias_add(c, SD_ALIAS_SYSTEM, "w", NULL, a1, 1, "aliases:1"); /* w -> u: a loop */
	memset(&e, 0, sizeof(e));
	e.cfg = c;

	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "u@here.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "forward,mailbox,forward,alias,loop,pipe,include,file");
	if (r.n == 8) {
		CHECK_STR(r.steps[0].source, "/home/u/.forward:1");
		CHECK_STR(r.steps[4].address, "u");
		CHECK_STR(r.steps[4].cause, "config.alias-loop");
		CHECK_STR(r.steps[6].target, "/l");
		CHECK(r.steps[6].depth == 1 && strcmp(r.steps[6].result, "ok") == 0);
	}
	sd_route_free(&r);

	/* cPanel: /etc/localaliases for this server's own name; a plain
	 * domain of the server is not */
	c->postfix = 0;
	c->cpanel = 1;
	c->myhostname = "host.test";
	sd_audit_alias_add(c, SD_ALIAS_LOCAL, "webmaster", NULL, l1, 1, "/etc/localaliases:1");
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "webmaster@HOST.test", NULL, &r);
	CHECK(r.n > 0 && strcmp(r.steps[0].action, "alias") == 0 &&
	      strcmp(r.steps[0].source, "/etc/localaliases:1") == 0);
	CHECK_STR(r.domain_class, "local");
	CHECK_STR(r.why, "this server's host name");
	sd_route_free(&r);
	memset(&r, 0, sizeof(r));
	sd_route_run(&e, "webmaster@here.test", NULL, &r);
	CHECK_STR(route_actions(&r, acts, sizeof(acts)), "unknown-user");
	sd_route_free(&r);

	sd_route_env_free(&e);
	sd_audit_cfg_free(c);
}

/* regexp_table(5): rules, flags, if/endif, $n, and every kind of bad line */
static const char re_text[] =
	"# a regexp table\n"
	"/^(abuse|postmaster)@ex\\.test$/   root@ex.test\n"   /* 2 */
	"/^(.*)\\+.*@ex\\.test$/            $1@ex.test, ${1}-copy@ex.test\n"
	"/^CaseOnly@/i                     case@ex.test\n"      /* i turns case-blindness off */
	"if /@list\\.test$/\n"                                 /* 5 */
	"!/^owner@/                        members@list.test\n"
	"/^owner@/                         boss@list.test\n"
	"endif\n"
	"/^a\\/b@/                         slash@ex.test\n"    /* an escaped delimiter */
	"|^pipe@|                          pipedelim@ex.test\n" /* 10: another delimiter */
	"/^cost@/                          $$5@ex.test\n"
	"/(unclosed                        x\n"               /* 12 */
	"/^nores@/\n"
	"/^badflag@/q                      x\n"
	"/([a-z]+)@/                       $2@x\n"            /* 15: no group 2 */
	"!/^neg@/                          $1@x\n"
	"/(a)\\1/                          x\n"
	"/a{200}/                          x\n"
	"/[z-a]/                           x\n"               /* 19: regcomp refuses it */
	"no pattern\n"
	"endif\n"                                             /* 21: no if */
	"/^multi@/                         a@x,\n"
	"    b@x\n"                                            /* continuation line */
	"/^dollar@/                        $x\n"              /* 24 */
	"if /^never/\n"                                        /* 25: no endif */
	"/^inside@/                        x@y\n";

static void
test_regexp(void)
{
	static const struct {
		const char *key, *want; /* want NULL: no match */
	} cases[] = {
		{"abuse@ex.test", "root@ex.test"},
		{"POSTMASTER@EX.TEST", "root@ex.test"}, /* case-blind by default */
		{"bob+tag@ex.test", "bob@ex.test, bob-copy@ex.test"},
		{"CaseOnly@x", "case@ex.test"},
		{"caseonly@x", NULL},
		{"anyone@list.test", "members@list.test"},
		{"owner@list.test", "boss@list.test"},
		{"owner@other.test", NULL}, /* the if block is skipped */
		{"a/b@x", "slash@ex.test"},
		{"pipe@x", "pipedelim@ex.test"},
		{"cost@x", "$5@ex.test"},
		{"multi@x", "a@x, b@x"},
		{"neg@x", NULL},
		{"inside@x", NULL}, /* inside the if that never matches */
		{"nobody@nowhere.test", NULL},
	};
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	sd_audit_retable *t = sd_audit_retable_parse(c, "/t/re", 0, SD_RETAB_VALIAS, re_text, sizeof(re_text) - 1);
	char out[256], longkey[400];
	const char *src;
	size_t i;
	int nfixed = 0;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sd_audit_retable_lookup(t, cases[i].key, out, sizeof(out), &src);
		if (cases[i].want == NULL) {
			if (got != 0)
				fprintf(stderr, "regexp case %s: matched, gave %s\n", cases[i].key, out);
			CHECK(got == 0);
		} else {
			CHECK(got == 1);
			CHECK_STR(got == 1 ? out : "(no match)", cases[i].want);
		}
	}
	CHECK(sd_audit_retable_lookup(t, "abuse@ex.test", out, sizeof(out), &src) == 1);
	CHECK_STR(src, "/t/re:2");
	CHECK(sd_audit_retable_lookup(t, "bob+tag@ex.test", out, 8, &src) == -1); /* does not fit */
	memset(longkey, 'a', sizeof(longkey));
	memcpy(longkey + sizeof(longkey) - 10, "@ex.test", 9);                      /* 398 bytes */
	CHECK(sd_audit_retable_lookup(t, longkey, out, sizeof(out), &src) == -1);
	CHECK(has_warning(c, "/t/re:12: pattern not closed"));
	CHECK(has_warning(c, "/t/re:13: /^nores@/ has no result"));
	CHECK(has_warning(c, "/t/re:14: unknown or unsupported flag"));
	CHECK(has_warning(c, "/t/re:15: the result uses $2 but the pattern has 1 group"));
	CHECK(has_warning(c, "/t/re:16: $1 in the result of a negated pattern"));
	CHECK(has_warning(c, "/t/re:17: a back-reference"));
	CHECK(has_warning(c, "/t/re:18: repetition counts above"));
	CHECK(has_warning(c, "/t/re:19: bad pattern"));
	CHECK(has_warning(c, "/t/re:20: no /pattern/ here"));
	CHECK(has_warning(c, "/t/re:21: endif without if"));
	CHECK(has_warning(c, "/t/re:24: a $ in the result"));
	CHECK(has_warning(c, "/t/re: the if at /t/re:25 has no endif"));
	/* the rules whose result holds no $n, for the audit */
	{
		struct fixed_seen seen = {0, ""};
		sd_audit_retable_fixed(t, fixed_fn, &seen);
		nfixed = seen.n;
		CHECK_STR(seen.first, "/^(abuse|postmaster)@ex\\.test$/ -> root@ex.test");
	}
	CHECK(nfixed == 9);
	sd_audit_retable_free(t);

	/* binary junk and an unterminated if in a table of its own */
	t = sd_audit_retable_parse(c, "/t/junk", 0, SD_RETAB_VALIAS, TXT("/a/ b\n\001\002\n if\nif /x/\n"));
	CHECK(has_warning(c, "/t/junk:2: binary data"));
	CHECK(has_warning(c, "/t/junk: the if at /t/junk:4 has no endif"));
	sd_audit_retable_free(t);
	sd_audit_cfg_free(c);
}

/* pcre_table(5): what POSIX shares is evaluated, the rest is a warning */
static void
test_pcre(void)
{
	static const struct {
		const char *pat;
		int ere;
	} cases[] = {
		{"^(abuse|postmaster)@ex\\.test$", 1},
		{"^[a-z0-9._-]+@ex\\.test$", 1},
		{"^[[:alpha:]]{2,8}@", 1},
		{"^a\\/b\\+c", 1},
		{"^\\d+@", 0},
		{"^(?i)x@", 0},
		{"^.*?@", 0},
		{"^a++@", 0},
		{"^[\\w.]+@", 0},
		{"^(a)\\1", 0},
		{"\\bword", 0},
		{"a{,3}", 0},
		{"a{2}?", 0},
		{"\\<x", 0},
		{"[[.a.]]", 0},
		{"[abc", 0},
	};
	sd_audit_cfg *c = sd_audit_cfg_new("/nonexistent-root");
	sd_audit_retable *t;
	char why[128], out[128];
	const char *src;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sd_audit_pcre_is_ere(cases[i].pat, why, sizeof(why));
		if (got != cases[i].ere)
			fprintf(stderr, "pcre case %s: got %d\n", cases[i].pat, got);
		CHECK(got == cases[i].ere);
	}
	t = sd_audit_retable_parse(c, "/t/pcre", 1, SD_RETAB_VALIAS,
				   TXT("/^(info|sales)@ex\\.test$/ $1@in.test\n"
				       "/^\\d+@ex\\.test$/ digits@in.test\n"
				       "/^X@/x y@in.test\n"
				       "/^MiXed@/ims mixed@in.test\n"));
	CHECK(sd_audit_retable_lookup(t, "sales@ex.test", out, sizeof(out), &src) == 1);
	CHECK_STR(out, "sales@in.test");
	CHECK(sd_audit_retable_lookup(t, "123@ex.test", out, sizeof(out), &src) == 0);
	CHECK(sd_audit_retable_lookup(t, "mixed@x", out, sizeof(out), &src) == 0); /* i toggled off */
	CHECK(sd_audit_retable_lookup(t, "MiXed@x", out, sizeof(out), &src) == 1);
	CHECK(has_warning(c, "/t/pcre:2: PCRE syntax that POSIX regular expressions do not share (\\d at column 2)"));
	CHECK(has_warning(c, "/t/pcre:3: unknown or unsupported flag"));
	sd_audit_retable_free(t);
	sd_audit_cfg_free(c);
}

/* the fixture trees load, with the warnings the bad input deserves */
static void
test_fixtures(void)
{
	sd_audit_cfg *c = sd_audit_cfg_new(SMTPDOC_TEST_DATA "/audit/cpanel");

	CHECK(sd_audit_load_cpanel(c) == 1);
	CHECK(sd_audit_domain_find(c, "both.test") != NULL &&
	      sd_audit_domain_find(c, "both.test")->flags == (SD_DOM_LOCAL | SD_DOM_REMOTE));
	CHECK_STR(sd_audit_domain_find(c, "alias.test")->alias_of, "good.test");
	CHECK(sd_audit_mailbox_find(c, "sales@good.test") != NULL);
	CHECK(has_warning(c, "junk.test:2: binary data"));
	CHECK(find(c, SD_ALIAS_VALIAS, "fine", "junk.test") != NULL);
	CHECK(find(c, SD_ALIAS_LOCAL, "hostmaster", NULL) != NULL);     /* /etc/localaliases */
	CHECK(find(c, SD_ALIAS_SYSTEM, "hostmaster", NULL) == NULL);
	CHECK(find(c, SD_ALIAS_FORWARD, "carol", NULL) != NULL &&        /* /home/carol/.forward */
	      find(c, SD_ALIAS_FORWARD, "carol", NULL)->ntargets == 6);
	CHECK(has_warning(c, "/home/carol/.forward:8: binary data"));
	CHECK(c->delims && strcmp(c->delims, "+") == 0);
	sd_audit_cfg_free(c);

	c = sd_audit_cfg_new(SMTPDOC_TEST_DATA "/audit/postfix");
	CHECK(sd_audit_load_postfix(c) == 1);
	CHECK(sd_audit_domain_find(c, "pflocal.test")->flags == (SD_DOM_LOCAL | SD_DOM_VMAILBOX));
	CHECK(sd_audit_domain_find(c, "mail.host.test")->flags == SD_DOM_LOCAL);
	CHECK(sd_audit_domain_find(c, "pfvirt2.test")->flags == SD_DOM_VMAILBOX);
	CHECK_STR(sd_audit_mailbox_find(c, "info@pfvirt.test")->dir, "/var/mail/vhosts/pfvirt.test/info/");
	CHECK(find(c, SD_ALIAS_VIRTUAL, "team@pfalias.test", NULL) != NULL &&
	      find(c, SD_ALIAS_VIRTUAL, "team@pfalias.test", NULL)->ntargets == 2);
	CHECK(find(c, SD_ALIAS_SYSTEM, "nobodyhere", NULL) != NULL);
	CHECK(find(c, SD_ALIAS_FORWARD, "erin", NULL) != NULL);
	CHECK_STR(c->delims, "+-");
	CHECK(c->propagate_ext == 1);
	CHECK(c->nretab == 3); /* virtual.regexp, vmailbox.pcre, aliases.regexp */
	CHECK(find(c, SD_ALIAS_REGEXP, "/^retired@pfvirt\\.test$/", NULL) != NULL);
	CHECK(has_warning(c, "/etc/postfix/virtual.regexp:8: bad pattern"));
	CHECK(has_warning(c, "/etc/postfix/vmailbox.pcre:2: PCRE syntax"));
	CHECK(has_warning(c, "proxy:mysql:/etc/postfix/mysql-virtual.cf cannot be read offline"));
	CHECK(c->nwarn == 4);
	sd_audit_cfg_free(c);
}

int
main(void)
{
	test_aliases();
	test_include_loop_and_junk();
	test_valiases();
	test_maincf();
	test_map();
	test_route();
	test_extension();
	test_route_extension();
	test_forward();
	test_route_forward();
	test_regexp();
	test_pcre();
	test_fixtures();
	TEST_MAIN_END();
}
