/*
 * smtp_dialogue.c - what a probe session says and what the replies mean.
 *
 * The SMTP side of smtp_session.c's state machine (RFC 5321 3, 4.1):
 *
 *   connect -> [TLS handshake, implicit TLS] -> banner -> EHLO (HELO when
 *   EHLO gets a 5xx) -> [STARTTLS -> TLS handshake -> EHLO] ->
 *   { MAIL FROM -> RCPT TO ... -> [RSET] } ... -> [idle] -> QUIT
 *
 * and never DATA. sd_session_on_reply() acts on each reply of the stage
 * under way; sd_session_next() picks the next command from the caller's
 * queue: MAIL FROM to open a transaction (with SIZE= and SMTPUTF8 when
 * offered and asked for), RCPT TO, RSET at a marker or every
 * rcpts_per_mail RCPTs, QUIT when the queue is done and the caller
 * finished, else idle. STARTTLS (RFC 3207) is used when offered and
 * allowed; a refused STARTTLS goes on in plain text; a failed handshake
 * reconnects without TLS when tls_fallback allows, as MTAs do.
 *
 * Every way a session can end is one call: sd_session_fail() (the
 * connection is gone, a timeout, garbage) or sd_end() (the server refused:
 * the session QUITs politely, unless it said 421). Both give each queued
 * RCPT its callback with the reason, so every RCPT gets exactly one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_net.h"
#include "smtp_session.h"

/* How messages name each stage: "closed ... during X", "timeout waiting
 * for Y", "not SMTP ..., in Z". */
static const struct sd_stage_words sd_stage_words[] = {
	[SD_SMTP_CONNECT] = {"while connecting", "connecting", "while connecting"},
	[SD_SMTP_TLS_HANDSHAKE] = {"during the TLS handshake", "in the TLS handshake",
				   "in the TLS handshake"},
	[SD_SMTP_BANNER] = {"before the banner", "waiting for the banner", "in the banner"},
	[SD_SMTP_EHLO] = {"during EHLO", "waiting for the reply to EHLO", "in the reply to EHLO"},
	[SD_SMTP_HELO] = {"during HELO", "waiting for the reply to HELO", "in the reply to HELO"},
	[SD_SMTP_STARTTLS] = {"during STARTTLS", "waiting for the reply to STARTTLS",
			      "in the reply to STARTTLS"},
	[SD_SMTP_MAIL] = {"during MAIL", "waiting for the reply to MAIL FROM",
			  "in the reply to MAIL FROM"},
	[SD_SMTP_RCPT] = {"during RCPT", "waiting for the reply to RCPT TO",
			  "in the reply to RCPT TO"},
	[SD_SMTP_RSET] = {"during RSET", "waiting for the reply to RSET", "in the reply to RSET"},
	[SD_SMTP_QUIT] = {"during QUIT", "waiting for the reply to QUIT", "in the reply to QUIT"},
	[SD_SMTP_IDLE] = {"while idle", "idle", "while idle"},
	[SD_SMTP_END] = {"at the end", "at the end", "at the end"},
};

const struct sd_stage_words *
sd_session_words(sd_smtp_stage st)
{
	if ((unsigned)st >= sizeof(sd_stage_words) / sizeof(sd_stage_words[0]))
		st = SD_SMTP_END;
	return &sd_stage_words[st];
}

/* ---- the queue ---------------------------------------------------------- */

int
sd_session_queue_push(sd_smtp_session *s, char *addr, void *tag)
{
	if (s->qlen >= SD_SMTP_QUEUE_MAX)
		return -1;
	if (s->qhead + s->qlen == s->qcap) {
		if (s->qhead > 0) {
			memmove(s->q, s->q + s->qhead, s->qlen * sizeof(*s->q));
			s->qhead = 0;
		} else {
			size_t cap = s->qcap ? s->qcap * 2 : 16;
			struct sd_smtp_item *q = realloc(s->q, cap * sizeof(*q));
			if (q == NULL)
				return -1;
			s->q = q;
			s->qcap = cap;
		}
	}
	s->q[s->qhead + s->qlen].addr = addr;
	s->q[s->qhead + s->qlen].tag = tag;
	s->qlen++;
	return 0;
}

/* Take the first item off the queue (the queue must not be empty). */
struct sd_smtp_item
sd_session_queue_pop(sd_smtp_session *s)
{
	struct sd_smtp_item it = s->q[s->qhead];

	s->qhead++;
	s->qlen--;
	if (s->qlen == 0)
		s->qhead = 0;
	return it;
}

/* Give every queued RCPT its callback without a reply, and empty the
 * queue. Callbacks cannot queue more: the session has an error by now. */
