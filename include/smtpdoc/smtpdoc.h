/*
 * smtpdoc.h - public interface of libsmtpdoc.
 *
 * libsmtpdoc reads bounce messages (delivery status notifications, MTA
 * plain-text bounces, auto-replies, feedback reports) and says, per failed
 * recipient, what went wrong (a reason in Sisimai's vocabulary plus a finer
 * smtpdoc cause id) and how to fix it (steps from the cause catalog).
 *
 * Memory: every object handed out by a *_new or smtpdoc_decode call is owned
 * by the caller and released with its matching *_free function. Strings inside
 * a report are owned by the report. Catalog entries are static and never
 * freed. All free functions accept NULL.
 *
 * Threads: smtpdoc_decode may be called from several threads at once after
 * smtpdoc_init() has returned.
 */
#ifndef SMTPDOC_SMTPDOC_H
#define SMTPDOC_SMTPDOC_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMTPDOC_VERSION "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define SMTPDOC_EXPORT __attribute__((visibility("default")))
#define SMTPDOC_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define SMTPDOC_EXPORT
#define SMTPDOC_WARN_UNUSED
#endif

/* Status codes: one X-macro list gives the enum and the messages. */
#define SMTPDOC_STATUS_MAP(X)                                                  \
	X(OK, "success")                                                       \
	X(ENOMEM, "out of memory")                                             \
	X(EIO, "cannot read the input")                                        \
	X(EINVAL, "invalid argument")                                          \
	X(EEMPTY, "the input is empty")                                        \
	X(ENOTMAIL, "the input is not a mail message")                         \
	X(ETOOBIG, "the input is larger than the configured limit")            \
	X(ENOTBOUNCE, "the message is not a bounce")

typedef enum smtpdoc_status {
#define SMTPDOC_X_ENUM(name, text) SMTPDOC_##name,
	SMTPDOC_STATUS_MAP(SMTPDOC_X_ENUM)
#undef SMTPDOC_X_ENUM
	SMTPDOC_STATUS_COUNT
} smtpdoc_status;

/*! Human text for a status code; never NULL. */
SMTPDOC_EXPORT const char *smtpdoc_strerror(smtpdoc_status st);

/*! Initialise the library (GMime and the pattern tables). Safe to call more
 *  than once; smtpdoc_decode calls it itself when needed. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_init(void);

/* ------------------------------------------------------------------------
 * Decoding
 * ---------------------------------------------------------------------- */

/* One failed (or delivered, or auto-replied, or reported) recipient. The
 * field names are the ones Sisimai uses; a NULL string means "not known".
 * All strings are UTF-8 and owned by the enclosing report. */
typedef struct smtpdoc_result {
	const char *recipient;      /* the recipient address that failed */
	const char *addresser;      /* the original sender */
	const char *senderdomain;   /* domain part of addresser */
	const char *destination;    /* domain part of recipient */
	const char *alias;          /* the address as first written, if it was rewritten */
	const char *action;         /* failed, delayed, delivered, relayed, expanded, ... */
	const char *replycode;      /* SMTP reply code, e.g. "550" */
	const char *deliverystatus; /* RFC 3463 code, e.g. "5.1.1" */
	const char *diagnosticcode; /* the remote server's own words */
	const char *diagnostictype; /* SMTP, X-Unix, X-Postfix, ... */
	const char *reason;         /* Sisimai reason name, e.g. "userunknown" */
	int hardbounce;             /* 1 when the address itself is bad */
	time_t timestamp;           /* when the failure happened (UTC), 0 if unknown */
	const char *timezoneoffset; /* "+0900" */
	const char *origin;         /* the source: file path, "path#N" for mbox, "-" */
	const char *smtpagent;      /* which decoder read it: "Postfix", "RFC3464", ... */
	const char *smtpcommand;    /* SMTP command that got the error: RCPT, DATA, ... */
	const char *lhost;          /* the host that wrote the bounce */
	const char *rhost;          /* the remote host that refused */
	const char *messageid;      /* Message-Id of the original message */
	const char *subject;        /* Subject of the original message */
	const char *listid;         /* List-Id of the original message */
	const char *feedbacktype;   /* ARF Feedback-Type (abuse, fraud, ...) */
	const char *token;          /* stable hash of sender, recipient and time */
	const char *cause;          /* smtpdoc cause id, see smtpdoc_cause_find() */
} smtpdoc_result;

