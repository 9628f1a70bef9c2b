/*
 * test_dsn.c - unit tests of the RFC 3464 DSN decoder (decoders/rfc3464.c),
 * on small multipart/report messages written here: the per-recipient
 * fields (Final-Recipient, Original-Recipient as alias, Action, Status,
 * Remote-MTA, Diagnostic-Code with its type, Last-Attempt-Date), folded
 * field values, several recipients with and without the blank line
 * between blocks, fields written before Final-Recipient, blocks without an
 * address dropped, Reporting-MTA as lhost and Arrival-Date as the fallback
 * date. The decoder is run directly on sd_mime_read's view, and the same
 * messages go through smtpdoc_decode to check the assembled results.
 */
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "internal.h"
#include "testutil.h"

extern const sd_decoder sd_decoder_rfc3464;

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Headers and the opening of a multipart/report; DSN_PART opens the
 * message/delivery-status part, DSN_END closes the message. */
#define DSN_HEAD                                                                 \
	"From: MAILER-DAEMON@mail.example.net\n"                                 \
	"To: sender@example.net\n"                                               \
	"Subject: Undelivered Mail Returned to Sender\n"                         \
	"Date: Tue, 14 May 2024 10:45:13 +0200\n"                                \
	"MIME-Version: 1.0\n"                                                    \
	"Content-Type: multipart/report; report-type=delivery-status;\n"         \
	"\tboundary=\"DSN-BOUNDARY\"\n"                                          \
	"\n"                                                                     \
	"This is a MIME-encapsulated message.\n"                                 \
	"\n"                                                                     \
	"--DSN-BOUNDARY\n"                                                       \
	"Content-Type: text/plain; charset=us-ascii\n"                           \
	"\n"                                                                     \
	"Your message could not be delivered to one or more recipients.\n"       \
	"\n"
#define DSN_PART                                                                 \
	"--DSN-BOUNDARY\n"                                                       \
	"Content-Type: message/delivery-status\n"                                \
	"\n"
#define DSN_ORIG                                                                 \
	"--DSN-BOUNDARY\n"                                                       \
	"Content-Type: text/rfc822-headers\n"                                    \
	"\n"                                                                     \
	"From: Sender <sender@example.net>\n"                                    \
	"To: alias@example.org\n"                                                \
	"Subject: Meeting on Friday\n"                                           \
	"Message-ID: <20240514084510.ABC123@mail.example.net>\n"                 \
	"\n"
#define DSN_END "--DSN-BOUNDARY--\n"

