/*
 * audit_route.c - how the configured server would handle one address,
 * like `exim -bt` or `sendmail -bv`, from the model alone.
 *
 * Entry points (audit.h): sd_route_run, sd_route_free, sd_route_dns_get,
 * sd_route_env_free. The lookups particular to cPanel and to Postfix are
 * in audit_route_mta.c; audit_route_walk.h is what the two share.
 *
 * cPanel/Exim: a domain alias (/etc/vdomainaliases) is followed first;
 * then the domain is local when /etc/localdomains lists it, else its mail
 * goes to its MX. For a local address: the forwarder in
 * /etc/valiases/DOMAIN, else the mailbox (/home/USER/etc/DOMAIN/passwd),
 * else the account's own address (user@domain), else, for box+tag, the
 * address without "+tag" (plus addressing), else the catch-all "*", else
 * "550 No Such User Here". The account's own address and a user name
 * go through the user's .forward first. A bare name, or any name at this
 * server's host name or localhost, is a system alias (/etc/aliases, then
 * /etc/localaliases), else the user's .forward, else a system user.
 * Postfix: virtual_alias_maps in virtual(5)'s order (user+ext@domain,
 * user@domain, for a local domain user+ext and user, then @domain; an
 * extension that only the shorter key matched is copied to the targets
 * when propagate_unmatched_extensions says "virtual"); then the domain
 * class in Postfix's order: mydestination (alias_maps for the whole name,
 * then for the name without its extension, then the user's .forward,
 * then the user's mailbox),
 * virtual_alias_domains, virtual_mailbox_domains (virtual_mailbox_maps:
 * user+ext@domain, user@domain, @domain), relay_domains and everything
 * else to the MX. An alias that lists its own address delivers that
 * address without aliasing it again. Stripping an extension is a step of
 * its own ("extension"), one level deeper, like an alias; a .forward is a
 * "forward" step whose addresses are followed like an alias's (the same
 * loop detection); its commands, files and :include: lists are shown,
 * not followed.
 *
 * Alias targets are followed depth first. A target that is already on
 * the chain above it is a loop; chains deeper than SD_ROUTE_MAX_DEPTH
 * and routes longer than SD_ROUTE_MAX_STEPS steps are cut with a step
 * saying so. MX answers come from sd_dnscheck_local_mx (is the most
 * preferred MX this server?), once per domain.
 *
 * Ownership: a route's steps and strings live in its arena (sd_route_free).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "audit_route_walk.h"


/* ---- steps ---------------------------------------------------------------- */

const char *
sd_route_str(sd_route *r, const char *fmt, ...)
{
	char buf[2048];
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s = sd_arena_strdup(r->arena, buf);
	if (s == NULL)
		r->nomem = 1;
	return s;
}

smtpdoc_route_step *
sd_route_step(sd_route *r, unsigned depth, const char *addr, const char *action, const char *result)
{
	smtpdoc_route_step *s;

	if (r->n >= SD_ROUTE_MAX_STEPS) {
		r->truncated = 1;
		return NULL;
	}
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		void *p = realloc(r->steps, ncap * sizeof(*r->steps));
		if (p == NULL) {
			r->nomem = 1;
			return NULL;
		}
		r->steps = p;
		r->cap = ncap;
	}
	s = &r->steps[r->n++];
	memset(s, 0, sizeof(*s));
	s->depth = depth;
	s->address = sd_arena_strdup(r->arena, addr);
	s->action = action;
	s->result = result;
	if (s->address == NULL)
		r->nomem = 1;
	return s;
}

/* sd_route_fail - mark step s failed with reply and cause; the first
 * failure of the route also gives its fix steps */
void
sd_route_fail(sd_route *r, smtpdoc_route_step *s, const char *reply, const char *cause, const char *fix1,
	      const char *fix2)
{
	int first = 1;
	size_t i;

	for (i = 0; i + 1 < r->n; i++)
		if (strcmp(r->steps[i].result, "fail") == 0)
			first = 0;
	s->result = "fail";
	s->reply = reply;
	s->cause = cause;
	if (first && r->nfix == 0) {
		if (fix1)
			r->fix[r->nfix++] = fix1;
		if (fix2)
			r->fix[r->nfix++] = fix2;
	}
}

/* sd_route_push - put addr on the chain above the next level; -1 when full */
int
sd_route_push(sd_route_walk *w, const char *addr)
{
	if (w->nstack >= sizeof(w->stack) / sizeof(w->stack[0]))
		return -1;
	w->stack[w->nstack++] = addr;
	return 0;
}

