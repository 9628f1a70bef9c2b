/*
 * smtp_probe.h - the SMTP probe client of `smtpdoc verify` and `check`.
 *
 * A probe talks to one mail server the way a sending MTA would, up to the
 * point where the server has answered each recipient, and never sends
 * DATA: banner, EHLO (HELO when EHLO is refused), STARTTLS when offered,
 * EHLO again, MAIL FROM, one RCPT TO per queued address (RSET between
 * transactions when asked), QUIT.
 *
 * Modules (all prefixed smtp_):
 *   smtp_reply.c    the reply reader: bytes -> sd_smtp_reply, bounded
 *   smtp_ehlo.c     EHLO keywords -> sd_smtp_features
 *   smtp_session.c  the non-blocking session: poll side, deadlines
 *   smtp_dialogue.c the session's SMTP side: commands, replies, queue
 *   smtp_io.c       socket and TLS byte moving for the session
 *   smtp_tls.c      OpenSSL behind sd_smtp_tlsctx (smtp_tls.h)
 *   smtp_net.c      non-blocking connect, its errors, the clock, counters
 *   smtp_blocking.c one session run to its end, port reachability
 *
 * Driving sessions from a poll() loop: each turn, for every session, poll
 * sd_smtp_session_fd() for sd_smtp_session_events() and sleep at most
 * sd_smtp_session_timeout_ms(); afterwards call sd_smtp_session_step()
 * with what poll() reported (0 when nothing: it then only checks the
 * deadline). The fd can change between turns (a reconnect after a failed
 * TLS handshake), so read it again every turn. sd_smtp_session_done()
 * says when the session has ended; its result stays readable until
 * sd_smtp_session_free().
 *
 * Ownership: a session copies every string of its options and every
 * address queued; replies handed to the callback live until it returns;
 * sd_smtp_session_result() points into the session. Nothing here prints
 * or exits; every function returns its errors. A session takes about
 * 22 kB (a 16 kB read buffer, a 4 kB reply) plus its queue; one thread
 * drives any number of them, sessions share nothing but a TLS context.
 */
#ifndef SMTPDOC_SMTP_PROBE_H
#define SMTPDOC_SMTP_PROBE_H

#include <poll.h>
#include <stddef.h>

/* Limits against hostile servers; each is reported when hit. */
#define SD_SMTP_TEXT_MAX 4096     /* text kept of one reply (truncated flag) */
#define SD_SMTP_LINE_MAX 16384    /* one reply line; longer is an error */
#define SD_SMTP_LINES_MAX 1000    /* lines of one reply; more is an error */
#define SD_SMTP_ADDR_MAX 512      /* an address given for MAIL or RCPT */
#define SD_SMTP_QUEUE_MAX 100000  /* RCPT and RSET items queued at once */

/* Default timeouts, milliseconds. */
#define SD_SMTP_CONNECT_MS 10000
#define SD_SMTP_BANNER_MS 30000
#define SD_SMTP_COMMAND_MS 30000
#define SD_SMTP_IDLE_MS 10000

/* ---- replies (smtp_reply.c) --------------------------------------------- */

/* One server reply. text holds the lines without their "ddd-" prefix and,
 * when each line starts with it, without the enhanced status code, joined
 * with '\n'; control characters are replaced by '?'. */
typedef struct sd_smtp_reply {
	int code;          /* 200..599; 0 when there is no reply */
	char status[16];   /* RFC 3463 code ("5.1.1") or "" when none */
	char *text;        /* owned; never NULL once a reply was taken */
	size_t len;        /* strlen(text) */
	int truncated;     /* text was cut at SD_SMTP_TEXT_MAX bytes */
	unsigned lines;    /* lines the reply had */
} sd_smtp_reply;

/* Release the text and zero the reply; NULL or an empty reply is fine. */
void sd_smtp_reply_clear(sd_smtp_reply *r);
/* Copy src into dst (dst is overwritten, not cleared). 0, or -1 on no
 * memory (dst then empty). */
