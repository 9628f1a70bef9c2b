/*
 * test_mime.c - unit tests of the MIME walk (mime.c, mime_header.c,
 * mime_content.c) on small messages written here: multipart splitting
 * (nested parts, a boundary that is a prefix of another, a missing closing
 * delimiter, no delimiter at all, preamble and epilogue, the plain part
 * of a multipart/alternative), header blocks
 * (folding, encoded words, raw 8-bit text, a broken line in the middle, no
 * header at all), transfer encodings and charsets, HTML, the returned
 * message in its three forms (message/rfc822, text/rfc822-headers, a .eml
 * attachment), a bounce forwarded as an attachment, multipart/digest, the
 * text cap, and Content-Type values read without GMime compared with
 * GMime's own parse.
 */
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "internal.h"
#include "mime_internal.h"
#include "testutil.h"

typedef struct view_fixture {
	sd_arena *arena;
	sd_msgview view;
	smtpdoc_status st;
} view_fixture;

static void
read_view(view_fixture *f, const char *msg)
{
	f->arena = sd_arena_new();
	f->st = sd_mime_read(msg, strlen(msg), f->arena, &f->view);
}

static void
done_view(view_fixture *f)
{
	sd_arena_free(f->arena);
}

static int
has(const char *text, const char *needle)
{
	return text != NULL && strstr(text, needle) != NULL;
}

static void
test_report_parts(void)
{
	view_fixture f;
	read_view(&f, "From: MAILER-DAEMON@mx.example.org\n"
		      "Subject: Undelivered Mail\n"
		      "Content-Type: multipart/report; report-type=delivery-status;\n"
		      "\tboundary=\"B1\"\n"
		      "\n"
		      "preamble text that is not read\n"
		      "--B1\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "The mail system could not deliver it.\n"
		      "--B1\n"
		      "Content-Type: message/delivery-status\n"
		      "\n"
		      "Reporting-MTA: dns; mx.example.org\n"
		      "\n"
		      "Final-Recipient: rfc822; bob@example.com\n"
		      "Status: 5.1.1\n"
		      "\n"
		      "--B1\n"
		      "Content-Type: message/rfc822\n"
		      "\n"
		      "From: alice@example.net\n"
		      "Subject: Lunch\n"
		      "Message-ID: <m1@example.net>\n"
		      "\n"
		      "Shall we?\n"
		      "--B1--\n"
		      "epilogue not read\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK(f.view.is_multipart_report);
	CHECK(has(f.view.body, "could not deliver it"));
	CHECK(!has(f.view.body, "preamble"));
	CHECK(!has(f.view.body, "epilogue"));
	CHECK(!has(f.view.body, "Shall we"));
	CHECK(has(f.view.dsn, "Final-Recipient: rfc822; bob@example.com"));
	CHECK(f.view.has_orig);
	CHECK_STR(sd_headers_get(&f.view.orig, "Subject"), "Lunch");
	CHECK_STR(sd_headers_get(&f.view.orig, "Message-ID"), "<m1@example.net>");
	CHECK_STR(sd_headers_get(&f.view.top, "Subject"), "Undelivered Mail");
	done_view(&f);
}

static void
test_nested_and_prefix_boundaries(void)
{
	view_fixture f;
	/* the inner boundary starts with the outer one: only whole
	 * delimiter lines split */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/mixed; boundary=outer\n"
		      "\n"
		      "--outer\n"
		      "Content-Type: multipart/alternative; boundary=outer-2\n"
		      "\n"
		      "--outer-2\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "plain alternative\n"
		      "--outer-2\n"
		      "Content-Type: image/png\n"
		      "\n"
		      "not text at all\n"
		      "--outer-2--\n"
		      "--outer\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "second outer part\n"
		      "--outer--\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK(has(f.view.body, "plain alternative\n"));
	CHECK(has(f.view.body, "second outer part\n"));
	CHECK(!has(f.view.body, "not text at all"));
	CHECK(!has(f.view.body, "--outer"));
	done_view(&f);
}

static void
test_alternative(void)
{
	view_fixture f;
	/* the plain twin is read, the HTML one (listed first) is not */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/alternative; boundary=alt\n"
		      "\n"
		      "--alt\n"
		      "Content-Type: text/html\n"
		      "\n"
		      "<p>html twin</p>\n"
		      "--alt\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "plain twin\n"
		      "--alt--\n");
	CHECK(has(f.view.body, "plain twin"));
	CHECK(!has(f.view.body, "html twin"));
	done_view(&f);

	/* no plain part: every alternative is read */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/alternative; boundary=alt\n"
		      "\n"
		      "--alt\n"
		      "Content-Type: text/html\n"
		      "\n"
		      "<p>only html</p>\n"
		      "--alt\n"
		      "Content-Type: text/enriched\n"
		      "\n"
		      "enriched text\n"
		      "--alt--\n");
	CHECK(has(f.view.body, "only html"));
	CHECK(has(f.view.body, "enriched text"));
	done_view(&f);
}

