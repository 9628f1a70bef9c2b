/*
 * test_status.c - unit tests of status.c: sd_find_status (RFC 3463
 * class.subject.detail codes in free text), sd_find_error_status (the same,
 * skipping 2.x.x success codes), sd_find_replycode (RFC 5321 reply codes at
 * plausible positions only: never digits inside IP addresses, times, dates
 * or longer numbers), sd_reason_from_status with its `specific` flag, and
 * sd_pseudo_status (the class.0.9xx codes, class from the temporary flag).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- sd_find_status ---------------------------------------------------- */

/* want NULL: no code must be found */
static const struct {
	const char *in;
	const char *want;
} status_cases[] = {
	/* RFC 3463: class "." subject "." detail, class 2, 4 or 5,
	 * subject and detail 1 to 3 digits */
	{"5.1.1", "5.1.1"},
	{"4.4.7", "4.4.7"},
	{"2.0.0", "2.0.0"},
	{"5.7.26", "5.7.26"},
	{"5.7.606", "5.7.606"},
	{"5.123.456", "5.123.456"},
	{"Status: 5.1.1", "5.1.1"},
	{"Status:5.2.2", "5.2.2"},
	{"550 5.1.1 <user@example.org>: Recipient address rejected", "5.1.1"},
	{"552 5.2.2 Mailbox full (5.2.2)", "5.2.2"},
	{"refused (5.7.1)", "5.7.1"},
	{"code 5.1.1, user unknown", "5.1.1"},
	{"the code was 5.1.1.", "5.1.1"},      /* sentence end */
	{"said: \"5.4.4 no route\"", "5.4.4"},
	{"first 4.2.2 then 5.1.1", "4.2.2"},  /* the first one wins */
	{"line one\n5.1.1 on line two", "5.1.1"},
	{"\t5.3.4\tmessage too big", "5.3.4"},
	/* qmail: "Sorry, no mailbox here by that name. (#5.1.1)" */
	{"Sorry, no mailbox here by that name. (#5.1.1)", "5.1.1"},
	{"(#4.3.0)", "4.3.0"},
	{"ticket#5.1.1", NULL},               /* a '#' inside a token */
	/* not status codes */
	{"5.1", NULL},                        /* detail missing */
	{"5.1.", NULL},
	{"5..1", NULL},
	{".1.1", NULL},
	{"5.x.1", NULL},
	{"6.1.1", NULL},                      /* no class 6 */
	{"3.1.1", NULL},                      /* no class 3 */
	{"1.2.3", NULL},
	{"0.0.0", NULL},
	{"5.1234.1", NULL},                   /* subject has at most 3 digits */
	{"5.1.1000", NULL},                   /* detail has at most 3 digits */
	{"x5.1.1", NULL},                     /* inside a word */
	{"v5.1.1", NULL},
	{"version-5.1.1", NULL},
	{"file/5.1.1", NULL},
	/* inside longer dotted numbers (IP addresses, versions, dates) */
	{"5.1.1.2", NULL},
	{"connect to 192.0.2.5.1.1", NULL},
	{"host [192.0.2.4] refused", NULL},
	{"from 10.5.1.1 port 25", NULL},
	{"via 4.2.2.1", NULL},                /* an IP address, not 4.2.2 */
	{"on 5.10.2023", NULL},               /* a date d.mm.yyyy */
	{"release 15.1.1", NULL},
	{"", NULL},
	{"550 Requested action not taken", NULL},
};

static void
test_find_status(void)
{
	char out[16];
	size_t i;

	for (i = 0; i < NELEM(status_cases); i++) {
		const char *in = status_cases[i].in;
		int got;

		memset(out, 'X', sizeof(out));
		out[15] = '\0';
		got = sd_find_status(in, strlen(in), out);
		if (status_cases[i].want == NULL) {
			if (got)
				fprintf(stderr, "sd_find_status(\"%s\"): got \"%s\", want none\n", in, out);
			CHECK(got == 0);
		} else {
			if (!got)
				fprintf(stderr, "sd_find_status(\"%s\"): got none, want \"%s\"\n", in,
					status_cases[i].want);
			CHECK(got == 1);
			CHECK_STR(got ? out : NULL, status_cases[i].want);
		}
	}

	/* the length bounds the search: nothing past len is read */
	CHECK(sd_find_status("5.1.1", 4, out) == 0);
	CHECK(sd_find_status("5.1.1", 0, out) == 0);
	CHECK(sd_find_status("xx 5.1.1", 5, out) == 0);
	CHECK(sd_find_status("5.2.2 and more", 5, out) == 1);
	CHECK_STR(out, "5.2.2");
	CHECK(sd_find_status(NULL, 10, out) == 0);

	/* the first line of a multi-line reply carries the code after '-' */
	CHECK(sd_find_status("550-5.7.1 Relaying denied", 25, out) == 1);
	CHECK_STR(out, "5.7.1");
	/* but not a code glued to a word by '-' */
	CHECK(sd_find_status("version-5.1.1 here", 18, out) == 0);
	/* Exchange 2003 writes the code after '#' inside angle brackets */
	CHECK(sd_find_status("<mx.example.org #5.1.1>", 23, out) == 1);
	CHECK_STR(out, "5.1.1");
	CHECK(sd_find_status("(#5.4.4)", 8, out) == 1);
	CHECK_STR(out, "5.4.4");
	CHECK(sd_find_status("id#5.1.1", 8, out) == 0);
}