/* One recipient, every per-recipient field, a folded Diagnostic-Code. */
static const char msg_single[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; mail.example.net\n"
	"X-Postfix-Queue-ID: 4VdLqT1xyzz\n"
	"X-Postfix-Sender: rfc822; sender@example.net\n"
	"Arrival-Date: Tue, 14 May 2024 10:45:10 +0200\n"
	"\n"
	"Final-Recipient: rfc822; user@example.org\n"
	"Original-Recipient: rfc822;alias@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <user@example.org>: Recipient address\n"
	"    rejected: User unknown in virtual mailbox table\n"
	"Last-Attempt-Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	DSN_ORIG DSN_END;

/* Three recipients in blocks separated by blank lines; an X-Postfix
 * diagnostic; one block without Diagnostic-Code. */
static const char msg_three[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; relay.example.net\n"
	"Arrival-Date: Tue, 5 Mar 2024 10:21:00 +0100\n"
	"\n"
	"Final-Recipient: rfc822; one@example.org\n"
	"Action: failed\n"
	"Status: 5.2.2\n"
	"Remote-MTA: dns; mx1.example.org\n"
	"Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
	"\n"
	"Final-Recipient: rfc822; two@example.org\n"
	"Action: delayed\n"
	"Status: 4.4.1\n"
	"Diagnostic-Code: X-Postfix; connect to mx2.example.org[192.0.2.2]:25:\n"
	"    Connection timed out\n"
	"\n"
	"Final-Recipient: rfc822; three@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"\n"
	DSN_ORIG DSN_END;

/* No blank lines at all: every Final-Recipient starts a new block. */
static const char msg_noblank[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; mail.example.net\n"
	"Final-Recipient: rfc822; a@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 No such user\n"
	"Final-Recipient: rfc822; b@example.org\n"
	"Original-Recipient: rfc822; b-alias@example.org\n"
	"Action: failed\n"
	"Status: 5.2.1\n"
	"Diagnostic-Code: smtp; 550 5.2.1 Mailbox disabled\n"
	"Final-Recipient: rfc822; c@example.org\n"
	"Action: delayed\n"
	"Status: 4.2.2\n"
	DSN_ORIG DSN_END;

/* Per-recipient fields written before Final-Recipient. */
static const char msg_before[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; mail.example.net\n"
	"\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 No such user here\n"
	"Final-Recipient: rfc822; first@example.org\n"
	"\n"
	"Status: 5.2.2\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Action: failed\n"
	"Final-Recipient: rfc822; second@example.org\n"
	"Original-Recipient: rfc822; second-alias@example.org\n"
	"\n"
	DSN_ORIG DSN_END;

/* Blocks without a usable address are dropped; a block with only an
 * Original-Recipient keeps that address as its recipient. */
static const char msg_dropped[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; mail.example.net\n"
	"\n"
	"Final-Recipient: rfc822; real@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"\n"
	"Final-Recipient: rfc822;\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"\n"
	"Action: failed\n"
	"Status: 5.4.4\n"
	"Diagnostic-Code: smtp; 550 no address in this block\n"
	"\n"
	"Original-Recipient: rfc822; only-original@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"\n"
	DSN_ORIG DSN_END;

/* Folded values (spaces and tabs), type without a space, upper-case
 * Action with a comment, Status with a comment, no Last-Attempt-Date. */
static const char msg_folded[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns;\n"
	"    mx.example.net\n"
	"Arrival-Date: Tue, 5 Mar 2024 10:21:07 +0100\n"
	"\n"
	"Final-Recipient:\n"
	"    rfc822; folded@example.org\n"
	"Action: FAILED (permanent)\n"
	"Status: 5.7.1 (delivery not authorized)\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Diagnostic-Code: smtp;554 5.7.1 <folded@example.org>:\n"
	"\tRecipient address rejected:\n"
	"\t  Access denied\n"
	"\n"
	DSN_ORIG DSN_END;

/* A delivered recipient (2.0.0) next to a failed one. */
static const char msg_delivered[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; mail.example.net\n"
	"\n"
	"Final-Recipient: rfc822; ok@example.org\n"
	"Action: delivered\n"
	"Status: 2.0.0\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 4VdLqT\n"
	"\n"
	"Final-Recipient: rfc822; full@example.org\n"
	"Original-Recipient: rfc822; full@example.org\n"
	"Action: failed\n"
	"Status: 5.2.2\n"
	"Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
	"\n"
	DSN_ORIG DSN_END;

/* A Diagnostic-Code without a type: the whole value is the text; a
 * Remote-MTA without one keeps its value. */
static const char msg_untyped[] =
	DSN_HEAD DSN_PART
	"Reporting-MTA: dns; mail.example.net\n"
	"\n"
	"Final-Recipient: rfc822; nobody@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Remote-MTA: mx.example.org\n"
	"Diagnostic-Code: 550 5.1.1 unknown user; see postmaster\n"
	"\n"
	DSN_ORIG DSN_END;

/* What one decoded recipient must hold; NULL: must be NULL. */
typedef struct want_rcpt {
	const char *recipient;
	const char *alias;
	const char *action;
	const char *status;
	const char *rhost;
	const char *diag;
	const char *diagtype;
	const char *date;
	const char *lhost;
} want_rcpt;

static const want_rcpt want_single[] = {
	{"user@example.org", "alias@example.org", "failed", "5.1.1", "mx.example.org",
	 "550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
	 "smtp", "Tue, 14 May 2024 10:45:12 +0200", "mail.example.net"},
};
static const want_rcpt want_three[] = {
	{"one@example.org", NULL, "failed", "5.2.2", "mx1.example.org", "552 5.2.2 Mailbox full", "smtp",
	 "Tue, 5 Mar 2024 10:21:00 +0100", "relay.example.net"},
	{"two@example.org", NULL, "delayed", "4.4.1", NULL,
	 "connect to mx2.example.org[192.0.2.2]:25: Connection timed out", "X-Postfix",
	 "Tue, 5 Mar 2024 10:21:00 +0100", "relay.example.net"},
	{"three@example.org", NULL, "failed", "5.1.1", NULL, NULL, NULL, "Tue, 5 Mar 2024 10:21:00 +0100",
	 "relay.example.net"},
};
static const want_rcpt want_noblank[] = {
	{"a@example.org", NULL, "failed", "5.1.1", NULL, "550 5.1.1 No such user", "smtp", NULL,
	 "mail.example.net"},
	{"b@example.org", "b-alias@example.org", "failed", "5.2.1", NULL, "550 5.2.1 Mailbox disabled",
	 "smtp", NULL, "mail.example.net"},
	{"c@example.org", NULL, "delayed", "4.2.2", NULL, NULL, NULL, NULL, "mail.example.net"},
};
static const want_rcpt want_before[] = {
	{"first@example.org", NULL, "failed", "5.1.1", NULL, "550 5.1.1 No such user here", "smtp", NULL,
	 "mail.example.net"},
	{"second@example.org", "second-alias@example.org", "failed", "5.2.2", "mx.example.org", NULL, NULL,
	 NULL, "mail.example.net"},
};
static const want_rcpt want_dropped[] = {
	{"real@example.org", NULL, "failed", "5.1.1", NULL, NULL, NULL, NULL, "mail.example.net"},
	{"only-original@example.org", NULL, "failed", "5.1.1", NULL, NULL, NULL, NULL, "mail.example.net"},
};
static const want_rcpt want_folded[] = {
	{"folded@example.org", NULL, "failed", "5.7.1", "mx.example.org",
	 "554 5.7.1 <folded@example.org>: Recipient address rejected: Access denied", "smtp",
	 "Tue, 5 Mar 2024 10:21:07 +0100", "mx.example.net"},
};
static const want_rcpt want_delivered[] = {
	{"ok@example.org", NULL, "delivered", "2.0.0", "mx.example.org", "250 2.0.0 Ok: queued as 4VdLqT",
	 "smtp", NULL, "mail.example.net"},
	{"full@example.org", "full@example.org", "failed", "5.2.2", NULL, "552 5.2.2 Mailbox full", "smtp",
	 NULL, "mail.example.net"},
};
static const want_rcpt want_untyped[] = {
	{"nobody@example.org", NULL, "failed", "5.1.1", "mx.example.org",
	 "550 5.1.1 unknown user; see postmaster", NULL, NULL, "mail.example.net"},
};

static const struct {
	const char *name;
	const char *msg;
	const want_rcpt *want;
	size_t n;
	const char *lhost; /* the block-level reporting host */
} cases[] = {
	{"single", msg_single, want_single, NELEM(want_single), "mail.example.net"},
	{"three", msg_three, want_three, NELEM(want_three), "relay.example.net"},
	{"noblank", msg_noblank, want_noblank, NELEM(want_noblank), "mail.example.net"},
	{"before", msg_before, want_before, NELEM(want_before), "mail.example.net"},
	{"dropped", msg_dropped, want_dropped, NELEM(want_dropped), "mail.example.net"},
	{"folded", msg_folded, want_folded, NELEM(want_folded), "mx.example.net"},
	{"delivered", msg_delivered, want_delivered, NELEM(want_delivered), "mail.example.net"},
	{"untyped", msg_untyped, want_untyped, NELEM(want_untyped), "mail.example.net"},
};

/* Run the DSN decoder alone on msg; returns its count, -1 if unreadable. */
static int
run_decoder(const char *msg, size_t len, sd_arena *a, sd_rcpts *out)
{
	sd_msgview m;

	memset(out, 0, sizeof(*out));
	if (sd_mime_read(msg, len, a, &m) != SMTPDOC_OK)
		return -1;
	return sd_decoder_rfc3464.decode(&m, out);
}

static void
check_rcpts(const char *name, const sd_rcpts *r, int got, const want_rcpt *want, size_t n,
	    const char *lhost)
{
	size_t i;

	if (got != (int)n) {
		fprintf(stderr, "%s: decoder returned %d recipients, want %zu\n", name, got, n);
		for (i = 0; got > 0 && i < r->n; i++)
			fprintf(stderr, "  - %s\n", r->v[i].recipient ? r->v[i].recipient : "(null)");
	}
	CHECK(got == (int)n);
	CHECK(r->n == n);
	CHECK_STR(r->agent, "RFC3464");
	CHECK_STR(r->lhost, lhost);
	for (i = 0; i < n && i < r->n; i++) {
		const sd_rcpt *g = &r->v[i];
		const want_rcpt *w = &want[i];

		CHECK_STR(g->recipient, w->recipient);
		CHECK_STR(g->alias, w->alias);
		CHECK_STR(g->action, w->action);
		CHECK_STR(g->status, w->status);
		CHECK_STR(g->rhost, w->rhost);
		CHECK_STR(g->diag, w->diag);
		CHECK_STR(g->diagtype, w->diagtype);
		CHECK_STR(g->date, w->date);
		CHECK_STR(g->lhost, w->lhost);
		CHECK(g->reason == NULL); /* a DSN never forces a reason */
	}
}

/* Same message with CRLF line endings: must decode the same. */
static char *
to_crlf(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *out = malloc(2 * n + 1);

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			out[o++] = '\r';
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

static void
test_decoder(void)
{
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		sd_arena *a = sd_arena_new();
		sd_rcpts r;
		char *crlf;
		int got;

		CHECK(a != NULL);
		if (a == NULL)
			return;
		got = run_decoder(cases[i].msg, strlen(cases[i].msg), a, &r);
		check_rcpts(cases[i].name, &r, got, cases[i].want, cases[i].n, cases[i].lhost);
		sd_arena_free(a);

		crlf = to_crlf(cases[i].msg);
		CHECK(crlf != NULL);
		if (crlf == NULL)
			continue;
		a = sd_arena_new();
		CHECK(a != NULL);
		if (a != NULL) {
			got = run_decoder(crlf, strlen(crlf), a, &r);
			check_rcpts(cases[i].name, &r, got, cases[i].want, cases[i].n, cases[i].lhost);
			sd_arena_free(a);
		}
		free(crlf);
	}
}

/* Not a DSN: the decoder must leave it alone. */
static void
test_not_dsn(void)
{
	static const char plain[] =
		"From: alice@example.org\n"
		"To: bob@example.net\n"
		"Subject: lunch\n"
		"Date: Tue, 14 May 2024 10:45:12 +0200\n"
		"\n"
		"Final recipient: the canteen at noon?\n";
	static const char empty_dsn[] =
		DSN_HEAD DSN_PART
		"Reporting-MTA: dns; mail.example.net\n"
		"Arrival-Date: Tue, 14 May 2024 10:45:10 +0200\n"
		"\n"
		DSN_END;
	sd_arena *a = sd_arena_new();
	sd_rcpts r;

	CHECK(a != NULL);
	if (a == NULL)
		return;
	CHECK(run_decoder(plain, strlen(plain), a, &r) == 0);
	CHECK(r.n == 0);
	CHECK(run_decoder(empty_dsn, strlen(empty_dsn), a, &r) == 0);
	CHECK(r.n == 0);
	CHECK(r.agent == NULL);
	sd_arena_free(a);
}

/* ---- the same messages through the public API -------------------------- */

static smtpdoc_report *
decode(const char *msg, const char *origin)
{
	smtpdoc_report *rep = NULL;
	smtpdoc_status st = smtpdoc_decode(msg, strlen(msg), origin, &rep);

	if (st != SMTPDOC_OK)
		fprintf(stderr, "%s: smtpdoc_decode: %s\n", origin, smtpdoc_strerror(st));
	CHECK(st == SMTPDOC_OK);
	CHECK(rep != NULL);
	return rep;
}

static void
test_public_single(void)
{
	smtpdoc_report *rep = decode(msg_single, "single.eml");
	const smtpdoc_result *r;

	if (rep == NULL)
		return;
	CHECK(rep->kind == SMTPDOC_KIND_BOUNCE);
	CHECK(rep->count == 1);
	if (rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->recipient, "user@example.org");
		CHECK_STR(r->alias, "alias@example.org");
		CHECK_STR(r->destination, "example.org");
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->senderdomain, "example.net");
		CHECK_STR(r->action, "failed");
		CHECK_STR(r->deliverystatus, "5.1.1");
		CHECK_STR(r->replycode, "550");
		CHECK_STR(r->diagnostictype, "SMTP");
		CHECK_STR(r->diagnosticcode,
			  "550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in "
			  "virtual mailbox table");
		CHECK_STR(r->reason, "userunknown");
		CHECK(r->hardbounce == 1);
		CHECK_STR(r->smtpagent, "RFC3464");
		CHECK_STR(r->lhost, "mail.example.net");
		CHECK_STR(r->rhost, "mx.example.org");
		/* Last-Attempt-Date: Tue, 14 May 2024 10:45:12 +0200 */
		CHECK(r->timestamp == (time_t)1715676312);
		CHECK_STR(r->timezoneoffset, "+0200");
		CHECK_STR(r->messageid, "20240514084510.ABC123@mail.example.net");
		CHECK_STR(r->subject, "Meeting on Friday");
		CHECK_STR(r->origin, "single.eml");
	}
	smtpdoc_report_free(rep);
}

static void
test_public_three(void)
{
	smtpdoc_report *rep = decode(msg_three, "three.eml");
	size_t i;

	if (rep == NULL)
		return;
	CHECK(rep->count == 3);
	if (rep->count == 3) {
		CHECK_STR(rep->results[0].recipient, "one@example.org");
		CHECK_STR(rep->results[0].reason, "mailboxfull");
		CHECK_STR(rep->results[0].replycode, "552");
		CHECK_STR(rep->results[0].rhost, "mx1.example.org");
		CHECK_STR(rep->results[1].recipient, "two@example.org");
		CHECK_STR(rep->results[1].action, "delayed");
		CHECK_STR(rep->results[1].deliverystatus, "4.4.1");
		CHECK_STR(rep->results[1].diagnostictype, "X-Postfix");
		CHECK(rep->results[1].hardbounce == 0);
		CHECK_STR(rep->results[2].recipient, "three@example.org");
		CHECK_STR(rep->results[2].reason, "userunknown");
		CHECK_STR(rep->results[2].deliverystatus, "5.1.1");
		/* no Last-Attempt-Date: Arrival-Date, Tue, 5 Mar 2024 10:21:00 +0100 */
		for (i = 0; i < 3; i++) {
			CHECK(rep->results[i].timestamp == (time_t)1709630460);
			CHECK_STR(rep->results[i].lhost, "relay.example.net");
			CHECK_STR(rep->results[i].smtpagent, "RFC3464");
			CHECK(rep->results[i].alias == NULL);
		}
	}
	smtpdoc_report_free(rep);
}

static void
test_public_delivered(void)
{
	smtpdoc_report *rep = decode(msg_delivered, "delivered.eml");

	if (rep == NULL)
		return;
	CHECK(rep->count == 2);
	if (rep->count == 2) {
		CHECK_STR(rep->results[0].recipient, "ok@example.org");
		CHECK_STR(rep->results[0].reason, "delivered");
		CHECK_STR(rep->results[0].action, "delivered");
		CHECK(rep->results[0].hardbounce == 0);
		CHECK_STR(rep->results[1].recipient, "full@example.org");
		CHECK_STR(rep->results[1].reason, "mailboxfull");
		/* Original-Recipient equal to Final-Recipient is no alias */
		CHECK(rep->results[1].alias == NULL);
	}
	smtpdoc_report_free(rep);
}

static void
test_public_dropped(void)
{
	smtpdoc_report *rep = decode(msg_dropped, "dropped.eml");
	size_t i;

	if (rep == NULL)
		return;
	CHECK(rep->count == 2);
	for (i = 0; i < rep->count; i++) {
		/* never an empty or made-up recipient */
		CHECK(rep->results[i].recipient != NULL);
		CHECK(rep->results[i].recipient == NULL ||
		      strchr(rep->results[i].recipient, '@') != NULL);
		CHECK(rep->results[i].deliverystatus == NULL ||
		      strcmp(rep->results[i].deliverystatus, "5.4.4") != 0);
	}
	smtpdoc_report_free(rep);
}

int
main(void)
{
	test_decoder();
	test_not_dsn();
	test_public_single();
	test_public_three();
	test_public_delivered();
	test_public_dropped();
	TEST_MAIN_END();
}
