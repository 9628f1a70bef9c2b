/*
 * verify_loop.c - the event loop of smtpdoc_verifier_run(): every DNS
 * query (c-ares) and every SMTP session (smtp_probe.h) of a run in one
 * poll(), in one thread.
 *
 * Per domain: MX lookup (A of the domain when it has no MX), the address
 * of the best MX host (the next one when a host cannot be reached), then
 * SMTP sessions: at most max_connections at once (one until the catch-all
 * answer is in), each asking up to rcpts_per_connection addresses, RCPTs
 * spaced to rcpts_per_second. The first session asks a made-up address
 * first (catch-all detection) and sends RSET before the real ones.
 *
 * An address whose session broke before it was answered is asked again in
 * a new session, SD_VERIFY_MAX_ATTEMPTS times in all. When no connection
 * to port 25 has worked anywhere and attempts to several hosts of several
 * domains have timed out, the network blocks outgoing port 25: every
 * address still open gets that answer at once, instead of each waiting
 * for its own timeouts.
 *
 * Every step is bounded by the DNS and SMTP timeouts, so the loop ends;
 * a turn that finds nothing in flight while addresses are open answers
 * them as unreachable rather than spin.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "internal.h"
#include "verify_internal.h"

#define SD_VERIFY_MAX_POLL 4096     /* sessions polled at once */
#define SD_VERIFY_BLOCKED_HOSTS 3   /* timeouts needed to call port 25 blocked */
#define SD_VERIFY_BLOCKED_DOMAINS 2 /* ... over at least this many domains */

static void sd_mx_cb(void *ctx, sd_dns_answer *a);
static void sd_addr_cb(void *ctx, sd_dns_answer *a);
static void sd_host_cb(void *ctx, sd_dns_answer *a);

/* ---- DNS -------------------------------------------------------------------- */

static void
sd_domain_finish(sd_vdomain *d, sd_probe_stage stage)
{
	sd_verify_decide_domain(d->v, d, stage);
	if (d->undecided == 0 && d->active == 0)
		d->state = SD_VD_DONE;
}

static void
sd_start_query(sd_vdomain *d, const char *name, int type, sd_dns_cb cb)
{
	smtpdoc_verifier *v = d->v;

	v->dns_inflight++;
	if (sd_resolver_query(v->resolver, name, type, cb, d) != 0) {
		sd_dns_answer *a = sd_dns_answer_new(SD_DNS_ERROR);
		cb(d, a);
	}
}

static int
sd_mx_cmp(const void *a, const void *b)
{
	const sd_dns_rr *x = a, *y = b;

	return x->pref < y->pref ? -1 : x->pref > y->pref;
}

/* The domain has its list of hosts: resolve the first one. */
static void
sd_domain_hosts_known(sd_vdomain *d)
{
	smtpdoc_verifier *v = d->v;

	d->accepts_all = sd_verify_accepts_all(d->name, d->nhosts ? d->hosts[0] : NULL);
	sd_verify_decide_noprobe(v, d);
	if (v->o.no_smtp) {
		sd_domain_finish(d, SD_PROBE_NOT_RUN);
		return;
	}
	d->host = 0;
	d->state = SD_VD_HOST;
}

static void
sd_mx_cb(void *ctx, sd_dns_answer *a)
{
	sd_vdomain *d = ctx;
	size_t i;

	d->v->dns_inflight--;
	d->mx_status = a ? a->status : SD_DNS_ERROR;
	if (d->mx_status == SD_DNS_OK) {
		qsort(a->rr, a->n, sizeof(a->rr[0]), sd_mx_cmp);
		for (i = 0; i < a->n; i++) {
			if (a->rr[i].type != SD_DNS_MX)
				continue;
			if (a->rr[i].host == NULL || a->rr[i].host[0] == '\0') {
				d->null_mx = 1; /* RFC 7505: "0 ." */
				continue;
			}
			if (d->nhosts < SD_VERIFY_MAX_MX && (d->hosts[d->nhosts] = strdup(a->rr[i].host)) != NULL)
				d->nhosts++;
		}
		/* addresses the server sent along save a lookup per host (an
		 * IPv4 one is preferred, as for the lookups) */
		for (i = 0; i < a->nextra; i++) {
			const sd_dns_rr *g = &a->extra[i];
			size_t k;
			for (k = 0; k < d->nhosts; k++) {
				if (strcmp(d->hosts[k], g->host) != 0)
					continue;
				if (g->type == SD_DNS_A)
					inet_ntop(AF_INET, g->addr, d->glue[k], sizeof(d->glue[k]));
				else if (d->glue[k][0] == '\0')
					inet_ntop(AF_INET6, g->addr, d->glue[k], sizeof(d->glue[k]));
			}
		}
		if (d->nhosts == 0)
			d->null_mx = 1;
	}
	sd_dns_answer_free(a);
	if (d->mx_status == SD_DNS_NODATA) {
		/* no MX: the domain's own address is the implicit MX (RFC 5321 5.1) */
		d->state = SD_VD_ADDR;
		sd_start_query(d, d->name, SD_DNS_A, sd_addr_cb);
		return;
	}
	if (d->mx_status != SD_DNS_OK || d->null_mx) {
		if (d->null_mx) {
			/* null MX wins over any other MX listed with it */
			for (i = 0; i < d->nhosts; i++)
				free(d->hosts[i]);
			d->nhosts = 0;
		}
		sd_domain_finish(d, SD_PROBE_NOT_RUN);
		return;
	}
	sd_domain_hosts_known(d);
}

