/*
 * log_postfix.c - the message part of a Postfix log line.
 *
 * Events (Postfix's own wording, see its DEBUG_README and the daemons'
 * manual pages for the fields):
 *   smtp, lmtp, local, virtual, pipe, error, retry, discard:
 *     "QID: to=<rcpt>, [orig_to=<alias>,] relay=host[ip]:port, delay=..,
 *      delays=.., dsn=5.1.1, status=bounced|deferred|sent|expired (text)"
 *     (status=SOFTBOUNCE with soft_bounce = yes: kept queued, a deferral)
 *   qmgr: "QID: from=<s>, size=N, nrcpt=N (queue active)" (received),
 *         "QID: from=<s>, status=expired, returned to sender", "QID: removed"
 *   smtpd, postscreen: "QID|NOQUEUE: reject: STAGE from host[ip]: text;
 *         from=<s> to=<r> proto=.. helo=<h>" (postscreen separates the
 *         fields with ", "); also milter-reject; "QID: client=host[ip]"
 *   cleanup: "QID: message-id=<id>", "QID: reject: header ... from
 *         host[ip]; from=<s> to=<r> proto=.. helo=<h>: 5.7.1 text", and
 *         milter-reject: "QID: milter-reject: END-OF-MESSAGE from host[ip]:
 *         5.7.1 text; from=<s> to=<r> ..."
 *   bounce: "QID: sender non-delivery notification: NEWQID" (also delay
 *         and delivery status notifications)
 * All spans point into the caller's line.
 */
#include <string.h>

#include "internal.h"
#include "logparse.h"

#define LIT(s) s, sizeof(s) - 1

