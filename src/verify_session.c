/*
 * verify_session.c - the SMTP side of a verify run: opening sessions to a
 * domain's MX (at most max_connections per domain and per MX address, one
 * until the catch-all answer is in), queueing addresses into them as the
 * rate limit allows (the made-up address first, then RSET), reading each
 * RCPT answer, asking again in a new session when a session broke, and
 * learning from each session that ended (refusals, timeouts).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "internal.h"
#include "verify_internal.h"

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

int
sd_vdomain_has_work(const sd_vdomain *d)
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
sd_vhost *
sd_vhost_slot(smtpdoc_verifier *v, const char *ip)
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

sd_vsession *
sd_vsession_open(smtpdoc_verifier *v, sd_vdomain *d)
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
void
sd_vsession_finish(sd_vsession *vs)
{
	if (vs->finished)
		return;
	sd_smtp_session_finish(vs->s);
	vs->finished = 1;
	vs->dom->unfinished--;
	vs->dom->unfinished_queued -= vs->queued;
}

/* Queue what the rate limit allows into the sessions of d. */
void
sd_vsession_feed(smtpdoc_verifier *v, sd_vdomain *d, double now)
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
		if (vs->queued >= v->o.rcpts_per_connection || !sd_vdomain_has_work(d))
			sd_vsession_finish(vs);
	}
}

/* Are there more addresses left to ask than the sessions already open
 * for d can still take? (Otherwise a new session would only split the
 * rest with them, and the connection would be one too many.) */
int
sd_vdomain_needs_session(const smtpdoc_verifier *v, const sd_vdomain *d)
{
	size_t left = (d->n - d->cursor) + d->nrequeue;
	size_t spare = (size_t)d->unfinished * v->o.rcpts_per_connection - d->unfinished_queued;

	return left > spare;
}

void
sd_vsession_ended(smtpdoc_verifier *v, sd_vsession *vs)
{
	const sd_smtp_result *r = sd_smtp_session_result(vs->s);
	sd_vdomain *d = vs->dom;

	sd_vsession_finish(vs); /* ended before it was told: count it out */
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
			sd_vdomain_next_host(d);
	}
	if (d->undecided == 0 && d->active == 0)
		d->state = SD_VD_DONE;
}

