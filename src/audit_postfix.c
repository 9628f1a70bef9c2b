/*
 * audit_postfix.c - Postfix's configuration as `smtpdoc audit` reads it.
 *
 * Entry points (audit.h): sd_audit_parse_maincf (main.cf text into
 * parameters), sd_audit_param_expand (a parameter's value with $name,
 * ${name}, $(name), ${name?text} and ${name:text} expanded, at most
 * SD_AUDIT_MAX_EXPAND deep, Postfix's defaults for the parameters read
 * here), sd_audit_load_postfix (/etc/postfix/main.cf under the root and
 * the tables it names).
 *
 * main.cf: "name = value" logical lines; '#' comments; a line that starts
 * with white space continues the one before. Lists are separated by
 * commas and white space. A list entry is a domain, a /file/name whose
 * words are entries, or a table "type:/path"; hash:, btree:, lmdb:,
 * cdb:, dbm:, sdbm: and texthash: tables are read from their source text
 * (the path itself, as postmap reads it); regexp: and pcre: tables of
 * aliases and mailboxes are parsed and evaluated (audit_regexp.c); other
 * types (mysql:, ldap:, pgsql:, proxy:, ...) cannot be read offline and
 * are a warning, as is a pattern table in a domain list. A domain list
 * that names a table matches the domains that are keys in it.
 *
 * Tables read: mydestination (local), virtual_alias_domains,
 * virtual_mailbox_domains, relay_domains (domains); virtual_alias_maps
 * (virtual aliases), virtual_mailbox_maps (mailboxes, under
 * virtual_mailbox_base), alias_maps (aliases(5) files). Also
 * recipient_delimiter and propagate_unmatched_extensions (address
 * extensions), and, without a cPanel layout, /etc/passwd and the users'
 * .forward files (audit_forward.c).
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"

static const struct {
	const char *name, *value;
} sd_pf_defaults[] = {
	{"mydomain", NULL}, /* worked out from myhostname */
	{"myorigin", "$myhostname"},
	{"mydestination", "$myhostname, localhost.$mydomain, localhost"},
	{"alias_maps", "hash:/etc/aliases"},
	{"alias_database", "hash:/etc/aliases"},
	{"virtual_alias_domains", "$virtual_alias_maps"},
	{"virtual_mailbox_domains", "$virtual_mailbox_maps"},
	{"config_directory", "/etc/postfix"},
	{"propagate_unmatched_extensions", "canonical, virtual"},
};

static int
sd_pf_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_audit_cfg *c = ctx;
	sd_audit_param *p;
	char *eq = strchr(line, '='), *name = line, *value;
	size_t i;

	(void)len;
	if (eq == NULL) {
		sd_audit_warn(c, "/etc/postfix/main.cf", lineno, "no \"name = value\" on this line; skipped");
		return 0;
	}
	*eq = '\0';
	value = sd_trim(eq + 1);
	sd_trim(name);
	for (i = 0; name[i]; i++)
		if (!sd_isalnum((unsigned char)name[i]) && name[i] != '_') {
			sd_audit_warn(c, "/etc/postfix/main.cf", lineno,
				      "\"%.60s\" is not a parameter name; skipped", name);
			return 0;
		}
	if (name[0] == '\0') {
		sd_audit_warn(c, "/etc/postfix/main.cf", lineno, "a value with no name; skipped");
		return 0;
	}
	/* a later setting wins, as in Postfix */
	for (i = 0; i < c->nparam; i++)
		if (strcmp(c->param[i].name, name) == 0)
			break;
	if (i == c->nparam) {
		if (c->nparam == c->capparam) {
			size_t ncap = c->capparam ? c->capparam * 2 : 32;
			void *np = realloc(c->param, ncap * sizeof(*c->param));
			if (np == NULL) {
				c->nomem = 1;
				return 1;
			}
			c->param = np;
			c->capparam = ncap;
		}
		c->nparam++;
	}
	p = &c->param[i];
	p->name = sd_arena_strdup(c->arena, name);
	p->value = sd_arena_strdup(c->arena, value);
	p->src = sd_audit_src(c, "/etc/postfix/main.cf", lineno);
	if (p->name == NULL || p->value == NULL)
		c->nomem = 1;
	return 0;
}

void
sd_audit_parse_maincf(sd_audit_cfg *c, const char *file, const char *text, size_t len)
{
	(void)file;
	sd_audit_lines(c, "/etc/postfix/main.cf", text, len, 1, sd_pf_line, c);
}

