/*
 * test_precedence.c - which of a bounce's signs decides the reason, and
 * whether the result is a hard bounce, through smtpdoc_decode.
 *
 * Users of other bounce decoders complain that a generic status code (a
 * bare 5.1.1 or 5.0.0, as many MTAs sum up any refusal) overrides a
 * server reply that says something more specific (a rate limit or a
 * block list is not an unknown user); that a specific code (5.2.2, 5.1.2,
 * 5.7.26, ...) is overridden by vague words ("rejected", "delivery
 * failed"); that hard/soft follows a keyword ("permanent", 550) instead
 * of the cause; and that the same input does not always give the same
 * answer. Each case below is a small hand-written bounce (multipart/report
 * DSNs and plain-text reports, worded as MTAs and providers word them)
 * with the answer that RFC 3463, RFC 5321 and the plain meaning of the
 * words give; every case is also decoded twice more and from CRLF and CR
 * copies, and must give identical results each time.
 *
 * A case that smtpdoc gets wrong today is kept, flagged known_wrong: its
 * mismatches are printed as "KNOWN-WRONG: ..." on stderr and not counted
 * as failures, so the table documents the wanted behaviour until the
 * decoder is fixed (then the flag is to be removed; a flagged case that
 * passes is reported as such).
 */
#include <stdlib.h>
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- message pieces ---------------------------------------------------- */

/* A multipart/report with one recipient; STATUS, ACTION and the
 * Diagnostic-Code line (without its "smtp; " type) vary per case. The
 * notification text says nothing about the cause. */
#define DSN_HEAD                                                                 \
	"Return-Path: <>\n"                                                      \
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"       \
	"To: sender@example.net\n"                                               \
	"Subject: Returned mail: see transcript for details\n"                   \
	"Date: Tue, 14 May 2024 10:45:13 +0200\n"                                \
	"Auto-Submitted: auto-replied\n"                                         \
	"MIME-Version: 1.0\n"                                                    \
	"Content-Type: multipart/report; report-type=delivery-status;\n"         \
	"\tboundary=\"PREC-BOUNDARY\"\n"                                         \
	"\n"                                                                     \
	"This is a MIME-encapsulated message.\n"                                 \
	"\n"                                                                     \
	"--PREC-BOUNDARY\n"                                                      \
	"Content-Type: text/plain; charset=us-ascii\n"                           \
	"\n"                                                                     \
	"Your message could not be delivered to one or more recipients.\n"       \
	"The details are in the attached delivery status report.\n"              \
	"\n"                                                                     \
	"--PREC-BOUNDARY\n"                                                      \
	"Content-Type: message/delivery-status\n"                                \
	"\n"                                                                     \
	"Reporting-MTA: dns; mail.example.net\n"                                 \
	"Arrival-Date: Tue, 14 May 2024 10:45:10 +0200\n"                        \
	"\n"                                                                     \
	"Final-Recipient: rfc822; user@example.org\n"
#define DSN_TAIL                                                                 \
	"Remote-MTA: dns; mx.example.org\n"                                      \
	"Last-Attempt-Date: Tue, 14 May 2024 10:45:12 +0200\n"                   \
	"\n"                                                                     \
	"--PREC-BOUNDARY\n"                                                      \
	"Content-Type: text/rfc822-headers\n"                                    \
	"\n"                                                                     \
	"From: Sender <sender@example.net>\n"                                    \
	"To: user@example.org\n"                                                 \
	"Subject: Meeting on Friday\n"                                           \
	"Date: Tue, 14 May 2024 10:45:10 +0200\n"                                \
	"Message-ID: <20240514084510.PREC01@mail.example.net>\n"                 \
	"\n"                                                                     \
	"--PREC-BOUNDARY--\n"

#define DSN(status, action, diag)                                                \
	DSN_HEAD "Action: " action "\n"                                          \
		 "Status: " status "\n"                                          \
		 "Diagnostic-Code: smtp; " diag "\n" DSN_TAIL

/* The same with the SMTP stage named in the notification text. */
#define DSN_RCPT(status, action, diag)                                           \
	DSN_HEAD_RCPT "Action: " action "\n"                                     \
		      "Status: " status "\n"                                     \
		      "Diagnostic-Code: smtp; " diag "\n" DSN_TAIL
#define DSN_HEAD_RCPT                                                            \
	"Return-Path: <>\n"                                                      \
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"       \
	"To: sender@example.net\n"                                               \
	"Subject: Returned mail: see transcript for details\n"                   \
	"Date: Tue, 14 May 2024 10:45:13 +0200\n"                                \
	"MIME-Version: 1.0\n"                                                    \
	"Content-Type: multipart/report; report-type=delivery-status;\n"         \
	"\tboundary=\"PREC-BOUNDARY\"\n"                                         \
	"\n"                                                                     \
	"--PREC-BOUNDARY\n"                                                      \
	"Content-Type: text/plain; charset=us-ascii\n"                           \
	"\n"                                                                     \
	"   ----- The following addresses had permanent fatal errors -----\n"    \
	"<user@example.org>\n"                                                   \
	"\n"                                                                     \
	"   ----- Transcript of session follows -----\n"                         \
	"... while talking to mx.example.org.:\n"                                \
	">>> RCPT To:<user@example.org>\n"                                       \
	"<<< 550 <user@example.org>... User unknown\n"                           \
	"550 5.1.1 <user@example.org>... User unknown\n"                         \
	"\n"                                                                     \
	"--PREC-BOUNDARY\n"                                                      \
	"Content-Type: message/delivery-status\n"                                \
	"\n"                                                                     \
	"Reporting-MTA: dns; mail.example.net\n"                                 \
	"\n"                                                                     \
	"Final-Recipient: rfc822; user@example.org\n"

