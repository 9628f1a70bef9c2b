/*
 * test_textformats.c - unit tests of the plain-text bounce decoder
 * (decoders/textblocks.c) and of the auto-reply (decoders/rfc3834.c) and
 * feedback-report (decoders/arf.c) decoders, through smtpdoc_decode. One
 * small hand-written message per format, worded the way each MTA prints
 * it: Postfix, Exim, Sendmail, qmail, an RFC 3834 auto-reply and an RFC
 * 5965 ARF report. Checks that the right recipients are found (and only
 * those: never the bounce's own sender nor the original sender), the
 * smtpagent, reply code, status code, SMTP command, and the reason where
 * the bounce leaves no doubt about it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtpdoc/smtpdoc.h>

#include "decodecase.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The original message, as the bounces quote it. */
#define ORIG_HEADERS                                                             \
	"Return-Path: <sender@example.net>\n"                                    \
	"From: Sender <sender@example.net>\n"                                    \
	"To: user@example.org\n"                                                 \
	"Subject: Meeting on Friday\n"                                           \
	"Date: Tue, 14 May 2024 10:45:10 +0200\n"                                \
	"Message-ID: <20240514084510.ABC123@mail.example.net>\n"

/* ---- Postfix ----------------------------------------------------------- */

/* Postfix's notice and its per-recipient paragraphs, in a multipart
 * without the delivery-status part (as when a relay strips it). */
static const char msg_postfix[] =
	"Return-Path: <>\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200 (CEST)\n"
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"To: sender@example.net\n"
	"Auto-Submitted: auto-replied\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"4VdLqT1xyzz.1715676312/mail.example.net\"\n"
	"Message-Id: <20240514084512.5A2B81234@mail.example.net>\n"
	"\n"
	"This is a MIME-encapsulated message.\n"
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net\n"
	"Content-Description: Notification\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"This is the mail system at host mail.example.net.\n"
	"\n"
	"I'm sorry to have to inform you that your message could not\n"
	"be delivered to one or more recipients. It's attached below.\n"
	"\n"
	"For further assistance, please send mail to postmaster.\n"
	"\n"
	"If you do so, please include this problem report. You can\n"
	"delete your own text from the attached returned message.\n"
	"\n"
	"                   The mail system\n"
	"\n"
	"<user@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1\n"
	"    <user@example.org>: Recipient address rejected: User unknown in virtual\n"
	"    mailbox table (in reply to RCPT TO command)\n"
	"\n"
	"<full@example.org>: host mx.example.org[192.0.2.1] said: 552 5.2.2\n"
	"    <full@example.org>: Mailbox full (in reply to end of DATA command)\n"
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net\n"
	"Content-Description: Undelivered Message\n"
	"Content-Type: message/rfc822\n"
	"\n"
	ORIG_HEADERS
	"\n"
	"See you there.\n"
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net--\n";

/* The whole Postfix bounce: notice, delivery-status and headers. */
static const char msg_postfix_dsn[] =
	"Return-Path: <>\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200 (CEST)\n"
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"To: sender@example.net\n"
	"Auto-Submitted: auto-replied\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"4VdLqT1xyzz.1715676312/mail.example.net\"\n"
	"Message-Id: <20240514084512.5A2B81234@mail.example.net>\n"
	"\n"
	"This is a MIME-encapsulated message.\n"
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net\n"
	"Content-Description: Notification\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"This is the mail system at host mail.example.net.\n"
	"\n"
	"I'm sorry to have to inform you that your message could not\n"
	"be delivered to one or more recipients. It's attached below.\n"
	"\n"
	"                   The mail system\n"
	"\n"
	"<user@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1\n"
	"    <user@example.org>: Recipient address rejected: User unknown in virtual\n"
	"    mailbox table (in reply to RCPT TO command)\n"
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net\n"
	"Content-Description: Delivery report\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mail.example.net\n"
	"X-Postfix-Queue-ID: 4VdLqT1xyzz\n"
	"X-Postfix-Sender: rfc822; sender@example.net\n"
	"Arrival-Date: Tue, 14 May 2024 10:45:10 +0200 (CEST)\n"
	"\n"
	"Final-Recipient: rfc822; user@example.org\n"
	"Original-Recipient: rfc822;user@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <user@example.org>: Recipient address\n"
	"    rejected: User unknown in virtual mailbox table\n"
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net\n"
	"Content-Description: Undelivered Message Headers\n"
	"Content-Type: text/rfc822-headers\n"
	"\n"
	ORIG_HEADERS
	"\n"
	"--4VdLqT1xyzz.1715676312/mail.example.net--\n";

