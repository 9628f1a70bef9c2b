/*
 * output.c - results as JSON (for programs) and as text (for people).
 *
 * JSON: one object per result with Sisimai's field names, then smtpdoc's
 * cause, title, explanation, fix, fix_recipient, fix_admin, hints and
 * suggestion. Strings are written as valid UTF-8: control characters are
 * escaped and invalid byte sequences become U+FFFD.
 * Text: a block per recipient that a person without mail-server knowledge
 * can follow; ANSI colour only when the caller asks (SMTPDOC_OUT_COLOR).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Length of a valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t
sd_utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xf0 && s[1] < 0x90)
			return 0;
		if (s[0] == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* s written unlocked: the caller holds fp's lock (see internal.h) */
static void
sd_put(FILE *fp, const char *s)
{
	fwrite_unlocked(s, 1, strlen(s), fp);
}

void
sd_json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	if (s == NULL) {
		sd_put(fp, "null");
		return;
	}
	putc_unlocked('"', fp);
	while (*p) {
		const unsigned char *run = p;
		size_t n;
		/* a run of bytes written as they are: printable ASCII other than
		 * the two that need a backslash, and valid UTF-8 sequences */
		for (;;) {
			if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
				p++;
			else if (*p >= 0x80 && (n = sd_utf8_len(p)) != 0)
				p += n;
			else
				break;
		}
		if (p > run)
			fwrite_unlocked(run, 1, (size_t)(p - run), fp);
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			putc_unlocked('\\', fp);
			putc_unlocked(*p, fp);
		} else if (*p < 0x20 || *p == 0x7f) {
			switch (*p) {
			case '\n': sd_put(fp, "\\n"); break;
			case '\t': sd_put(fp, "\\t"); break;
			case '\r': sd_put(fp, "\\r"); break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				sd_put(fp, esc);
				break;
			}
		} else {
			sd_put(fp, "\\ufffd"); /* not valid UTF-8 */
		}
		p++;
	}
	putc_unlocked('"', fp);
}

void
smtpdoc_write_json_string(FILE *fp, const char *s)
{
	flockfile(fp);
	sd_json_str(fp, s);
	funlockfile(fp);
}

void
sd_json_field(FILE *fp, const char *name, const char *value, int *first)
{
	sd_json_name(fp, name, first);
	sd_json_str(fp, value);
}

/* ,"name": (no comma before the first field); names need no escaping */
void
sd_json_name(FILE *fp, const char *name, int *first)
{
	if (!*first)
		putc_unlocked(',', fp);
	*first = 0;
	putc_unlocked('"', fp);
	sd_put(fp, name);
	sd_put(fp, "\":");
}

void
sd_json_int(FILE *fp, const char *name, long long v, int *first)
{
	char buf[24], *e = buf + sizeof(buf), *p = e;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	sd_json_name(fp, name, first);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	fwrite_unlocked(p, 1, (size_t)(e - p), fp);
}

/* A field of Sisimai's result object: as in Sisimai, an unknown value is
 * an empty string, not null. */
static void
sd_json_sfield(FILE *fp, const char *name, const char *value, int *first)
{
	sd_json_field(fp, name, value ? value : "", first);
}

void
sd_json_steps(FILE *fp, const char *name, const char *const *steps, int *first)
{
	size_t i;

	sd_json_name(fp, name, first);
	putc_unlocked('[', fp);
	for (i = 0; steps && steps[i]; i++) {
		if (i)
			putc_unlocked(',', fp);
		sd_json_str(fp, steps[i]);
	}
	putc_unlocked(']', fp);
}

/* "file": the origin without the "#N" that numbers a message of an mbox. */
static void
sd_json_file_field(FILE *fp, const char *origin, int *first)
{
	const char *hash = origin ? strrchr(origin, '#') : NULL;
	const char *d = hash ? hash + 1 : NULL;

	while (d && *d >= '0' && *d <= '9')
		d++;
	if (hash == NULL || d == hash + 1 || *d != '\0') {
		sd_json_field(fp, "file", origin, first);
		return;
	}
	{
		/* a copy of the path part, whatever its length */
		size_t n = (size_t)(hash - origin);
		char *path = malloc(n + 1);
		if (path == NULL) {
			sd_json_field(fp, "file", origin, first);
			return;
		}
		memcpy(path, origin, n);
		path[n] = '\0';
		sd_json_field(fp, "file", path, first);
		free(path);
	}
}

