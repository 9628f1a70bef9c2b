/*
 * spf_lint.c - a static look at a domain's SPF record tree, without a
 * client IP: what every check will run into, whoever sends.
 *
 * Entry point (spf.h): sd_spf_lint; the result is freed with
 * sd_spf_lint_free().
 *
 * The walk fetches the domain's record (or takes the one given), parses
 * it, and follows every include and the redirect (when no "all" makes it
 * dead), depth first, in record order. For each record it counts the
 * DNS-querying terms a check would evaluate if no mechanism matched: the
 * include, a, mx, ptr and exists mechanisms before the first "all", and a
 * live redirect (RFC 7208 4.6.4); a record's total adds the totals of the
 * records it reaches. A target whose domain-spec uses macros other than
 * %{d} and %{o} depends on the sender or the client and is not followed
 * (the count is then a lower bound, lookups_exact 0). The a and mx
 * targets without such macros are looked up once to find names that do
 * not exist (void lookups when evaluated, limit 2) and mx targets with
 * more than 10 names (a permerror).
 *
 * Issues (code, severity): no-record (error), multiple-records (error),
 * dns-error (warning), syntax (error), too-many-lookups (error),
 * include-none (error), redirect-none (error), loop (error),
 * void-lookups (error: more than 2 void targets), void-target (warning),
 * too-many-mx (error), ptr (warning: deprecated, 5.5), open-all ("+all"
 * in the domain's policy or in a record it includes with "+", error), neutral-all ("?all" in the domain's own policy, warning), no-all
 * (the policy ends without "all" or redirect: warning), redirect-ignored
 * (warning), after-all (terms after "all" are never used: warning),
 * macro-target (info), walk-capped (info), long-record (info: more than
 * SD_SPF_LINT_LONG_RECORD bytes).
 *
 * Bounds: SD_SPF_LINT_MAX_NODES records, SD_SPF_LINT_MAX_DEPTH levels,
 * SD_SPF_LINT_MAX_QUERIES queries, SD_SPF_LINT_MAX_ISSUES issues; a loop
 * of includes is found by looking up the chain of parents.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf_internal.h"

typedef struct sd_spf_walk {
	sd_dns_lookup_fn lookup;
	void *lctx;
	sd_spf_lint_report *l;
	struct sd_spf_priv *priv;
	sd_arena *a;
	int queries;
	int nomem;
	int capped;          /* "walk-capped" was reported */
	sd_spf_ip noip;      /* macros of the lint never read the IP */
} sd_spf_walk;