/* The same without a Diagnostic-Code: only the status code speaks. */
#define DSN_NODIAG(status, action)                                               \
	DSN_HEAD "Action: " action "\n"                                          \
		 "Status: " status "\n" DSN_TAIL

/* The original message as the plain-text reports quote it. */
#define ORIG_COPY                                                                \
	"Return-Path: <sender@example.net>\n"                                    \
	"From: Sender <sender@example.net>\n"                                    \
	"To: user@example.org\n"                                                 \
	"Subject: Meeting on Friday\n"                                           \
	"Date: Tue, 14 May 2024 10:45:10 +0200\n"                                \
	"Message-ID: <20240514084510.PREC02@mail.example.net>\n"                 \
	"\n"                                                                     \
	"See you there.\n"

/* A Postfix plain-text notice (no delivery-status part), REPLY being what
 * the remote server said and STAGE the command it answered. */
#define POSTFIX_TEXT(reply, stage)                                               \
	"Date: Tue, 14 May 2024 10:45:12 +0200 (CEST)\n"                         \
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"          \
	"Subject: Undelivered Mail Returned to Sender\n"                         \
	"To: sender@example.net\n"                                               \
	"Auto-Submitted: auto-replied\n"                                         \
	"MIME-Version: 1.0\n"                                                    \
	"Content-Type: text/plain; charset=us-ascii\n"                           \
	"\n"                                                                     \
	"This is the mail system at host mail.example.net.\n"                    \
	"\n"                                                                     \
	"I'm sorry to have to inform you that your message could not\n"          \
	"be delivered to one or more recipients. It's attached below.\n"         \
	"\n"                                                                     \
	"                   The mail system\n"                                   \
	"\n"                                                                     \
	"<user@example.org>: host mx.example.org[192.0.2.1] said: " reply "\n"   \
	"    (in reply to " stage " command)\n"                                  \
	"\n"                                                                     \
	"--- Original message follows.\n"                                        \
	"\n" ORIG_COPY

/* An Exim "Mail delivery failed" report: it always says "This is a
 * permanent error", whatever the remote server's reply was. */
#define EXIM_TEXT(reply)                                                         \
	"Return-path: <>\n"                                                      \
	"X-Failed-Recipients: user@example.org\n"                                \
	"Auto-Submitted: auto-replied\n"                                         \
	"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\n"          \
	"To: sender@example.net\n"                                               \
	"Content-Type: text/plain; charset=us-ascii\n"                           \
	"Subject: Mail delivery failed: returning message to sender\n"           \
	"Message-Id: <E1s6pXa-000Abc-2D@mail.example.net>\n"                     \
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"                                \
	"\n"                                                                     \
	"This message was created automatically by mail delivery software.\n"    \
	"\n"                                                                     \
	"A message that you sent could not be delivered to one or more of its\n" \
	"recipients. This is a permanent error. The following address(es) failed:\n" \
	"\n"                                                                     \
	"  user@example.org\n"                                                   \
	"    host mx.example.org [192.0.2.1]\n"                                  \
	"    SMTP error from remote mail server after RCPT TO:<user@example.org>:\n" \
	"    " reply "\n"                                                        \
	"\n"                                                                     \
	"------ This is a copy of the message, including all the headers. ------\n" \
	"\n" ORIG_COPY

/* qmail's report: "This is a permanent error; I've given up." */
static const char msg_qmail_full[] =
	"Return-Path: <>\n"
	"Date: 14 May 2024 08:45:12 -0000\n"
	"From: MAILER-DAEMON@mail.example.net\n"
	"To: sender@example.net\n"
	"Subject: failure notice\n"
	"\n"
	"Hi. This is the qmail-send program at mail.example.net.\n"
	"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
	"This is a permanent error; I've given up. Sorry it didn't work out.\n"
	"\n"
	"<user@example.org>:\n"
	"192.0.2.1 failed after I sent the message.\n"
	"Remote host said: 552 5.2.2 Mailbox full, permanent failure: user@example.org is over quota\n"
	"\n"
	"--- Below this line is a copy of the message.\n"
	"\n" ORIG_COPY;

/* Exim's delay warning: nothing has failed yet, delivery goes on. */
static const char msg_exim_delayed[] =
	"Return-path: <>\n"
	"Auto-Submitted: auto-replied\n"
	"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\n"
	"To: sender@example.net\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"Subject: Warning: message 1s6pXZ-000Abb-1C delayed 24 hours\n"
	"Message-Id: <E1s6qXa-000Abd-3E@mail.example.net>\n"
	"Date: Wed, 15 May 2024 10:45:12 +0200\n"
	"\n"
	"This message was created automatically by mail delivery software.\n"
	"A message that you sent has not yet been delivered to one or more of its\n"
	"recipients after more than 24 hours on the queue on mail.example.net.\n"
	"\n"
	"The message identifier is:     1s6pXZ-000Abb-1C\n"
	"The subject of the message is: Meeting on Friday\n"
	"The date of the message is:    Tue, 14 May 2024 10:45:10 +0200\n"
	"\n"
	"The address to which the message has not yet been delivered is:\n"
	"\n"
	"  user@example.org\n"
	"    host mx.example.org [192.0.2.1]\n"
	"    Delay reason: SMTP error from remote mail server after RCPT TO:<user@example.org>:\n"
	"    450 4.2.2 <user@example.org>: Mailbox full, try again later\n"
	"\n"
	"No action is required on your part. Delivery attempts will continue for\n"
	"some time, and this warning may be repeated at intervals if the message\n"
	"remains undelivered. Eventually the mail delivery software will give up,\n"
	"and when that happens, the message will be returned to you.\n";