static void
sd_result_json(FILE *fp, const smtpdoc_result *r)
{
	const smtpdoc_cause *c = smtpdoc_cause_find(r->cause);
	smtpdoc_hints h;
	int first = 1;
	size_t i;

	putc('{', fp);
	sd_json_sfield(fp, "recipient", r->recipient, &first);
	sd_json_sfield(fp, "addresser", r->addresser, &first);
	sd_json_sfield(fp, "senderdomain", r->senderdomain, &first);
	sd_json_sfield(fp, "destination", r->destination, &first);
	sd_json_sfield(fp, "alias", r->alias, &first);
	sd_json_sfield(fp, "action", r->action, &first);
	sd_json_sfield(fp, "replycode", r->replycode, &first);
	sd_json_sfield(fp, "deliverystatus", r->deliverystatus, &first);
	sd_json_sfield(fp, "diagnosticcode", r->diagnosticcode, &first);
	sd_json_sfield(fp, "diagnostictype", r->diagnostictype, &first);
	sd_json_sfield(fp, "reason", r->reason, &first);
	sd_json_int(fp, "hardbounce", r->hardbounce ? 1 : 0, &first);
	sd_json_int(fp, "timestamp", (long long)r->timestamp, &first);
	sd_json_sfield(fp, "timezoneoffset", r->timezoneoffset, &first);
	sd_json_sfield(fp, "origin", r->origin, &first);
	sd_json_file_field(fp, r->origin, &first);
	sd_json_sfield(fp, "smtpagent", r->smtpagent, &first);
	sd_json_sfield(fp, "smtpcommand", r->smtpcommand, &first);
	sd_json_sfield(fp, "lhost", r->lhost, &first);
	sd_json_sfield(fp, "rhost", r->rhost, &first);
	sd_json_sfield(fp, "messageid", r->messageid, &first);
	sd_json_sfield(fp, "subject", r->subject, &first);
	sd_json_sfield(fp, "listid", r->listid, &first);
	sd_json_sfield(fp, "feedbacktype", r->feedbacktype, &first);
	sd_json_sfield(fp, "token", r->token, &first);
	sd_json_field(fp, "cause", r->cause, &first);
	sd_json_field(fp, "title", c ? c->title : NULL, &first);
	sd_json_field(fp, "explanation", c ? c->explanation : NULL, &first);
	sd_json_steps(fp, "fix", c ? c->fix_sender : NULL, &first);
	sd_json_steps(fp, "fix_recipient", c ? c->fix_recipient : NULL, &first);
	sd_json_steps(fp, "fix_admin", c ? c->fix_admin : NULL, &first);
	smtpdoc_address_hints(r->recipient, &h);
	fputs(",\"hints\":[", fp);
	for (i = 0; i < h.count; i++) {
		if (i)
			putc(',', fp);
		smtpdoc_write_json_string(fp, h.text[i]);
	}
	putc(']', fp);
	sd_json_field(fp, "suggestion", h.suggestion[0] ? h.suggestion : NULL, &first);
	putc('}', fp);
}

/* the whole object under the FILE's lock: the helpers write unlocked */
void
smtpdoc_write_result_json(FILE *fp, const smtpdoc_result *r)
{
	flockfile(fp);
	sd_result_json(fp, r);
	funlockfile(fp);
}

/* ---- text ------------------------------------------------------------- */

const char *
sd_c(unsigned flags, const char *code)
{
	return (flags & SMTPDOC_OUT_COLOR) ? code : "";
}

/* Print s with invalid UTF-8 and control characters replaced, wrapped at
 * about width columns, each line after the first starting with indent. */
void
sd_text_wrapped(FILE *fp, const char *s, const char *indent, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t col = 0;

	while (p && *p) {
		const unsigned char *w = p;
		size_t wl = 0;
		while (w[wl] && w[wl] != ' ')
			wl++;
		if (col > 0 && col + wl + 1 > width) {
			fprintf(fp, "\n%s", indent);
			col = 0;
		} else if (col > 0) {
			putc(' ', fp);
			col++;
		}
		while (p < w + wl) {
			size_t n = *p >= 0x20 ? sd_utf8_len(p) : 0;
			if (n == 0) {
				putc('?', fp);
				p++;
			} else {
				fwrite(p, 1, n, fp);
				p += n;
			}
			col++;
		}
		while (*p == ' ')
			p++;
	}
}

static void
sd_text_steps(FILE *fp, const char *const *steps)
{
	size_t i;

	for (i = 0; steps && steps[i]; i++) {
		fprintf(fp, "    %zu. ", i + 1);
		sd_text_wrapped(fp, steps[i], "       ", 72);
		putc('\n', fp);
	}
}

static void
sd_format_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, n, "unknown");
		return;
	}
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