/* Postfix's local delivery agent: an alias expanded to a local user that
 * does not exist. Only the final address is the failed recipient. */
static const char msg_postfix_local[] =
	"Date: Tue, 14 May 2024 10:45:12 +0200 (CEST)\n"
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"To: sender@example.net\n"
	"Auto-Submitted: auto-replied\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"This is the mail system at host mail.example.net.\n"
	"\n"
	"I'm sorry to have to inform you that your message could not\n"
	"be delivered to one or more recipients. It's attached below.\n"
	"\n"
	"                   The mail system\n"
	"\n"
	"<nobody@mail.example.net> (expanded from <alias@example.net>): unknown user:\n"
	"    \"nobody\"\n";

/* ---- Exim -------------------------------------------------------------- */

static const char msg_exim[] =
	"Return-path: <>\n"
	"Envelope-to: sender@example.net\n"
	"Received: from Debian-exim by mail.example.net with local (Exim 4.96)\n"
	"\tid 1s6pXa-000Abc-2D\n"
	"\tfor sender@example.net; Tue, 14 May 2024 10:45:12 +0200\n"
	"X-Failed-Recipients: user@example.org\n"
	"Auto-Submitted: auto-replied\n"
	"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\n"
	"To: sender@example.net\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"Subject: Mail delivery failed: returning message to sender\n"
	"Message-Id: <E1s6pXa-000Abc-2D@mail.example.net>\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	"This message was created automatically by mail delivery software.\n"
	"\n"
	"A message that you sent could not be delivered to one or more of its\n"
	"recipients. This is a permanent error. The following address(es) failed:\n"
	"\n"
	"  user@example.org\n"
	"    host mx.example.org [192.0.2.1]\n"
	"    SMTP error from remote mail server after RCPT TO:<user@example.org>:\n"
	"    550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in local recipient table\n"
	"\n"
	"------ This is a copy of the message, including all the headers. ------\n"
	"\n"
	"Return-path: <sender@example.net>\n"
	"Received: from sender by mail.example.net with local (Exim 4.96)\n"
	"\t(envelope-from <sender@example.net>)\n"
	"\tid 1s6pXZ-000Abb-1C\n"
	"\tfor user@example.org; Tue, 14 May 2024 10:45:11 +0200\n"
	"To: user@example.org\n"
	"Subject: Meeting on Friday\n"
	"Message-Id: <E1s6pXZ-000Abb-1C@mail.example.net>\n"
	"From: Sender <sender@example.net>\n"
	"Date: Tue, 14 May 2024 10:45:11 +0200\n"
	"\n"
	"See you there.\n";

/* Two failed addresses; the header lists both. A third address that the
 * text mentions on its own line (delivered fine) must not be reported. */
static const char msg_exim_two[] =
	"Return-path: <>\n"
	"X-Failed-Recipients: one@example.org, full@example.org\n"
	"Auto-Submitted: auto-replied\n"
	"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\n"
	"To: sender@example.net\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"Subject: Mail delivery failed: returning message to sender\n"
	"Message-Id: <E1s6pXb-000Abd-3E@mail.example.net>\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	"This message was created automatically by mail delivery software.\n"
	"\n"
	"A message that you sent could not be delivered to one or more of its\n"
	"recipients. This is a permanent error. The following address(es) failed:\n"
	"\n"
	"  one@example.org\n"
	"    host mx.example.org [192.0.2.1]\n"
	"    SMTP error from remote mail server after RCPT TO:<one@example.org>:\n"
	"    550 5.1.1 <one@example.org>... User unknown\n"
	"\n"
	"  full@example.org\n"
	"    host mx.example.org [192.0.2.1]\n"
	"    SMTP error from remote mail server after end of data:\n"
	"    552 5.2.2 <full@example.org>... Mailbox full\n"
	"\n"
	"------ This is a copy of the message, including all the headers. ------\n"
	"\n"
	"Return-path: <sender@example.net>\n"
	"From: Sender <sender@example.net>\n"
	"To: one@example.org, full@example.org, fine@example.org\n"
	"Subject: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:45:11 +0200\n"
	"\n"
	"See you there.\n";

/* ---- Sendmail ---------------------------------------------------------- */

