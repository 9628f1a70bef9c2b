/*
 * audit_cfg.c - the mail server configuration model of `smtpdoc audit`
 * (see audit.h): domains, aliases, mailboxes, users and warnings, and
 * reading files under the audited root.
 *
 * Entry points: sd_audit_cfg_new/free, sd_audit_warn, sd_audit_*_add and
 * *_find, sd_audit_read, sd_audit_stat. The model owns every string (one
 * arena) and array; look-ups are linear scans (a server's configuration
 * is read once per run).
 *
 * Files are opened under the root with O_NONBLOCK (a FIFO never blocks
 * the audit) and must be regular files of at most SD_AUDIT_MAX_FILE
 * bytes. A path holding a ".." component is refused so that nothing a
 * configuration names can lead outside the root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"

sd_audit_cfg *
sd_audit_cfg_new(const char *root)
{
	sd_audit_cfg *c = calloc(1, sizeof(*c));
	size_t n;

	if (c == NULL)
		return NULL;
	c->arena = sd_arena_new();
	if (root == NULL)
		root = "";
	n = strlen(root);
	while (n > 0 && root[n - 1] == '/')
		n--;
	c->root = c->arena ? sd_arena_strndup(c->arena, root, n) : NULL;
	if (c->root == NULL) {
		sd_audit_cfg_free(c);
		return NULL;
	}
	return c;
}

void
sd_audit_cfg_free(sd_audit_cfg *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nwarn; i++)
		free(c->warn[i]);
	free(c->warn);
	free(c->dom);
	free(c->alias);
	free(c->mbox);
	free(c->user);
	free(c->param);
	for (i = 0; i < c->nretab; i++)
		sd_audit_retable_free(c->retab[i]);
	free(c->retab);
	sd_arena_free(c->arena);
	free(c);
}

/* sd_audit_grow - room for one more element in *v; -1 on no memory */
static int
sd_audit_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > ((size_t)-1) / size)
		return -1;
	p = realloc(*v, ncap * size);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

