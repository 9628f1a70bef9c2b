/*
 * audit_route_mta.c - the MTA-specific half of `smtpdoc route`: how
 * cPanel's Exim and Postfix handle a local part of a domain they know
 * (the order of lookups is described in audit_route.c's head comment).
 *
 * Entry points (audit_route_walk.h): sd_route_cpanel, sd_route_postfix.
 * Both add steps to the walk's route and call back into audit_route.c
 * (sd_route_addr) for every address they pass on.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "audit_route_walk.h"

/* ---- cPanel / Exim ----------------------------------------------------------- */

void
sd_route_cpanel(sd_route_walk *w, const char *addr, const char *local, const char *domain, unsigned depth,
		int noalias)
{
	const sd_audit_cfg *c = w->e->cfg;
	const sd_audit_domain *d = sd_audit_domain_find(c, domain);
	const sd_audit_alias *a;
	const sd_audit_mailbox *m;
	sd_route *r = w->r;
	char buf[1024], ext[600];

	if (d && d->alias_of && strcmp(d->alias_of, domain) != 0) {
		smtpdoc_route_step *s = sd_route_step(r, depth, addr, "domain-alias", "ok");
		if (s == NULL)
			return;
		snprintf(buf, sizeof(buf), "%s@%s", local, d->alias_of);
		s->target = sd_route_str(r, "%s", buf);
		s->source = d->alias_src;
		if (depth == 0 && r->domain_class == NULL) {
			r->domain_class = "domain-alias";
			r->why = d->alias_src;
		}
		if (w->nstack < sizeof(w->stack) / sizeof(w->stack[0])) {
			w->stack[w->nstack++] = s->address;
			sd_route_addr(w, buf, depth + 1, noalias);
			w->nstack--;
		}
		return;
	}
	if (sd_route_is_me(c, domain)) {
		/* the server's own names: system aliases, users */
		if (depth == 0 && r->domain_class == NULL) {
			r->domain_class = "local";
			r->why = "this server's host name";
		}
		sd_route_user(w, local, depth, noalias);
		return;
	}
	if (d == NULL || !(d->flags & SD_DOM_LOCAL)) {
		if (depth == 0 && r->domain_class == NULL) {
			r->domain_class = "remote";
			r->why = d && (d->flags & SD_DOM_REMOTE) ? d->src[1] : "not in /etc/localdomains";
		}
		sd_route_remote(w, addr, domain, depth);
		return;
	}
	if (depth == 0 && r->domain_class == NULL) {
		r->domain_class = "local";
		r->why = d->src[0];
	}
	a = noalias ? NULL : sd_audit_alias_find(c, SD_ALIAS_VALIAS, local, domain);
	if (a) {
		sd_route_alias(w, addr, a, depth, "A forwarder.", NULL);
		return;
	}
	if ((m = sd_audit_mailbox_find(c, addr)) != NULL) {
		sd_route_mailbox(w, addr, m->dir, m->src, depth);
		return;
	}
	if (d->owner && strcmp(d->owner, local) == 0) {
		if (!noalias && (a = sd_audit_alias_find(c, SD_ALIAS_FORWARD, local, NULL)) != NULL) {
			sd_route_alias(w, addr, a, depth, "The account's .forward file.", NULL);
			return;
		}
		snprintf(buf, sizeof(buf), "/home/%s/mail", local);
		sd_route_mailbox(w, addr, buf, "/etc/userdomains", depth);
		return;
	}
	/* plus addressing: box+tag@domain is box@domain */
	if (sd_audit_ext_split(c->delims, addr, buf, sizeof(buf), ext, sizeof(ext))) {
		smtpdoc_route_step *s = sd_route_ext_step(w, addr, buf, ext, depth);
		if (s && sd_route_push(w, s->address) == 0) {
			sd_route_addr(w, buf, depth + 1, noalias);
			w->nstack--;
		}
		return;
	}
	a = noalias ? NULL : sd_audit_alias_find(c, SD_ALIAS_VALIAS, "*", domain);
	if (a) {
		sd_route_alias(w, addr, a, depth, "The domain's catch-all (default address).", NULL);
		return;
	}
	sd_route_unknown(w, addr, depth, "550 No Such User Here",
			 sd_route_str(r, "%s is local, but no forwarder, mailbox or catch-all takes %s.", domain,
				      addr));
}