static void SD_SPF_PRINTF(6, 7)
sd_spf_issue_add(sd_spf_walk *w, sd_spf_severity sev, const char *code, const char *domain,
		 const sd_spf_term *t, const char *fmt, ...)
{
	sd_spf_lint_report *l = w->l;
	struct sd_spf_priv *p = w->priv;
	sd_spf_issue *is;
	char msg[1024];
	va_list ap;

	if (sev == SD_SPF_ERROR)
		l->errors++;
	else if (sev == SD_SPF_WARNING)
		l->warnings++;
	if (l->nissues >= SD_SPF_LINT_MAX_ISSUES)
		return;
	if (l->nissues == p->icap) {
		size_t cap = p->icap ? p->icap * 2 : 16;
		sd_spf_issue *v = realloc(p->issues, cap * sizeof(*v));

		if (v == NULL) {
			w->nomem = 1;
			return;
		}
		p->issues = v;
		p->icap = cap;
		l->issues = v;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	is = &l->issues[l->nissues++];
	is->severity = sev;
	is->code = code;
	is->domain = domain;
	is->term = t ? t->text : NULL;
	is->offset = t ? t->offset : 0;
	is->message = sd_arena_strdup(w->a, msg);
	if (is->message == NULL)
		w->nomem = 1;
}

/* May one more query be made? */
static int
sd_spf_walk_query_ok(sd_spf_walk *w)
{
	if (w->queries < SD_SPF_LINT_MAX_QUERIES) {
		w->queries++;
		return 1;
	}
	if (!w->capped) {
		w->capped = 1;
		sd_spf_issue_add(w, SD_SPF_INFO, "walk-capped", w->l->domain, NULL,
				 "the walk stopped after %d DNS queries; some targets were not "
				 "looked at", SD_SPF_LINT_MAX_QUERIES);
	}
	return 0;
}

/* Does the domain-spec use only %{d}, %{o} (and %%, %_, %-)? */
static int
sd_spf_spec_static(const char *s)
{
	for (; *s; s++)
		if (s[0] == '%' && s[1] == '{' && sd_tolower((unsigned char)s[2]) != 'd' &&
		    sd_tolower((unsigned char)s[2]) != 'o')
			return 0;
	return 1;
}

/* The target of a term for the walk, or NULL (issue noted). */
static const char *
sd_spf_walk_target(sd_spf_walk *w, const sd_spf_term *t, const char *domain)
{
	sd_spf_macro_env env;
	sd_buf b;
	const char *s;

	if (t->spec == NULL)
		return domain;
	if (!sd_spf_spec_static(t->spec)) {
		sd_spf_issue_add(w, SD_SPF_INFO, "macro-target", domain, t,
				 "the target depends on the sender or the client (macros); it "
				 "cannot be followed without them");
		return NULL;
	}
	memset(&env, 0, sizeof(env));
	env.domain = domain;
	env.sender_domain = w->l->domain;
	env.ip = &w->noip;
	sd_buf_init(&b, SD_SPF_MAX_EXPAND);
	if (sd_spf_macro_expand(&env, t->spec, 0, &b) != 0) {
		if (!b.truncated)
			w->nomem = 1;
		sd_buf_free(&b);
		return NULL;
	}
	sd_spf_name_trim(&b);
	s = sd_arena_strdup(w->a, b.data ? b.data : "");
	if (s == NULL)
		w->nomem = 1;
	sd_buf_free(&b);
	return s;
}

/* Is domain the record of node idx or of one of its parents? */
static int
sd_spf_walk_loops(const sd_spf_lint_report *l, int idx, const char *domain)
{
	while (idx >= 0) {
		if (strcasecmp(l->nodes[idx].domain, domain) == 0)
			return 1;
		idx = l->nodes[idx].parent;
	}
	return 0;
}

/* Look up an a or mx target: void names, mx with too many names. */
static void
sd_spf_walk_probe(sd_spf_walk *w, const sd_spf_term *t, const char *domain, const char *target)
{
	sd_dns_answer *ans;
	size_t i, mx = 0;
	int isvoid = 0;

	if (sd_spf_name_problem(target, 0) != NULL)
		return;
	if (t->kind == SD_SPF_T_A) {
		int k, voids = 0;
		static const int types[2] = {SD_DNS_A, SD_DNS_AAAA};

		for (k = 0; k < 2; k++) {
			if (!sd_spf_walk_query_ok(w))
				return;
			ans = w->lookup(w->lctx, target, types[k]);
			if (ans == NULL) {
				w->nomem = 1;
				return;
			}
			voids += ans->status == SD_DNS_NODATA || ans->status == SD_DNS_NXDOMAIN;
			sd_dns_answer_free(ans);
		}
		isvoid = voids == 2;
	} else {
		if (!sd_spf_walk_query_ok(w))
			return;
		ans = w->lookup(w->lctx, target, SD_DNS_MX);
		if (ans == NULL) {
			w->nomem = 1;
			return;
		}
		isvoid = ans->status == SD_DNS_NODATA || ans->status == SD_DNS_NXDOMAIN;
		for (i = 0; ans->status == SD_DNS_OK && i < ans->n; i++)
			if (ans->rr[i].type == SD_DNS_MX && ans->rr[i].host != NULL &&
			    ans->rr[i].host[0] != '\0' && strcmp(ans->rr[i].host, ".") != 0)
				mx++;
		sd_dns_answer_free(ans);
		if (mx > SD_SPF_MAX_MX_NAMES)
			sd_spf_issue_add(w, SD_SPF_ERROR, "too-many-mx", domain, t,
					 "%s has %zu mail servers (MX); SPF looks up at most %d, so "
					 "this mechanism gives permerror: list the servers with "
					 "ip4:/ip6: instead", target, mx, SD_SPF_MAX_MX_NAMES);
	}
	if (isvoid) {
		w->l->void_targets++;
		sd_spf_issue_add(w, SD_SPF_WARNING, "void-target", domain, t,
				 "%s has no %s records: each check that gets here counts a void "
				 "lookup (receivers allow %d)", target,
				 t->kind == SD_SPF_T_A ? "address" : "MX", SD_SPF_MAX_VOID);
	}
}

static int sd_spf_walk_node(sd_spf_walk *w, const char *domain, int depth, int parent,
			    const char *via, int policy, int open, const char *given);

/* Follow an include or redirect; returns the lookups below it. policy:
 * the target's record is the domain's own policy (a redirect from it);
 * open: a "+all" there would authorise every server for the domain (every
 * include on the way has the "+" qualifier). */
static int
sd_spf_walk_follow(sd_spf_walk *w, int idx, const sd_spf_term *t, int policy, int open)
{
	sd_spf_lint_report *l = w->l;
	const char *domain = l->nodes[idx].domain;
	const char *target = sd_spf_walk_target(w, t, domain);
	int depth = l->nodes[idx].depth, child;

	if (target == NULL) {
		l->lookups_exact = 0;
		return 0;
	}
	if (sd_spf_walk_loops(l, idx, target)) {
		sd_spf_issue_add(w, SD_SPF_ERROR, "loop", domain, t,
				 "%s leads back to %s, which is already being evaluated: every "
				 "check that gets here ends in permerror (too many lookups)",
				 t->text, target);
		l->lookups_exact = 0;
		return 0;
	}
	if (depth + 1 > SD_SPF_LINT_MAX_DEPTH) {
		l->lookups_exact = 0;
		return 0;
	}
	child = sd_spf_walk_node(w, target, depth + 1, idx, t->text, policy, open, NULL);
	if (child < 0)
		return 0;
	if (l->nodes[child].status == SD_SPF_NONE) {
		int inc = t->kind == SD_SPF_T_INCLUDE;

		sd_spf_issue_add(w, SD_SPF_ERROR, inc ? "include-none" : "redirect-none", domain, t,
				 "%s has no SPF record; %s to it gives permerror", target,
				 inc ? "an include" : "a redirect");
	}
	return l->nodes[child].total_lookups;
}

/* Walk one record; returns its node index, or -1 when none was made. */
static int
sd_spf_walk_node(sd_spf_walk *w, const char *domain, int depth, int parent, const char *via,
		 int policy, int open, const char *given)
{
	sd_spf_lint_report *l = w->l;
	sd_spf_node *nd;
	sd_spf_fetched f;
	sd_spf_record rec;
	sd_spf_syntax syn;
	const char *problem, *text;
	size_t len, i;
	int idx, rc, seen_all = 0, own = 0, total = 0;

	if (l->nnodes >= SD_SPF_LINT_MAX_NODES) {
		l->lookups_exact = 0;
		if (!w->capped) {
			w->capped = 1;
			sd_spf_issue_add(w, SD_SPF_INFO, "walk-capped", l->domain, NULL,
					 "the walk stopped after %d records; the count is a lower "
					 "bound", SD_SPF_LINT_MAX_NODES);
		}
		return -1;
	}
	idx = (int)l->nnodes++;
	nd = &l->nodes[idx];
	nd->depth = depth;
	nd->parent = parent;
	nd->via = via;
	nd->domain = domain;
	nd->status = SD_SPF_NONE;
	if (given != NULL) {
		text = given;
		len = strlen(given);
	} else {
		problem = sd_spf_name_problem(domain, 1);
		if (problem != NULL)
			return idx;
		if (!sd_spf_walk_query_ok(w)) {
			l->lookups_exact = 0;
			nd->status = SD_SPF_TEMPERROR;
			return idx;
		}
		sd_spf_fetch(w->lookup, w->lctx, w->a, domain, &f);
		switch (f.status) {
		case SD_SPF_FETCH_NOMEM:
			w->nomem = 1;
			return idx;
		case SD_SPF_FETCH_DNS:
			nd->status = SD_SPF_TEMPERROR;
			l->lookups_exact = 0;
			sd_spf_issue_add(w, SD_SPF_WARNING, "dns-error", domain, NULL,
					 "the TXT lookup of %s failed (%s); checks that get here "
					 "give temperror", domain, sd_dns_status_name(f.dns));
			return idx;
		case SD_SPF_FETCH_VOID:
			if (depth > 0)
				l->void_targets++;
			return idx;
		case SD_SPF_FETCH_NONE:
			return idx;
		case SD_SPF_FETCH_MULTIPLE:
			nd->status = SD_SPF_PERMERROR;
			l->lookups_exact = 0;
			sd_spf_issue_add(w, SD_SPF_ERROR, "multiple-records", domain, NULL,
					 "%s publishes %d SPF records; there must be exactly one "
					 "(merge them into one record)", domain, f.count);
			return idx;
		default:
			break;
		}
		text = f.text;
		len = f.len;
	}
	nd->record = sd_spf_printable(w->a, text, len);
	if (nd->record == NULL) {
		w->nomem = 1;
		return idx;
	}
	rc = sd_spf_record_parse(w->a, text, len, &rec, &syn);
	if (rc < 0) {
		w->nomem = 1;
		return idx;
	}
	if (rc > 0) {
		sd_spf_term at = {0};

		nd->status = SD_SPF_PERMERROR;
		l->lookups_exact = 0;
		at.text = sd_arena_strdup(w->a, syn.term);
		at.offset = syn.offset;
		sd_spf_issue_add(w, SD_SPF_ERROR, "syntax", domain, at.text ? &at : NULL,
				 "error at character %zu: %s", syn.offset + 1, syn.why);
		return idx;
	}
	nd->status = SD_SPF_NEUTRAL;
	if (len > SD_SPF_LINT_LONG_RECORD)
		sd_spf_issue_add(w, SD_SPF_INFO, "long-record", domain, NULL,
				 "the record is %zu bytes long; with the name's other TXT records "
				 "the DNS answer may no longer fit in one 512-byte UDP packet, and "
				 "receivers must then retry over TCP", len);
	for (i = 0; i < rec.n; i++) {
		const sd_spf_term *t = &rec.terms[i];

		if (t->kind >= SD_SPF_T_REDIRECT)
			continue;
		if (seen_all) {
			sd_spf_issue_add(w, SD_SPF_WARNING, "after-all", domain, t,
					 "this comes after \"all\" and is never used");
			continue;
		}
		if (sd_spf_term_queries(t))
			own++;
		switch (t->kind) {
		case SD_SPF_T_ALL:
			seen_all = 1;
			if (t->qualifier == '+' && open)
				sd_spf_issue_add(w, SD_SPF_ERROR, "open-all", domain, t,
						 "\"+all\" authorises every server on the internet "
						 "to send as %s%s; end with -all or ~all", l->domain,
						 depth > 0 ? " (through this include)" : "");
			else if (t->qualifier == '?' && policy)
				sd_spf_issue_add(w, SD_SPF_WARNING, "neutral-all", domain, t,
						 "\"?all\" says nothing about servers that are not "
						 "listed, so forged mail is not refused; end with "
						 "-all or ~all");
			break;
		case SD_SPF_T_PTR:
			sd_spf_issue_add(w, SD_SPF_WARNING, "ptr", domain, t,
					 "the ptr mechanism is slow and unreliable and should not "
					 "be published (RFC 7208 5.5); list the addresses with "
					 "ip4:/ip6: or a: instead");
			break;
		case SD_SPF_T_INCLUDE:
			total += sd_spf_walk_follow(w, idx, t, 0, open && t->qualifier == '+');
			nd = &l->nodes[idx];
			break;
		case SD_SPF_T_A:
		case SD_SPF_T_MX: {
			const char *target = sd_spf_walk_target(w, t, domain);

			if (target != NULL)
				sd_spf_walk_probe(w, t, domain, target);
			break;
		}
		default:
			break;
		}
		if (w->nomem)
			return idx;
	}
	if (rec.redirect != NULL && rec.has_all) {
		sd_spf_issue_add(w, SD_SPF_WARNING, "redirect-ignored", domain, rec.redirect,
				 "redirect= is ignored because the record has \"all\"");
	} else if (rec.redirect != NULL) {
		own++;
		total += sd_spf_walk_follow(w, idx, rec.redirect, policy, open);
		nd = &l->nodes[idx];
	} else if (!rec.has_all && policy) {
		sd_spf_issue_add(w, SD_SPF_WARNING, "no-all", domain, NULL,
				 "the record ends without \"all\" or redirect=, so servers that "
				 "are not listed get neutral; end it with -all or ~all");
	}
	nd->own_lookups = own;
	nd->total_lookups = own + total;
	return idx;
}

/* The too-many-lookups message: the total and what the root's terms
 * bring to it. */
static void
sd_spf_walk_total(sd_spf_walk *w)
{
	sd_spf_lint_report *l = w->l;
	sd_buf b;
	size_t i;
	int direct = l->nodes[0].own_lookups;

	sd_buf_init(&b, 700);
	for (i = 1; i < l->nnodes; i++) {
		const sd_spf_node *nd = &l->nodes[i];
		char part[300];

		if (nd->parent != 0)
			continue;
		direct--; /* the include or redirect itself is in the child's share */
		snprintf(part, sizeof(part), "%s%s %d", b.len ? ", " : "", nd->via,
			 nd->total_lookups + 1);
		sd_buf_adds(&b, part);
	}
	if (direct > 0) {
		char part[80];

		snprintf(part, sizeof(part), "%sthe record's other DNS-querying terms %d",
			 b.len ? ", " : "", direct);
		sd_buf_adds(&b, part);
	}
	sd_spf_issue_add(w, SD_SPF_ERROR, "too-many-lookups", l->domain, NULL,
			 "the record needs %s%d DNS lookups and receivers allow %d: checks that "
			 "do not match within the first %d end in permerror (%s%s)",
			 l->lookups_exact ? "" : "at least ", l->lookups, SD_SPF_MAX_DNS_TERMS,
			 SD_SPF_MAX_DNS_TERMS, b.data ? b.data : "",
			 b.truncated ? ", ..." : "");
	sd_buf_free(&b);
}

smtpdoc_status
sd_spf_lint(sd_dns_lookup_fn lookup, void *ctx, const char *domain, const char *record,
	    sd_spf_lint_report **out)
{
	sd_spf_walk w;
	sd_spf_lint_report *l;
	struct sd_spf_priv *priv;
	char *dom;
	size_t n;

	*out = NULL;
	if (lookup == NULL || domain == NULL || domain[0] == '\0' ||
	    strlen(domain) > SD_SPF_MAX_INPUT)
		return SMTPDOC_EINVAL;
	priv = sd_spf_priv_new();
	if (priv == NULL)
		return SMTPDOC_ENOMEM;
	l = sd_arena_alloc(priv->arena, sizeof(*l));
	dom = sd_arena_strdup(priv->arena, domain);
	if (l != NULL)
		l->nodes = sd_arena_alloc(priv->arena, SD_SPF_LINT_MAX_NODES * sizeof(sd_spf_node));
	if (l == NULL || dom == NULL || l->nodes == NULL) {
		sd_spf_priv_free(priv);
		return SMTPDOC_ENOMEM;
	}
	n = strlen(dom);
	if (n > 1 && dom[n - 1] == '.')
		dom[n - 1] = '\0';
	l->priv = priv;
	l->domain = dom;
	l->lookups_exact = 1;
	memset(&w, 0, sizeof(w));
	w.lookup = lookup;
	w.lctx = ctx;
	w.l = l;
	w.priv = priv;
	w.a = priv->arena;
	w.noip.family = 4;

	sd_spf_walk_node(&w, dom, 0, -1, NULL, 1, 1, record);
	if (w.nomem) {
		sd_spf_priv_free(priv);
		return SMTPDOC_ENOMEM;
	}
	l->record = l->nodes[0].record;
	l->lookups = l->nodes[0].total_lookups;
	switch (l->nodes[0].status) {
	case SD_SPF_NONE:
		sd_spf_issue_add(&w, SD_SPF_ERROR, "no-record", dom, NULL,
				 "%s has no SPF record (no TXT record starting with v=spf1)", dom);
		l->status = SD_SPF_NONE;
		break;
	case SD_SPF_TEMPERROR:
		l->status = SD_SPF_TEMPERROR;
		break;
	default:
		if (l->lookups > SD_SPF_MAX_DNS_TERMS)
			sd_spf_walk_total(&w);
		if (l->void_targets > SD_SPF_MAX_VOID)
			sd_spf_issue_add(&w, SD_SPF_ERROR, "void-lookups", dom, NULL,
					 "%d names in the tree do not exist; receivers allow %d "
					 "such lookups per check, and checks that reach the next one "
					 "end in permerror", l->void_targets, SD_SPF_MAX_VOID);
		l->status = l->errors > 0 ? SD_SPF_PERMERROR : SD_SPF_NEUTRAL;
		break;
	}
	if (w.nomem) {
		sd_spf_priv_free(priv);
		return SMTPDOC_ENOMEM;
	}
	*out = l;
	return SMTPDOC_OK;
}
