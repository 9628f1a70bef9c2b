/*
 * smtp_blocking.c - the SMTP probe for callers that wait: one session
 * driven to its end by its own poll() loop, a probe of one host (banner,
 * EHLO, TLS facts, for `smtpdoc check`), and TCP port reachability.
 *
 * sd_smtp_session_run() returns when the session is done; every step of a
 * session has a deadline, so it always does. sd_tcp_reachable() is a
 * connect-only session: it tells a refused port (a reset came back) from
 * a silent one (timeout: usually a firewall that drops, as when an ISP
 * blocks port 25) and from a network without a route.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>

#include "smtp_probe.h"

sd_smtp_error
sd_smtp_session_run(sd_smtp_session *s)
{
	while (!sd_smtp_session_done(s)) {
		struct pollfd pfd;
		int n, fd = sd_smtp_session_fd(s);

		pfd.fd = fd;
		pfd.events = sd_smtp_session_events(s);
		pfd.revents = 0;
		n = poll(&pfd, fd >= 0 ? 1 : 0, sd_smtp_session_timeout_ms(s));
		if (n < 0 && errno != EINTR)
			pfd.revents = 0; /* cannot poll: the deadline still ends it */
		sd_smtp_session_step(s, n > 0 ? pfd.revents : 0);
	}
	return sd_smtp_session_result(s)->error;
}

sd_smtp_session *
sd_smtp_probe_host(const char *ip, unsigned port, const sd_smtp_options *opts, char *err,
		   size_t errlen)
{
	sd_smtp_session *s = sd_smtp_session_new(ip, port, opts, err, errlen);

	if (s == NULL)
		return NULL;
	sd_smtp_session_finish(s);
	(void)sd_smtp_session_run(s);
	return s;
}

sd_tcp_reach
sd_tcp_reachable(const char *ip, unsigned port, int timeout_ms, char *why, size_t whylen)
{
	sd_smtp_options o;
	sd_smtp_session *s;
	sd_tcp_reach r;

	sd_smtp_options_init(&o);
	o.tls = SD_SMTP_TLS_NO;
	o.connect_only = 1;
	o.connect_ms = timeout_ms;
	s = sd_smtp_session_new(ip, port, &o, why, whylen);
	if (s == NULL)
		return SD_TCP_ERROR;
	switch (sd_smtp_session_run(s)) {
	case SD_SMTP_OK:
		r = SD_TCP_OPEN;
		break;
	case SD_SMTP_EREFUSED:
		r = SD_TCP_REFUSED;
		break;
	case SD_SMTP_ETIMEOUT:
		r = SD_TCP_TIMEOUT;
		break;
	case SD_SMTP_EUNREACH:
		r = SD_TCP_UNREACHABLE;
		break;
	default:
		r = SD_TCP_ERROR;
		break;
	}
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", r == SD_TCP_OPEN ? "" : sd_smtp_session_result(s)->why);
	sd_smtp_session_free(s);
	return r;
}