/* What a message turned out to be. */
typedef enum smtpdoc_kind {
	SMTPDOC_KIND_BOUNCE = 0,   /* at least one recipient result */
	SMTPDOC_KIND_NOT_BOUNCE,   /* an ordinary message */
	SMTPDOC_KIND_UNDECODED     /* looks like a bounce, no recipient found */
} smtpdoc_kind;

typedef struct smtpdoc_report {
	const char *origin;
	smtpdoc_kind kind;
	const char *why;             /* for NOT_BOUNCE/UNDECODED: one line saying why */
	size_t count;                /* number of results */
	const smtpdoc_result *results;
	const char *raw;             /* the whole message as read (for support reports) */
	size_t raw_len;
} smtpdoc_report;

/*! Decode one message. data/len is the raw message (any line ending);
 *  origin names it in results (may be NULL). On SMTPDOC_OK *out holds a
 *  report to free with smtpdoc_report_free; its kind says whether anything
 *  bounce-like was found. Other statuses leave *out NULL. */
SMTPDOC_EXPORT SMTPDOC_WARN_UNUSED smtpdoc_status
smtpdoc_decode(const void *data, size_t len, const char *origin,
	       smtpdoc_report **out);

/*! Release a report; NULL is fine. */
SMTPDOC_EXPORT void smtpdoc_report_free(smtpdoc_report *report);

/* ------------------------------------------------------------------------
 * Input: files, directories, Maildir, mbox, standard input
 * ---------------------------------------------------------------------- */

/* Called once per message found. Return 0 to go on, non-zero to stop. */
typedef int (*smtpdoc_message_fn)(void *ctx, const char *origin,
				  const void *data, size_t len);
/* Called once per input that could not be read; problem is one line. */
typedef void (*smtpdoc_input_error_fn)(void *ctx, const char *origin,
				       const char *problem);

/*! Walk path ("-" is standard input): a file (one message, or an mbox when
 *  it starts with a "From " line), or a directory read recursively in name
 *  order (Maildir included). Errors on single inputs go to on_error and the
 *  walk goes on. Returns SMTPDOC_OK unless path itself cannot be opened or a
 *  callback asked to stop (then SMTPDOC_EINVAL). */
SMTPDOC_EXPORT smtpdoc_status
smtpdoc_input_walk(const char *path, smtpdoc_message_fn on_message,
		   smtpdoc_input_error_fn on_error, void *ctx);

/* Largest single message read, in bytes. */
#define SMTPDOC_MAX_MESSAGE_BYTES ((size_t)256 * 1024 * 1024)

/* ------------------------------------------------------------------------
 * Cause and fix catalog
 * ---------------------------------------------------------------------- */

typedef struct smtpdoc_cause {
	const char *id;          /* stable id, e.g. "mailbox.unknown" */
	const char *reason;      /* the Sisimai reason this cause belongs to */
	const char *title;       /* a short headline */
	const char *explanation; /* what happened, in plain words */
	const char *const *fix_sender;    /* NULL-terminated ordered steps */
	const char *const *fix_recipient; /* NULL-terminated ordered steps */
	const char *const *fix_admin;     /* NULL-terminated ordered steps */
	int hard;                /* 1 permanent for this address, 0 not */
} smtpdoc_cause;

/*! Number of catalog entries. */
SMTPDOC_EXPORT size_t smtpdoc_cause_count(void);
/*! Entry i (0 <= i < count), or NULL. */
SMTPDOC_EXPORT const smtpdoc_cause *smtpdoc_cause_at(size_t i);
/*! Entry by id, or NULL. */
SMTPDOC_EXPORT const smtpdoc_cause *smtpdoc_cause_find(const char *id);
/*! The default cause of a Sisimai reason name; never NULL (falls back to
 *  the "undefined" cause). */