/* ---- sd_find_error_status ----------------------------------------------- */

static const struct {
	const char *in;
	const char *want;
} error_status_cases[] = {
	{"5.1.1", "5.1.1"},
	{"4.2.2 over quota", "4.2.2"},
	{"250 2.0.0 Ok; then 550 5.1.1 no such user", "5.1.1"},
	{"2.1.5 recipient ok, 2.0.0 queued, 4.4.1 timeout", "4.4.1"},
	{"2.0.0 2.0.0 5.7.1", "5.7.1"},        /* the same 2.x.x code twice */
	{"relay 12.0.0.1 said 2.0.0 then 5.2.2", "5.2.2"},
	{"2.0.0", NULL},
	{"250 2.0.0 Ok: queued as 4VdLqT", NULL},
	{"2.1.0 sender ok 2.1.5 recipient ok", NULL},
	{"no code at all", NULL},
	{"", NULL},
};

static void
test_find_error_status(void)
{
	char out[16];
	size_t i;

	for (i = 0; i < NELEM(error_status_cases); i++) {
		const char *in = error_status_cases[i].in;
		int got;

		out[0] = '\0';
		got = sd_find_error_status(in, strlen(in), out);
		if (error_status_cases[i].want == NULL) {
			if (got)
				fprintf(stderr, "sd_find_error_status(\"%s\"): got \"%s\", want none\n", in,
					out);
			CHECK(got == 0);
		} else {
			if (!got)
				fprintf(stderr, "sd_find_error_status(\"%s\"): got none, want \"%s\"\n", in,
					error_status_cases[i].want);
			CHECK(got == 1);
			CHECK_STR(got ? out : NULL, error_status_cases[i].want);
		}
	}
	CHECK(sd_find_error_status(NULL, 0, out) == 0);
	/* a failure code past len is not seen */
	CHECK(sd_find_error_status("2.0.0 ok 5.1.1", 8, out) == 0);
}

/* ---- sd_find_replycode --------------------------------------------------- */

static const struct {
	const char *in;
	const char *want;
} reply_cases[] = {
	/* RFC 5321 section 4.2: three digits, first 2-5, second 0-5 */
	{"550 5.1.1 User unknown", "550"},
	{"550-5.7.1 Relaying denied", "550"},       /* multi-line reply */
	{"421-mx.example.org busy", "421"},
	{"421 4.7.0 Try again later", "421"},
	{"452 4.2.2 Mailbox full", "452"},
	{"554 <user@example.org>: Relay access denied", "554"},
	{"550 Requested action not taken: mailbox unavailable", "550"},
	{"said: 550 5.1.1 <user@example.org>... User unknown", "550"},
	{"Remote host said: 553 sorry, no such user", "553"},
	{"host mx.example.org[192.0.2.1] said: 552 5.2.2 quota exceeded", "552"},
	{"<<< 550 5.1.1 User unknown", "550"},
	{"(reason: 550 5.1.1 User unknown)", "550"},
	{"said \"550 no such user\"", "550"},
	{"error [550] no such user", "550"},
	{"RCPT TO:<user@example.org>:\n550 5.1.1 unknown", "550"},
	{"\t451 4.3.0 Temporary lookup failure", "451"},
	{"550", "550"},                             /* at the very end */
	{"550\n", "550"},
	{"550 (mailbox unavailable)", "550"},
	{"250 2.0.0 Ok", "250"},                    /* 2xx with a status code */
	/* no reply code */
	{"250 Ok", NULL},                           /* 2xx without a status code */
	{"220 mx.example.org ESMTP", NULL},
	{"354 End data with <CR><LF>.<CR><LF>", NULL}, /* intermediate reply */
	{"560 5.1.1 x", NULL},                      /* second digit 6 */
	{"590 error", NULL},
	{"650 error", NULL},
	{"150 error", NULL},
	{"x550 user unknown", NULL},                /* inside a word */
	{"queue id 4550123", NULL},                 /* inside a longer number */
	{"ref 45012", NULL},
	{"size 5500 bytes", NULL},
	{"550000", NULL},
	{"550 12", NULL},                           /* a number follows, not a code */
	/* digits inside IP addresses */
	{"connect to mx.example.org[192.0.2.250]:25: Connection refused", NULL},
	{"[203.0.113.5] refused", NULL},
	{"from 198.51.100.45 port 25", NULL},
	{"host 250.1.2.3 said nothing", NULL},
	{"address 192.0.2.55", NULL},
	/* digits inside times and dates */
	{"at 15:50:12", NULL},
	{"Tue, 14 May 2024 10:45:12 +0200", NULL},
	{"Mon, 5 Feb 2024 14:21:07 -0500", NULL},
	{"Date: 2024-05-14T10:45:12Z", NULL},
	{"timeout after 10:42:50", NULL},
	{"", NULL},
	{"5.5.0 no", NULL},                         /* a status code, not a reply */
};