/* A plain-text report with neither a code nor the SMTP stage: the words
 * alone say the mailbox does not exist. */
static const char msg_nocode_nouser[] =
	"Return-Path: <>\n"
	"From: Mail Delivery System <MAILER-DAEMON@mail.example.net>\n"
	"To: sender@example.net\n"
	"Subject: Undeliverable: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	"Your message did not reach some or all of the intended recipients.\n"
	"\n"
	"The following recipient(s) could not be reached:\n"
	"\n"
	"  user@example.org\n"
	"    No such user here\n"
	"\n"
	"--- Original message follows.\n"
	"\n" ORIG_COPY;

/* Exim when the recipient's domain does not resolve. */
static const char msg_exim_unrouteable[] =
	"Return-path: <>\n"
	"X-Failed-Recipients: user@example.org\n"
	"Auto-Submitted: auto-replied\n"
	"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\n"
	"To: sender@example.net\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"Subject: Mail delivery failed: returning message to sender\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	"This message was created automatically by mail delivery software.\n"
	"\n"
	"A message that you sent could not be delivered to one or more of its\n"
	"recipients. This is a permanent error. The following address(es) failed:\n"
	"\n"
	"  user@example.org\n"
	"    Unrouteable address\n"
	"\n"
	"------ This is a copy of the message, including all the headers. ------\n"
	"\n" ORIG_COPY;

/* ---- the table --------------------------------------------------------- */

typedef struct pcase {
	const char *name;
	const char *msg;
	const char *reason;     /* wanted reason; "a|b" accepts either */
	const char *cause;      /* wanted cause id; NULL: not checked */
	int hard;               /* wanted hardbounce; -1: not checked */
	const char *status;     /* wanted deliverystatus; NULL: not checked */
	int known_wrong;        /* smtpdoc gets this wrong today (see file head) */
} pcase;

