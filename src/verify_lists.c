/*
 * verify_lists.c - the files around `smtpdoc verify`: reading an address
 * list (plain or CSV, through address_file.c's streaming reader) and
 * reading back the answers an earlier run wrote (JSON lines or CSV), so
 * that a run over a long list can be resumed where it stopped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "address.h"
#include "internal.h"

static FILE *
sd_open(const char *path, char *err, size_t errlen)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (fp == NULL && err)
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	return fp;
}

smtpdoc_status
smtpdoc_address_list_read(const char *path, const char *column, smtpdoc_list_fn on_address,
			  smtpdoc_list_error_fn on_error, void *ctx, char *err, size_t errlen)
{
	sd_addrlist_opts o = {SD_ADDRLIST_AUTO, column};
	sd_addrlist_item item;
	sd_addrlist_status st;
	smtpdoc_status rc = SMTPDOC_OK;
	sd_addrlist *r;
	FILE *fp;

	if (err && errlen)
		err[0] = '\0';
	if ((fp = sd_open(path, err, errlen)) == NULL)
		return SMTPDOC_EIO;
	if ((r = sd_addrlist_new(fp, &o)) == NULL) {
		if (fp != stdin)
			fclose(fp);
		return SMTPDOC_ENOMEM;
	}
	while ((st = sd_addrlist_next(r, &item)) != SD_ADDRLIST_END) {
		if (st == SD_ADDRLIST_ERROR) {
			if (err)
				snprintf(err, errlen, "%s: line %lu: %s", path, item.line, item.text);
			rc = SMTPDOC_EIO;
			break;
		}
		if (st == SD_ADDRLIST_BAD) {
			if (on_error)
				on_error(ctx, item.line, item.text);
			continue;
		}
		if (memchr(item.text, '\0', item.len) != NULL) {
			/* the callback takes a C string: say so rather than
			 * check the text before the NUL */
			if (on_error)
				on_error(ctx, item.line, "the address holds a NUL byte");
			continue;
		}
		if (on_address(ctx, item.line, item.text) != 0)
			break;
	}
	sd_addrlist_free(r);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

/* One JSON line: its "input" field, or NULL. */
static void
sd_done_json(const char *line, size_t len, void (*fn)(void *ctx, const char *input), void *ctx)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o, *in;

	if (tok == NULL)
		return;
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (o && json_object_object_get_ex(o, "input", &in) && json_object_is_type(in, json_type_string))
		fn(ctx, json_object_get_string(in));
	json_object_put(o);
	json_tokener_free(tok);
}

smtpdoc_status
smtpdoc_verify_read_done(const char *path, void (*fn)(void *ctx, const char *input), void *ctx, char *err,
			 size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int c;
	FILE *fp;

	if (err && errlen)
		err[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return SMTPDOC_OK; /* nothing done yet */
		if (err)
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return SMTPDOC_EIO;
	}
	c = getc(fp);
	if (c == EOF) {
		fclose(fp);
		return SMTPDOC_OK;
	}
	ungetc(c, fp);
	if (c == '{') {
		/* JSON lines; a last line cut short by an interrupted run does
		 * not parse and is simply not counted as done */
		while ((n = getline(&line, &cap, fp)) > 0)
			sd_done_json(line, (size_t)n, fn, ctx);
		free(line);
	} else {
		/* CSV as verify writes it: the "input" column */
		sd_addrlist_opts o = {SD_ADDRLIST_CSV, "input"};
		sd_addrlist *r = sd_addrlist_new(fp, &o);
		sd_addrlist_item item;
		sd_addrlist_status st;
		if (r == NULL) {
			fclose(fp);
			return SMTPDOC_ENOMEM;
		}
		while ((st = sd_addrlist_next(r, &item)) != SD_ADDRLIST_END && st != SD_ADDRLIST_ERROR)
			if (st == SD_ADDRLIST_ADDRESS)
				fn(ctx, item.text);
		sd_addrlist_free(r);
	}
	fclose(fp);
	return SMTPDOC_OK;
}