static void
test_missing_delimiters(void)
{
	view_fixture f;
	/* no closing delimiter: the last part runs to the end */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/mixed; boundary=\"x y\"\n"
		      "\n"
		      "--x y\n"
		      "\n"
		      "a part without headers\n"
		      "--x y   \n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "last part, never closed\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK(has(f.view.body, "a part without headers\n"));
	CHECK(has(f.view.body, "last part, never closed\n"));
	done_view(&f);

	/* the boundary never appears: the raw body is read as text */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/mixed; boundary=nowhere\n"
		      "\n"
		      "550 5.1.1 <bob@example.com>: user unknown\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK(has(f.view.body, "user unknown"));
	done_view(&f);
}

static void
test_headers(void)
{
	view_fixture f;
	read_view(&f, "From: =?UTF-8?B?TWFpbCBEZWxpdmVyeSBTeXN0ZW0=?= <mailer-daemon@example.org>\n"
		      "Subject: Delivery\n"
		      " Status\tNotification\n"
		      "this line is broken and skipped\n"
		      "X-Caf\xc3\xa9: raw UTF-8 caf\xc3\xa9\n"
		      "To : sender@example.net\n"
		      "\n"
		      "body\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK_STR(sd_headers_get(&f.view.top, "From"), "Mail Delivery System <mailer-daemon@example.org>");
	CHECK_STR(sd_headers_get(&f.view.top, "Subject"), "Delivery Status Notification");
	CHECK_STR(sd_headers_get(&f.view.top, "To"), "sender@example.net");
	CHECK_STR(sd_headers_get(&f.view.top, "this line is broken and skipped"), NULL);
	CHECK(has(f.view.body, "body"));
	done_view(&f);

	/* a first line that is no header: not a mail message */
	read_view(&f, "just some text\nFrom: a@example.org\n\nbody\n");
	CHECK(f.st == SMTPDOC_ENOTMAIL);
	done_view(&f);
}

static void
test_encodings_and_charsets(void)
{
	view_fixture f;
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/mixed; boundary=b\n"
		      "\n"
		      "--b\n"
		      "Content-Type: text/plain; charset=iso-8859-1\n"
		      "Content-Transfer-Encoding: base64\n"
		      "\n"
		      "TWFpbGJveCBwbGVpbiDgIGNldXgtY2kNCnNlY29uZCBsaW5lDQo=\n"
		      "--b\n"
		      "Content-Type: text/plain; charset=\"utf-8\"\n"
		      "Content-Transfer-Encoding: quoted-printable\n"
		      "\n"
		      "Boite pleine =E2=80=94 quota d=C3=A9pass=C3=A9, soft=\n"
		      "break joined\n"
		      "--b\n"
		      "Content-Type: text/plain; charset=x-no-such-charset\n"
		      "\n"
		      "unknown charset kept as is\n"
		      "--b--\n");
	CHECK(f.st == SMTPDOC_OK);
	/* base64 of "Mailbox plein \xe0 ceux-ci\r\nsecond line\r\n" */
	CHECK(has(f.view.body, "Mailbox plein \xc3\xa0 ceux-ci\nsecond line\n"));
	CHECK(!has(f.view.body, "\r"));
	CHECK(has(f.view.body, "Boite pleine \xe2\x80\x94 quota d\xc3\xa9pass\xc3\xa9, softbreak joined"));
	CHECK(has(f.view.body, "unknown charset kept as is"));
	done_view(&f);

	/* uuencoded text ("hello uu\n") */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: text/plain\n"
		      "Content-Transfer-Encoding: x-uuencode\n"
		      "\n"
		      "begin 644 note.txt\n"
		      "):&5L;&\\@=74*\n"
		      "`\n"
		      "end\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK(has(f.view.body, "hello uu"));
	done_view(&f);
}