static void
sd_addr_cb(void *ctx, sd_dns_answer *a)
{
	sd_vdomain *d = ctx;

	d->v->dns_inflight--;
	d->addr_status = a ? a->status : SD_DNS_ERROR;
	sd_dns_answer_free(a);
	if (d->addr_status == SD_DNS_OK && (d->hosts[0] = strdup(d->name)) != NULL) {
		d->nhosts = 1;
		sd_domain_hosts_known(d);
		return;
	}
	sd_domain_finish(d, SD_PROBE_NOT_RUN);
}

/* Move to the next MX host, or answer what is left as unreachable. */
static void
sd_next_host(sd_vdomain *d)
{
	d->ip[0] = '\0';
	if (++d->host < d->nhosts) {
		d->state = SD_VD_HOST;
		return;
	}
	d->host = d->nhosts ? d->nhosts - 1 : 0; /* keep the last one for reports */
	if (d->refused) {
		sd_domain_finish(d, SD_PROBE_REFUSED);
	} else if (d->last_timeout && d->v->connects_ok == 0 && !d->v->port_blocked) {
		/* wait: if no host anywhere answers, port 25 is blocked here */
		d->state = SD_VD_PARKED;
		return;
	} else {
		sd_domain_finish(d, SD_PROBE_NO_CONNECT);
	}
	d->state = d->active ? SD_VD_READY : SD_VD_DONE;
}

/* Parked domains: answer them once it is known whether port 25 is
 * blocked (a connection worked somewhere: it is not; enough hosts of
 * enough domains timed out and nothing else is going on: it is). */
static void
sd_settle_parked(smtpdoc_verifier *v)
{
	size_t i, parked = 0, running = 0;

	for (i = 0; i < v->ndomains; i++) {
		int st = v->domains[i]->state;
		if (st == SD_VD_PARKED)
			parked++;
		else if (st != SD_VD_DONE && v->domains[i]->undecided)
			running++;
	}
	if (parked == 0)
		return;
	if (v->connects_ok == 0 && v->connect_timeouts >= SD_VERIFY_BLOCKED_HOSTS &&
	    parked >= SD_VERIFY_BLOCKED_DOMAINS)
		v->port_blocked = 1;
	if (!v->port_blocked && v->connects_ok == 0 && running)
		return; /* not known yet */
	for (i = 0; i < v->ndomains; i++) {
		sd_vdomain *d = v->domains[i];
		if (d->state != SD_VD_PARKED)
			continue;
		sd_domain_finish(d, SD_PROBE_NO_CONNECT);
		d->state = SD_VD_DONE;
	}
}

static void
sd_host_cb(void *ctx, sd_dns_answer *a)
{
	sd_vdomain *d = ctx;
	sd_dns_status st = a ? a->status : SD_DNS_ERROR;
	size_t i;

	d->v->dns_inflight--;
	for (i = 0; a && st == SD_DNS_OK && i < a->n; i++) {
		const sd_dns_rr *rr = &a->rr[i];
		if (rr->type == SD_DNS_A && inet_ntop(AF_INET, rr->addr, d->ip, sizeof(d->ip)))
			break;
		if (rr->type == SD_DNS_AAAA && inet_ntop(AF_INET6, rr->addr, d->ip, sizeof(d->ip)))
			break;
	}
	sd_dns_answer_free(a);
	if (d->ip[0]) {
		d->state = SD_VD_READY;
		return;
	}
	if (st == SD_DNS_NODATA && !d->aaaa_tried) {
		/* an IPv6-only host */
		d->aaaa_tried = 1;
		sd_start_query(d, d->hosts[d->host], SD_DNS_AAAA, sd_host_cb);
		return;
	}
	sd_next_host(d);
}

