/*
 * audit_aliases.c - alias files as `smtpdoc audit` reads them.
 *
 * Entry points (audit.h):
 *   sd_audit_parse_aliases   aliases(5): "name: target, target", targets
 *                            continued on lines that start with white
 *                            space, '#' comments, ":include:/path" targets
 *                            read from that file (one list of targets,
 *                            nested at most SD_AUDIT_MAX_INCLUDE deep)
 *   sd_audit_parse_valiases  cPanel /etc/valiases/DOMAIN: one forwarder a
 *                            line, "local: targets" or "local@domain:
 *                            targets"; "*" is the catch-all; a ":fail:"
 *                            value is one target up to the end of the line
 *   sd_audit_parse_map       Postfix map source text ("key value", the
 *                            value being the rest of the logical line)
 *
 * Everything goes into the model (audit_cfg.c); lines that do not fit
 * the syntax are warnings naming file and line.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"

typedef struct sd_alias_ctx {
	sd_audit_cfg *c;
	const char *file;
	const char *domain; /* valiases */
	int kind;           /* aliases(5): SD_ALIAS_SYSTEM or SD_ALIAS_LOCAL */
	int depth;          /* :include: nesting */
	const char **targets;
	size_t ntargets;    /* collecting an :include: list */
} sd_alias_ctx;

static void sd_aliases_text(sd_alias_ctx *x, const char *file, const char *text, size_t len);

/* sd_alias_targets - split value into targets, reading :include: files;
 * appends to t (at most SD_AUDIT_MAX_TARGETS) */
static void
sd_alias_targets(sd_alias_ctx *x, unsigned long lineno, const char *value, const char **t, size_t *nt)
{
	const char *parts[SD_AUDIT_MAX_TARGETS];
	int n = sd_audit_split(x->c, value, 0, parts, SD_AUDIT_MAX_TARGETS), i;

	for (i = 0; i < n; i++) {
		if (sd_strcaseprefix(parts[i], ":include:")) {
			const char *path = parts[i] + 9;
			sd_alias_ctx sub;
			char *text;
			size_t len;
			size_t k;

			while (*path == ' ' || *path == '\t')
				path++;
			if (x->depth >= SD_AUDIT_MAX_INCLUDE) {
				sd_audit_warn(x->c, x->file, lineno, ":include: nested more than %d deep; %s not read",
					      SD_AUDIT_MAX_INCLUDE, path);
				continue;
			}
			if (sd_audit_read(x->c, path, &text, &len) != 0) {
				if (text == NULL)
					sd_audit_warn(x->c, x->file, lineno, ":include: file %s cannot be read",
						      path);
				continue;
			}
			sub = *x;
			sub.depth = x->depth + 1;
			sub.file = path;
			sub.targets = calloc(SD_AUDIT_MAX_TARGETS, sizeof(*sub.targets));
			sub.ntargets = 0;
			if (sub.targets == NULL) {
				x->c->nomem = 1;
				free(text);
				continue;
			}
			sd_aliases_text(&sub, path, text, len);
			for (k = 0; k < sub.ntargets && *nt < SD_AUDIT_MAX_TARGETS; k++)
				t[(*nt)++] = sub.targets[k];
			free(sub.targets);
			free(text);
			continue;
		}
		if (*nt < SD_AUDIT_MAX_TARGETS)
			t[(*nt)++] = parts[i];
	}
	if (n == SD_AUDIT_MAX_TARGETS || *nt >= SD_AUDIT_MAX_TARGETS)
		sd_audit_warn(x->c, x->file, lineno, "more than %d targets; the rest are left out",
			      SD_AUDIT_MAX_TARGETS);
}

/* sd_alias_line - one logical line of an aliases(5) file, or of an
 * :include: file (then every line is a list of targets) */
static int
sd_alias_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_alias_ctx *x = ctx;
	const char **t;
	size_t nt = 0;
	char *colon;

	(void)len;
	if (x->targets) { /* inside an :include: file */
		sd_alias_targets(x, lineno, line, x->targets, &x->ntargets);
		return 0;
	}
	colon = strchr(line, ':');
	if (colon == NULL || colon == line) {
		sd_audit_warn(x->c, x->file, lineno, "no \"name:\" at the start; line skipped");
		return 0;
	}
	*colon = '\0';
	sd_trim(line);
	if (line[0] == '"') { /* a quoted name */
		size_t n = strlen(line);
		if (n >= 2 && line[n - 1] == '"') {
			line[n - 1] = '\0';
			line++;
		}
	}
	if (line[0] == '\0' || strpbrk(line, " \t,") != NULL) {
		sd_audit_warn(x->c, x->file, lineno, "\"%.60s\" is not an alias name; line skipped", line);
		return 0;
	}
	t = calloc(SD_AUDIT_MAX_TARGETS, sizeof(*t));
	if (t == NULL) {
		x->c->nomem = 1;
		return 1;
	}
	sd_alias_targets(x, lineno, colon + 1, t, &nt);
	if (nt == 0)
		sd_audit_warn(x->c, x->file, lineno, "alias %s has no target", line);
	else
		sd_audit_alias_add(x->c, x->kind, line, NULL, t, nt,
				   sd_audit_src(x->c, x->file, lineno));
	free(t);
	return 0;
}

