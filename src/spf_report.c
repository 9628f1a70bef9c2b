/*
 * spf_report.c - what an SPF check or lint hands back: result names, the
 * trace, freeing, and a readable text form.
 *
 * Entry points: sd_spf_result_name, sd_spf_report_free, sd_spf_lint_free,
 * sd_spf_report_text, sd_spf_lint_text (spf.h); sd_spf_priv_new,
 * sd_spf_priv_free, sd_spf_fmt, sd_spf_step_add (spf_internal.h).
 *
 * Ownership: a report or lint lives in the arena of its sd_spf_priv; the
 * trace and issue arrays are malloc'd and grown here; a report that hit
 * the lookup limit also owns the lint of its tree. The *_free functions
 * release all of it and accept NULL. The text functions only append to
 * the caller's sd_buf and return 0, or -1 when it is full or out of
 * memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_internal.h"

const char *
sd_spf_result_name(sd_spf_result r)
{
	static const char *const names[] = {"none",     "neutral",   "pass",     "fail",
					    "softfail", "temperror", "permerror"};

	if ((unsigned)r < sizeof(names) / sizeof(names[0]))
		return names[r];
	return "unknown";
}

struct sd_spf_priv *
sd_spf_priv_new(void)
{
	struct sd_spf_priv *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->arena = sd_arena_new();
	if (p->arena == NULL) {
		free(p);
		return NULL;
	}
	return p;
}

void
sd_spf_priv_free(struct sd_spf_priv *p)
{
	if (p == NULL)
		return;
	sd_spf_lint_free(p->tree);
	free(p->steps);
	free(p->issues);
	sd_arena_free(p->arena);
	free(p);
}

void
sd_spf_report_free(sd_spf_report *r)
{
	if (r != NULL)
		sd_spf_priv_free(r->priv);
}

void
sd_spf_lint_free(sd_spf_lint_report *l)
{
	if (l != NULL)
		sd_spf_priv_free(l->priv);
}

char *
sd_spf_fmt(sd_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = sd_arena_alloc_raw(a, (size_t)n + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

int
sd_spf_step_add(sd_spf_report *r, sd_spf_step_kind kind, int depth, const char *domain,
		const char *term, const char *detail, int lookups, int voids)
{
	struct sd_spf_priv *p = r->priv;
	sd_spf_step *s;

	if (r->nsteps >= SD_SPF_MAX_STEPS) {
		r->steps_truncated = 1;
		return 0;
	}
	if (r->nsteps == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		sd_spf_step *v = realloc(p->steps, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		p->steps = v;
		p->cap = cap;
		r->steps = v;
	}
	s = &r->steps[r->nsteps++];
	s->kind = kind;
	s->depth = depth;
	s->domain = domain;
	s->term = term;
	s->detail = detail;
	s->lookups = lookups;
	s->voids = voids;
	return 0;
}

/* ---- text ---------------------------------------------------------------- */

static int SD_SPF_PRINTF(2, 3)
sd_spf_bprintf(sd_buf *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(line)) {
		/* a long record: write it whole */
		char *big = malloc((size_t)n + 1);
		int rc;

		if (big == NULL)
			return -1;
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		rc = sd_buf_add(b, big, (size_t)n);
		free(big);
		return rc;
	}
	return sd_buf_add(b, line, (size_t)n);
}

static int
sd_spf_indent(sd_buf *b, int depth)
{
	int i;

	for (i = 0; i < depth + 2; i++)
		if (sd_buf_adds(b, "  ") != 0)
			return -1;
	return 0;
}

/* The tree, one line per record: the root with its total, every include
 * or redirect with the lookups it brings (itself and all below it). */
