/*
 * dns.c - the real DNS resolver of `smtpdoc verify` and `smtpdoc check`,
 * on c-ares; and the answer type every lookup returns.
 *
 * Entry points (declared and documented in dns.h):
 *   sd_dns_answer_new, sd_dns_answer_free, sd_dns_status_name
 *   sd_resolver_new, sd_resolver_free
 *   sd_resolver_lookup           synchronous; an sd_dns_lookup_fn
 *   sd_resolver_query            asynchronous, driven by a poll() loop with
 *   sd_resolver_pollfds, sd_resolver_timeout_ms, sd_resolver_process
 *   sd_resolver_pending, sd_resolver_queries
 *
 * Ownership: each answer is handed to its receiver (the caller of
 * sd_resolver_lookup, or the sd_dns_cb of an asynchronous query), who
 * frees it with sd_dns_answer_free(); the answer is NULL only when memory
 * ran out. The resolver owns its c-ares channel and one small record per
 * query in flight. A callback may start new queries on the same resolver;
 * it must not free the resolver.
 *
 * Settings: server NULL takes the servers of /etc/resolv.conf (c-ares
 * falls back to 127.0.0.1 without one); otherwise one IP address, with a
 * port or not: "192.0.2.1", "192.0.2.1:5353", "2001:db8::1", "[2001:db8::1]",
 * "[2001:db8::1]:5353". A host name is refused (there would be nothing to
 * look it up with), as is a list. timeout_ms <= 0 means 5000 and tries <= 0
 * means 2; more than 60000 ms or 10 tries is refused.
 *
 * Poll loop: sd_resolver_pollfds() gives c-ares's sockets (ares_getsock(),
 * at most ARES_GETSOCK_MAXNUM = 16, two per server: room enough);
 * sd_resolver_process() hands each ready one to ares_process_fd(), then
 * lets c-ares handle its timeouts and gives up the queries past their
 * deadline (below).
 *
 * Queries: one ares_query() per lookup, with recursion desired and no
 * search list (mail domains are absolute names). The answer message is
 * read by sd_dns_parse() (dns_parse.c), not by c-ares's parsers, so that
 * every type gets TTLs and the canonical name of a followed CNAME; it also
 * checks that the answer's question is the one asked. When there is no
 * message, the c-ares status is mapped: ARES_ENODATA nodata, ARES_ENOTFOUND
 * nxdomain, ARES_ESERVFAIL servfail, ARES_EREFUSED refused, ARES_ETIMEOUT
 * timeout, anything else error.
 *
 * Servers: c-ares 1.18 moves on to the next server after a SERVFAIL or
 * REFUSED answer and, when every try got one, reports only that no server
 * could be reached (ARES_ECONNREFUSED). So that callers can tell those
 * answers apart, the channel has ARES_FLAG_NOCHECKRESP and the first
 * SERVFAIL or REFUSED answer is the result. With several servers (from
 * /etc/resolv.conf) the next one is still tried after a timeout or an
 * unreachable server, not after such an answer.
 *
 * Time bound: c-ares waits longer on each retry, so a query could last
 * much more than timeout x tries. Each query has its own deadline, start +
 * timeout_ms x tries; at that deadline sd_resolver_process() (and so
 * sd_resolver_lookup) answers it SD_DNS_TIMEOUT itself. c-ares may go on
 * with it: the record is then marked abandoned and freed when c-ares calls
 * back (at its own timeout, or in ares_destroy()). All queries have the
 * same bound, so the list of queries in flight, in start order, is also in
 * deadline order and only its head needs looking at.
 *
 * Names: a name given to a lookup must be printable ASCII without "\" or
 * spaces (IDNs as A-labels), 1 to 253 characters with an optional final
 * dot, labels of 1 to 63. Types: A, AAAA, MX, TXT, PTR, CNAME, NS. Another
 * name or type is not sent: sd_resolver_query returns -1 and
 * sd_resolver_lookup an SD_DNS_ERROR answer.
 *
 * Threads: a resolver is used by one thread at a time (one resolver per
 * thread is the plan); different resolvers may be used by different
 * threads at once. c-ares is set up once per process (pthread_once).
 *
 * Counting: sd_resolver_queries() counts lookups sent to c-ares, one per
 * sd_resolver_query (or sd_resolver_lookup) that was started. The retries
 * c-ares makes on its own (a lost UDP packet, a truncated answer repeated
 * over TCP) are not counted: the number says how many lookups the caller
 * asked for, which is what the bulk benchmark checks.
 */