SMTPDOC_EXPORT const smtpdoc_cause *smtpdoc_cause_for_reason(const char *reason);

/* ------------------------------------------------------------------------
 * Address hints: problems with the recipient address itself
 * ---------------------------------------------------------------------- */

#define SMTPDOC_MAX_HINTS 4

typedef struct smtpdoc_hints {
	size_t count;
	char text[SMTPDOC_MAX_HINTS][256]; /* one plain sentence each */
	char suggestion[256];              /* corrected address, or "" */
} smtpdoc_hints;

/*! Look at an address as written and report surrounding spaces, missing
 *  parts and likely misspelt domains (gmial.com -> gmail.com). */
SMTPDOC_EXPORT void smtpdoc_address_hints(const char *address,
					  smtpdoc_hints *out);

/* ------------------------------------------------------------------------
 * Verify: recipient addresses before sending (smtpdoc verify)
 * ---------------------------------------------------------------------- */

typedef struct smtpdoc_verify_options {
	const char *resolver;        /* "ADDR[:PORT]" for every DNS query, or
				      * NULL for the system's resolver */
	unsigned port;               /* SMTP port of the MX hosts; 0: 25 */
	const char *helo;            /* EHLO name; NULL: this host's name */
	const char *from;            /* MAIL FROM address; NULL: the null
				      * sender <> */
	int timeout_ms;              /* per network step; 0: 10000 */
	int no_smtp;                 /* 1: syntax and DNS only */
	int no_catch_all;            /* 1: no made-up address is tried */
	int no_tls;                  /* 1: never STARTTLS */
	unsigned max_connections;    /* at once per domain; 0: 2 */
	unsigned rcpts_per_connection; /* addresses asked per connection;
				      * 0: 50 */
	double rcpts_per_second;     /* per domain; 0: 5 */
} smtpdoc_verify_options;

/*! The defaults (polite: two connections and five RCPTs a second per
 *  domain, fifty addresses per connection). */
SMTPDOC_EXPORT void smtpdoc_verify_options_init(smtpdoc_verify_options *o);

/* The answer for one address. Strings are owned by the verifier and live
 * until the callback returns; NULL means not known or not applicable. */
typedef struct smtpdoc_verification {
	const char *input;           /* as given */
	const char *address;         /* cleaned up (spaces, brackets, case of
				      * the domain); NULL when nothing usable */
	const char *verdict;         /* "deliverable", "undeliverable",
				      * "risky", "unknown" */
	const char *reason;          /* Sisimai reason, as `explain` gives it */
	const char *cause;           /* catalog id: see smtpdoc_cause_find() */
	const char *note;            /* how the verdict was reached, one sentence */
	int retry;                   /* 1: asking later may answer differently */
	const char *syntax_error;    /* why the address is not valid, or NULL */
	const char *const *changes;  /* what the clean-up changed, NULL-terminated
				      * sentences (may be empty) */
	const char *domain;          /* the domain (Unicode form) */
	const char *const *mx;       /* MX hosts, best first, NULL-terminated */
	const char *mx_host;         /* the host that answered the probe */
	const char *replycode;       /* its reply to RCPT TO (or the refusal) */
	const char *deliverystatus;
	const char *diagnosticcode;
	const char *smtpcommand;     /* the command that got the reply */
	int catch_all;               /* 1 yes, 0 no, -1 not known */
	int role;                    /* postmaster@, info@, ... */
	int disposable;              /* a throw-away mailbox service */
	int freemail;                /* a consumer mailbox provider */
	const char *suggestion;      /* a corrected address for a misspelt
				      * domain, or NULL */
} smtpdoc_verification;

typedef struct smtpdoc_verify_stats {
	size_t addresses;            /* addresses given */
	size_t domains;              /* distinct domains */
	unsigned long dns_queries;   /* DNS lookups started */
	unsigned long connections;   /* SMTP connections opened */
	unsigned long rcpts;         /* RCPT TO commands sent */
	int port25_blocked;          /* no connection on port 25 ever worked and
				      * every attempt timed out */
} smtpdoc_verify_stats;

typedef struct smtpdoc_verifier smtpdoc_verifier;

