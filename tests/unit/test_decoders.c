/*
 * test_decoders.c - unit tests of the format-specific decoders, through
 * smtpdoc_decode: Amazon SES JSON notifications (direct, in an SNS
 * envelope, split by a relay, broken), Google Groups refusals, Lotus Notes
 * failure reports, fml notices, Sendmail V5 session transcripts, Microsoft
 * JMRP complaints, PowerMTA bounce categories, a DSN for a delivery to a
 * program, a bounce forwarded as an attachment, vendor identification
 * (smtpagent), the provider table (NTT docomo, KDDI au) and SES's glossed
 * diagnostics. Every message is hand-written after the layout each system
 * produces, with example.org / example.net / 192.0.2.x data. Checks the
 * recipients (and that nothing else is reported), reason, status, reply
 * code, SMTP command, feedback type and smtpagent where they are meaningful.
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

/* ---- Amazon SES JSON notifications ------------------------------------- */

/* SNS "email" subscriptions mail the notification itself, then a footer. */
#define SES_MAIL_HEADERS                                                         \
	"Return-Path: <0100018f7ab1c2d3-sns@amazonses.com>\n"                    \
	"From: AWS Notifications <no-reply@sns.amazonaws.com>\n"                 \
	"To: bounces@example.net\n"                                              \
	"Subject: AWS Notification Message\n"                                    \
	"Date: Tue, 14 May 2024 08:45:13 +0000\n"                                \
	"Message-ID: <0100018f7ab1c2d3-5e1c-sns@email.amazonses.com>\n"          \
	"MIME-Version: 1.0\n"                                                    \
	"Content-Type: text/plain; charset=UTF-8\n"                              \
	"Content-Transfer-Encoding: 7bit\n"                                      \
	"\n"

#define SNS_FOOTER                                                               \
	"\n"                                                                     \
	"--\n"                                                                   \
	"If you wish to stop receiving notifications from this topic, please "   \
	"click or visit the link below to unsubscribe:\n"                        \
	"https://sns.us-east-1.amazonaws.com/unsubscribe.html?SubscriptionArn="  \
	"arn:aws:sns:us-east-1:123456789012:ses-bounces:1b2c3d4e&Endpoint="     \
	"bounces@example.net\n"                                                  \
	"\n"                                                                     \
	"Please do not reply directly to this email. If you have any questions " \
	"or comments regarding this email, please contact us at "                \
	"https://aws.amazon.com/support\n"

#define SES_MAIL_OBJ                                                             \
	"\"mail\":{\"timestamp\":\"2024-05-14T08:45:10.000Z\","                  \
	"\"source\":\"Sender <sender@example.net>\","                            \
	"\"sourceArn\":\"arn:aws:ses:us-east-1:123456789012:identity/example.net\"," \
	"\"sourceIp\":\"192.0.2.200\",\"sendingAccountId\":\"123456789012\","    \
	"\"messageId\":\"0100018f7ab1a0b0-aaaa-bbbb\","                          \
	"\"destination\":[\"user@example.org\"]}"

static const char msg_ses_bounce[] =
	SES_MAIL_HEADERS
	"{\"notificationType\":\"Bounce\",\"bounce\":{"
	"\"feedbackId\":\"0100018f7ab1c2d3-1111-2222-000000\","
	"\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\","
	"\"bouncedRecipients\":[{\"emailAddress\":\"user@example.org\","
	"\"action\":\"failed\",\"status\":\"5.1.1\","
	"\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],"
	"\"timestamp\":\"2024-05-14T08:45:12.000Z\",\"remoteMtaIp\":\"192.0.2.1\","
	"\"reportingMTA\":\"dsn; a8-30.smtp-out.amazonses.com\"},"
	SES_MAIL_OBJ "}\n"
	SNS_FOOTER;

static const char msg_ses_complaint[] =
	SES_MAIL_HEADERS
	"{\"notificationType\":\"Complaint\",\"complaint\":{"
	"\"feedbackId\":\"0100018f7ab1c2d3-3333-4444-000000\","
	"\"complaintSubType\":null,"
	"\"complainedRecipients\":[{\"emailAddress\":\"reader@example.org\"}],"
	"\"timestamp\":\"2024-05-14T09:02:00.000Z\","
	"\"userAgent\":\"ExampleFBL/1.0\",\"complaintFeedbackType\":\"abuse\","
	"\"arrivalDate\":\"2024-05-14T08:45:11.000Z\"},"
	SES_MAIL_OBJ "}\n"
	SNS_FOOTER;

static const char msg_ses_delivery[] =
	SES_MAIL_HEADERS
	"{\"notificationType\":\"Delivery\"," SES_MAIL_OBJ ","
	"\"delivery\":{\"timestamp\":\"2024-05-14T08:45:11.500Z\","
	"\"processingTimeMillis\":1500,\"recipients\":[\"user@example.org\"],"
	"\"smtpResponse\":\"250 2.6.0 Message received\","
	"\"remoteMtaIp\":\"192.0.2.1\","
	"\"reportingMTA\":\"a8-30.smtp-out.amazonses.com\"}}\n"
	SNS_FOOTER;

/* An "email-json" subscription: the SNS envelope, whose Message member is
 * the notification as a JSON string. Two bounced recipients. */
static const char msg_ses_sns[] =
	"From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
	"To: bounces@example.net\n"
	"Subject: AWS Notification Message\n"
	"Date: Tue, 14 May 2024 08:45:13 +0000\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=UTF-8\n"
	"\n"
	"{\n"
	"  \"Type\" : \"Notification\",\n"
	"  \"MessageId\" : \"5e1c7f1a-0000-4bcd-9e8f-0123456789ab\",\n"
	"  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:ses-bounces\",\n"
	"  \"Message\" : \"{\\\"notificationType\\\":\\\"Bounce\\\",\\\"bounce\\\":{"
	"\\\"bounceType\\\":\\\"Permanent\\\",\\\"bounceSubType\\\":\\\"General\\\","
	"\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":\\\"user@example.org\\\","
	"\\\"action\\\":\\\"failed\\\",\\\"status\\\":\\\"5.1.1\\\","
	"\\\"diagnosticCode\\\":\\\"smtp; 550 5.1.1 <user@example.org>: Recipient address rejected: "
	"User unknown\\\"},{\\\"emailAddress\\\":\\\"full@example.org\\\","
	"\\\"action\\\":\\\"failed\\\",\\\"status\\\":\\\"5.2.2\\\","
	"\\\"diagnosticCode\\\":\\\"smtp; 552 5.2.2 <full@example.org>: Mailbox full\\\"}],"
	"\\\"timestamp\\\":\\\"2024-05-14T08:45:12.000Z\\\","
	"\\\"feedbackId\\\":\\\"0100018f7ab1c2d3-5555-6666-000000\\\","
	"\\\"reportingMTA\\\":\\\"dsn; a8-30.smtp-out.amazonses.com\\\"},"
	"\\\"mail\\\":{\\\"timestamp\\\":\\\"2024-05-14T08:45:10.000Z\\\","
	"\\\"source\\\":\\\"sender@example.net\\\","
	"\\\"messageId\\\":\\\"0100018f7ab1a0b0-aaaa-bbbb\\\","
	"\\\"destination\\\":[\\\"user@example.org\\\",\\\"full@example.org\\\"]}}\",\n"
	"  \"Timestamp\" : \"2024-05-14T08:45:12.345Z\",\n"
	"  \"SignatureVersion\" : \"1\",\n"
	"  \"Signature\" : \"bm90LWEtcmVhbC1zaWduYXR1cmU=\",\n"
	"  \"SigningCertURL\" : \"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem\",\n"
	"  \"UnsubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x\"\n"
	"}\n";