/* Start the lookup of the current host's address (or take a literal). */
static void
sd_resolve_host(sd_vdomain *d)
{
	const char *h = d->hosts[d->host];
	unsigned char buf[16];

	d->aaaa_tried = 0;
	if (inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1) {
		snprintf(d->ip, sizeof(d->ip), "%s", h);
		d->state = SD_VD_READY;
		return;
	}
	if (d->glue[d->host][0]) {
		snprintf(d->ip, sizeof(d->ip), "%s", d->glue[d->host]);
		d->state = SD_VD_READY;
		return;
	}
	d->state = SD_VD_HOSTQ;
	sd_start_query(d, h, SD_DNS_A, sd_host_cb);
}

/* ---- SMTP ------------------------------------------------------------------- */

static const char *
sd_stage_command(sd_smtp_stage st)
{
	switch (st) {
	case SD_SMTP_CONNECT:
	case SD_SMTP_TLS_HANDSHAKE:
	case SD_SMTP_BANNER:
		return "CONN";
	case SD_SMTP_EHLO:
		return "EHLO";
	case SD_SMTP_HELO:
		return "HELO";
	case SD_SMTP_STARTTLS:
		return "STARTTLS";
	case SD_SMTP_MAIL:
		return "MAIL";
	default:
		return "RCPT";
	}
}

static void
sd_copy_reply(const sd_smtp_reply *r, char code[4], char status[16], char **text)
{
	char line[SD_SMTP_TEXT_MAX + 64];
	int c = r->code >= 100 && r->code <= 999 ? r->code : 0;

	code[0] = (char)('0' + c / 100);
	code[1] = (char)('0' + c / 10 % 10);
	code[2] = (char)('0' + c % 10);
	code[3] = '\0';
	snprintf(status, 16, "%s", r->status);
	sd_smtp_reply_format(r, line, sizeof(line));
	free(*text);
	*text = strdup(line);
}

static int
sd_requeue(sd_vdomain *d, sd_vitem *it)
{
	if (d->nrequeue == d->caprequeue) {
		size_t cap = d->caprequeue ? d->caprequeue * 2 : 16;
		sd_vitem **n = realloc(d->requeue, cap * sizeof(*n));
		if (n == NULL)
			return -1;
		d->requeue = n;
		d->caprequeue = cap;
	}
	d->requeue[d->nrequeue++] = it;
	return 0;
}

/* The server refused the probe itself (banner, EHLO or MAIL FROM). A 5xx
 * is its answer for the domain; a 4xx ("too many connections", a
 * temporary block) is retried after a pause, and kept as the answer only
 * when the tries are used up (final). */
static void
sd_note_refusal(sd_vdomain *d, const sd_smtp_result *r, int final)
{
	int temporary = r->last.code >= 400 && r->last.code < 500;

	if (r->last.code == 0 || d->refused)
		return;
	if (temporary && !final) {
		d->retry_at = sd_verify_now() + SD_VERIFY_TEMP_BACKOFF;
		/* remember it, in case no later try gets further */
		sd_copy_reply(&r->last, d->refusal_code, d->refusal_status, &d->refusal_text);
		d->refusal_command = sd_stage_command(r->stage);
		return;
	}
	d->refused = 1;
	sd_copy_reply(&r->last, d->refusal_code, d->refusal_status, &d->refusal_text);
	d->refusal_command = sd_stage_command(r->stage);
}

