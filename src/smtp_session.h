/*
 * smtp_session.h - the inside of an SMTP probe session, shared by
 * smtp_session.c (the poll side), smtp_dialogue.c (the SMTP side) and
 * smtp_io.c (moving bytes).
 *
 * Private to those files. Buffers: out holds bytes for the socket (TLS
 * records once TLS is on), at most SD_SMTP_OUT_MAX; in holds received
 * plain text not yet read by the reply reader, at most sizeof(in).
 */
#ifndef SMTPDOC_SMTP_SESSION_H
#define SMTPDOC_SMTP_SESSION_H

#include <sys/socket.h>

#include "smtp_probe.h"
#include "smtp_tls.h"

#define SD_SMTP_OUT_MAX (256 * 1024)
#define SD_SMTP_READ_CHUNK 16384
#define SD_SMTP_TRANSCRIPT_LINE 512

/* What the session is doing. */
enum sd_smtp_phase {
	SD_PH_CONNECTING,  /* the TCP connect is under way */
	SD_PH_HANDSHAKE,   /* the TLS handshake is under way */
	SD_PH_REPLY,       /* waiting for the reply to stage */
	SD_PH_IDLE,        /* nothing outstanding; waiting for the caller */
	SD_PH_DONE,
};

/* One item of the queue: a RCPT, or an RSET marker (addr NULL). */
struct sd_smtp_item {
	char *addr;
	void *tag;
};

struct sd_smtp_session {
	sd_smtp_options opt;        /* strings below are the session's copies */
	char *helo, *from, *tls_name;
	sd_smtp_tlsctx *tlsctx;     /* a reference, or NULL until needed */
	struct sockaddr_storage sa;
	socklen_t salen;

	int fd;
	enum sd_smtp_phase phase;
	sd_smtp_stage stage;        /* the step under way (reply awaited) */
	long long deadline;         /* ms, sd_smtp_now_ms() clock */
	int step_ms;                /* the step's time limit, for messages */
	int finishing;              /* the caller queues nothing more */
	int ending;                 /* an error is set; QUIT is under way */
	int eof;                    /* the server closed its side */
	int wclosed;                /* sending failed: the connection is gone,
				     * what the server sent is still read */

	sd_smtp_tls *tls;           /* TLS on this connection, or NULL */
	int tls_up;                 /* its handshake is done */
	int tls_failed;             /* a handshake failed: no STARTTLS again */

	int txn;                    /* MAIL FROM accepted, no RSET since */
	unsigned txn_rcpts;         /* RCPTs sent in this transaction */

	struct sd_smtp_item *q;     /* the queue: q[qhead..qhead+qlen) */
	size_t qhead, qlen, qcap;

	char *out;                  /* bytes for the socket: out[out_off..out_len) */
	size_t out_off, out_len, out_cap;
	char in[SD_SMTP_READ_CHUNK]; /* plain text received: in[in_off..in_len) */
	size_t in_off, in_len;
	sd_smtp_reader rd;
	char tline[SD_SMTP_TRANSCRIPT_LINE]; /* a received line for the transcript */
	size_t tline_len;

	sd_smtp_result res;
};

/* ---- smtp_dialogue.c ---------------------------------------------------- */

#define SD_CMD_MAX (SD_SMTP_ADDR_MAX + 128) /* one command line */

/* How messages name a stage: "closed ... during X", "timeout waiting for
 * Y", "not SMTP ..., in Z". */
struct sd_stage_words {
	const char *during;
	const char *waiting;
	const char *in;
};
const struct sd_stage_words *sd_session_words(sd_smtp_stage st);

/* The queue: push takes addr (NULL: an RSET marker); 0, or -1 when full
 * or on no memory. pop: the first item (the queue must not be empty). */
int sd_session_queue_push(sd_smtp_session *s, char *addr, void *tag);
struct sd_smtp_item sd_session_queue_pop(sd_smtp_session *s);

/* The session cannot go on: record why (the first reason stands), give
 * every queued RCPT its callback, close. */
void sd_session_fail(sd_smtp_session *s, sd_smtp_error err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Close and mark the session done (OK unless an error was recorded). */
void sd_session_close(sd_smtp_session *s);
/* Send one command (without CRLF) and wait for its reply. */
void sd_session_command(sd_smtp_session *s, sd_smtp_stage stage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Connect (again); the outcome of the connect; its failure (errno e). */
void sd_session_connect(sd_smtp_session *s);
void sd_session_connected(sd_smtp_session *s);
void sd_session_connect_failed(sd_smtp_session *s, int e);
/* The TLS handshake is done; it failed (reconnect without TLS or end). */
void sd_session_tls_up(sd_smtp_session *s);
void sd_session_tls_lost(sd_smtp_session *s, const char *why);
/* Act on a reply (taken over: the session frees it). */
void sd_session_on_reply(sd_smtp_session *s, sd_smtp_reply *r);
/* The next command from the queue, QUIT, or idle. */
void sd_session_next(sd_smtp_session *s);

/* ---- smtp_io.c ---------------------------------------------------------- */

/* Queue plain text for the server (through TLS when it is on) and try to
 * send it. 0, or -1 with the reason in why (*err the kind). */
int sd_smtp_io_send(sd_smtp_session *s, const char *p, size_t n, sd_smtp_error *err, char *why,
		    size_t whylen);
/* Send what is queued, as far as the socket takes it: 0, or -1 (why). */
int sd_smtp_io_flush(sd_smtp_session *s, sd_smtp_error *err, char *why, size_t whylen);
/* Read one chunk from the socket: into in (plain) or into TLS. Returns
 * > 0 bytes read, 0 when the server closed its side, -1 when nothing is
 * there now, -2 on error (why). */
long sd_smtp_io_read(sd_smtp_session *s, char *why, size_t whylen);
/* With TLS up: decrypt into the free room of in. > 0 bytes, 0 nothing
 * now, -1 the server closed TLS, -2 error (why). */
long sd_smtp_io_decrypt(sd_smtp_session *s, char *why, size_t whylen);
/* Move the TLS output into out. 0, or -1 when out is full. */
int sd_smtp_io_tls_out(sd_smtp_session *s);
/* Close the socket and forget buffered bytes and TLS. */
void sd_smtp_io_close(sd_smtp_session *s);

#endif
