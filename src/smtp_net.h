/*
 * smtp_net.h - sockets, the clock and the counters of the SMTP probe.
 *
 * Private to the smtp_*.c files; see smtp_net.c.
 */
#ifndef SMTPDOC_SMTP_NET_H
#define SMTPDOC_SMTP_NET_H

#include <stddef.h>
#include <sys/socket.h>

#include "smtp_probe.h"

/* Milliseconds of a monotonic clock. */
long long sd_smtp_now_ms(void);

/* ip (numeric IPv4 or IPv6) and port into *sa; peer gets "ADDR port N".
 * 0, or -1 when ip is not a numeric address. */
int sd_smtp_sockaddr(const char *ip, unsigned port, struct sockaddr_storage *sa, socklen_t *salen,
		     char *peer, size_t peerlen);

/* Start a non-blocking connect to sa. Returns the socket, with *pending 1
 * while the connection is under way (poll for POLLOUT, then
 * sd_smtp_connect_result), 0 when it is already up; or -1 with errno's
 * value in *err. Counts the connection. */
int sd_smtp_connect_start(const struct sockaddr_storage *sa, socklen_t salen, int *pending, int *err);
/* Once poll() said the socket is writable (or in error): 0 when connected,
 * else the errno value of the failure. */
int sd_smtp_connect_result(int fd);
/* The kind of failure an errno value of connect() means. */
sd_smtp_error sd_smtp_connect_error(int err);

/* "10 s", "1.5 s": ms for people. */
void sd_smtp_seconds(int ms, char *buf, size_t size);

void sd_smtp_count_session(void);
void sd_smtp_count_rcpt(void);

#endif
