/*
 * audit_check.c - the findings of `smtpdoc audit`, as checklist items
 * (dnscheck.h) over the model that audit_cpanel.c and audit_postfix.c
 * read.
 *
 * Entry point: sd_audit_check (audit.h). Items, in this order:
 *   "domain.routing" (subject a domain): where the domain's mail goes and
 *     which file says so (pass); listed as local and as remote, or in two
 *     Postfix domain classes (fail, config.routing-conflict).
 *   "mx.local" (sd_dnscheck_local_mx) for every domain delivered here.
 *   "mx.remote" (subject a domain): a domain sent on to its MX must not
 *     have this server as its most preferred MX (fail, config.mx-loop).
 *   "alias.target" (subject the alias, detail "target"): one per alias
 *     target that is an address or a name; it must lead somewhere: a
 *     missing local mailbox (fail, mailbox.unknown), a domain that does
 *     not resolve (fail, domain.unknown), a null MX, an MX loop.
 *   "alias.loop" (subject the alias, detail "chain"): a chain of aliases
 *     that comes back to where it started, once per circle (named after
 *     its smallest member).
 *   "mailbox.dir" (subject the mailbox address, detail "dir"): the
 *     mailbox directory exists as a Maildir (pass); exists without cur,
 *     new and tmp (warn); is missing (fail, config.mailbox-dir).
 * Targets are judged by their own step only (depth 1 of their route, and
 * the level after a step that passes the address on: a catch-all, a
 * domain alias, a stripped extension): what happens further down a chain
 * is the finding of the alias there.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

/* sd_audit_alias_name - the address an alias answers for */
static void
sd_audit_alias_name(const sd_audit_alias *a, char *out, size_t size)
{
	if (a->domain)
		snprintf(out, size, "%s@%s", a->key, a->domain);
	else
		snprintf(out, size, "%s", a->key);
}

static void
sd_audit_routing(sd_route_env *e, sd_check_list *out)
{
	const sd_audit_cfg *c = e->cfg;
	size_t i;

	for (i = 0; i < c->ndom; i++) {
		const sd_audit_domain *d = &c->dom[i];
		unsigned f = d->flags, nclass = 0, k;
		sd_check_item *it;

		for (k = 0; k < SD_DOM_NCLASS; k++)
			if (f & (1u << k))
				nclass++;
		if (nclass == 0 && d->alias_of == NULL)
			continue;
		if ((it = sd_check_list_add(out, "domain.routing", SD_CHECK_PASS)) == NULL)
			return;
		sd_check_item_subject(it, d->name);
		for (k = 0; k < SD_DOM_NCLASS; k++)
			if (d->src[k])
				sd_check_item_detail(it, "source", "%s", d->src[k]);
		if (d->owner)
			sd_check_item_detail(it, "owner", "%s", d->owner);
		if (d->alias_of) {
			sd_check_item_detail(it, "alias_of", "%s", d->alias_of);
			sd_check_item_summary(it, "Mail for %s is handled as mail for %s (%s).", d->name,
					      d->alias_of, d->alias_src);
			continue;
		}
		if (nclass > 1) {
			it->status = SD_CHECK_FAIL;
			sd_check_item_cause(it, "config.routing-conflict");
			if ((f & SD_DOM_LOCAL) && (f & SD_DOM_REMOTE) && c->cpanel) {
				sd_check_item_summary(it, "%s is listed both as delivered here (%s) and as "
						      "sent to its MX (%s). Mail may go to the wrong place.",
						      d->name, d->src[0], d->src[1]);
				sd_check_item_fix(it, "Keep %s in only one of /etc/localdomains and "
						  "/etc/remotedomains: in cPanel choose Email Routing Local or "
						  "Remote for it.", d->name);
			} else {
				sd_check_item_summary(it, "%s is listed in more than one domain class "
						      "(see the sources). Postfix uses the first that "
						      "matches, so the others are ignored.", d->name);
				sd_check_item_fix(it, "List %s in only one of mydestination, "
						  "virtual_alias_domains, virtual_mailbox_domains and "
						  "relay_domains.", d->name);
				if (f & SD_DOM_LOCAL)
					sd_check_item_bounce(it, "550 5.1.1 <info@%s>: Recipient address "
							     "rejected: User unknown in local recipient table",
							     d->name);
			}
			continue;
		}
		sd_check_item_summary(it, "%s: %s (%s).", d->name,
				      f & SD_DOM_LOCAL     ? "delivered here"
				      : f & SD_DOM_VMAILBOX ? "delivered here to virtual mailboxes"
				      : f & SD_DOM_VALIAS   ? "forwarded by virtual aliases"
							    : "sent on to its MX",
				      d->src[f & SD_DOM_LOCAL ? 0 : f & SD_DOM_VMAILBOX ? 2 : f & SD_DOM_VALIAS ? 3 : 1]);
	}
}

