/*
 * test_catalog.c - unit tests of the cause and fix catalog (catalog.c,
 * catalog_data.c): every row complete, ids unique, every Sisimai reason
 * has its default, the listed ids exist with their reason and hard flag,
 * look-ups fall back to "unknown", and doc/causes.md has a matching row
 * (id, reason, hard/soft, title) for every cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "testutil.h"

/* The causes promised to users: id, reason, hard. The first row of each
 * reason is the reason's default. */
static const struct {
	const char *id;
	const char *reason;
	int hard;
} want_causes[] = {
	{"mailbox.unknown", "userunknown", 1},
	{"mailbox.invalid-recipient", "userunknown", 1},
	{"mailbox.unavailable", "userunknown", 1},
	{"mailbox.full", "mailboxfull", 0},
	{"relay.denied", "norelaying", 0},
	{"relay.auth-required", "norelaying", 0},
	{"domain.not-hosted", "norelaying", 0},
	{"domain.unknown", "hostunknown", 1},
	{"sender.blocked", "blocked", 0},
	{"sender.blocklisted", "blocked", 0},
	{"sender.rejected", "rejected", 0},
	{"sender.dns-records", "rejected", 0},
	{"sender.auth-failed", "authfailure", 0},
	{"sender.reputation", "badreputation", 0},
	{"sender.no-ptr", "requireptr", 0},
	{"message.too-large", "mesgtoobig", 0},
	{"message.exceeds-limit", "exceedlimit", 0},
	{"policy.violation", "policyviolation", 0},
	{"content.spam", "spamdetected", 0},
	{"content.virus", "virusdetected", 0},
	{"mailbox.disabled", "suspend", 0},
	{"delivery.expired", "expired", 0},
	{"recipient.filtered", "filtered", 0},
	{"mailbox.moved", "hasmoved", 1},
	{"server.system-error", "systemerror", 0},
	{"server.system-full", "systemfull", 0},
	{"network.unreachable", "networkerror", 0},
	{"network.port-blocked", "networkerror", 0},
	{"domain.not-accepting", "notaccept", 1},
	{"content.not-compliant", "notcompliantrfc", 0},
	{"security.error", "securityerror", 0},
	{"protocol.syntax", "syntaxerror", 0},
	{"rate.too-many-connections", "toomanyconn", 0},
	{"rate.speeding", "speeding", 0},
	{"content.error", "contenterror", 0},
	{"mailer.error", "mailererror", 0},
	{"delivery.onhold", "onhold", 0},
	{"unknown", "undefined", 0},
	{"autoreply.vacation", "vacation", 0},
	{"delivery.success", "delivered", 0},
	{"feedback.report", "feedback", 0},
};

