/*
 * test_smtp_reply.c - unit tests of the SMTP probe's pure parts: the reply
 * reader (smtp_reply.c) fed whole, byte by byte and in odd pieces, with
 * every way a reply can be wrong; the EHLO keywords (smtp_ehlo.c); reply
 * formatting; the seconds in messages; and the argument checks of the
 * session (smtp_session.c), against a listener of the test's own on
 * 127.0.0.1 that never answers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smtp_net.h"
#include "smtp_probe.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the reader: good replies ------------------------------------------ */

static const struct {
	const char *in;
	int code;
	const char *status;
	const char *text;
	unsigned lines;
} good_cases[] = {
	{"220 mx.example ESMTP\r\n", 220, "", "mx.example ESMTP", 1},
	{"250-mx\r\n250-SIZE 100\r\n250 8BITMIME\r\n", 250, "", "mx\nSIZE 100\n8BITMIME", 3},
	{"550 5.1.1 <a@b.test>: no such user\r\n", 550, "5.1.1", "<a@b.test>: no such user", 1},
	/* RFC 2034: the code starts every line; kept once */
	{"550-5.1.1 first\r\n550 5.1.1 second\r\n", 550, "5.1.1", "first\nsecond", 2},
	/* only an identical repeat is removed */
	{"550-5.1.1 a\r\n550 5.7.1 b\r\n", 550, "5.1.1", "a\n5.7.1 b", 2},
	/* the class must be the reply code's */
	{"550 4.1.1 mismatch\r\n", 550, "", "4.1.1 mismatch", 1},
	{"250 2.0.0\r\n", 250, "2.0.0", "", 1},
	{"554 5.7.606 Access denied\r\n", 554, "5.7.606", "Access denied", 1},
	{"550 5.1.10 RESOLVER.ADR.RecipientNotFound\r\n", 550, "5.1.10",
	 "RESOLVER.ADR.RecipientNotFound", 1},
	{"250 2.1.5x not a code\r\n", 250, "", "2.1.5x not a code", 1},
	/* a last line of only the code */
	{"250\r\n", 250, "", "", 1},
	{"250-a\r\n250\r\n", 250, "", "a", 2},
	/* bare LF line ends */
	{"220 hi\n", 220, "", "hi", 1},
	/* control characters become '?', a CR inside a line too */
	{"550 bad\001char\r\n", 550, "", "bad?char", 1},
	{"250 a\rb\r\n", 250, "", "a?b", 1},
	{"250 tab\there\r\n", 250, "", "tab\there", 1},
	/* codes of later lines that differ are tolerated */
	{"250-a\r\n251 b\r\n", 250, "", "a\nb", 2},
	/* UTF-8 passes unchanged */
	{"550 5.1.1 Benutzer \xc3\xbc unbekannt\r\n", 550, "5.1.1", "Benutzer \xc3\xbc unbekannt", 1},
};

/* Feed in pieces of size step (0: all at once); 1 when the reply came. */
static int
feed_all(sd_smtp_reader *rd, const char *in, size_t len, size_t step, sd_smtp_reply *out,
	 size_t *consumed)
{
	size_t off = 0;

	*consumed = 0;
	while (off < len) {
		size_t n = step == 0 || step > len - off ? len - off : step, used;
		int rc = sd_smtp_reader_feed(rd, in + off, n, &used);

		off += used;
		*consumed = off;
		if (rc < 0)
			return -1;
		if (rc == 1) {
			CHECK(sd_smtp_reader_take(rd, out) == 0);
			return 1;
		}
		CHECK(used == n);
	}
	return 0;
}

static void
test_good(void)
{
	static const size_t steps[] = {0, 1, 2, 3, 7};
	size_t i, k;

	for (i = 0; i < NELEM(good_cases); i++) {
		for (k = 0; k < NELEM(steps); k++) {
			sd_smtp_reader rd;
			sd_smtp_reply r = {0};
			size_t used, len = strlen(good_cases[i].in);
			int rc;

			sd_smtp_reader_init(&rd);
			rc = feed_all(&rd, good_cases[i].in, len, steps[k], &r, &used);
			if (rc != 1) {
				fprintf(stderr, "case %zu step %zu: no reply (rc %d, %s)\n", i, steps[k],
					rc, rd.why);
				CHECK(rc == 1);
				continue;
			}
			CHECK(used == len);
			CHECK(r.code == good_cases[i].code);
			CHECK_STR(r.status, good_cases[i].status);
			CHECK_STR(r.text, good_cases[i].text);
			CHECK(r.len == strlen(good_cases[i].text));
			CHECK(r.lines == good_cases[i].lines);
			CHECK(r.truncated == 0);
			CHECK(!sd_smtp_reader_busy(&rd));
			sd_smtp_reply_clear(&r);
			CHECK(r.text == NULL && r.code == 0);
		}
	}
}