static void
test_find_replycode(void)
{
	char out[4];
	size_t i;

	for (i = 0; i < NELEM(reply_cases); i++) {
		const char *in = reply_cases[i].in;
		int got;

		memcpy(out, "XXX", 4);
		got = sd_find_replycode(in, strlen(in), out);
		if (reply_cases[i].want == NULL) {
			if (got)
				fprintf(stderr, "sd_find_replycode(\"%s\"): got \"%s\", want none\n", in, out);
			CHECK(got == 0);
		} else {
			if (!got)
				fprintf(stderr, "sd_find_replycode(\"%s\"): got none, want \"%s\"\n", in,
					reply_cases[i].want);
			CHECK(got == 1);
			CHECK_STR(got ? out : NULL, reply_cases[i].want);
		}
	}
	CHECK(sd_find_replycode(NULL, 3, out) == 0);
	CHECK(sd_find_replycode("550 5.1.1", 2, out) == 0);
	CHECK(sd_find_replycode("55", 2, out) == 0);
	/* len ends right after the code: treated as the end of the text */
	CHECK(sd_find_replycode("5501234", 3, out) == 1);
	CHECK_STR(out, "550");

	/* "550 : User unknown" and "550: <user@example.org>: ..." as some
	 * relays quote a reply whose text was lost or re-punctuated */
	CHECK(sd_find_replycode("550 : User unknown", 18, out) == 1);
	CHECK_STR(out, "550");
	CHECK(sd_find_replycode("550: <a@example.org>: User unknown", 34, out) == 1);
	CHECK_STR(out, "550");
	CHECK(sd_find_replycode("at 550:12 hours", 15, out) == 0);
	/* Exchange 2007/2010 quote the remote reply after '#' */
	{
		const char *ex = "user@example.org #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##";
		CHECK(sd_find_replycode(ex, strlen(ex), out) == 1);
		CHECK_STR(out, "550");
	}
}

/* ---- sd_reason_from_status ----------------------------------------------- */

static const struct {
	const char *status;
	const char *reason; /* NULL: says nothing specific */
	int specific;
} reason_cases[] = {
	/* RFC 3463 section 3 subjects and details */
	{"5.1.1", "userunknown", 0},     /* bad destination mailbox address */
	{"4.1.1", "userunknown", 0},
	{"5.1.2", "hostunknown", 1},     /* bad destination system address */
	{"5.1.6", "hasmoved", 1},        /* mailbox has moved */
	{"5.1.10", "notaccept", 0},      /* RFC 7505: recipient has null MX */
	{"5.2.1", "suspend", 0},         /* mailbox disabled */
	{"5.2.2", "mailboxfull", 1},     /* mailbox full */
	{"4.2.2", "mailboxfull", 1},
	{"5.2.3", "exceedlimit", 1},     /* message length exceeds limit */
	{"5.3.1", "systemfull", 1},      /* mail system full */
	{"5.3.4", "mesgtoobig", 1},      /* message too big for system */
	{"5.4.4", "hostunknown", 0},     /* unable to route */
	{"4.4.1", "networkerror", 0},    /* no answer from host */
	{"4.4.7", "expired", 1},         /* delivery time expired */
	{"5.4.7", "expired", 1},
	{"5.5.1", "syntaxerror", 0},     /* protocol: invalid command */
	{"5.6.1", "contenterror", 0},    /* media not supported */
	{"5.7.1", "securityerror", 0},   /* delivery not authorized */
	{"5.7.25", "requireptr", 1},     /* RFC 7372: reverse DNS failed */
	{"5.7.26", "authfailure", 1},    /* RFC 7372: multiple auth checks failed */
	{"5.7.23", "authfailure", 1},    /* SPF validation failed */
	{"5.7.606", "blocked", 1},       /* Microsoft: banned sending IP */
	{"5.7.649", "blocked", 1},
	{"2.0.0", "delivered", 0},
	{"2.1.5", "delivered", 0},
	/* "other or undefined" says nothing on its own */
	{"5.0.0", NULL, 0},
	{"4.0.0", NULL, 0},
	{"5.7.0", NULL, 0},
	{"5.5.0", NULL, 0},
	/* not a status code */
	{"6.1.1", NULL, 0},
	{"3.2.2", NULL, 0},
	{"5.1", NULL, 0},
	{"5", NULL, 0},
	{"", NULL, 0},
	{"5.x.1", NULL, 0},
	{".1.1", NULL, 0},
	{"userunknown", NULL, 0},
};