static const char msg_sendmail[] =
	"Return-Path: <>\n"
	"Received: from localhost (localhost)\n"
	"\tby mail.example.net (8.17.1/8.17.1) id 44E8jCxA012345;\n"
	"\tTue, 14 May 2024 10:45:12 +0200\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"
	"Message-Id: <202405140845.44E8jCxA012345@mail.example.net>\n"
	"To: <sender@example.net>\n"
	"Subject: Returned mail: see transcript for details\n"
	"Auto-Submitted: auto-generated (failure)\n"
	"\n"
	"The original message was received at Tue, 14 May 2024 10:45:10 +0200\n"
	"from localhost [127.0.0.1]\n"
	"\n"
	"   ----- The following addresses had permanent fatal errors -----\n"
	"<user@example.org>\n"
	"    (reason: 550 5.1.1 <user@example.org>... User unknown)\n"
	"\n"
	"   ----- Transcript of session follows -----\n"
	"... while talking to mx.example.org.:\n"
	">>> MAIL From:<sender@example.net> SIZE=512\n"
	"<<< 250 2.1.0 <sender@example.net>... Sender ok\n"
	">>> RCPT To:<user@example.org>\n"
	"<<< 550 5.1.1 <user@example.org>... User unknown\n"
	"550 5.1.1 <user@example.org>... User unknown\n"
	"\n"
	"   ----- Original message follows -----\n"
	"\n"
	ORIG_HEADERS
	"\n"
	"See you there.\n";

/* ---- qmail ------------------------------------------------------------- */

static const char msg_qmail[] =
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
	"192.0.2.1 does not like recipient.\n"
	"Remote host said: 550 5.1.1 <user@example.org>... User unknown\n"
	"Giving up on 192.0.2.1.\n"
	"\n"
	"--- Below this line is a copy of the message.\n"
	"\n"
	"Return-Path: <sender@example.net>\n"
	"Received: (qmail 12345 invoked by uid 1000); 14 May 2024 08:45:10 -0000\n"
	"Date: 14 May 2024 08:45:10 -0000\n"
	"Message-ID: <20240514084510.12345.qmail@mail.example.net>\n"
	"From: sender@example.net\n"
	"To: user@example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n";

/* Two remote failures with different replies. */
static const char msg_qmail_two[] =
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
	"192.0.2.1 does not like recipient.\n"
	"Remote host said: 550 5.1.1 <user@example.org>... User unknown\n"
	"Giving up on 192.0.2.1.\n"
	"\n"
	"<full@example.com>:\n"
	"198.51.100.7 does not like recipient.\n"
	"Remote host said: 552 5.2.2 <full@example.com>... Mailbox full\n"
	"Giving up on 198.51.100.7.\n"
	"\n"
	"--- Below this line is a copy of the message.\n"
	"\n"
	"Return-Path: <sender@example.net>\n"
	"From: sender@example.net\n"
	"To: user@example.org, full@example.com\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n";

/* qmail's own local delivery: the status code comes as "(#5.1.1)". */
static const char msg_qmail_local[] =
	"Return-Path: <>\n"
	"Date: 14 May 2024 08:45:12 -0000\n"
	"From: MAILER-DAEMON@mail.example.org\n"
	"To: sender@example.net\n"
	"Subject: failure notice\n"
	"\n"
	"Hi. This is the qmail-send program at mail.example.org.\n"
	"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
	"This is a permanent error; I've given up. Sorry it didn't work out.\n"
	"\n"
	"<nobody@example.org>:\n"
	"Sorry, no mailbox here by that name. (#5.1.1)\n"
	"\n"
	"--- Below this line is a copy of the message.\n"
	"\n"
	"Return-Path: <sender@example.net>\n"
	"From: sender@example.net\n"
	"To: nobody@example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n";

/* ---- RFC 3834 auto-replies --------------------------------------------- */

static const char msg_autoreply[] =
	"From: Alice Example <alice@example.org>\n"
	"To: sender@example.net\n"
	"Subject: Out of Office: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"Auto-Submitted: auto-replied\n"
	"Message-ID: <autoreply-1@example.org>\n"
	"In-Reply-To: <20240514084510.ABC123@mail.example.net>\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"I am out of the office until Monday 20 May, with limited access to\n"
	"e-mail. For urgent matters please write to office@example.org.\n";

/* an X-Autoreply header, no Auto-Submitted */
static const char msg_autoreply_x[] =
	"From: bob@example.org\n"
	"To: sender@example.net\n"
	"Subject: Re: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"X-Autoreply: yes\n"
	"\n"
	"Thanks for your message. I am on holiday and will reply next week.\n";