/* The one long JSON line, split by a relay with "!" + newline + space:
 * once inside a member name, once inside the address. */
static const char msg_ses_split[] =
	SES_MAIL_HEADERS
	"{\"notificationType\":\"Bounce\",\"bounce\":{"
	"\"feedbackId\":\"0100018f7ab1c2d3-7777-8888-000000\","
	"\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\",\"bouncedRec!\n"
	" ipients\":[{\"emailAddress\":\"user@exa!\n"
	" mple.org\",\"action\":\"failed\",\"status\":\"5.1.1\","
	"\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],"
	"\"timestamp\":\"2024-05-14T08:45:12.000Z\","
	"\"reportingMTA\":\"dsn; a8-30.smtp-out.amazonses.com\"},"
	SES_MAIL_OBJ "}\n"
	SNS_FOOTER;

/* SES glosses the remote reply with a status of its own (5.1.0 "Unknown
 * address error"); the quoted reply is a full mailbox. */
static const char msg_ses_glossed[] =
	SES_MAIL_HEADERS
	"{\"notificationType\":\"Bounce\",\"bounce\":{"
	"\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\","
	"\"bouncedRecipients\":[{\"emailAddress\":\"u@example.org\","
	"\"action\":\"failed\",\"status\":\"5.1.0\","
	"\"diagnosticCode\":\"smtp; 5.1.0 - Unknown address error 550-'5.2.2 "
	"<u@example.org>... Mailbox Full' (delivery attempts: 0)\"}],"
	"\"timestamp\":\"2024-05-14T08:45:12.000Z\","
	"\"reportingMTA\":\"dsn; a8-30.smtp-out.amazonses.com\"},"
	SES_MAIL_OBJ "}\n"
	SNS_FOOTER;

/* The same gloss in SES's own mailed DSN. */
static const char msg_ses_glossed_dsn[] =
	"Return-Path: <>\n"
	"From: MAILER-DAEMON@amazonses.com\n"
	"To: sender@example.net\n"
	"Subject: Delivery Status Notification (Failure)\n"
	"Date: Tue, 14 May 2024 08:45:13 +0000\n"
	"X-SES-Outgoing: 2024.05.14-192.0.2.50\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"SES-DSN-1\"\n"
	"\n"
	"--SES-DSN-1\n"
	"Content-Type: text/plain; charset=UTF-8\n"
	"\n"
	"An error occurred while trying to deliver the mail to the following recipients:\n"
	"u@example.org\n"
	"\n"
	"--SES-DSN-1\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; a8-30.smtp-out.amazonses.com\n"
	"\n"
	"Action: failed\n"
	"Final-Recipient: rfc822; u@example.org\n"
	"Diagnostic-Code: smtp; 5.1.0 - Unknown address error 550-'5.2.2 <u@example.org>...\n"
	" Mailbox Full' (delivery attempts: 0)\n"
	"Status: 5.1.0\n"
	"\n"
	"--SES-DSN-1\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"From: sender@example.net\n"
	"To: u@example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n"
	"\n"
	"--SES-DSN-1--\n";

/* ---- Google Groups ------------------------------------------------------ */

static const char msg_groups_en[] =
	"Return-Path: <>\n"
	"Received: by mail.example.net with SMTP id a1; Tue, 14 May 2024 01:45:12 -0700 (PDT)\n"
	"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
	"To: sender@example.net\n"
	"Subject: Address not found\n"
	"Date: Tue, 14 May 2024 01:45:12 -0700 (PDT)\n"
	"X-Failed-Recipients: group@googlegroups.com\n"
	"Auto-Submitted: auto-replied\n"
	"Message-ID: <0000000000001234abcd@google.com>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=\"UTF-8\"\n"
	"\n"
	"Hello sender@example.net,\n"
	"\n"
	"We're writing to let you know that the group you tried to contact (group) may\n"
	"not exist, or you may not have permission to post messages to the group. A few\n"
	"more details on why you weren't able to post:\n"
	"\n"
	" * You might have spelled or formatted the group name incorrectly.\n"
	" * The owner of the group may have removed this group.\n"
	" * You may need to join the group before receiving permission to post.\n"
	" * This group may not be open to posting.\n"
	"\n"
	"If you have questions related to this or any other Google Group, visit the\n"
	"Help Center at https://groups.google.com/support/.\n"
	"\n"
	"Thanks,\n"
	"\n"
	"Google Groups\n";

/* The same refusal in Japanese, base64-encoded as Google sends it. The
 * text (UTF-8) is:
 *   sender@example.net 様
 *
 *   お問い合わせいただいたグループ（team）は存在しないか、グループに
 *   メッセージを投稿する権限がない可能性があります。
 *
 *   詳しくは、ヘルプセンター https://groups.google.com/support/ をご覧ください。
 *
 *   Google グループ */
static const char msg_groups_ja[] =
	"Return-Path: <>\n"
	"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
	"To: sender@example.net\n"
	"Subject: =?UTF-8?B?44Ki44OJ44Os44K544GM6KaL44Gk44GL44KK44G+44Gb44KT?=\n"
	"Date: Tue, 14 May 2024 17:45:12 +0900\n"
	"X-Failed-Recipients: team@googlegroups.com\n"
	"Auto-Submitted: auto-replied\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=\"UTF-8\"\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"sender@example.net \xe6\xa7\x98\n"
	"\n"
	"\xe3\x81\x8a\xe5\x95\x8f\xe3\x81\x84\xe5\x90\x88\xe3\x82\x8f\xe3\x81\x9b\xe3\x81\x84"
	"\xe3\x81\x9f\xe3\x81\xa0\xe3\x81\x84\xe3\x81\x9f\xe3\x82\xb0\xe3\x83\xab\xe3\x83\xbc"
	"\xe3\x83\x97\xef\xbc\x88team\xef\xbc\x89\xe3\x81\xaf\xe5\xad\x98\xe5\x9c\xa8\xe3\x81"
	"\x97\xe3\x81\xaa\xe3\x81\x84\xe3\x81\x8b\xe3\x80\x81\xe3\x82\xb0\xe3\x83\xab\xe3\x83"
	"\xbc\xe3\x83\x97\xe3\x81\xab\n"
	"\xe3\x83\xa1\xe3\x83\x83\xe3\x82\xbb\xe3\x83\xbc\xe3\x82\xb8\xe3\x82\x92\xe6\x8a\x95"
	"\xe7\xa8\xbf\xe3\x81\x99\xe3\x82\x8b\xe6\xa8\xa9\xe9\x99\x90\xe3\x81\x8c\xe3\x81\xaa"
	"\xe3\x81\x84\xe5\x8f\xaf\xe8\x83\xbd\xe6\x80\xa7\xe3\x81\x8c\xe3\x81\x82\xe3\x82\x8a"
	"\xe3\x81\xbe\xe3\x81\x99\xe3\x80\x82\n"
	"\n"
	"\xe8\xa9\xb3\xe3\x81\x97\xe3\x81\x8f\xe3\x81\xaf\xe3\x80\x81\xe3\x83\x98\xe3\x83\xab"
	"\xe3\x83\x97\xe3\x82\xbb\xe3\x83\xb3\xe3\x82\xbf\xe3\x83\xbc "
	"https://groups.google.com/support/ "
	"\xe3\x82\x92\xe3\x81\x94\xe8\xa6\xa7\xe3\x81\x8f\xe3\x81\xa0\xe3\x81\x95\xe3\x81\x84"
	"\xe3\x80\x82\n"
	"\n"
	"Google \xe3\x82\xb0\xe3\x83\xab\xe3\x83\xbc\xe3\x83\x97\n";