#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "dns_parse.h"
#include "internal.h"

#define SD_DNS_DEFAULT_TIMEOUT_MS 5000
#define SD_DNS_DEFAULT_TRIES 2
#define SD_DNS_MAX_TIMEOUT_MS 60000
#define SD_DNS_MAX_TRIES 10
#define SD_DNS_MAX_NAME_TEXT 253   /* characters, without the final dot */
#define SD_DNS_SYNC_MAX_ROUNDS 100000 /* poll rounds of one lookup */

/* One query in flight: c-ares's callback argument. */
typedef struct sd_dnsq {
	struct sd_dnsq *prev, *next; /* in r->head..tail while not answered */
	sd_resolver *r;
	sd_dns_cb cb;
	void *ctx;
	int type;
	char name[SD_DNS_MAX_NAME_TEXT + 2]; /* as asked, for checking the answer */
	int abandoned;   /* answered (timeout) already; c-ares still has it */
	int64_t deadline; /* monotonic ms */
} sd_dnsq;

struct sd_resolver {
	ares_channel ch;
	int timeout_ms, tries;
	sd_dnsq *head, *tail; /* queries not answered yet, oldest first */
	size_t pending;
	unsigned long queries;
	sd_dnsq *starting; /* the query inside ares_query(), see start_query */
	int start_failed;  /* c-ares called back from inside ares_query() */
};

/* ---- answers ---------------------------------------------------------- */

sd_dns_answer *
sd_dns_answer_new(sd_dns_status status)
{
	sd_dns_answer *a = calloc(1, sizeof(*a));

	if (a != NULL)
		a->status = status;
	return a;
}

void
sd_dns_answer_free(sd_dns_answer *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->rr[i].host);
		free(a->rr[i].text);
	}
	free(a->rr);
	for (size_t i = 0; i < a->nextra; i++)
		free(a->extra[i].host);
	free(a->extra);
	free(a->cname);
	free(a);
}

const char *
sd_dns_status_name(sd_dns_status s)
{
	switch (s) {
	case SD_DNS_OK:
		return "ok";
	case SD_DNS_NODATA:
		return "nodata";
	case SD_DNS_NXDOMAIN:
		return "nxdomain";
	case SD_DNS_SERVFAIL:
		return "servfail";
	case SD_DNS_REFUSED:
		return "refused";
	case SD_DNS_TIMEOUT:
		return "timeout";
	case SD_DNS_ERROR:
		break;
	}
	return "error";
}

/* ---- helpers ---------------------------------------------------------- */

/* now_ms - the monotonic clock in milliseconds */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pthread_once_t sd_ares_once = PTHREAD_ONCE_INIT;
static int sd_ares_init_status = ARES_SUCCESS;

/* ares_setup - ares_library_init(), once per process; never undone (it
 * holds nothing on this platform, and undoing it is not thread-safe) */
static void
ares_setup(void)
{
	sd_ares_init_status = ares_library_init(ARES_LIB_INIT_ALL);
}

/* name_ok - may name be sent as a query? (see the head comment) */
static int
name_ok(const char *name)
{
	size_t len, label = 0;

	if (name == NULL)
		return 0;
	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > SD_DNS_MAX_NAME_TEXT)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (c <= 0x20 || c >= 0x7F || c == '\\' || ++label > 63)
			return 0;
	}
	return 1;
}

/* type_ok - is type one this resolver reads? */
static int
type_ok(int type)
{
	switch (type) {
	case SD_DNS_A:
	case SD_DNS_AAAA:
	case SD_DNS_MX:
	case SD_DNS_TXT:
	case SD_DNS_PTR:
	case SD_DNS_CNAME:
	case SD_DNS_NS:
		return 1;
	}
	return 0;
}

