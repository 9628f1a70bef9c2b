/*
 * test_reply.c - one SMTP reply heard directly (what `smtpdoc verify`'s
 * probe gets at RCPT TO) gets the reason and cause that `explain` would give
 * the same words in a bounce: sd_reply_reason() on hand-written replies as
 * Postfix, Exim and large providers word them.
 */
#include <string.h>

#include <smtpdoc/smtpdoc.h>

#include "internal.h"
#include "testutil.h"

typedef struct reply_case {
	const char *code, *status, *text, *command;
	const char *reason; /* wanted reason */
	const char *cause;  /* wanted cause id, or NULL: not checked */
} reply_case;

static const reply_case cases[] = {
	{"550", "5.1.1", "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table",
	 "RCPT", "userunknown", "mailbox.unknown"},
	{"550", NULL, "550 No such user here", "RCPT", "userunknown", NULL},
	{"550", "5.1.1", "550 5.1.1 The email account that you tried to reach does not exist.", "RCPT", "userunknown", NULL},
	{"552", "5.2.2", "552 5.2.2 Mailbox full", "RCPT", "mailboxfull", "mailbox.full"},
	{"550", "5.2.1", "550 5.2.1 <carol@example.org>: mailbox disabled", "RCPT", "suspend", NULL},
	{"554", "5.7.1", "554 5.7.1 <x@example.com>: Relay access denied", "RCPT", "norelaying", "relay.denied"},
	{"550", NULL, "550 Authentication is required for relay", "RCPT", "norelaying", "relay.auth-required"},
	{"550", NULL, "550 this domain is not hosted here", "RCPT", "norelaying", "domain.not-hosted"},
	/* a refusal of the sender at MAIL FROM is about the sender */
	{"553", "5.7.1", "553 5.7.1 Sender address rejected: not owned by user", "MAIL", "rejected", NULL},
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const reply_case *c = &cases[i];
		const char *reason = NULL, *cause = NULL;
		sd_reply_reason(c->code, c->status, c->text, c->command, "mx.example.org", "bob@example.org",
				&reason, &cause);
		if (reason == NULL || strcmp(reason, c->reason) != 0)
			fprintf(stderr, "case %zu: %s\n", i, c->text);
		CHECK_STR(reason, c->reason);
		if (c->cause)
			CHECK_STR(cause, c->cause);
		CHECK(cause != NULL && smtpdoc_cause_find(cause) != NULL);
	}
	TEST_MAIN_END();
}