static int
sd_starts(const char *p, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* the value of "key<...>" (angle brackets) found at or after p, or a
 * span with p NULL */
static sd_span
sd_angle_value(const char *p, const char *end, const char *key, size_t kn)
{
	sd_span s = {NULL, 0};
	const char *k = p < end ? sd_span_find(p, (size_t)(end - p), key, kn) : NULL;

	if (k == NULL)
		return s;
	k += kn;
	s = sd_span_upto(k, end, '>');
	return s;
}

/* The "name=" fields of a delivery line up to status=, in one walk over
 * its '=' signs (cheaper than a search per field: these lines are most
 * of a Postfix log). The recipient's address may hold '=': it lies inside
 * "to=<...>", which is skipped first. */
static const char *
sd_pf_fields(const char *p, const char *end, const char **relay, const char **dsn, const char **orig)
{
	const char *q = p, *eq;

	*relay = *dsn = *orig = NULL;
	if (sd_starts(p, end, LIT("to=<"))) {
		const char *gt = memchr(p + 4, '>', (size_t)(end - p - 4));
		if (gt == NULL)
			return NULL;
		q = gt + 1;
	}
	while (q < end && (eq = memchr(q, '=', (size_t)(end - q))) != NULL) {
		const char *name = eq;
		while (name > q && name[-1] != ' ' && name[-1] != ',')
			name--;
		switch (eq - name) {
		case 3:
			if (memcmp(name, "dsn", 3) == 0)
				*dsn = name;
			break;
		case 5:
			if (memcmp(name, "relay", 5) == 0)
				*relay = name;
			break;
		case 6:
			if (memcmp(name, "status", 6) == 0)
				return name;
			break;
		case 7:
			if (memcmp(name, "orig_to", 7) == 0 && eq + 1 < end && eq[1] == '<') {
				const char *gt = memchr(eq + 2, '>', (size_t)(end - eq - 2));
				if (gt == NULL)
					return NULL;
				*orig = name;
				q = gt; /* the address may hold '=' */
				continue;
			}
			break;
		default:
			break;
		}
		q = eq + 1;
	}
	return NULL;
}

/* "to=<r>, relay=h[ip]:port, ..., dsn=x, status=word (text)" */
static int
sd_pf_delivery(const char *p, const char *end, int all, sd_logline *out)
{
	const char *relay, *dsn, *orig;
	const char *st = sd_pf_fields(p, end, &relay, &dsn, &orig);
	const char *w, *t;
	sd_span word;

	if (st == NULL)
		return SD_LOG_OTHER;
	w = st + 7;
	word = sd_span_upto(w, end, ' ');
	if (word.n == 4 && memcmp(w, "sent", 4) == 0) {
		if (!all)
			return SD_LOG_OTHER;
		out->kind = SMTPDOC_LOG_DELIVERED;
	} else if (word.n == 7 && memcmp(w, "bounced", 7) == 0) {
		out->kind = SMTPDOC_LOG_BOUNCED;
	} else if ((word.n == 8 && memcmp(w, "deferred", 8) == 0) || (word.n == 10 && memcmp(w, "SOFTBOUNCE", 10) == 0)) {
		/* SOFTBOUNCE: a failure that soft_bounce = yes keeps in the
		 * queue (its dsn turned to 4.x.x): a deferral */
		out->kind = SMTPDOC_LOG_DEFERRED;
	} else if (word.n == 7 && memcmp(w, "expired", 7) == 0) {
		out->kind = SMTPDOC_LOG_EXPIRED;
	} else if (all) {
		out->kind = SMTPDOC_LOG_INFO; /* undeliverable (verify), deliverable, ... */
	} else {
		return SD_LOG_OTHER;
	}
	out->recipient = sd_angle_value(p, st, LIT("to=<"));
	if (orig)
		out->alias = sd_angle_value(orig, st, LIT("orig_to=<"));
	if (relay) {
		sd_span r = sd_span_upto(relay + 6, st, ',');
		if (!(r.n == 4 && memcmp(r.p, "none", 4) == 0))
			sd_log_hostip(r.p, r.n, &out->rhost, &out->rip);
	}
	if (dsn) {
		out->status = sd_span_upto(dsn + 4, st, ',');
		/* 2.0.0 says nothing about a failure */
		if (out->kind != SMTPDOC_LOG_DELIVERED && out->status.n && out->status.p[0] == '2')
			out->status.p = NULL, out->status.n = 0;
	}
	/* the text in parentheses, to the last ')' */
	t = w + word.n;
	if (t + 1 < end && t[0] == ' ' && t[1] == '(') {
		const char *a = t + 2, *z = end;
		while (z > a && z[-1] != ')')
			z--;
		if (z > a)
			z--;
		else
			z = end;
		out->text.p = a;
		out->text.n = (size_t)(z - a);
	}
	if (out->text.p) {
		const char *tp = out->text.p, *te = tp + out->text.n, *said, *irt;
		/* "host H[IP] said: REPLY (in reply to X command)" */
		if (sd_starts(tp, te, LIT("host ")) && (said = sd_span_find(tp, out->text.n, LIT(" said: "))) != NULL) {
			sd_log_hostip(tp + 5, (size_t)(said - tp - 5), &out->rhost, &out->rip);
			tp = said + 7;
			irt = sd_span_rfind(tp, (size_t)(te - tp), LIT(" (in reply to "));
			if (irt) {
				out->command = sd_log_stage(irt + 14, (size_t)(te - irt - 14));
				te = irt;
			}
			out->text.p = tp;
			out->text.n = (size_t)(te - tp);
		} else if (sd_starts(tp, te, LIT("host ")) && sd_span_find(tp, out->text.n, LIT("refused to talk to me"))) {
			out->command = "CONN";
		} else if (sd_starts(tp, te, LIT("connect to "))) {
			out->command = "CONN";
		} else if ((irt = sd_span_find(tp, out->text.n, LIT(" while sending "))) != NULL) {
			out->command = sd_log_stage(irt + 15, (size_t)(te - irt - 15));
		} else if (sd_span_find(tp, out->text.n, LIT("initial server greeting"))) {
			out->command = "CONN";
		}
	}
	sd_log_reply_codes(out);
	/* "... refused to talk to me: 421 4.3.2 ..." */
	if (out->replycode.p == NULL && out->text.p) {
		const char *c = sd_span_find(out->text.p, out->text.n, LIT("me: "));
		if (c && (size_t)(out->text.p + out->text.n - c) >= 7 && (c[4] == '4' || c[4] == '5') &&
		    sd_isdigit((unsigned char)c[5]) && sd_isdigit((unsigned char)c[6])) {
			out->replycode.p = c + 4;
			out->replycode.n = 3;
		}
	}
	return SD_LOG_EVENT;
}

/* the "from=<s> to=<r> proto=.." fields at the end of a reject line */
static void
sd_pf_reject_fields(const char *f, const char *end, sd_logline *out)
{
	out->addresser = sd_angle_value(f, end, LIT("from=<"));
	out->recipient = sd_angle_value(f, end, LIT("to=<"));
}

/* "reject: STAGE from host[ip]: text; from=<s> to=<r> proto=P helo=<h>"
 * (smtpd, postscreen) and the milter-reject form */
static int
sd_pf_reject(const char *p, const char *end, int cleanup, sd_logline *out)
{
	const char *fields, *from, *colon;

	out->kind = SMTPDOC_LOG_REJECTED;
	fields = sd_span_rfind(p, (size_t)(end - p), LIT("; from=<"));
	if (fields == NULL)
		fields = sd_span_rfind(p, (size_t)(end - p), LIT("; proto="));
	if (fields)
		sd_pf_reject_fields(fields, end, out);
	else
		fields = end;
	out->command = sd_log_stage(p, (size_t)(fields - p));
	from = sd_span_find(p, (size_t)(fields - p), LIT(" from "));
	if (cleanup && fields < end && (from == NULL || memchr(from, ':', (size_t)(fields - from)) == NULL ||
					 !sd_starts(p, end, LIT("END-OF-MESSAGE")))) {
		/* cleanup: "header NAME: value from host[ip]; from=..: 5.7.1 text" */
		const char *hb = sd_span_rfind(p, (size_t)(fields - p), LIT(" from "));
		const char *tx = sd_span_rfind(fields, (size_t)(end - fields), LIT(">: "));
		if (hb)
			sd_log_hostip(hb + 6, (size_t)(fields - hb - 6), &out->rhost, &out->rip);
		if (tx) {
			out->text.p = tx + 3;
			out->text.n = (size_t)(end - tx - 3);
		}
		out->command = "DATA";
		sd_log_reply_codes(out);
		return SD_LOG_EVENT;
	}
	if (from) {
		const char *h = from + 6;
		/* the host ends at "]: " (or "]:port: " for postscreen) */
		colon = sd_span_find(h, (size_t)(fields - h), LIT(": "));
		if (colon) {
			sd_log_hostip(h, (size_t)(colon - h), &out->rhost, &out->rip);
			out->text.p = colon + 2;
			out->text.n = (size_t)(fields - colon - 2);
		}
	}
	sd_log_reply_codes(out);
	return SD_LOG_EVENT;
}

int
sd_log_postfix(const char *msg, size_t len, sd_span prog, int all, sd_logline *out)
{
	const char *end = msg + len, *colon, *p, *lim;
	const char *sub = prog.p, *pe = prog.p + prog.n;
	size_t sn, i;

	/* the daemon: after the last '/' of "postfix[-inst]/[service/]name" */
	for (i = prog.n; i > 0; i--)
		if (prog.p[i - 1] == '/') {
			sub = prog.p + i;
			break;
		}
	sn = (size_t)(pe - sub);
	/* the queue id or NOQUEUE (letters and digits), then ": " */
	lim = msg + (len < 40 ? len : 40);
	for (colon = msg; colon < lim && sd_isalnum((unsigned char)*colon); colon++)
		;
	if (colon == msg || colon + 1 >= end || colon[0] != ':' || colon[1] != ' ')
		return SD_LOG_OTHER;
	if (!((colon - msg == 7 && memcmp(msg, "NOQUEUE", 7) == 0)))
		out->queueid.p = msg, out->queueid.n = (size_t)(colon - msg);
	p = colon + 2;

	if (sd_starts(p, end, LIT("reject: "))) {
		out->client_refused = sn == 10 && memcmp(sub, "postscreen", 10) == 0;
		return sd_pf_reject(p + 8, end, sn == 7 && memcmp(sub, "cleanup", 7) == 0, out);
	}
	if (sd_starts(p, end, LIT("milter-reject: ")))
		return sd_pf_reject(p + 15, end, 0, out);
	if (out->queueid.p == NULL)
		return SD_LOG_OTHER;
	if (sd_starts(p, end, LIT("to=<")))
		return sd_pf_delivery(p, end, all, out);
	if (sn == 4 && memcmp(sub, "qmgr", 4) == 0 && sd_starts(p, end, LIT("from=<"))) {
		out->addresser = sd_angle_value(p, end, LIT("from=<"));
		/* "from=<s>, status=expired, returned to sender": right after
		 * the address, so no search of the whole line */
		if (out->addresser.p && out->addresser.p + out->addresser.n < end &&
		    sd_starts(out->addresser.p + out->addresser.n + 1, end, LIT(", status=expired"))) {
			out->kind = SMTPDOC_LOG_EXPIRED;
			out->text.p = "message expired in the queue: returned to sender";
			out->text.n = strlen(out->text.p);
			out->code_class = '5';
			return SD_LOG_EVENT;
		}
		if (!all)
			return SD_LOG_OTHER;
		out->kind = SMTPDOC_LOG_RECEIVED;
		return SD_LOG_EVENT;
	}
	if (sn == 6 && memcmp(sub, "bounce", 6) == 0 && sd_span_find(p, (size_t)(end - p), LIT(" notification: "))) {
		const char *n = sd_span_find(p, (size_t)(end - p), LIT(" notification: "));
		out->kind = SMTPDOC_LOG_NOTICE;
		out->related.p = n + 15;
		out->related.n = (size_t)(end - n - 15);
		out->text.p = p;
		out->text.n = (size_t)(n + 13 - p);
		return SD_LOG_EVENT;
	}
	if (!all)
		return SD_LOG_OTHER;
	if (sd_starts(p, end, LIT("message-id="))) {
		out->kind = SMTPDOC_LOG_INFO;
		out->messageid.p = p + 11;
		out->messageid.n = (size_t)(end - p - 11);
		if (out->messageid.n >= 2 && out->messageid.p[0] == '<') {
			out->messageid.p++;
			out->messageid.n -= 2;
		}
		return SD_LOG_EVENT;
	}
	if (sd_starts(p, end, LIT("client="))) {
		sd_span c = sd_span_upto(p + 7, end, ',');
		out->kind = SMTPDOC_LOG_INFO;
		sd_log_hostip(c.p, c.n, &out->rhost, &out->rip);
		out->text.p = p;
		out->text.n = (size_t)(end - p);
		return SD_LOG_EVENT;
	}
	if (sd_starts(p, end, LIT("removed"))) {
		out->kind = SMTPDOC_LOG_INFO;
		out->text.p = p;
		out->text.n = (size_t)(end - p);
		return SD_LOG_EVENT;
	}
	return SD_LOG_OTHER;
}