static void
test_html(void)
{
	view_fixture f;
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: text/html; charset=us-ascii\n"
		      "\n"
		      "<html><body><p>Delivery to <b>bob@example.com</b> failed:</p>"
		      "<div>550 Mailbox &lt;bob&gt; unavailable &amp; gone</div></body></html>\n");
	CHECK(f.st == SMTPDOC_OK);
	CHECK(has(f.view.body, "bob@example.com"));
	CHECK(has(f.view.body, "550 Mailbox <bob> unavailable & gone"));
	CHECK(!has(f.view.body, "<div>"));
	done_view(&f);
}

static void
test_returned_message_forms(void)
{
	view_fixture f;
	/* text/rfc822-headers, with an encoded Subject */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/report; boundary=r\n"
		      "\n"
		      "--r\n"
		      "Content-Type: text/rfc822-headers\n"
		      "\n"
		      "From: alice@example.net\n"
		      "Subject: =?UTF-8?Q?Caf=C3=A9?=\n"
		      "\n"
		      "--r--\n");
	CHECK(f.view.has_orig);
	CHECK_STR(sd_headers_get(&f.view.orig, "Subject"), "Caf\xc3\xa9");
	done_view(&f);

	/* a text attachment named .eml, base64-encoded */
	read_view(&f, "From: postmaster@example.org\n"
		      "Content-Type: multipart/mixed; boundary=m\n"
		      "\n"
		      "--m\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "Your message was not delivered.\n"
		      "--m\n"
		      "Content-Type: text/plain; name=\"original.eml\"\n"
		      "Content-Disposition: attachment; filename=\"original.eml\"\n"
		      "Content-Transfer-Encoding: base64\n"
		      "\n"
		      "U3ViamVjdDogUXVhcnRlcmx5IHJlcG9ydA0KRnJvbTogYWxpY2VAZXhhbXBsZS5uZXQNCg0KYm9keQ0K\n"
		      "--m--\n");
	CHECK(f.view.has_orig);
	CHECK_STR(sd_headers_get(&f.view.orig, "Subject"), "Quarterly report");
	CHECK(!has(f.view.body, "Quarterly"));
	done_view(&f);
}

static void
test_forwarded_report_and_digest(void)
{
	view_fixture f;
	/* a bounce forwarded as an attachment: its report is read */
	read_view(&f, "From: helpdesk@example.net\n"
		      "Subject: Fwd: Undelivered Mail\n"
		      "Content-Type: multipart/mixed; boundary=fwd\n"
		      "\n"
		      "--fwd\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "See below.\n"
		      "--fwd\n"
		      "Content-Type: message/rfc822\n"
		      "\n"
		      "From: MAILER-DAEMON@mx.example.org\n"
		      "Content-Type: multipart/report; boundary=in\n"
		      "\n"
		      "--in\n"
		      "Content-Type: message/delivery-status\n"
		      "\n"
		      "Final-Recipient: rfc822; carol@example.com\n"
		      "Status: 5.2.2\n"
		      "--in--\n"
		      "--fwd--\n");
	CHECK(f.view.is_multipart_report);
	CHECK(has(f.view.dsn, "carol@example.com"));
	done_view(&f);

	/* in a digest a part without Content-Type is a message */
	read_view(&f, "From: list@example.org\n"
		      "Content-Type: multipart/digest; boundary=d\n"
		      "\n"
		      "--d\n"
		      "Content-Type: text/plain\n"
		      "\n"
		      "Digest of today\n"
		      "--d\n"
		      "\n"
		      "From: dave@example.net\n"
		      "Subject: digest item\n"
		      "\n"
		      "item body\n"
		      "--d--\n");
	CHECK(f.view.has_orig);
	CHECK_STR(sd_headers_get(&f.view.orig, "Subject"), "digest item");
	CHECK(!has(f.view.body, "item body"));
	done_view(&f);
}