int sd_smtp_reply_copy(sd_smtp_reply *dst, const sd_smtp_reply *src);
/* "550 5.1.1 text" on one line (lines joined with a space) into buf, cut to
 * fit; returns buf. An empty reply gives "". */
char *sd_smtp_reply_format(const sd_smtp_reply *r, char *buf, size_t size);

/* The incremental reader: feed it bytes as they come; it keeps no more
 * than SD_SMTP_TEXT_MAX bytes of text whatever the server sends, and does
 * not allocate. */
typedef struct sd_smtp_reader {
	/* private: the reply being read */
	char text[SD_SMTP_TEXT_MAX + 1];
	size_t len;
	int truncated, code, last;
	char status[16];
	unsigned lines;
	/* private: the line being read */
	size_t col;             /* bytes of the line so far */
	char head[48];          /* its first bytes: code, separator, status */
	size_t head_len;
	int cr;                 /* a '\r' is pending */
	int bad;                /* its first bytes are not a reply code */
	char why[160];          /* the error, once feed returned -1 */
} sd_smtp_reader;

/* Start empty; the reader owns no memory outside itself. */
void sd_smtp_reader_init(sd_smtp_reader *r);
/* Read from data[0..len): stops after the line that completes a reply.
 * *used gets the bytes consumed. Returns 1 when a reply is complete (take
 * it with sd_smtp_reader_take), 0 when all bytes were consumed and more
 * are needed, -1 when the bytes are not an SMTP reply: garbage ("reply
 * is not SMTP: ..."), a line longer than SD_SMTP_LINE_MAX, more than
 * SD_SMTP_LINES_MAX lines (reason in r->why; the reader stays in error). */
int sd_smtp_reader_feed(sd_smtp_reader *r, const char *data, size_t len, size_t *used);
/* The server stopped sending (closed, or timed out) in the middle of a
 * line: -1 when what came of it is already known not to be SMTP (reason
 * in r->why), else 0. */
int sd_smtp_reader_end(sd_smtp_reader *r);
/* Move the completed reply into *out (overwritten; its text newly
 * allocated) and start the next. 0, or -1 on no memory. */
int sd_smtp_reader_take(sd_smtp_reader *r, sd_smtp_reply *out);
/* Bytes of a reply begun and not complete (0 between replies). */
int sd_smtp_reader_busy(const sd_smtp_reader *r);

/* ---- EHLO keywords (smtp_ehlo.c) ---------------------------------------- */

typedef struct sd_smtp_features {
	int esmtp;               /* 1: EHLO accepted; 0: only HELO */
	int size_offered;        /* SIZE announced */
	unsigned long long size; /* its limit in bytes; 0: none stated */
	int starttls, pipelining, eightbitmime, smtputf8, chunking, dsn;
	int enhancedstatuscodes;
	char auth[128];          /* AUTH mechanisms, space-separated, upper
				  * case ("PLAIN LOGIN"); "" when none */
} sd_smtp_features;

/* Read the keywords of an EHLO reply (its lines after the first). */
void sd_smtp_features_parse(const sd_smtp_reply *ehlo, sd_smtp_features *f);

/* ---- TLS (smtp_tls.c) --------------------------------------------------- */

/* An OpenSSL client context, shareable by many sessions (each takes its
 * own reference, so it may be freed while sessions use it). ca_file:
 * NULL for the system's store of trusted certificates, or a PEM file of
 * the only ones to trust (tests). NULL on error, with the reason in err. */
typedef struct sd_smtp_tlsctx sd_smtp_tlsctx;
sd_smtp_tlsctx *sd_smtp_tlsctx_new(const char *ca_file, char *err, size_t errlen);
void sd_smtp_tlsctx_free(sd_smtp_tlsctx *c);

/* What TLS gave, for reporting. The handshake never fails because of the
 * certificate: verified and name_matched say what was found. */