static void
sd_aliases_text(sd_alias_ctx *x, const char *file, const char *text, size_t len)
{
	sd_audit_lines(x->c, file, text, len, 1, sd_alias_line, x);
}

void
sd_audit_parse_aliases(sd_audit_cfg *c, int kind, const char *file, const char *text, size_t len)
{
	sd_alias_ctx x;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.kind = kind;
	x.file = file;
	sd_aliases_text(&x, file, text, len);
}

/* ---- cPanel valiases ---------------------------------------------------- */

static int
sd_valias_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_alias_ctx *x = ctx;
	const char *t[SD_AUDIT_MAX_TARGETS];
	char key[512], *colon, *value, *at;
	int n;

	(void)len;
	colon = strchr(line, ':');
	if (colon == NULL || colon == line) {
		sd_audit_warn(x->c, x->file, lineno, "no \"address:\" at the start; line skipped");
		return 0;
	}
	*colon = '\0';
	value = colon + 1;
	sd_trim(line);
	if (line[0] == '\0' || strpbrk(line, " \t,") != NULL || strlen(line) >= sizeof(key)) {
		sd_audit_warn(x->c, x->file, lineno, "\"%.60s\" is not an address; line skipped", line);
		return 0;
	}
	/* "local@domain" of this file's domain, "local", or "*" */
	at = strrchr(line, '@');
	if (at) {
		*at = '\0';
		if (strcmp(sd_lower(at + 1), x->domain) != 0) {
			sd_audit_warn(x->c, x->file, lineno, "address of another domain (%s) in the file of %s; "
				      "Exim never reads it here", at + 1, x->domain);
			return 0;
		}
	}
	snprintf(key, sizeof(key), "%s", line[0] ? line : "*");
	while (*value == ' ' || *value == '\t')
		value++;
	if (sd_strcaseprefix(value, ":fail:") || sd_strcaseprefix(value, ":defer:")) {
		t[0] = sd_arena_strdup(x->c->arena, sd_trim(value));
		n = t[0] ? 1 : -1;
	} else {
		n = sd_audit_split(x->c, value, 0, t, SD_AUDIT_MAX_TARGETS);
	}
	if (n < 0) {
		x->c->nomem = 1;
		return 1;
	}
	if (n == 0) {
		sd_audit_warn(x->c, x->file, lineno, "forwarder %s has no target", key);
		return 0;
	}
	sd_audit_alias_add(x->c, SD_ALIAS_VALIAS, key, x->domain, t, (size_t)n,
			   sd_audit_src(x->c, x->file, lineno));
	return 0;
}

void
sd_audit_parse_valiases(sd_audit_cfg *c, const char *file, const char *domain, const char *text, size_t len)
{
	sd_alias_ctx x;
	char dom[SD_DNSCHECK_NAME_MAX];

	if (sd_dnscheck_domain_norm(domain, dom) != 0) {
		sd_audit_warn(c, file, 0, "named after \"%.60s\", which is not a domain; not read", domain);
		return;
	}
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.file = file;
	x.domain = dom;
	sd_audit_lines(c, file, text, len, 0, sd_valias_line, &x);
}

/* ---- Postfix map source files ------------------------------------------- */

typedef struct sd_map_ctx {
	sd_audit_cfg *c;
	const char *file;
	sd_audit_map_fn fn;
	void *ctx;
} sd_map_ctx;

static int
sd_map_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_map_ctx *x = ctx;
	char *p = line;

	(void)len;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p == '\0') {
		sd_audit_warn(x->c, x->file, lineno, "key \"%.60s\" has no value; line skipped", line);
		return 0;
	}
	*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	x->fn(x->c, x->ctx, sd_lower(line), p, sd_audit_src(x->c, x->file, lineno));
	return 0;
}

void
sd_audit_parse_map(sd_audit_cfg *c, const char *file, const char *text, size_t len, sd_audit_map_fn fn,
		   void *ctx)
{
	sd_map_ctx x = {c, file, fn, ctx};

	sd_audit_lines(c, file, text, len, 1, sd_map_line, &x);
}