/* ---- Postfix --------------------------------------------------------------- */

/* sd_route_self_only - the alias lists exactly its own address */
static int
sd_route_self_only(const sd_audit_alias *a, const char *addr)
{
	return a->ntargets == 1 && strcmp(a->targets[0], addr) == 0;
}

/* sd_route_pf_valias - the virtual alias of addr in Postfix's order
 * (virtual(5)): user+ext@domain (in the plain tables, then the pattern
 * tables), user@domain, then for a local domain user+ext and user, then
 * @domain. *by_base is set when the match was for the address without
 * its extension (base). A pattern's alias is built in *tmp. */
static const sd_audit_alias *
sd_route_pf_valias(sd_route_walk *w, const char *addr, const char *local, const char *domain, int local_dom,
		   const char *base, int *by_base, sd_audit_alias *tmp)
{
	const sd_audit_cfg *c = w->e->cfg;
	const sd_audit_alias *a;
	char key[600];

	*by_base = 0;
	if ((a = sd_audit_alias_find(c, SD_ALIAS_VIRTUAL, addr, NULL)) != NULL)
		return a;
	/* pattern tables see the whole address only (regexp_table(5)) */
	if ((a = sd_route_re_alias(w, SD_RETAB_VALIAS, addr, tmp)) != NULL)
		return a;
	if (base && (a = sd_audit_alias_find(c, SD_ALIAS_VIRTUAL, base, NULL)) != NULL) {
		*by_base = 1;
		return a;
	}
	if (local_dom && (a = sd_audit_alias_find(c, SD_ALIAS_VIRTUAL, local, NULL)) != NULL)
		return a;
	if (local_dom && base) {
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(base, "@"), base);
		if ((a = sd_audit_alias_find(c, SD_ALIAS_VIRTUAL, key, NULL)) != NULL) {
			*by_base = 1;
			return a;
		}
	}
	snprintf(key, sizeof(key), "@%s", domain);
	return sd_audit_alias_find(c, SD_ALIAS_VIRTUAL, key, NULL);
}

/* sd_route_pf_alias - a virtual alias step; when it matched the address
 * without its extension, first the step that strips it */
static void
sd_route_pf_alias(sd_route_walk *w, const char *addr, const sd_audit_alias *a, unsigned depth, const char *base,
		  const char *ext)
{
	const char *note = a->kind == SD_ALIAS_REGEXP ? "A virtual alias (a pattern of virtual_alias_maps)."
						       : "A virtual alias (virtual_alias_maps).";
	smtpdoc_route_step *s;

	if (base == NULL) {
		sd_route_alias(w, addr, a, depth, note, NULL);
		return;
	}
	s = sd_route_ext_step(w, addr, base, ext, depth);
	if (s && sd_route_push(w, s->address) == 0) {
		sd_route_alias(w, base, a, depth + 1, note, w->e->cfg->propagate_ext ? ext : NULL);
		w->nstack--;
	}
}

/* sd_route_re_mailbox - addr's mailbox from a pattern table of
 * virtual_mailbox_maps: 1 when one matched (the mailbox step is added) */
static int
sd_route_re_mailbox(sd_route_walk *w, const char *addr, unsigned depth)
{
	const sd_audit_cfg *c = w->e->cfg;
	char res[SD_AUDIT_MAX_LINE], dir[SD_AUDIT_MAX_LINE + 1100];
	const char *src;

	if (sd_audit_re_find(c, SD_RETAB_MAILBOX, addr, res, sizeof(res), &src) != 1)
		return 0;
	if (res[0] == '/')
		snprintf(dir, sizeof(dir), "%s", res);
	else
		snprintf(dir, sizeof(dir), "%s/%s", c->virtual_mailbox_base ? c->virtual_mailbox_base : "", res);
	sd_route_mailbox(w, addr, dir, src, depth);
	return 1;
}

