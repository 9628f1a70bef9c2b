/*
 * dnscheck_item.c - checklist items and lists, shared by every check of
 * `smtpdoc check`.
 *
 * Entry points (dnscheck.h): sd_check_item_new / sd_check_item_free,
 * sd_check_list_add / sd_check_list_free / sd_check_list_worst /
 * sd_check_list_find / sd_check_list_status, the setters
 * sd_check_item_subject, _summary, _cause, _bounce, _fix, _detail,
 * _detail_text and _worsen, and sd_check_status_name.
 *
 * Ownership: every string of an item is a heap copy owned by the item; an
 * item added to a list is owned by the list. Setters never fail loudly:
 * on no memory they mark the item (nomem) and return -1, so a check can
 * build its item in a row of calls and test sd_check_list_status() once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnscheck.h"

const char *
sd_check_status_name(sd_check_status st)
{
	switch (st) {
	case SD_CHECK_PASS:
		return "pass";
	case SD_CHECK_INFO:
		return "info";
	case SD_CHECK_UNKNOWN:
		return "unknown";
	case SD_CHECK_WARN:
		return "warn";
	case SD_CHECK_FAIL:
		return "fail";
	}
	return "unknown";
}

/* sd_check_vformat - a new string from fmt, or NULL on no memory */
static char *sd_check_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
sd_check_vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s != NULL)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static char *
sd_check_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

sd_check_item *
sd_check_item_new(const char *id, sd_check_status st)
{
	sd_check_item *it = calloc(1, sizeof(*it));

	if (it == NULL)
		return NULL;
	it->id = sd_check_strdup(id != NULL ? id : "");
	if (it->id == NULL) {
		free(it);
		return NULL;
	}
	it->status = st;
	return it;
}

void
sd_check_item_free(sd_check_item *it)
{
	size_t i;

	if (it == NULL)
		return;
	free(it->id);
	free(it->subject);
	free(it->summary);
	for (i = 0; i < it->ndetails; i++) {
		free(it->details[i].key);
		free(it->details[i].value);
	}
	free(it->details);
	free(it->cause);
	free(it->bounce);
	for (i = 0; i < it->nfix; i++)
		free(it->fix[i]);
	free(it->fix);
	free(it);
}

sd_check_item *
sd_check_list_add(sd_check_list *l, const char *id, sd_check_status st)
{
	sd_check_item *it;

	if (l == NULL)
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		sd_check_item **v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			l->nomem = 1;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	it = sd_check_item_new(id, st);
	if (it == NULL) {
		l->nomem = 1;
		return NULL;
	}
	l->v[l->n++] = it;
	return it;
}

void
sd_check_list_free(sd_check_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		sd_check_item_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	l->nomem = 0;
}

sd_check_status
sd_check_list_worst(const sd_check_list *l)
{
	sd_check_status w = SD_CHECK_PASS;
	size_t i;

	for (i = 0; l != NULL && i < l->n; i++)
		if (l->v[i]->status > w)
			w = l->v[i]->status;
	return w;
}

sd_check_item *
sd_check_list_find(const sd_check_list *l, const char *id, const char *subject)
{
	size_t i;

	for (i = 0; l != NULL && id != NULL && i < l->n; i++) {
		sd_check_item *it = l->v[i];

		if (strcmp(it->id, id) != 0)
			continue;
		if (subject == NULL || (it->subject != NULL && strcmp(it->subject, subject) == 0))
			return it;
	}
	return NULL;
}

smtpdoc_status
sd_check_list_status(const sd_check_list *l)
{
	size_t i;

	if (l == NULL)
		return SMTPDOC_OK;
	if (l->nomem)
		return SMTPDOC_ENOMEM;
	for (i = 0; i < l->n; i++)
		if (l->v[i]->nomem)
			return SMTPDOC_ENOMEM;
	return SMTPDOC_OK;
}

/* sd_check_set - replace *slot by s (already allocated, or NULL on OOM) */
static int
sd_check_set(sd_check_item *it, char **slot, char *s)
{
	if (s == NULL) {
		it->nomem = 1;
		return -1;
	}
	free(*slot);
	*slot = s;
	return 0;
}

int
sd_check_item_subject(sd_check_item *it, const char *subject)
{
	if (it == NULL)
		return -1;
	return sd_check_set(it, &it->subject, sd_check_strdup(subject != NULL ? subject : ""));
}

int
sd_check_item_cause(sd_check_item *it, const char *cause_id)
{
	if (it == NULL)
		return -1;
	if (cause_id == NULL) {
		free(it->cause);
		it->cause = NULL;
		return 0;
	}
	return sd_check_set(it, &it->cause, sd_check_strdup(cause_id));
}