/* ---- Lotus Notes / Domino ----------------------------------------------- */

static const char msg_notes[] =
	"Return-Path: <>\n"
	"From: Postmaster@example.org\n"
	"To: sender@example.net\n"
	"Subject: DELIVERY FAILURE: User user (user@example.org) not listed in Domino Directory\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"Message-ID: <OF0A1B2C3D.4E5F6071-ON00000000.00112233@example.org>\n"
	"X-Mailer: Lotus Domino Release 9.0.1FP10 HF383\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=\"US-ASCII\"\n"
	"\n"
	"------- Failure Reasons  --------\n"
	"\n"
	"User user (user@example.org) not listed in Domino Directory\n"
	"user@example.org\n"
	"\n"
	"\n"
	"------- Returned Message --------\n"
	ORIG_HEADERS
	"\n"
	"See you there.\n";

/* ---- fml ----------------------------------------------------------------- */

static const char msg_fml[] =
	"Return-Path: <list-admin@example.org>\n"
	"From: list-admin@example.org\n"
	"To: sender@example.net\n"
	"Subject: Loop Alert: dup'ed message-id\n"
	"Date: Tue, 14 May 2024 17:45:12 +0900\n"
	"X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]; post only (only members can post)\n"
	"X-ML-Info: If you have a question, send e-mail with the body\n"
	"\t\"help\" (without quotes) to the address list-ctl@example.org;\n"
	"\thelp=<mailto:list-ctl@example.org?body=help>\n"
	"Precedence: bulk\n"
	"Message-ID: <202405141745.FML12345@example.org>\n"
	"\n"
	"fml system error message from your mailing list <list@example.org>\n"
	"\n"
	"Your mail was not distributed: its Message-ID has already been seen\n"
	"by this list (Duplicated Message-ID), so it is taken to be a mail loop.\n"
	"\n"
	"Original mail as follows:\n"
	"\n"
	"From: sender@example.net\n"
	"To: list@example.org\n"
	"Subject: Meeting on Friday\n"
	"Message-ID: <20240514084510.ABC123@mail.example.net>\n"
	"\n"
	"See you there.\n";

/* ---- Sendmail V5 transcripts ---------------------------------------------- */

#define SENDMAIL_HEADERS(subject)                                                \
	"Return-Path: <>\n"                                                      \
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"                                \
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"       \
	"Subject: Returned mail: " subject "\n"                                  \
	"Message-Id: <202405140845.KAA01234@mail.example.net>\n"                 \
	"To: sender@example.net\n"                                               \
	"\n"

/* One recipient's domain does not resolve (the domain lines are not
 * recipients; the recipient line quotes the reply), then the remote server
 * refuses MAIL FROM for the other: Sendmail's verdict is "Remote protocol
 * error" and the reply before it says why. */
static const char msg_sendmail5[] =
	SENDMAIL_HEADERS("Remote protocol error")
	"   ----- Transcript of session follows -----\n"
	"550 nohost.example.org (smtp)... 550 Host unknown (Name server: nohost.example.org: host not found)\n"
	"554 <who@nohost.example.org>... 550 Host unknown (Name server: nohost.example.org: host not found)\n"
	"While talking to mx.example.org:\n"
	">>> MAIL From:<sender@example.net>\n"
	"<<< 550 <sender@example.net>... Sender domain has no MX record; access denied\n"
	"554 <user@example.org>... Remote protocol error\n"
	"550 example.org (smtp)... 550 Host unknown\n"
	"\n"
	"   ----- Unsent message follows -----\n"
	"Received: by mail.example.net (5.65/1.2)\n"
	"\tid KAA01233; Tue, 14 May 2024 10:45:10 +0200\n"
	"From: sender@example.net\n"
	"To: user@example.org, who@nohost.example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n";

/* Only a domain that does not resolve: one domain line, two recipients. */
static const char msg_sendmail5_host[] =
	SENDMAIL_HEADERS("Host unknown (Name server: example.org: host not found)")
	"   ----- Transcript of session follows -----\n"
	"550 example.org (smtp)... 550 Host unknown (Name server: example.org: host not found)\n"
	"554 <user@example.org>... 550 Host unknown (Name server: example.org: host not found)\n"
	"554 <admin@example.org>... 550 Host unknown (Name server: example.org: host not found)\n"
	"\n"
	"   ----- Unsent message follows -----\n"
	"From: sender@example.net\n"
	"To: user@example.org, admin@example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n";

/* A refusal of RCPT TO, and a second host refusing another recipient. */
static const char msg_sendmail5_rcpt[] =
	SENDMAIL_HEADERS("User unknown")
	"   ----- Transcript of session follows -----\n"
	"While talking to mx.example.org:\n"
	">>> RCPT To:<nobody@example.org>\n"
	"<<< 550 <nobody@example.org>... User unknown\n"
	"550 <nobody@example.org>... User unknown\n"
	"While talking to mail.lists.example.org:\n"
	">>> RCPT To:<gone@lists.example.org>\n"
	"<<< 550 5.1.1 <gone@lists.example.org>... No such user here\n"
	"550 <gone@lists.example.org>... User unknown\n"
	"\n"
	"   ----- Unsent message follows -----\n"
	"From: sender@example.net\n"
	"To: nobody@example.org, gone@lists.example.org\n"
	"Subject: Meeting on Friday\n"
	"\n"
	"See you there.\n";

/* ---- Microsoft JMRP ------------------------------------------------------- */

static const char msg_jmrp[] =
	"Return-Path: <staff@hotmail.com>\n"
	"From: staff@hotmail.com\n"
	"To: fbl@example.net\n"
	"Subject: complaint about message from 192.0.2.1\n"
	"Date: Tue, 14 May 2024 01:50:00 -0700\n"
	"Message-ID: <JMRP-0123456789@example.net>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"--JMRP-BOUNDARY--\"\n"
	"\n"
	"----JMRP-BOUNDARY--\n"
	"Content-Type: text/plain; charset=\"us-ascii\"\n"
	"\n"
	"This is an email abuse report for an email message received from IP\n"
	"192.0.2.1 on Tue, 14 May 2024 01:45:10 -0700.\n"
	"For more information about this format please see\n"
	"https://sendersupport.olc.protection.outlook.com/pm/\n"
	"\n"
	"----JMRP-BOUNDARY--\n"
	"Content-Type: message/rfc822\n"
	"Content-Disposition: inline\n"
	"\n"
	"X-HmXmrOriginalRecipient: <reader@example.org>\n"
	"X-Reporter-IP: 192.0.2.1\n"
	"Received: from mail.example.net ([192.0.2.1]) by mx.example.org; Tue, 14 May 2024 01:45:10 -0700\n"
	"From: Sender <sender@example.net>\n"
	"To: reader@example.org\n"
	"Subject: Weekly offers\n"
	"Date: Tue, 14 May 2024 10:45:08 +0200\n"
	"Message-ID: <offers-20240514@mail.example.net>\n"
	"\n"
	"This week only.\n"
	"\n"
	"----JMRP-BOUNDARY----\n";