/* sd_route_ext_step - the step that strips the extension ext from addr,
 * leaving base; the caller routes base one level deeper, with addr
 * pushed on the chain. NULL when no step can be added. */
smtpdoc_route_step *
sd_route_ext_step(sd_route_walk *w, const char *addr, const char *base, const char *ext, unsigned depth)
{
	const sd_audit_cfg *c = w->e->cfg;
	smtpdoc_route_step *s = sd_route_step(w->r, depth, addr, "extension", "ok");

	if (s == NULL)
		return NULL;
	s->target = sd_route_str(w->r, "%s", base);
	s->source = c->delims_src;
	s->note = c->cpanel ? sd_route_str(w->r, "The address extension %s is stripped (plus addressing).", ext)
			    : sd_route_str(w->r, "No entry for the whole address: the extension %s is stripped "
					   "(recipient_delimiter).", ext);
	return s;
}

/* ---- DNS ----------------------------------------------------------------- */

const sd_route_dns *
sd_route_dns_get(sd_route_env *e, const char *domain)
{
	sd_check_list l = SD_CHECK_LIST_INIT;
	sd_route_dns *d;
	sd_buf mx;
	size_t i, k;

	if (e->lookup == NULL)
		return NULL;
	for (i = 0; i < e->ncache; i++)
		if (strcmp(e->cache[i].domain, domain) == 0)
			return &e->cache[i];
	if (e->ncache == e->capcache) {
		size_t ncap = e->capcache ? e->capcache * 2 : 16;
		void *p = realloc(e->cache, ncap * sizeof(*e->cache));
		if (p == NULL)
			return NULL;
		e->cache = p;
		e->capcache = ncap;
	}
	d = &e->cache[e->ncache];
	memset(d, 0, sizeof(*d));
	if ((d->domain = strdup(domain)) == NULL)
		return NULL;
	sd_dnscheck_local_mx(e->lookup, e->lctx, domain, e->locals, e->nlocals, &l);
	d->status = SD_CHECK_UNKNOWN;
	sd_buf_init(&mx, 4096);
	if (l.n > 0) {
		const sd_check_item *it = l.v[0];
		d->status = it->status;
		d->here = it->status == SD_CHECK_PASS;
		d->cause = it->cause ? strdup(it->cause) : NULL;
		for (k = 0; k < it->ndetails; k++) {
			if (strcmp(it->details[k].key, "mx") != 0)
				continue;
			if (mx.len)
				sd_buf_adds(&mx, ", ");
			sd_buf_adds(&mx, it->details[k].value);
		}
	}
	d->mx = mx.len ? strdup(mx.data) : NULL;
	sd_buf_free(&mx);
	sd_check_list_free(&l);
	e->ncache++;
	return d;
}

void
sd_route_env_free(sd_route_env *e)
{
	size_t i;

	for (i = 0; i < e->ncache; i++) {
		free(e->cache[i].domain);
		free(e->cache[i].cause);
		free(e->cache[i].mx);
	}
	free(e->cache);
	e->cache = NULL;
	e->ncache = e->capcache = 0;
}