/* sd_pf_raw - the unexpanded value of name: main.cf, else the default */
static const char *
sd_pf_raw(const sd_audit_cfg *c, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < c->nparam; i++)
		if (strlen(c->param[i].name) == n && memcmp(c->param[i].name, name, n) == 0)
			return c->param[i].value;
	if (n == 10 && memcmp(name, "myhostname", n) == 0)
		return c->myhostname ? c->myhostname : "localhost";
	for (i = 0; i < sizeof(sd_pf_defaults) / sizeof(sd_pf_defaults[0]); i++)
		if (strlen(sd_pf_defaults[i].name) == n && memcmp(sd_pf_defaults[i].name, name, n) == 0)
			return sd_pf_defaults[i].value;
	return "";
}

static int sd_pf_expand(sd_audit_cfg *c, const char *s, size_t n, sd_buf *out, int depth);

/* sd_pf_value - name's expanded value appended to out */
static int
sd_pf_value(sd_audit_cfg *c, const char *name, size_t n, sd_buf *out, int depth)
{
	const char *raw = sd_pf_raw(c, name, n);

	if (raw == NULL && n == 8 && memcmp(name, "mydomain", 8) == 0) {
		/* the host name without its first label */
		sd_buf host;
		const char *dot;
		int r;
		sd_buf_init(&host, SD_AUDIT_MAX_LOGICAL);
		r = sd_pf_value(c, "myhostname", 10, &host, depth + 1);
		dot = host.data ? strchr(host.data, '.') : NULL;
		if (r == 0)
			r = sd_buf_adds(out, dot ? dot + 1 : "localdomain");
		sd_buf_free(&host);
		return r;
	}
	return sd_pf_expand(c, raw ? raw : "", raw ? strlen(raw) : 0, out, depth + 1);
}