static const pcase cases[] = {
	/* ---- 1. a generic code must not override specific words ---- */
	{"5.1.1 + rate limit exceeded",
	 DSN("5.1.1", "failed",
	     "550 5.1.1 <user@example.org>: Recipient address rejected: rate limit exceeded, try again later"),
	 "speeding|toomanyconn", NULL, 0, "5.1.1", 0},
	{"5.1.1 + blocked using zen.spamhaus.org",
	 DSN("5.1.1", "failed",
	     "554 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org;\n"
	     "    https://www.spamhaus.org/query/ip/192.0.2.25"),
	 "blocked", "sender.blocklisted", 0, "5.1.1", 0},
	{"5.0.0 + rejected due to local policy",
	 DSN("5.0.0", "failed", "550 Message rejected due to local policy"),
	 "policyviolation", NULL, 0, "5.0.0", 0},
	{"5.0.0 + Mailbox full",
	 DSN("5.0.0", "failed", "552 Mailbox full"),
	 "mailboxfull", "mailbox.full", 0, "5.0.0", 0},
	{"5.1.1 + User unknown (agreement)",
	 DSN("5.1.1", "failed",
	     "550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in virtual mailbox table"),
	 "userunknown", "mailbox.unknown", 1, "5.1.1", 0},
	{"5.1.1 + Exchange RecipNotFound (agreement, no wording known)",
	 DSN("5.1.1", "failed", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"),
	 "userunknown", NULL, 1, "5.1.1", 0},
	/* Deliberate, as Sisimai reads it (README, "Reasons and causes"):
	 * unknown-user words with no SMTP stage, no X.1.x code and no writer
	 * known to check recipients at RCPT are a filter's answer. */
	{"5.0.0 + 550 User unknown (no stage given): filtered",
	 DSN("5.0.0", "failed", "550 <user@example.org>... User unknown"),
	 "filtered", "recipient.filtered", 0, "5.0.0", 0},
	{"5.0.0 + 550 User unknown, RCPT stage in the notice",
	 DSN_RCPT("5.0.0", "failed", "550 <user@example.org>... User unknown"),
	 "userunknown", "mailbox.unknown", 1, "5.0.0", 0},
	{"5.0.0 + too many connections",
	 DSN("5.0.0", "failed", "421 Too many concurrent SMTP connections from this IP address; please try later"),
	 "toomanyconn", NULL, 0, NULL, 0},
	{"5.0.0 + bl.spamcop.net",
	 DSN("5.0.0", "failed",
	     "554 5.0.0 Service unavailable; [192.0.2.25] blocked using bl.spamcop.net"),
	 "blocked", "sender.blocklisted", 0, "5.0.0", 0},
	{"5.1.1 + Gmail likely unsolicited mail (no code in reply)",
	 DSN("5.1.1", "failed",
	     "550 Our system has detected that this message is likely unsolicited mail. To\n"
	     "    reduce the amount of spam sent to Gmail, this message has been blocked."),
	 "spamdetected", NULL, 0, "5.1.1", 0},
	{"5.0.0 + mailbox disabled",
	 DSN("5.0.0", "failed",
	     "554 delivery error: dd Sorry your message to user@example.org cannot be delivered.\n"
	     "    This mailbox is disabled (554.30)"),
	 "suspend", NULL, -1, NULL, 0},
	{"5.0.0 summary + Gmail DMARC (the reply's code wins)",
	 DSN("5.0.0", "failed",
	     "550-5.7.1 Unauthenticated email from example.net is not accepted due to\n"
	     "    domain's DMARC policy. Please contact the administrator of example.net."),
	 "authfailure", NULL, 0, "5.7.1", 0},
	{"5.0.0 + virus found",
	 DSN("5.0.0", "failed", "550 Virus found in message: Win.Trojan.Agent-123456"),
	 "virusdetected", NULL, 0, NULL, 0},
	{"5.0.0 + SPF fail",
	 DSN("5.0.0", "failed",
	     "550 SPF check failed: example.net does not designate 192.0.2.25 as permitted sender"),
	 "authfailure", NULL, 0, NULL, 0},
	{"5.0.0 + Postfix message size exceeds fixed limit",
	 DSN("5.0.0", "failed", "552 Message size exceeds fixed maximum message size"),
	 "mesgtoobig", NULL, 0, NULL, 0},
	{"5.0.0 + qmail rcpthosts",
	 DSN("5.0.0", "failed", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"),
	 "norelaying", "domain.not-hosted", 0, NULL, 0},
	{"5.1.1 summary + 5.7.1 relay access denied (the reply's code wins)",
	 DSN("5.1.1", "failed", "554 5.7.1 <user@example.org>: Relay access denied"),
	 "norelaying", "relay.denied", 0, "5.7.1", 0},
	{"5.1.1 summary + 552 5.2.2 mailbox full (the reply's code wins)",
	 DSN("5.1.1", "failed", "552 5.2.2 <user@example.org>: Mailbox full"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"4.2.1 + Gmail receiving mail at a rate",
	 DSN("4.2.1", "delayed",
	     "450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n"
	     "    prevents additional messages from being delivered. Please resend your\n"
	     "    message at a later time."),
	 "speeding", NULL, 0, "4.2.1", 0},
	{"5.7.1 + Outlook.com block list S3150",
	 DSN("5.7.1", "failed",
	     "550 5.7.1 Unfortunately, messages from [192.0.2.25] weren't sent. Please contact\n"
	     "    your Internet service provider since part of their network is on our block\n"
	     "    list (S3150)."),
	 "blocked", NULL, 0, "5.7.1", 0},
	{"5.1.0 + sender rejected + Spectrum AUP#In-1310 (too many connections)",
	 DSN("5.1.0", "failed",
	     "550 5.1.0 <sender@example.net> sender rejected. Please see\n"
	     "    https://www.spectrum.net/support/internet/understanding-email-error-codes\n"
	     "    for more information. AUP#In-1310"),
	 "toomanyconn", NULL, 0, "5.1.0", 0},
	{"Postfix text: 5.1.1 + rate limit",
	 POSTFIX_TEXT("550 5.1.1 <user@example.org>: Recipient address rejected: rate limit exceeded, try again later", "RCPT TO"),
	 "speeding|toomanyconn", NULL, 0, "5.1.1", 0},
	{"Exim text: 5.1.1 + blocked using zen.spamhaus.org",
	 EXIM_TEXT("550 5.1.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org"),
	 "blocked", "sender.blocklisted", 0, NULL, 0},

	/* ---- 2. a specific code must not be overridden by vague words ---- */
	{"5.2.2 + Delivery failed",
	 DSN("5.2.2", "failed", "552 Delivery failed"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"5.2.2 + Recipient address rejected",
	 DSN("5.2.2", "failed", "552 5.2.2 <user@example.org>: Recipient address rejected"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"5.1.2 + rejected",
	 DSN("5.1.2", "failed", "550 5.1.2 <user@nonexistent.example.org>... rejected"),
	 "hostunknown", "domain.unknown", 1, "5.1.2", 0},
	{"5.2.2 + the recipient quoted back as rejected",
	 DSN("5.2.2", "failed", "552 user@example.org rejected"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	/* a reply that only quotes the recipient back with a verb is the
	 * bare refusal of that address (said at RCPT TO, an unknown
	 * recipient; with no stage, a filter's answer, as for "user
	 * unknown"); the sender's address quoted back is not */
	{"RCPT TO + <recipient> Rejected",
	 POSTFIX_TEXT("542 user@example.org Rejected", "RCPT TO"),
	 "userunknown", "mailbox.invalid-recipient", 1, NULL, 0},
	{"RCPT TO + <recipient>... refused",
	 EXIM_TEXT("550 5.0.0 <user@example.org>... refused."),
	 "userunknown", "mailbox.invalid-recipient", 1, NULL, 0},
	{"5.0.0 + <recipient> Rejected, no stage",
	 DSN("5.0.0", "failed", "542 user@example.org Rejected"),
	 "filtered", NULL, 0, "5.0.0", 0},
	{"5.0.0 + the sender's address rejected is no unknown recipient",
	 DSN("5.0.0", "failed", "550 <sender@example.net> rejected"),
	 "onhold", NULL, 0, "5.0.0", 0},
	{"5.7.26 + Message rejected",
	 DSN("5.7.26", "failed", "550 5.7.26 Message rejected"),
	 "authfailure", "sender.auth-failed", 0, "5.7.26", 0},
	{"5.7.26 + Gmail unauthenticated sender, has been blocked",
	 DSN("5.7.26", "failed",
	     "550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n"
	     "    Gmail requires all senders to authenticate with either SPF or DKIM."),
	 "authfailure", NULL, 0, "5.7.26", 0},
	{"5.3.4 + message refused",
	 DSN("5.3.4", "failed", "552 5.3.4 message refused"),
	 "mesgtoobig", "message.too-large", 0, "5.3.4", 0},
	{"5.3.4 + refused by policy",
	 DSN("5.3.4", "failed", "552 5.3.4 Message refused by local policy"),
	 "mesgtoobig", NULL, 0, "5.3.4", 0},
	{"5.2.3 + message refused",
	 DSN("5.2.3", "failed", "552 5.2.3 message refused"),
	 "exceedlimit", NULL, 0, "5.2.3", 0},
	{"5.4.7 + Unable to deliver",
	 DSN("5.4.7", "failed", "554 5.4.7 Unable to deliver message"),
	 "expired", "delivery.expired", 0, "5.4.7", 0},
	{"5.4.7 without a diagnostic",
	 DSN_NODIAG("5.4.7", "failed"),
	 "expired", "delivery.expired", 0, "5.4.7", 0},
	{"5.1.6 + Recipient no longer on server",
	 DSN("5.1.6", "failed", "550 5.1.6 Recipient no longer on server"),
	 "hasmoved", "mailbox.moved", 1, "5.1.6", 0},
	{"5.1.6 + Recipient rejected",
	 DSN("5.1.6", "failed", "550 5.1.6 Recipient rejected"),
	 "hasmoved", "mailbox.moved", 1, "5.1.6", 0},
	{"5.7.13 + Rejected",
	 DSN("5.7.13", "failed", "550 5.7.13 Rejected"),
	 "suspend", NULL, -1, "5.7.13", 0},
	{"5.7.25 + Message rejected",
	 DSN("5.7.25", "failed", "550 5.7.25 Message rejected"),
	 "requireptr", NULL, 0, "5.7.25", 0},
	{"5.3.1 + Delivery not possible",
	 DSN("5.3.1", "failed", "552 5.3.1 Delivery not possible"),
	 "systemfull", NULL, 0, "5.3.1", 0},
	{"5.1.10 + Rejected (null MX)",
	 DSN("5.1.10", "failed", "556 5.1.10 Rejected"),
	 "notaccept", NULL, 1, "5.1.10", 0},
	{"5.2.2 without a diagnostic",
	 DSN_NODIAG("5.2.2", "failed"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"5.1.2 without a diagnostic",
	 DSN_NODIAG("5.1.2", "failed"),
	 "hostunknown", "domain.unknown", 1, "5.1.2", 0},

	/* ---- 3. hard/soft follows the cause, not a keyword ---- */
	{"Gmail over quota with 552 5.2.2 is soft",
	 DSN("5.2.2", "failed",
	     "552-5.2.2 The email account that you tried to reach is over quota. Please\n"
	     "    direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"qmail: permanent error; mailbox full is soft",
	 msg_qmail_full,
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"Exim: permanent error; mailbox full is soft",
	 EXIM_TEXT("552 5.2.2 <user@example.org>: Mailbox full"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"Postfix text: mailbox full, permanent is soft",
	 POSTFIX_TEXT("552 5.2.2 <user@example.org>: Mailbox full, permanent failure", "end of DATA"),
	 "mailboxfull", "mailbox.full", 0, "5.2.2", 0},
	{"Postfix text: user unknown is hard",
	 POSTFIX_TEXT("550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in local recipient table", "RCPT TO"),
	 "userunknown", "mailbox.unknown", 1, "5.1.1", 0},
	{"4.1.1 delayed user unknown is not hard",
	 DSN("4.1.1", "delayed",
	     "450 4.1.1 <user@example.org>: Recipient address rejected: User unknown in local recipient table"),
	 "userunknown", NULL, 0, "4.1.1", 0},
	{"Postfix text: 450 4.1.1 user unknown, given up after retrying: not hard",
	 POSTFIX_TEXT("450 4.1.1 <user@example.org>: Recipient address rejected: User unknown in local recipient table", "RCPT TO"),
	 "userunknown|expired", NULL, 0, "4.1.1", 0},
	{"4.2.2 delayed mailbox full is not hard",
	 DSN("4.2.2", "delayed", "452 4.2.2 <user@example.org>: Mailbox full"),
	 "mailboxfull", NULL, 0, "4.2.2", 0},
	{"4.4.3 Host or domain name not found, try again: not hard",
	 DSN("4.4.3", "delayed",
	     "Host or domain name not found. Name service error for name=example.org\n"
	     "    type=MX: Host not found, try again"),
	 "networkerror", NULL, 0, "4.4.3", 0},
	{"4.7.1 greylisted is not hard and not an unknown user",
	 DSN("4.7.1", "delayed",
	     "450 4.7.1 <user@example.org>: Recipient address rejected: Greylisted, see\n"
	     "    http://postgrey.schweikert.ch/help/example.org.html"),
	 "expired|onhold|blocked|policyviolation|securityerror|speeding", NULL, 0, "4.7.1", 0},
	{"4.1.10 null MX is not hard",
	 DSN("4.1.10", "delayed", "456 4.1.10 Domain example.org has a null MX"),
	 "notaccept", NULL, 0, "4.1.10", 0},
	{"Exim delay warning (4.2.2) is not hard",
	 msg_exim_delayed,
	 "mailboxfull", NULL, 0, "4.2.2", 0},
	{"550 5.7.1 blocked using Spamhaus is soft",
	 DSN("5.7.1", "failed",
	     "550 5.7.1 Service unavailable; client [192.0.2.25] blocked using zen.spamhaus.org"),
	 "blocked", "sender.blocklisted", 0, "5.7.1", 0},
	{"550 spam refusal is soft",
	 DSN("5.7.1", "failed", "550 5.7.1 Message rejected as spam by Content Filtering."),
	 "spamdetected", NULL, 0, "5.7.1", 0},
	{"550 5.7.1 Gmail unsolicited mail is soft",
	 DSN("5.7.1", "failed",
	     "550-5.7.1 Our system has detected that this message is likely unsolicited\n"
	     "    mail. To reduce the amount of spam sent to Gmail, this message has been\n"
	     "    blocked."),
	 "spamdetected", NULL, 0, "5.7.1", 0},
	{"Postfix text: 554 Client host rejected: Access denied is soft",
	 POSTFIX_TEXT("554 5.7.1 <unknown[192.0.2.25]>: Client host rejected: Access denied", "RCPT TO"),
	 "blocked", "sender.blocked", 0, "5.7.1", 0},
	{"550 Your IP address is blocked is soft",
	 DSN("5.7.1", "failed", "550 5.7.1 Your IP address is blocked. Contact postmaster@example.org"),
	 "blocked", "sender.blocked", 0, "5.7.1", 0},
	{"Postfix text: permanently rejected as spam is soft",
	 POSTFIX_TEXT("550 5.7.1 Message permanently rejected: identified as spam", "end of DATA"),
	 "spamdetected", "content.spam", 0, "5.7.1", 0},
	{"Postfix text: vague 550 Message rejected is not hard",
	 POSTFIX_TEXT("550 Message rejected", "end of DATA"),
	 "onhold|undefined", NULL, 0, NULL, 0},
	/* "Recipient address rejected:" only introduces Postfix's reason: an
	 * explanation that no rule knows leaves the reply unrecognised (not an
	 * unknown user, not hard); said bare, the address itself was refused;
	 * an X.1.1 code still decides */
	{"Postfix text: Recipient address rejected: <unknown explanation> is not hard",
	 POSTFIX_TEXT("550 5.0.0 <user@example.org>: Recipient address rejected: Held for manual review", "RCPT TO"),
	 "onhold", NULL, 0, NULL, 0},
	{"Postfix text: Recipient address rejected, said bare, at RCPT: userunknown",
	 POSTFIX_TEXT("550 5.0.0 <user@example.org>: Recipient address rejected.", "RCPT TO"),
	 "userunknown", NULL, 1, NULL, 0},
	{"5.1.1 + Recipient address rejected: <unknown explanation>: the code decides",
	 DSN("5.1.1", "failed", "550 5.1.1 <user@example.org>: Recipient address rejected: Held for manual review"),
	 "userunknown", NULL, 1, "5.1.1", 0},
	{"552 reply with 5.3.4 message size: mesgtoobig, not mailboxfull",
	 DSN("5.3.4", "failed", "552 5.3.4 Message size exceeds fixed limit"),
	 "mesgtoobig", "message.too-large", 0, "5.3.4", 0},
	{"Postfix text: 552 message size, no code: mesgtoobig",
	 POSTFIX_TEXT("552 Message size exceeds fixed maximum message size", "end of DATA"),
	 "mesgtoobig", "message.too-large", 0, NULL, 0},
	{"Microsoft 5.4.1 Recipient address rejected: Access denied: userunknown, hard",
	 DSN("5.4.1", "failed",
	     "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)\n"
	     "    [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]"),
	 "userunknown", "mailbox.unknown", 1, "5.4.1", 0},
	{"plain text 'No such user' with no code or stage: filtered (as above)",
	 msg_nocode_nouser,
	 "filtered", "recipient.filtered", 0, NULL, 0},
	{"4.2.1 delayed mailbox temporarily unavailable is not hard",
	 DSN("4.2.1", "delayed", "450 4.2.1 Mailbox temporarily unavailable, try again later"),
	 "suspend|expired|onhold|systemerror", NULL, 0, "4.2.1", 0},
	{"551 User not local; please try: hasmoved, hard",
	 DSN("5.1.6", "failed", "551 5.1.6 User not local; please try <user@example.com>"),
	 "hasmoved", "mailbox.moved", 1, "5.1.6", 0},
	{"Exim Unrouteable address: hostunknown, hard",
	 msg_exim_unrouteable,
	 "hostunknown", "domain.unknown", 1, NULL, 0},
	{"Postfix host not found (5.4.4): hostunknown, hard",
	 DSN("5.4.4", "failed",
	     "Host or domain name not found. Name service error for\n"
	     "    name=nonexistent.example.org type=A: Host not found"),
	 "hostunknown", "domain.unknown", 1, "5.4.4", 0},
	{"cannot find your hostname: requireptr, soft (not hostunknown)",
	 DSN("5.7.25", "failed",
	     "550 5.7.25 Client host rejected: cannot find your hostname, [192.0.2.25]"),
	 "requireptr", NULL, 0, "5.7.25", 0},
	{"sender domain not found: rejected, soft (not hostunknown)",
	 DSN("5.0.0", "failed",
	     "553 5.1.8 <sender@example.net>: Sender address rejected: Domain not found"),
	 "rejected", "sender.dns-records", 0, "5.1.8", 0},
	{"sender verification quoting 'User unknown': rejected, soft",
	 DSN("5.1.7", "failed",
	     "553 5.1.7 <sender@example.net>: Sender address rejected: undeliverable\n"
	     "    address: host mx.example.net[192.0.2.2] said: 550 5.1.1 <sender@example.net>:\n"
	     "    Recipient address rejected: User unknown in virtual mailbox table"),
	 "rejected", NULL, 0, "5.1.7", 0},
	{"5.1.0 sender rejected: soft",
	 DSN("5.1.0", "failed", "550 5.1.0 <sender@example.net> sender rejected"),
	 "rejected", NULL, 0, "5.1.0", 0},
};

/* ---- checking ---------------------------------------------------------- */

static int known_mismatches, known_cases_passing;

/* Is got one of the '|'-separated names in want? */
static int
one_of(const char *got, const char *want)
{
	size_t gl;
	const char *p = want;

	if (got == NULL)
		return 0;
	gl = strlen(got);
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		if (l == gl && strncmp(p, got, l) == 0)
			return 1;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return 0;
}

/* Count one check of case c: ok, a failure, or a known-wrong mismatch. */
static void
verdict(const pcase *c, int ok, const char *what, const char *got, const char *want, int *case_ok)
{
	if (ok) {
		tu_pass++;
		return;
	}
	*case_ok = 0;
	if (c->known_wrong) {
		known_mismatches++;
		fprintf(stderr, "KNOWN-WRONG: %s: %s: got \"%s\", want \"%s\"\n", c->name, what,
			got ? got : "(null)", want ? want : "(null)");
		return;
	}
	tu_fail++;
	fprintf(stderr, "%s: %s: %s: got \"%s\", want \"%s\"\n", __FILE__, c->name, what, got ? got : "(null)",
		want ? want : "(null)");
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Copy msg with every "\n" turned into eol ("\r\n" or "\r"). */
static char *
with_eol(const char *msg, const char *eol, size_t *len)
{
	size_t n = 0, el = strlen(eol);
	const char *p;
	char *out, *o;

	for (p = msg; *p; p++)
		n += *p == '\n' ? el : 1;
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	for (p = msg, o = out; *p; p++) {
		if (*p == '\n') {
			memcpy(o, eol, el);
			o += el;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*len = n;
	return out;
}

static smtpdoc_report *
decode(const char *name, const char *data, size_t len)
{
	smtpdoc_report *rep = NULL;
	smtpdoc_status st = smtpdoc_decode(data, len, "precedence.eml", &rep);

	if (st != SMTPDOC_OK) {
		fprintf(stderr, "%s: smtpdoc_decode: %s\n", name, smtpdoc_strerror(st));
		return NULL;
	}
	return rep;
}

/* The second report gives the same answers as the first. */
static void
check_same(const char *name, const char *how, const smtpdoc_report *a, const smtpdoc_report *b)
{
	size_t i;

	if (a == NULL || b == NULL) {
		tu_fail++;
		fprintf(stderr, "%s: %s: no report\n", name, how);
		return;
	}
	if (a->kind != b->kind || a->count != b->count) {
		tu_fail++;
		fprintf(stderr, "%s: %s: kind %d/%d, count %zu/%zu\n", name, how, (int)a->kind, (int)b->kind,
			a->count, b->count);
		return;
	}
	for (i = 0; i < a->count; i++) {
		const smtpdoc_result *x = &a->results[i], *y = &b->results[i];
		struct {
			const char *field, *x, *y;
		} f[] = {
			{"recipient", x->recipient, y->recipient},
			{"reason", x->reason, y->reason},
			{"cause", x->cause, y->cause},
			{"deliverystatus", x->deliverystatus, y->deliverystatus},
			{"replycode", x->replycode, y->replycode},
			{"diagnosticcode", x->diagnosticcode, y->diagnosticcode},
			{"token", x->token, y->token},
		};
		size_t k;

		for (k = 0; k < NELEM(f); k++) {
			if (same_str(f[k].x, f[k].y)) {
				tu_pass++;
			} else {
				tu_fail++;
				fprintf(stderr, "%s: %s: %s differs: \"%s\" vs \"%s\"\n", name, how, f[k].field,
					f[k].x ? f[k].x : "(null)", f[k].y ? f[k].y : "(null)");
			}
		}
		if (x->hardbounce == y->hardbounce && x->timestamp == y->timestamp) {
			tu_pass++;
		} else {
			tu_fail++;
			fprintf(stderr, "%s: %s: hardbounce %d/%d, timestamp %lld/%lld\n", name, how, x->hardbounce,
				y->hardbounce, (long long)x->timestamp, (long long)y->timestamp);
		}
	}
}

static void
run_case(const pcase *c)
{
	smtpdoc_report *rep = decode(c->name, c->msg, strlen(c->msg)), *again;
	const smtpdoc_result *r;
	char hard_got[16], hard_want[16];
	int case_ok = 1;
	static const struct {
		const char *how, *eol;
	} copies[] = {{"CRLF copy", "\r\n"}, {"CR copy", "\r"}};
	size_t k;

	if (rep == NULL) {
		tu_fail++;
		return;
	}
	if (rep->kind != SMTPDOC_KIND_BOUNCE || rep->count != 1) {
		tu_fail++;
		fprintf(stderr, "%s: %s: kind %d, %zu results (want a bounce with 1 result)%s%s\n", __FILE__,
			c->name, (int)rep->kind, rep->count, rep->why ? ": " : "", rep->why ? rep->why : "");
		smtpdoc_report_free(rep);
		return;
	}
	r = &rep->results[0];
	CHECK_STR(r->recipient, "user@example.org");
	verdict(c, one_of(r->reason, c->reason), "reason", r->reason, c->reason, &case_ok);
	if (c->cause)
		verdict(c, same_str(r->cause, c->cause), "cause", r->cause, c->cause, &case_ok);
	if (c->hard >= 0) {
		snprintf(hard_got, sizeof(hard_got), "%d", r->hardbounce);
		snprintf(hard_want, sizeof(hard_want), "%d", c->hard);
		verdict(c, r->hardbounce == c->hard, "hardbounce", hard_got, hard_want, &case_ok);
	}
	if (c->status)
		verdict(c, same_str(r->deliverystatus, c->status), "deliverystatus", r->deliverystatus, c->status,
			&case_ok);
	if (c->known_wrong && case_ok) {
		known_cases_passing++;
		fprintf(stderr, "note: %s: flagged known_wrong but passes now; clear the flag\n", c->name);
	}

	/* The same bytes again, twice, then with other line endings. */
	again = decode(c->name, c->msg, strlen(c->msg));
	check_same(c->name, "second decode", rep, again);
	smtpdoc_report_free(again);
	again = decode(c->name, c->msg, strlen(c->msg));
	check_same(c->name, "third decode", rep, again);
	smtpdoc_report_free(again);
	for (k = 0; k < NELEM(copies); k++) {
		size_t len = 0;
		char *copy = with_eol(c->msg, copies[k].eol, &len);
		if (copy == NULL) {
			tu_fail++;
			continue;
		}
		again = decode(c->name, copy, len);
		check_same(c->name, copies[k].how, rep, again);
		smtpdoc_report_free(again);
		free(copy);
	}
	smtpdoc_report_free(rep);
}

/* Three recipients in one DSN, each with its own mix of code and words:
 * each keeps its own answer (no cross-talk between the blocks), in the
 * order of the report, the same on every decode and line ending. */
static const char msg_three[] =
	"Return-Path: <>\n"
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"
	"To: sender@example.net\n"
	"Subject: Returned mail: see transcript for details\n"
	"Date: Tue, 14 May 2024 10:45:13 +0200\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"PREC-BOUNDARY\"\n"
	"\n"
	"--PREC-BOUNDARY\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"Your message could not be delivered to one or more recipients.\n"
	"\n"
	"--PREC-BOUNDARY\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mail.example.net\n"
	"\n"
	"Final-Recipient: rfc822; one@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <one@example.org>: Recipient address rejected:\n"
	"    rate limit exceeded, try again later\n"
	"\n"
	"Final-Recipient: rfc822; two@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <two@example.org>: Recipient address rejected:\n"
	"    User unknown in virtual mailbox table\n"
	"\n"
	"Final-Recipient: rfc822; three@example.org\n"
	"Action: failed\n"
	"Status: 5.2.2\n"
	"Diagnostic-Code: smtp; 552 Delivery failed\n"
	"\n"
	"--PREC-BOUNDARY\n"
	"Content-Type: text/rfc822-headers\n"
	"\n"
	"From: Sender <sender@example.net>\n"
	"To: one@example.org, two@example.org, three@example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"--PREC-BOUNDARY--\n";

static void
test_three(void)
{
	static const struct {
		const char *rcpt, *reason;
		int hard;
	} want[] = {
		{"one@example.org", "speeding|toomanyconn", 0},
		{"two@example.org", "userunknown", 1},
		{"three@example.org", "mailboxfull", 0},
	};
	smtpdoc_report *rep = decode("three recipients", msg_three, strlen(msg_three)), *again;
	size_t i, len = 0;
	char *copy;

	CHECK(rep != NULL && rep->kind == SMTPDOC_KIND_BOUNCE && rep->count == NELEM(want));
	if (rep == NULL || rep->count != NELEM(want)) {
		smtpdoc_report_free(rep);
		return;
	}
	for (i = 0; i < NELEM(want); i++) {
		const smtpdoc_result *r = &rep->results[i];
		CHECK_STR(r->recipient, want[i].rcpt);
		if (one_of(r->reason, want[i].reason)) {
			tu_pass++;
		} else {
			tu_fail++;
			fprintf(stderr, "three recipients: %s: reason: got \"%s\", want \"%s\"\n", want[i].rcpt,
				r->reason ? r->reason : "(null)", want[i].reason);
		}
		CHECK(r->hardbounce == want[i].hard);
	}
	/* no two recipients share a token */
	CHECK(!same_str(rep->results[0].token, rep->results[1].token));
	CHECK(!same_str(rep->results[1].token, rep->results[2].token));
	again = decode("three recipients", msg_three, strlen(msg_three));
	check_same("three recipients", "second decode", rep, again);
	smtpdoc_report_free(again);
	copy = with_eol(msg_three, "\r\n", &len);
	CHECK(copy != NULL);
	if (copy) {
		again = decode("three recipients", copy, len);
		check_same("three recipients", "CRLF copy", rep, again);
		smtpdoc_report_free(again);
		free(copy);
	}
	smtpdoc_report_free(rep);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		run_case(&cases[i]);
	test_three();
	printf("%zu cases, %d known-wrong mismatches not counted", NELEM(cases), known_mismatches);
	if (known_cases_passing)
		printf(", %d known-wrong case(s) pass now", known_cases_passing);
	printf("\n");
	TEST_MAIN_END();
}
