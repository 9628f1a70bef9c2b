/*
 * log_line.c - one mail log line: its timestamp and syslog prefix, then
 * the MTA's own part (log_postfix.c, log_exim.c, log_sendmail.c).
 *
 * Prefixes read:
 *   Exim's own logs    "2026-12-02 10:11:12[.mmm][ +hhmm][ [pid]] ..."
 *   RFC 3339 syslog    "2026-12-02T10:11:12[.frac](Z|+hh:mm) host prog[pid]: msg"
 *   classic syslog     "Dec  2 10:11:12 host prog[pid]: msg" (also "Dec 02",
 *                      as Postfix's maillog_file writes it)
 * Continuation lines of Exim's reject log (the message's headers, which
 * start with a space or "Envelope-") are known lines without an event.
 * Every step is a bounded forward walk: linear in the line.
 */
#include <string.h>

#include "internal.h"
#include "logparse.h"

/* first occurrence: memchr on the needle's first byte that is not a
 * space (spaces are everywhere in a log line), then a compare. The
 * needles are short literals, so this stays linear in the line and beats
 * memmem's setup on lines of a hundred bytes. */
const char *
sd_span_find(const char *p, size_t n, const char *needle, size_t nn)
{
	const char *end, *q;
	size_t k = 0;

	if (nn == 0 || n < nn)
		return NULL;
	while (k + 1 < nn && needle[k] == ' ')
		k++;
	end = p + (n - nn) + 1; /* the last place a match can start, plus one */
	for (q = p; q < end;) {
		const char *hit = memchr(q + k, needle[k], (size_t)(end - q));
		if (hit == NULL)
			return NULL;
		q = hit - k;
		if (memcmp(q, needle, nn) == 0)
			return q;
		q++;
	}
	return NULL;
}

/* last occurrence: a backward walk on the first byte, then a compare */
const char *
sd_span_rfind(const char *p, size_t n, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0 || n < nn)
		return NULL;
	for (i = n - nn + 1; i-- > 0;)
		if (p[i] == needle[0] && memcmp(p + i, needle, nn) == 0)
			return p + i;
	return NULL;
}

sd_span
sd_span_upto(const char *p, const char *end, char c)
{
	sd_span s;
	const char *q = p < end ? memchr(p, c, (size_t)(end - p)) : NULL;

	s.p = p;
	s.n = (size_t)((q ? q : end) - p);
	return s;
}

void
sd_log_hostip(const char *p, size_t n, sd_span *host, sd_span *ip)
{
	const char *lb = memchr(p, '[', n), *rb;

	if (lb == NULL) {
		host->p = p;
		host->n = n;
		return;
	}
	host->p = p;
	host->n = (size_t)(lb - p);
	rb = memchr(lb, ']', n - (size_t)(lb - p));
	if (rb) {
		ip->p = lb + 1;
		ip->n = (size_t)(rb - lb - 1);
	}
	if (host->n == 0 || (host->n == 7 && memcmp(host->p, "unknown", 7) == 0))
		host->p = NULL, host->n = 0;
}

typedef struct sd_stage_word {
	const char *words;
	const char *stage;
} sd_stage_word;

/* the first words of a stage as MTAs log it, longest first where one is
 * a prefix of another */
static const sd_stage_word sd_stage_words[] = {
	{"RCPT", "RCPT"}, {"rcpt", "RCPT"},
	{"MAIL", "MAIL"}, {"mail", "MAIL"},
	{"end of DATA", "DATA"}, {"end of data", "DATA"}, {"END-OF-MESSAGE", "DATA"},
	{"DATA", "DATA"}, {"BDAT", "DATA"}, {"data", "DATA"}, {"after DATA", "DATA"},
	{"header", "DATA"}, {"body", "DATA"}, {"message content", "DATA"},
	{"EHLO", "EHLO"}, {"HELO", "HELO"}, {"ehlo", "EHLO"},
	{"CONNECT", "CONN"}, {"initial connection", "CONN"}, {"connection", "CONN"},
	{"STARTTLS", "STARTTLS"}, {"AUTH", "AUTH"}, {"VRFY", "VRFY"}, {"ETRN", "ETRN"},
};

const char *
sd_log_stage(const char *p, size_t n)
{
	size_t i, wl;

	for (i = 0; i < sizeof(sd_stage_words) / sizeof(sd_stage_words[0]); i++) {
		wl = strlen(sd_stage_words[i].words);
		if (n >= wl && memcmp(p, sd_stage_words[i].words, wl) == 0)
			return sd_stage_words[i].stage;
	}
	return NULL;
}

int
sd_log_status_ok(sd_span s)
{
	size_t i = 2, k;

	if (s.p == NULL || s.n < 5 || (s.p[0] != '2' && s.p[0] != '4' && s.p[0] != '5') || s.p[1] != '.')
		return 0;
	for (k = 0; i < s.n && sd_isdigit((unsigned char)s.p[i]); i++)
		k++;
	if (k == 0 || k > 3 || i >= s.n || s.p[i] != '.')
		return 0;
	for (i++, k = 0; i < s.n && sd_isdigit((unsigned char)s.p[i]); i++)
		k++;
	return k >= 1 && k <= 3 && i == s.n;
}