void
sd_route_remote(sd_route_walk *w, const char *addr, const char *domain, unsigned depth)
{
	sd_route *r = w->r;
	const sd_route_dns *d = sd_route_dns_get(w->e, domain);
	smtpdoc_route_step *s = sd_route_step(r, depth, addr, "remote", "ok");
	int exim = w->e->cfg->cpanel;

	if (s == NULL)
		return;
	if (d == NULL) {
		s->result = "unknown";
		s->note = sd_route_str(r, "Sent on to the MX hosts of %s (not looked up: no DNS).", domain);
		return;
	}
	s->target = d->mx ? sd_route_str(r, "%s", d->mx) : NULL;
	if (d->here) {
		s->note = sd_route_str(r, "The most preferred MX of %s is this server itself, which does not "
				       "deliver %s locally: the mail would loop.", domain, domain);
		sd_route_fail(r, s,
			      exim ? sd_route_str(r, "550 <%s>: lowest numbered MX record points to local host",
						  addr)
				   : sd_route_str(r, "554 5.4.6 <%s>: mail for %s loops back to myself", addr,
						  domain),
			      "config.mx-loop",
			      sd_route_str(r, "If this server should deliver %s's mail, add %s to %s.", domain,
					   domain, exim ? "/etc/localdomains (Email Routing: Local Mail "
							  "Exchanger)" : "mydestination or virtual_mailbox_domains"),
			      sd_route_str(r, "Otherwise point the MX records of %s at the server that holds "
					   "its mailboxes.", domain));
	} else if (d->cause && strcmp(d->cause, "domain.unknown") == 0) {
		s->note = sd_route_str(r, "%s has no MX record and no address (or does not exist).", domain);
		sd_route_fail(r, s,
			      exim ? sd_route_str(r, "550 <%s>: Unrouteable address", addr)
				   : sd_route_str(r, "550 5.1.2 <%s>: Host or domain name not found. Name service "
						  "error for name=%s type=MX: Host not found", addr, domain),
			      "domain.unknown",
			      sd_route_str(r, "Check the spelling of %s in the alias or address.", domain),
			      sd_route_str(r, "If the domain is right, its owner must renew it or add MX "
					   "records."));
	} else if (d->cause && strcmp(d->cause, "domain.not-accepting") == 0) {
		s->note = sd_route_str(r, "%s publishes a null MX: it accepts no mail.", domain);
		sd_route_fail(r, s, sd_route_str(r, "556 5.1.10 <%s>: Recipient address has null MX", addr),
			      "domain.not-accepting",
			      sd_route_str(r, "Use another address: %s receives no mail.", domain), NULL);
	} else if (d->status == SD_CHECK_UNKNOWN) {
		s->result = "unknown";
		s->note = sd_route_str(r, "The MX records of %s could not be looked up just now.", domain);
	} else if (d->status == SD_CHECK_WARN) {
		s->result = "warn";
		s->note = sd_route_str(r, "A backup MX of %s is this server; the most preferred one is "
				       "elsewhere.", domain);
	} else {
		s->note = sd_route_str(r, "Sent on to the MX hosts of %s.", domain);
	}
}

/* ---- targets --------------------------------------------------------------- */

static void
sd_route_targets(sd_route_walk *w, const sd_audit_alias *a, const char *self, unsigned depth, const char *ext)
{
	sd_route *r = w->r;
	char with_ext[600];
	size_t i;

	if (w->nstack >= sizeof(w->stack) / sizeof(w->stack[0]))
		return;
	w->stack[w->nstack++] = self;
	for (i = 0; i < a->ntargets && !r->nomem; i++) {
		const char *t = a->targets[i];
		smtpdoc_route_step *s;

		if (sd_strcaseprefix(t, ":fail:") || sd_strcaseprefix(t, ":defer:")) {
			int fail = sd_strcaseprefix(t, ":fail:");
			const char *text = t + (fail ? 6 : 7);
			while (*text == ' ' || *text == '\t')
				text++;
			if ((s = sd_route_step(r, depth + 1, self, "fail", "fail")) == NULL)
				break;
			s->source = a->src;
			s->note = fail ? "The forwarder refuses this address on purpose (:fail:)."
				       : "The forwarder defers this address on purpose (:defer:).";
			sd_route_fail(r, s, sd_route_str(r, "%s %s", fail ? "550" : "451",
							  text[0] ? text : "No Such User Here"),
				      fail ? "mailbox.unknown" : NULL,
				      sd_route_str(r, "If %s should receive mail, replace the :fail: entry at "
						   "%s by a mailbox or a forwarder.", self, a->src), NULL);
			if (!fail)
				s->result = "warn";
		} else if (sd_strcaseprefix(t, ":blackhole:")) {
			if ((s = sd_route_step(r, depth + 1, self, "discard", "ok")) == NULL)
				break;
			s->source = a->src;
			s->note = "Accepted and thrown away (:blackhole:): nobody reads it.";
		} else if (sd_strcaseprefix(t, ":include:")) {
			if ((s = sd_route_step(r, depth + 1, self, "include", "ok")) == NULL)
				break;
			s->target = t + 9;
			s->source = a->src;
			s->note = "A list of addresses in another file (:include:); not followed from here.";
		} else if (t[0] == '|') {
			if ((s = sd_route_step(r, depth + 1, self, "pipe", "ok")) == NULL)
				break;
			s->target = t + 1;
			s->source = a->src;
		} else if (t[0] == '/') {
			if ((s = sd_route_step(r, depth + 1, self, "file", "ok")) == NULL)
				break;
			s->target = t;
			s->source = a->src;
		} else if (strcmp(t, self) == 0 || (t[0] == '\\' && strcmp(t + 1, self) == 0)) {
			sd_route_addr(w, self, depth + 1, 1); /* a copy kept at the address itself */
		} else if (t[0] == '\\') {
			sd_route_addr(w, t + 1, depth + 1, 1);
		} else if (ext && sd_audit_ext_add(t, ext, with_ext, sizeof(with_ext)) == 0) {
			sd_route_addr(w, with_ext, depth + 1, 0); /* propagate_unmatched_extensions */
		} else {
			sd_route_addr(w, t, depth + 1, 0);
		}
	}
	w->nstack--;
}