/* sd_audit_checked_domain - worth an MX check: a dotted name, not localhost */
static int
sd_audit_checked_domain(const char *name)
{
	return strchr(name, '.') != NULL && strncmp(name, "localhost.", 10) != 0;
}

static void
sd_audit_mx(sd_route_env *e, sd_check_list *out)
{
	const sd_audit_cfg *c = e->cfg;
	size_t i;

	if (e->lookup == NULL)
		return;
	for (i = 0; i < c->ndom; i++) {
		const sd_audit_domain *d = &c->dom[i];
		const sd_route_dns *dns;
		sd_check_item *it;

		if (!sd_audit_checked_domain(d->name) || d->alias_of)
			continue;
		if (d->flags & (SD_DOM_LOCAL | SD_DOM_VMAILBOX | SD_DOM_VALIAS)) {
			sd_dnscheck_local_mx(e->lookup, e->lctx, d->name, e->locals, e->nlocals, out);
			continue;
		}
		if (!(d->flags & SD_DOM_REMOTE) && !(c->cpanel && d->owner))
			continue;
		if ((dns = sd_route_dns_get(e, d->name)) == NULL ||
		    (it = sd_check_list_add(out, "mx.remote", SD_CHECK_PASS)) == NULL)
			return;
		sd_check_item_subject(it, d->name);
		if (dns->mx)
			sd_check_item_detail(it, "mx", "%s", dns->mx);
		if (dns->here) {
			it->status = SD_CHECK_FAIL;
			sd_check_item_cause(it, "config.mx-loop");
			sd_check_item_summary(it, "This server sends %s's mail on to the domain's MX (%s), "
					      "but that MX is this server: the mail loops and bounces.",
					      d->name, d->flags & SD_DOM_REMOTE ? d->src[1] : "not in /etc/localdomains");
			sd_check_item_bounce(it, c->cpanel ? "550 <info@%s>: lowest numbered MX record points to "
								 "local host"
							     : "554 5.4.6 <info@%s>: mail for this domain loops "
							       "back to myself", d->name);
			sd_check_item_fix(it, "If the mailboxes of %s are on this server, deliver it here: %s.",
					  d->name, c->cpanel ? "move it to /etc/localdomains (cPanel Email Routing: "
							       "Local Mail Exchanger)"
							     : "add it to mydestination or virtual_mailbox_domains");
			sd_check_item_fix(it, "Otherwise point the MX records of %s at the server that holds them.",
					  d->name);
		} else if (dns->status == SD_CHECK_UNKNOWN) {
			it->status = SD_CHECK_UNKNOWN;
			sd_check_item_summary(it, "The MX records of %s could not be looked up just now.", d->name);
		} else if (dns->cause && strcmp(dns->cause, "domain.mx-elsewhere") != 0) {
			it->status = SD_CHECK_FAIL;
			sd_check_item_cause(it, dns->cause);
			sd_check_item_summary(it, "%s is sent on to its MX, but it has no usable MX: mail to it "
					      "bounces.", d->name);
		} else {
			sd_check_item_summary(it, "%s is sent on to its MX, which is another server.", d->name);
		}
	}
}

/* sd_audit_chain - the addresses from the route's start to step k */
static void
sd_audit_chain(const sd_route *r, size_t k, const char *first, sd_buf *b, const char **smallest)
{
	const char *path[SD_ROUTE_MAX_DEPTH + 4];
	size_t n = 0, i = k;
	unsigned depth = r->steps[k].depth;

	while (i-- > 0 && depth > 0 && n < SD_ROUTE_MAX_DEPTH + 2)
		if (r->steps[i].depth < depth) {
			depth = r->steps[i].depth;
			if (n == 0 || strcmp(path[n - 1], r->steps[i].address) != 0)
				path[n++] = r->steps[i].address;
		}
	*smallest = first;
	sd_buf_adds(b, first);
	while (n-- > 0) {
		sd_buf_adds(b, " -> ");
		sd_buf_adds(b, path[n]);
		if (strcmp(path[n], *smallest) < 0)
			*smallest = path[n];
	}
	sd_buf_adds(b, " -> ");
	sd_buf_adds(b, r->steps[k].address);
}

