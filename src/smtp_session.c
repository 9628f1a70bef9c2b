/*
 * smtp_session.c - one SMTP probe session as a non-blocking state machine.
 *
 * sd_smtp_session_new() starts a TCP connect; sd_smtp_session_step(),
 * called by the caller's poll() loop, moves on through (RFC 5321 3, 4.1):
 *
 *   connect -> [TLS handshake, implicit TLS] -> banner -> EHLO (HELO when
 *   EHLO gets a 5xx) -> [STARTTLS -> TLS handshake -> EHLO] ->
 *   { MAIL FROM -> RCPT TO ... -> [RSET] } ... -> [idle] -> QUIT
 *
 * and never DATA. STARTTLS (RFC 3207) is used when offered and allowed;
 * a refused STARTTLS goes on in plain text; a failed handshake reconnects
 * without TLS when tls_fallback allows (what MTAs do). RCPTs come from a
 * queue the caller fills (sd_smtp_session_add_rcpt), with RSET markers
 * that end the transaction; a new MAIL FROM opens the next. With the
 * queue empty the session idles, until the caller queues more or says it
 * is finished, or idle_ms pass; then QUIT.
 *
 * Each step has a deadline (connect_ms, banner_ms, command_ms for every
 * command and the TLS handshake, idle_ms). Every way a session can end is
 * one call of sd_fail() (connection gone, timeout, garbage) or sd_end()
 * (the server refused: the session QUITs politely); both give each queued
 * RCPT its callback with the reason, so every RCPT gets exactly one.
 *
 * Ownership: the session owns copies of the option strings and of every
 * queued address, its replies (sd_smtp_result) and its TLS state. Byte
 * moving is in smtp_io.c, replies are read by smtp_reply.c.
 */
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "smtp_net.h"
#include "smtp_session.h"

#define SD_CMD_MAX (SD_SMTP_ADDR_MAX + 128) /* one command line */
#define SD_PUMP_ROUNDS 4096                  /* work per step, at most */
#define SD_READS_PER_STEP 8                  /* socket reads per step */

/* How messages name each stage: "closed ... during X", "timeout waiting
 * for Y", "not SMTP ..., in Z". */
static const struct {
	const char *during;
	const char *waiting;
	const char *in;
} sd_stage_words[] = {
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

static void sd_next(sd_smtp_session *s);
static void sd_connect(sd_smtp_session *s);

void
sd_smtp_options_init(sd_smtp_options *o)
{
	memset(o, 0, sizeof(*o));
	o->tls = SD_SMTP_TLS_OPPORTUNISTIC;
	o->tls_fallback = 1;
	o->rcpts_per_mail = 100;
}

static char *
sd_strdup_or(const char *s, const char *dflt)
{
	const char *v = (s != NULL && s[0] != '\0') ? s : dflt;
	char *p;

	if (v == NULL)
		return NULL;
	p = malloc(strlen(v) + 1);
	if (p != NULL)
		memcpy(p, v, strlen(v) + 1);
	return p;
}

/* Fit to go into a command: no CR, LF or NUL (NUL cannot occur in a C
 * string), not too long. */
static int
sd_arg_ok(const char *s)
{
	size_t n = strlen(s);

	return n <= SD_SMTP_ADDR_MAX && strpbrk(s, "\r\n") == NULL;
}

/* ---- transcript --------------------------------------------------------- */

static void
sd_transcript_received(sd_smtp_session *s, const char *p, size_t n)
{
	size_t i;

	if (s->opt.on_transcript == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			size_t len = s->tline_len;
			if (len > 0 && s->tline[len - 1] == '\r')
				len--;
			s->opt.on_transcript(s->opt.ctx, SD_SMTP_RECEIVED, s->tline, len);
			s->tline_len = 0;
		} else if (s->tline_len < sizeof(s->tline)) {
			s->tline[s->tline_len++] = p[i];
		}
	}
}

/* ---- the queue ---------------------------------------------------------- */

static int
sd_queue_push(sd_smtp_session *s, char *addr, void *tag)
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
static struct sd_smtp_item
sd_queue_pop(sd_smtp_session *s)
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
		struct sd_smtp_item it = sd_queue_pop(s);

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

