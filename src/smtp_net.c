/*
 * smtp_net.c - the socket side of the SMTP probe: addresses, the
 * non-blocking connect and what its failures mean, a monotonic clock, the
 * process-wide counters, and the names of errors and stages.
 *
 * A connect that fails tells apart (connect(2), tcp(7)): ECONNREFUSED, the
 * host answered with a reset (nothing listens, or a firewall rejects);
 * ENETUNREACH or EHOSTUNREACH, no route (or an ICMP "unreachable" came
 * back); ETIMEDOUT, the kernel gave up; and no answer before our own
 * deadline, which smtp_session.c reports as a timeout: most often a
 * firewall that drops packets, as on networks that block port 25.
 *
 * Sockets are made with SOCK_NONBLOCK and SOCK_CLOEXEC. Counters are
 * atomic, so sessions in several threads count right.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "smtp_net.h"

static atomic_ulong sd_count_sessions, sd_count_connections, sd_count_rcpts;

long long
sd_smtp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
sd_smtp_sockaddr(const char *ip, unsigned port, struct sockaddr_storage *sa, socklen_t *salen,
		 char *peer, size_t peerlen)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (ip == NULL || port > 65535)
		return -1;
	if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((unsigned short)port);
		*salen = sizeof(*v4);
	} else if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((unsigned short)port);
		*salen = sizeof(*v6);
	} else {
		return -1;
	}
	snprintf(peer, peerlen, "%s port %u", ip, port);
	return 0;
}

int
sd_smtp_connect_start(const struct sockaddr_storage *sa, socklen_t salen, int *pending, int *err)
{
	int fd;

	*pending = 0;
	*err = 0;
	atomic_fetch_add(&sd_count_connections, 1);
	fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)sa, salen) == 0)
		return fd;
	if (errno == EINPROGRESS || errno == EINTR) {
		*pending = 1;
		return fd;
	}
	*err = errno;
	close(fd);
	return -1;
}

int
sd_smtp_connect_result(int fd)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
		return errno;
	return e;
}

sd_smtp_error
sd_smtp_connect_error(int err)
{
	switch (err) {
	case 0:
		return SD_SMTP_OK;
	case ECONNREFUSED:
		return SD_SMTP_EREFUSED;
	case ETIMEDOUT:
		return SD_SMTP_ETIMEOUT;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return SD_SMTP_EUNREACH;
	case ENOMEM:
	case ENOBUFS:
		return SD_SMTP_ENOMEM;
	default:
		return SD_SMTP_ECONNECT;
	}
}

void
sd_smtp_seconds(int ms, char *buf, size_t size)
{
	if (ms % 1000 == 0)
		snprintf(buf, size, "%d s", ms / 1000);
	else if (ms % 100 == 0)
		snprintf(buf, size, "%d.%d s", ms / 1000, ms % 1000 / 100);
	else if (ms % 10 == 0)
		snprintf(buf, size, "%d.%02d s", ms / 1000, ms % 1000 / 10);
	else
		snprintf(buf, size, "%d.%03d s", ms / 1000, ms % 1000);
}

void
sd_smtp_count_session(void)
{
	atomic_fetch_add(&sd_count_sessions, 1);
}

void
sd_smtp_count_rcpt(void)
{
	atomic_fetch_add(&sd_count_rcpts, 1);
}

void
sd_smtp_counters_get(sd_smtp_counters *out)
{
	out->sessions = atomic_load(&sd_count_sessions);
	out->connections = atomic_load(&sd_count_connections);
	out->rcpts = atomic_load(&sd_count_rcpts);
}

void
sd_smtp_counters_reset(void)
{
	atomic_store(&sd_count_sessions, 0);
	atomic_store(&sd_count_connections, 0);
	atomic_store(&sd_count_rcpts, 0);
}

const char *
sd_smtp_error_name(sd_smtp_error e)
{
	static const char *const names[] = {
		[SD_SMTP_OK] = "ok",
		[SD_SMTP_EREFUSED] = "refused",
		[SD_SMTP_ETIMEOUT] = "timeout",
		[SD_SMTP_EUNREACH] = "unreachable",
		[SD_SMTP_ECONNECT] = "connect",
		[SD_SMTP_ECLOSED] = "closed",
		[SD_SMTP_EIO] = "io",
		[SD_SMTP_EPROTO] = "protocol",
		[SD_SMTP_EREJECTED] = "rejected",
		[SD_SMTP_ETLS] = "tls",
		[SD_SMTP_ENOMEM] = "nomem",
		[SD_SMTP_EINVAL] = "invalid",
	};

	if ((unsigned)e >= sizeof(names) / sizeof(names[0]) || names[e] == NULL)
		return "unknown";
	return names[e];
}

const char *
sd_smtp_stage_name(sd_smtp_stage st)
{
	static const char *const names[] = {
		[SD_SMTP_CONNECT] = "connect",
		[SD_SMTP_TLS_HANDSHAKE] = "TLS handshake",
		[SD_SMTP_BANNER] = "banner",
		[SD_SMTP_EHLO] = "EHLO",
		[SD_SMTP_HELO] = "HELO",
		[SD_SMTP_STARTTLS] = "STARTTLS",
		[SD_SMTP_MAIL] = "MAIL",
		[SD_SMTP_RCPT] = "RCPT",
		[SD_SMTP_RSET] = "RSET",
		[SD_SMTP_QUIT] = "QUIT",
		[SD_SMTP_IDLE] = "idle",
		[SD_SMTP_END] = "end",
	};

	if ((unsigned)st >= sizeof(names) / sizeof(names[0]) || names[st] == NULL)
		return "unknown";
	return names[st];
}

const char *
sd_tcp_reach_name(sd_tcp_reach r)
{
	switch (r) {
	case SD_TCP_OPEN:
		return "open";
	case SD_TCP_REFUSED:
		return "refused";
	case SD_TCP_TIMEOUT:
		return "timeout";
	case SD_TCP_UNREACHABLE:
		return "unreachable";
	default:
		return "error";
	}
}