static void
sd_audit_loop(sd_route_env *e, const sd_route *r, size_t k, const char *name, sd_check_list *out)
{
	const char *smallest;
	sd_check_item *it;
	sd_buf b;

	(void)e;
	/* report a circle once: from its smallest member, when it ends there */
	if (strcmp(r->steps[k].address, name) != 0)
		return;
	sd_buf_init(&b, 4096);
	sd_audit_chain(r, k, name, &b, &smallest);
	if (strcmp(smallest, name) == 0 && (it = sd_check_list_add(out, "alias.loop", SD_CHECK_FAIL)) != NULL) {
		sd_check_item_subject(it, name);
		sd_check_item_detail(it, "chain", "%s", b.data ? b.data : "");
		sd_check_item_cause(it, "config.alias-loop");
		sd_check_item_summary(it, "The aliases loop: %s. Mail for any address in this circle is "
				      "never delivered.", b.data ? b.data : name);
		if (r->steps[k].reply)
			sd_check_item_bounce(it, "%s", r->steps[k].reply);
		sd_check_item_fix(it, "Make one alias in the circle end at a mailbox instead of pointing "
				  "back to %s.", name);
	}
	sd_buf_free(&b);
}

static void
sd_audit_targets(sd_route_env *e, sd_check_list *out)
{
	sd_audit_cfg *c = e->cfg;
	size_t i, t, k;

	for (i = 0; i < c->nalias; i++) {
		const sd_audit_alias *a = &c->alias[i];
		char name[600];

		sd_audit_alias_name(a, name, sizeof(name));
		for (t = 0; t < a->ntargets; t++) {
			const char *tg = a->targets[t];
			const smtpdoc_route_step *bad = NULL, *unk = NULL, *loop = NULL;
			unsigned judged = 1;
			sd_route r;
			sd_check_item *it;

			if (tg[0] == ':' || tg[0] == '|' || tg[0] == '/' || tg[0] == '\\' ||
			    strcmp(tg, name) == 0)
				continue;
			memset(&r, 0, sizeof(r));
			if (sd_route_run(e, tg, name, &r) != 0) {
				sd_route_free(&r);
				c->nomem = 1;
				return;
			}
			for (k = 0; k < r.n; k++) {
				const smtpdoc_route_step *s = &r.steps[k];
				if (strcmp(s->action, "loop") == 0) {
					sd_audit_loop(e, &r, k, name, out);
					if (loop == NULL)
						loop = s;
					continue;
				}
				/* the target's own handling: its step, and the next
				 * level after a step that passes it on (its domain's
				 * catch-all, a domain alias, a stripped extension) */
				if (s->depth > judged)
					continue;
				if (s->depth == judged && sd_route_passes_on(s->action))
					judged = s->depth + 1;
				if (strcmp(s->result, "fail") == 0 && bad == NULL)
					bad = s;
				if (strcmp(s->result, "unknown") == 0 && unk == NULL)
					unk = s;
			}
			if ((it = sd_check_list_add(out, "alias.target", SD_CHECK_PASS)) == NULL) {
				sd_route_free(&r);
				return;
			}
			sd_check_item_subject(it, name);
			sd_check_item_detail(it, "target", "%s", tg);
			sd_check_item_detail(it, "source", "%s", a->src);
			if (loop && bad == NULL) {
				it->status = SD_CHECK_FAIL;
				sd_check_item_cause(it, "config.alias-loop");
				if (loop->reply)
					sd_check_item_bounce(it, "%s", loop->reply);
				sd_check_item_summary(it, "%s forwards to %s (%s), and the chain from there "
						      "comes back around a loop (see alias.loop).", name, tg, a->src);
				sd_check_item_fix(it, "Make one alias of the chain end at a mailbox.");
			} else if (bad && strcmp(bad->action, "mailbox") == 0) {
				/* the mailbox.dir item says it */
				sd_check_item_summary(it, "%s forwards to %s, whose mailbox directory is missing "
						      "(%s).", name, tg, a->src);
				it->status = SD_CHECK_WARN;
			} else if (bad) {
				it->status = SD_CHECK_FAIL;
				if (bad->cause)
					sd_check_item_cause(it, bad->cause);
				if (bad->reply)
					sd_check_item_bounce(it, "%s", bad->reply);
				sd_check_item_summary(it, "%s forwards to %s (%s), which %s.", name, tg, a->src,
						      strcmp(bad->action, "unknown-user") == 0
							      ? "is no mailbox, forwarder or user on this server"
						      : bad->cause && strcmp(bad->cause, "domain.unknown") == 0
							      ? "is at a domain that does not resolve"
						      : bad->cause && strcmp(bad->cause, "config.mx-loop") == 0
							      ? "is at a domain whose MX loops back here"
							      : "cannot be delivered");
				sd_check_item_fix(it, "Correct or remove the target %s at %s.", tg, a->src);
				if (bad->cause && strcmp(bad->cause, "mailbox.unknown") == 0)
					sd_check_item_fix(it, "Or create the mailbox %s.", tg);
			} else if (unk) {
				it->status = SD_CHECK_UNKNOWN;
				sd_check_item_summary(it, "%s forwards to %s; %s", name, tg,
						      unk->note ? unk->note : "it could not be checked now.");
			} else {
				sd_check_item_summary(it, "%s forwards to %s, which is delivered.", name, tg);
			}
			sd_route_free(&r);
		}
	}
}