/* an ordinary reply: nothing automatic about it */
static const char msg_ordinary[] =
	"From: carol@example.org\n"
	"To: sender@example.net\n"
	"Subject: Re: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	"Friday works for me. See you at 10:30.\n";

/* ---- ARF feedback reports (RFC 5965) ----------------------------------- */

static const char msg_arf[] =
	"From: Example Feedback Loop <fbl@example.org>\n"
	"To: abuse@example.net\n"
	"Subject: FW: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=feedback-report;\n"
	"\tboundary=\"ARF-BOUNDARY\"\n"
	"\n"
	"--ARF-BOUNDARY\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"This is an email abuse report for an email message received from IP\n"
	"192.0.2.25 on Tue, 14 May 2024 10:40:00 +0200.\n"
	"\n"
	"--ARF-BOUNDARY\n"
	"Content-Type: message/feedback-report\n"
	"\n"
	"Feedback-Type: abuse\n"
	"User-Agent: ExampleFBL/1.0\n"
	"Version: 1\n"
	"Original-Mail-From: <sender@example.net>\n"
	"Original-Rcpt-To: <complainer@example.org>\n"
	"Arrival-Date: Tue, 14 May 2024 10:40:00 +0200\n"
	"Reporting-MTA: dns; fbl.example.org\n"
	"Source-IP: 192.0.2.25\n"
	"Reported-Domain: example.net\n"
	"\n"
	"--ARF-BOUNDARY\n"
	"Content-Type: message/rfc822\n"
	"Content-Disposition: inline\n"
	"\n"
	"From: Sender <sender@example.net>\n"
	"To: complainer@example.org\n"
	"Subject: Meeting on Friday\n"
	"Date: Tue, 14 May 2024 10:39:58 +0200\n"
	"Message-ID: <20240514083958.XYZ@mail.example.net>\n"
	"\n"
	"See you there.\n"
	"\n"
	"--ARF-BOUNDARY--\n";

/* no Original-Rcpt-To: the reported message's To is the recipient */
static const char msg_arf_noto[] =
	"From: fbl@example.org\n"
	"To: abuse@example.net\n"
	"Subject: Fraud report\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=feedback-report; boundary=\"B2\"\n"
	"\n"
	"--B2\n"
	"Content-Type: text/plain\n"
	"\n"
	"A user reported the attached message as fraud.\n"
	"\n"
	"--B2\n"
	"Content-Type: message/feedback-report\n"
	"\n"
	"Feedback-Type: Fraud\n"
	"User-Agent: ExampleFBL/1.0\n"
	"Version: 1\n"
	"Source-IP: 198.51.100.9\n"
	"\n"
	"--B2\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"From: sender@example.net\n"
	"To: victim@example.org\n"
	"Subject: Your account\n"
	"\n"
	"Click here.\n"
	"\n"
	"--B2--\n";

/* ---- expectations ------------------------------------------------------- */

static const decode_case cases[] = {
	{"postfix", msg_postfix, "Postfix", 2,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE},
	  {"full@example.org", "552", "5.2.2", "DATA", "mailboxfull", NONE}}},
	{"postfix-dsn", msg_postfix_dsn, NULL, 1,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE}}},
	/* Postfix local(8)'s 'unknown user: "nobody"' is the server's own
	 * lookup of the mailbox, so an unknown user even with no SMTP stage */
	{"postfix-local", msg_postfix_local, "Postfix", 1,
	 {{"nobody@mail.example.net", NONE, NULL, NONE, "userunknown", NONE}}},
	{"exim", msg_exim, "Exim", 1,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE}}},
	{"exim-two", msg_exim_two, "Exim", 2,
	 {{"one@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE},
	  {"full@example.org", "552", "5.2.2", "DATA", "mailboxfull", NONE}}},
	{"sendmail", msg_sendmail, "Sendmail", 1,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE}}},
	/* "192.0.2.1 does not like recipient." is how qmail-remote reports a
	 * refusal of RCPT TO */
	{"qmail", msg_qmail, "qmail", 1,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE}}},
	{"qmail-two", msg_qmail_two, "qmail", 2,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE},
	  {"full@example.com", "552", "5.2.2", NULL, "mailboxfull", NONE}}},
	{"qmail-local", msg_qmail_local, "qmail", 1,
	 {{"nobody@example.org", NONE, "5.1.1", NONE, "userunknown", NONE}}},
	{"autoreply", msg_autoreply, "RFC3834", 1,
	 {{"alice@example.org", NONE, NONE, NONE, "vacation", NONE}}},
	{"autoreply-x", msg_autoreply_x, "RFC3834", 1,
	 {{"bob@example.org", NONE, NONE, NONE, "vacation", NONE}}},
	{"arf", msg_arf, "ARF", 1,
	 {{"complainer@example.org", NONE, NONE, NONE, "feedback", "abuse"}}},
	{"arf-noto", msg_arf_noto, "ARF", 1,
	 {{"victim@example.org", NONE, NONE, NONE, "feedback", "fraud"}}},
};

