/*
 * log_exim.c - the rest of an Exim main or reject log line, after the
 * timestamp (and pid), or the message of an Exim syslog line.
 *
 * Exim's wording (its specification, chapter "Log files"):
 *   "ID <= sender H=host [ip] P=esmtp S=size id=msgid"     received
 *   "ID <= <> R=ORIGID U=user P=local S=size"               a notice about ORIGID
 *   "ID => rcpt [<orig>] R=.. T=.. H=host [ip] C=\"250 ..\"" delivered
 *   (also "->" another address of the same delivery, "*>" suppressed)
 *   "ID ** rcpt [<orig>] R=.. T=.. H=host [ip]: text"      failed (orig: the
 *                                                          alias it came by)
 *   "ID == rcpt R=.. T=.. defer (errno) H=host [ip]: text" deferred
 *   "ID Completed"
 *   "[ID ]H=host [ip] F=<s> [temporarily ]rejected RCPT <r>: text" and
 *   the other stages (MAIL, after DATA, EHLO or HELO, connection), and
 *   "ID rejected from <s> H=host [ip]: text" (a message too big).
 * A remote server's reply is quoted after "SMTP error from remote mail
 * server after STAGE: "; Exim's own refusals carry no reply code, so the
 * code class (5 rejected, 4 temporarily rejected) is passed on instead.
 */
#include <string.h>

#include "internal.h"
#include "logparse.h"

#define LIT(s) s, sizeof(s) - 1

/* an Exim message id: 6-6-2 (before 4.97) or 6-11-4 base-62 groups */
static size_t
sd_exim_id(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && (sd_isalnum((unsigned char)p[n]) || p[n] == '-') && n < 24)
		n++;
	if (p + n < end && p[n] != ' ' && p[n] != ':')
		return 0;
	if (n == 16 && p[6] == '-' && p[13] == '-')
		return n;
	if (n == 23 && p[6] == '-' && p[18] == '-')
		return n;
	return 0;
}

/* "H=name [ip]" or "H=(helo) [ip]" or "H=name (helo) [ip]:port" */
static void
sd_exim_host(const char *p, const char *end, sd_logline *out)
{
	const char *h = sd_span_find(p, (size_t)(end - p), LIT("H="));
	const char *lb, *rb, *ne;

	if (h == NULL || (h > p && h[-1] != ' '))
		return;
	h += 2;
	ne = memchr(h, ' ', (size_t)(end - h));
	if (ne == NULL)
		ne = end;
	if (h < ne && *h != '[') {
		out->rhost.p = h;
		out->rhost.n = (size_t)(ne - h);
		if (out->rhost.n >= 2 && h[0] == '(') {
			out->rhost.p++;
			out->rhost.n -= 2;
		}
		if (out->rhost.n && out->rhost.p[out->rhost.n - 1] == ':')
			out->rhost.n--;
	}
	lb = memchr(h, '[', (size_t)(end - h));
	if (lb && lb - h < 300) {
		rb = memchr(lb, ']', (size_t)(end - lb));
		if (rb) {
			out->rip.p = lb + 1;
			out->rip.n = (size_t)(rb - lb - 1);
		}
	}
}

/* the text after "SMTP error from remote mail server after STAGE: " */
static void
sd_exim_text(const char *t, const char *end, sd_logline *out)
{
	const char *a, *st = NULL, *c;

	out->text.p = t;
	out->text.n = (size_t)(end - t);
	a = sd_span_find(t, (size_t)(end - t), LIT("SMTP error from remote mail server after "));
	if (a)
		st = a + sizeof("SMTP error from remote mail server after ") - 1;
	else if ((a = sd_span_find(t, (size_t)(end - t), LIT("SMTP error from remote mailer after "))) != NULL)
		st = a + sizeof("SMTP error from remote mailer after ") - 1;
	if (st) {
		out->command = sd_log_stage(st, (size_t)(end - st));
		c = sd_span_find(st, (size_t)(end - st), LIT(": "));
		if (c) {
			out->text.p = c + 2;
			out->text.n = (size_t)(end - c - 2);
		}
	} else if ((a = sd_span_find(t, (size_t)(end - t), LIT(" in response to "))) != NULL) {
		out->command = sd_log_stage(a + 16, (size_t)(end - a - 16));
	}
	sd_log_reply_codes(out);
}

/* " <parent>" right after a recipient: the address it was reached
 * through (an alias or forwarder), into out->alias */
static void
sd_exim_parent(const char *p, const char *end, sd_logline *out)
{
	if (end - p > 2 && p[0] == ' ' && p[1] == '<') {
		sd_span a = sd_span_upto(p + 2, end, '>');
		if (a.p + a.n < end)
			out->alias = a;
	}
}

/* "** rcpt [<orig>] fields: text" and the "==" form */
static int
sd_exim_failure(const char *p, const char *end, sd_logline *out)
{
	const char *colon;
	sd_span r = sd_span_upto(p, end, ' ');

	if (r.n && r.p[r.n - 1] == ':')
		r.n--;
	out->recipient = r;
	if (r.n >= 2 && r.p[0] == '<' && r.p[r.n - 1] == '>') {
		out->recipient.p++;
		out->recipient.n -= 2;
	}
	sd_exim_parent(r.p + r.n, end, out);
	colon = sd_span_find(p + r.n, (size_t)(end - p - (ptrdiff_t)r.n), LIT(": "));
	sd_exim_host(p + r.n, colon ? colon : end, out);
	if (colon)
		sd_exim_text(colon + 2, end, out);
	else if (out->kind == SMTPDOC_LOG_DEFERRED && (colon = sd_span_find(p, (size_t)(end - p), LIT("defer ("))))
		sd_exim_text(colon, end, out);
	if (out->replycode.p == NULL)
		out->code_class = out->kind == SMTPDOC_LOG_DEFERRED ? '4' : '5';
	return SD_LOG_EVENT;
}