/* ---- the reader: what is not a reply ------------------------------------ */

static const struct {
	const char *in;
	const char *why; /* the start of the reason */
} bad_cases[] = {
	{"HTTP/1.1 400 Bad Request\r\n", "reply is not SMTP: \"HTTP/1.1 400 Bad Request\""},
	{"SSH-2.0-OpenSSH_9.2\r\n", "reply is not SMTP: \"SSH-2.0-OpenSSH_9.2\""},
	{"2\r\n", "reply is not SMTP: \"2\""},
	{"22\r\n", "reply is not SMTP: \"22\""},
	{"220x hello\r\n", "reply is not SMTP: \"220x hello\""},
	{"199 no\r\n", "reply is not SMTP: \"1"},
	{"600 no\r\n", "reply is not SMTP: \"6"},
	{"260 no\r\n", "reply is not SMTP: \"26"},
	{"\r\n", "reply is not SMTP: an empty line"},
	{"250-ok\r\n\r\n", "reply is not SMTP: an empty line"},
	{"250-ok\r\nxyz\r\n", "reply is not SMTP: \"x"},
	/* a TLS record where a reply should be: refused when it stops */
	{"\x16\x03\x01\x02\x01", "reply is not SMTP: \"?????\""},
	/* a long bad line is refused after its first bytes */
	{"GET / HTTP/1.1 and a long long long long line of no end", "reply is not SMTP: \"GET / HTTP/1.1 and a long long long long line of...\""},
};

static void
test_bad(void)
{
	size_t i, k;

	for (i = 0; i < NELEM(bad_cases); i++) {
		for (k = 0; k < 2; k++) {
			sd_smtp_reader rd;
			sd_smtp_reply r = {0};
			size_t used;
			int rc;

			sd_smtp_reader_init(&rd);
			rc = feed_all(&rd, bad_cases[i].in, strlen(bad_cases[i].in), k, &r, &used);
			if (rc == 0) /* the server stopped in the middle of the line */
				rc = sd_smtp_reader_end(&rd);
			CHECK(rc == -1);
			if (strncmp(rd.why, bad_cases[i].why, strlen(bad_cases[i].why)) != 0)
				fprintf(stderr, "bad case %zu: why \"%s\", want \"%s...\"\n", i, rd.why,
					bad_cases[i].why);
			CHECK(strncmp(rd.why, bad_cases[i].why, strlen(bad_cases[i].why)) == 0);
			/* the reader stays in error */
			CHECK(sd_smtp_reader_feed(&rd, "250 ok\r\n", 8, &used) == -1 && used == 0);
			sd_smtp_reply_clear(&r);
		}
	}
}

/* ---- the reader: limits -------------------------------------------------- */

static void
test_limits(void)
{
	sd_smtp_reader rd;
	sd_smtp_reply r = {0};
	size_t used, i, n;
	char *big;
	int rc;

	/* a line of 1 MiB: an error once SD_SMTP_LINE_MAX is passed */
	n = 1024 * 1024;
	big = malloc(n + 8);
	CHECK(big != NULL);
	if (big == NULL)
		return;
	memcpy(big, "250-", 4);
	memset(big + 4, 'x', n);
	memcpy(big + 4 + n, "\r\n", 2);
	sd_smtp_reader_init(&rd);
	rc = sd_smtp_reader_feed(&rd, big, n + 6, &used);
	CHECK(rc == -1);
	CHECK(used <= SD_SMTP_LINE_MAX + 1);
	CHECK_STR(rd.why, "reply line longer than 16384 bytes");

	/* a line just at the limit is fine, and its text is cut */
	sd_smtp_reader_init(&rd);
	memcpy(big, "250 ", 4);
	memset(big + 4, 'y', SD_SMTP_LINE_MAX - 4);
	memcpy(big + SD_SMTP_LINE_MAX, "\r\n", 2);
	rc = sd_smtp_reader_feed(&rd, big, SD_SMTP_LINE_MAX + 2, &used);
	CHECK(rc == 1);
	CHECK(sd_smtp_reader_take(&rd, &r) == 0);
	CHECK(r.len == SD_SMTP_TEXT_MAX);
	CHECK(r.truncated == 1);
	sd_smtp_reply_clear(&r);

	/* many lines: truncated text, then an error past SD_SMTP_LINES_MAX */
	sd_smtp_reader_init(&rd);
	for (i = 0, rc = 0; i < SD_SMTP_LINES_MAX + 5 && rc == 0; i++)
		rc = sd_smtp_reader_feed(&rd, "250-FLOOD of lines and more lines\r\n", 35, &used);
	CHECK(rc == -1);
	CHECK(i == SD_SMTP_LINES_MAX);
	CHECK_STR(rd.why, "reply of more than 1000 lines");

	/* ten lines of 1000 bytes: kept up to SD_SMTP_TEXT_MAX */
	sd_smtp_reader_init(&rd);
	memset(big, 'z', 1000);
	for (i = 0, rc = 0; i < 10 && rc == 0; i++) {
		rc = sd_smtp_reader_feed(&rd, i == 9 ? "550 " : "550-", 4, &used);
		if (rc == 0)
			rc = sd_smtp_reader_feed(&rd, big, 1000, &used);
		if (rc == 0)
			rc = sd_smtp_reader_feed(&rd, "\r\n", 2, &used);
	}
	CHECK(rc == 1);
	CHECK(sd_smtp_reader_take(&rd, &r) == 0);
	CHECK(r.truncated == 1 && r.len == SD_SMTP_TEXT_MAX && r.lines == 10 && r.code == 550);
	sd_smtp_reply_clear(&r);
	free(big);
}

