/*
 * smtp_io.c - move a probe session's bytes between its buffers, TLS and
 * the socket.
 *
 * Writing: sd_smtp_io_send() puts a command into the out buffer (as TLS
 * records once TLS is on) and sd_smtp_io_flush() sends as much as the
 * socket takes, with MSG_NOSIGNAL so a closed connection is an error and
 * never a SIGPIPE; when the server has gone (EPIPE, ECONNRESET), sending
 * stops quietly and reading goes on to the end of what it sent, which
 * ends as a closed connection. Reading: sd_smtp_io_read() reads one chunk; plain text
 * goes to the in buffer, TLS records into OpenSSL, from which
 * sd_smtp_io_decrypt() takes plain text into the in buffer. Nothing here
 * blocks: the socket is non-blocking and OpenSSL works on memory BIOs.
 *
 * Bounds: the out buffer holds at most SD_SMTP_OUT_MAX bytes (commands
 * are short; TLS handshake records a few kB), the in buffer one chunk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smtp_session.h"

/* Room for n more bytes in out: 0, or -1 at the cap or on no memory. */
static int
sd_io_room(sd_smtp_session *s, size_t n)
{
	size_t cap;
	char *p;

	if (s->out_off == s->out_len)
		s->out_off = s->out_len = 0;
	if (s->out_off > 0 && s->out_len + n > s->out_cap) {
		memmove(s->out, s->out + s->out_off, s->out_len - s->out_off);
		s->out_len -= s->out_off;
		s->out_off = 0;
	}
	if (s->out_len + n <= s->out_cap)
		return 0;
	if (s->out_len + n > SD_SMTP_OUT_MAX)
		return -1;
	cap = s->out_cap ? s->out_cap : 1024;
	while (cap < s->out_len + n)
		cap *= 2;
	if (cap > SD_SMTP_OUT_MAX)
		cap = SD_SMTP_OUT_MAX;
	p = realloc(s->out, cap);
	if (p == NULL)
		return -1;
	s->out = p;
	s->out_cap = cap;
	return 0;
}

int
sd_smtp_io_tls_out(sd_smtp_session *s)
{
	size_t n;

	while (s->tls != NULL && (n = sd_smtp_tls_pending(s->tls)) > 0) {
		if (n > 16384)
			n = 16384;
		if (sd_io_room(s, n) < 0)
			return -1;
		n = sd_smtp_tls_get(s->tls, s->out + s->out_len, n);
		if (n == 0)
			break;
		s->out_len += n;
	}
	return 0;
}

int
sd_smtp_io_flush(sd_smtp_session *s, sd_smtp_error *err, char *why, size_t whylen)
{
	if (s->wclosed)
		s->out_off = s->out_len = 0;
	while (s->fd >= 0 && s->out_off < s->out_len) {
		ssize_t w = send(s->fd, s->out + s->out_off, s->out_len - s->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EPIPE || errno == ECONNRESET) {
				/* the server is gone; what it said before going
				 * (a 421, say) is still to be read */
				s->wclosed = 1;
				s->out_off = s->out_len = 0;
				return 0;
			}
			*err = SD_SMTP_EIO;
			snprintf(why, whylen, "cannot send to the server: %s", strerror(errno));
			return -1;
		}
		s->out_off += (size_t)w;
	}
	if (s->out_off == s->out_len)
		s->out_off = s->out_len = 0;
	return 0;
}

int
sd_smtp_io_send(sd_smtp_session *s, const char *p, size_t n, sd_smtp_error *err, char *why,
		size_t whylen)
{
	if (s->tls != NULL) {
		if (sd_smtp_tls_write(s->tls, p, n, why, whylen) < 0) {
			*err = SD_SMTP_EIO;
			return -1;
		}
		if (sd_smtp_io_tls_out(s) < 0)
			goto full;
	} else {
		if (sd_io_room(s, n) < 0)
			goto full;
		memcpy(s->out + s->out_len, p, n);
		s->out_len += n;
	}
	return sd_smtp_io_flush(s, err, why, whylen);
full:
	*err = SD_SMTP_ENOMEM;
	snprintf(why, whylen, "the server does not read what is sent to it (%d bytes waiting)",
		 SD_SMTP_OUT_MAX);
	return -1;
}

/* Move unread plain text to the start of in. */
static void
sd_io_in_compact(sd_smtp_session *s)
{
	if (s->in_off == 0)
		return;
	memmove(s->in, s->in + s->in_off, s->in_len - s->in_off);
	s->in_len -= s->in_off;
	s->in_off = 0;
}

long
sd_smtp_io_read(sd_smtp_session *s, char *why, size_t whylen)
{
	char buf[SD_SMTP_READ_CHUNK];
	char *to;
	size_t room;
	ssize_t r;

	if (s->tls != NULL) {
		to = buf;
		room = sizeof(buf);
	} else {
		sd_io_in_compact(s);
		to = s->in + s->in_len;
		room = sizeof(s->in) - s->in_len;
		if (room == 0)
			return -1; /* the reader must take some first */
	}
	do {
		r = recv(s->fd, to, room, MSG_DONTWAIT);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		if (errno == ECONNRESET || errno == EPIPE)
			return 0; /* reset after what it sent: closed all the same */
		snprintf(why, whylen, "cannot read from the server: %s", strerror(errno));
		return -2;
	}
	if (r == 0)
		return 0;
	if (s->tls != NULL) {
		if (sd_smtp_tls_put(s->tls, buf, (size_t)r) < 0) {
			snprintf(why, whylen, "out of memory");
			return -2;
		}
	} else {
		s->in_len += (size_t)r;
	}
	return (long)r;
}

long
sd_smtp_io_decrypt(sd_smtp_session *s, char *why, size_t whylen)
{
	long r;

	if (s->tls == NULL || !s->tls_up)
		return 0;
	sd_io_in_compact(s);
	if (s->in_len == sizeof(s->in))
		return 0;
	r = sd_smtp_tls_read(s->tls, s->in + s->in_len, sizeof(s->in) - s->in_len, why, whylen);
	if (r > 0)
		s->in_len += (size_t)r;
	/* reading can make TLS answer (key updates, alerts) */
	(void)sd_smtp_io_tls_out(s);
	return r;
}

void
sd_smtp_io_close(sd_smtp_session *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	sd_smtp_tls_free(s->tls);
	s->tls = NULL;
	s->tls_up = 0;
	s->out_off = s->out_len = 0;
	s->in_off = s->in_len = 0;
	s->eof = 0;
	sd_smtp_reader_init(&s->rd);
	s->tline_len = 0;
}