/*! A verifier with options o (copied). NULL on bad options or no memory,
 *  with a one-line reason in err. */
SMTPDOC_EXPORT smtpdoc_verifier *smtpdoc_verifier_new(const smtpdoc_verify_options *o, char *err,
						      size_t errlen);
SMTPDOC_EXPORT void smtpdoc_verifier_free(smtpdoc_verifier *v);
/*! Queue an address (copied). */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_verifier_add(smtpdoc_verifier *v, const char *address);

typedef void (*smtpdoc_verification_fn)(void *ctx, const smtpdoc_verification *r);
typedef void (*smtpdoc_progress_fn)(void *ctx, size_t done, size_t total);
/*! Verify every queued address: addresses are grouped by domain, each
 *  domain's MX looked up once, and many addresses asked in one SMTP
 *  session (RSET between transactions), all in one event loop. on_result
 *  gets each answer as soon as it is known (in no set order); on_progress
 *  (may be NULL) after each. Every network step has a timeout. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_verifier_run(smtpdoc_verifier *v, smtpdoc_verification_fn on_result,
						   smtpdoc_progress_fn on_progress, void *ctx);
SMTPDOC_EXPORT void smtpdoc_verifier_stats(const smtpdoc_verifier *v, smtpdoc_verify_stats *out);

/* Reading address lists: called for each address (return non-zero to
 * stop) and for each line that is not usable (with why, one line). */
typedef int (*smtpdoc_list_fn)(void *ctx, unsigned long line, const char *address);
typedef void (*smtpdoc_list_error_fn)(void *ctx, unsigned long line, const char *problem);
/*! Read the address list at path ("-": standard input) as a stream: one
 *  address per line, or CSV with a header row naming the address column
 *  (column, or NULL to find one named email, address, ...). Blank lines
 *  and # comments are skipped. SMTPDOC_EIO with a reason in err when the
 *  file cannot be read. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_address_list_read(const char *path, const char *column,
							smtpdoc_list_fn on_address,
							smtpdoc_list_error_fn on_error, void *ctx,
							char *err, size_t errlen);
/*! Call fn with the input of every answer in a file an earlier run wrote
 *  (JSON lines or CSV), to resume a list where it stopped. A missing file
 *  holds nothing. */
SMTPDOC_EXPORT smtpdoc_status smtpdoc_verify_read_done(const char *path,
						       void (*fn)(void *ctx, const char *input),
						       void *ctx, char *err, size_t errlen);

/*! One answer as a JSON object (no trailing newline). */
SMTPDOC_EXPORT void smtpdoc_write_verification_json(FILE *fp, const smtpdoc_verification *r);
/*! One answer as readable text. */
SMTPDOC_EXPORT void smtpdoc_write_verification_text(FILE *fp, const smtpdoc_verification *r,
						    unsigned flags);
/*! The CSV header line, and one answer as a CSV line (RFC 4180). */
SMTPDOC_EXPORT void smtpdoc_write_verification_csv_header(FILE *fp);
SMTPDOC_EXPORT void smtpdoc_write_verification_csv(FILE *fp, const smtpdoc_verification *r);

/* ------------------------------------------------------------------------
 * Check: the sending side of a domain (smtpdoc check)
 * ---------------------------------------------------------------------- */

typedef struct smtpdoc_check_options {
	const char *domain;          /* the domain to check (required) */
	const char *ip;              /* the sending IP to check SPF, PTR and
				      * blocklists for, or NULL */
	const char *const *dkim_selectors; /* DKIM selectors to look up, or
				      * NULL for a list of common ones */
	size_t n_dkim_selectors;
	const char *resolver;        /* "ADDR[:PORT]" for every DNS query, or
				      * NULL for the system's resolver */
	const char *helo;            /* EHLO name for the SMTP probes; NULL:
				      * this host's name */
	int timeout_ms;              /* per network step; 0: 10000 */
	unsigned port;               /* SMTP port of the MX hosts; 0: 25 */
	int no_smtp;                 /* 1: no connections (DNS checks only) */
	int local;                   /* 1: this host delivers the domain's
				      * mail locally: check that its MX records
				      * point here */
	const char *const *dnsbl_ip_zones;     /* NULL: the default lists */
	size_t n_dnsbl_ip_zones;
	const char *const *dnsbl_domain_zones; /* NULL: the default lists */
	size_t n_dnsbl_domain_zones;
} smtpdoc_check_options;

