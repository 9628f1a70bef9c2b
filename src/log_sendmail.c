/*
 * log_sendmail.c - the message part of a Sendmail (sendmail, sm-mta,
 * sm-msp-queue) syslog line.
 *
 * Sendmail's wording (its operations guide, "Log Information"):
 *   "QID: from=<s>, size=N, class=0, nrcpts=N, msgid=<id>, proto=ESMTP,
 *    daemon=MTA, relay=host [ip]"                          received
 *   "QID: to=<r>[,<r2>], [ctladdr=..,] delay=.., xdelay=.., mailer=esmtp,
 *    pri=N, relay=host. [ip], dsn=5.1.1, stat=text"      delivered when
 *    stat starts with "Sent", deferred with "Deferred", else bounced
 *   "QID|NOQUEUE: ruleset=check_rcpt, arg1=<r>, relay=host [ip],
 *    reject=550 5.7.1 <r>... Relaying denied"              rejected
 *   "QID: <r>... User unknown"                             rejected at RCPT
 *   "QID: NEWQID: DSN: text"                               bounce notice
 */
#include <string.h>

#include "internal.h"
#include "logparse.h"

#define LIT(s) s, sizeof(s) - 1

/* the value of ", key=" (or "key=" at p) up to the next ", " or end */
static sd_span
sd_sm_field(const char *p, const char *end, const char *key, size_t kn)
{
	sd_span s = {NULL, 0};
	const char *k = sd_span_find(p, (size_t)(end - p), key, kn), *e;

	if (k == NULL || (k > p && k[-1] != ' '))
		return s;
	k += kn;
	e = sd_span_find(k, (size_t)(end - k), LIT(", "));
	s.p = k;
	s.n = (size_t)((e ? e : end) - k);
	return s;
}

static void
sd_sm_relay(const char *p, const char *end, sd_logline *out)
{
	sd_span r = sd_sm_field(p, end, LIT("relay="));
	const char *lb;

	if (r.p == NULL)
		return;
	lb = memchr(r.p, '[', r.n);
	out->rhost.p = r.p;
	out->rhost.n = lb ? (size_t)(lb - r.p) : r.n;
	while (out->rhost.n && (out->rhost.p[out->rhost.n - 1] == ' ' || out->rhost.p[out->rhost.n - 1] == '.'))
		out->rhost.n--;
	if (out->rhost.n == 0)
		out->rhost.p = NULL;
	if (lb) {
		const char *rb = memchr(lb, ']', (size_t)(r.p + r.n - lb));
		if (rb) {
			out->rip.p = lb + 1;
			out->rip.n = (size_t)(rb - lb - 1);
		}
	}
}