int
sd_check_item_summary(sd_check_item *it, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (it == NULL)
		return -1;
	va_start(ap, fmt);
	s = sd_check_vformat(fmt, ap);
	va_end(ap);
	return sd_check_set(it, &it->summary, s);
}

int
sd_check_item_bounce(sd_check_item *it, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (it == NULL)
		return -1;
	va_start(ap, fmt);
	s = sd_check_vformat(fmt, ap);
	va_end(ap);
	return sd_check_set(it, &it->bounce, s);
}

int
sd_check_item_fix(sd_check_item *it, const char *fmt, ...)
{
	va_list ap;
	char **v;
	char *s;

	if (it == NULL)
		return -1;
	va_start(ap, fmt);
	s = sd_check_vformat(fmt, ap);
	va_end(ap);
	v = s != NULL ? realloc(it->fix, (it->nfix + 1) * sizeof(*v)) : NULL;
	if (v == NULL) {
		free(s);
		it->nomem = 1;
		return -1;
	}
	it->fix = v;
	it->fix[it->nfix++] = s;
	return 0;
}

/* sd_check_add_kv - append key and an allocated value (NULL on OOM) */
static int
sd_check_add_kv(sd_check_item *it, const char *key, char *value)
{
	sd_check_kv *v;
	char *k = value != NULL ? sd_check_strdup(key) : NULL;

	v = k != NULL ? realloc(it->details, (it->ndetails + 1) * sizeof(*v)) : NULL;
	if (v == NULL) {
		free(k);
		free(value);
		it->nomem = 1;
		return -1;
	}
	it->details = v;
	it->details[it->ndetails].key = k;
	it->details[it->ndetails].value = value;
	it->ndetails++;
	return 0;
}

int
sd_check_item_detail(sd_check_item *it, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (it == NULL)
		return -1;
	va_start(ap, fmt);
	s = sd_check_vformat(fmt, ap);
	va_end(ap);
	return sd_check_add_kv(it, key, s);
}

int
sd_check_item_detail_text(sd_check_item *it, const char *key, const char *text, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0, n = len > SD_CHECK_MAX_VALUE ? SD_CHECK_MAX_VALUE : len;
	char *s;

	if (it == NULL)
		return -1;
	/* worst case every byte becomes \xHH, plus "..." and the NUL */
	s = malloc(n * 4 + 4);
	if (s == NULL) {
		it->nomem = 1;
		return -1;
	}
	for (i = 0; i < n && text != NULL; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			s[o++] = (char)c;
		} else {
			s[o++] = '\\';
			s[o++] = 'x';
			s[o++] = hex[c >> 4];
			s[o++] = hex[c & 15];
		}
	}
	if (n < len) {
		memcpy(s + o, "...", 3);
		o += 3;
	}
	s[o] = '\0';
	return sd_check_add_kv(it, key, s);
}

void
sd_check_item_worsen(sd_check_item *it, sd_check_status st)
{
	if (it != NULL && st > it->status)
		it->status = st;
}

smtpdoc_check_item *
sd_check_list_publish(const sd_check_list *l)
{
	smtpdoc_check_item *items = calloc(l->n ? l->n : 1, sizeof(*items));
	size_t i, k;

	if (items == NULL)
		return NULL;
	for (i = 0; i < l->n; i++) {
		const sd_check_item *it = l->v[i];
		smtpdoc_check_item *o = &items[i];
		const char **fix = calloc(it->nfix + 1, sizeof(*fix));
		smtpdoc_check_detail *det = calloc(it->ndetails ? it->ndetails : 1, sizeof(*det));
		if (fix == NULL || det == NULL) {
			free(fix);
			free(det);
			sd_check_items_free(items, l->n);
			return NULL;
		}
		for (k = 0; k < it->nfix; k++)
			fix[k] = it->fix[k];
		for (k = 0; k < it->ndetails; k++) {
			det[k].key = it->details[k].key;
			det[k].value = it->details[k].value;
		}
		o->check = it->id;
		o->subject = it->subject;
		o->status = sd_check_status_name(it->status);
		o->summary = it->summary ? it->summary : "";
		o->cause = it->cause;
		o->bounce = it->bounce;
		o->fix = fix;
		o->details = det;
		o->ndetails = it->ndetails;
	}
	return items;
}

void
sd_check_items_free(smtpdoc_check_item *items, size_t n)
{
	size_t i;

	for (i = 0; items && i < n; i++) {
		free((void *)items[i].fix);
		free((void *)items[i].details);
	}
	free(items);
}