/* sd_route_alias - an alias step for a, then its targets (with ext, when
 * not NULL, added to each address target) */
void
sd_route_alias(sd_route_walk *w, const char *addr, const sd_audit_alias *a, unsigned depth, const char *note,
	       const char *ext)
{
	sd_route *r = w->r;
	int catchall = a->kind != SD_ALIAS_FORWARD && (strcmp(a->key, "*") == 0 || a->key[0] == '@');
	smtpdoc_route_step *s = sd_route_step(r, depth, addr,
					      a->kind == SD_ALIAS_FORWARD ? "forward"
					      : catchall		   ? "catch-all"
									   : "alias",
					      "ok");
	sd_buf b;
	size_t i;

	if (s == NULL)
		return;
	sd_buf_init(&b, 4096);
	for (i = 0; i < a->ntargets; i++) {
		if (i)
			sd_buf_adds(&b, ", ");
		sd_buf_adds(&b, a->targets[i]);
	}
	s->target = sd_route_str(r, "%s", b.data ? b.data : "");
	sd_buf_free(&b);
	s->source = a->src;
	s->note = note;
	sd_route_targets(w, a, s->address, depth, ext);
}

/* sd_route_mailbox - deliver into dir (as configured on the server) */
void
sd_route_mailbox(sd_route_walk *w, const char *addr, const char *dir, const char *src, unsigned depth)
{
	sd_route *r = w->r;
	smtpdoc_route_step *s = sd_route_step(r, depth, addr, "mailbox", "ok");
	int k;

	if (s == NULL)
		return;
	s->target = sd_route_str(r, "%s", dir);
	s->source = src;
	k = sd_audit_stat(w->e->cfg, dir);
	if (k == 1) {
		char sub[2048];
		const char *const parts[] = {"cur", "new", "tmp"};
		size_t i, have = 0;
		for (i = 0; i < 3; i++) {
			snprintf(sub, sizeof(sub), "%s/%s", dir, parts[i]);
			if (sd_audit_stat(w->e->cfg, sub) == 1)
				have++;
		}
		if (have != 3) {
			s->result = "warn";
			s->note = "The mailbox directory is not a complete Maildir (cur, new, tmp).";
		}
		return;
	}
	if (k == 2) {
		s->note = "The mailbox is a file (mbox).";
		return;
	}
	s->note = k == 0 ? "The mailbox directory does not exist." : "The mailbox directory cannot be looked at.";
	sd_route_fail(r, s, "451 Temporary local problem - please try later", "config.mailbox-dir",
		      sd_route_str(r, "Create the mailbox again (cPanel: Email Accounts) or restore %s "
				   "from a backup, owned by the account's user.", dir),
		      "If the mailbox was deleted on purpose, remove its entry too.");
}

void
sd_route_unknown(sd_route_walk *w, const char *addr, unsigned depth, const char *reply, const char *why)
{
	smtpdoc_route_step *s = sd_route_step(w->r, depth, addr, "unknown-user", "fail");

	if (s == NULL)
		return;
	s->note = why;
	sd_route_fail(w->r, s, reply, "mailbox.unknown",
		      sd_route_str(w->r, "Create a mailbox or a forwarder for %s, or correct the alias that "
				   "sends mail to it.", addr), NULL);
}

/* sd_route_re_alias - the first rule of the regexp:/pcre: tables of use
 * that matches key, as an alias in *tmp (its targets split from the
 * result); NULL when none matches */