/* "H=.. F=<s> [temporarily ]rejected STAGE ...: text" */
static int
sd_exim_reject(const char *p, const char *end, const char *rej, sd_logline *out)
{
	const char *a = rej + 9, *colon, *fp;

	out->kind = SMTPDOC_LOG_REJECTED;
	out->code_class = (rej - p >= 12 && memcmp(rej - 12, "temporarily ", 12) == 0) ? '4' : '5';
	sd_exim_host(p, rej, out);
	fp = sd_span_find(p, (size_t)(rej - p), LIT("F=<"));
	if (fp)
		out->addresser = sd_span_upto(fp + 3, rej, '>');
	if (a < end && sd_isalpha((unsigned char)*a)) {
		if ((size_t)(end - a) > 5 && memcmp(a, "RCPT <", 6) == 0) {
			out->command = "RCPT";
			out->recipient = sd_span_upto(a + 6, end, '>');
		} else if ((size_t)(end - a) > 5 && memcmp(a, "MAIL <", 6) == 0) {
			out->command = "MAIL";
			if (out->addresser.p == NULL)
				out->addresser = sd_span_upto(a + 6, end, '>');
		} else if ((size_t)(end - a) > 6 && memcmp(a, "from <", 6) == 0) {
			out->command = "DATA";
			out->addresser = sd_span_upto(a + 6, end, '>');
			sd_exim_host(a, end, out);
		} else if ((size_t)(end - a) >= 12 && memcmp(a, "EHLO or HELO", 12) == 0) {
			out->command = "EHLO";
		} else {
			out->command = sd_log_stage(a, (size_t)(end - a));
		}
	}
	colon = sd_span_find(a, (size_t)(end - a), LIT(": "));
	/* skip a ": " inside the angle brackets of an address */
	if (colon && out->recipient.p && colon < out->recipient.p + out->recipient.n)
		colon = sd_span_find(out->recipient.p + out->recipient.n, (size_t)(end - out->recipient.p - out->recipient.n),
				     LIT(": "));
	if (colon)
		sd_exim_text(colon + 2, end, out);
	else {
		out->text.p = rej;
		out->text.n = (size_t)(end - rej);
	}
	return SD_LOG_EVENT;
}

int
sd_log_exim(const char *msg, size_t len, int all, sd_logline *out)
{
	const char *p = msg, *end = msg + len, *rej;
	size_t idn = sd_exim_id(p, end);

	out->mta = "exim";
	if (idn) {
		out->queueid.p = p;
		out->queueid.n = idn;
		p += idn;
		if (p < end && *p == ':')
			p++;
		if (p >= end)
			return SD_LOG_OTHER;
		p++;
		if (end - p >= 3 && p[2] == ' ') {
			if (p[0] == '*' && p[1] == '*') {
				out->kind = SMTPDOC_LOG_BOUNCED;
				return sd_exim_failure(p + 3, end, out);
			}
			if (p[0] == '=' && p[1] == '=') {
				out->kind = SMTPDOC_LOG_DEFERRED;
				return sd_exim_failure(p + 3, end, out);
			}
			if (p[0] == '<' && p[1] == '=') {
				if (!all)
					return SD_LOG_OTHER;
				out->kind = SMTPDOC_LOG_RECEIVED;
				out->addresser = sd_span_upto(p + 3, end, ' ');
				rej = out->addresser.p + out->addresser.n; /* the sender's end */
				if (out->addresser.n == 2 && memcmp(out->addresser.p, "<>", 2) == 0)
					out->addresser.n = 0;
				/* a bounce or delay notice Exim wrote itself: "<= <>
				 * R=ID", right after the sender, names the message it
				 * reports on (not an "R=" further on, in a subject) */
				if (end - rej > 3 && memcmp(rej, " R=", 3) == 0)
					out->related = sd_span_upto(rej + 3, end, ' ');
				sd_exim_host(p + 3, end, out);
				rej = sd_span_find(p, (size_t)(end - p), LIT(" id="));
				if (rej)
					out->messageid = sd_span_upto(rej + 4, end, ' ');
				return SD_LOG_EVENT;
			}
			if ((p[0] == '=' || p[0] == '-' || p[0] == '*') && p[1] == '>') {
				const char *c;
				if (!all)
					return SD_LOG_OTHER;
				out->kind = SMTPDOC_LOG_DELIVERED;
				out->recipient = sd_span_upto(p + 3, end, ' ');
				sd_exim_parent(out->recipient.p + out->recipient.n, end, out);
				sd_exim_host(p + 3, end, out);
				c = sd_span_find(p, (size_t)(end - p), LIT(" C=\""));
				if (c) {
					out->text = sd_span_upto(c + 4, end, '"');
					sd_log_reply_codes(out);
				}
				return SD_LOG_EVENT;
			}
		}
		if (end - p >= 9 && memcmp(p, "Completed", 9) == 0) {
			if (!all)
				return SD_LOG_OTHER;
			out->kind = SMTPDOC_LOG_INFO;
			out->text.p = p;
			out->text.n = 9;
			return SD_LOG_EVENT;
		}
	}
	/* refusals: "H=... rejected ..." and "rejected from <s> H=..." */
	if (end - p >= 9 && memcmp(p, "rejected ", 9) == 0)
		return sd_exim_reject(p, end, p, out);
	if (end - p < 2 || p[0] != 'H' || p[1] != '=')
		return SD_LOG_OTHER;
	rej = sd_span_find(p, (size_t)(end - p), LIT(" rejected "));
	if (rej == NULL)
		return SD_LOG_OTHER;
	return sd_exim_reject(p, end, rej + 1, out);
}