/* parse_port - digits only, 1..65535; -1 otherwise */
static int
parse_port(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (!sd_isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return -1;
	}
	return v >= 1 ? (int)v : -1;
}

/* server_csv - check a --resolver value ("ADDR", "ADDR:PORT", "ADDR6",
 * "[ADDR6]", "[ADDR6]:PORT") and write it in the form
 * ares_set_servers_ports_csv() reads. 0, or -1 with a reason in err. */
static int
server_csv(const char *server, char *out, size_t outlen, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	unsigned char bin[16];
	const char *colon, *port_s = NULL;
	size_t hlen;
	int port = 53, v6;

	if (server[0] == '[') {
		const char *rb = strchr(server, ']');

		if (rb == NULL)
			goto bad;
		hlen = (size_t)(rb - server - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			goto bad;
		memcpy(host, server + 1, hlen);
		host[hlen] = '\0';
		if (rb[1] == ':')
			port_s = rb + 2;
		else if (rb[1] != '\0')
			goto bad;
		v6 = 1;
	} else {
		colon = strchr(server, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			/* two colons or more: a bare IPv6 address */
			hlen = strlen(server);
			v6 = 1;
		} else {
			hlen = colon ? (size_t)(colon - server) : strlen(server);
			if (colon != NULL)
				port_s = colon + 1;
			v6 = 0;
		}
		if (hlen == 0 || hlen >= sizeof(host))
			goto bad;
		memcpy(host, server, hlen);
		host[hlen] = '\0';
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, bin) != 1)
		goto bad;
	if (port_s != NULL && (port = parse_port(port_s)) < 0) {
		snprintf(err, errlen, "bad resolver port in \"%s\": want a number from 1 to 65535",
			 server);
		return -1;
	}
	snprintf(out, outlen, v6 ? "[%s]:%d" : "%s:%d", host, port);
	return 0;
bad:
	snprintf(err, errlen,
		 "bad resolver address \"%s\": want an IP address: ADDR, ADDR:PORT or [ADDR6]:PORT",
		 server);
	return -1;
}

/* ---- the resolver ----------------------------------------------------- */

sd_resolver *
sd_resolver_new(const char *server, int timeout_ms, int tries, char *err, size_t errlen)
{
	struct ares_options opt;
	char csv[INET6_ADDRSTRLEN + 16];
	sd_resolver *r;
	int st;
	char dummy[1];

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (timeout_ms <= 0)
		timeout_ms = SD_DNS_DEFAULT_TIMEOUT_MS;
	if (tries <= 0)
		tries = SD_DNS_DEFAULT_TRIES;
	if (timeout_ms > SD_DNS_MAX_TIMEOUT_MS) {
		snprintf(err, errlen, "DNS timeout of %d ms is too long (at most %d)", timeout_ms,
			 SD_DNS_MAX_TIMEOUT_MS);
		return NULL;
	}
	if (tries > SD_DNS_MAX_TRIES) {
		snprintf(err, errlen, "%d DNS tries are too many (at most %d)", tries,
			 SD_DNS_MAX_TRIES);
		return NULL;
	}
	if (server != NULL && server_csv(server, csv, sizeof(csv), err, errlen) != 0)
		return NULL;
	pthread_once(&sd_ares_once, ares_setup);
	if (sd_ares_init_status != ARES_SUCCESS) {
		snprintf(err, errlen, "cannot set up c-ares: %s", ares_strerror(sd_ares_init_status));
		return NULL;
	}

	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->timeout_ms = timeout_ms;
	r->tries = tries;
	memset(&opt, 0, sizeof(opt));
	opt.timeout = timeout_ms;
	opt.tries = tries;
	/* NOCHECKRESP: hand over SERVFAIL and REFUSED answers instead of
	 * trying the next server and ending with ECONNREFUSED (c-ares 1.18);
	 * sd_dns_parse checks the question, which c-ares then leaves alone */
	opt.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP;
	st = ares_init_options(&r->ch, &opt, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "cannot set up the resolver: %s", ares_strerror(st));
		free(r);
		return NULL;
	}
	if (server != NULL) {
		st = ares_set_servers_ports_csv(r->ch, csv);
		if (st != ARES_SUCCESS) {
			snprintf(err, errlen, "cannot use resolver \"%s\": %s", server,
				 ares_strerror(st));
			ares_destroy(r->ch);
			free(r);
			return NULL;
		}
	}
	return r;
}

