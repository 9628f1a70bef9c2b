/*
 * log_output.c - one log event as JSON or as a line of text.
 *
 * JSON uses explain's field names where they mean the same (reason,
 * cause, title, explanation, fix, replycode, deliverystatus,
 * diagnosticcode, smtpcommand, recipient, alias, addresser, rhost,
 * timestamp)
 * and adds the log's own: file, line, event, mta, program, time (ISO
 * 8601 UTC), queueid, rhost_ip, messageid, related_id. The cause's
 * title, explanation and fix are written for failures only.
 */
#include <string.h>

#include "internal.h"
#include "logparse.h"

/* t as "YYYY-MM-DDThh:mm:ssZ" (text: a space for the T), "" or "-"
 * when unknown; the digits by hand, this runs once per event */
static void
sd_log_iso(time_t t, char *buf, size_t n, int text)
{
	struct tm tm;
	int v[6], i;
	char *p = buf;

	if (n < 21 || t == 0 || gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		snprintf(buf, n, "%s", text ? "-" : "");
		return;
	}
	v[0] = tm.tm_year + 1900;
	v[1] = tm.tm_mon + 1;
	v[2] = tm.tm_mday;
	v[3] = tm.tm_hour;
	v[4] = tm.tm_min;
	v[5] = tm.tm_sec;
	*p++ = (char)('0' + v[0] / 1000);
	*p++ = (char)('0' + v[0] / 100 % 10);
	*p++ = (char)('0' + v[0] / 10 % 10);
	*p++ = (char)('0' + v[0] % 10);
	for (i = 1; i < 6; i++) {
		*p++ = i < 3 ? '-' : i == 3 ? (text ? ' ' : 'T') : ':';
		*p++ = (char)('0' + v[i] / 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	*p++ = 'Z';
	*p = '\0';
}

static void
sd_log_event_json(FILE *fp, const smtpdoc_log_event *ev)
{
	const smtpdoc_cause *c = ev->cause ? smtpdoc_cause_find(ev->cause) : NULL;
	char when[40];
	int first = 1;

	putc('{', fp);
	sd_json_field(fp, "file", ev->origin, &first);
	sd_json_int(fp, "line", (long long)ev->line, &first);
	sd_json_field(fp, "event", ev->event, &first);
	sd_json_field(fp, "mta", ev->mta, &first);
	sd_json_field(fp, "program", ev->program, &first);
	sd_log_iso(ev->timestamp, when, sizeof(when), 0);
	sd_json_field(fp, "time", when[0] ? when : NULL, &first);
	sd_json_int(fp, "timestamp", (long long)ev->timestamp, &first);
	sd_json_field(fp, "queueid", ev->queueid, &first);
	sd_json_field(fp, "addresser", ev->addresser, &first);
	sd_json_field(fp, "recipient", ev->recipient, &first);
	sd_json_field(fp, "alias", ev->alias, &first);
	sd_json_field(fp, "rhost", ev->rhost, &first);
	sd_json_field(fp, "rhost_ip", ev->rhost_ip, &first);
	sd_json_field(fp, "replycode", ev->replycode, &first);
	sd_json_field(fp, "deliverystatus", ev->deliverystatus, &first);
	sd_json_field(fp, "diagnosticcode", ev->diagnosticcode, &first);
	sd_json_field(fp, "smtpcommand", ev->smtpcommand, &first);
	if (ev->messageid)
		sd_json_field(fp, "messageid", ev->messageid, &first);
	if (ev->related_id)
		sd_json_field(fp, "related_id", ev->related_id, &first);
	if (ev->reason) {
		sd_json_field(fp, "reason", ev->reason, &first);
		sd_json_field(fp, "cause", ev->cause, &first);
		sd_json_field(fp, "title", c ? c->title : NULL, &first);
		sd_json_field(fp, "explanation", c ? c->explanation : NULL, &first);
		sd_json_steps(fp, "fix", c ? c->fix_sender : NULL, &first);
		/* 1 or 0, as explain writes it */
		sd_json_int(fp, "hardbounce", c && c->hard && ev->kind != SMTPDOC_LOG_DEFERRED, &first);
	}
	putc('}', fp);
}

/* the whole object under the FILE's lock: the helpers write unlocked */
void
smtpdoc_write_log_event_json(FILE *fp, const smtpdoc_log_event *ev)
{
	flockfile(fp);
	sd_log_event_json(fp, ev);
	funlockfile(fp);
}

void
smtpdoc_write_log_event_text(FILE *fp, const smtpdoc_log_event *ev, unsigned flags)
{
	const smtpdoc_cause *c = ev->cause ? smtpdoc_cause_find(ev->cause) : NULL;
	const char *col = "";
	char when[40];

	if (ev->kind == SMTPDOC_LOG_BOUNCED || ev->kind == SMTPDOC_LOG_REJECTED || ev->kind == SMTPDOC_LOG_EXPIRED)
		col = sd_c(flags, "\033[1;31m");
	else if (ev->kind == SMTPDOC_LOG_DEFERRED)
		col = sd_c(flags, "\033[1;33m");
	else if (ev->kind == SMTPDOC_LOG_DELIVERED)
		col = sd_c(flags, "\033[1;32m");
	sd_log_iso(ev->timestamp, when, sizeof(when), 1);
	fprintf(fp, "%s %s%-9s%s %s", when, col, ev->event, sd_c(flags, "\033[0m"), ev->queueid ? ev->queueid : "-");
	if (ev->addresser)
		fprintf(fp, " from=<%s>", ev->addresser);
	if (ev->recipient)
		fprintf(fp, " to=<%s>", ev->recipient);
	if (ev->alias)
		fprintf(fp, " via=<%s>", ev->alias);
	if (ev->rhost || ev->rhost_ip)
		fprintf(fp, " host=%s[%s]", ev->rhost ? ev->rhost : "", ev->rhost_ip ? ev->rhost_ip : "");
	if (ev->smtpcommand)
		fprintf(fp, " at %s", ev->smtpcommand);
	if (ev->messageid)
		fprintf(fp, " message-id=<%s>", ev->messageid);
	if (ev->related_id)
		fprintf(fp, ev->kind == SMTPDOC_LOG_RECEIVED ? " notice-about=%s" : " notice=%s", ev->related_id);
	putc('\n', fp);
	if (ev->diagnosticcode && ev->kind != SMTPDOC_LOG_INFO) {
		fputs("    said: ", fp);
		sd_text_wrapped(fp, ev->diagnosticcode, "          ", 76);
		putc('\n', fp);
	}
	if (ev->reason)
		fprintf(fp, "    why: %s (%s)%s%s\n", ev->reason, ev->cause, c ? ": " : "", c ? c->title : "");
}
