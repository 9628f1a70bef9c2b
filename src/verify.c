/*
 * verify.c - smtpdoc_verifier: queueing addresses, grouping them by
 * domain, and handing out one answer per address (the event loop that
 * gathers the facts is verify_loop.c; the verdict is verify_verdict.c).
 *
 * An address is checked without the network first (address.h: syntax,
 * clean-up, IDN, role/disposable/free-mail flags); one that is not valid
 * is answered at once. The others are grouped by their domain's A-label
 * form in a hash table, so each domain is looked up and probed once
 * whatever the number of its addresses.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "verify_internal.h"

#define SD_VERIFY_FREQ_TOP 50 /* frequent domains compared for typos */

double
sd_verify_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
smtpdoc_verify_options_init(smtpdoc_verify_options *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 10000;
	o->max_connections = 2;
	o->rcpts_per_connection = 50;
	o->rcpts_per_second = 5;
}

smtpdoc_verifier *
smtpdoc_verifier_new(const smtpdoc_verify_options *o, char *err, size_t errlen)
{
	smtpdoc_verifier *v;
	smtpdoc_verify_options d;

	if (err && errlen)
		err[0] = '\0';
	if (o == NULL) {
		smtpdoc_verify_options_init(&d);
		o = &d;
	}
	if (o->from && (strlen(o->from) >= 300 || strpbrk(o->from, "\r\n<> ") != NULL)) {
		if (err)
			snprintf(err, errlen, "'%s' cannot be used as the MAIL FROM address", o->from);
		return NULL;
	}
	if (o->helo && (strlen(o->helo) >= 255 || strpbrk(o->helo, "\r\n ") != NULL || o->helo[0] == '\0')) {
		if (err)
			snprintf(err, errlen, "'%s' cannot be used as the EHLO name", o->helo);
		return NULL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->o = *o;
	if (v->o.timeout_ms <= 0)
		v->o.timeout_ms = 10000;
	if (v->o.max_connections == 0)
		v->o.max_connections = 2;
	if (v->o.rcpts_per_connection == 0)
		v->o.rcpts_per_connection = 50;
	if (v->o.rcpts_per_second <= 0)
		v->o.rcpts_per_second = 5;
	if (o->helo)
		snprintf(v->helo, sizeof(v->helo), "%s", o->helo);
	else if (gethostname(v->helo, sizeof(v->helo)) != 0 || v->helo[0] == '\0')
		snprintf(v->helo, sizeof(v->helo), "localhost");
	v->helo[sizeof(v->helo) - 1] = '\0';
	snprintf(v->from, sizeof(v->from), "%s", o->from ? o->from : "");
	v->o.helo = v->helo;
	v->o.from = v->from;
	v->o.resolver = NULL; /* used once, below; not kept */
	v->resolver = sd_resolver_new(o->resolver, v->o.timeout_ms, 2, err, errlen);
	v->freq = sd_domfreq_new();
	if (v->resolver == NULL || v->freq == NULL) {
		smtpdoc_verifier_free(v);
		return NULL;
	}
	return v;
}

static void
sd_domain_free(sd_vdomain *d)
{
	size_t i;

	for (i = 0; i < d->nhosts; i++)
		free(d->hosts[i]);
	free(d->items);
	free(d->requeue);
	free(d->refusal_text);
	free(d->name);
	free(d);
}

void
smtpdoc_verifier_free(smtpdoc_verifier *v)
{
	size_t i;

	if (v == NULL)
		return;
	while (v->sessions) {
		sd_vsession *s = v->sessions;
		v->sessions = s->next;
		sd_smtp_session_free(s->s);
		free(s);
	}
	while (v->hosts) {
		sd_vhost *h = v->hosts;
		v->hosts = h->next;
		free(h);
	}
	for (i = 0; i < v->n; i++) {
		sd_address_info_free(&v->items[i]->info);
		free(v->items[i]->input);
		free(v->items[i]->text);
		free(v->items[i]);
	}
	free(v->items);
	for (i = 0; i < v->ndomains; i++)
		sd_domain_free(v->domains[i]);
	free(v->domains);
	free(v->table);
	sd_resolver_free(v->resolver);
	sd_smtp_tlsctx_free(v->tls);
	sd_domfreq_free(v->freq);
	free(v);
}

static size_t
sd_hash(const char *s)
{
	return (size_t)sd_hash_bytes(s, strlen(s), 0);
}

static int
sd_table_grow(smtpdoc_verifier *v)
{
	size_t cap = v->tablecap ? v->tablecap * 2 : 256, i;
	sd_vdomain **t = calloc(cap, sizeof(*t));

	if (t == NULL)
		return -1;
	for (i = 0; i < v->ndomains; i++) {
		size_t k = sd_hash(v->domains[i]->name) & (cap - 1);
		while (t[k])
			k = (k + 1) & (cap - 1);
		t[k] = v->domains[i];
	}
	free(v->table);
	v->table = t;
	v->tablecap = cap;
	return 0;
}

/* The domain record for name, created on first sight; NULL on no memory. */
static sd_vdomain *
sd_domain_get(smtpdoc_verifier *v, const char *name)
{
	size_t k;
	sd_vdomain *d;

	if ((v->ndomains + 1) * 2 > v->tablecap && sd_table_grow(v) != 0)
		return NULL;
	for (k = sd_hash(name) & (v->tablecap - 1); v->table[k]; k = (k + 1) & (v->tablecap - 1))
		if (strcmp(v->table[k]->name, name) == 0)
			return v->table[k];
	if (v->ndomains == v->capdomains) {
		size_t cap = v->capdomains ? v->capdomains * 2 : 64;
		sd_vdomain **nd = realloc(v->domains, cap * sizeof(*nd));
		if (nd == NULL)
			return NULL;
		v->domains = nd;
		v->capdomains = cap;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL || (d->name = strdup(name)) == NULL) {
		free(d);
		return NULL;
	}
	d->catch_all = -1;
	d->v = v;
	v->table[k] = d;
	v->domains[v->ndomains++] = d;
	return d;
}

smtpdoc_status
smtpdoc_verifier_add(smtpdoc_verifier *v, const char *address)
{
	sd_vitem *it;

	if (v == NULL || address == NULL)
		return SMTPDOC_EINVAL;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		sd_vitem **ni = realloc(v->items, cap * sizeof(*ni));
		if (ni == NULL)
			return SMTPDOC_ENOMEM;
		v->items = ni;
		v->cap = cap;
	}
	if ((it = calloc(1, sizeof(*it))) == NULL || (it->input = strdup(address)) == NULL) {
		free(it);
		return SMTPDOC_ENOMEM;
	}
	v->items[v->n++] = it;
	if (sd_address_check(address, &it->info) != SMTPDOC_OK)
		return SMTPDOC_ENOMEM;
	/* every check that can run does: an address whose local part is
	 * wrong still has its domain looked up and reported */
	if (it->info.domain_ascii && !it->info.literal) {
		sd_vdomain *d = sd_domain_get(v, it->info.domain_ascii);
		if (d == NULL)
			return SMTPDOC_ENOMEM;
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 8;
			sd_vitem **ni = realloc(d->items, cap * sizeof(*ni));
			if (ni == NULL)
				return SMTPDOC_ENOMEM;
			d->items = ni;
			d->cap = cap;
		}
		d->items[d->n++] = it;
		d->undecided++;
		it->dom = d;
		it->noprobe = !it->info.valid;
	}
	if (it->info.domain && !it->info.literal)
		sd_domfreq_add(v->freq, it->info.domain);
	return SMTPDOC_OK;
}