const sd_audit_alias *
sd_route_re_alias(sd_route_walk *w, int use, const char *key, sd_audit_alias *tmp)
{
	char res[SD_AUDIT_MAX_LINE];
	const char *src, *parts[SD_AUDIT_MAX_TARGETS], **t;
	int n;

	if (sd_audit_re_find(w->e->cfg, use, key, res, sizeof(res), &src) != 1)
		return NULL;
	n = sd_audit_split(w->e->cfg, res, use == SD_RETAB_VALIAS, parts, SD_AUDIT_MAX_TARGETS);
	if (n <= 0)
		return NULL;
	if ((t = sd_arena_alloc(w->r->arena, (size_t)n * sizeof(*t))) == NULL) {
		w->r->nomem = 1;
		return NULL;
	}
	memcpy(t, parts, (size_t)n * sizeof(*t));
	memset(tmp, 0, sizeof(*tmp));
	tmp->kind = SD_ALIAS_REGEXP;
	tmp->key = sd_route_str(w->r, "%s", key);
	tmp->targets = t;
	tmp->ntargets = (size_t)n;
	tmp->src = src;
	return tmp->key ? tmp : NULL;
}

/* ---- local names --------------------------------------------------------- */

void
sd_route_user(sd_route_walk *w, const char *name, unsigned depth, int noalias)
{
	const sd_audit_cfg *c = w->e->cfg;
	const sd_audit_alias *a = noalias ? NULL : sd_audit_alias_find(c, SD_ALIAS_SYSTEM, name, NULL);
	const sd_audit_user *u;
	char base[600], ext[600];
	sd_audit_alias tmp;
	size_t i;

	if (a == NULL && !c->cpanel && !noalias)
		a = sd_route_re_alias(w, SD_RETAB_ALIASES, name, &tmp);

	if (a == NULL && c->cpanel && !noalias)
		a = sd_audit_alias_find(c, SD_ALIAS_LOCAL, name, NULL);
	if (a) {
		sd_route_alias(w, name, a, depth,
			       a->kind == SD_ALIAS_LOCAL    ? "An alias of this server's own names (/etc/localaliases)."
			       : a->kind == SD_ALIAS_REGEXP ? "A system alias (a pattern of alias_maps)."
							    : "A system alias.",
			       NULL);
		return;
	}
	/* Postfix local(8): aliases for the whole name, then for the name
	 * without its extension, whose .forward and mailbox it is */
	if (!c->cpanel && sd_audit_ext_split(c->delims, name, base, sizeof(base), ext, sizeof(ext))) {
		smtpdoc_route_step *s = sd_route_ext_step(w, name, base, ext, depth);
		if (s && sd_route_push(w, s->address) == 0) {
			sd_route_user(w, base, depth + 1, noalias);
			w->nstack--;
		}
		return;
	}
	/* the user's own .forward (Postfix local(8), Exim userforward) */
	if (!noalias && (a = sd_audit_alias_find(c, SD_ALIAS_FORWARD, name, NULL)) != NULL) {
		sd_route_alias(w, name, a, depth, "The user's .forward file.", NULL);
		return;
	}
	u = sd_audit_user_find(c, name);
	for (i = 0; u == NULL && c->cpanel && i < c->ndom; i++)
		if (c->dom[i].owner && strcmp(c->dom[i].owner, name) == 0) {
			char dir[1024];
			snprintf(dir, sizeof(dir), "/home/%s/mail", name);
			sd_route_mailbox(w, name, dir, "/etc/userdomains", depth);
			return;
		}
	if (u) {
		char dir[1024];
		if (c->cpanel)
			snprintf(dir, sizeof(dir), "%s/mail", u->home ? u->home : "/home");
		else if (c->home_mailbox && c->home_mailbox[0])
			snprintf(dir, sizeof(dir), "%s/%s", u->home ? u->home : "", c->home_mailbox);
		else
			snprintf(dir, sizeof(dir), "/var/mail/%s", name);
		/* an mbox file may not exist before the first delivery */
		if (!c->cpanel && !(c->home_mailbox && c->home_mailbox[0])) {
			smtpdoc_route_step *s = sd_route_step(w->r, depth, name, "mailbox", "ok");
			if (s) {
				s->target = sd_route_str(w->r, "%s", dir);
				s->source = u->src;
			}
			return;
		}
		sd_route_mailbox(w, name, dir, u->src, depth);
		return;
	}
	if (c->cpanel)
		sd_route_unknown(w, name, depth, "550 No Such User Here",
				 "No system alias or user of this name.");
	else
		sd_route_unknown(w, name, depth,
				 sd_route_str(w->r, "550 5.1.1 <%s@%s>: Recipient address rejected: User unknown "
					      "in local recipient table", name,
					      c->myhostname ? c->myhostname : "localhost"),
				 "No alias (alias_maps) or system user of this name.");
}

