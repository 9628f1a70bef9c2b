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
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "verify_internal.h"

#define SD_VERIFY_MAX_POLL 4096     /* sessions polled at once */

static void
sd_schedule(smtpdoc_verifier *v, double now)
{
	size_t i;

	sd_vdomain_settle_parked(v);
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
			sd_vdomain_finish(d, SD_PROBE_NO_CONNECT);
			d->state = SD_VD_DONE;
			continue;
		}
		if (d->state == SD_VD_NEW) {
			if (v->dns_inflight >= SD_VERIFY_DNS_INFLIGHT)
				continue;
			d->state = SD_VD_MX;
			sd_vdomain_query(d, d->name, SD_DNS_MX, sd_mx_cb);
			continue;
		}
		if (d->state == SD_VD_HOST) {
			if (v->dns_inflight >= SD_VERIFY_DNS_INFLIGHT)
				continue;
			sd_vdomain_resolve_host(d);
		}
		if (d->state != SD_VD_READY || d->refused)
			continue;
		/* one session until the catch-all answer is in */
		limit = (!v->o.no_catch_all && !d->catch_all_settled) ? 1 : v->o.max_connections;
		if (d->slot == NULL || strcmp(d->slot->ip, d->ip) != 0)
			d->slot = sd_vhost_slot(v, d->ip);
		if (d->active < limit && sd_vdomain_has_work(d) && now >= d->retry_at &&
		    (d->slot == NULL || d->slot->active < v->o.max_connections) && sd_vdomain_needs_session(v, d))
			sd_vsession_open(v, d);
		sd_vsession_feed(v, d, now);
	}
}

/* A session has ended: count it, learn from it, free it. */
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
				sd_vsession_finish(vs);
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
				    (d->state == SD_VD_READY && sd_vdomain_has_work(d) && !d->refused))
					progress = 1;
			}
			if (!progress) {
				for (i = 0; i < v->ndomains; i++)
					if (v->domains[i]->undecided)
						sd_vdomain_finish(v->domains[i], v->domains[i]->refused ? SD_PROBE_REFUSED
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
			sd_vsession_ended(v, vs);
			sd_smtp_session_free(vs->s);
			free(vs);
		}
	}
	free(pfd);
	free(polled);
	return SMTPDOC_OK;
}
