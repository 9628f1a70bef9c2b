/*
 * logparse.h - the mail log line parser shared by the log_*.c modules.
 *
 *   log_line.c      one line: the timestamp and syslog prefix, dispatch
 *   log_postfix.c   the message part of a Postfix line
 *   log_exim.c      the rest of an Exim main or reject log line
 *   log_sendmail.c  the message part of a Sendmail line
 *   log_time.c      timestamps to UTC; ISO 8601 options
 *   log_scan.c      files as streams (zlib), warnings, classification
 *   log_output.c    events as JSON and text
 *   log_summary.c   bounded top-N tables and the text summary
 *
 * A parsed line is a set of spans into the caller's line: nothing is
 * copied or allocated, every step is a memchr/strncmp walk, linear in the
 * line, with no regular expressions.
 */
#ifndef SMTPDOC_LOGPARSE_H
#define SMTPDOC_LOGPARSE_H

#include <stddef.h>
#include <time.h>

#include "smtpdoc/smtpdoc.h"

/* A piece of the line; p NULL means absent (n 0 with p set: present and
 * empty, as the null sender <>). */
typedef struct sd_span {
	const char *p;
	size_t n;
} sd_span;

/* The time as written: year 0 when the line has none (classic syslog);
 * has_zone 0 when it is local time. */
typedef struct sd_logstamp {
	int year, mon, day, hour, min, sec; /* mon 1..12 */
	int has_zone;
	long zone_sec;                     /* east of UTC */
} sd_logstamp;

/* A new field must also be cleared in sd_logline_clear() (log_line.c). */
typedef struct sd_logline {
	int kind;                /* smtpdoc_log_kind */
	const char *mta;         /* "postfix", "exim", "sendmail" (static) */
	const char *command;     /* static stage name, or NULL */
	char code_class;         /* '4' or '5' when no reply code is written */
	char client_refused;     /* the server refused the client itself, as
				  * postscreen does: its generic words
				  * ("Service currently unavailable") mean
				  * the client is blocked */
	sd_logstamp stamp;
	sd_span program, queueid, addresser, recipient, rhost, rip;
	sd_span replycode, status, text, messageid, related;
	sd_span alias;           /* the original recipient, before aliasing */
} sd_logline;

/* What sd_log_parse_line() found. */
#define SD_LOG_EVENT 1      /* an event, in *out */
#define SD_LOG_OTHER 0      /* a line of a known format, not an event */
#define SD_LOG_UNKNOWN (-1) /* no known format */
#define SD_LOG_CUT (-2)     /* a known prefix, cut short */

/* Parse line[0..len) (no line end). all: SMTPDOC_LOG_ALL given, so
 * receptions, deliveries and info lines are events too. */
int sd_log_parse_line(const char *line, size_t len, int all, sd_logline *out);

/* The message parts, after the prefix; each returns SD_LOG_EVENT or
 * SD_LOG_OTHER and fills the fields it knows. */
int sd_log_postfix(const char *msg, size_t len, sd_span prog, int all, sd_logline *out);
int sd_log_exim(const char *msg, size_t len, int all, sd_logline *out);
int sd_log_sendmail(const char *msg, size_t len, int all, sd_logline *out);

/* Helpers for the parsers (log_line.c). */
const char *sd_span_find(const char *p, size_t n, const char *needle, size_t nn);
const char *sd_span_rfind(const char *p, size_t n, const char *needle, size_t nn);
/* "host[ip]" or "host[ip]:port" into host and ip */
void sd_log_hostip(const char *p, size_t n, sd_span *host, sd_span *ip);
/* a span up to the first c at or after p (or end), from p */
sd_span sd_span_upto(const char *p, const char *end, char c);
/* the SMTP stage that words such as "RCPT TO", "end of DATA" name */
const char *sd_log_stage(const char *p, size_t n);
/* 1 when s is an RFC 3463 code: class.subject.detail, 1-3 digits each */
int sd_log_status_ok(sd_span s);
/* the n decimal digits at p as a number, or -1 when one is not a digit */
int sd_log_digits(const char *p, int n);
/* reply code (3 digits starting the text) and status into out */
void sd_log_reply_codes(sd_logline *out);

/* log_time.c: the event's UTC time. ref is the reference time for a
 * year-less stamp (the year that puts it at most two days after ref). */
typedef struct sd_logclock {
	time_t ref;
	int ref_year;
	long key[2];    /* cached local hours: year*1000000+mon*10000+day*100+hour */
	time_t base[2]; /* their UTC starts */
	int next;       /* the slot the next new hour replaces */
} sd_logclock;
void sd_logclock_init(sd_logclock *c, time_t ref);
time_t sd_log_time(sd_logclock *c, const sd_logstamp *s);
/* days since 1970-01-01 of a civil date */
long sd_days_from_civil(int y, int m, int d);

#endif