static void
test_reason_from_status(void)
{
	size_t i;
	int specific;

	for (i = 0; i < NELEM(reason_cases); i++) {
		const char *got;

		specific = 7; /* must be overwritten */
		got = sd_reason_from_status(reason_cases[i].status, &specific);
		if ((got == NULL) != (reason_cases[i].reason == NULL) ||
		    specific != reason_cases[i].specific)
			fprintf(stderr, "sd_reason_from_status(\"%s\"): got %s/%d, want %s/%d\n",
				reason_cases[i].status, got ? got : "(null)", specific,
				reason_cases[i].reason ? reason_cases[i].reason : "(null)",
				reason_cases[i].specific);
		CHECK_STR(got, reason_cases[i].reason);
		CHECK(specific == reason_cases[i].specific);
	}
	specific = 1;
	CHECK(sd_reason_from_status(NULL, &specific) == NULL);
	CHECK(specific == 0);
	/* the flag pointer is optional */
	CHECK_STR(sd_reason_from_status("5.2.2", NULL), "mailboxfull");
	CHECK(sd_reason_from_status("6.1.1", NULL) == NULL);
	/* a vague code never claims to be specific */
	specific = 1;
	(void)sd_reason_from_status("5.0.0", &specific);
	CHECK(specific == 0);
}

/* ---- sd_pseudo_status ----------------------------------------------------- */

static const struct {
	const char *reason;
	int temporary;
	const char *want;
} pseudo_cases[] = {
	{"userunknown", 0, "5.0.911"},
	{"userunknown", 1, "4.0.911"},
	{"hostunknown", 0, "5.0.912"},
	{"mailboxfull", 0, "5.0.922"},
	{"mailboxfull", 1, "4.0.922"},
	{"filtered", 0, "5.0.910"},
	{"suspend", 0, "5.0.921"},
	{"expired", 1, "4.0.947"},
	{"blocked", 0, "5.0.971"},
	{"rejected", 0, "5.0.918"},
	{"norelaying", 0, "5.0.909"},
	{"undefined", 0, "5.0.900"},
	{"undefined", 1, "4.0.900"},
	/* a reason without its own number: class.0.0 */
	{"vacation", 0, "5.0.0"},
	{"bogus", 0, "5.0.0"},
	{"bogus", 1, "4.0.0"},
	{"", 0, "5.0.0"},
	{"UserUnknown", 0, "5.0.0"}, /* names are exact */
};

static void
test_pseudo_status(void)
{
	char out[16], again[16];
	size_t i;

	for (i = 0; i < NELEM(pseudo_cases); i++) {
		const char *got;

		memset(out, 'X', sizeof(out));
		got = sd_pseudo_status(pseudo_cases[i].reason, pseudo_cases[i].temporary, out);
		CHECK(got == out);
		CHECK_STR(got, pseudo_cases[i].want);
		/* the class follows the temporary flag */
		CHECK(out[0] == (pseudo_cases[i].temporary ? '4' : '5'));
		/* and the result is itself a well-formed RFC 3463 code */
		CHECK(sd_find_status(out, strlen(out), again) == 1);
		CHECK_STR(again, out);
	}
}

int
main(void)
{
	test_find_status();
	test_find_error_status();
	test_find_replycode();
	test_reason_from_status();
	test_pseudo_status();
	TEST_MAIN_END();
}