static void
sd_report_queue(sd_smtp_session *s)
{
	while (s->qlen > 0) {
		struct sd_smtp_item it = sd_session_queue_pop(s);

		if (it.addr != NULL && s->opt.on_rcpt != NULL) {
			sd_smtp_rcpt_result rr = {
				.address = it.addr,
				.tag = it.tag,
				.reply = NULL,
				.error = s->res.error,
				.why = s->res.why,
				.connection = s->res.connections,
			};
			s->opt.on_rcpt(s->opt.ctx, s, &rr);
		}
		free(it.addr);
	}
}

/* ---- ending ------------------------------------------------------------- */

static void __attribute__((format(printf, 3, 0)))
sd_set_error(sd_smtp_session *s, sd_smtp_error err, const char *fmt, va_list ap)
{
	if (s->res.error != SD_SMTP_OK)
		return; /* the first reason stands */
	s->res.error = err;
	s->res.stage = s->stage;
	vsnprintf(s->res.why, sizeof(s->res.why), fmt, ap);
}

void
sd_session_close(sd_smtp_session *s)
{
	sd_smtp_io_close(s);
	s->phase = SD_PH_DONE;
	if (s->res.error == SD_SMTP_OK)
		s->res.stage = SD_SMTP_END;
}

/* The session cannot go on: record why, answer the queue, close. */
void
sd_session_fail(sd_smtp_session *s, sd_smtp_error err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_set_error(s, err, fmt, ap);
	va_end(ap);
	s->ending = 1;
	sd_report_queue(s);
	sd_session_close(s);
}

static void
sd_set_deadline(sd_smtp_session *s, int ms)
{
	s->step_ms = ms;
	s->deadline = sd_smtp_now_ms() + ms;
}

/* Send one command and wait for its reply. */
void
sd_session_command(sd_smtp_session *s, sd_smtp_stage stage, const char *fmt, ...)
{
	char line[SD_CMD_MAX + 3], why[300];
	sd_smtp_error err = SD_SMTP_OK;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 2) {
		sd_session_fail(s, SD_SMTP_EINVAL, "command too long");
		return;
	}
	if (s->opt.on_transcript != NULL)
		s->opt.on_transcript(s->opt.ctx, SD_SMTP_SENT, line, (size_t)n);
	memcpy(line + n, "\r\n", 2);
	s->stage = stage;
	s->phase = SD_PH_REPLY;
	sd_set_deadline(s, s->opt.command_ms);
	if (sd_smtp_io_send(s, line, (size_t)n + 2, &err, why, sizeof(why)) < 0) {
		if (err == SD_SMTP_ECLOSED)
			sd_session_fail(s, err, "connection closed by the server %s",
				sd_session_words(stage)->during);
		else
			sd_session_fail(s, err, "%s", why);
	}
}

/* The server refused something the session needs: record why, answer the
 * queue, and QUIT politely (the reply to QUIT ends the session). */
static void __attribute__((format(printf, 3, 4)))
sd_end(sd_smtp_session *s, sd_smtp_error err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_set_error(s, err, fmt, ap);
	va_end(ap);
	s->ending = 1;
	sd_report_queue(s);
	if (s->res.last.code == 421) {
		sd_session_close(s); /* the server is closing the channel itself */
		return;
	}
	sd_session_command(s, SD_SMTP_QUIT, "QUIT");
}

/* ---- TLS ---------------------------------------------------------------- */

/* A handshake failed (why): reconnect without TLS when allowed. */
void
sd_session_tls_lost(sd_smtp_session *s, const char *why)
{
	snprintf(s->res.tls.error, sizeof(s->res.tls.error), "%.250s", why);
	s->tls_failed = 1;
	if (s->opt.tls_fallback && s->opt.tls == SD_SMTP_TLS_OPPORTUNISTIC) {
		sd_smtp_io_close(s);
		s->txn = 0;
		sd_session_connect(s);
		return;
	}
	sd_session_fail(s, SD_SMTP_ETLS, "%s", why);
}

static void
sd_tls_begin(sd_smtp_session *s)
{
	char err[256];

	s->stage = SD_SMTP_TLS_HANDSHAKE;
	s->phase = SD_PH_HANDSHAKE;
	sd_set_deadline(s, s->opt.command_ms);
	s->res.tls.attempted = 1;
	/* plain text the server sent after its 220 to STARTTLS must not be
	 * read as if it came through TLS (RFC 3207 6) */
	s->in_off = s->in_len = 0;
	sd_smtp_reader_init(&s->rd);
	if (s->tlsctx == NULL)
		s->tlsctx = sd_smtp_tlsctx_new(NULL, err, sizeof(err));
	if (s->tlsctx != NULL)
		s->tls = sd_smtp_tls_new(s->tlsctx, s->tls_name, err, sizeof(err));
	if (s->tls == NULL)
		sd_session_tls_lost(s, err);
}