static int
sd_pf_expand(sd_audit_cfg *c, const char *s, size_t n, sd_buf *out, int depth)
{
	size_t i = 0;

	if (depth > SD_AUDIT_MAX_EXPAND) {
		sd_audit_warn(c, "/etc/postfix/main.cf", 0, "$parameters nested more than %d deep (a loop?); "
			      "expansion stopped", SD_AUDIT_MAX_EXPAND);
		return -1;
	}
	while (i < n) {
		size_t start, nlen;
		if (s[i] != '$') {
			if (sd_buf_addc(out, s[i++]) != 0)
				return -1;
			continue;
		}
		i++;
		if (i < n && s[i] == '$') {
			if (sd_buf_addc(out, s[i++]) != 0)
				return -1;
			continue;
		}
		if (i < n && (s[i] == '{' || s[i] == '(')) {
			char close = s[i] == '{' ? '}' : ')';
			size_t level = 1, j, op = 0;
			start = ++i;
			for (j = i; j < n && level; j++) {
				if (s[j] == s[start - 1])
					level++;
				else if (s[j] == close && --level == 0)
					break;
				else if (level == 1 && op == 0 && (s[j] == '?' || s[j] == ':'))
					op = j;
			}
			if (j >= n) {
				sd_audit_warn(c, "/etc/postfix/main.cf", 0, "unclosed \"$%c\" in a value",
					      s[start - 1]);
				return -1;
			}
			i = j + 1;
			if (op) {
				sd_buf tmp;
				int r, empty;
				sd_buf_init(&tmp, SD_AUDIT_MAX_LOGICAL);
				r = sd_pf_value(c, s + start, op - start, &tmp, depth);
				empty = tmp.len == 0;
				sd_buf_free(&tmp);
				if (r != 0)
					return -1;
				if ((s[op] == '?' && !empty) || (s[op] == ':' && empty))
					if (sd_pf_expand(c, s + op + 1, j - op - 1, out, depth + 1) != 0)
						return -1;
				continue;
			}
			if (sd_pf_value(c, s + start, j - start, out, depth) != 0)
				return -1;
			continue;
		}
		start = i;
		while (i < n && (sd_isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		nlen = i - start;
		if (nlen == 0) {
			if (sd_buf_addc(out, '$') != 0)
				return -1;
			continue;
		}
		if (sd_pf_value(c, s + start, nlen, out, depth) != 0)
			return -1;
	}
	return 0;
}

const char *
sd_audit_param_expand(sd_audit_cfg *c, const char *name)
{
	sd_buf b;
	const char *r;

	sd_buf_init(&b, SD_AUDIT_MAX_LOGICAL);
	if (sd_pf_value(c, name, strlen(name), &b, 0) != 0)
		sd_buf_reset(&b);
	r = sd_arena_strdup(c->arena, b.data ? b.data : "");
	sd_buf_free(&b);
	if (r == NULL)
		c->nomem = 1;
	return r ? r : "";
}

/* ---- tables -------------------------------------------------------------- */

typedef struct sd_pf_use {
	const char *param;   /* the parameter the table is named in */
	unsigned flag;       /* a domain list: the class of its keys */
	int what;            /* 0 domain list, 1 virtual aliases, 2 mailboxes */
} sd_pf_use;

static void
sd_pf_entry(sd_audit_cfg *c, void *ctx, const char *key, const char *value, const char *src)
{
	const sd_pf_use *u = ctx;

	if (u->what == 0) {
		if (strchr(key, '@') == NULL && sd_audit_domain_get(c, key) != NULL)
			sd_audit_domain_mark(c, key, u->flag, src);
	} else if (u->what == 1) {
		const char *t[SD_AUDIT_MAX_TARGETS];
		int n = sd_audit_split(c, value, 1, t, SD_AUDIT_MAX_TARGETS);
		if (n > 0)
			sd_audit_alias_add(c, SD_ALIAS_VIRTUAL, key, NULL, t, (size_t)n, src);
	} else {
		char dir[2048];
		const char *base = c->virtual_mailbox_base ? c->virtual_mailbox_base : "";
		if (value[0] == '/')
			snprintf(dir, sizeof(dir), "%s", value);
		else
			snprintf(dir, sizeof(dir), "%s/%s", base, value);
		sd_audit_mailbox_add(c, key, dir, src);
	}
}

/* sd_pf_fixed - a regexp rule with a fixed result: its targets, for the
 * audit's alias checks */
static void
sd_pf_fixed(void *ctx, const char *pattern, const char *result, const char *src)
{
	sd_audit_cfg *c = ((void **)ctx)[0];
	const sd_pf_use *u = ((void **)ctx)[1];
	const char *t[SD_AUDIT_MAX_TARGETS];
	int n = sd_audit_split(c, result, u->what == 1, t, SD_AUDIT_MAX_TARGETS);

	if (n > 0)
		sd_audit_alias_add(c, SD_ALIAS_REGEXP, pattern, NULL, t, (size_t)n, src);
}

/* sd_pf_retable - a regexp: or pcre: table of aliases or mailboxes */
static void
sd_pf_retable(sd_audit_cfg *c, const char *path, int pcre, const sd_pf_use *u)
{
	static const int use[] = {0, SD_RETAB_VALIAS, SD_RETAB_MAILBOX, SD_RETAB_ALIASES};
	sd_audit_retable *t;
	char *text;
	size_t len;

	if (sd_audit_read(c, path, &text, &len) != 0) {
		if (text == NULL)
			sd_audit_warn(c, path, 0, "named in %s but missing or unreadable", u->param);
		return;
	}
	t = sd_audit_retable_parse(c, path, pcre, use[u->what], text, len);
	free(text);
	if (t == NULL || sd_audit_retable_add(c, t) != 0)
		return;
	if (u->what == 1 || u->what == 3) {
		void *ctx[2] = {c, (void *)u};
		sd_audit_retable_fixed(t, sd_pf_fixed, ctx);
	}
}

/* sd_pf_table - read one "type:name" table for u */
static void
sd_pf_table(sd_audit_cfg *c, const char *ref, const sd_pf_use *u)
{
	static const char *const readable[] = {"hash", "btree", "lmdb", "cdb", "dbm", "sdbm", "texthash"};
	const char *colon = strchr(ref, ':'), *path;
	size_t tlen = (size_t)(colon - ref), len, i;
	char *text;
	int ok = 0;

	if ((tlen == 6 && memcmp(ref, "regexp", 6) == 0) || (tlen == 4 && memcmp(ref, "pcre", 4) == 0)) {
		if (u->what == 0)
			sd_audit_warn(c, "/etc/postfix/main.cf", 0, "%s: %.80s is a pattern table; the domains "
				      "it matches cannot be listed offline and are not checked", u->param, ref);
		else
			sd_pf_retable(c, colon + 1, tlen == 4, u);
		return;
	}
	for (i = 0; i < sizeof(readable) / sizeof(readable[0]); i++)
		if (strlen(readable[i]) == tlen && memcmp(ref, readable[i], tlen) == 0)
			ok = 1;
	if (!ok) {
		sd_audit_warn(c, "/etc/postfix/main.cf", 0, "%s: table %.80s cannot be read offline; what it "
			      "holds is not checked", u->param, ref);
		return;
	}
	path = colon + 1;
	if (sd_audit_read(c, path, &text, &len) != 0) {
		if (text == NULL)
			sd_audit_warn(c, path, 0, "named in %s but missing or unreadable", u->param);
		return;
	}
	if (u->what == 3)
		sd_audit_parse_aliases(c, SD_ALIAS_SYSTEM, path, text, len);
	else
		sd_audit_parse_map(c, path, text, len, sd_pf_entry, (void *)u);
	free(text);
}

/* sd_pf_list - every entry of the list in parameter u->param */
static void
sd_pf_list(sd_audit_cfg *c, const sd_pf_use *u)
{
	const char *value = sd_audit_param_expand(c, u->param), **items;
	char src[128];
	int n, i;

	items = calloc(SD_AUDIT_MAX_TARGETS, sizeof(*items));
	if (items == NULL) {
		c->nomem = 1;
		return;
	}
	snprintf(src, sizeof(src), "/etc/postfix/main.cf: %s", u->param);
	n = sd_audit_split(c, value, 1, items, SD_AUDIT_MAX_TARGETS);
	for (i = 0; i < n; i++) {
		const char *e = items[i], *colon = strchr(e, ':');
		size_t k;
		if (colon && colon > e) {
			for (k = 0; e + k < colon && sd_isalnum((unsigned char)e[k]); k++)
				;
			if (e + k == colon) {
				sd_pf_table(c, e, u);
				continue;
			}
		}
		if (u->what != 0)
			continue;
		if (e[0] == '/') { /* a file of domain names */
			char *text;
			size_t len;
			if (sd_audit_read(c, e, &text, &len) == 0) {
				const char *words[SD_AUDIT_MAX_TARGETS];
				int nw = sd_audit_split(c, text, 1, words, SD_AUDIT_MAX_TARGETS), w;
				for (w = 0; w < nw; w++)
					sd_audit_domain_mark(c, words[w], u->flag, sd_audit_src(c, e, 0));
				free(text);
			}
			continue;
		}
		if (e[0] == '!')
			continue;
		if (sd_audit_domain_get(c, e) == NULL) {
			if (!c->nomem)
				sd_audit_warn(c, "/etc/postfix/main.cf", 0, "%s: \"%.60s\" is not a domain name",
					      u->param, e);
			continue;
		}
		sd_audit_domain_mark(c, e, u->flag, sd_arena_strdup(c->arena, src));
	}
	free(items);
}

/* sd_pf_extensions - recipient_delimiter and whether virtual aliases
 * propagate an unmatched extension (propagate_unmatched_extensions) */
static void
sd_pf_extensions(sd_audit_cfg *c)
{
	const char *prop, *words[32];
	size_t i;
	int n, k;

	c->delims = sd_audit_param_expand(c, "recipient_delimiter");
	c->delims_src = "/etc/postfix/main.cf: recipient_delimiter";
	for (i = 0; i < c->nparam; i++)
		if (strcmp(c->param[i].name, "recipient_delimiter") == 0)
			c->delims_src = c->param[i].src;
	prop = sd_audit_param_expand(c, "propagate_unmatched_extensions");
	n = sd_audit_split(c, prop, 1, words, sizeof(words) / sizeof(words[0]));
	c->propagate_ext = 0;
	for (k = 0; k < n; k++)
		if (strcmp(words[k], "virtual") == 0)
			c->propagate_ext = 1;
}

int
sd_audit_load_postfix(sd_audit_cfg *c)
{
	static const sd_pf_use uses[] = {
		{"mydestination", SD_DOM_LOCAL, 0},
		{"virtual_alias_domains", SD_DOM_VALIAS, 0},
		{"virtual_mailbox_domains", SD_DOM_VMAILBOX, 0},
		{"relay_domains", SD_DOM_REMOTE, 0},
		{"virtual_alias_maps", 0, 1},
		{"virtual_mailbox_maps", 0, 2},
		{"alias_maps", 0, 3},
	};
	char *text;
	size_t len, i;
	const char *base;

	if (sd_audit_read(c, "/etc/postfix/main.cf", &text, &len) != 0)
		return 0;
	c->postfix = 1;
	sd_audit_parse_maincf(c, "/etc/postfix/main.cf", text, len);
	free(text);
	base = sd_audit_param_expand(c, "virtual_mailbox_base");
	c->virtual_mailbox_base = base[0] ? base : NULL;
	c->home_mailbox = sd_audit_param_expand(c, "home_mailbox");
	if (!c->cpanel) {
		sd_pf_extensions(c);
		sd_audit_load_passwd(c);
		sd_audit_load_forwards(c);
	}
	for (i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		sd_pf_list(c, &uses[i]);
	return 1;
}
