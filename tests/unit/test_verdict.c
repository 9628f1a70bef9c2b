/*
 * test_verdict.c - sd_verify_decide() on tables of facts: every path from
 * syntax, DNS and SMTP facts to deliverable / undeliverable / risky /
 * unknown, with the reason, cause and retry flag the user is shown. In
 * particular what users of other verifiers complain about: a server that
 * accepts every address is never "deliverable"; greylisting is "unknown,
 * try again", not undeliverable; a refusal about the checking host (a
 * block list) is not a verdict on the address; a blocked port 25 is said
 * as such.
 */
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "testutil.h"
#include "verify_verdict.h"

typedef struct vcase {
	const char *name;
	sd_verify_facts f;
	const char *verdict, *reason, *cause;
	int retry;
} vcase;

#define OKDNS .syntax_ok = 1, .mx_status = SD_DNS_OK, .mx_count = 2
#define RCPT(c, s, t) .stage = SD_PROBE_RCPT, .rcpt = {c, s, t, "RCPT"}

static const vcase cases[] = {
	{"bad syntax", {.syntax_ok = 0}, "undeliverable", "userunknown", "address.syntax", 0},
	{"NXDOMAIN", {.syntax_ok = 1, .mx_status = SD_DNS_NXDOMAIN}, "undeliverable", "hostunknown",
	 "domain.unknown", 0},
	{"null MX", {.syntax_ok = 1, .mx_status = SD_DNS_OK, .null_mx = 1}, "undeliverable", "notaccept",
	 "domain.not-accepting", 0},
	{"no MX, no address", {.syntax_ok = 1, .mx_status = SD_DNS_NODATA, .addr_status = SD_DNS_NODATA},
	 "undeliverable", "notaccept", "domain.not-accepting", 0},
	{"no MX, A record, not probed",
	 {.syntax_ok = 1, .mx_status = SD_DNS_NODATA, .addr_status = SD_DNS_OK, .stage = SD_PROBE_NOT_RUN},
	 "unknown", "undefined", "verify.not-probed", 0},
	{"MX lookup timed out", {.syntax_ok = 1, .mx_status = SD_DNS_TIMEOUT}, "unknown", "networkerror",
	 "verify.dns-failed", 1},
	{"MX lookup SERVFAIL", {.syntax_ok = 1, .mx_status = SD_DNS_SERVFAIL}, "unknown", "networkerror",
	 "verify.dns-failed", 1},
	{"no MX reachable", {OKDNS, .stage = SD_PROBE_NO_CONNECT}, "unknown", "networkerror", "network.unreachable",
	 1},
	{"port 25 blocked", {OKDNS, .stage = SD_PROBE_NO_CONNECT, .port_blocked = 1}, "unknown", "networkerror",
	 "network.port-blocked", 1},
	{"accepted", {OKDNS, RCPT("250", "2.1.5", "250 2.1.5 Ok"), .catch_all = 0}, "deliverable", "delivered",
	 "verify.accepted", 0},
	{"accepted by a catch-all", {OKDNS, RCPT("250", "2.1.5", "250 2.1.5 Ok"), .catch_all = 1}, "risky",
	 "delivered", "verify.accept-all", 0},
	{"accepted by an accept-all provider",
	 {OKDNS, RCPT("250", NULL, "250 recipient ok"), .catch_all = 0, .accepts_all_provider = 1}, "risky",
	 "delivered", "verify.accept-all", 0},
	{"user unknown", {OKDNS, RCPT("550", "5.1.1", "550 5.1.1 <bob@example.org>: Recipient address rejected: "
					       "User unknown in virtual mailbox table")},
	 "undeliverable", "userunknown", "mailbox.unknown", 0},
	{"no such user here", {OKDNS, RCPT("550", NULL, "550 No such user here")}, "undeliverable", "userunknown",
	 NULL, 0},
	{"mailbox disabled", {OKDNS, RCPT("550", "5.2.1", "550 5.2.1 <bob@example.org>: mailbox disabled")},
	 "undeliverable", "suspend", NULL, 0},
	{"domain not hosted here", {OKDNS, RCPT("550", NULL, "550 this domain is not hosted here")},
	 "undeliverable", "norelaying", "domain.not-hosted", 0},
	{"relay denied by the domain's own MX",
	 {OKDNS, RCPT("554", "5.7.1", "554 5.7.1 <bob@example.org>: Relay access denied")}, "undeliverable",
	 "norelaying", "relay.denied", 0},
	{"mailbox full, permanent", {OKDNS, RCPT("552", "5.2.2", "552 5.2.2 Mailbox full")}, "risky",
	 "mailboxfull", "mailbox.full", 1},
	{"mailbox full, temporary", {OKDNS, RCPT("452", "4.2.2", "452 4.2.2 Mailbox full, try again later")},
	 "risky", "mailboxfull", "mailbox.full", 1},
	{"greylisted", {OKDNS, RCPT("450", "4.2.0", "450 4.2.0 <bob@example.org>: Recipient address rejected: "
					       "Greylisted, see http://postgrey.schweikert.ch/help/example.org.html")},
	 "unknown", NULL, NULL, 1},
	{"block list at RCPT: not about the address",
	 {OKDNS, RCPT("554", "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using "
				      "zen.spamhaus.org")},
	 "unknown", "blocked", "sender.blocklisted", 0},
	{"refused at MAIL FROM",
	 {OKDNS, .stage = SD_PROBE_REFUSED, .refusal = {"553", "5.7.1", "553 5.7.1 Sender address rejected", "MAIL"}},
	 "unknown", "rejected", NULL, 0},
	{"554 banner", {OKDNS, .stage = SD_PROBE_REFUSED, .refusal = {"554", NULL, "554 No SMTP service here", "CONN"}},
	 "unknown", NULL, NULL, 0},
	{"421 banner", {OKDNS, .stage = SD_PROBE_REFUSED, .refusal = {"421", "4.3.2", "421 4.3.2 Service not available",
								     "CONN"}},
	 "unknown", NULL, NULL, 1},
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const vcase *c = &cases[i];
		sd_verify_outcome o;
		sd_verify_decide(&c->f, &o);
		if (strcmp(sd_verdict_name(o.verdict), c->verdict) != 0 || (c->reason && strcmp(o.reason, c->reason)))
			fprintf(stderr, "case \"%s\": got %s/%s/%s\n", c->name, sd_verdict_name(o.verdict), o.reason,
				o.cause);
		CHECK_STR(sd_verdict_name(o.verdict), c->verdict);
		if (c->reason)
			CHECK_STR(o.reason, c->reason);
		if (c->cause)
			CHECK_STR(o.cause, c->cause);
		CHECK(o.retry == c->retry);
		CHECK(o.note != NULL && o.note[0] != '\0');
		/* the cause is in the catalog and belongs to the reason */
		CHECK(o.cause != NULL && smtpdoc_cause_find(o.cause) != NULL);
		CHECK(o.cause != NULL && o.reason != NULL && smtpdoc_cause_find(o.cause) &&
		      strcmp(smtpdoc_cause_find(o.cause)->reason, o.reason) == 0);
	}
	TEST_MAIN_END();
}
