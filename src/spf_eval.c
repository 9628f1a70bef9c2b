/*
 * spf_eval.c - check_host() (RFC 7208 sections 4, 5 and 6) with the
 * processing limits of 4.6.4, and the trace of what it did.
 *
 * Entry point (spf.h): sd_spf_check. Its report is freed with
 * sd_spf_report_free(). The helpers declared in spf_eval.h (trace,
 * errors, queries, target-names) are shared with spf_mech.c, which
 * evaluates the mechanisms that look at addresses; include and redirect,
 * which recurse into check_host(), are here.
 *
 * How it goes:
 *   - initial processing (4.3): a domain that is not a valid fully
 *     qualified name gives none without any query; a sender without a
 *     local-part gets "postmaster";
 *   - the record is fetched (spf_fetch.c) and parsed whole (spf_parse.c)
 *     before any term is evaluated, so a syntax error anywhere is a
 *     permerror (4.6);
 *   - mechanisms are evaluated in order; the first match gives its
 *     qualifier's result; otherwise redirect= (ignored when the record has
 *     an "all") or neutral (4.7);
 *   - include gives match on pass, no match on fail/softfail/neutral, and
 *     passes temperror and permerror up; none becomes permerror (5.2);
 *     a redirect to a domain without a record is a permerror (6.1);
 *   - a DNS failure (anything but an answer, NODATA or NXDOMAIN) is a
 *     temperror, except in ptr and %{p}, where it only skips names (5.5);
 *   - limits (4.6.4): the 11th include/a/mx/ptr/exists/redirect is a
 *     permerror; so is the 3rd void lookup (a term's own query answered
 *     NODATA or NXDOMAIN: a, mx, exists; not ptr, whose data belong to the
 *     client's network, nor exp); an mx with more than 10 names is a
 *     permerror (whatever order the DNS returns them in); a PTR answer is
 *     read for its first 10 names only; the queries of %{p} are not
 *     counted (the term that uses it is);
 *   - a target-name that is not a usable DNS name after expansion (an
 *     empty label, a label over 63 bytes) is treated as a name that does
 *     not exist: the mechanism does not match (4.3, 4.8), no query is made
 *     and no void lookup counted;
 *   - exp= is looked up once, after the result, and only for fail: the
 *     exp of the record that gave the result (a redirect's target, never
 *     an included record, 6.2); any problem with it only drops it.
 *
 * When the lookup limit is hit, the report keeps the trace up to that
 * point, the chain of includes that led to the 11th term, and, unless the
 * options say not to, a static count of the whole tree (sd_spf_lint).
 *
 * Bounds: recursion is bounded by the lookup limit (depth at most 11);
 * each term makes at most 11 queries (mx, ptr), %{p} at most 11 per
 * distinct domain; the trace keeps SD_SPF_MAX_STEPS steps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "spf_eval.h"

/* The record whose result is final: its exp= and the deciding term. */
typedef struct sd_spf_final {
	const char *domain;
	const sd_spf_term *exp;
	const char *term;
} sd_spf_final;

static sd_spf_result sd_spf_check_host(sd_spf_eval *ev, const char *domain, int depth,
				       sd_spf_final *fin);

void
sd_spf_trace(sd_spf_eval *ev, sd_spf_step_kind kind, int depth, const char *domain,
	    const char *term, const char *detail)
{
	if (sd_spf_step_add(ev->r, kind, depth, domain, term, detail, ev->lookups, ev->voids) != 0)
		ev->nomem = 1;
}