/* The bounce's own sender, the original sender and report addresses are
 * never a failed recipient. */
static int
forbidden_recipient(const char *r)
{
	static const char *const bad[] = {
		"sender@example.net", "abuse@example.net", "fbl@example.org", "office@example.org",
		"fine@example.org", "alias@example.net",
	};
	size_t i;

	if (r == NULL)
		return 0;
	if (strncasecmp(r, "mailer-daemon@", 14) == 0 || strncasecmp(r, "postmaster@", 11) == 0)
		return 1;
	for (i = 0; i < NELEM(bad); i++)
		if (strcasecmp(r, bad[i]) == 0)
			return 1;
	return 0;
}

static void
test_cases(void)
{
	run_decode_cases(cases, NELEM(cases), forbidden_recipient);
}

/* Fields beyond the table: hosts, sender, diagnostic text, dates. */
static void
test_details(void)
{
	smtpdoc_report *rep;
	const smtpdoc_result *r;

	rep = decode("postfix", msg_postfix);
	if (rep && rep->count == 2) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->rhost, "mx.example.org");
		CHECK_STR(r->action, "failed");
		CHECK_STR(r->diagnostictype, "SMTP");
		CHECK(r->hardbounce == 1);
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "User unknown in virtual mailbox table"));
		/* one recipient's text is not the other's */
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "Mailbox full") == NULL);
		CHECK_STR(r->messageid, "20240514084510.ABC123@mail.example.net");
		CHECK(rep->results[1].hardbounce == 0);
		CHECK(rep->results[1].diagnosticcode != NULL &&
		      strstr(rep->results[1].diagnosticcode, "User unknown") == NULL);
	}
	smtpdoc_report_free(rep);

	rep = decode("exim", msg_exim);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->rhost, "mx.example.org");
		CHECK_STR(r->subject, "Meeting on Friday");
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "User unknown in local recipient table"));
		/* Date: Tue, 14 May 2024 10:45:12 +0200 */
		CHECK(r->timestamp == (time_t)1715676312);
	}
	smtpdoc_report_free(rep);

	rep = decode("qmail", msg_qmail);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "User unknown"));
		/* Date: 14 May 2024 08:45:12 -0000 */
		CHECK(r->timestamp == (time_t)1715676312);
	}
	smtpdoc_report_free(rep);

	rep = decode("autoreply", msg_autoreply);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK(r->hardbounce == 0);
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "out of the office"));
	}
	smtpdoc_report_free(rep);

	rep = decode("arf", msg_arf);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->rhost, "192.0.2.25");
		CHECK_STR(r->messageid, "20240514083958.XYZ@mail.example.net");
		/* Arrival-Date: Tue, 14 May 2024 10:40:00 +0200 */
		CHECK(r->timestamp == (time_t)1715676000);
		CHECK(r->hardbounce == 0);
	}
	smtpdoc_report_free(rep);
}

/* Not bounces: an ordinary reply; a bounce-looking text with no address. */
static void
test_not_bounces(void)
{
	static const char no_address[] =
		"From: MAILER-DAEMON@mail.example.net\n"
		"To: sender@example.net\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"Date: Tue, 14 May 2024 10:45:12 +0200\n"
		"\n"
		"Your message could not be delivered.\n";
	smtpdoc_report *rep;

	rep = decode("ordinary", msg_ordinary);
	if (rep) {
		CHECK(rep->kind == SMTPDOC_KIND_NOT_BOUNCE);
		CHECK(rep->count == 0);
		CHECK(rep->why != NULL);
	}
	smtpdoc_report_free(rep);

	rep = decode("no-address", no_address);
	if (rep) {
		CHECK(rep->kind == SMTPDOC_KIND_UNDECODED);
		CHECK(rep->count == 0);
		CHECK(rep->why != NULL);
	}
	smtpdoc_report_free(rep);
}

int
main(void)
{
	test_cases();
	test_details();
	test_not_bounces();
	TEST_MAIN_END();
}