typedef struct sd_smtp_tls_info {
	int offered;        /* STARTTLS was announced (or implicit TLS asked) */
	int attempted;      /* a handshake was started */
	int established;    /* it completed */
	char version[16];   /* "TLSv1.3" */
	char cipher[64];    /* "TLS_AES_256_GCM_SHA384" */
	int verified;       /* the chain verified against the trusted store */
	char verify_error[128]; /* why not, in OpenSSL's words; "" when verified */
	int name_checked;   /* a name to match was given (tls_name) */
	int name_matched;   /* the certificate is valid for that name */
	char subject[256];  /* the server certificate's subject, one line */
	char issuer[256];
	char error[256];    /* why TLS was not set up, when attempted and not
			     * established, or STARTTLS was refused */
} sd_smtp_tls_info;

/* ---- the session (smtp_session.c) --------------------------------------- */

typedef enum sd_smtp_error {
	SD_SMTP_OK = 0,
	SD_SMTP_EREFUSED,     /* TCP connection refused (RST) */
	SD_SMTP_ETIMEOUT,     /* a step did not finish in its time */
	SD_SMTP_EUNREACH,     /* no route: network or host unreachable */
	SD_SMTP_ECONNECT,     /* any other failure to connect */
	SD_SMTP_ECLOSED,      /* the server closed the connection */
	SD_SMTP_EIO,          /* a read or write failed (reset, ...) */
	SD_SMTP_EPROTO,       /* what the server sent is not SMTP */
	SD_SMTP_EREJECTED,    /* the server refused the session: a banner other
			       * than 2xx, a 421, EHLO and HELO refused, MAIL
			       * FROM refused; the reply is in result->last */
	SD_SMTP_ETLS,         /* TLS failed and fallback was not allowed */
	SD_SMTP_ENOMEM,
	SD_SMTP_EINVAL,       /* bad argument */
} sd_smtp_error;
/* "ok", "refused", "timeout", "unreachable", "connect", "closed", "io",
 * "protocol", "rejected", "tls", "nomem", "invalid" */
const char *sd_smtp_error_name(sd_smtp_error e);

typedef enum sd_smtp_stage {
	SD_SMTP_CONNECT = 0,
	SD_SMTP_TLS_HANDSHAKE,
	SD_SMTP_BANNER,
	SD_SMTP_EHLO,
	SD_SMTP_HELO,
	SD_SMTP_STARTTLS,
	SD_SMTP_MAIL,
	SD_SMTP_RCPT,
	SD_SMTP_RSET,
	SD_SMTP_QUIT,
	SD_SMTP_IDLE,         /* waiting for the caller to queue more */
	SD_SMTP_END,
} sd_smtp_stage;
/* "connect", "TLS handshake", "banner", "EHLO", "HELO", "STARTTLS",
 * "MAIL", "RCPT", "RSET", "QUIT", "idle", "end" */
const char *sd_smtp_stage_name(sd_smtp_stage st);

enum {
	SD_SMTP_TLS_NO = 0,          /* never STARTTLS */
	SD_SMTP_TLS_OPPORTUNISTIC,   /* STARTTLS when offered (default) */
	SD_SMTP_TLS_IMPLICIT,        /* TLS right after connecting (port 465) */
};

/* Calls of the transcript hook: what was sent, what was received. */
enum { SD_SMTP_SENT = 0, SD_SMTP_RECEIVED = 1 };

typedef struct sd_smtp_session sd_smtp_session;

/* The answer to one queued RCPT. reply is the server's reply to RCPT TO,
 * or NULL when none came: error and why then say what happened instead
 * (the MAIL FROM refused, the connection lost, ...). */