void
smtpdoc_verifier_stats(const smtpdoc_verifier *v, smtpdoc_verify_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return;
	out->addresses = v->n;
	out->domains = v->ndomains;
	out->dns_queries = sd_resolver_queries(v->resolver);
	out->connections = v->connections;
	out->rcpts = v->rcpts;
	out->port25_blocked = v->port_blocked;
}

/* ---- answers -------------------------------------------------------------- */

static void
sd_item_facts(const smtpdoc_verifier *v, const sd_vitem *it, sd_probe_stage stage, sd_verify_facts *f)
{
	const sd_vdomain *d = it->dom;

	memset(f, 0, sizeof(*f));
	f->syntax_ok = it->info.valid;
	f->catch_all = -1;
	f->address = it->info.address_ascii;
	if (d == NULL) {
		/* a valid address literal: no DNS to ask, nothing probed */
		f->mx_status = SD_DNS_OK;
		f->mx_count = 1;
		f->stage = SD_PROBE_NOT_RUN;
		return;
	}
	f->mx_status = d->mx_status;
	f->null_mx = d->null_mx;
	f->mx_count = (int)d->nhosts;
	f->addr_status = d->addr_status;
	f->stage = stage;
	f->port_blocked = v->port_blocked;
	f->catch_all = v->o.no_catch_all ? -1 : d->catch_all;
	f->accepts_all_provider = d->accepts_all;
	f->mx_host = d->host < d->nhosts ? d->hosts[d->host] : NULL;
	f->refusal.code = d->refusal_code[0] ? d->refusal_code : NULL;
	f->refusal.status = d->refusal_status[0] ? d->refusal_status : NULL;
	f->refusal.text = d->refusal_text;
	f->refusal.command = d->refusal_command;
	if (it->answered) {
		f->rcpt.code = it->code;
		f->rcpt.status = it->status[0] ? it->status : NULL;
		f->rcpt.text = it->text;
		f->rcpt.command = "RCPT";
	}
}