void
sd_session_tls_up(sd_smtp_session *s)
{
	s->tls_up = 1;
	s->res.tls.established = 1;
	s->res.tls.error[0] = '\0';
	sd_smtp_tls_facts(s->tls, s->tls_name, &s->res.tls);
	if (s->opt.tls == SD_SMTP_TLS_IMPLICIT) {
		if (s->opt.connect_only) {
			sd_session_close(s);
			return;
		}
		s->stage = SD_SMTP_BANNER;
		s->phase = SD_PH_REPLY;
		sd_set_deadline(s, s->opt.banner_ms);
		return;
	}
	/* RFC 3207 4.2: forget what the server said before, ask again */
	sd_session_command(s, SD_SMTP_EHLO, "EHLO %s", s->helo);
}

/* ---- connecting --------------------------------------------------------- */

void
sd_session_connected(sd_smtp_session *s)
{
	s->res.connected = 1;
	if (s->opt.tls == SD_SMTP_TLS_IMPLICIT) {
		s->res.tls.offered = 1;
		sd_tls_begin(s);
		return;
	}
	if (s->opt.connect_only) {
		sd_session_close(s);
		return;
	}
	s->stage = SD_SMTP_BANNER;
	s->phase = SD_PH_REPLY;
	sd_set_deadline(s, s->opt.banner_ms);
}

void
sd_session_connect_failed(sd_smtp_session *s, int e)
{
	sd_session_fail(s, sd_smtp_connect_error(e), "cannot connect to %s: %s", s->res.peer, strerror(e));
}

void
sd_session_connect(sd_smtp_session *s)
{
	int pending, e;

	s->res.connections++;
	s->stage = SD_SMTP_CONNECT;
	s->phase = SD_PH_CONNECTING;
	sd_set_deadline(s, s->opt.connect_ms);
	s->fd = sd_smtp_connect_start(&s->sa, s->salen, &pending, &e);
	if (s->fd < 0)
		sd_session_connect_failed(s, e);
	else if (!pending)
		sd_session_connected(s);
}

/* ---- replies ------------------------------------------------------------ */

/* Keep a copy of r in *slot; 0, or -1 (session failed) on no memory. */
static int
sd_keep(sd_smtp_session *s, sd_smtp_reply *slot, const sd_smtp_reply *r)
{
	sd_smtp_reply_clear(slot);
	if (sd_smtp_reply_copy(slot, r) < 0) {
		sd_session_fail(s, SD_SMTP_ENOMEM, "out of memory");
		return -1;
	}
	return 0;
}

static void
sd_on_rcpt_reply(sd_smtp_session *s, const sd_smtp_reply *r)
{
	struct sd_smtp_item it;

	if (s->qlen == 0 || s->q[s->qhead].addr == NULL) {
		sd_session_fail(s, SD_SMTP_EPROTO, "reply to RCPT without a RCPT sent");
		return;
	}
	it = sd_session_queue_pop(s);
	s->txn_rcpts++;
	s->res.rcpts_answered++;
	if (s->opt.on_rcpt != NULL) {
		sd_smtp_rcpt_result rr = {
			.address = it.addr,
			.tag = it.tag,
			.reply = r,
			.error = SD_SMTP_OK,
			.why = "",
			.connection = s->res.connections,
		};
		s->opt.on_rcpt(s->opt.ctx, s, &rr);
	}
	free(it.addr);
	if (r->code == 421) {
		char f[SD_CMD_MAX];
		sd_end(s, SD_SMTP_EREJECTED, "the server ended the session during RCPT: %s",
		       sd_smtp_reply_format(r, f, sizeof(f)));
		return;
	}
	sd_session_next(s);
}