static int
sd_spf_tree_text(const sd_spf_lint_report *l, sd_buf *b, int base)
{
	size_t i;

	for (i = 0; i < l->nnodes; i++) {
		const sd_spf_node *nd = &l->nodes[i];
		const char *how = nd->status == SD_SPF_NONE        ? ", no SPF record there"
				  : nd->status == SD_SPF_TEMPERROR ? ", its lookup failed"
				  : nd->status == SD_SPF_PERMERROR ? ", its record is broken"
								   : "";
		int rc;

		if (sd_spf_indent(b, base + nd->depth) != 0)
			return -1;
		if (nd->via == NULL)
			rc = sd_spf_bprintf(b, "%s: %d DNS lookup%s in all, %d by terms of its own "
					    "record%s\n", nd->domain, nd->total_lookups,
					    nd->total_lookups == 1 ? "" : "s", nd->own_lookups, how);
		else if (nd->total_lookups == 0)
			rc = sd_spf_bprintf(b, "%s: 1 (this term only)%s\n", nd->via, how);
		else
			rc = sd_spf_bprintf(b, "%s: %d (this term and %d in %s and below)%s\n",
					    nd->via, nd->total_lookups + 1, nd->total_lookups,
					    nd->domain, how);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
sd_spf_report_text(const sd_spf_report *r, sd_buf *b)
{
	size_t i;
	int prev = 0;

	if (sd_spf_bprintf(b, "SPF check of %s for %s: %s\n", r->domain, r->ip,
			   sd_spf_result_name(r->result)) != 0)
		return -1;
	if (r->record && sd_spf_bprintf(b, "  record: %s\n", r->record) != 0)
		return -1;
	if (r->reason && sd_spf_bprintf(b, "  why: %s\n", r->reason) != 0)
		return -1;
	if (r->explanation && sd_spf_bprintf(b, "  explanation: %s\n", r->explanation) != 0)
		return -1;
	if (r->matched_term && sd_spf_bprintf(b, "  decided by: %s (record of %s)\n",
					      r->matched_term, r->matched_domain) != 0)
		return -1;
	if (sd_spf_bprintf(b, "  DNS lookups: %d (limit %d), void lookups: %d (limit %d)\n",
			   r->lookups, SD_SPF_MAX_DNS_TERMS, r->void_lookups, SD_SPF_MAX_VOID) != 0)
		return -1;
	if (r->nsteps > 0 && sd_buf_adds(b, "  trace:\n") != 0)
		return -1;
	for (i = 0; i < r->nsteps; i++) {
		const sd_spf_step *s = &r->steps[i];
		char mark[32] = "";

		/* the step that used a DNS lookup shows its number */
		if (s->term != NULL && s->lookups > prev)
			snprintf(mark, sizeof(mark), " [lookup %d]", s->lookups);
		prev = s->lookups;
		if (sd_spf_indent(b, s->depth) != 0)
			return -1;
		if (sd_spf_bprintf(b, "%s%s: %s\n", s->term ? s->term : s->domain, mark,
				   s->detail ? s->detail : "") != 0)
			return -1;
	}
	if (r->steps_truncated && sd_buf_adds(b, "    (trace cut here)\n") != 0)
		return -1;
	if (r->limit_hit) {
		if (sd_spf_bprintf(b, "  over the limit at: %s\n", r->limit_path) != 0)
			return -1;
		if (r->lookups_needed >= 0 &&
		    sd_spf_bprintf(b, "  the whole record needs %s%d DNS lookups (limit %d):\n",
				   r->tree && !r->tree->lookups_exact ? "at least " : "",
				   r->lookups_needed, SD_SPF_MAX_DNS_TERMS) != 0)
			return -1;
		if (r->tree && sd_spf_tree_text(r->tree, b, 0) != 0)
			return -1;
	}
	return 0;
}

int
sd_spf_lint_text(const sd_spf_lint_report *l, sd_buf *b)
{
	static const char *const sev[] = {"info", "warning", "error"};
	size_t i;

	if (sd_spf_bprintf(b, "SPF record of %s: %s\n", l->domain,
			   l->record ? l->record : "(none)") != 0)
		return -1;
	if (sd_spf_bprintf(b, "  DNS lookups needed: %s%d (limit %d)%s\n",
			   l->lookups_exact ? "" : "at least ", l->lookups, SD_SPF_MAX_DNS_TERMS,
			   l->lookups > SD_SPF_MAX_DNS_TERMS ? ", over the limit" : "") != 0)
		return -1;
	if (l->nnodes > 0 && sd_buf_adds(b, "  tree:\n") != 0)
		return -1;
	if (sd_spf_tree_text(l, b, 0) != 0)
		return -1;
	for (i = 0; i < l->nissues; i++) {
		const sd_spf_issue *is = &l->issues[i];

		if (sd_spf_bprintf(b, "  %s [%s] %s%s%s: %s\n", sev[is->severity], is->code,
				   is->domain, is->term ? " " : "", is->term ? is->term : "",
				   is->message) != 0)
			return -1;
	}
	return 0;
}