void
sd_route_postfix(sd_route_walk *w, const char *addr, const char *local, const char *domain, unsigned depth,
		 int noalias)
{
	const sd_audit_cfg *c = w->e->cfg;
	const sd_audit_domain *d = sd_audit_domain_find(c, domain);
	unsigned flags = d ? d->flags : 0;
	const sd_audit_alias *a = NULL;
	const sd_audit_mailbox *m;
	sd_route *r = w->r;
	char key[600], base[600], ext[600];
	const char *cls, *why;
	sd_audit_alias tmp;
	int has_ext = sd_audit_ext_split(c->delims, addr, base, sizeof(base), ext, sizeof(ext)), by_base = 0;

	if (!noalias)
		a = sd_route_pf_valias(w, addr, local, domain, (flags & SD_DOM_LOCAL) != 0, has_ext ? base : NULL,
				       &by_base, &tmp);
	if (flags & SD_DOM_LOCAL) {
		cls = "local";
		why = d->src[0];
	} else if (flags & SD_DOM_VALIAS) {
		cls = "virtual-alias";
		why = d->src[3];
	} else if (flags & SD_DOM_VMAILBOX) {
		cls = "virtual-mailbox";
		why = d->src[2];
	} else {
		cls = "remote";
		why = flags & SD_DOM_REMOTE ? d->src[1] : "not in mydestination, virtual_alias_domains or "
							  "virtual_mailbox_domains";
	}
	if (depth == 0 && r->domain_class == NULL) {
		r->domain_class = cls;
		r->why = why;
	}
	if (a && !sd_route_self_only(a, by_base ? base : addr)) {
		sd_route_pf_alias(w, addr, a, depth, by_base ? base : NULL, ext);
		return;
	}
	if (strcmp(cls, "local") == 0) {
		sd_route_user(w, local, depth, noalias);
		return;
	}
	if (strcmp(cls, "virtual-alias") == 0) {
		sd_route_unknown(w, addr, depth,
				 sd_route_str(r, "550 5.1.1 <%s>: Recipient address rejected: User unknown in "
					      "virtual alias table", addr),
				 sd_route_str(r, "%s is a virtual alias domain, and no virtual alias takes %s.",
					      domain, addr));
		return;
	}
	if (strcmp(cls, "virtual-mailbox") == 0) {
		/* virtual(8): user+ext@domain (plain tables, then pattern
		 * tables), user@domain, @domain */
		m = sd_audit_mailbox_find(c, addr);
		if (m == NULL && sd_route_re_mailbox(w, addr, depth))
			return;
		if (m == NULL && has_ext && (m = sd_audit_mailbox_find(c, base)) != NULL) {
			smtpdoc_route_step *s = sd_route_ext_step(w, addr, base, ext, depth);
			if (s && sd_route_push(w, s->address) == 0) {
				sd_route_mailbox(w, base, m->dir, m->src, depth + 1);
				w->nstack--;
			}
			return;
		}
		if (m == NULL) {
			snprintf(key, sizeof(key), "@%s", domain);
			m = sd_audit_mailbox_find(c, key);
		}
		if (m) {
			sd_route_mailbox(w, addr, m->dir, m->src, depth);
			return;
		}
		sd_route_unknown(w, addr, depth,
				 sd_route_str(r, "550 5.1.1 <%s>: Recipient address rejected: User unknown in "
					      "virtual mailbox table", addr),
				 sd_route_str(r, "%s is a virtual mailbox domain, and neither "
					      "virtual_mailbox_maps nor virtual_alias_maps has %s.", domain, addr));
		return;
	}
	sd_route_remote(w, addr, domain, depth);
}