void
sd_verify_decide_item(smtpdoc_verifier *v, sd_vitem *it, const sd_verify_facts *f)
{
	const char *changes[SD_ADDRESS_CHANGE_COUNT + 1];
	const char *mx[SD_VERIFY_MAX_MX + 1];
	smtpdoc_verification r;
	sd_verify_outcome o;
	sd_suggestion sug;
	sd_vdomain *d = it->dom;
	size_t i, k = 0;
	int has_mx;

	if (it->done)
		return;
	sd_verify_decide(f, &o);
	memset(&r, 0, sizeof(r));
	r.input = it->info.input ? it->info.input : it->input;
	r.address = it->info.address;
	r.verdict = sd_verdict_name(o.verdict);
	r.reason = o.reason;
	r.cause = o.cause;
	r.note = o.note;
	r.retry = o.retry;
	r.syntax_error = it->info.valid ? NULL : it->info.reason;
	for (i = 0; i < SD_ADDRESS_CHANGE_COUNT; i++)
		if (it->info.changes & (1u << i))
			changes[k++] = sd_address_change_text(1u << i);
	changes[k] = NULL;
	r.changes = changes;
	r.domain = it->info.domain;
	k = 0;
	for (i = 0; d && i < d->nhosts; i++)
		mx[k++] = d->hosts[i];
	mx[k] = NULL;
	r.mx = mx;
	r.mx_host = f->stage >= SD_PROBE_REFUSED ? f->mx_host : NULL;
	if (f->stage == SD_PROBE_RCPT) {
		r.replycode = f->rcpt.code;
		r.deliverystatus = f->rcpt.status;
		r.diagnosticcode = f->rcpt.text;
		r.smtpcommand = "RCPT";
	} else if (f->stage == SD_PROBE_REFUSED) {
		r.replycode = f->refusal.code;
		r.deliverystatus = f->refusal.status;
		r.diagnosticcode = f->refusal.text;
		r.smtpcommand = f->refusal.command;
	}
	r.catch_all = f->catch_all;
	r.role = it->info.role;
	r.disposable = it->info.disposable;
	r.freemail = it->info.freemail;
	/* a domain with working MX records gets no typo suggestion */
	has_mx = d == NULL ? SD_MX_UNKNOWN : (d->mx_status == SD_DNS_OK && d->nhosts > 0 && !d->null_mx);
	if (it->info.domain && sd_address_suggest(&it->info, has_mx, v->freq_top, v->nfreq_top, &sug) == 1 &&
	    sug.address[0])
		r.suggestion = sug.address;
	it->done = 1;
	v->decided++;
	if (d)
		d->undecided--;
	if (v->on_result)
		v->on_result(v->ctx, &r);
	if (v->on_progress)
		v->on_progress(v->ctx, v->decided, v->n);
}

void
sd_verify_decide_domain(smtpdoc_verifier *v, sd_vdomain *d, sd_probe_stage stage)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		sd_vitem *it = d->items[i];
		sd_verify_facts f;
		if (it->done || it->queued)
			continue;
		sd_item_facts(v, it, it->answered ? SD_PROBE_RCPT : stage, &f);
		sd_verify_decide_item(v, it, &f);
	}
}

void
sd_verify_decide_noprobe(smtpdoc_verifier *v, sd_vdomain *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		sd_vitem *it = d->items[i];
		sd_verify_facts f;
		if (!it->noprobe || it->done)
			continue;
		sd_item_facts(v, it, SD_PROBE_NOT_RUN, &f);
		sd_verify_decide_item(v, it, &f);
	}
}

/* Items needing no network: the invalid ones and address literals. */
static void
sd_decide_offline(smtpdoc_verifier *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		sd_vitem *it = v->items[i];
		sd_verify_facts f;
		if (it->dom != NULL || it->done)
			continue;
		sd_item_facts(v, it, SD_PROBE_NOT_RUN, &f);
		sd_verify_decide_item(v, it, &f);
	}
}

void
sd_verify_item_answered(smtpdoc_verifier *v, sd_vitem *it)
{
	sd_verify_facts f;

	sd_item_facts(v, it, SD_PROBE_RCPT, &f);
	sd_verify_decide_item(v, it, &f);
}

void
sd_verify_item_failed(smtpdoc_verifier *v, sd_vitem *it, sd_probe_stage stage)
{
	sd_verify_facts f;

	sd_item_facts(v, it, stage, &f);
	sd_verify_decide_item(v, it, &f);
}

smtpdoc_status
smtpdoc_verifier_run(smtpdoc_verifier *v, smtpdoc_verification_fn on_result, smtpdoc_progress_fn on_progress,
		     void *ctx)
{
	if (v == NULL)
		return SMTPDOC_EINVAL;
	v->on_result = on_result;
	v->on_progress = on_progress;
	v->ctx = ctx;
	v->freq_top = sd_domfreq_top(v->freq, SD_VERIFY_FREQ_TOP, &v->nfreq_top);
	sd_decide_offline(v);
	return sd_verify_loop(v);
}