int
sd_log_sendmail(const char *msg, size_t len, int all, sd_logline *out)
{
	const char *end = msg + len, *colon, *p;
	sd_span f;

	colon = memchr(msg, ':', len < 40 ? len : 40);
	if (colon == NULL || colon == msg || colon + 1 >= end || colon[1] != ' ')
		return SD_LOG_OTHER;
	for (p = msg; p < colon; p++)
		if (!sd_isalnum((unsigned char)*p))
			return SD_LOG_OTHER;
	if (!(colon - msg == 7 && memcmp(msg, "NOQUEUE", 7) == 0))
		out->queueid.p = msg, out->queueid.n = (size_t)(colon - msg);
	p = colon + 2;
	if ((size_t)(end - p) > 8 && memcmp(p, "ruleset=", 8) == 0) {
		const char *rj = sd_span_find(p, (size_t)(end - p), LIT(", reject="));
		sd_span rs = sd_sm_field(p, end, LIT("ruleset="));
		if (rj == NULL)
			return SD_LOG_OTHER;
		out->kind = SMTPDOC_LOG_REJECTED;
		if (rs.n == 10 && memcmp(rs.p, "check_rcpt", 10) == 0) {
			out->command = "RCPT";
			f = sd_sm_field(p, rj, LIT("arg1=<"));
			if (f.p)
				out->recipient = sd_span_upto(f.p, f.p + f.n, '>');
		} else if (rs.n == 10 && memcmp(rs.p, "check_mail", 10) == 0) {
			out->command = "MAIL";
			f = sd_sm_field(p, rj, LIT("arg1=<"));
			if (f.p)
				out->addresser = sd_span_upto(f.p, f.p + f.n, '>');
		} else if (rs.n == 11 && memcmp(rs.p, "check_relay", 11) == 0) {
			out->command = "CONN";
		}
		sd_sm_relay(p, rj, out);
		out->text.p = rj + 9;
		out->text.n = (size_t)(end - rj - 9);
		sd_log_reply_codes(out);
		return SD_LOG_EVENT;
	}
	if (out->queueid.p == NULL)
		return SD_LOG_OTHER;
	if ((size_t)(end - p) > 4 && memcmp(p, "to=", 3) == 0) {
		sd_span st = sd_sm_field(p, end, LIT("stat="));
		if (st.p == NULL)
			return SD_LOG_OTHER;
		/* stat= is the last field: its text may hold ", " */
		st.n = (size_t)(end - st.p);
		if (st.n >= 4 && memcmp(st.p, "Sent", 4) == 0) {
			if (!all)
				return SD_LOG_OTHER;
			out->kind = SMTPDOC_LOG_DELIVERED;
		} else if (st.n >= 8 && memcmp(st.p, "Deferred", 8) == 0) {
			out->kind = SMTPDOC_LOG_DEFERRED;
			out->code_class = '4';
			if (st.n > 10 && st.p[8] == ':') {
				st.p += 10;
				st.n -= 10;
			}
		} else {
			out->kind = SMTPDOC_LOG_BOUNCED;
			out->code_class = '5';
		}
		f = sd_sm_field(p, end, LIT("to="));
		out->recipient = sd_span_upto(f.p, f.p + f.n, ',');
		if (out->recipient.n >= 2 && out->recipient.p[0] == '<') {
			out->recipient.p++;
			out->recipient.n -= 2;
		}
		out->status = sd_sm_field(p, st.p, LIT("dsn="));
		if (out->status.n && out->status.p[0] == '2' && out->kind != SMTPDOC_LOG_DELIVERED)
			out->status.p = NULL, out->status.n = 0;
		sd_sm_relay(p, st.p, out);
		out->text = st;
		sd_log_reply_codes(out);
		return SD_LOG_EVENT;
	}
	if ((size_t)(end - p) > 5 && memcmp(p, "from=", 5) == 0) {
		if (!all)
			return SD_LOG_OTHER;
		f = sd_sm_field(p, end, LIT("from="));
		out->kind = SMTPDOC_LOG_RECEIVED;
		out->addresser = f;
		if (f.n >= 2 && f.p[0] == '<') {
			out->addresser.p++;
			out->addresser.n -= 2;
		}
		f = sd_sm_field(p, end, LIT("msgid="));
		if (f.n >= 2 && f.p[0] == '<') {
			out->messageid.p = f.p + 1;
			out->messageid.n = f.n - 2;
		}
		sd_sm_relay(p, end, out);
		return SD_LOG_EVENT;
	}
	if (p < end && *p == '<') {
		/* "<r>... User unknown": refused at RCPT during SMTP */
		const char *dots = sd_span_find(p, (size_t)(end - p), LIT(">... "));
		if (dots == NULL)
			return SD_LOG_OTHER;
		out->kind = SMTPDOC_LOG_REJECTED;
		out->command = "RCPT";
		out->code_class = '5';
		out->recipient.p = p + 1;
		out->recipient.n = (size_t)(dots - p - 1);
		out->text.p = dots + 5;
		out->text.n = (size_t)(end - dots - 5);
		sd_log_reply_codes(out);
		return SD_LOG_EVENT;
	}
	colon = memchr(p, ':', (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
	if (colon && (size_t)(end - colon) > 7 && memcmp(colon, ": DSN: ", 7) == 0) {
		out->kind = SMTPDOC_LOG_NOTICE;
		out->related.p = p;
		out->related.n = (size_t)(colon - p);
		out->text.p = colon + 7;
		out->text.n = (size_t)(end - colon - 7);
		return SD_LOG_EVENT;
	}
	return SD_LOG_OTHER;
}