/* ---- RFC 3464 DSNs --------------------------------------------------------- */

#define DSN_HEAD(from, subject, boundary)                                        \
	"Return-Path: <>\n"                                                      \
	"From: " from "\n"                                                       \
	"To: sender@example.net\n"                                               \
	"Subject: " subject "\n"                                                 \
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"                                \
	"MIME-Version: 1.0\n"                                                    \
	"Content-Type: multipart/report; report-type=delivery-status;\n"         \
	"\tboundary=\"" boundary "\"\n"

#define DSN_ORIG(boundary)                                                       \
	"--" boundary "\n"                                                       \
	"Content-Type: text/rfc822-headers\n"                                    \
	"\n"                                                                     \
	ORIG_HEADERS                                                             \
	"\n"                                                                     \
	"--" boundary "--\n"

/* PowerMTA files each bounce under a category and writes it in the DSN;
 * the Diagnostic-Codes here are vague or say something else. */
static const char msg_powermta[] =
	DSN_HEAD("postmaster@pmta.example.net", "Delivery report", "PMTA-1")
	"\n"
	"--PMTA-1\n"
	"Content-Type: text/plain\n"
	"\n"
	"This is a delivery status notification from pmta.example.net.\n"
	"Delivery to the following recipients failed permanently.\n"
	"\n"
	"--PMTA-1\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; pmta.example.net\n"
	"Received-From-MTA: dns; app.example.net (192.0.2.10)\n"
	"Arrival-Date: Tue, 14 May 2024 10:45:10 +0200\n"
	"\n"
	"Original-Recipient: rfc822;one@example.org\n"
	"Final-Recipient: rfc822;one@example.org\n"
	"Action: failed\n"
	"Status: 5.0.0 (undefined status)\n"
	"Remote-MTA: dns; mx.example.org (192.0.2.1)\n"
	"Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable\n"
	"X-PowerMTA-BounceCategory: bad-mailbox\n"
	"\n"
	"Original-Recipient: rfc822;two@example.org\n"
	"Final-Recipient: rfc822;two@example.org\n"
	"Action: failed\n"
	"Status: 5.0.0 (undefined status)\n"
	"Remote-MTA: dns; mx.example.org (192.0.2.1)\n"
	"Diagnostic-Code: smtp; 550 Requested action not taken: try again later\n"
	"X-PowerMTA-BounceCategory: quota-issues\n"
	"\n"
	"Original-Recipient: rfc822;three@example.org\n"
	"Final-Recipient: rfc822;three@example.org\n"
	"Action: failed\n"
	"Status: 5.7.1 (delivery not authorized, message refused)\n"
	"Remote-MTA: dns; mx.example.org (192.0.2.1)\n"
	"Diagnostic-Code: smtp; 550 5.7.1 Message rejected\n"
	"X-PowerMTA-BounceCategory: spam-related\n"
	"\n"
	DSN_ORIG("PMTA-1");

/* Sendmail's DSN for a delivery to a program that failed. */
static const char msg_dsn_program[] =
	DSN_HEAD("Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>",
		 "Returned mail: see transcript for details", "PROG-1")
	"Auto-Submitted: auto-generated (failure)\n"
	"\n"
	"--PROG-1\n"
	"Content-Type: text/plain\n"
	"\n"
	"The original message was received at Tue, 14 May 2024 10:45:10 +0200\n"
	"from mail.example.net [192.0.2.20]\n"
	"\n"
	"   ----- The following addresses had permanent fatal errors -----\n"
	"\"|/usr/bin/procmail\"\n"
	"    (reason: 255)\n"
	"    (expanded from: <user@example.org>)\n"
	"\n"
	"   ----- Transcript of session follows -----\n"
	"554 5.3.0 unknown mailer error 255\n"
	"\n"
	"--PROG-1\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mail.example.org\n"
	"Received-From-MTA: DNS; mail.example.net\n"
	"Arrival-Date: Tue, 14 May 2024 10:45:10 +0200\n"
	"\n"
	"Original-Recipient: rfc822;user@example.org\n"
	"Final-Recipient: RFC822; user@example.org\n"
	"X-Actual-Recipient: rfc822; |/usr/bin/procmail\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"Last-Attempt-Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"\n"
	DSN_ORIG("PROG-1");

/* The same with Sendmail's own address type, "X-Unix; |program". */
static const char msg_dsn_program_xunix[] =
	DSN_HEAD("Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>",
		 "Returned mail: see transcript for details", "PROG-2")
	"\n"
	"--PROG-2\n"
	"Content-Type: text/plain\n"
	"\n"
	"   ----- Transcript of session follows -----\n"
	"554 5.3.0 unknown mailer error 255\n"
	"\n"
	"--PROG-2\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mail.example.org\n"
	"\n"
	"Final-Recipient: RFC822; user@example.org\n"
	"X-Actual-Recipient: X-Unix; |/usr/bin/procmail -t\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"\n"
	DSN_ORIG("PROG-2");

/* A program delivery with no reply line to read: only the DSN says that
 * the recipient was a program. */
#define DSN_PROGRAM_ONLY(actual)                                                 \
	DSN_HEAD("Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>",     \
		 "Returned mail: see transcript for details", "PROG-3")          \
	"\n"                                                                     \
	"--PROG-3\n"                                                             \
	"Content-Type: text/plain\n"                                             \
	"\n"                                                                     \
	"The original message was received at Tue, 14 May 2024 10:45:10 +0200\n" \
	"from mail.example.net [192.0.2.20]\n"                                   \
	"\n"                                                                     \
	"   ----- The following addresses had permanent fatal errors -----\n"    \
	"\"|/usr/bin/procmail\"\n"                                               \
	"    (reason: 255)\n"                                                    \
	"    (expanded from: <user@example.org>)\n"                              \
	"\n"                                                                     \
	"--PROG-3\n"                                                             \
	"Content-Type: message/delivery-status\n"                                \
	"\n"                                                                     \
	"Reporting-MTA: dns; mail.example.org\n"                                 \
	"\n"                                                                     \
	"Final-Recipient: RFC822; user@example.org\n"                            \
	"X-Actual-Recipient: " actual "\n"                                       \
	"Action: failed\n"                                                       \
	"Status: 5.0.0\n"                                                        \
	"\n"                                                                     \
	DSN_ORIG("PROG-3")

static const char msg_dsn_program_only[] = DSN_PROGRAM_ONLY("rfc822; |/usr/bin/procmail");
static const char msg_dsn_program_bare[] = DSN_PROGRAM_ONLY("|/usr/bin/procmail");

