/*
 * audit_output.c - `smtpdoc audit` as text, and `smtpdoc route` as JSON
 * and as text.
 *
 * The audit's JSON is `smtpdoc check`'s item writer
 * (smtpdoc_write_check_item_json), so both commands have the same
 * fields. Route JSON: address, layout, domain_class, why, verdict, reply,
 * cause, title and explanation (from the catalog), fix, steps (each with
 * depth, address, action, result, target, source, note, reply, cause) and
 * warnings.
 */
#include <string.h>

#include "internal.h"

void
smtpdoc_write_audit_text(FILE *fp, const smtpdoc_audit_report *r, unsigned flags)
{
	fprintf(fp, "%sMail configuration under %s (%s)%s\n\n", sd_c(flags, "\033[1m"), r->root, r->layout,
		sd_c(flags, "\033[0m"));
	if (r->nwarnings)
		fprintf(fp, "%zu file%s or line%s could not be read (see the warnings).\n\n", r->nwarnings,
			r->nwarnings == 1 ? "" : "s", r->nwarnings == 1 ? "" : "s");
	sd_write_check_items_text(fp, r->checks.items, r->checks.count, flags);
}

static void
sd_route_json(FILE *fp, const smtpdoc_route_report *r)
{
	const smtpdoc_cause *c = r->cause ? smtpdoc_cause_find(r->cause) : NULL;
	int first = 1;
	size_t i;

	putc('{', fp);
	sd_json_field(fp, "address", r->address, &first);
	sd_json_field(fp, "layout", r->layout, &first);
	sd_json_field(fp, "domain_class", r->domain_class, &first);
	sd_json_field(fp, "why", r->why, &first);
	sd_json_field(fp, "verdict", r->verdict, &first);
	sd_json_field(fp, "reply", r->reply, &first);
	sd_json_field(fp, "cause", r->cause, &first);
	sd_json_field(fp, "title", c ? c->title : NULL, &first);
	sd_json_field(fp, "explanation", c ? c->explanation : NULL, &first);
	sd_json_steps(fp, "fix", r->fix, &first);
	fputs(",\"steps\":[", fp);
	for (i = 0; i < r->nsteps; i++) {
		const smtpdoc_route_step *s = &r->steps[i];
		int f = 1;
		if (i)
			putc(',', fp);
		fprintf(fp, "{\"depth\":%u", s->depth);
		f = 0;
		sd_json_field(fp, "address", s->address, &f);
		sd_json_field(fp, "action", s->action, &f);
		sd_json_field(fp, "result", s->result, &f);
		sd_json_field(fp, "target", s->target, &f);
		sd_json_field(fp, "source", s->source, &f);
		sd_json_field(fp, "note", s->note, &f);
		sd_json_field(fp, "reply", s->reply, &f);
		sd_json_field(fp, "cause", s->cause, &f);
		putc('}', fp);
	}
	fputs("],\"warnings\":[", fp);
	for (i = 0; i < r->nwarnings; i++) {
		if (i)
			putc(',', fp);
		smtpdoc_write_json_string(fp, r->warnings[i]);
	}
	fputs("]}", fp);
}

/* the whole object under the FILE's lock: the helpers write unlocked */
void
smtpdoc_write_route_json(FILE *fp, const smtpdoc_route_report *r)
{
	flockfile(fp);
	sd_route_json(fp, r);
	funlockfile(fp);
}

void
smtpdoc_write_route_text(FILE *fp, const smtpdoc_route_report *r, unsigned flags)
{
	const smtpdoc_cause *c = r->cause ? smtpdoc_cause_find(r->cause) : NULL;
	int bad = strcmp(r->verdict, "delivered") != 0;
	size_t i, k;

	fprintf(fp, "%s%s%s: %s%s%s\n", sd_c(flags, "\033[1m"), r->address, sd_c(flags, "\033[0m"),
		sd_c(flags, bad ? "\033[1;31m" : "\033[1;32m"), r->verdict, sd_c(flags, "\033[0m"));
	fprintf(fp, "  domain: %s", r->domain_class);
	if (r->why)
		fprintf(fp, " (%s)", r->why);
	fputs("\n", fp);
	for (i = 0; i < r->nsteps; i++) {
		const smtpdoc_route_step *s = &r->steps[i];
		fprintf(fp, "  %*s%s %s", (int)(s->depth * 2), "", s->address, s->action);
		if (s->target)
			fprintf(fp, " -> %s", s->target);
		if (strcmp(s->result, "ok") != 0)
			fprintf(fp, " [%s]", s->result);
		if (s->source)
			fprintf(fp, "  (%s)", s->source);
		putc('\n', fp);
		if (s->note) {
			char indent[64];
			int n = (int)(s->depth * 2 + 4) < (int)sizeof(indent) ? (int)(s->depth * 2 + 4) : 63;
			memset(indent, ' ', (size_t)n);
			indent[n] = '\0';
			fputs(indent, fp);
			sd_text_wrapped(fp, s->note, indent, 78);
			putc('\n', fp);
		}
		if (s->reply)
			fprintf(fp, "  %*s  reply: %s\n", (int)(s->depth * 2), "", s->reply);
	}
	if (r->reply) {
		fprintf(fp, "\nThe sender gets: %s\n", r->reply);
		if (c)
			fprintf(fp, "Cause: %s (%s)\n", c->title, c->id);
		for (k = 0; r->fix && r->fix[k]; k++) {
			fprintf(fp, "  %zu. ", k + 1);
			sd_text_wrapped(fp, r->fix[k], "     ", 78);
			putc('\n', fp);
		}
	}
}