static void
sd_on_rcpt(void *ctx, sd_smtp_session *s, const sd_smtp_rcpt_result *res)
{
	sd_vsession *vs = ctx;
	sd_vdomain *d = vs->dom;
	smtpdoc_verifier *v = vs->v;
	sd_vitem *it = res->tag;

	if (res->tag == (void *)&d->catch_all_asked) {
		/* the made-up address */
		if (res->reply) {
			if (res->reply->code >= 200 && res->reply->code < 300)
				d->catch_all = 1;
			else if (res->reply->code >= 500)
				d->catch_all = 0;
			d->catch_all_settled = 1; /* a 4xx leaves it unknown */
		} else if (d->catch_all_tries < SD_VERIFY_MAX_ATTEMPTS) {
			d->catch_all_asked = 0; /* ask again in the next session */
		} else {
			d->catch_all_settled = 1;
		}
		return;
	}
	if (it == NULL)
		return;
	it->queued = 0;
	if (res->reply) {
		sd_copy_reply(res->reply, it->code, it->status, &it->text);
		it->answered = 1;
		sd_verify_item_answered(v, it);
		return;
	}
	if (res->error == SD_SMTP_EREJECTED)
		sd_note_refusal(d, sd_smtp_session_result(s), it->attempts >= SD_VERIFY_MAX_ATTEMPTS);
	/* no answer: ask again in a new session, or answer with what is known */
	if (it->attempts < SD_VERIFY_MAX_ATTEMPTS && !d->refused && !v->port_blocked && sd_requeue(d, it) == 0)
		return;
	sd_verify_item_failed(v, it, d->refused || d->refusal_code[0] ? SD_PROBE_REFUSED : SD_PROBE_NO_CONNECT);
}

/* The next item of d to ask, or NULL. */
static sd_vitem *
sd_next_item(sd_vdomain *d)
{
	while (d->nrequeue) {
		sd_vitem *it = d->requeue[--d->nrequeue];
		if (!it->done)
			return it;
	}
	while (d->cursor < d->n) {
		sd_vitem *it = d->items[d->cursor++];
		if (!it->done && !it->queued && !it->noprobe)
			return it;
	}
	return NULL;
}

static int
sd_has_work(const sd_vdomain *d)
{
	size_t i;

	if (d->nrequeue)
		for (i = 0; i < d->nrequeue; i++)
			if (!d->requeue[i]->done)
				return 1;
	for (i = d->cursor; i < d->n; i++)
		if (!d->items[i]->done && !d->items[i]->queued && !d->items[i]->noprobe)
			return 1;
	return 0;
}

/* The shared connection count of d's MX address. */
static sd_vhost *
sd_host_slot(smtpdoc_verifier *v, const char *ip)
{
	sd_vhost *h;

	for (h = v->hosts; h; h = h->next)
		if (strcmp(h->ip, ip) == 0)
			return h;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	snprintf(h->ip, sizeof(h->ip), "%s", ip);
	h->next = v->hosts;
	v->hosts = h;
	return h;
}

static sd_vsession *
sd_open_session(smtpdoc_verifier *v, sd_vdomain *d)
{
	sd_smtp_options so;
	sd_vsession *vs = calloc(1, sizeof(*vs));
	char err[200];

	if (vs == NULL)
		return NULL;
	sd_smtp_options_init(&so);
	so.helo_name = v->helo;
	so.mail_from = v->from;
	so.tls = v->o.no_tls ? SD_SMTP_TLS_NO : SD_SMTP_TLS_OPPORTUNISTIC;
	so.tls_name = d->hosts[d->host];
	so.tlsctx = v->tls;
	so.smtputf8 = 1;
	so.connect_ms = so.banner_ms = so.command_ms = v->o.timeout_ms;
	/* long enough to wait for the rate limiter between RCPTs */
	so.idle_ms = (int)(2000 + 2000.0 / v->o.rcpts_per_second);
	so.on_rcpt = sd_on_rcpt;
	so.ctx = vs;
	vs->v = v;
	vs->dom = d;
	vs->s = sd_smtp_session_new(d->ip, v->o.port ? v->o.port : 25, &so, err, sizeof(err));
	if (vs->s == NULL) {
		free(vs);
		return NULL;
	}
	vs->next = v->sessions;
	v->sessions = vs;
	d->active++;
	d->unfinished++;
	vs->slot = d->slot;
	if (vs->slot)
		vs->slot->active++;
	return vs;
}

/* No more addresses go into vs: QUIT once its queue is done. */
static void
sd_session_finish(sd_vsession *vs)
{
	if (vs->finished)
		return;
	sd_smtp_session_finish(vs->s);
	vs->finished = 1;
	vs->dom->unfinished--;
	vs->dom->unfinished_queued -= vs->queued;
}