static void
sd_done(sd_smtp_session *s)
{
	sd_smtp_io_close(s);
	s->phase = SD_PH_DONE;
	if (s->res.error == SD_SMTP_OK)
		s->res.stage = SD_SMTP_END;
}

/* The session cannot go on: record why, answer the queue, close. */
static void __attribute__((format(printf, 3, 4)))
sd_fail(sd_smtp_session *s, sd_smtp_error err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_set_error(s, err, fmt, ap);
	va_end(ap);
	s->ending = 1;
	sd_report_queue(s);
	sd_done(s);
}

static void
sd_set_deadline(sd_smtp_session *s, int ms)
{
	s->step_ms = ms;
	s->deadline = sd_smtp_now_ms() + ms;
}

/* Send one command and wait for its reply. */
static void __attribute__((format(printf, 3, 4)))
sd_command(sd_smtp_session *s, sd_smtp_stage stage, const char *fmt, ...)
{
	char line[SD_CMD_MAX + 3], why[300];
	sd_smtp_error err = SD_SMTP_OK;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 2) {
		sd_fail(s, SD_SMTP_EINVAL, "command too long");
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
			sd_fail(s, err, "connection closed by the server %s",
				sd_stage_words[stage].during);
		else
			sd_fail(s, err, "%s", why);
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
		sd_done(s); /* the server is closing the channel itself */
		return;
	}
	sd_command(s, SD_SMTP_QUIT, "QUIT");
}

/* ---- TLS ---------------------------------------------------------------- */

/* A handshake failed (why): reconnect without TLS when allowed. */
static void
sd_tls_lost(sd_smtp_session *s, const char *why)
{
	snprintf(s->res.tls.error, sizeof(s->res.tls.error), "%.250s", why);
	s->tls_failed = 1;
	if (s->opt.tls_fallback && s->opt.tls == SD_SMTP_TLS_OPPORTUNISTIC) {
		sd_smtp_io_close(s);
		s->txn = 0;
		sd_connect(s);
		return;
	}
	sd_fail(s, SD_SMTP_ETLS, "%s", why);
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
		sd_tls_lost(s, err);
}

static void
sd_tls_up(sd_smtp_session *s)
{
	s->tls_up = 1;
	s->res.tls.established = 1;
	s->res.tls.error[0] = '\0';
	sd_smtp_tls_facts(s->tls, s->tls_name, &s->res.tls);
	if (s->opt.tls == SD_SMTP_TLS_IMPLICIT) {
		if (s->opt.connect_only) {
			sd_done(s);
			return;
		}
		s->stage = SD_SMTP_BANNER;
		s->phase = SD_PH_REPLY;
		sd_set_deadline(s, s->opt.banner_ms);
		return;
	}
	/* RFC 3207 4.2: forget what the server said before, ask again */
	sd_command(s, SD_SMTP_EHLO, "EHLO %s", s->helo);
}

/* ---- connecting --------------------------------------------------------- */

static void
sd_connected(sd_smtp_session *s)
{
	s->res.connected = 1;
	if (s->opt.tls == SD_SMTP_TLS_IMPLICIT) {
		s->res.tls.offered = 1;
		sd_tls_begin(s);
		return;
	}
	if (s->opt.connect_only) {
		sd_done(s);
		return;
	}
	s->stage = SD_SMTP_BANNER;
	s->phase = SD_PH_REPLY;
	sd_set_deadline(s, s->opt.banner_ms);
}

static void
sd_connect_failed(sd_smtp_session *s, int e)
{
	sd_fail(s, sd_smtp_connect_error(e), "cannot connect to %s: %s", s->res.peer, strerror(e));
}

static void
sd_connect(sd_smtp_session *s)
{
	int pending, e;

	s->res.connections++;
	s->stage = SD_SMTP_CONNECT;
	s->phase = SD_PH_CONNECTING;
	sd_set_deadline(s, s->opt.connect_ms);
	s->fd = sd_smtp_connect_start(&s->sa, s->salen, &pending, &e);
	if (s->fd < 0)
		sd_connect_failed(s, e);
	else if (!pending)
		sd_connected(s);
}