/* Two replies in one piece of input: the first stops where it ends. */
static void
test_two_replies(void)
{
	const char *in = "250 a\r\n251 b\r\n";
	sd_smtp_reader rd;
	sd_smtp_reply r = {0};
	size_t used;

	sd_smtp_reader_init(&rd);
	CHECK(sd_smtp_reader_feed(&rd, in, strlen(in), &used) == 1);
	CHECK(used == 7);
	CHECK(sd_smtp_reader_take(&rd, &r) == 0);
	CHECK(r.code == 250);
	CHECK_STR(r.text, "a");
	sd_smtp_reply_clear(&r);
	CHECK(sd_smtp_reader_feed(&rd, in + 7, strlen(in) - 7, &used) == 1);
	CHECK(sd_smtp_reader_take(&rd, &r) == 0);
	CHECK(r.code == 251);
	CHECK_STR(r.text, "b");
	sd_smtp_reply_clear(&r);

	/* half a reply: busy, nothing yet, nothing wrong so far */
	CHECK(sd_smtp_reader_feed(&rd, "250-x\r\n25", 9, &used) == 0);
	CHECK(used == 9);
	CHECK(sd_smtp_reader_busy(&rd));
	CHECK(sd_smtp_reader_end(&rd) == 0);
}

/* ---- formatting and copying --------------------------------------------- */

static void
test_format(void)
{
	sd_smtp_reply r = {0}, c = {0};
	char buf[64], small[12];

	r.code = 550;
	memcpy(r.status, "5.1.1", 6);
	r.text = "no such\nuser";
	r.len = strlen(r.text);
	CHECK_STR(sd_smtp_reply_format(&r, buf, sizeof(buf)), "550 5.1.1 no such user");
	CHECK_STR(sd_smtp_reply_format(&r, small, sizeof(small)), "550 5.1.1 n");
	CHECK(sd_smtp_reply_copy(&c, &r) == 0);
	CHECK(c.text != r.text);
	CHECK_STR(c.text, r.text);
	CHECK(c.code == 550);
	sd_smtp_reply_clear(&c);
	r.status[0] = '\0';
	r.text = "";
	r.len = 0;
	CHECK_STR(sd_smtp_reply_format(&r, buf, sizeof(buf)), "550");
	CHECK_STR(sd_smtp_reply_format(NULL, buf, sizeof(buf)), "");
	sd_smtp_reply_clear(NULL);
}

/* ---- EHLO keywords ------------------------------------------------------- */

static void
ehlo(const char *text, int code, sd_smtp_features *f)
{
	sd_smtp_reply r = {0};

	r.code = code;
	r.text = (char *)text;
	r.len = strlen(text);
	sd_smtp_features_parse(&r, f);
}