void
sd_session_on_reply(sd_smtp_session *s, sd_smtp_reply *r)
{
	char f[SD_CMD_MAX];
	int cls = r->code / 100;

	if (s->phase == SD_PH_REPLY && s->stage == SD_SMTP_QUIT && s->res.error != SD_SMTP_OK) {
		/* keep the refusal that ended the session as the last reply */
		sd_smtp_reply_clear(r);
		sd_session_close(s);
		return;
	}
	sd_smtp_reply_clear(&s->res.last);
	s->res.last = *r; /* moved: the session owns it now */
	r = &s->res.last;
	sd_smtp_reply_format(r, f, sizeof(f));

	switch (s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage) {
	case SD_SMTP_BANNER:
		if (sd_keep(s, &s->res.banner, r) < 0)
			return;
		if (cls == 2)
			sd_session_command(s, SD_SMTP_EHLO, "EHLO %s", s->helo);
		else
			sd_end(s, SD_SMTP_EREJECTED, "the server refused the session in its banner: %s",
			       f);
		return;
	case SD_SMTP_EHLO:
		if (sd_keep(s, &s->res.ehlo, r) < 0)
			return;
		if (cls == 2) {
			sd_smtp_features_parse(r, &s->res.features);
			if (!s->tls_up) {
				s->res.features_plain = s->res.features;
				s->res.tls.offered = s->res.features.starttls;
			}
			if (s->res.features.starttls && !s->tls_up && !s->tls_failed &&
			    s->opt.tls == SD_SMTP_TLS_OPPORTUNISTIC)
				sd_session_command(s, SD_SMTP_STARTTLS, "STARTTLS");
			else
				sd_session_next(s);
		} else if (cls == 5) {
			sd_session_command(s, SD_SMTP_HELO, "HELO %s", s->helo); /* RFC 5321 3.2 */
		} else {
			sd_end(s, SD_SMTP_EREJECTED, "EHLO refused: %s", f);
		}
		return;
	case SD_SMTP_HELO:
		if (sd_keep(s, &s->res.ehlo, r) < 0)
			return;
		memset(&s->res.features, 0, sizeof(s->res.features));
		if (!s->tls_up)
			s->res.features_plain = s->res.features;
		if (cls == 2)
			sd_session_next(s);
		else
			sd_end(s, SD_SMTP_EREJECTED, "EHLO and HELO refused: %s", f);
		return;
	case SD_SMTP_STARTTLS:
		if (cls == 2) {
			sd_tls_begin(s);
		} else if (r->code == 421) {
			sd_end(s, SD_SMTP_EREJECTED, "the server ended the session at STARTTLS: %s", f);
		} else {
			snprintf(s->res.tls.error, sizeof(s->res.tls.error), "STARTTLS refused: %.200s", f);
			sd_session_next(s); /* go on in plain text */
		}
		return;
	case SD_SMTP_MAIL:
		if (sd_keep(s, &s->res.mail, r) < 0)
			return;
		if (cls == 2) {
			s->txn = 1;
			s->txn_rcpts = 0;
			sd_session_next(s);
		} else {
			sd_end(s, SD_SMTP_EREJECTED, "MAIL FROM refused: %s", f);
		}
		return;
	case SD_SMTP_RCPT:
		sd_on_rcpt_reply(s, r);
		return;
	case SD_SMTP_RSET:
		if (cls == 2) {
			s->txn = 0;
			sd_session_next(s);
		} else {
			sd_end(s, SD_SMTP_EREJECTED, "RSET refused: %s", f);
		}
		return;
	case SD_SMTP_QUIT:
		sd_session_close(s);
		return;
	default:
		/* a reply nothing asked for */
		if (r->code == 421)
			sd_end(s, SD_SMTP_EREJECTED, "the server ended the session: %s", f);
		else
			sd_session_fail(s, SD_SMTP_EPROTO, "reply while nothing was asked: %s", f);
		return;
	}
}

/* ---- what next ---------------------------------------------------------- */

/* The next command from the queue, QUIT, or idle. */
void
sd_session_next(sd_smtp_session *s)
{
	while (!s->ending) {
		struct sd_smtp_item *head;

		if (s->qlen == 0) {
			if (s->finishing) {
				sd_session_command(s, SD_SMTP_QUIT, "QUIT");
			} else {
				s->phase = SD_PH_IDLE;
				s->stage = SD_SMTP_IDLE;
				sd_set_deadline(s, s->opt.idle_ms);
			}
			return;
		}
		head = &s->q[s->qhead];
		if (head->addr == NULL) {
			/* an RSET marker: needed only inside a transaction */
			(void)sd_session_queue_pop(s);
			if (s->txn) {
				s->res.rsets++;
				sd_session_command(s, SD_SMTP_RSET, "RSET");
				return;
			}
			continue;
		}
		if (!s->txn) {
			char size[40] = "";

			if (s->opt.size > 0 && s->res.features.size_offered)
				snprintf(size, sizeof(size), " SIZE=%llu", s->opt.size);
			s->res.mails++;
			sd_session_command(s, SD_SMTP_MAIL, "MAIL FROM:<%s>%s%s", s->from, size,
				   s->opt.smtputf8 && s->res.features.smtputf8 ? " SMTPUTF8" : "");
			return;
		}
		if (s->opt.rcpts_per_mail > 0 && s->txn_rcpts >= s->opt.rcpts_per_mail) {
			s->res.rsets++;
			sd_session_command(s, SD_SMTP_RSET, "RSET");
			return;
		}
		s->res.rcpts++;
		sd_smtp_count_rcpt();
		sd_session_command(s, SD_SMTP_RCPT, "RCPT TO:<%s>", head->addr);
		return;
	}
}