static void
sd_audit_mailboxes(sd_route_env *e, sd_check_list *out)
{
	sd_audit_cfg *c = e->cfg;
	size_t i;

	for (i = 0; i < c->nmbox; i++) {
		const sd_audit_mailbox *m = &c->mbox[i];
		sd_check_item *it = sd_check_list_add(out, "mailbox.dir", SD_CHECK_PASS);
		char sub[2048];
		int k, have = 0, j;
		static const char *const parts[] = {"cur", "new", "tmp"};

		if (it == NULL)
			return;
		sd_check_item_subject(it, m->address);
		sd_check_item_detail(it, "dir", "%s", m->dir ? m->dir : "");
		sd_check_item_detail(it, "source", "%s", m->src);
		k = m->dir ? sd_audit_stat(c, m->dir) : 0;
		if (k == 1) {
			for (j = 0; j < 3; j++) {
				snprintf(sub, sizeof(sub), "%s/%s", m->dir, parts[j]);
				if (sd_audit_stat(c, sub) == 1)
					have++;
			}
			if (have == 3) {
				sd_check_item_summary(it, "The mailbox %s has its Maildir (%s).", m->address, m->dir);
			} else {
				it->status = SD_CHECK_WARN;
				sd_check_item_summary(it, "The directory of %s (%s) lacks some of cur, new and "
						      "tmp; mail programs may not see its mail.", m->address, m->dir);
				sd_check_item_fix(it, "Create the missing cur, new and tmp folders in %s, owned "
						  "by the account's user.", m->dir);
			}
			continue;
		}
		if (k == 2) {
			sd_check_item_summary(it, "The mailbox %s is a file (mbox): %s.", m->address, m->dir);
			continue;
		}
		it->status = SD_CHECK_FAIL;
		sd_check_item_cause(it, "config.mailbox-dir");
		sd_check_item_summary(it, "The mailbox %s is set up (%s), but its directory %s %s.", m->address,
				      m->src, m->dir, k == 0 ? "does not exist" : "cannot be looked at");
		sd_check_item_bounce(it, "451 Temporary local problem - please try later");
		sd_check_item_fix(it, "Restore %s from a backup or create the mailbox again, owned by the "
				  "account's user.", m->dir);
		sd_check_item_fix(it, "If the mailbox was deleted on purpose, remove its line at %s.", m->src);
	}
}

smtpdoc_status
sd_audit_check(sd_route_env *e, sd_check_list *out)
{
	sd_audit_routing(e, out);
	sd_audit_mx(e, out);
	sd_audit_targets(e, out);
	sd_audit_mailboxes(e, out);
	if (e->cfg->nomem)
		return SMTPDOC_ENOMEM;
	return sd_check_list_status(out);
}
