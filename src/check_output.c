/*
 * check_output.c - `smtpdoc check` results as JSON and as text.
 *
 * JSON: one object per checklist item: domain, ip, check, subject, status,
 * summary, then the catalog's cause, title and explanation when the item
 * names a problem, the example bounce, the fix steps, and details as an
 * object whose values are arrays of strings (a key may occur more than
 * once, e.g. several "problem" lines).
 * Text: the items in order with a status word a person can read, the
 * summary wrapped, the bounce it causes and the steps to fix it.
 */
#include <string.h>

#include "internal.h"

static void
sd_check_item_json(FILE *fp, const smtpdoc_check_report *r, const smtpdoc_check_item *it)
{
	const smtpdoc_cause *c = it->cause ? smtpdoc_cause_find(it->cause) : NULL;
	int first = 1;
	size_t i, j;

	putc('{', fp);
	sd_json_field(fp, "domain", r->domain, &first);
	sd_json_field(fp, "ip", r->ip, &first);
	sd_json_field(fp, "check", it->check, &first);
	sd_json_field(fp, "subject", it->subject, &first);
	sd_json_field(fp, "status", it->status, &first);
	sd_json_field(fp, "summary", it->summary, &first);
	sd_json_field(fp, "cause", it->cause, &first);
	sd_json_field(fp, "title", c ? c->title : NULL, &first);
	sd_json_field(fp, "explanation", c ? c->explanation : NULL, &first);
	sd_json_field(fp, "bounce", it->bounce, &first);
	sd_json_steps(fp, "fix", it->fix, &first);
	fputs(",\"details\":{", fp);
	for (i = 0; i < it->ndetails; i++) {
		int seen = 0, n = 0;
		for (j = 0; j < i; j++)
			if (strcmp(it->details[j].key, it->details[i].key) == 0)
				seen = 1;
		if (seen)
			continue; /* written with the first of its key */
		if (i)
			putc(',', fp);
		smtpdoc_write_json_string(fp, it->details[i].key);
		fputs(":[", fp);
		for (j = i; j < it->ndetails; j++) {
			if (strcmp(it->details[j].key, it->details[i].key) != 0)
				continue;
			if (n++)
				putc(',', fp);
			smtpdoc_write_json_string(fp, it->details[j].value);
		}
		putc(']', fp);
	}
	fputs("}}", fp);
}

/* the whole object under the FILE's lock: the helpers write unlocked */
void
smtpdoc_write_check_item_json(FILE *fp, const smtpdoc_check_report *r, const smtpdoc_check_item *it)
{
	flockfile(fp);
	sd_check_item_json(fp, r, it);
	funlockfile(fp);
}

static const char *
sd_status_word(const char *status, unsigned flags, const char **color)
{
	if (strcmp(status, "fail") == 0) {
		*color = sd_c(flags, "\033[1;31m");
		return "PROBLEM ";
	}
	if (strcmp(status, "warn") == 0) {
		*color = sd_c(flags, "\033[1;33m");
		return "WARNING ";
	}
	if (strcmp(status, "unknown") == 0) {
		*color = sd_c(flags, "\033[1;35m");
		return "UNCHECKED";
	}
	if (strcmp(status, "info") == 0) {
		*color = sd_c(flags, "\033[1;36m");
		return "NOTE    ";
	}
	*color = sd_c(flags, "\033[1;32m");
	return "OK      ";
}

void
sd_write_check_items_text(FILE *fp, const smtpdoc_check_item *items, size_t count, unsigned flags)
{
	size_t i, k;
	size_t counts[5] = {0};
	static const char *const names[5] = {"fail", "warn", "unknown", "info", "pass"};

	for (i = 0; i < count; i++) {
		const smtpdoc_check_item *it = &items[i];
		const char *color;
		const char *word = sd_status_word(it->status, flags, &color);
		for (k = 0; k < 5; k++)
			if (strcmp(it->status, names[k]) == 0)
				counts[k]++;
		fprintf(fp, "%s%s%s %s%s%s\n           ", color, word, sd_c(flags, "\033[0m"), it->check,
			it->subject ? " " : "", it->subject ? it->subject : "");
		sd_text_wrapped(fp, it->summary, "           ", 78);
		putc('\n', fp);
		if (it->bounce && (strcmp(it->status, "fail") == 0 || strcmp(it->status, "warn") == 0)) {
			fputs("           Bounce it causes: ", fp);
			sd_text_wrapped(fp, it->bounce, "             ", 78);
			putc('\n', fp);
		}
		for (k = 0; it->fix && it->fix[k]; k++) {
			fprintf(fp, "           %zu. ", k + 1);
			sd_text_wrapped(fp, it->fix[k], "              ", 78);
			putc('\n', fp);
		}
	}
	fprintf(fp, "\n%zu problem%s, %zu warning%s, %zu not checked, %zu note%s, %zu ok\n", counts[0],
		counts[0] == 1 ? "" : "s", counts[1], counts[1] == 1 ? "" : "s", counts[2], counts[3],
		counts[3] == 1 ? "" : "s", counts[4]);
}

void
smtpdoc_write_check_text(FILE *fp, const smtpdoc_check_report *r, unsigned flags)
{
	fprintf(fp, "%sChecklist for %s%s%s%s\n\n", sd_c(flags, "\033[1m"), r->domain, r->ip ? " sending from " : "",
		r->ip ? r->ip : "", sd_c(flags, "\033[0m"));
	sd_write_check_items_text(fp, r->items, r->count, flags);
}