static void
test_text_cap(void)
{
	view_fixture f;
	size_t big = SD_MAX_TEXT_BYTES + 100000, i;
	const char *head = "From: postmaster@example.org\nContent-Type: text/plain\n\n";
	char *msg = malloc(strlen(head) + big + 1);

	CHECK(msg != NULL);
	if (msg == NULL)
		return;
	strcpy(msg, head);
	for (i = 0; i < big; i++)
		msg[strlen(head) + i] = (i % 64 == 63) ? '\n' : 'x';
	msg[strlen(head) + big] = '\0';
	read_view(&f, msg);
	CHECK(f.st == SMTPDOC_OK);
	CHECK(f.view.body_len <= SD_MAX_TEXT_BYTES);
	CHECK(f.view.truncated);
	done_view(&f);
	free(msg);
}

/* Content-Type values read by the plain parser give what GMime gives. */
static void
test_ctype_against_gmime(void)
{
	static const char *const values[] = {
		"text/plain",
		"TEXT/Plain; Charset=ISO-8859-1",
		"multipart/report; report-type=delivery-status;\n\tboundary=\"=_b-1.2/3\"",
		"multipart/mixed; boundary=\"with \\\"quote\\\" inside\"",
		"text/plain; charset=\"utf-8\"; name=\"a b.eml\";",
		"message/delivery-status",
		"text/plain; charset*=us-ascii'en'utf-8",
		"text/plain; name*0=\"part\"; name*1=\"ed.eml\"",
		"text/plain (a comment); charset=utf-8",
		"text/plain; name=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.eml?=\"",
		"multipart/alternative;boundary=abc;charset=koi8-r",
		"application/octet-stream; name=x.bin",
	};
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		sd_arena *a = sd_arena_new();
		sd_mime_fields mf;
		sd_ctype ct;
		char *unfolded = g_mime_utils_header_unfold(values[i]);
		GMimeContentType *g = g_mime_content_type_parse(NULL, unfolded);
		char *gt = g_ascii_strdown(g_mime_content_type_get_media_type(g), -1);
		char *gs = g_ascii_strdown(g_mime_content_type_get_media_subtype(g), -1);

		memset(&mf, 0, sizeof(mf));
		mf.ctype = values[i];
		mf.ctype_len = strlen(values[i]);
		sd_mime_parse_ctype(a, &mf, "text", "plain", &ct);
		CHECK_STR(ct.type, gt);
		CHECK_STR(ct.sub, gs);
		CHECK_STR(ct.boundary, g_mime_content_type_get_parameter(g, "boundary"));
		CHECK_STR(ct.charset, g_mime_content_type_get_parameter(g, "charset"));
		CHECK_STR(ct.name, g_mime_content_type_get_parameter(g, "name"));
		g_free(gt);
		g_free(gs);
		g_free(unfolded);
		g_object_unref(g);
		sd_arena_free(a);
	}
}

int
main(void)
{
	sd_mime_init();
	test_report_parts();
	test_nested_and_prefix_boundaries();
	test_missing_delimiters();
	test_alternative();
	test_headers();
	test_encodings_and_charsets();
	test_html();
	test_returned_message_forms();
	test_forwarded_report_and_digest();
	test_text_cap();
	test_ctype_against_gmime();
	TEST_MAIN_END();
}
