/*
 * verify_output.c - `smtpdoc verify` answers as JSON, CSV and text.
 *
 * JSON: one object per address with the field names shared with explain
 * (reason, cause, title, explanation, fix, replycode, deliverystatus,
 * diagnosticcode, smtpcommand) and verify's own (input, address, verdict,
 * note, retry, ...). CSV (RFC 4180): one line per address, the input
 * first, so a file written by an earlier run can be read back to resume.
 * Text: a few lines per address that someone without mail-server
 * knowledge can follow.
 */
#include <string.h>

#include "internal.h"

static void
sd_json_bool(FILE *fp, const char *name, int v, int *first)
{
	if (!*first)
		putc(',', fp);
	*first = 0;
	fprintf(fp, "\"%s\":%s", name, v ? "true" : "false");
}

static void
sd_verification_json(FILE *fp, const smtpdoc_verification *r)
{
	const smtpdoc_cause *c = r->cause ? smtpdoc_cause_find(r->cause) : NULL;
	int first = 1;

	putc('{', fp);
	sd_json_field(fp, "input", r->input, &first);
	sd_json_field(fp, "address", r->address, &first);
	sd_json_field(fp, "verdict", r->verdict, &first);
	sd_json_field(fp, "reason", r->reason, &first);
	sd_json_field(fp, "cause", r->cause, &first);
	sd_json_field(fp, "title", c ? c->title : NULL, &first);
	sd_json_field(fp, "explanation", c ? c->explanation : NULL, &first);
	sd_json_steps(fp, "fix", c ? c->fix_sender : NULL, &first);
	sd_json_field(fp, "note", r->note, &first);
	sd_json_bool(fp, "retry", r->retry, &first);
	sd_json_field(fp, "syntax_error", r->syntax_error, &first);
	sd_json_steps(fp, "changes", r->changes, &first);
	sd_json_field(fp, "domain", r->domain, &first);
	sd_json_steps(fp, "mx", r->mx, &first);
	sd_json_field(fp, "mx_host", r->mx_host, &first);
	sd_json_field(fp, "replycode", r->replycode, &first);
	sd_json_field(fp, "deliverystatus", r->deliverystatus, &first);
	sd_json_field(fp, "diagnosticcode", r->diagnosticcode, &first);
	sd_json_field(fp, "smtpcommand", r->smtpcommand, &first);
	fprintf(fp, ",\"catch_all\":%s", r->catch_all < 0 ? "null" : r->catch_all ? "true" : "false");
	sd_json_bool(fp, "role", r->role, &first);
	sd_json_bool(fp, "disposable", r->disposable, &first);
	sd_json_bool(fp, "freemail", r->freemail, &first);
	sd_json_field(fp, "suggestion", r->suggestion, &first);
	putc('}', fp);
}

/* the whole object under the FILE's lock: the helpers write unlocked */
void
smtpdoc_write_verification_json(FILE *fp, const smtpdoc_verification *r)
{
	flockfile(fp);
	sd_verification_json(fp, r);
	funlockfile(fp);
}

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; NULL is empty. */
static void
sd_csv_field(FILE *fp, const char *s, int last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		putc('"', fp);
		for (; *s; s++) {
			if (*s == '"')
				putc('"', fp);
			putc(*s, fp);
		}
		putc('"', fp);
	} else if (s) {
		fputs(s, fp);
	}
	putc(last ? '\n' : ',', fp);
}

void
smtpdoc_write_verification_csv_header(FILE *fp)
{
	fputs("input,address,verdict,reason,cause,retry,replycode,deliverystatus,diagnosticcode,mx_host,"
	      "catch_all,role,disposable,freemail,suggestion,syntax_error\n", fp);
}

void
smtpdoc_write_verification_csv(FILE *fp, const smtpdoc_verification *r)
{
	sd_csv_field(fp, r->input, 0);
	sd_csv_field(fp, r->address, 0);
	sd_csv_field(fp, r->verdict, 0);
	sd_csv_field(fp, r->reason, 0);
	sd_csv_field(fp, r->cause, 0);
	sd_csv_field(fp, r->retry ? "yes" : "no", 0);
	sd_csv_field(fp, r->replycode, 0);
	sd_csv_field(fp, r->deliverystatus, 0);
	sd_csv_field(fp, r->diagnosticcode, 0);
	sd_csv_field(fp, r->mx_host, 0);
	sd_csv_field(fp, r->catch_all < 0 ? "" : r->catch_all ? "yes" : "no", 0);
	sd_csv_field(fp, r->role ? "yes" : "no", 0);
	sd_csv_field(fp, r->disposable ? "yes" : "no", 0);
	sd_csv_field(fp, r->freemail ? "yes" : "no", 0);
	sd_csv_field(fp, r->suggestion, 0);
	sd_csv_field(fp, r->syntax_error, 1);
}

void
smtpdoc_write_verification_text(FILE *fp, const smtpdoc_verification *r, unsigned flags)
{
	const smtpdoc_cause *c = r->cause ? smtpdoc_cause_find(r->cause) : NULL;
	const char *color = sd_c(flags, "\033[1;33m");
	size_t i;

	if (strcmp(r->verdict, "deliverable") == 0)
		color = sd_c(flags, "\033[1;32m");
	else if (strcmp(r->verdict, "undeliverable") == 0)
		color = sd_c(flags, "\033[1;31m");
	fprintf(fp, "%s%s%s  %s\n", color, r->verdict, sd_c(flags, "\033[0m"), r->address ? r->address : r->input);
	if (c) {
		fputs("  ", fp);
		sd_text_wrapped(fp, c->title, "  ", 76);
		putc('\n', fp);
	}
	if (r->note) {
		fputs("  Why: ", fp);
		sd_text_wrapped(fp, r->note, "       ", 76);
		putc('\n', fp);
	}
	if (r->syntax_error)
		fprintf(fp, "  Problem: %s\n", r->syntax_error);
	for (i = 0; r->changes && r->changes[i]; i++)
		fprintf(fp, "  Cleaned up: %s\n", r->changes[i]);
	if (r->replycode) {
		fputs("  The server said: ", fp);
		sd_text_wrapped(fp, r->diagnosticcode ? r->diagnosticcode : r->replycode, "    ", 76);
		putc('\n', fp);
	}
	if (r->mx_host)
		fprintf(fp, "  Mail server asked: %s\n", r->mx_host);
	if (r->suggestion)
		fprintf(fp, "  Did you mean: %s\n", r->suggestion);
	if (r->role)
		fputs("  Note: a role address (a department, not a person)\n", fp);
	if (r->disposable)
		fputs("  Note: a throw-away mailbox service\n", fp);
	if (r->retry)
		fputs("  Checking again later may give another answer.\n", fp);
	if (c && strcmp(r->verdict, "deliverable") != 0) {
		for (i = 0; c->fix_sender && c->fix_sender[i]; i++) {
			fprintf(fp, "  %zu. ", i + 1);
			sd_text_wrapped(fp, c->fix_sender[i], "     ", 76);
			putc('\n', fp);
		}
	}
}
