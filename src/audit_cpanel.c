/*
 * audit_cpanel.c - the cPanel/Exim mail layout as `smtpdoc audit` reads it.
 *
 * Entry point: sd_audit_load_cpanel (audit.h). Files, all under the root:
 *   /etc/localdomains, /etc/remotedomains   one domain a line: delivered
 *                                           here, or sent to its MX
 *   /etc/userdomains                        "domain: user", the cPanel
 *                                           account that owns a domain
 *   /etc/vdomainaliases                     "alias.domain: real.domain"
 *   /etc/valiases/DOMAIN                    forwarders (audit_aliases.c)
 *   /etc/aliases                            system aliases, aliases(5)
 *   /etc/localaliases                       aliases(5) too, for this
 *                                           server's own host name
 *   /etc/passwd                             system users and their homes
 *   HOME/.forward                           each user's (audit_forward.c)
 *   /home/USER/etc/DOMAIN/passwd            the mailboxes of DOMAIN:
 *                                           "box:hash:uid:gid::DIR:shell",
 *                                           DIR the Maildir (default
 *                                           /home/USER/mail/DOMAIN/box)
 * Missing files are normal (a server without forwarders has no
 * valiases); unreadable ones and lines that do not fit are warnings.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"

typedef struct sd_cp_ctx {
	sd_audit_cfg *c;
	const char *file;
	unsigned flag;       /* localdomains/remotedomains */
	const char *user;    /* mailbox passwd: owner and domain */
	const char *domain;
} sd_cp_ctx;

/* sd_cp_read - read path and walk its lines with fn; 1 when it exists */
static int
sd_cp_read(sd_audit_cfg *c, const char *path, sd_audit_line_fn fn, sd_cp_ctx *x)
{
	char *text;
	size_t len;
	int r = sd_audit_read(c, path, &text, &len);

	if (r == 1)
		return 0;
	if (r == 0) {
		x->c = c;
		x->file = path;
		sd_audit_lines(c, path, text, len, 0, fn, x);
		free(text);
	}
	return 1;
}

static int
sd_cp_domain_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_cp_ctx *x = ctx;

	(void)len;
	sd_trim(line);
	if (sd_audit_domain_get(x->c, line) == NULL) {
		if (!x->c->nomem)
			sd_audit_warn(x->c, x->file, lineno, "\"%.60s\" is not a domain name; skipped", line);
		return 0;
	}
	sd_audit_domain_mark(x->c, line, x->flag, sd_audit_src(x->c, x->file, lineno));
	return 0;
}

/* sd_cp_pair - split "left: right"; 0, or -1 with a warning */
static int
sd_cp_pair(sd_cp_ctx *x, unsigned long lineno, char *line, char **left, char **right)
{
	char *colon = strchr(line, ':');

	if (colon == NULL) {
		sd_audit_warn(x->c, x->file, lineno, "no \"name: value\" on this line; skipped");
		return -1;
	}
	*colon = '\0';
	*left = sd_trim(line);
	*right = sd_trim(colon + 1);
	if (**left == '\0' || **right == '\0') {
		sd_audit_warn(x->c, x->file, lineno, "an empty name or value; skipped");
		return -1;
	}
	return 0;
}

static int
sd_cp_userdomain_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_cp_ctx *x = ctx;
	sd_audit_domain *d;
	char *dom, *user;

	(void)len;
	if (sd_cp_pair(x, lineno, line, &dom, &user) != 0 || strcmp(dom, "*") == 0)
		return 0;
	if ((d = sd_audit_domain_get(x->c, dom)) == NULL) {
		if (!x->c->nomem)
			sd_audit_warn(x->c, x->file, lineno, "\"%.60s\" is not a domain name; skipped", dom);
		return 0;
	}
	if (strchr(user, '/') != NULL || strcmp(user, "..") == 0) {
		sd_audit_warn(x->c, x->file, lineno, "\"%.60s\" is not a user name; skipped", user);
		return 0;
	}
	if (d->owner == NULL && (d->owner = sd_arena_strdup(x->c->arena, user)) == NULL)
		x->c->nomem = 1;
	return 0;
}

static int
sd_cp_vdomalias_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_cp_ctx *x = ctx;
	char norm[SD_DNSCHECK_NAME_MAX];
	sd_audit_domain *d;
	char *from, *to;

	(void)len;
	if (sd_cp_pair(x, lineno, line, &from, &to) != 0)
		return 0;
	if ((d = sd_audit_domain_get(x->c, from)) == NULL || sd_dnscheck_domain_norm(to, norm) != 0) {
		if (!x->c->nomem)
			sd_audit_warn(x->c, x->file, lineno, "not two domain names; skipped");
		return 0;
	}
	d->alias_of = sd_arena_strdup(x->c->arena, norm);
	d->alias_src = sd_audit_src(x->c, x->file, lineno);
	return 0;
}

