/*
 * decodecase.h - a table of bounce messages decoded through smtpdoc_decode()
 * and checked field by field; shared by the decoder tests.
 *
 * A decode_case names a message, the agent wanted (NULL: not checked), the
 * number of results and, per result, the wanted recipient, reply code,
 * status, SMTP command, reason and feedback type. In a want_res, NULL means
 * "not checked" and NONE means "must be NULL". run_decode_cases() also
 * checks that no result is an address the caller's forbidden() rejects
 * (the bounce's own sender, the original sender, report addresses).
 */
#ifndef SMTPDOC_DECODECASE_H
#define SMTPDOC_DECODECASE_H

#include <stdio.h>
#include <string.h>

#include "smtpdoc/smtpdoc.h"
#include "testutil.h"

#define NONE ""

typedef struct want_res {
	const char *recipient;
	const char *replycode;
	const char *status;
	const char *command;
	const char *reason;
	const char *feedbacktype;
} want_res;

typedef struct decode_case {
	const char *name;
	const char *msg;
	const char *agent; /* NULL: not checked */
	size_t n;
	want_res want[3];
} decode_case;

/* want: NULL not checked, NONE must be NULL, else equal; a failure names
 * the case and the field. */
#define CHECK_FIELD(name, field, got, want) check_field(__LINE__, name, field, got, want)

static inline void
check_field(int line, const char *name, const char *field, const char *got, const char *want)
{
	char expr[128];

	if (want == NULL)
		return;
	if (want[0] == '\0')
		want = NULL;
	snprintf(expr, sizeof(expr), "%s: %s", name, field);
	tu_check_str(__FILE__, line, expr, got, want);
}

/* Decode len bytes of msg; the report is the caller's to free. */
static inline smtpdoc_report *
decode_n(const char *name, const char *msg, size_t len)
{
	smtpdoc_report *rep = NULL;
	smtpdoc_status st = smtpdoc_decode(msg, len, name, &rep);

	if (st != SMTPDOC_OK)
		fprintf(stderr, "%s: smtpdoc_decode: %s\n", name, smtpdoc_strerror(st));
	CHECK(st == SMTPDOC_OK);
	CHECK(rep != NULL);
	return rep;
}

static inline smtpdoc_report *
decode(const char *name, const char *msg)
{
	return decode_n(name, msg, strlen(msg));
}

static inline void
run_decode_cases(const decode_case *cases, size_t ncases, int (*forbidden)(const char *))
{
	size_t i, j;

	for (i = 0; i < ncases; i++) {
		const char *name = cases[i].name;
		smtpdoc_report *rep = decode(name, cases[i].msg);

		if (rep == NULL)
			continue;
		CHECK(rep->kind == SMTPDOC_KIND_BOUNCE);
		if (rep->count != cases[i].n) {
			fprintf(stderr, "%s: %zu results, want %zu\n", name, rep->count, cases[i].n);
			for (j = 0; j < rep->count; j++)
				fprintf(stderr, "  - %s\n",
					rep->results[j].recipient ? rep->results[j].recipient : "(null)");
		}
		CHECK(rep->count == cases[i].n);
		for (j = 0; j < rep->count; j++) {
			const smtpdoc_result *r = &rep->results[j];
			if (forbidden(r->recipient))
				fprintf(stderr, "%s: reported %s as a failed recipient\n", name, r->recipient);
			CHECK(!forbidden(r->recipient));
			CHECK_FIELD(name, "smtpagent", r->smtpagent, cases[i].agent);
			CHECK_STR(r->origin, name);
		}
		for (j = 0; j < cases[i].n && j < rep->count; j++) {
			const smtpdoc_result *r = &rep->results[j];
			const want_res *w = &cases[i].want[j];

			CHECK_FIELD(name, "recipient", r->recipient, w->recipient);
			CHECK_FIELD(name, "replycode", r->replycode, w->replycode);
			CHECK_FIELD(name, "deliverystatus", r->deliverystatus, w->status);
			CHECK_FIELD(name, "smtpcommand", r->smtpcommand, w->command);
			CHECK_FIELD(name, "reason", r->reason, w->reason);
			CHECK_FIELD(name, "feedbacktype", r->feedbacktype, w->feedbacktype);
		}
		smtpdoc_report_free(rep);
	}
}

#endif