void
smtpdoc_write_result_text(FILE *fp, const smtpdoc_result *r, unsigned flags)
{
	const smtpdoc_cause *c = smtpdoc_cause_find(r->cause);
	smtpdoc_hints h;
	char when[64];
	size_t i;
	int problem = r->reason && strcmp(r->reason, "delivered") != 0 &&
		      strcmp(r->reason, "vacation") != 0 && strcmp(r->reason, "feedback") != 0;

	fprintf(fp, "%s%s%s %s%s%s\n", sd_c(flags, problem ? "\033[1;31m" : "\033[1;33m"),
		problem ? "Not delivered to" : "Report about", sd_c(flags, "\033[0m"),
		sd_c(flags, "\033[1m"), r->recipient ? r->recipient : "(unknown recipient)",
		sd_c(flags, "\033[0m"));
	if (c) {
		fprintf(fp, "  %sWhat happened:%s %s\n", sd_c(flags, "\033[1m"), sd_c(flags, "\033[0m"), c->title);
		fputs("  ", fp);
		sd_text_wrapped(fp, c->explanation, "  ", 76);
		putc('\n', fp);
	}
	if (r->diagnosticcode) {
		fprintf(fp, "  %sThe receiving server said:%s\n    \"", sd_c(flags, "\033[1m"), sd_c(flags, "\033[0m"));
		sd_text_wrapped(fp, r->diagnosticcode, "     ", 72);
		fputs("\"\n", fp);
	}
	smtpdoc_address_hints(r->recipient, &h);
	if (h.count) {
		fprintf(fp, "  %sCheck the address:%s\n", sd_c(flags, "\033[1;33m"), sd_c(flags, "\033[0m"));
		for (i = 0; i < h.count; i++) {
			fputs("    - ", fp);
			sd_text_wrapped(fp, h.text[i], "      ", 72);
			putc('\n', fp);
		}
	}
	if (c && c->fix_sender && c->fix_sender[0]) {
		fprintf(fp, "  %sWhat you can do:%s\n", sd_c(flags, "\033[1;32m"), sd_c(flags, "\033[0m"));
		sd_text_steps(fp, c->fix_sender);
	}
	if (c && c->fix_recipient && c->fix_recipient[0]) {
		fprintf(fp, "  %sWhat the recipient (or their mail provider) can do:%s\n", sd_c(flags, "\033[1m"),
			sd_c(flags, "\033[0m"));
		sd_text_steps(fp, c->fix_recipient);
	}
	if (c && c->fix_admin && c->fix_admin[0]) {
		fprintf(fp, "  %sFor mail server administrators:%s\n", sd_c(flags, "\033[1m"), sd_c(flags, "\033[0m"));
		sd_text_steps(fp, c->fix_admin);
	}
	sd_format_time(r->timestamp, when, sizeof(when));
	fprintf(fp, "  %sDetails:%s reason %s, cause %s, %s bounce", sd_c(flags, "\033[2m"), sd_c(flags, ""),
		r->reason ? r->reason : "-", r->cause ? r->cause : "-", r->hardbounce ? "hard" : "soft");
	if (r->replycode)
		fprintf(fp, ", reply %s", r->replycode);
	if (r->deliverystatus)
		fprintf(fp, ", status %s", r->deliverystatus);
	fprintf(fp, "\n    sender %s, time %s, from %s%s\n", r->addresser ? r->addresser : "unknown", when,
		r->origin ? r->origin : "-", sd_c(flags, "\033[0m"));
}

void
smtpdoc_write_support_report(FILE *fp, const smtpdoc_report *rep, unsigned flags)
{
	size_t i;
	char when[64];

	fprintf(fp, "===== smtpdoc support report: %s =====\n", rep->origin ? rep->origin : "-");
	for (i = 0; i < rep->count; i++) {
		const smtpdoc_result *r = &rep->results[i];
		const smtpdoc_cause *c = smtpdoc_cause_find(r->cause);
		sd_format_time(r->timestamp, when, sizeof(when));
		fprintf(fp, "Recipient:      %s\n", r->recipient ? r->recipient : "unknown");
		fprintf(fp, "Sender:         %s\n", r->addresser ? r->addresser : "unknown");
		fprintf(fp, "Time of bounce: %s", when);
		if (r->timezoneoffset)
			fprintf(fp, " (the reporting server's zone is %s)", r->timezoneoffset);
		fputs("\n", fp);
		fprintf(fp, "Diagnosis:      %s (%s, %s bounce)\n", c ? c->title : "unknown", r->reason,
			r->hardbounce ? "hard" : "soft");
		fprintf(fp, "Status/reply:   %s / %s\n", r->deliverystatus ? r->deliverystatus : "-",
			r->replycode ? r->replycode : "-");
		fprintf(fp, "Server said:    %s\n", r->diagnosticcode ? r->diagnosticcode : "-");
		fprintf(fp, "Remote host:    %s\n", r->rhost ? r->rhost : "-");
		fprintf(fp, "Message-Id:     %s\n\n", r->messageid ? r->messageid : "-");
	}
	(void)flags;
	fputs("----- full bounce message -----\n", fp);
	if (rep->raw)
		fwrite(rep->raw, 1, rep->raw_len, fp);
	if (rep->raw_len && rep->raw[rep->raw_len - 1] != '\n')
		putc('\n', fp);
	fputs("----- end of bounce message -----\n", fp);
}