/*! Defaults: everything zero or NULL but timeout_ms. */
SMTPDOC_EXPORT void smtpdoc_check_options_init(smtpdoc_check_options *o);

typedef struct smtpdoc_check_detail {
	const char *key;             /* "record", "policy", "mx", ... */
	const char *value;
} smtpdoc_check_detail;

/* One line of the checklist. Strings are owned by the report. */
typedef struct smtpdoc_check_item {
	const char *check;           /* what kind of check: "spf.record",
				      * "dmarc.record", "mx.smtp", ... */
	const char *subject;         /* the domain, host or IP checked, or NULL */
	const char *status;          /* "pass", "info", "unknown", "warn", "fail" */
	const char *summary;         /* what was found, in plain words */
	const char *cause;           /* catalog id of the problem, or NULL */
	const char *bounce;          /* the kind of bounce this problem
				      * produces, or NULL */
	const char *const *fix;      /* steps for this finding, NULL-terminated */
	const smtpdoc_check_detail *details;
	size_t ndetails;
} smtpdoc_check_item;

typedef struct smtpdoc_check_report {
	const char *domain;
	const char *ip;              /* NULL when none was given */
	const char *worst;           /* the worst status of all items */
	size_t count;
	const smtpdoc_check_item *items;
} smtpdoc_check_report;

/*! Run every check for o->domain. On SMTPDOC_OK *out holds the report
 *  (free with smtpdoc_check_report_free); network failures are items with
 *  status "unknown", not errors. SMTPDOC_EINVAL: bad options, with a
 *  one-line reason in err. */
SMTPDOC_EXPORT SMTPDOC_WARN_UNUSED smtpdoc_status
smtpdoc_check(const smtpdoc_check_options *o, smtpdoc_check_report **out, char *err, size_t errlen);
SMTPDOC_EXPORT void smtpdoc_check_report_free(smtpdoc_check_report *r);

/*! One item of report r as a JSON object (no trailing newline); it starts
 *  with the report's domain and ip. */
SMTPDOC_EXPORT void smtpdoc_write_check_item_json(FILE *fp, const smtpdoc_check_report *r,
						  const smtpdoc_check_item *it);
/*! The whole checklist as text for a person. */
SMTPDOC_EXPORT void smtpdoc_write_check_text(FILE *fp, const smtpdoc_check_report *r, unsigned flags);

/* ------------------------------------------------------------------------
 * Output
 * ---------------------------------------------------------------------- */

typedef enum smtpdoc_format {
	SMTPDOC_FORMAT_TEXT = 0,
	SMTPDOC_FORMAT_JSON,
	SMTPDOC_FORMAT_JSONL,
	SMTPDOC_FORMAT_CSV           /* verify only */
} smtpdoc_format;

#define SMTPDOC_OUT_COLOR 0x1u /* ANSI colour in text output */

/*! Write one result as a JSON object (no trailing newline). */
SMTPDOC_EXPORT void smtpdoc_write_result_json(FILE *fp,
					      const smtpdoc_result *r);
/*! Write one result as readable text for a person. */
SMTPDOC_EXPORT void smtpdoc_write_result_text(FILE *fp,
					      const smtpdoc_result *r,
					      unsigned flags);
/*! Write a support report: the diagnosis plus the full message. */
SMTPDOC_EXPORT void smtpdoc_write_support_report(FILE *fp,
						 const smtpdoc_report *rep,
						 unsigned flags);
/*! Write s as a JSON string literal, quotes included; NULL gives null. */
SMTPDOC_EXPORT void smtpdoc_write_json_string(FILE *fp, const char *s);

#include "smtpdoc/audit.h"
#include <smtpdoc/logs.h>

#ifdef __cplusplus
}
#endif
#endif /* SMTPDOC_SMTPDOC_H */