/* Sisimai's reasons with the id of their default cause. */
static const struct {
	const char *reason;
	const char *default_id;
} want_defaults[] = {
	{"userunknown", "mailbox.unknown"},
	{"mailboxfull", "mailbox.full"},
	{"norelaying", "relay.denied"},
	{"hostunknown", "domain.unknown"},
	{"blocked", "sender.blocked"},
	{"rejected", "sender.rejected"},
	{"authfailure", "sender.auth-failed"},
	{"badreputation", "sender.reputation"},
	{"requireptr", "sender.no-ptr"},
	{"mesgtoobig", "message.too-large"},
	{"exceedlimit", "message.exceeds-limit"},
	{"policyviolation", "policy.violation"},
	{"spamdetected", "content.spam"},
	{"virusdetected", "content.virus"},
	{"suspend", "mailbox.disabled"},
	{"expired", "delivery.expired"},
	{"filtered", "recipient.filtered"},
	{"hasmoved", "mailbox.moved"},
	{"systemerror", "server.system-error"},
	{"systemfull", "server.system-full"},
	{"networkerror", "network.unreachable"},
	{"notaccept", "domain.not-accepting"},
	{"notcompliantrfc", "content.not-compliant"},
	{"securityerror", "security.error"},
	{"syntaxerror", "protocol.syntax"},
	{"toomanyconn", "rate.too-many-connections"},
	{"speeding", "rate.speeding"},
	{"contenterror", "content.error"},
	{"mailererror", "mailer.error"},
	{"onhold", "delivery.onhold"},
	{"undefined", "unknown"},
	{"vacation", "autoreply.vacation"},
	{"delivered", "delivery.success"},
	{"feedback", "feedback.report"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static size_t
count_steps(const char *const *steps)
{
	size_t n = 0;

	if (steps == NULL)
		return 0;
	while (steps[n] != NULL) {
		if (steps[n][0] == '\0')
			return 0; /* an empty step counts as a broken list */
		n++;
	}
	return n;
}

static int
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int
known_reason(const char *reason)
{
	size_t i;

	for (i = 0; i < NELEM(want_defaults); i++)
		if (strcmp(want_defaults[i].reason, reason) == 0)
			return 1;
	return 0;
}

static void
test_rows(void)
{
	size_t n = smtpdoc_cause_count(), i, j;

	CHECK(n >= NELEM(want_causes));
	CHECK(smtpdoc_cause_at(n) == NULL);
	CHECK(smtpdoc_cause_at((size_t)-1) == NULL);
	for (i = 0; i < n; i++) {
		const smtpdoc_cause *c = smtpdoc_cause_at(i);
		int ok;

		CHECK(c != NULL);
		if (c == NULL)
			continue;
		ok = nonempty(c->id) && nonempty(c->reason) &&
		     nonempty(c->title) && nonempty(c->explanation) &&
		     count_steps(c->fix_sender) >= 2 &&
		     count_steps(c->fix_recipient) >= 1 &&
		     count_steps(c->fix_admin) >= 1 &&
		     (c->hard == 0 || c->hard == 1) && known_reason(c->reason);
		if (!ok)
			fprintf(stderr, "incomplete catalog row %zu (%s)\n", i,
				c->id ? c->id : "(null)");
		CHECK(ok);
		for (j = i + 1; j < n; j++) {
			const smtpdoc_cause *d = smtpdoc_cause_at(j);
			if (d != NULL && c->id != NULL && d->id != NULL &&
			    strcmp(c->id, d->id) == 0) {
				fprintf(stderr, "duplicate id %s\n", c->id);
				CHECK(0);
			}
		}
		/* find() returns the very row */
		CHECK(smtpdoc_cause_find(c->id) == c);
	}
}

static void
test_ids(void)
{
	size_t i;

	for (i = 0; i < NELEM(want_causes); i++) {
		const smtpdoc_cause *c = smtpdoc_cause_find(want_causes[i].id);

		if (c == NULL) {
			fprintf(stderr, "missing cause %s\n", want_causes[i].id);
			CHECK(0);
			continue;
		}
		CHECK_STR(c->reason, want_causes[i].reason);
		if (c->hard != want_causes[i].hard)
			fprintf(stderr, "%s: hard %d, want %d\n", c->id, c->hard,
				want_causes[i].hard);
		CHECK(c->hard == want_causes[i].hard);
	}
	CHECK(smtpdoc_cause_find(NULL) == NULL);
	CHECK(smtpdoc_cause_find("") == NULL);
	CHECK(smtpdoc_cause_find("mailbox") == NULL);
	CHECK(smtpdoc_cause_find("MAILBOX.UNKNOWN") == NULL);
}

static void
test_defaults(void)
{
	size_t i;
	const smtpdoc_cause *c;

	CHECK(NELEM(want_defaults) == 34);
	for (i = 0; i < NELEM(want_defaults); i++) {
		c = smtpdoc_cause_for_reason(want_defaults[i].reason);
		CHECK(c != NULL);
		if (c == NULL)
			continue;
		CHECK_STR(c->id, want_defaults[i].default_id);
		CHECK_STR(c->reason, want_defaults[i].reason);
	}
	c = smtpdoc_cause_for_reason(NULL);
	CHECK(c != NULL);
	CHECK_STR(c ? c->id : NULL, "unknown");
	c = smtpdoc_cause_for_reason("bogus");
	CHECK_STR(c ? c->id : NULL, "unknown");
	c = smtpdoc_cause_for_reason("");
	CHECK_STR(c ? c->id : NULL, "unknown");
	c = smtpdoc_cause_for_reason("UserUnknown"); /* names are exact */
	CHECK_STR(c ? c->id : NULL, "unknown");
}

#ifdef SMTPDOC_TEST_DATA
/* doc/causes.md must have the row of every cause (curl test 1139 style). */
static void
test_doc(void)
{
	static const char path[] = SMTPDOC_TEST_DATA "/../../doc/causes.md";
	char want[256];
	char *text;
	long size;
	size_t i, got;
	FILE *fp = fopen(path, "rb");

	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		CHECK(0);
		return;
	}
	text = malloc((size_t)size + 1);
	CHECK(text != NULL);
	if (text == NULL) {
		fclose(fp);
		return;
	}
	got = fread(text, 1, (size_t)size, fp);
	fclose(fp);
	text[got] = '\0';
	for (i = 0; i < smtpdoc_cause_count(); i++) {
		const smtpdoc_cause *c = smtpdoc_cause_at(i);
		snprintf(want, sizeof(want), "| `%s` | %s | %s | %s |\n", c->id,
			 c->reason, c->hard ? "hard" : "soft", c->title);
		if (strstr(text, want) == NULL)
			fprintf(stderr, "doc/causes.md lacks a row for %s\n",
				c->id);
		CHECK(strstr(text, want) != NULL);
	}
	free(text);
}
#endif

int
main(void)
{
	test_rows();
	test_ids();
	test_defaults();
#ifdef SMTPDOC_TEST_DATA
	test_doc();
#endif
	TEST_MAIN_END();
}