/* sd_route_is_me - domain is this server's host name or localhost */
int
sd_route_is_me(const sd_audit_cfg *c, const char *domain)
{
	return strcmp(domain, "localhost") == 0 || (c->myhostname && strcasecmp(c->myhostname, domain) == 0);
}

/* ---- one address --------------------------------------------------------------- */

void
sd_route_addr(sd_route_walk *w, const char *in, unsigned depth, int noalias)
{
	sd_route *r = w->r;
	char addr[600], *at;
	size_t i, n;

	if (r->nomem || r->truncated)
		return;
	while (*in == ' ' || *in == '<')
		in++;
	n = strlen(in);
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '>'))
		n--;
	if (n == 0 || n >= sizeof(addr)) {
		smtpdoc_route_step *s = sd_route_step(r, depth, n ? "(too long)" : "(empty)", "fail", "fail");
		if (s)
			sd_route_fail(r, s, "501 5.1.3 Bad recipient address syntax", "address.syntax", NULL, NULL);
		return;
	}
	memcpy(addr, in, n);
	addr[n] = '\0';
	sd_lower(addr);
	for (i = 0; i < w->nstack; i++)
		if (strcmp(w->stack[i], addr) == 0 && !noalias) {
			smtpdoc_route_step *s = sd_route_step(r, depth, addr, "loop", "fail");
			if (s == NULL)
				return;
			s->target = w->stack[i];
			s->note = sd_route_str(r, "The alias chain comes back to %s: the aliases loop.", addr);
			sd_route_fail(r, s,
				      w->e->cfg->cpanel
					      ? sd_route_str(r, "550 <%s>: aliasing/forwarding loop", addr)
					      : sd_route_str(r, "554 5.4.6 <%s>: mail forwarding loop", addr),
				      "config.alias-loop",
				      sd_route_str(r, "Break the loop: make one of the aliases in the chain end at "
						   "a mailbox instead of pointing back to %s.", addr), NULL);
			return;
		}
	if (depth > SD_ROUTE_MAX_DEPTH) {
		smtpdoc_route_step *s = sd_route_step(r, depth, addr, "depth-limit", "fail");
		if (s) {
			s->note = sd_route_str(r, "More than %d aliases in a row; the chain is not followed "
					       "further.", SD_ROUTE_MAX_DEPTH);
			sd_route_fail(r, s, sd_route_str(r, "554 5.4.6 <%s>: too many levels of aliases", addr),
				      "config.alias-loop", "Shorten the alias chain.", NULL);
		}
		return;
	}
	at = strrchr(addr, '@');
	if (at == NULL) {
		if (w->e->cfg->cpanel || w->e->cfg->postfix)
			sd_route_user(w, addr, depth, noalias);
		return;
	}
	{
		char full[600];
		memcpy(full, addr, n + 1);
		*at = '\0';
		if (addr[0] == '\0' || at[1] == '\0') {
			smtpdoc_route_step *s = sd_route_step(r, depth, full, "fail", "fail");
			if (s)
				sd_route_fail(r, s, "501 5.1.3 Bad recipient address syntax", "address.syntax",
					      NULL, NULL);
			return;
		}
		if (w->e->cfg->cpanel)
			sd_route_cpanel(w, full, addr, at + 1, depth, noalias);
		else
			sd_route_postfix(w, full, addr, at + 1, depth, noalias);
	}
}

int
sd_route_run(sd_route_env *e, const char *address, const char *parent, sd_route *r)
{
	sd_route_walk w;

	memset(&w, 0, sizeof(w));
	w.e = e;
	w.r = r;
	if (r->arena == NULL && (r->arena = sd_arena_new()) == NULL)
		return -1;
	if (parent)
		w.stack[w.nstack++] = parent;
	sd_route_addr(&w, address, parent ? 1 : 0, 0);
	if (r->domain_class == NULL)
		r->domain_class = "none";
	return r->nomem ? -1 : 0;
}

int
sd_route_passes_on(const char *action)
{
	return strcmp(action, "domain-alias") == 0 || strcmp(action, "catch-all") == 0 ||
	       strcmp(action, "extension") == 0;
}

void
sd_route_free(sd_route *r)
{
	if (r == NULL)
		return;
	free(r->steps);
	sd_arena_free(r->arena);
	memset(r, 0, sizeof(*r));
}