void
sd_log_reply_codes(sd_logline *out)
{
	const char *t = out->text.p;
	size_t n = out->text.n, i;

	if (t == NULL)
		return;
	if (n >= 3 && (t[0] == '4' || t[0] == '5') && sd_isdigit(t[1]) && sd_isdigit(t[2]) &&
	    (n == 3 || t[3] == ' ' || t[3] == '-')) {
		out->replycode.p = t;
		out->replycode.n = 3;
	}
	if (out->status.p && !sd_log_status_ok(out->status))
		out->status.p = NULL, out->status.n = 0; /* a dsn= field that is not a status */
	if (out->status.p)
		return;
	/* the first d.d.d with class 4 or 5, ahead of the words */
	for (i = 0; i + 5 <= n && i < 64; i++) {
		size_t j = i + 2, k;
		if ((t[i] != '4' && t[i] != '5') || t[i + 1] != '.' || (i > 0 && t[i - 1] != ' '))
			continue;
		for (k = 0; j < n && sd_isdigit(t[j]) && k < 3; j++, k++)
			;
		if (k == 0 || j >= n || t[j] != '.')
			continue;
		j++;
		for (k = 0; j < n && sd_isdigit(t[j]) && k < 3; j++, k++)
			;
		if (k == 0 || (j < n && t[j] != ' ' && t[j] != ';' && t[j] != ','))
			continue;
		out->status.p = t + i;
		out->status.n = j - i;
		return;
	}
}