/* A Postfix DSN that a person forwarded as an attachment. */
static const char msg_forwarded[] =
	"From: Help Desk <helpdesk@example.net>\n"
	"To: postmaster@example.net\n"
	"Subject: Fwd: Undelivered Mail Returned to Sender\n"
	"Date: Tue, 14 May 2024 11:02:00 +0200\n"
	"Message-ID: <fwd-0001@example.net>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"FWD-OUTER\"\n"
	"\n"
	"--FWD-OUTER\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"Hi, could you have a look at the attached? Thanks.\n"
	"\n"
	"--FWD-OUTER\n"
	"Content-Type: message/rfc822\n"
	"Content-Disposition: attachment; filename=\"bounce.eml\"\n"
	"\n"
	"Return-Path: <>\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200 (CEST)\n"
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"To: sender@example.net\n"
	"Auto-Submitted: auto-replied\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"4VdLqT1abc.1715676312/mail.example.net\"\n"
	"Message-Id: <20240514084512.5A2B81234@mail.example.net>\n"
	"\n"
	"This is a MIME-encapsulated message.\n"
	"\n"
	"--4VdLqT1abc.1715676312/mail.example.net\n"
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
	"--4VdLqT1abc.1715676312/mail.example.net\n"
	"Content-Description: Delivery report\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mail.example.net\n"
	"X-Postfix-Queue-ID: 5A2B81234\n"
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
	"--4VdLqT1abc.1715676312/mail.example.net\n"
	"Content-Description: Undelivered Message Headers\n"
	"Content-Type: text/rfc822-headers\n"
	"\n"
	ORIG_HEADERS
	"\n"
	"--4VdLqT1abc.1715676312/mail.example.net--\n"
	"\n"
	"--FWD-OUTER--\n";

/* ---- vendor identification ------------------------------------------------ */

/* McAfee Email Gateway: a DSN with no SMTP stage; McAfee checks the
 * recipient at RCPT itself, so "Unknown user" proves the address bad. */
static const char msg_mcafee[] =
	DSN_HEAD("postmaster@gw.example.org", "Delivery Status Notification (Failure)", "NAI-1")
	"X-NAI-Header: Modified by McAfee Email Gateway\n"
	"\n"
	"--NAI-1\n"
	"Content-Type: text/plain\n"
	"\n"
	"--- The following addresses had delivery problems ---\n"
	"\n"
	"<user@example.org>   (Unknown user user@example.org)\n"
	"\n"
	"--NAI-1\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; gw.example.org\n"
	"\n"
	"Final-Recipient: RFC822; user@example.org\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"Diagnostic-Code: smtp; 550 Unknown user user@example.org\n"
	"\n"
	DSN_ORIG("NAI-1");

static const char msg_messagelabs[] =
	DSN_HEAD("MAILER-DAEMON@messagelabs.com", "Mail Delivery Failure", "MSGLABS-1")
	"X-Msg-Ref: server-3.tower-123.messagelabs.com!1715676312!1234567!1\n"
	"X-Originating-IP: [192.0.2.30]\n"
	"\n"
	"--MSGLABS-1\n"
	"Content-Type: text/plain\n"
	"\n"
	"Could not deliver the message in the time limit specified.  Please retry or\n"
	"contact your administrator.\n"
	"\n"
	"--MSGLABS-1\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; server-3.tower-123.messagelabs.com\n"
	"Arrival-Date: Tue, 14 May 2024 08:45:10 +0000\n"
	"\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"Last-Attempt-Date: Tue, 14 May 2024 08:45:12 +0000\n"
	"Remote-MTA: dns; mx.example.org\n"
	"Diagnostic-Code: smtp; 550-5.1.1 <user@example.org>... User unknown\n"
	"Final-Recipient: rfc822; user@example.org\n"
	"\n"
	DSN_ORIG("MSGLABS-1");

/* IMail: a plain-text notice. */
static const char msg_imail[] =
	"Return-Path: <>\n"
	"From: Postmaster@mail.example.org\n"
	"To: sender@example.net\n"
	"Subject: Undeliverable Mail\n"
	"Date: Tue, 14 May 2024 10:45:12 +0200\n"
	"X-Mailer: <SMTP32 v8.22>\n"
	"Message-Id: <200405141045.AA1234567@mail.example.org>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=US-ASCII\n"
	"\n"
	"Unknown user: user@example.org\n"
	"\n"
	"Original message follows.\n"
	"\n"
	ORIG_HEADERS
	"\n"
	"See you there.\n";

/* ---- provider rules: NTT docomo ------------------------------------------- */

/* docomo refuses at end of DATA with "Unknown user" when the recipient's
 * reception settings refuse the sender. */
#define DOCOMO_DSN(status)                                                       \
	DSN_HEAD("MAILER-DAEMON@mail.example.net (Mail Delivery System)",        \
		 "Undelivered Mail Returned to Sender", "DOCOMO-1")              \
	"\n"                                                                     \
	"--DOCOMO-1\n"                                                           \
	"Content-Type: text/plain; charset=us-ascii\n"                           \
	"\n"                                                                     \
	"This is the mail system at host mail.example.net.\n"                    \
	"\n"                                                                     \
	"<user@docomo.ne.jp>: host mfsmax.docomo.ne.jp[192.0.2.40] said: 550\n" \
	"    Unknown user user@docomo.ne.jp (in reply to end of DATA command)\n" \
	"\n"                                                                     \
	"--DOCOMO-1\n"                                                           \
	"Content-Type: message/delivery-status\n"                                \
	"\n"                                                                     \
	"Reporting-MTA: dns; mail.example.net\n"                                 \
	"\n"                                                                     \
	"Final-Recipient: rfc822; user@docomo.ne.jp\n"                           \
	"Action: failed\n"                                                       \
	"Status: " status "\n"                                                   \
	"Remote-MTA: dns; mfsmax.docomo.ne.jp\n"                                 \
	"Diagnostic-Code: smtp; 550 Unknown user user@docomo.ne.jp\n"            \
	"\n"                                                                     \
	DSN_ORIG("DOCOMO-1")

static const char msg_docomo[] = DOCOMO_DSN("5.0.0");
static const char msg_docomo_520[] = DOCOMO_DSN("5.2.0");

/* ---- provider rules: KDDI au ---------------------------------------------- */

/* au names the refused address at RCPT TO; its answer to the end of DATA
 * (the recipient's reception settings refuse the sender) has an empty
 * address. Gmail's layout: no SMTP stage, and Gmail checks recipients
 * itself, so only the provider rule can tell the two apart. */
#define AU_DSN(reply)                                                            \
	DSN_HEAD("Mail Delivery Subsystem <mailer-daemon@googlemail.com>",       \
		 "Delivery Status Notification (Failure)", "AU-1")               \
	"\n"                                                                     \
	"--AU-1\n"                                                               \
	"Content-Type: text/plain; charset=UTF-8\n"                              \
	"\n"                                                                     \
	"Your message to user@ezweb.ne.jp was not delivered.\n"                  \
	"\n"                                                                     \
	"The remote server answered:\n"                                          \
	"\n"                                                                     \
	reply "\n"                                                               \
	"\n"                                                                     \
	"--AU-1\n"                                                               \
	"Content-Type: message/delivery-status\n"                                \
	"\n"                                                                     \
	"Reporting-MTA: dns; googlemail.com\n"                                   \
	"\n"                                                                     \
	"Final-Recipient: rfc822; user@ezweb.ne.jp\n"                            \
	"Action: failed\n"                                                       \
	"Status: 5.0.0\n"                                                        \
	"Remote-MTA: dns; mx.ezweb.ne.jp.\n"                                     \
	"Diagnostic-Code: smtp; " reply "\n"                                     \
	"\n"                                                                     \
	DSN_ORIG("AU-1")