/* The first error found is the one reported. */
void
sd_spf_error(sd_spf_eval *ev, const char *problem, const char *fmt, ...)
{
	va_list ap;
	char msg[768];

	if (ev->r->problem != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ev->r->problem = problem;
	ev->r->reason = sd_arena_strdup(ev->a, msg);
	if (ev->r->reason == NULL)
		ev->nomem = 1;
}

/* A formatted string for the trace (NULL on no memory, noted). */
const char *
sd_spf_say(sd_spf_eval *ev, const char *fmt, ...)
{
	va_list ap;
	char msg[768];
	const char *s;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s = sd_arena_strdup(ev->a, msg);
	if (s == NULL)
		ev->nomem = 1;
	return s;
}

sd_dns_answer *
sd_spf_query(sd_spf_eval *ev, const char *name, int type)
{
	sd_dns_answer *ans = ev->lookup(ev->lctx, name, type);

	if (ans == NULL)
		ev->nomem = 1;
	return ans;
}

/* The target-name of a term: its domain-spec expanded and trimmed, or the
 * current domain. NULL when the expansion does not fit (or no memory). */
const char *
sd_spf_target(sd_spf_eval *ev, const sd_spf_term *t, const char *domain)
{
	sd_buf b;
	const char *s;

	if (t->spec == NULL)
		return domain;
	sd_buf_init(&b, SD_SPF_MAX_EXPAND);
	ev->env.domain = domain;
	if (sd_spf_macro_expand(&ev->env, t->spec, 0, &b) != 0) {
		if (!b.truncated)
			ev->nomem = 1;
		sd_buf_free(&b);
		return NULL;
	}
	sd_spf_name_trim(&b);
	s = sd_arena_strdup(ev->a, b.data ? b.data : "");
	if (s == NULL)
		ev->nomem = 1;
	sd_buf_free(&b);
	return s;
}

/* include (5.2) */
static int
sd_spf_include(sd_spf_eval *ev, const sd_spf_term *t, const char *domain, int depth,
	       sd_spf_result *err, const char **detail)
{
	sd_spf_final inner = {NULL, NULL, NULL};
	const char *target = sd_spf_target(ev, t, domain);
	sd_spf_result res;

	if (ev->nomem)
		return SD_SPF_ABORT;

	sd_spf_trace(ev, SD_SPF_STEP_INCLUDE, depth, domain, t->text,
		     sd_spf_say(ev, "evaluate the record of %s", target ? target : "(too long)"));
	ev->path[ev->npath++] = t->text;
	res = sd_spf_check_host(ev, target ? target : "", depth + 1, &inner);
	ev->npath--;
	switch (res) {
	case SD_SPF_PASS:
		*detail = sd_spf_say(ev, "%s gives pass", target);
		return SD_SPF_MATCH;
	case SD_SPF_FAIL:
	case SD_SPF_SOFTFAIL:
	case SD_SPF_NEUTRAL:
		*detail = sd_spf_say(ev, "%s gives %s: no match", target, sd_spf_result_name(res));
		return SD_SPF_NOMATCH;
	case SD_SPF_NONE:
		sd_spf_error(ev, "include-none", "%s (in the record of %s): %s; an include of a "
			     "domain without an SPF record is a permerror", t->text, domain,
			     ev->none_why ? ev->none_why : "no SPF record");
		*detail = sd_spf_say(ev, "no SPF record there: permerror");
		*err = SD_SPF_PERMERROR;
		return SD_SPF_ABORT;
	default:
		*detail = sd_spf_say(ev, "%s gives %s", target ? target : "the target",
				     sd_spf_result_name(res));
		*err = res;
		return SD_SPF_ABORT;
	}
}

/* The 11th DNS-querying term: note where, and how evaluation got there. */
static void
sd_spf_limit(sd_spf_eval *ev, const sd_spf_term *t, const char *domain, int depth)
{
	sd_spf_report *r = ev->r;
	sd_buf b;
	int i;

	sd_buf_init(&b, 4096);
	for (i = 0; i < ev->npath; i++) {
		sd_buf_adds(&b, ev->path[i]);
		sd_buf_adds(&b, " > ");
	}
	sd_buf_adds(&b, t->text);
	r->limit_hit = 1;
	r->limit_term = t->text;
	r->limit_domain = domain;
	r->limit_path = sd_arena_strdup(ev->a, b.data ? b.data : t->text);
	if (r->limit_path == NULL)
		ev->nomem = 1;
	sd_buf_free(&b);
	sd_spf_error(ev, "lookup-limit", "the record needs more than %d DNS lookups: the %dth "
		     "DNS-querying term, \"%s\" in the record of %s, is one too many (RFC 7208 "
		     "4.6.4), so the check fails", SD_SPF_MAX_DNS_TERMS, SD_SPF_MAX_DNS_TERMS + 1,
		     t->text, domain);
	sd_spf_trace(ev, SD_SPF_STEP_LIMIT, depth, domain, t->text,
		     sd_spf_say(ev, "this would be DNS lookup %d; the limit is %d: permerror",
			        ev->lookups, SD_SPF_MAX_DNS_TERMS));
}

static sd_spf_result
sd_spf_qualifier(char q)
{
	switch (q) {
	case '-':
		return SD_SPF_FAIL;
	case '~':
		return SD_SPF_SOFTFAIL;
	case '?':
		return SD_SPF_NEUTRAL;
	default:
		return SD_SPF_PASS;
	}
}

/* check_host() for domain (section 4). */
static sd_spf_result
sd_spf_check_host(sd_spf_eval *ev, const char *domain, int depth, sd_spf_final *fin)
{
	sd_spf_fetched f;
	sd_spf_record rec;
	sd_spf_syntax syn;
	const char *problem, *printable, *detail, *target;
	sd_spf_result res;
	size_t i;
	int rc;

	problem = sd_spf_name_problem(domain, 1);
	if (problem != NULL) {
		ev->none_why = sd_spf_say(ev, "\"%s\" is not a valid domain name: %s", domain,
					  problem);
		sd_spf_trace(ev, SD_SPF_STEP_RECORD, depth, domain, NULL, ev->none_why);
		if (depth == 0)
			ev->r->problem = "invalid-domain";
		return SD_SPF_NONE;
	}
	sd_spf_fetch(ev->lookup, ev->lctx, ev->a, domain, &f);
	switch (f.status) {
	case SD_SPF_FETCH_NOMEM:
		ev->nomem = 1;
		return SD_SPF_TEMPERROR;
	case SD_SPF_FETCH_DNS:
		sd_spf_error(ev, "dns", "the TXT lookup of %s failed (%s); try again later", domain,
			     sd_dns_status_name(f.dns));
		sd_spf_trace(ev, SD_SPF_STEP_ERROR, depth, domain, NULL,
			     sd_spf_say(ev, "the TXT lookup failed (%s): temperror",
				        sd_dns_status_name(f.dns)));
		return SD_SPF_TEMPERROR;
	case SD_SPF_FETCH_VOID:
	case SD_SPF_FETCH_NONE:
		ev->none_why = f.status == SD_SPF_FETCH_VOID
				       ? sd_spf_say(ev, "%s has no TXT records (%s)", domain,
						    sd_dns_status_name(f.dns))
				       : sd_spf_say(ev, "none of the TXT records of %s starts with "
						    "v=spf1", domain);
		sd_spf_trace(ev, SD_SPF_STEP_RECORD, depth, domain, NULL,
			     sd_spf_say(ev, "no SPF record: %s", ev->none_why));
		if (depth == 0)
			ev->r->problem = "no-record";
		return SD_SPF_NONE;
	case SD_SPF_FETCH_MULTIPLE:
		sd_spf_error(ev, "multiple-records", "%s publishes %d SPF records (TXT records "
			     "starting with v=spf1); there must be exactly one", domain, f.count);
		sd_spf_trace(ev, SD_SPF_STEP_ERROR, depth, domain, NULL,
			     sd_spf_say(ev, "%d SPF records: permerror", f.count));
		return SD_SPF_PERMERROR;
	default:
		break;
	}
	printable = sd_spf_printable(ev->a, f.text, f.len);
	if (printable == NULL) {
		ev->nomem = 1;
		return SD_SPF_TEMPERROR;
	}
	if (depth == 0)
		ev->r->record = printable;
	sd_spf_trace(ev, SD_SPF_STEP_RECORD, depth, domain, NULL, printable);
	rc = sd_spf_record_parse(ev->a, f.text, f.len, &rec, &syn);
	if (rc < 0) {
		ev->nomem = 1;
		return SD_SPF_TEMPERROR;
	}
	if (rc > 0) {
		if (ev->r->problem == NULL) {
			ev->r->error_domain = domain;
			ev->r->error_term = sd_arena_strdup(ev->a, syn.term);
			ev->r->error_offset = syn.offset;
		}
		sd_spf_error(ev, "syntax", "the SPF record of %s has an error at character %zu, "
			     "in \"%s\": %s", domain, syn.offset + 1, syn.term, syn.why);
		sd_spf_trace(ev, SD_SPF_STEP_ERROR, depth, domain, NULL,
			     sd_spf_say(ev, "syntax error at character %zu: %s: permerror",
				        syn.offset + 1, syn.why));
		return SD_SPF_PERMERROR;
	}
	for (i = 0; i < rec.n; i++) {
		const sd_spf_term *t = &rec.terms[i];
		int m;

		if (t->kind >= SD_SPF_T_REDIRECT)
			continue;
		if (sd_spf_term_queries(t) && ++ev->lookups > SD_SPF_MAX_DNS_TERMS) {
			sd_spf_limit(ev, t, domain, depth);
			return SD_SPF_PERMERROR;
		}
		detail = NULL;
		res = SD_SPF_PERMERROR;
		if (t->kind == SD_SPF_T_INCLUDE)
			m = sd_spf_include(ev, t, domain, depth, &res, &detail);
		else
			m = sd_spf_mechanism(ev, t, domain, &res, &detail);
		if (ev->nomem)
			return SD_SPF_TEMPERROR;
		if (m == SD_SPF_ABORT) {
			sd_spf_trace(ev, SD_SPF_STEP_ERROR, depth, domain, t->text,
				     sd_spf_say(ev, "%s: %s", detail ? detail : "error",
					        sd_spf_result_name(res)));
			return res;
		}
		if (m == SD_SPF_MATCH) {
			res = sd_spf_qualifier(t->qualifier);
			sd_spf_trace(ev, SD_SPF_STEP_MATCH, depth, domain, t->text,
				     sd_spf_say(ev, "match (%s): %s", detail ? detail : "",
					        sd_spf_result_name(res)));
			fin->domain = domain;
			fin->exp = rec.exp;
			fin->term = t->text;
			return res;
		}
		sd_spf_trace(ev, SD_SPF_STEP_NOMATCH, depth, domain, t->text,
			     sd_spf_say(ev, "no match (%s)", detail ? detail : ""));
	}
	if (rec.redirect != NULL && !rec.has_all) {
		const sd_spf_term *t = rec.redirect;

		if (++ev->lookups > SD_SPF_MAX_DNS_TERMS) {
			sd_spf_limit(ev, t, domain, depth);
			return SD_SPF_PERMERROR;
		}
		target = sd_spf_target(ev, t, domain);
		if (ev->nomem)
			return SD_SPF_TEMPERROR;
		sd_spf_trace(ev, SD_SPF_STEP_REDIRECT, depth, domain, t->text,
			     sd_spf_say(ev, "no mechanism matched; the record of %s decides",
				        target ? target : "(too long)"));
		ev->path[ev->npath++] = t->text;
		res = sd_spf_check_host(ev, target ? target : "", depth + 1, fin);
		ev->npath--;
		if (res == SD_SPF_NONE) {
			sd_spf_error(ev, "redirect-none", "%s (in the record of %s): %s; a redirect "
				     "to a domain without an SPF record is a permerror", t->text,
				     domain, ev->none_why ? ev->none_why : "no SPF record");
			sd_spf_trace(ev, SD_SPF_STEP_ERROR, depth, domain, t->text,
				     "no SPF record there: permerror");
			return SD_SPF_PERMERROR;
		}
		return res;
	}
	sd_spf_trace(ev, SD_SPF_STEP_DEFAULT, depth, domain, NULL,
		     rec.redirect ? "no mechanism matched (redirect= is ignored beside \"all\"): "
				    "neutral"
				  : "no mechanism matched and there is no redirect=: neutral");
	fin->domain = domain;
	fin->exp = rec.exp;
	fin->term = NULL;
	return SD_SPF_NEUTRAL;
}

/* exp= (6.2): the explanation of a fail, from the record that gave it.
 * Any problem only drops the explanation. */
static void
sd_spf_explain(sd_spf_eval *ev, const sd_spf_final *fin)
{
	const char *target, *why = NULL;
	sd_dns_answer *ans;
	const sd_dns_rr *txt = NULL;
	size_t i, ntxt = 0, off;
	char buf[SD_SPF_WHY_MAX], *text;
	sd_buf b;

	if (fin->exp == NULL)
		return;
	target = sd_spf_target(ev, fin->exp, fin->domain);
	if (ev->nomem)
		return;
	if (target == NULL || sd_spf_name_problem(target, 0) != NULL) {
		sd_spf_trace(ev, SD_SPF_STEP_EXP, 0, fin->domain, fin->exp->text,
			     "the explanation's domain is not a usable name: none given");
		return;
	}
	ans = sd_spf_query(ev, target, SD_DNS_TXT);
	if (ans == NULL)
		return;
	for (i = 0; ans->status == SD_DNS_OK && i < ans->n; i++)
		if (ans->rr[i].type == SD_DNS_TXT && ntxt++ == 0)
			txt = &ans->rr[i];
	if (ans->status != SD_DNS_OK)
		why = sd_spf_say(ev, "the TXT lookup of %s gave %s", target,
				 sd_dns_status_name(ans->status));
	else if (ntxt != 1)
		why = sd_spf_say(ev, "%s has %zu TXT records; exactly one is needed", target, ntxt);
	for (i = 0; why == NULL && i < txt->text_len; i++) {
		unsigned char c = (unsigned char)txt->text[i];
		if (c < 0x20 || c > 0x7e)
			why = sd_spf_say(ev, "the text at %s is not plain ASCII", target);
	}
	if (why == NULL && txt->text_len > 0 &&
	    sd_spf_macro_check(txt->text, txt->text_len, 1, &off, buf, sizeof(buf)) != 0)
		why = sd_spf_say(ev, "the text at %s is not valid: %s", target, buf);
	if (why != NULL) {
		sd_dns_answer_free(ans);
		sd_spf_trace(ev, SD_SPF_STEP_EXP, 0, fin->domain, fin->exp->text,
			     sd_spf_say(ev, "no explanation: %s", why));
		return;
	}
	text = sd_arena_strndup(ev->a, txt->text ? txt->text : "", txt->text_len);
	sd_dns_answer_free(ans);
	if (text == NULL) {
		ev->nomem = 1;
		return;
	}
	sd_buf_init(&b, SD_SPF_MAX_EXP_TEXT);
	ev->env.domain = fin->domain;
	if (sd_spf_macro_expand(&ev->env, text, 1, &b) != 0 && !b.truncated) {
		ev->nomem = 1;
		sd_buf_free(&b);
		return;
	}
	ev->r->explanation = sd_arena_strdup(ev->a, b.data ? b.data : "");
	sd_buf_free(&b);
	if (ev->r->explanation == NULL)
		ev->nomem = 1;
	else
		sd_spf_trace(ev, SD_SPF_STEP_EXP, 0, fin->domain, fin->exp->text,
			     sd_spf_say(ev, "explanation from %s: %s", target, ev->r->explanation));
}

/* The sentence for a result that is not an error. */
static void
sd_spf_reason(sd_spf_eval *ev, const sd_spf_final *fin)
{
	sd_spf_report *r = ev->r;

	if (r->reason != NULL)
		return;
	switch (r->result) {
	case SD_SPF_NONE:
		r->reason = ev->none_why;
		break;
	case SD_SPF_NEUTRAL:
		if (fin->term == NULL) {
			r->reason = sd_spf_say(ev, "no mechanism in the record of %s matched %s, "
					       "and it has no redirect=, so the result is neutral",
					       fin->domain, ev->ipstr);
			break;
		}
		/* fall through */
	default:
		r->reason = sd_spf_say(ev, "%s matched \"%s\" in the record of %s, which gives %s",
				       ev->ipstr, fin->term ? fin->term : "", fin->domain,
				       sd_spf_result_name(r->result));
		break;
	}
}

/* Split the sender into local-part and domain (4.3): a missing sender is
 * postmaster@helo, a missing local-part "postmaster". */
static int
sd_spf_sender(sd_spf_eval *ev, const char *sender, const char *helo, const char *domain)
{
	const char *at, *local, *sdom;

	if (sender != NULL && sender[0] != '\0') {
		at = strrchr(sender, '@');
		local = at ? sd_arena_strndup(ev->a, sender, (size_t)(at - sender)) : "";
		sdom = at ? at + 1 : sender;
	} else if (helo != NULL && helo[0] != '\0') {
		local = "";
		sdom = helo;
	} else if (domain != NULL && domain[0] != '\0') {
		local = "";
		sdom = domain;
	} else {
		return -1;
	}
	if (local == NULL)
		return -2;
	if (local[0] == '\0')
		local = "postmaster";
	ev->env.local = local;
	ev->env.sender_domain = sdom;
	ev->env.sender = sd_spf_fmt(ev->a, "%s@%s", local, sdom);
	ev->env.helo = helo ? helo : "";
	return ev->env.sender ? 0 : -2;
}

static size_t
sd_spf_len(const char *s)
{
	return s ? strlen(s) : 0;
}

smtpdoc_status
sd_spf_check(sd_dns_lookup_fn lookup, void *ctx, const char *ip, const char *domain,
	     const char *sender, const char *helo, const sd_spf_options *opt,
	     sd_spf_report **out)
{
	sd_spf_eval ev;
	sd_spf_final fin = {NULL, NULL, NULL};
	struct sd_spf_priv *priv;
	sd_spf_report *r;
	char *dom;
	size_t n;
	int rc;

	*out = NULL;
	memset(&ev, 0, sizeof(ev));
	if (lookup == NULL || sd_spf_ip_parse(ip, &ev.ip) != 0)
		return SMTPDOC_EINVAL;
	if (sd_spf_len(domain) > SD_SPF_MAX_INPUT || sd_spf_len(sender) > SD_SPF_MAX_INPUT ||
	    sd_spf_len(helo) > SD_SPF_MAX_INPUT)
		return SMTPDOC_EINVAL;
	priv = sd_spf_priv_new();
	if (priv == NULL)
		return SMTPDOC_ENOMEM;
	r = sd_arena_alloc(priv->arena, sizeof(*r));
	if (r == NULL) {
		sd_spf_priv_free(priv);
		return SMTPDOC_ENOMEM;
	}
	r->priv = priv;
	r->lookups_needed = -1;
	ev.lookup = lookup;
	ev.lctx = ctx;
	ev.r = r;
	ev.a = priv->arena;
	sd_spf_ip_text(&ev.ip, ev.ipstr);
	ev.env.ip = &ev.ip;
	ev.env.receiver = opt && opt->receiver ? opt->receiver : "unknown";
	ev.env.now = opt && opt->now ? opt->now : (long long)time(NULL);
	ev.env.validated_name = sd_spf_pname;
	ev.env.vctx = &ev;
	rc = sd_spf_sender(&ev, sender, helo, domain);
	if (rc != 0) {
		sd_spf_priv_free(priv);
		return rc == -1 ? SMTPDOC_EINVAL : SMTPDOC_ENOMEM;
	}
	dom = sd_arena_strdup(ev.a, domain ? domain : ev.env.sender_domain);
	if (dom == NULL) {
		sd_spf_priv_free(priv);
		return SMTPDOC_ENOMEM;
	}
	n = strlen(dom);
	if (n > 1 && dom[n - 1] == '.')
		dom[n - 1] = '\0';
	r->ip = sd_arena_strdup(ev.a, ev.ipstr);
	r->domain = dom;
	r->sender = ev.env.sender;

	r->result = sd_spf_check_host(&ev, dom, 0, &fin);
	if (!ev.nomem && r->result == SD_SPF_FAIL)
		sd_spf_explain(&ev, &fin);
	if (!ev.nomem)
		sd_spf_reason(&ev, &fin);
	r->matched_term = fin.term;
	r->matched_domain = fin.term ? fin.domain : NULL;
	r->lookups = ev.lookups > SD_SPF_MAX_DNS_TERMS ? SD_SPF_MAX_DNS_TERMS : ev.lookups;
	r->void_lookups = ev.voids;
	if (!ev.nomem && r->limit_hit && !(opt && opt->no_tree_count)) {
		sd_spf_lint_report *tree = NULL;
		smtpdoc_status st = sd_spf_lint(lookup, ctx, dom, NULL, &tree);

		if (st == SMTPDOC_ENOMEM)
			ev.nomem = 1;
		if (tree != NULL) {
			priv->tree = tree;
			r->tree = tree;
			r->lookups_needed = tree->lookups;
			if (r->reason != NULL && tree->lookups > SD_SPF_MAX_DNS_TERMS)
				r->reason = sd_spf_fmt(ev.a, "%s; the whole record needs %s%d",
						       r->reason, tree->lookups_exact ? "" : "at least ",
						       tree->lookups);
			if (r->reason == NULL)
				ev.nomem = 1;
		}
	}
	if (ev.nomem || r->ip == NULL) {
		sd_spf_priv_free(priv);
		return SMTPDOC_ENOMEM;
	}
	*out = r;
	return SMTPDOC_OK;
}