/* Queue what the rate limit allows into the sessions of d. */
static void
sd_feed(smtpdoc_verifier *v, sd_vdomain *d, double now)
{
	sd_vsession *vs;

	for (vs = v->sessions; vs; vs = vs->next) {
		if (vs->dom != d || vs->finished || sd_smtp_session_done(vs->s))
			continue;
		if (!v->o.no_catch_all && !d->catch_all_asked && !d->catch_all_settled) {
			char local[16], addr[320];
			unsigned char rnd[12];
			size_t i;
			if (RAND_bytes(rnd, sizeof(rnd)) != 1)
				memset(rnd, 7, sizeof(rnd));
			for (i = 0; i < sizeof(rnd); i++)
				local[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd[i] % 36];
			local[sizeof(rnd)] = '\0';
			snprintf(addr, sizeof(addr), "smtpdoc-%s@%s", local, d->name);
			if (sd_smtp_session_add_rcpt(vs->s, addr, &d->catch_all_asked) == 0) {
				d->catch_all_asked = 1;
				d->catch_all_tries++;
				sd_smtp_session_add_rset(vs->s);
			}
		}
		while (vs->queued < v->o.rcpts_per_connection && now >= d->next_rcpt_at) {
			sd_vitem *it = sd_next_item(d);
			if (it == NULL)
				break;
			if (sd_smtp_session_add_rcpt(vs->s, it->info.address_ascii, it) != 0) {
				sd_requeue(d, it);
				break;
			}
			it->queued = 1;
			it->attempts++;
			vs->queued++;
			d->unfinished_queued++;
			d->next_rcpt_at = (d->next_rcpt_at > now ? d->next_rcpt_at : now) + 1.0 / v->o.rcpts_per_second;
		}
		if (vs->queued >= v->o.rcpts_per_connection || !sd_has_work(d))
			sd_session_finish(vs);
	}
}

/* Are there more addresses left to ask than the sessions already open
 * for d can still take? (Otherwise a new session would only split the
 * rest with them, and the connection would be one too many.) */
static int
sd_needs_session(const smtpdoc_verifier *v, const sd_vdomain *d)
{
	size_t left = (d->n - d->cursor) + d->nrequeue;
	size_t spare = (size_t)d->unfinished * v->o.rcpts_per_connection - d->unfinished_queued;

	return left > spare;
}

static void
sd_schedule(smtpdoc_verifier *v, double now)
{
	size_t i;

	sd_settle_parked(v);
	for (i = 0; i < v->ndomains; i++) {
		sd_vdomain *d = v->domains[i];
		unsigned limit;
		if (d->state == SD_VD_DONE || d->state == SD_VD_PARKED)
			continue;
		if (d->undecided == 0 && d->active == 0) {
			d->state = SD_VD_DONE;
			continue;
		}
		if (v->port_blocked && d->active == 0) {
			sd_domain_finish(d, SD_PROBE_NO_CONNECT);
			d->state = SD_VD_DONE;
			continue;
		}
		if (d->state == SD_VD_NEW) {
			if (v->dns_inflight >= SD_VERIFY_DNS_INFLIGHT)
				continue;
			d->state = SD_VD_MX;
			sd_start_query(d, d->name, SD_DNS_MX, sd_mx_cb);
			continue;
		}
		if (d->state == SD_VD_HOST) {
			if (v->dns_inflight >= SD_VERIFY_DNS_INFLIGHT)
				continue;
			sd_resolve_host(d);
		}
		if (d->state != SD_VD_READY || d->refused)
			continue;
		/* one session until the catch-all answer is in */
		limit = (!v->o.no_catch_all && !d->catch_all_settled) ? 1 : v->o.max_connections;
		if (d->slot == NULL || strcmp(d->slot->ip, d->ip) != 0)
			d->slot = sd_host_slot(v, d->ip);
		if (d->active < limit && sd_has_work(d) && now >= d->retry_at &&
		    (d->slot == NULL || d->slot->active < v->o.max_connections) && sd_needs_session(v, d))
			sd_open_session(v, d);
		sd_feed(v, d, now);
	}
}

/* A session has ended: count it, learn from it, free it. */
static void
sd_session_ended(smtpdoc_verifier *v, sd_vsession *vs)
{
	const sd_smtp_result *r = sd_smtp_session_result(vs->s);
	sd_vdomain *d = vs->dom;

	sd_session_finish(vs); /* ended before it was told: count it out */
	v->connections += r->connections;

	v->rcpts += r->rcpts;
	d->active--;
	d->last_timeout = 0;
	if (r->connected) {
		d->connected = 1;
		v->connects_ok++;
	} else if (r->error == SD_SMTP_ETIMEOUT) {
		v->connect_timeouts++;
		d->last_timeout = 1;
	}
	if (vs->slot && vs->slot->active)
		vs->slot->active--;
	if (r->error == SD_SMTP_EREJECTED)
		sd_note_refusal(d, r, 0);
	if (!r->connected || (r->error == SD_SMTP_EREJECTED && r->rcpts_answered == 0)) {
		/* this host did not serve us: try the next one */
		if (d->state == SD_VD_READY && d->active == 0)
			sd_next_host(d);
	}
	if (v->connects_ok == 0 && v->connect_timeouts >= SD_VERIFY_BLOCKED_HOSTS) {
		size_t i, timed_out_domains = 0;
		for (i = 0; i < v->ndomains; i++)
			if (v->domains[i]->host > 0 || v->domains[i]->state == SD_VD_DONE)
				timed_out_domains++;
		if (timed_out_domains >= SD_VERIFY_BLOCKED_DOMAINS || v->ndomains == 1)
			v->port_blocked = 1;
	}
	if (d->undecided == 0 && d->active == 0)
		d->state = SD_VD_DONE;
}