static const char msg_au_filter[] = AU_DSN("550 : User unknown");
static const char msg_au_unknown[] = AU_DSN("550 <user@ezweb.ne.jp>: User unknown");

/* Postfix's transcript for the postmaster: the first 4xx/5xx "Out:" answer
 * is the diagnostic, the "In:" command it answered the stage. */
static const char msg_postfix_inout[] =
	"From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
	"To: postmaster@mx.example.org (Postmaster)\n"
	"Subject: Postfix SMTP server: errors from client.example.net[192.0.2.7]\n"
	"Date: Tue, 14 May 2024 08:45:10 +0000\n"
	"\n"
	"Transcript of session follows.\n"
	"\n"
	" Out: 220 mx.example.org ESMTP\n"
	" In:  EHLO client.example.net\n"
	" Out: 250-mx.example.org\n"
	" Out: 250 ENHANCEDSTATUSCODES\n"
	" In:  MAIL\n"
	"     FROM:<sender@example.net> SIZE=2048\n"
	" Out: 250 2.1.0 Ok\n"
	" In:  RCPT TO:<user@example.org>\n"
	" Out: 250 2.1.5 Ok\n"
	" In:  RCPT TO:<other@example.org>\n"
	" Out: 250 2.1.5 Ok\n"
	" In:  DATA\n"
	" Out: 354 End data with <CR><LF>.<CR><LF>\n"
	" Out: 451 4.3.0 Error: queue file write error\n"
	" In:  QUIT\n"
	" Out: 221 2.0.0 Bye\n"
	"\n"
	"For other details, see the local mail logfile\n";

/* ---- expectations ------------------------------------------------------- */

static const decode_case cases[] = {
	{"ses-bounce", msg_ses_bounce, "AmazonSES", 1,
	 {{"user@example.org", "550", "5.1.1", NULL, "userunknown", NONE}}},
	{"ses-complaint", msg_ses_complaint, "AmazonSES", 1,
	 {{"reader@example.org", NONE, NULL, NONE, "feedback", "abuse"}}},
	{"ses-delivery", msg_ses_delivery, "AmazonSES", 1,
	 {{"user@example.org", "250", "2.6.0", NONE, "delivered", NONE}}},
	{"ses-sns", msg_ses_sns, "AmazonSES", 2,
	 {{"user@example.org", "550", "5.1.1", NULL, "userunknown", NONE},
	  {"full@example.org", "552", "5.2.2", NULL, "mailboxfull", NONE}}},
	{"ses-split", msg_ses_split, "AmazonSES", 1,
	 {{"user@example.org", "550", "5.1.1", NULL, "userunknown", NONE}}},
	{"ses-glossed", msg_ses_glossed, "AmazonSES", 1,
	 {{"u@example.org", "550", "5.2.2", NULL, "mailboxfull", NONE}}},
	{"ses-glossed-dsn", msg_ses_glossed_dsn, "AmazonSES", 1,
	 {{"u@example.org", "550", "5.2.2", NULL, "mailboxfull", NONE}}},
	{"groups-en", msg_groups_en, "GoogleGroups", 1,
	 {{"group@googlegroups.com", NONE, NULL, NONE, "rejected", NONE}}},
	{"groups-ja", msg_groups_ja, "GoogleGroups", 1,
	 {{"team@googlegroups.com", NONE, NULL, NONE, "rejected", NONE}}},
	/* Domino's "not listed in Domino Directory" is its own directory
	 * lookup of the user, not a blocklist */
	{"notes", msg_notes, "Notes", 1,
	 {{"user@example.org", NONE, NULL, NONE, "userunknown", NONE}}},
	{"fml", msg_fml, "FML", 1,
	 {{"list@example.org", NONE, NULL, NONE, "systemerror", NONE}}},
	/* MAIL FROM refused: every recipient fails, about the sender; the
	 * domain line names no recipient; "554 <a>... 550 Host unknown" is
	 * the remote reply (a DNS failure: no SMTP stage) */
	/* another host's ">>> MAIL From" must not be applied to a DNS failure */
	{"sendmail5", msg_sendmail5, "Sendmail", 2,
	 {{"who@nohost.example.org", "550", NULL, NONE, "hostunknown", NONE},
	  {"user@example.org", "550", NULL, "MAIL", "rejected", NONE}}},
	{"sendmail5-host", msg_sendmail5_host, "Sendmail", 2,
	 {{"user@example.org", "550", NULL, NONE, "hostunknown", NONE},
	  {"admin@example.org", "550", NULL, NONE, "hostunknown", NONE}}},
	{"sendmail5-rcpt", msg_sendmail5_rcpt, "Sendmail", 2,
	 {{"nobody@example.org", "550", NULL, "RCPT", "userunknown", NONE},
	  {"gone@lists.example.org", "550", "5.1.1", "RCPT", "userunknown", NONE}}},
	{"jmrp", msg_jmrp, "ARF", 1,
	 {{"reader@example.org", NONE, NONE, NONE, "feedback", "abuse"}}},
	/* PowerMTA writes its category in the delivery-status part */
	{"powermta", msg_powermta, "PowerMTA", 3,
	 {{"one@example.org", "550", NULL, NULL, "userunknown", NONE},
	  {"two@example.org", "550", NULL, NULL, "mailboxfull", NONE},
	  {"three@example.org", "550", "5.7.1", NULL, "spamdetected", NONE}}},
	{"dsn-program", msg_dsn_program, NULL, 1,
	 {{"user@example.org", NULL, NULL, NONE, "mailererror", NONE}}},
	{"dsn-program-xunix", msg_dsn_program_xunix, NULL, 1,
	 {{"user@example.org", NULL, NULL, NONE, "mailererror", NONE}}},
	/* a typed "rfc822; |/usr/bin/procmail" is a program too */
	{"dsn-program-only", msg_dsn_program_only, NULL, 1,
	 {{"user@example.org", NONE, "5.0.0", NONE, "mailererror", NONE}}},
	{"dsn-program-bare", msg_dsn_program_bare, NULL, 1,
	 {{"user@example.org", NONE, "5.0.0", NONE, "mailererror", NONE}}},
	{"forwarded", msg_forwarded, "Postfix", 1,
	 {{"user@example.org", "550", "5.1.1", "RCPT", "userunknown", NONE}}},
	{"mcafee", msg_mcafee, "McAfee", 1,
	 {{"user@example.org", "550", NULL, NULL, "userunknown", NONE}}},
	{"messagelabs", msg_messagelabs, "MessageLabs", 1,
	 {{"user@example.org", "550", "5.1.1", NULL, "userunknown", NONE}}},
	{"imail", msg_imail, "IMailServer", 1,
	 {{"user@example.org", NULL, NULL, NULL, "userunknown", NONE}}},
	{"docomo", msg_docomo, NULL, 1,
	 {{"user@docomo.ne.jp", "550", NULL, "DATA", "rejected", NONE}}},
	{"postfix-inout", msg_postfix_inout, "Postfix", 2,
	 {{"user@example.org", "451", "4.3.0", "DATA", "systemerror", NONE},
	  {"other@example.org", "451", "4.3.0", "DATA", "systemerror", NONE}}},
	{"docomo-5.2.0", msg_docomo_520, NULL, 1,
	 {{"user@docomo.ne.jp", "550", "5.2.0", "DATA", "filtered", NONE}}},
	/* au: the empty address says the reply answered DATA (a filter);
	 * with the address, the mailbox does not exist */
	{"au-filter", msg_au_filter, "Gmail", 1,
	 {{"user@ezweb.ne.jp", "550", "5.0.0", NONE, "filtered", NONE}}},
	{"au-unknown", msg_au_unknown, "Gmail", 1,
	 {{"user@ezweb.ne.jp", "550", "5.0.0", NONE, "userunknown", NONE}}},
};

