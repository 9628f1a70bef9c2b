/*
 * logs.h - reading mail server logs (smtpdoc logs, smtpdoc track).
 *
 * libsmtpdoc reads the logs of Exim (main and reject log), Postfix (syslog
 * with classic or RFC 3339 timestamps, and its own maillog_file) and
 * Sendmail, plain or gzip-compressed, as a stream, and hands out one event
 * per rejection, bounce, deferral or expiry (and, when asked, per
 * reception, delivery and notice, for following one message). Each failure
 * is classified with the same rules as `smtpdoc explain`.
 *
 * Memory: a scan keeps one line buffer of SMTPDOC_LOG_MAX_LINE bytes and a
 * fixed classification cache; the strings of an event are owned by the
 * scanner and live until the callback returns. Included by smtpdoc.h.
 */
#ifndef SMTPDOC_LOGS_H
#define SMTPDOC_LOGS_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* Longest log line read; a longer one is reported and skipped. */
#define SMTPDOC_LOG_MAX_LINE 8192
/* Problem lines reported one by one per file; the rest are counted. */
#define SMTPDOC_LOG_MAX_WARNINGS 10

typedef enum smtpdoc_log_kind {
	SMTPDOC_LOG_REJECTED = 0, /* refused by this server during SMTP */
	SMTPDOC_LOG_BOUNCED,      /* delivery failed for good */
	SMTPDOC_LOG_DEFERRED,     /* delivery failed for now, will retry */
	SMTPDOC_LOG_EXPIRED,      /* given up after retrying too long */
	SMTPDOC_LOG_RECEIVED,     /* accepted into the queue */
	SMTPDOC_LOG_DELIVERED,    /* delivered */
	SMTPDOC_LOG_NOTICE,       /* a bounce or delay notice was sent */
	SMTPDOC_LOG_INFO,         /* message-id, client, completed, removed */
	SMTPDOC_LOG_KIND_COUNT
} smtpdoc_log_kind;

/* One event. NULL means not in the log line. */
typedef struct smtpdoc_log_event {
	const char *origin;          /* the file ("-" for standard input) */
	unsigned long line;          /* line number in it, from 1 */
	smtpdoc_log_kind kind;
	const char *event;           /* the kind's name: "rejected", "bounced", ... */
	const char *mta;             /* "exim", "postfix", "sendmail" */
	const char *program;         /* "postfix/smtp", "exim", "sm-mta", ... */
	time_t timestamp;            /* UTC; 0 when the line has no usable time */
	const char *queueid;         /* NULL for a refusal before queueing */
	const char *addresser;       /* the envelope sender ("" for <>) */
	const char *recipient;
	const char *rhost;           /* the other side: remote server or client */
	const char *rhost_ip;
	const char *replycode;       /* "550" */
	const char *deliverystatus;  /* "5.1.1" */
	const char *diagnosticcode;  /* the reply or the MTA's own words */
	const char *smtpcommand;     /* the stage: CONNECT, EHLO, MAIL, RCPT, DATA */
	const char *messageid;       /* Message-ID, when the line has it */
	const char *related_id;      /* notice: its own queue id; Exim's "<= <> R=ID": ID */
	const char *reason;          /* failures only: as explain gives it */
	const char *cause;           /* failures only: catalog id */
	const char *alias;           /* the address the recipient was reached
				      * through: a forwarder or alias (Postfix
				      * orig_to=, Exim "rcpt <parent>") */
} smtpdoc_log_event;

/* What a scan hands out. */
#define SMTPDOC_LOG_ALL 0x1u         /* every event, not only failures */

typedef struct smtpdoc_log_options {
	unsigned flags;              /* SMTPDOC_LOG_* */
	time_t since, until;         /* keep events in [since, until); 0: open */
	time_t now;                  /* reference for year-less timestamps;
				      * 0: the file's modification time */
} smtpdoc_log_options;

/* Returns 0 to go on, non-zero to stop the scan. */
typedef int (*smtpdoc_log_event_fn)(void *ctx, const smtpdoc_log_event *ev);
/* A problem with one line (line > 0) or with the file (line 0). */
typedef void (*smtpdoc_log_warn_fn)(void *ctx, const char *origin, unsigned long line,
				    const char *problem);

typedef struct smtpdoc_log_stats {
	unsigned long lines;         /* lines read */
	unsigned long events;        /* events handed out */
	unsigned long unrecognised;  /* lines of no known format */
	unsigned long bad;           /* binary, too long or cut short */
} smtpdoc_log_stats;

/*! Scan the log at path ("-": standard input), gzip or plain, as a
 *  stream. Each event goes to on_event, each problem line to on_warn (the
 *  first SMTPDOC_LOG_MAX_WARNINGS, then one line with the count); a
 *  problem never stops the scan. stats (may be NULL) is added to.
 *  SMTPDOC_EIO with a reason in err when path cannot be opened or read;
 *  events read before a read error still count. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_log_scan(const char *path, const smtpdoc_log_options *o,
					       smtpdoc_log_event_fn on_event, smtpdoc_log_warn_fn on_warn,
					       void *ctx, smtpdoc_log_stats *stats, char *err, size_t errlen);

/*! Parse one line (no line end) as a scan does; returns 1 and fills *ev
 *  (strings owned by an internal per-thread buffer, valid until the next
 *  call in the same thread) when the line is an event, 0 when not, -1
 *  when it is not a line of a known format. */
SMTPDOC_EXPORT int smtpdoc_log_parse_line(const char *line, size_t len, const smtpdoc_log_options *o,
					  smtpdoc_log_event *ev);

/*! One event as a JSON object (no trailing newline). The field names are
 *  explain's where they mean the same; the cause's title, explanation and
 *  fix are added for failures. */
SMTPDOC_EXPORT void smtpdoc_write_log_event_json(FILE *fp, const smtpdoc_log_event *ev);
/*! One event as one or two lines of text. */
SMTPDOC_EXPORT void smtpdoc_write_log_event_text(FILE *fp, const smtpdoc_log_event *ev, unsigned flags);

/* ---- a summary of failures with bounded memory ---------------------- */
typedef struct smtpdoc_log_summary smtpdoc_log_summary;
/*! A summary whose tables keep at most about max_keys keys each (the
 *  most frequent ones survive; counts of keys that came late may be low
 *  by at most the smallest count evicted). NULL on no memory. */
SMTPDOC_EXPORT smtpdoc_log_summary *smtpdoc_log_summary_new(size_t max_keys);
SMTPDOC_EXPORT void smtpdoc_log_summary_free(smtpdoc_log_summary *s);
/*! Count one failure event. SMTPDOC_ENOMEM when a key cannot be copied. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_log_summary_add(smtpdoc_log_summary *s, const smtpdoc_log_event *ev);
/*! The summary as text: totals by kind, top causes, recipient domains,
 *  rejected senders, events by hour of day (top entries each). */
SMTPDOC_EXPORT void smtpdoc_write_log_summary_text(FILE *fp, const smtpdoc_log_summary *s, size_t top,
						   unsigned flags);

/*! Parse an ISO 8601 date or date-time ("2026-12-02", "2026-12-02T10:11",
 *  "2026-12-02 10:11:12", with "Z" or "+hh:mm"; no zone: UTC) into *out.
 *  SMTPDOC_EINVAL when it is not one. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_log_parse_time(const char *s, time_t *out);

#endif /* SMTPDOC_LOGS_H */