/* ---- replies ------------------------------------------------------------ */

/* Keep a copy of r in *slot; 0, or -1 (session failed) on no memory. */
static int
sd_keep(sd_smtp_session *s, sd_smtp_reply *slot, const sd_smtp_reply *r)
{
	sd_smtp_reply_clear(slot);
	if (sd_smtp_reply_copy(slot, r) < 0) {
		sd_fail(s, SD_SMTP_ENOMEM, "out of memory");
		return -1;
	}
	return 0;
}

static void
sd_on_rcpt_reply(sd_smtp_session *s, const sd_smtp_reply *r)
{
	struct sd_smtp_item it;

	if (s->qlen == 0 || s->q[s->qhead].addr == NULL) {
		sd_fail(s, SD_SMTP_EPROTO, "reply to RCPT without a RCPT sent");
		return;
	}
	it = sd_queue_pop(s);
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
	sd_next(s);
}

static void
sd_on_reply(sd_smtp_session *s, sd_smtp_reply *r)
{
	char f[SD_CMD_MAX];
	int cls = r->code / 100;

	if (s->phase == SD_PH_REPLY && s->stage == SD_SMTP_QUIT && s->res.error != SD_SMTP_OK) {
		/* keep the refusal that ended the session as the last reply */
		sd_smtp_reply_clear(r);
		sd_done(s);
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
			sd_command(s, SD_SMTP_EHLO, "EHLO %s", s->helo);
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
				sd_command(s, SD_SMTP_STARTTLS, "STARTTLS");
			else
				sd_next(s);
		} else if (cls == 5) {
			sd_command(s, SD_SMTP_HELO, "HELO %s", s->helo); /* RFC 5321 3.2 */
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
			sd_next(s);
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
			sd_next(s); /* go on in plain text */
		}
		return;
	case SD_SMTP_MAIL:
		if (sd_keep(s, &s->res.mail, r) < 0)
			return;
		if (cls == 2) {
			s->txn = 1;
			s->txn_rcpts = 0;
			sd_next(s);
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
			sd_next(s);
		} else {
			sd_end(s, SD_SMTP_EREJECTED, "RSET refused: %s", f);
		}
		return;
	case SD_SMTP_QUIT:
		sd_done(s);
		return;
	default:
		/* a reply nothing asked for */
		if (r->code == 421)
			sd_end(s, SD_SMTP_EREJECTED, "the server ended the session: %s", f);
		else
			sd_fail(s, SD_SMTP_EPROTO, "reply while nothing was asked: %s", f);
		return;
	}
}

/* ---- what next ---------------------------------------------------------- */