smtpdoc_status
sd_verify_loop(smtpdoc_verifier *v)
{
	struct pollfd *pfd = malloc((SD_VERIFY_MAX_POLL + 16) * sizeof(*pfd));
	sd_vsession **polled = malloc(SD_VERIFY_MAX_POLL * sizeof(*polled));
	char err[200];
	size_t i;

	if (pfd == NULL || polled == NULL) {
		free(pfd);
		free(polled);
		return SMTPDOC_ENOMEM;
	}
	if (!v->o.no_smtp && !v->o.no_tls && v->tls == NULL)
		v->tls = sd_smtp_tlsctx_new(NULL, err, sizeof(err)); /* NULL: sessions make their own */
	while (v->decided < v->n || v->sessions) {
		double now = sd_verify_now();
		int n = 0, nd, timeout, t;
		sd_vsession *vs, **link;

		sd_schedule(v, now);
		if (v->decided >= v->n) {
			/* every address answered: let the sessions still open say
			 * QUIT (each bounded by its own timeouts) */
			for (vs = v->sessions; vs; vs = vs->next)
				sd_session_finish(vs);
			if (v->sessions == NULL)
				break;
		}
		timeout = sd_resolver_timeout_ms(v->resolver, 1000);
		if (timeout < 0)
			timeout = 1000;
		for (vs = v->sessions; vs && n < SD_VERIFY_MAX_POLL; vs = vs->next) {
			pfd[n].fd = sd_smtp_session_fd(vs->s);
			pfd[n].events = sd_smtp_session_events(vs->s);
			pfd[n].revents = 0;
			polled[n] = vs;
			if ((t = sd_smtp_session_timeout_ms(vs->s)) >= 0 && t < timeout)
				timeout = t;
			n++;
		}
		/* wake up for the rate limiter too */
		for (i = 0; i < v->ndomains; i++) {
			const sd_vdomain *d = v->domains[i];
			if (d->state == SD_VD_READY && d->active && d->next_rcpt_at > now) {
				t = (int)((d->next_rcpt_at - now) * 1000) + 1;
				if (t < timeout)
					timeout = t;
			}
		}
		nd = sd_resolver_pollfds(v->resolver, pfd + n, 16);
		if (n + nd == 0 && sd_resolver_pending(v->resolver) == 0) {
			/* nothing in flight: whatever is open cannot progress */
			int progress = 0;
			for (i = 0; i < v->ndomains; i++) {
				sd_vdomain *d = v->domains[i];
				if (d->state == SD_VD_NEW || d->state == SD_VD_HOST || d->state == SD_VD_PARKED ||
				    (d->state == SD_VD_READY && sd_has_work(d) && !d->refused))
					progress = 1;
			}
			if (!progress) {
				for (i = 0; i < v->ndomains; i++)
					if (v->domains[i]->undecided)
						sd_domain_finish(v->domains[i], v->domains[i]->refused ? SD_PROBE_REFUSED
											: SD_PROBE_NO_CONNECT);
				break;
			}
			continue;
		}
		if (poll(pfd, (nfds_t)(n + nd), timeout) < 0 && errno != EINTR)
			break;
		for (i = 0; i < (size_t)n; i++)
			sd_smtp_session_step(polled[i]->s, pfd[i].revents);
		sd_resolver_process(v->resolver, pfd + n, nd);
		/* sessions that ended */
		for (link = &v->sessions; *link;) {
			vs = *link;
			if (!sd_smtp_session_done(vs->s)) {
				link = &vs->next;
				continue;
			}
			*link = vs->next;
			sd_session_ended(v, vs);
			sd_smtp_session_free(vs->s);
			free(vs);
		}
	}
	free(pfd);
	free(polled);
	return SMTPDOC_OK;
}
