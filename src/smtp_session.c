/*
 * smtp_session.c - one SMTP probe session as a non-blocking state machine.
 *
 * The poll side of a probe session: sd_smtp_session_new() starts a TCP
 * connect; sd_smtp_session_step(), called by the caller's poll() loop,
 * reads what came (a few chunks per call, so one busy server does not
 * starve the others), feeds it to the reply reader (smtp_reply.c), hands
 * each reply to smtp_dialogue.c, sends what is waiting, and turns a
 * closed connection or a passed deadline into the session's end. Each
 * step has a deadline: connect_ms, banner_ms, command_ms (every command
 * and the TLS handshake), idle_ms (nothing queued: QUIT after it).
 *
 * RCPTs come from a queue the caller fills (sd_smtp_session_add_rcpt),
 * with RSET markers that end the transaction. With the queue empty the
 * session idles until the caller queues more, says it is finished, or
 * idle_ms pass.
 *
 * Ownership: the session owns copies of the option strings and of every
 * queued address, its replies (sd_smtp_result) and its TLS state. Byte
 * moving is in smtp_io.c; the SMTP dialogue in smtp_dialogue.c.
 */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "smtp_net.h"
#include "smtp_session.h"

#define SD_PUMP_ROUNDS 4096                  /* work per step, at most */
#define SD_READS_PER_STEP 8                  /* socket reads per step */

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
		sd_session_fail(s, SD_SMTP_EPROTO, "%s, %s", s->rd.why,
			sd_session_words(s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage)->in);
		return 1;
	}
	if (rc == 1) {
		if (sd_smtp_reader_take(&s->rd, &r) < 0) {
			sd_session_fail(s, SD_SMTP_ENOMEM, "out of memory");
			return 1;
		}
		sd_session_on_reply(s, &r);
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
				sd_session_tls_lost(s, "TLS handshake failed: too much to send");
				continue;
			}
			if (r == 1) {
				sd_session_tls_up(s);
				continue;
			}
			if (r < 0) {
				sd_session_tls_lost(s, why);
				continue;
			}
			break; /* more bytes from the server needed */
		}
		if (s->tls_up) {
			long r = sd_smtp_io_decrypt(s, why, sizeof(why));

			if (r == -1) {
				s->eof = 1;
			} else if (r == -2) {
				sd_session_fail(s, SD_SMTP_EIO, "%s %s", why, sd_session_words(s->stage)->during);
				return;
			}
		}
		did |= sd_read_replies(s);
		if (s->phase == SD_PH_IDLE && (s->qlen > 0 || s->finishing)) {
			sd_session_next(s);
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
	sd_session_fail(s, SD_SMTP_EPROTO, "%s, %s", s->rd.why,
		sd_session_words(s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage)->in);
	return 1;
}

/* The server closed its side and everything it sent was read. */
static void
sd_closed(sd_smtp_session *s)
{
	if (sd_garbage_left(s))
		return;
	if (s->phase == SD_PH_REPLY && s->stage == SD_SMTP_QUIT) {
		sd_session_close(s);
	} else if (s->phase == SD_PH_HANDSHAKE) {
		sd_session_tls_lost(s, "connection closed by the server during the TLS handshake");
	} else {
		sd_session_fail(s, SD_SMTP_ECLOSED, "connection closed by the server %s%s",
			sd_session_words(s->phase == SD_PH_IDLE ? SD_SMTP_IDLE : s->stage)->during,
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
		sd_session_fail(s, SD_SMTP_ETIMEOUT, "timeout connecting to %s after %s", s->res.peer, secs);
		return;
	case SD_PH_HANDSHAKE: {
		char why[96];
		snprintf(why, sizeof(why), "timeout in the TLS handshake after %s", secs);
		sd_session_tls_lost(s, why);
		return;
	}
	case SD_PH_IDLE:
		sd_session_command(s, SD_SMTP_QUIT, "QUIT");
		return;
	default:
		if (s->stage == SD_SMTP_QUIT) {
			sd_session_close(s);
		} else if (s->rd.lines > 0) {
			sd_session_fail(s, SD_SMTP_ETIMEOUT, "timeout %s after %s (%u lines came, not the last)",
				sd_session_words(s->stage)->waiting, secs, s->rd.lines);
		} else {
			sd_session_fail(s, SD_SMTP_ETIMEOUT, "timeout %s after %s%s",
				sd_session_words(s->stage)->waiting, secs,
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
	sd_session_connect(s);
	return s;
}

void
sd_smtp_session_free(sd_smtp_session *s)
{
	if (s == NULL)
		return;
	sd_smtp_io_close(s);
	while (s->qlen > 0)
		free(sd_session_queue_pop(s).addr);
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
	if (sd_session_queue_push(s, copy, tag) < 0) {
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
	return sd_session_queue_push(s, NULL, NULL);
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

	snprintf(msg, sizeof(msg), "%.300s %s", why, sd_session_words(s->stage)->during);
	if (s->phase == SD_PH_HANDSHAKE)
		sd_session_tls_lost(s, msg);
	else
		sd_session_fail(s, err, "%s", msg);
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
			sd_session_connect_failed(s, i);
		else
			sd_session_connected(s);
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
