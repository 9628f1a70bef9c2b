/*
 * spf_eval.h - the state of one SPF check, shared by spf_eval.c
 * (check_host(), include, redirect, the limit, exp=) and spf_mech.c (the
 * a, mx, ptr and exists mechanisms and %{p}). Private to those two files.
 */
#ifndef SMTPDOC_SPF_EVAL_H
#define SMTPDOC_SPF_EVAL_H

#include "spf_internal.h"

typedef struct sd_spf_eval {
	sd_dns_lookup_fn lookup;
	void *lctx;
	sd_spf_report *r;
	sd_arena *a;
	sd_spf_ip ip;
	char ipstr[48];
	sd_spf_macro_env env;
	int lookups, voids;
	int nomem;
	const char *none_why;      /* why the last check_host() gave none */
	const char *path[SD_SPF_MAX_DNS_TERMS + 4];
	int npath;
	const char *pdomain, *pname; /* %{p} worked out for pdomain */
} sd_spf_eval;

/* What a mechanism did. */
enum { SD_SPF_NOMATCH, SD_SPF_MATCH, SD_SPF_ABORT };

/* spf_eval.c */
/* Add a step to the trace (no memory is noted in ev->nomem). */
void sd_spf_trace(sd_spf_eval *ev, sd_spf_step_kind kind, int depth, const char *domain,
		  const char *term, const char *detail);
/* Set the report's problem and reason, unless an earlier error did. */
void sd_spf_error(sd_spf_eval *ev, const char *problem, const char *fmt, ...)
	SD_SPF_PRINTF(3, 4);
/* A formatted string in the report's arena (NULL on no memory, noted). */
const char *sd_spf_say(sd_spf_eval *ev, const char *fmt, ...) SD_SPF_PRINTF(2, 3);
/* One query through the caller's function (NULL on no memory, noted). */
sd_dns_answer *sd_spf_query(sd_spf_eval *ev, const char *name, int type);
/* The target-name of a term: its domain-spec expanded and trimmed, or the
 * current domain; NULL when the expansion does not fit (or no memory). */
const char *sd_spf_target(sd_spf_eval *ev, const sd_spf_term *t, const char *domain);

/* spf_mech.c */
/* Evaluate ip4, ip6, all, a, mx, ptr or exists (section 5), its lookup
 * already counted: SD_SPF_NOMATCH, SD_SPF_MATCH, or SD_SPF_ABORT with the
 * result in *err. *detail says what happened, for the trace. */
int sd_spf_mechanism(sd_spf_eval *ev, const sd_spf_term *t, const char *domain,
		     sd_spf_result *err, const char **detail);
/* %{p} (7.3); vctx is the sd_spf_eval. */
const char *sd_spf_pname(void *vctx, const char *domain);

#endif