/* The next command from the queue, QUIT, or idle. */
static void
sd_next(sd_smtp_session *s)
{
	while (!s->ending) {
		struct sd_smtp_item *head;

		if (s->qlen == 0) {
			if (s->finishing) {
				sd_command(s, SD_SMTP_QUIT, "QUIT");
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
			(void)sd_queue_pop(s);
			if (s->txn) {
				s->res.rsets++;
				sd_command(s, SD_SMTP_RSET, "RSET");
				return;
			}
			continue;
		}
		if (!s->txn) {
			char size[40] = "";

			if (s->opt.size > 0 && s->res.features.size_offered)
				snprintf(size, sizeof(size), " SIZE=%llu", s->opt.size);
			s->res.mails++;
			sd_command(s, SD_SMTP_MAIL, "MAIL FROM:<%s>%s%s", s->from, size,
				   s->opt.smtputf8 && s->res.features.smtputf8 ? " SMTPUTF8" : "");
			return;
		}
		if (s->opt.rcpts_per_mail > 0 && s->txn_rcpts >= s->opt.rcpts_per_mail) {
			s->res.rsets++;
			sd_command(s, SD_SMTP_RSET, "RSET");
			return;
		}
		s->res.rcpts++;
		sd_smtp_count_rcpt();
		sd_command(s, SD_SMTP_RCPT, "RCPT TO:<%s>", head->addr);
		return;
	}
}

/* ---- reading ------------------------------------------------------------ */

/* Feed the reply reader from in; 1 when something was done. */
static int
sd_read_replies(sd_smtp_session *s)
{
	size_t used;
	int rc;
	sd_smtp_reply r;

	if (s->in_off >= s->in_len)
		return 0;
	if (s->phase != SD_PH_REPLY && s->phase != SD_PH_IDLE) {
		s->in_off = s->in_len = 0; /* nothing to read it as */
		return 1;
	}
	rc = sd_smtp_reader_feed(&s->rd, s->in + s->in_off, s->in_len - s->in_off, &used);
	sd_transcript_received(s, s->in + s->in_off, used);
	s->in_off += used;
	if (rc < 0) {
		sd_fail(s, SD_SMTP_EPROTO, "%s, %s", s->rd.why,
			sd_stage_words[s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage].in);
		return 1;
	}
	if (rc == 1) {
		if (sd_smtp_reader_take(&s->rd, &r) < 0) {
			sd_fail(s, SD_SMTP_ENOMEM, "out of memory");
			return 1;
		}
		sd_on_reply(s, &r);
	}
	return 1;
}

/* Do everything that can be done with the bytes at hand. */
static void
sd_pump(sd_smtp_session *s)
{
	char why[300];
	int round;

	for (round = 0; round < SD_PUMP_ROUNDS && s->phase != SD_PH_DONE; round++) {
		int did = 0;

		if (s->phase == SD_PH_HANDSHAKE) {
			int r = sd_smtp_tls_handshake(s->tls, why, sizeof(why));

			if (sd_smtp_io_tls_out(s) < 0) {
				sd_tls_lost(s, "TLS handshake failed: too much to send");
				continue;
			}
			if (r == 1) {
				sd_tls_up(s);
				continue;
			}
			if (r < 0) {
				sd_tls_lost(s, why);
				continue;
			}
			break; /* more bytes from the server needed */
		}
		if (s->tls_up) {
			long r = sd_smtp_io_decrypt(s, why, sizeof(why));

			if (r == -1) {
				s->eof = 1;
			} else if (r == -2) {
				sd_fail(s, SD_SMTP_EIO, "%s %s", why, sd_stage_words[s->stage].during);
				return;
			}
		}
		did |= sd_read_replies(s);
		if (s->phase == SD_PH_IDLE && (s->qlen > 0 || s->finishing)) {
			sd_next(s);
			did = 1;
		}
		if (!did)
			break;
	}
}

/* The server stopped in the middle of a line that is already known not to
 * be SMTP: say so rather than "closed" or "timeout". 1 when it did. */
static int
sd_garbage_left(sd_smtp_session *s)
{
	if ((s->phase != SD_PH_REPLY && s->phase != SD_PH_IDLE) || sd_smtp_reader_end(&s->rd) == 0)
		return 0;
	sd_fail(s, SD_SMTP_EPROTO, "%s, %s", s->rd.why,
		sd_stage_words[s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage].in);
	return 1;
}

/* The server closed its side and everything it sent was read. */
static void
sd_closed(sd_smtp_session *s)
{
	if (sd_garbage_left(s))
		return;
	if (s->phase == SD_PH_REPLY && s->stage == SD_SMTP_QUIT) {
		sd_done(s);
	} else if (s->phase == SD_PH_HANDSHAKE) {
		sd_tls_lost(s, "connection closed by the server during the TLS handshake");
	} else {
		sd_fail(s, SD_SMTP_ECLOSED, "connection closed by the server %s%s",
			sd_stage_words[s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage].during,
			sd_smtp_reader_busy(&s->rd) ? " (in the middle of a reply)" : "");
	}
}

static void
sd_timed_out(sd_smtp_session *s)
{
	char secs[32];

	if (sd_garbage_left(s))
		return;
	sd_smtp_seconds(s->step_ms, secs, sizeof(secs));
	switch (s->phase) {
	case SD_PH_CONNECTING:
		sd_fail(s, SD_SMTP_ETIMEOUT, "timeout connecting to %s after %s", s->res.peer, secs);
		return;
	case SD_PH_HANDSHAKE: {
		char why[96];
		snprintf(why, sizeof(why), "timeout in the TLS handshake after %s", secs);
		sd_tls_lost(s, why);
		return;
	}
	case SD_PH_IDLE:
		sd_command(s, SD_SMTP_QUIT, "QUIT");
		return;
	default:
		if (s->stage == SD_SMTP_QUIT) {
			sd_done(s);
		} else if (s->rd.lines > 0) {
			sd_fail(s, SD_SMTP_ETIMEOUT, "timeout %s after %s (%u lines came, not the last)",
				sd_stage_words[s->stage].waiting, secs, s->rd.lines);
		} else {
			sd_fail(s, SD_SMTP_ETIMEOUT, "timeout %s after %s%s",
				sd_stage_words[s->stage].waiting, secs,
				s->rd.col > 0 ? " (a line was begun, not ended)" : "");
		}
		return;
	}
}

/* ---- the public side ---------------------------------------------------- */

sd_smtp_session *
sd_smtp_session_new(const char *ip, unsigned port, const sd_smtp_options *opts, char *err,
		    size_t errlen)
{
	sd_smtp_options dflt;
	sd_smtp_session *s;

	if (opts == NULL) {
		sd_smtp_options_init(&dflt);
		opts = &dflt;
	}
	if ((opts->helo_name && !sd_arg_ok(opts->helo_name)) ||
	    (opts->mail_from && !sd_arg_ok(opts->mail_from)) ||
	    (opts->tls_name && !sd_arg_ok(opts->tls_name))) {
		snprintf(err, errlen, "a name or address in the options has CR or LF or is too long");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->opt = *opts;
	if (port == 0)
		port = 25;
	if (sd_smtp_sockaddr(ip, port, &s->sa, &s->salen, s->res.peer, sizeof(s->res.peer)) < 0) {
		snprintf(err, errlen, "not a numeric IP address: %.64s", ip ? ip : "(null)");
		free(s);
		return NULL;
	}
	s->helo = sd_strdup_or(opts->helo_name, "localhost");
	s->from = sd_strdup_or(opts->mail_from, "");
	s->tls_name = sd_strdup_or(opts->tls_name, NULL);
	if (s->helo == NULL || s->from == NULL || (opts->tls_name && opts->tls_name[0] && !s->tls_name)) {
		snprintf(err, errlen, "out of memory");
		sd_smtp_session_free(s);
		return NULL;
	}
	s->opt.helo_name = s->helo;
	s->opt.mail_from = s->from;
	s->opt.tls_name = s->tls_name;
	s->opt.tlsctx = NULL;
	s->tlsctx = sd_smtp_tlsctx_ref(opts->tlsctx);
	if (s->opt.connect_ms <= 0)
		s->opt.connect_ms = SD_SMTP_CONNECT_MS;
	if (s->opt.banner_ms <= 0)
		s->opt.banner_ms = SD_SMTP_BANNER_MS;
	if (s->opt.command_ms <= 0)
		s->opt.command_ms = SD_SMTP_COMMAND_MS;
	if (s->opt.idle_ms <= 0)
		s->opt.idle_ms = SD_SMTP_IDLE_MS;
	sd_smtp_reader_init(&s->rd);
	sd_smtp_count_session();
	sd_connect(s);
	return s;
}

void
sd_smtp_session_free(sd_smtp_session *s)
{
	if (s == NULL)
		return;
	sd_smtp_io_close(s);
	while (s->qlen > 0)
		free(sd_queue_pop(s).addr);
	free(s->q);
	free(s->out);
	sd_smtp_tlsctx_free(s->tlsctx);
	sd_smtp_reply_clear(&s->res.banner);
	sd_smtp_reply_clear(&s->res.ehlo);
	sd_smtp_reply_clear(&s->res.mail);
	sd_smtp_reply_clear(&s->res.last);
	free(s->helo);
	free(s->from);
	free(s->tls_name);
	free(s);
}

int
sd_smtp_session_add_rcpt(sd_smtp_session *s, const char *address, void *tag)
{
	char *copy;

	if (s == NULL || address == NULL || s->phase == SD_PH_DONE || s->ending || s->finishing ||
	    !sd_arg_ok(address))
		return -1;
	copy = sd_strdup_or(address, "");
	if (copy == NULL)
		return -1;
	if (sd_queue_push(s, copy, tag) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

int
sd_smtp_session_add_rset(sd_smtp_session *s)
{
	if (s == NULL || s->phase == SD_PH_DONE || s->ending || s->finishing)
		return -1;
	return sd_queue_push(s, NULL, NULL);
}

void
sd_smtp_session_finish(sd_smtp_session *s)
{
	if (s != NULL)
		s->finishing = 1;
}

int
sd_smtp_session_fd(const sd_smtp_session *s)
{
	return s->phase == SD_PH_DONE ? -1 : s->fd;
}

short
sd_smtp_session_events(const sd_smtp_session *s)
{
	if (s->phase == SD_PH_DONE)
		return 0;
	if (s->phase == SD_PH_CONNECTING)
		return POLLOUT;
	return (short)(POLLIN | (s->out_off < s->out_len ? POLLOUT : 0));
}

int
sd_smtp_session_timeout_ms(const sd_smtp_session *s)
{
	long long left;

	if (s->phase == SD_PH_DONE)
		return -1;
	if (s->phase == SD_PH_IDLE && (s->qlen > 0 || s->finishing))
		return 0; /* work is waiting: step at once */
	left = s->deadline - sd_smtp_now_ms();
	if (left < 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* Reading or writing the socket failed: in a TLS handshake that is a TLS
 * failure (a reconnect without TLS may follow), else the end. */
static void
sd_io_failed(sd_smtp_session *s, sd_smtp_error err, const char *why)
{
	char msg[360];

	snprintf(msg, sizeof(msg), "%.300s %s", why, sd_stage_words[s->stage].during);
	if (s->phase == SD_PH_HANDSHAKE)
		sd_tls_lost(s, msg);
	else
		sd_fail(s, err, "%s", msg);
}

int
sd_smtp_session_step(sd_smtp_session *s, short revents)
{
	char why[300];
	sd_smtp_error err;
	int i;

	if (s->phase == SD_PH_CONNECTING) {
		if (!(revents & (POLLOUT | POLLERR | POLLHUP))) {
			if (sd_smtp_now_ms() >= s->deadline)
				sd_timed_out(s);
			return s->phase != SD_PH_DONE;
		}
		i = sd_smtp_connect_result(s->fd);
		if (i != 0)
			sd_connect_failed(s, i);
		else
			sd_connected(s);
		revents = 0; /* the socket has nothing to read yet */
	}
	if (s->phase == SD_PH_DONE)
		return 0;
	if ((revents & POLLOUT) && sd_smtp_io_flush(s, &err, why, sizeof(why)) < 0) {
		sd_io_failed(s, err, why);
		return s->phase != SD_PH_DONE;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		/* a few chunks, then back to the loop: other sessions wait */
		for (i = 0; i < SD_READS_PER_STEP && !s->eof && s->phase != SD_PH_DONE &&
			    s->phase != SD_PH_CONNECTING;
		     i++) {
			long r = sd_smtp_io_read(s, why, sizeof(why));

			if (r == -2) {
				sd_io_failed(s, SD_SMTP_EIO, why);
				return s->phase != SD_PH_DONE;
			}
			if (r == 0)
				s->eof = 1;
			sd_pump(s);
			if (r < 0)
				break;
		}
	} else {
		sd_pump(s);
	}
	if (s->phase == SD_PH_DONE || s->phase == SD_PH_CONNECTING)
		return s->phase != SD_PH_DONE;
	if (sd_smtp_io_flush(s, &err, why, sizeof(why)) < 0) {
		sd_io_failed(s, err, why);
		return s->phase != SD_PH_DONE;
	}
	if (s->eof)
		sd_closed(s);
	if (s->phase != SD_PH_DONE && s->phase != SD_PH_CONNECTING && sd_smtp_now_ms() >= s->deadline)
		sd_timed_out(s);
	return s->phase != SD_PH_DONE;
}

int
sd_smtp_session_done(const sd_smtp_session *s)
{
	return s->phase == SD_PH_DONE;
}

const sd_smtp_result *
sd_smtp_session_result(const sd_smtp_session *s)
{
	return &s->res;
}