/* The bounce's own sender, the original sender, the notification and
 * report addresses are never a failed recipient. */
static int
forbidden_recipient(const char *r)
{
	static const char *const bad[] = {
		"sender@example.net",  "bounces@example.net", "no-reply@sns.amazonaws.com",
		"fbl@example.net",     "staff@hotmail.com",   "helpdesk@example.net",
		"list-admin@example.org", "list-ctl@example.org",
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

/* Fields beyond the table. */
static void
test_details(void)
{
	smtpdoc_report *rep, *rep2;
	const smtpdoc_result *r;

	rep = decode("ses-bounce", msg_ses_bounce);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->action, "failed");
		CHECK_STR(r->diagnostictype, "SMTP");
		CHECK_STR(r->diagnosticcode, "550 5.1.1 user unknown");
		CHECK(r->hardbounce == 1);
		/* SES's reportingMTA loses its "dsn;" type prefix */
		CHECK_STR(r->lhost, "a8-30.smtp-out.amazonses.com");
	}
	smtpdoc_report_free(rep);

	rep = decode("ses-complaint", msg_ses_complaint);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK(r->hardbounce == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("ses-delivery", msg_ses_delivery);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->action, "delivered");
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "250 2.6.0") != NULL);
		CHECK(r->hardbounce == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("ses-sns", msg_ses_sns);
	if (rep && rep->count == 2) {
		CHECK_STR(rep->results[0].addresser, "sender@example.net");
		CHECK(rep->results[0].diagnosticcode != NULL &&
		      strstr(rep->results[0].diagnosticcode, "Mailbox full") == NULL);
		CHECK(rep->results[1].hardbounce == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("ses-glossed", msg_ses_glossed);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		/* the server's reply is kept, not SES's gloss */
		CHECK(r->diagnosticcode != NULL && strncmp(r->diagnosticcode, "550 5.2.2", 9) == 0);
		CHECK(r->hardbounce == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("groups-en", msg_groups_en);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->action, "failed");
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "may not exist") != NULL);
	}
	smtpdoc_report_free(rep);

	rep = decode("notes", msg_notes);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "not listed in Domino Directory"));
		CHECK(r->hardbounce == 1);
	}
	smtpdoc_report_free(rep);

	rep = decode("sendmail5", msg_sendmail5);
	if (rep && rep->count == 2) {
		r = &rep->results[0];
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "Host unknown"));
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "Sender domain") == NULL);
		CHECK(r->rhost == NULL);
		CHECK(r->hardbounce == 1);
		r = &rep->results[1];
		CHECK_STR(r->rhost, "mx.example.org");
		/* the server's reply is in the diagnostic, with the verdict */
		CHECK(r->diagnosticcode != NULL && strstr(r->diagnosticcode, "Sender domain has no MX record"));
		CHECK(r->hardbounce == 0);
	}

	rep2 = decode("sendmail5-host", msg_sendmail5_host);
	if (rep2 && rep2->count == 2) {
		CHECK(rep2->results[0].hardbounce == 1);
		CHECK(rep2->results[1].diagnosticcode != NULL &&
		      strstr(rep2->results[1].diagnosticcode, "550 Host unknown") != NULL);
	}
	smtpdoc_report_free(rep2);
	smtpdoc_report_free(rep);

	rep = decode("sendmail5-rcpt", msg_sendmail5_rcpt);
	if (rep && rep->count == 2) {
		CHECK_STR(rep->results[0].rhost, "mx.example.org");
		CHECK_STR(rep->results[1].rhost, "mail.lists.example.org");
		CHECK(rep->results[1].diagnosticcode != NULL &&
		      strstr(rep->results[1].diagnosticcode, "No such user here"));
	}
	smtpdoc_report_free(rep);

	rep = decode("jmrp", msg_jmrp);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->rhost, "192.0.2.1");
		CHECK_STR(r->messageid, "offers-20240514@mail.example.net");
		CHECK(r->hardbounce == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("powermta", msg_powermta);
	if (rep && rep->count == 3) {
		CHECK_STR(rep->results[0].rhost, "mx.example.org (192.0.2.1)");
		CHECK_STR(rep->results[0].lhost, "pmta.example.net");
		CHECK(rep->results[0].hardbounce == 1);
		CHECK(rep->results[1].hardbounce == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("forwarded", msg_forwarded);
	if (rep && rep->count == 1) {
		r = &rep->results[0];
		/* the original sender, from the attached report's copy */
		CHECK_STR(r->addresser, "sender@example.net");
		CHECK_STR(r->messageid, "20240514084510.ABC123@mail.example.net");
		CHECK_STR(r->lhost, "mail.example.net");
	}
	smtpdoc_report_free(rep);

	rep = decode("dsn-program-bare", msg_dsn_program_bare);
	if (rep && rep->count == 1)
		CHECK_STR(rep->results[0].diagnostictype, "X-Unix");
	smtpdoc_report_free(rep);
	{
		static const char *const program_cases[] = {"dsn-program", "dsn-program-only",
							    "dsn-program-xunix"};
		const char *const msgs[] = {msg_dsn_program, msg_dsn_program_only, msg_dsn_program_xunix};
		size_t k;
		for (k = 0; k < 3; k++) {
			rep = decode(program_cases[k], msgs[k]);
			if (rep && rep->count == 1)
				CHECK_STR(rep->results[0].diagnostictype, "X-Unix");
			smtpdoc_report_free(rep);
		}
	}

	rep = decode("docomo", msg_docomo);
	if (rep && rep->count == 1)
		CHECK_STR(rep->results[0].rhost, "mfsmax.docomo.ne.jp");
	smtpdoc_report_free(rep);
}

/* Broken SES JSON: no crash, no leak, and no made-up recipient. */
static void
test_broken_json(void)
{
	static const char *const bodies[] = {
		/* truncated in the middle of an address */
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
		"\"bouncedRecipients\":[{\"emailAddress\":\"user@exa",
		/* truncated after a complete member */
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[",
		/* not JSON at all after the brace */
		"{\"notificationType\": Bounce, bounce: [oops}}}\n",
		/* the members have the wrong types */
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":"
		"{\"emailAddress\":\"user@example.org\"}}}\n",
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":"
		"[{\"emailAddress\":42},null,\"x\",[]]}}\n",
		"{\"notificationType\":7,\"bounce\":{\"bouncedRecipients\":"
		"[{\"emailAddress\":\"user@example.org\"}]}}\n",
		"{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":"
		"[{\"emailAddress\":null}],\"complaintFeedbackType\":[]}}\n",
		"{\"notificationType\":\"Delivery\",\"delivery\":{\"recipients\":[1,{},null]}}\n",
		/* an address that is not one */
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":"
		"[{\"emailAddress\":\"\\u0000@\"},{\"emailAddress\":\"\"}]}}\n",
		/* an SNS envelope whose Message is no JSON, or is cut */
		"{\"Type\":\"Notification\",\"Message\":\"not json {\"}\n",
		"{\"Type\":\"Notification\",\"Message\":\"{\\\"notificationType\\\":\\\"Bounce\\\","
		"\\\"bounce\\\":{\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":\\\"us\"}\n",
		"{\"Type\":\"Notification\",\"Message\":17}\n",
		/* a relay split at the very end */
		"{\"notificationType\":\"Bounce\"!\n",
		"{\"notificationType\":\"Bounce\"!\n ",
		"{",
	};
	size_t i;
	char name[32];

	for (i = 0; i < NELEM(bodies); i++) {
		size_t hl = strlen(SES_MAIL_HEADERS), bl = strlen(bodies[i]);
		char *msg = malloc(hl + bl + 1);
		smtpdoc_report *rep;

		if (msg == NULL)
			continue;
		memcpy(msg, SES_MAIL_HEADERS, hl);
		memcpy(msg + hl, bodies[i], bl + 1);
		snprintf(name, sizeof(name), "ses-broken-%zu", i);
		rep = decode(name, msg);
		if (rep) {
			if (rep->count != 0) {
				size_t j;
				fprintf(stderr, "%s: %zu results\n", name, rep->count);
				for (j = 0; j < rep->count; j++)
					fprintf(stderr, "  - %s\n",
						rep->results[j].recipient ? rep->results[j].recipient : "(null)");
			}
			CHECK(rep->count == 0);
			CHECK(rep->kind != SMTPDOC_KIND_BOUNCE);
			CHECK(rep->why != NULL);
			/* a notification that names itself is reported as one
			 * that could not be read, not as an ordinary message */
			if (strstr(bodies[i], "notificationType") || strstr(bodies[i], "\"Notification\"")) {
				CHECK(rep->kind == SMTPDOC_KIND_UNDECODED);
				CHECK(rep->why != NULL && strstr(rep->why, "Amazon SES") != NULL);
			}
		}
		smtpdoc_report_free(rep);
		free(msg);
	}

	/* nesting far beyond any real notification */
	{
		const size_t depth = 5000;
		size_t hl = strlen(SES_MAIL_HEADERS), pre = strlen("{\"notificationType\":\"Bounce\",\"bounce\":");
		char *msg = malloc(hl + pre + 2 * depth + 4);
		smtpdoc_report *rep;
		size_t o = 0, k;

		if (msg != NULL) {
			memcpy(msg, SES_MAIL_HEADERS, hl);
			o = hl;
			memcpy(msg + o, "{\"notificationType\":\"Bounce\",\"bounce\":", pre);
			o += pre;
			for (k = 0; k < depth; k++)
				msg[o++] = '[';
			for (k = 0; k < depth; k++)
				msg[o++] = ']';
			msg[o++] = '}';
			msg[o++] = '\n';
			rep = decode_n("ses-deep", msg, o);
			if (rep) {
				CHECK(rep->count == 0);
				CHECK(rep->kind != SMTPDOC_KIND_BOUNCE);
			}
			smtpdoc_report_free(rep);
			free(msg);
		}
	}
}

/* Look-alikes that the specific decoders must leave alone. */
static void
test_lookalikes(void)
{
	/* X-Failed-Recipients from a Google host, but no Groups help link:
	 * not a Groups refusal (whatever else reads it) */
	static const char not_groups[] =
		"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
		"To: sender@example.net\n"
		"Subject: Delivery Status Notification (Failure)\n"
		"Date: Tue, 14 May 2024 01:45:12 -0700\n"
		"X-Failed-Recipients: user@example.org\n"
		"\n"
		"Delivery to the following recipient failed permanently:\n"
		"\n"
		"     user@example.org\n"
		"\n"
		"Technical details of permanent failure:\n"
		"The email account that you tried to reach does not exist.\n"
		"550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\n";
	/* an fml list's ordinary post: no notice */
	static const char fml_post[] =
		"From: member@example.org\n"
		"To: list@example.org\n"
		"Subject: [list:00123] Meeting on Friday\n"
		"Date: Tue, 14 May 2024 17:45:12 +0900\n"
		"X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]\n"
		"X-ML-Name: list\n"
		"X-Mail-Count: 00123\n"
		"\n"
		"See you all there.\n";
	/* a person writing about a complaint, no reported message */
	static const char complaint_chat[] =
		"From: colleague@example.org\n"
		"To: sender@example.net\n"
		"Subject: complaint about message from yesterday\n"
		"Date: Tue, 14 May 2024 10:45:12 +0200\n"
		"\n"
		"Your newsletter went out twice. Can you check?\n";
	smtpdoc_report *rep;

	rep = decode("not-groups", not_groups);
	if (rep) {
		size_t j;
		for (j = 0; j < rep->count; j++) {
			CHECK(rep->results[j].smtpagent == NULL ||
			      strcmp(rep->results[j].smtpagent, "GoogleGroups") != 0);
			CHECK_STR(rep->results[j].recipient, "user@example.org");
		}
	}
	smtpdoc_report_free(rep);

	rep = decode("fml-post", fml_post);
	if (rep) {
		CHECK(rep->kind == SMTPDOC_KIND_NOT_BOUNCE);
		CHECK(rep->count == 0);
	}
	smtpdoc_report_free(rep);

	rep = decode("complaint-chat", complaint_chat);
	if (rep) {
		CHECK(rep->kind == SMTPDOC_KIND_NOT_BOUNCE);
		CHECK(rep->count == 0);
	}
	smtpdoc_report_free(rep);

	/* people's and shops' mail with delivery words: not bounces, and the
	 * addresses they mention are no failed recipients */
	{
		static const char *const ordinary[] = {
			"From: Alice <alice@example.org>\n"
			"To: Bob <bob@example.net>\n"
			"Subject: About the parcel\n"
			"Date: Tue, 14 May 2024 08:45:10 +0000\n"
			"\n"
			"Hi Bob,\n\nthe parcel could not be delivered yesterday. Could you write\n"
			"to carol@example.com so she can pick it up?\n",
			"From: Shop <news@shop.example.org>\n"
			"To: bob@example.net\n"
			"Subject: Undeliverable parcels: what we do\n"
			"Date: Tue, 14 May 2024 08:45:10 +0000\n"
			"\n"
			"If the delivery failed, contact support@shop.example.org.\n",
			"From: Carol <carol@example.com>\n"
			"To: team@example.org\n"
			"Subject: Re: mail delivery problems on the list\n"
			"Date: Tue, 14 May 2024 08:45:10 +0000\n"
			"\n"
			"dave@example.net says his mail was not delivered; permanent error?\n",
		};
		size_t k;
		for (k = 0; k < NELEM(ordinary); k++) {
			rep = decode("ordinary", ordinary[k]);
			if (rep) {
				if (rep->count)
					fprintf(stderr, "ordinary %zu: %zu results (%s)\n", k, rep->count,
						rep->results[0].recipient ? rep->results[0].recipient : "-");
				CHECK(rep->kind == SMTPDOC_KIND_NOT_BOUNCE);
				CHECK(rep->count == 0);
			}
			smtpdoc_report_free(rep);
		}
	}
}

int
main(void)
{
	test_cases();
	test_details();
	test_broken_json();
	test_lookalikes();
	TEST_MAIN_END();
}