static int
sd_cp_passwd_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_cp_ctx *x = ctx;
	char *f[7], *p = line, addr[600];
	int n = 0;

	(void)len;
	f[n++] = p;
	while (n < 7 && (p = strchr(p, ':')) != NULL) {
		*p++ = '\0';
		f[n++] = p;
	}
	if (n < 6 || f[0][0] == '\0' || strpbrk(f[0], " \t@/") != NULL) {
		sd_audit_warn(x->c, x->file, lineno, "not a \"box:hash:uid:gid::dir:shell\" line; skipped");
		return 0;
	}
	if (x->domain == NULL) { /* /etc/passwd */
		sd_audit_user_add(x->c, f[0], f[5][0] ? f[5] : NULL, sd_audit_src(x->c, x->file, lineno));
		return 0;
	}
	snprintf(addr, sizeof(addr), "%s@%s", f[0], x->domain);
	if (f[5][0] == '\0') {
		char dir[1024];
		snprintf(dir, sizeof(dir), "/home/%s/mail/%s/%s", x->user, x->domain, f[0]);
		sd_audit_mailbox_add(x->c, addr, dir, sd_audit_src(x->c, x->file, lineno));
	} else {
		sd_audit_mailbox_add(x->c, addr, f[5], sd_audit_src(x->c, x->file, lineno));
	}
	return 0;
}

void
sd_audit_load_passwd(sd_audit_cfg *c)
{
	sd_cp_ctx x;

	memset(&x, 0, sizeof(x));
	sd_cp_read(c, "/etc/passwd", sd_cp_passwd_line, &x);
}

/* sd_cp_aliases - an aliases(5) file, when there is one */
static void
sd_cp_aliases(sd_audit_cfg *c, int kind, const char *path)
{
	char *text;
	size_t len;

	if (sd_audit_read(c, path, &text, &len) == 0) {
		sd_audit_parse_aliases(c, kind, path, text, len);
		free(text);
	}
}

int
sd_audit_load_cpanel(sd_audit_cfg *c)
{
	sd_cp_ctx x;
	char **names;
	size_t n, i;
	int found = 0;

	memset(&x, 0, sizeof(x));
	x.flag = SD_DOM_LOCAL;
	found |= sd_cp_read(c, "/etc/localdomains", sd_cp_domain_line, &x);
	x.flag = SD_DOM_REMOTE;
	found |= sd_cp_read(c, "/etc/remotedomains", sd_cp_domain_line, &x);
	found |= sd_cp_read(c, "/etc/userdomains", sd_cp_userdomain_line, &x);
	if (sd_audit_stat(c, "/etc/valiases") == 1)
		found = 1;
	if (!found)
		return 0;
	c->cpanel = 1;
	c->delims = "+"; /* plus addressing: local_part_suffix = +* */
	c->delims_src = "cPanel plus addressing (Exim local_part_suffix = +*)";
	sd_cp_read(c, "/etc/vdomainaliases", sd_cp_vdomalias_line, &x);
	sd_audit_load_passwd(c);
	sd_audit_load_forwards(c);
	sd_cp_aliases(c, SD_ALIAS_SYSTEM, "/etc/aliases");
	sd_cp_aliases(c, SD_ALIAS_LOCAL, "/etc/localaliases");
	if (sd_audit_dir(c, "/etc/valiases", &names, &n) == 0) {
		for (i = 0; i < n; i++) {
			char path[1024], *text;
			size_t len;
			snprintf(path, sizeof(path), "/etc/valiases/%s", names[i]);
			if (sd_audit_read(c, path, &text, &len) == 0) {
				sd_audit_parse_valiases(c, path, names[i], text, len);
				free(text);
			}
		}
		sd_audit_dir_free(names, n);
	}
	/* mailboxes of every domain an account owns */
	for (i = 0; i < c->ndom; i++) {
		char path[1024];
		if (c->dom[i].owner == NULL)
			continue;
		snprintf(path, sizeof(path), "/home/%s/etc/%s/passwd", c->dom[i].owner, c->dom[i].name);
		x.user = c->dom[i].owner;
		x.domain = c->dom[i].name;
		sd_cp_read(c, path, sd_cp_passwd_line, &x);
	}
	return 1;
}