/* unlink_query - take q off the list of queries not answered */
static void
unlink_query(sd_resolver *r, sd_dnsq *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		r->head = q->next;
	if (q->next)
		q->next->prev = q->prev;
	else
		r->tail = q->prev;
	q->prev = q->next = NULL;
	r->pending--;
}

/* answer_from - the answer for a c-ares status and message */
static sd_dns_answer *
answer_from(int status, const unsigned char *abuf, int alen, const char *name, int type)
{
	if (abuf != NULL && alen > 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND ||
	     status == ARES_ESERVFAIL || status == ARES_EREFUSED))
		return sd_dns_parse(abuf, (size_t)alen, name, type);
	switch (status) {
	case ARES_ENODATA:
		return sd_dns_answer_new(SD_DNS_NODATA);
	case ARES_ENOTFOUND:
		return sd_dns_answer_new(SD_DNS_NXDOMAIN);
	case ARES_ESERVFAIL:
		return sd_dns_answer_new(SD_DNS_SERVFAIL);
	case ARES_EREFUSED:
		return sd_dns_answer_new(SD_DNS_REFUSED);
	case ARES_ETIMEOUT:
		return sd_dns_answer_new(SD_DNS_TIMEOUT);
	default:
		/* ARES_SUCCESS without a message, EFORMERR, EBADRESP,
		 * ECONNREFUSED, EDESTRUCTION, ENOMEM, ... */
		return sd_dns_answer_new(SD_DNS_ERROR);
	}
}

/* on_answer - c-ares's callback for every query */
static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	sd_dnsq *q = arg;
	sd_resolver *r = q->r;
	sd_dns_answer *ans;
	sd_dns_cb cb;
	void *ctx;

	(void)timeouts;
	if (q->abandoned) {
		free(q);
		return;
	}
	if (q == r->starting) {
		/* called from inside ares_query(): start_query says -1 */
		r->start_failed = 1;
		return;
	}
	unlink_query(r, q);
	ans = answer_from(status, abuf, alen, q->name, q->type);
	cb = q->cb;
	ctx = q->ctx;
	free(q);
	cb(ctx, ans);
}

/* start_query - send a query; the record of it, or NULL when it could not
 * be started (no memory, a bad name or type) */
static sd_dnsq *
start_query(sd_resolver *r, const char *name, int type, sd_dns_cb cb, void *ctx)
{
	sd_dnsq *q;

	if (r == NULL || cb == NULL || !name_ok(name) || !type_ok(type))
		return NULL;
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return NULL;
	q->r = r;
	q->cb = cb;
	q->ctx = ctx;
	q->type = type;
	memcpy(q->name, name, strlen(name) + 1); /* name_ok: it fits */
	q->deadline = now_ms() + (int64_t)r->timeout_ms * r->tries;
	r->starting = q;
	r->start_failed = 0;
	ares_query(r->ch, name, 1 /* class IN */, type, on_answer, q);
	r->starting = NULL;
	if (r->start_failed) {
		free(q);
		return NULL;
	}
	q->prev = r->tail;
	if (r->tail)
		r->tail->next = q;
	else
		r->head = q;
	r->tail = q;
	r->pending++;
	r->queries++;
	return q;
}

int
sd_resolver_query(sd_resolver *r, const char *name, int type, sd_dns_cb cb, void *ctx)
{
	return start_query(r, name, type, cb, ctx) ? 0 : -1;
}

/* give_up - answer q SD_DNS_TIMEOUT now; c-ares keeps the record until it
 * calls back */
static void
give_up(sd_resolver *r, sd_dnsq *q)
{
	unlink_query(r, q);
	q->abandoned = 1;
	q->cb(q->ctx, sd_dns_answer_new(SD_DNS_TIMEOUT));
}

/* expire - give up the queries whose deadline has come */
static void
expire(sd_resolver *r)
{
	int64_t now = now_ms();

	/* a callback may start new queries: they go to the tail, later */
	while (r->head != NULL && r->head->deadline <= now)
		give_up(r, r->head);
}