int
sd_log_digits(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!sd_isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static const char sd_months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static int
sd_month(const char *p)
{
	int i;

	for (i = 0; i < 12; i++)
		if (p[0] == sd_months[i * 3] && p[1] == sd_months[i * 3 + 1] && p[2] == sd_months[i * 3 + 2])
			return i + 1;
	return 0;
}

/* "hh:mm:ss" at p; 0 ok */
static int
sd_hms(const char *p, sd_logstamp *s)
{
	if (p[2] != ':' || p[5] != ':')
		return -1;
	s->hour = sd_log_digits(p, 2);
	s->min = sd_log_digits(p + 3, 2);
	s->sec = sd_log_digits(p + 6, 2);
	if (s->hour < 0 || s->hour > 23 || s->min < 0 || s->min > 59 || s->sec < 0 || s->sec > 60)
		return -1;
	return 0;
}

/* "YYYY-MM-DD" + sep + "hh:mm:ss" at p (19 bytes available) */
static int
sd_isodate(const char *p, sd_logstamp *s)
{
	if (p[4] != '-' || p[7] != '-')
		return -1;
	s->year = sd_log_digits(p, 4);
	s->mon = sd_log_digits(p + 5, 2);
	s->day = sd_log_digits(p + 8, 2);
	if (s->year < 1970 || s->mon < 1 || s->mon > 12 || s->day < 1 || s->day > 31)
		return -1;
	return sd_hms(p + 11, s);
}

/* after "host ": "prog[pid]: msg" or "prog: msg"; dispatch on prog */
static int
sd_syslog_rest(const char *p, const char *end, int all, sd_logline *out)
{
	const char *sp, *colon, *msg, *lb;
	sd_span prog;

	/* the host */
	for (sp = p; sp < end && *sp != ' '; sp++)
		;
	if (sp == end)
		return SD_LOG_CUT;
	p = sp + 1;
	/* the program's name ends at '[' or ':'; one short walk, no calls */
	for (lb = p; lb < end && *lb != '[' && *lb != ':' && *lb != ' '; lb++)
		;
	colon = lb;
	if (lb < end && *lb == '[')
		for (; colon < end && *colon != ':' && *colon != ' '; colon++)
			;
	if (colon >= end || *colon != ':') {
		/* a space before any ':' (no program's name), or no ':' */
		const char *c2 = colon < end ? memchr(colon, ':', (size_t)(end - colon)) : NULL;
		if (c2 == NULL || c2 + 1 >= end || c2[1] != ' ')
			return SD_LOG_CUT;
		return SD_LOG_OTHER;
	}
	if (colon + 1 >= end || colon[1] != ' ')
		return SD_LOG_CUT;
	prog.p = p;
	prog.n = (size_t)(lb - p);
	if (prog.n == 0)
		return SD_LOG_OTHER;
	out->program = prog;
	msg = colon + 2;
	if (prog.n >= 7 && memcmp(prog.p, "postfix", 7) == 0) {
		out->mta = "postfix";
		return sd_log_postfix(msg, (size_t)(end - msg), prog, all, out);
	}
	if ((prog.n == 8 && memcmp(prog.p, "sendmail", 8) == 0) || (prog.n >= 3 && memcmp(prog.p, "sm-", 3) == 0)) {
		out->mta = "sendmail";
		return sd_log_sendmail(msg, (size_t)(end - msg), all, out);
	}
	if (prog.n >= 4 && memcmp(prog.p, "exim", 4) == 0) {
		out->mta = "exim";
		return sd_log_exim(msg, (size_t)(end - msg), all, out);
	}
	return SD_LOG_OTHER;
}

/* *out emptied, field by field: a memset of the whole struct compiles to
 * "rep stos", whose start-up cost was a tenth of the time of reading a
 * Postfix log; these stores do not have it. */
static void
sd_logline_clear(sd_logline *out)
{
	static const sd_span none = {NULL, 0};
	static const sd_logstamp nostamp = {0, 0, 0, 0, 0, 0, 0, 0};

	out->kind = 0;
	out->mta = NULL;
	out->command = NULL;
	out->code_class = 0;
	out->client_refused = 0;
	out->stamp = nostamp;
	/* one by one: a chained assignment reads back what it just stored */
	out->program = none;
	out->queueid = none;
	out->addresser = none;
	out->recipient = none;
	out->rhost = none;
	out->rip = none;
	out->replycode = none;
	out->status = none;
	out->text = none;
	out->messageid = none;
	out->related = none;
	out->alias = none;
}

int
sd_log_parse_line(const char *line, size_t len, int all, sd_logline *out)
{
	const char *p = line, *end = line + len;
	sd_logstamp *s = &out->stamp;

	sd_logline_clear(out);
	while (end > p && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	len = (size_t)(end - p);
	if (len == 0)
		return SD_LOG_OTHER;
	if (sd_isdigit((unsigned char)p[0])) {
		if (len < 19)
			return len >= 5 && p[4] == '-' ? SD_LOG_CUT : SD_LOG_UNKNOWN;
		if (sd_isodate(p, s) != 0)
			return SD_LOG_UNKNOWN;
		if (p[10] == ' ') {
			/* Exim's own log */
			p += 19;
			if (p < end && *p == '.')
				for (p++; p < end && sd_isdigit((unsigned char)*p); p++)
					;
			if (end - p >= 6 && p[0] == ' ' && (p[1] == '+' || p[1] == '-') &&
			    sd_log_digits(p + 2, 4) >= 0) {
				int hh = sd_log_digits(p + 2, 2), mm = sd_log_digits(p + 4, 2);
				s->has_zone = 1;
				s->zone_sec = (hh * 3600L + mm * 60L) * (p[1] == '-' ? -1 : 1);
				p += 6;
			}
			if (end - p >= 2 && p[0] == ' ' && p[1] == '[') {
				const char *rb = memchr(p, ']', (size_t)(end - p));
				if (rb == NULL)
					return SD_LOG_CUT;
				p = rb + 1;
			}
			if (p >= end || *p != ' ' || p + 1 >= end)
				return SD_LOG_CUT;
			out->mta = "exim";
			out->program.p = "exim";
			out->program.n = 4;
			return sd_log_exim(p + 1, (size_t)(end - p - 1), all, out);
		}
		if (p[10] != 'T')
			return SD_LOG_UNKNOWN;
		/* RFC 3339 */
		p += 19;
		if (p < end && *p == '.')
			for (p++; p < end && sd_isdigit((unsigned char)*p); p++)
				;
		if (p < end && *p == 'Z') {
			s->has_zone = 1;
			p++;
		} else if (end - p >= 6 && (*p == '+' || *p == '-') && p[3] == ':') {
			int hh = sd_log_digits(p + 1, 2), mm = sd_log_digits(p + 4, 2);
			if (hh < 0 || mm < 0)
				return SD_LOG_UNKNOWN;
			s->has_zone = 1;
			s->zone_sec = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
			p += 6;
		}
		if (p >= end || *p != ' ')
			return SD_LOG_CUT;
		return sd_syslog_rest(p + 1, end, all, out);
	}
	if (len >= 4 && p[3] == ' ' && (s->mon = sd_month(p)) != 0) {
		/* classic syslog: "Mmm dd hh:mm:ss " or "Mmm  d hh:mm:ss " */
		if (len < 16)
			return SD_LOG_CUT;
		if (p[4] == ' ')
			s->day = sd_log_digits(p + 5, 1);
		else
			s->day = sd_log_digits(p + 4, 2);
		if (s->day < 1 || s->day > 31 || p[6] != ' ' || sd_hms(p + 7, s) != 0 || p[15] != ' ')
			return SD_LOG_UNKNOWN;
		return sd_syslog_rest(p + 16, end, all, out);
	}
	/* Exim reject log: the rejected message's headers follow its line */
	if (p[0] == ' ' || p[0] == '\t' || (len >= 9 && memcmp(p, "Envelope-", 9) == 0))
		return SD_LOG_OTHER;
	return SD_LOG_UNKNOWN;
}