void
sd_audit_warn(sd_audit_cfg *c, const char *file, unsigned long line, const char *fmt, ...)
{
	char msg[512], full[1024];
	va_list ap;
	size_t i;

	if (c->nwarn >= SD_AUDIT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(full, sizeof(full), "%s:%lu: %s", file, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", file, msg);
	/* one line of printable text, whatever the file name held */
	if (c->nwarn == SD_AUDIT_MAX_WARNINGS - 1)
		snprintf(full, sizeof(full), "(more warnings left out)");
	for (i = 0; full[i]; i++)
		if ((unsigned char)full[i] < 0x20 || (unsigned char)full[i] == 0x7f)
			full[i] = '?';
	if (sd_audit_grow((void **)&c->warn, &c->capwarn, c->nwarn, sizeof(*c->warn)) != 0 ||
	    (c->warn[c->nwarn] = strdup(full)) == NULL) {
		c->nomem = 1;
		return;
	}
	c->nwarn++;
}

const char *
sd_audit_src(sd_audit_cfg *c, const char *file, unsigned long line)
{
	char buf[1100];
	const char *s;

	if (line)
		snprintf(buf, sizeof(buf), "%s:%lu", file, line);
	else
		snprintf(buf, sizeof(buf), "%s", file);
	s = sd_arena_strdup(c->arena, buf);
	if (s == NULL)
		c->nomem = 1;
	return s;
}

const sd_audit_domain *
sd_audit_domain_find(const sd_audit_cfg *c, const char *name)
{
	size_t i;

	for (i = 0; name && i < c->ndom; i++)
		if (strcmp(c->dom[i].name, name) == 0)
			return &c->dom[i];
	return NULL;
}

sd_audit_domain *
sd_audit_domain_get(sd_audit_cfg *c, const char *name)
{
	char norm[SD_DNSCHECK_NAME_MAX];
	sd_audit_domain *d;

	if (sd_dnscheck_domain_norm(name, norm) != 0)
		return NULL;
	d = (sd_audit_domain *)sd_audit_domain_find(c, norm);
	if (d)
		return d;
	if (sd_audit_grow((void **)&c->dom, &c->capdom, c->ndom, sizeof(*c->dom)) != 0) {
		c->nomem = 1;
		return NULL;
	}
	d = &c->dom[c->ndom];
	memset(d, 0, sizeof(*d));
	if ((d->name = sd_arena_strdup(c->arena, norm)) == NULL) {
		c->nomem = 1;
		return NULL;
	}
	c->ndom++;
	return d;
}

void
sd_audit_domain_mark(sd_audit_cfg *c, const char *name, unsigned flag, const char *src)
{
	sd_audit_domain *d = sd_audit_domain_get(c, name);
	unsigned i;

	if (d == NULL)
		return;
	for (i = 0; i < SD_DOM_NCLASS; i++)
		if (flag == (1u << i) && d->src[i] == NULL)
			d->src[i] = src;
	d->flags |= flag;
}

int
sd_audit_alias_add(sd_audit_cfg *c, int kind, const char *key, const char *domain,
		   const char *const *targets, size_t ntargets, const char *src)
{
	sd_audit_alias *a;
	const char **t;
	size_t i;

	if (sd_audit_grow((void **)&c->alias, &c->capalias, c->nalias, sizeof(*c->alias)) != 0)
		goto nomem;
	t = sd_arena_alloc(c->arena, (ntargets ? ntargets : 1) * sizeof(*t));
	if (t == NULL)
		goto nomem;
	for (i = 0; i < ntargets; i++)
		if ((t[i] = sd_arena_strdup(c->arena, targets[i])) == NULL)
			goto nomem;
	a = &c->alias[c->nalias];
	a->kind = kind;
	a->key = sd_arena_strdup(c->arena, key);
	a->domain = domain ? sd_arena_strdup(c->arena, domain) : NULL;
	a->targets = t;
	a->ntargets = ntargets;
	a->src = src;
	if (a->key == NULL || (domain && a->domain == NULL))
		goto nomem;
	if (kind != SD_ALIAS_REGEXP) /* a pattern keeps its case */
		sd_lower((char *)a->key);
	c->nalias++;
	return 0;
nomem:
	c->nomem = 1;
	return -1;
}

int
sd_audit_retable_add(sd_audit_cfg *c, sd_audit_retable *t)
{
	if (sd_audit_grow((void **)&c->retab, &c->capretab, c->nretab, sizeof(*c->retab)) != 0) {
		sd_audit_retable_free(t);
		c->nomem = 1;
		return -1;
	}
	c->retab[c->nretab++] = t;
	return 0;
}

const sd_audit_alias *
sd_audit_alias_find(const sd_audit_cfg *c, int kind, const char *key, const char *domain)
{
	size_t i;

	for (i = 0; i < c->nalias; i++) {
		const sd_audit_alias *a = &c->alias[i];
		if (a->kind != kind || strcmp(a->key, key) != 0)
			continue;
		if (domain && (a->domain == NULL || strcmp(a->domain, domain) != 0))
			continue;
		return a;
	}
	return NULL;
}

void
sd_audit_mailbox_add(sd_audit_cfg *c, const char *address, const char *dir, const char *src)
{
	sd_audit_mailbox *m;

	if (sd_audit_mailbox_find(c, address))
		return;
	if (sd_audit_grow((void **)&c->mbox, &c->capmbox, c->nmbox, sizeof(*c->mbox)) != 0) {
		c->nomem = 1;
		return;
	}
	m = &c->mbox[c->nmbox];
	m->address = sd_arena_strdup(c->arena, address);
	m->dir = dir ? sd_arena_strdup(c->arena, dir) : NULL;
	m->src = src;
	if (m->address == NULL || (dir && m->dir == NULL)) {
		c->nomem = 1;
		return;
	}
	sd_lower((char *)m->address);
	c->nmbox++;
}

const sd_audit_mailbox *
sd_audit_mailbox_find(const sd_audit_cfg *c, const char *address)
{
	size_t i;

	for (i = 0; i < c->nmbox; i++)
		if (strcmp(c->mbox[i].address, address) == 0)
			return &c->mbox[i];
	return NULL;
}

void
sd_audit_user_add(sd_audit_cfg *c, const char *name, const char *home, const char *src)
{
	sd_audit_user *u;

	if (sd_audit_user_find(c, name))
		return;
	if (sd_audit_grow((void **)&c->user, &c->capuser, c->nuser, sizeof(*c->user)) != 0) {
		c->nomem = 1;
		return;
	}
	u = &c->user[c->nuser];
	u->name = sd_arena_strdup(c->arena, name);
	u->home = home ? sd_arena_strdup(c->arena, home) : NULL;
	u->src = src;
	if (u->name == NULL || (home && u->home == NULL)) {
		c->nomem = 1;
		return;
	}
	c->nuser++;
}

const sd_audit_user *
sd_audit_user_find(const sd_audit_cfg *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nuser; i++)
		if (strcmp(c->user[i].name, name) == 0)
			return &c->user[i];
	return NULL;
}

/* sd_audit_full - root + path into buf; -1 (with a warning) for a path
 * that is not absolute, holds "..", or does not fit */
static int
sd_audit_full(sd_audit_cfg *c, const char *path, char *buf, size_t size)
{
	const char *p;

	if (path[0] != '/') {
		sd_audit_warn(c, path, 0, "not an absolute path; not read");
		return -1;
	}
	for (p = path; (p = strstr(p, "..")) != NULL; p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0')) {
			sd_audit_warn(c, path, 0, "a path with \"..\" in it is not followed");
			return -1;
		}
	if ((size_t)snprintf(buf, size, "%s%s", c->root, path) >= size) {
		sd_audit_warn(c, path, 0, "path too long; not read");
		return -1;
	}
	return 0;
}

int
sd_audit_read(sd_audit_cfg *c, const char *path, char **text, size_t *len)
{
	char full[4096];
	struct stat st;
	char *buf = NULL;
	size_t have = 0;
	int fd;

	*text = NULL;
	*len = 0;
	if (sd_audit_full(c, path, full, sizeof(full)) != 0)
		return -1;
	fd = open(full, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		sd_audit_warn(c, path, 0, "cannot be read: %s", errno == ELOOP ? "a loop of symbolic links"
							   : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		sd_audit_warn(c, path, 0, "not a regular file; not read");
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > SD_AUDIT_MAX_FILE)
		sd_audit_warn(c, path, 0, "larger than %u bytes; only the start is read",
			      (unsigned)SD_AUDIT_MAX_FILE);
	buf = malloc(SD_AUDIT_MAX_FILE + 1 < (size_t)st.st_size + 1 ? SD_AUDIT_MAX_FILE + 1
								   : (size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		c->nomem = 1;
		return -1;
	}
	while (have < (size_t)st.st_size && have < SD_AUDIT_MAX_FILE) {
		size_t want = (size_t)st.st_size - have;
		ssize_t got;
		if (want > SD_AUDIT_MAX_FILE - have)
			want = SD_AUDIT_MAX_FILE - have;
		got = read(fd, buf + have, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			sd_audit_warn(c, path, 0, "read error: %s", strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		have += (size_t)got;
	}
	close(fd);
	buf[have] = '\0';
	*text = buf;
	*len = have;
	return 0;
}

int
sd_audit_stat(sd_audit_cfg *c, const char *path)
{
	char full[4096];
	struct stat st;

	if (sd_audit_full(c, path, full, sizeof(full)) != 0)
		return -1;
	if (stat(full, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		sd_audit_warn(c, path, 0, "cannot be looked at: %s",
			      errno == ELOOP ? "a loop of symbolic links" : strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? 1 : 2;
}

static int
sd_audit_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sd_audit_dir(sd_audit_cfg *c, const char *path, char ***names, size_t *n)
{
	char full[4096];
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;
	DIR *d;

	*names = NULL;
	*n = 0;
	if (sd_audit_full(c, path, full, sizeof(full)) != 0)
		return -1;
	if ((d = opendir(full)) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		sd_audit_warn(c, path, 0, "cannot be listed: %s",
			      errno == ELOOP ? "a loop of symbolic links" : strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n >= 100000) {
			sd_audit_warn(c, path, 0, "more than 100000 entries; the rest are left out");
			break;
		}
		if (sd_audit_grow((void **)&v, &cap, *n, sizeof(*v)) != 0 ||
		    (v[*n] = strdup(de->d_name)) == NULL) {
			c->nomem = 1;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), sd_audit_namecmp);
	*names = v;
	return 0;
}

void
sd_audit_dir_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