int
sd_resolver_pollfds(sd_resolver *r, struct pollfd *fds, int max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	int bits, n = 0;

	if (r == NULL || fds == NULL)
		return 0;
	bits = ares_getsock(r->ch, socks, ARES_GETSOCK_MAXNUM);
	for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		short ev = 0;

		if (ARES_GETSOCK_READABLE(bits, i))
			ev |= POLLIN;
		if (ARES_GETSOCK_WRITABLE(bits, i))
			ev |= POLLOUT;
		if (ev == 0)
			break; /* the sockets in use come first */
		fds[n].fd = socks[i];
		fds[n].events = ev;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

int
sd_resolver_timeout_ms(sd_resolver *r, int max_ms)
{
	struct timeval tv, *tvp;
	int64_t ms, left;

	if (r == NULL || r->pending == 0)
		return -1;
	/* c-ares rounds its wait down to whole milliseconds, and answers 0
	 * while its next timeout is still up to 1 ms away: wait 1 ms at least
	 * for it, or the loop would spin */
	tvp = ares_timeout(r->ch, NULL, &tv);
	ms = tvp ? (int64_t)tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000 : INT_MAX;
	if (ms < 1)
		ms = 1;
	left = r->head->deadline - now_ms();
	if (left < ms)
		ms = left;
	if (max_ms >= 0 && ms > max_ms)
		ms = max_ms;
	if (ms < 0)
		ms = 0;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

void
sd_resolver_process(sd_resolver *r, const struct pollfd *fds, int n)
{
	if (r == NULL)
		return;
	for (int i = 0; fds != NULL && i < n; i++) {
		ares_socket_t rd = ARES_SOCKET_BAD, wr = ARES_SOCKET_BAD;

		if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
			rd = fds[i].fd;
		if (fds[i].revents & POLLOUT)
			wr = fds[i].fd;
		if (rd != ARES_SOCKET_BAD || wr != ARES_SOCKET_BAD)
			ares_process_fd(r->ch, rd, wr);
	}
	/* c-ares's own timeouts and retries, then ours */
	ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	expire(r);
}

size_t
sd_resolver_pending(const sd_resolver *r)
{
	return r ? r->pending : 0;
}

unsigned long
sd_resolver_queries(const sd_resolver *r)
{
	return r ? r->queries : 0;
}

/* The answer of a synchronous lookup. */
typedef struct sd_sync {
	sd_dns_answer *ans;
	int done;
} sd_sync;

static void
sync_done(void *ctx, sd_dns_answer *ans)
{
	sd_sync *s = ctx;

	s->ans = ans;
	s->done = 1;
}

sd_dns_answer *
sd_resolver_lookup(void *rv, const char *name, int type)
{
	sd_resolver *r = rv;
	struct pollfd fds[ARES_GETSOCK_MAXNUM];
	sd_sync s = {NULL, 0};
	sd_dnsq *q;

	q = start_query(r, name, type, sync_done, &s);
	if (q == NULL)
		return sd_dns_answer_new(SD_DNS_ERROR);
	/* Bounded in time by q's deadline (sd_resolver_process gives it up
	 * then) and in count by SD_DNS_SYNC_MAX_ROUNDS. Other queries in
	 * flight on r are handled on the way, their callbacks called. */
	for (int round = 0; !s.done; round++) {
		int n = sd_resolver_pollfds(r, fds, ARES_GETSOCK_MAXNUM);
		int t = sd_resolver_timeout_ms(r, 1000);

		if (round == SD_DNS_SYNC_MAX_ROUNDS ||
		    (poll(fds, (nfds_t)n, t) < 0 && errno != EINTR && errno != EAGAIN)) {
			give_up(r, q);
			break;
		}
		sd_resolver_process(r, fds, n);
	}
	return s.ans;
}

void
sd_resolver_free(sd_resolver *r)
{
	if (r == NULL)
		return;
	/* every query still in c-ares is called back with
	 * ARES_EDESTRUCTION: the caller's get an SD_DNS_ERROR answer, the
	 * abandoned ones are freed */
	ares_destroy(r->ch);
	free(r);
}