typedef struct sd_smtp_rcpt_result {
	const char *address;          /* as queued */
	void *tag;                    /* as queued */
	const sd_smtp_reply *reply;   /* NULL: no reply */
	sd_smtp_error error;          /* SD_SMTP_OK when reply is set */
	const char *why;              /* "" when reply is set */
	unsigned connection;          /* which connection of the session (1..) */
} sd_smtp_rcpt_result;

/* Called once for every RCPT queued, in queue order, from
 * sd_smtp_session_step() (never from the functions that queue). It may
 * queue more or call sd_smtp_session_finish(); it must not free the
 * session. Everything in res lives until it returns. */
typedef void (*sd_smtp_rcpt_cb)(void *ctx, sd_smtp_session *s, const sd_smtp_rcpt_result *res);
/* Optional transcript: each command sent and each reply line received
 * (without CRLF, cut at 512 bytes). */
typedef void (*sd_smtp_transcript_cb)(void *ctx, int direction, const char *line, size_t len);

/* Start from sd_smtp_options_init(): a zeroed struct means no TLS. */
typedef struct sd_smtp_options {
	const char *helo_name;    /* EHLO/HELO argument; default "localhost":
				   * pass the sending host's real name */
	const char *mail_from;    /* reverse path; NULL or "": the null sender <> */
	unsigned long long size;  /* SIZE= to declare when SIZE is offered; 0: none */
	int smtputf8;             /* add SMTPUTF8 to MAIL when offered */
	int tls;                  /* SD_SMTP_TLS_*; default OPPORTUNISTIC */
	int tls_fallback;         /* after a failed handshake, reconnect without
				   * TLS (default 1); 0: end with SD_SMTP_ETLS */
	const char *tls_name;     /* the name the certificate should be valid for
				   * (the MX host name), also sent as SNI; NULL:
				   * not checked */
	sd_smtp_tlsctx *tlsctx;   /* shared context; NULL: the session makes one
				   * with the system store when it needs one */
	int connect_ms, banner_ms, command_ms, idle_ms; /* 0: the defaults */
	unsigned rcpts_per_mail;  /* RCPTs per transaction before an automatic
				   * RSET and new MAIL FROM; 0: no limit (default 100) */
	int connect_only;         /* end as soon as the TCP connection is up (or
				   * the TLS handshake done, with IMPLICIT) */
	sd_smtp_rcpt_cb on_rcpt;
	sd_smtp_transcript_cb on_transcript;
	void *ctx;                /* passed to both */
} sd_smtp_options;

/* Fill o with the defaults. */
void sd_smtp_options_init(sd_smtp_options *o);

/* What a session found; stays valid and unchanged once it is done. */
typedef struct sd_smtp_result {
	sd_smtp_error error;      /* how the session ended; SD_SMTP_OK: normally */
	sd_smtp_stage stage;      /* where it ended (SD_SMTP_END when OK) */
	char why[320];            /* one line for people when error != OK,
				   * e.g. "timeout waiting for the banner after 10 s" */
	char peer[64];            /* "127.0.0.1 port 25" */
	int connected;            /* a TCP connection was made */
	sd_smtp_reply banner;     /* the greeting (code 0 if none came) */
	sd_smtp_reply ehlo;       /* the last EHLO or HELO reply */
	sd_smtp_reply mail;       /* the last MAIL FROM reply */
	sd_smtp_reply last;       /* the last reply of all (the refusal when
				   * error is SD_SMTP_EREJECTED) */
	sd_smtp_features features;       /* from the last EHLO (after TLS) */
	sd_smtp_features features_plain; /* from the EHLO before STARTTLS */
	sd_smtp_tls_info tls;
	unsigned connections;     /* TCP connections opened (2 after a TLS fallback) */
	unsigned mails, rcpts, rsets; /* commands sent */
	unsigned rcpts_answered;  /* RCPTs with a reply */
} sd_smtp_result;

/* A session to ip (numeric IPv4 or IPv6) port (25 when 0). Starts the
 * non-blocking connect at once. opts may be NULL for the defaults; its
 * strings are copied. Returns NULL only on bad arguments or no memory,
 * with the reason in err; a failure to connect is the session's result. */