static void
test_ehlo(void)
{
	sd_smtp_features f;

	ehlo("mx.example Hello\nPIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN\nAUTH=LOGIN CRAM-MD5\n"
	     "starttls\n8BITMIME\nSMTPUTF8\nCHUNKING\nDSN\nENHANCEDSTATUSCODES",
	     250, &f);
	CHECK(f.esmtp == 1);
	CHECK(f.pipelining == 1 && f.starttls == 1 && f.eightbitmime == 1 && f.smtputf8 == 1);
	CHECK(f.chunking == 1 && f.dsn == 1 && f.enhancedstatuscodes == 1);
	CHECK(f.size_offered == 1 && f.size == 10240000ULL);
	CHECK_STR(f.auth, "PLAIN LOGIN CRAM-MD5");

	/* a keyword on the first line is the server's name, not a keyword */
	ehlo("STARTTLS\nSIZE", 250, &f);
	CHECK(f.starttls == 0);
	CHECK(f.size_offered == 1 && f.size == 0);
	CHECK_STR(f.auth, "");

	ehlo("mx\nauth plain\nSIZE 99999999999999999999999", 250, &f);
	CHECK_STR(f.auth, "PLAIN");
	CHECK(f.size == ~0ULL);

	/* keywords only match whole */
	ehlo("mx\nSTARTTLSX\nXSIZE 5\nAUTHX PLAIN", 250, &f);
	CHECK(f.starttls == 0 && f.size_offered == 0);
	CHECK_STR(f.auth, "");

	/* a refused EHLO announces nothing */
	ehlo("mx\nSTARTTLS", 502, &f);
	CHECK(f.esmtp == 0 && f.starttls == 0);
	ehlo("mx", 250, &f);
	CHECK(f.esmtp == 1 && f.starttls == 0);
}

/* ---- names and seconds ---------------------------------------------------- */

static void
test_names(void)
{
	char buf[32];

	sd_smtp_seconds(10000, buf, sizeof(buf));
	CHECK_STR(buf, "10 s");
	sd_smtp_seconds(1500, buf, sizeof(buf));
	CHECK_STR(buf, "1.5 s");
	sd_smtp_seconds(250, buf, sizeof(buf));
	CHECK_STR(buf, "0.25 s");
	sd_smtp_seconds(1001, buf, sizeof(buf));
	CHECK_STR(buf, "1.001 s");
	CHECK_STR(sd_smtp_error_name(SD_SMTP_EREFUSED), "refused");
	CHECK_STR(sd_smtp_error_name(SD_SMTP_EINVAL), "invalid");
	CHECK_STR(sd_smtp_error_name((sd_smtp_error)99), "unknown");
	CHECK_STR(sd_smtp_stage_name(SD_SMTP_RCPT), "RCPT");
	CHECK_STR(sd_smtp_stage_name(SD_SMTP_TLS_HANDSHAKE), "TLS handshake");
	CHECK_STR(sd_tcp_reach_name(SD_TCP_TIMEOUT), "timeout");
}

/* ---- session arguments, against a listener that never answers ------------ */

static void
test_session_args(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	sd_smtp_options o;
	sd_smtp_session *s;
	char err[256], port[8];
	int l;

	s = sd_smtp_session_new("mx.example.com", 25, NULL, err, sizeof(err));
	CHECK(s == NULL);
	CHECK_STR(err, "not a numeric IP address: mx.example.com");
	sd_smtp_options_init(&o);
	o.mail_from = "a@b.test>\r\nDATA";
	s = sd_smtp_session_new("127.0.0.1", 25, &o, err, sizeof(err));
	CHECK(s == NULL);

	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CHECK(listen(l, 4) == 0);
	CHECK(getsockname(l, (struct sockaddr *)&sin, &len) == 0);
	snprintf(port, sizeof(port), "%u", ntohs(sin.sin_port));

	sd_smtp_options_init(&o);
	o.banner_ms = 50;
	s = sd_smtp_session_new("127.0.0.1", (unsigned)atoi(port), &o, err, sizeof(err));
	CHECK(s != NULL);
	if (s != NULL) {
		const sd_smtp_result *res;

		CHECK(sd_smtp_session_add_rcpt(s, "ok@example.test", NULL) == 0);
		CHECK(sd_smtp_session_add_rcpt(s, "bad@example.test\r\nDATA", NULL) == -1);
		CHECK(sd_smtp_session_add_rcpt(s, "bad\n@example.test", NULL) == -1);
		CHECK(sd_smtp_session_add_rset(s) == 0);
		sd_smtp_session_finish(s);
		CHECK(sd_smtp_session_add_rcpt(s, "late@example.test", NULL) == -1);
		CHECK(sd_smtp_session_run(s) == SD_SMTP_ETIMEOUT);
		res = sd_smtp_session_result(s);
		CHECK(res->stage == SD_SMTP_BANNER);
		CHECK(res->connected == 1 && res->connections == 1);
		CHECK_STR(res->why, "timeout waiting for the banner after 0.05 s");
		CHECK(sd_smtp_session_fd(s) == -1 && sd_smtp_session_events(s) == 0);
		CHECK(sd_smtp_session_timeout_ms(s) == -1);
		CHECK(sd_smtp_session_step(s, 0) == 0);
		sd_smtp_session_free(s);
	}
	close(l);
	sd_smtp_session_free(NULL);
}

int
main(void)
{
	test_good();
	test_bad();
	test_limits();
	test_two_replies();
	test_format();
	test_ehlo();
	test_names();
	test_session_args();
	TEST_MAIN_END();
}
