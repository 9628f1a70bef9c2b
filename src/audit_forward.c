/*
 * audit_forward.c - the .forward files of system users, as Postfix's
 * local(8) (after alias_maps) and Exim's userforward router read them.
 *
 * Entry points (audit.h):
 *   sd_audit_load_forwards  HOME/.forward of every user in /etc/passwd
 *                           that has a home, read under the root
 *   sd_audit_parse_forward  one .forward text: entries separated by
 *                           commas or line ends, '#' comment lines; an
 *                           entry is an address or local name, "\user"
 *                           (the user's own mailbox), "|command" (quoted
 *                           when it holds spaces), "/file" or
 *                           ":include:/file"
 * All entries of a file become one SD_ALIAS_FORWARD alias whose key is
 * the user name and whose source is the file and the line of its first
 * entry. Routes follow only the addresses; commands, files and :include:
 * lists are shown as such, not run or read.
 *
 * Bad input (binary junk, an overlong line, an entry with white space
 * that is neither quoted nor a command) is a warning naming file and line;
 * the rest of the file is still read. Nothing here allocates outside the
 * model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

typedef struct sd_fwd_ctx {
	sd_audit_cfg *c;
	const char *file;
	const char **targets;   /* SD_AUDIT_MAX_TARGETS slots */
	size_t n;
	unsigned long first;    /* line of the first entry */
	int full;               /* the target limit was hit */
} sd_fwd_ctx;

static int
sd_fwd_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_fwd_ctx *x = ctx;
	const char *parts[SD_AUDIT_MAX_TARGETS];
	int n = sd_audit_split(x->c, line, 0, parts, SD_AUDIT_MAX_TARGETS), i;

	(void)len;
	if (n < 0)
		return 1;
	for (i = 0; i < n; i++) {
		const char *t = parts[i];
		if (t[0] != '|' && !sd_strcaseprefix(t, ":include:") && strpbrk(t, " \t") != NULL) {
			sd_audit_warn(x->c, x->file, lineno, "\"%.60s\" is not an address; entry skipped", t);
			continue;
		}
		if (x->n >= SD_AUDIT_MAX_TARGETS) {
			if (!x->full)
				sd_audit_warn(x->c, x->file, lineno, "more than %d entries; the rest are left out",
					      SD_AUDIT_MAX_TARGETS);
			x->full = 1;
			return 0;
		}
		if (x->n == 0)
			x->first = lineno;
		x->targets[x->n++] = t;
	}
	return 0;
}

void
sd_audit_parse_forward(sd_audit_cfg *c, const char *file, const char *user, const char *text, size_t len)
{
	sd_fwd_ctx x;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.file = file;
	if ((x.targets = calloc(SD_AUDIT_MAX_TARGETS, sizeof(*x.targets))) == NULL) {
		c->nomem = 1;
		return;
	}
	sd_audit_lines(c, file, text, len, 0, sd_fwd_line, &x);
	if (x.n > 0)
		sd_audit_alias_add(c, SD_ALIAS_FORWARD, user, NULL, x.targets, x.n, sd_audit_src(c, file, x.first));
	else if (!c->nomem)
		sd_audit_warn(c, file, 0, "no address in this .forward file; mail stays in the mailbox");
	free(x.targets);
}

void
sd_audit_load_forwards(sd_audit_cfg *c)
{
	size_t i, n = c->nuser; /* parsing adds no users */

	for (i = 0; i < n && !c->nomem; i++) {
		const sd_audit_user *u = &c->user[i];
		char path[1100], *text;
		size_t len;

		if (u->home == NULL || u->home[0] != '/')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s%s.forward", u->home,
				     u->home[strlen(u->home) - 1] == '/' ? "" : "/") >= sizeof(path))
			continue;
		if (sd_audit_read(c, path, &text, &len) != 0)
			continue;
		sd_audit_parse_forward(c, path, u->name, text, len);
		free(text);
	}
}