sd_smtp_session *sd_smtp_session_new(const char *ip, unsigned port, const sd_smtp_options *opts,
				     char *err, size_t errlen);
/* Close the connection (without QUIT when it is not done) and free
 * everything; queued RCPTs not answered get no callback. NULL is fine. */
void sd_smtp_session_free(sd_smtp_session *s);

/* Queue RCPT TO:<address> (tag is handed back in the callback). An RSET
 * marker ends the transaction: the next RCPT starts a new MAIL FROM. Both
 * return 0, or -1 when the session is done, address has CR, LF or NUL or
 * is longer than SD_SMTP_ADDR_MAX, the queue is full, or on no memory. */
int sd_smtp_session_add_rcpt(sd_smtp_session *s, const char *address, void *tag);
int sd_smtp_session_add_rset(sd_smtp_session *s);
/* Nothing more will be queued: QUIT once the queue is done. Without it a
 * session with an empty queue waits idle_ms for more, then QUITs. */
void sd_smtp_session_finish(sd_smtp_session *s);

/* For the poll loop: the socket (-1 when done), the events to poll for
 * (0 when done), the milliseconds until the session's deadline (0 when it
 * has passed, -1 when done). */
int sd_smtp_session_fd(const sd_smtp_session *s);
short sd_smtp_session_events(const sd_smtp_session *s);
int sd_smtp_session_timeout_ms(const sd_smtp_session *s);
/* Advance with what poll() reported for the fd (0: nothing, then only the
 * deadline is checked). Returns 1 while the session runs, 0 once done. */
int sd_smtp_session_step(sd_smtp_session *s, short revents);
int sd_smtp_session_done(const sd_smtp_session *s);
/* The findings so far; final once done. Owned by the session. */
const sd_smtp_result *sd_smtp_session_result(const sd_smtp_session *s);

/* ---- blocking use (smtp_blocking.c), for `check` ------------------------- */

/* Drive s alone until it is done (bounded by its timeouts). Returns
 * s's result error. */
sd_smtp_error sd_smtp_session_run(sd_smtp_session *s);
/* Probe ip:port: banner, EHLO, STARTTLS (per opts), EHLO, QUIT. Returns the
 * finished session (read sd_smtp_session_result, free with
 * sd_smtp_session_free), or NULL as sd_smtp_session_new does. */
sd_smtp_session *sd_smtp_probe_host(const char *ip, unsigned port, const sd_smtp_options *opts,
				    char *err, size_t errlen);

/* Is TCP port reachable within timeout_ms (0: SD_SMTP_CONNECT_MS)? */
typedef enum sd_tcp_reach {
	SD_TCP_OPEN = 0,       /* connected */
	SD_TCP_REFUSED,        /* refused: nothing listens, or a firewall resets */
	SD_TCP_TIMEOUT,        /* no answer: likely filtered (port 25 blocked) */
	SD_TCP_UNREACHABLE,    /* no route to the network or host */
	SD_TCP_ERROR,          /* anything else (reason in why) */
} sd_tcp_reach;
/* "open", "refused", "timeout", "unreachable", "error" */
const char *sd_tcp_reach_name(sd_tcp_reach r);
sd_tcp_reach sd_tcp_reachable(const char *ip, unsigned port, int timeout_ms, char *why, size_t whylen);

/* ---- counters (smtp_net.c), for the bulk benchmark ----------------------- */

typedef struct sd_smtp_counters {
	unsigned long sessions;     /* sessions created */
	unsigned long connections;  /* TCP connections attempted */
	unsigned long rcpts;        /* RCPT TO commands sent */
} sd_smtp_counters;
/* Process-wide totals since the start or the last reset; thread-safe. */
void sd_smtp_counters_get(sd_smtp_counters *out);
void sd_smtp_counters_reset(void);

#endif
