/*
 * audit.h - the mail server configuration model behind `smtpdoc audit`
 * and `smtpdoc route` (internal, prefix sd_audit_ / sd_route_).
 *
 * Modules:
 *   audit_cfg.c      the model: domains, aliases, mailboxes, users,
 *                    warnings; reading files under the root safely
 *   audit_text.c     logical lines (comments, continuation lines, limits)
 *                    and target lists
 *   audit_aliases.c  aliases(5) files, cPanel valiases and Postfix map
 *                    source files
 *   audit_forward.c  the .forward files of system users
 *   audit_regexp.c   Postfix regexp: and pcre: tables, evaluated
 *   audit_pcre.c     which pcre: patterns POSIX regular expressions share
 *   audit_cpanel.c   the cPanel/Exim layout
 *   audit_postfix.c  Postfix main.cf: parameters, $expansion, lists, maps
 *   audit_extension.c address extensions (user+tag@domain) stripped
 *   audit_route.c    how one address is handled (alias chains, loops)
 *   audit_check.c    the audit findings as checklist items
 *   audit_report.c   the public API (smtpdoc_audit, smtpdoc_route)
 *   audit_output.c   the route and audit writers
 *
 * Ownership: an sd_audit_cfg owns everything in it (one arena plus its
 * arrays) and is released by sd_audit_cfg_free(). Parsers never print:
 * what they cannot read becomes a warning line "FILE:LINE: what" in the
 * config, and they go on.
 */
#ifndef SMTPDOC_AUDIT_INT_H
#define SMTPDOC_AUDIT_INT_H

#include <stddef.h>

#include "internal.h"
#include "dns.h"
#include "dnscheck.h"

/* Limits against hostile or broken input; each is a warning when hit. */
#define SD_AUDIT_MAX_FILE (16u * 1024 * 1024) /* bytes read from one file */
#define SD_AUDIT_MAX_LINE 8192                 /* one physical line */
#define SD_AUDIT_MAX_LOGICAL 65536             /* one logical line, joined */
#define SD_AUDIT_MAX_TARGETS 1000              /* targets of one alias */
#define SD_AUDIT_MAX_INCLUDE 5                 /* :include: nesting */
#define SD_AUDIT_MAX_EXPAND 20                 /* $parameter nesting */
#define SD_AUDIT_MAX_WARNINGS 1000             /* warnings kept */
#define SD_AUDIT_RE_MAX_KEY 320                /* bytes of an address a pattern sees */
#define SD_AUDIT_RE_MAX_PATTERN 1024           /* bytes of one pattern */
#define SD_AUDIT_RE_MAX_RULES 10000            /* rules of one table */
#define SD_AUDIT_RE_MAX_NEST 64                /* if ... endif nesting */
#define SD_AUDIT_RE_MAX_REPEAT 100             /* product of {n,m} counts */
#define SD_ROUTE_MAX_DEPTH 20                  /* aliases followed in a chain */
#define SD_ROUTE_MAX_STEPS 1000                /* steps of one route */

/* Domain classes (flags: a domain may be listed in several places). */
#define SD_DOM_LOCAL 0x01u    /* cPanel localdomains, Postfix mydestination */
#define SD_DOM_REMOTE 0x02u   /* cPanel remotedomains, Postfix relay_domains */
#define SD_DOM_VMAILBOX 0x04u /* Postfix virtual_mailbox_domains */
#define SD_DOM_VALIAS 0x08u   /* Postfix virtual_alias_domains */
#define SD_DOM_NCLASS 4

typedef struct sd_audit_domain {
	const char *name;            /* lower case */
	unsigned flags;
	const char *src[SD_DOM_NCLASS]; /* "FILE:LINE" or "main.cf: name" per flag */
	const char *owner;           /* cPanel user (userdomains), or NULL */
	const char *alias_of;        /* vdomainaliases target, or NULL */
	const char *alias_src;
} sd_audit_domain;

/* Alias kinds. */
enum {
	SD_ALIAS_SYSTEM = 1, /* aliases(5): /etc/aliases, Postfix alias_maps */
	SD_ALIAS_VALIAS,     /* cPanel /etc/valiases/DOMAIN */
	SD_ALIAS_VIRTUAL,    /* Postfix virtual_alias_maps */
	SD_ALIAS_LOCAL,      /* cPanel /etc/localaliases (aliases(5)) */
	SD_ALIAS_FORWARD,    /* a user's .forward; the key is the user name */
	SD_ALIAS_REGEXP,     /* a rule of a regexp:/pcre: table whose result
			      * holds no $n, kept for the audit's checks; the
			      * key is the pattern as written, never looked up */
};

/* What a Postfix regexp:/pcre: table is used for. */
enum {
	SD_RETAB_VALIAS = 1, /* virtual_alias_maps: key the address */
	SD_RETAB_MAILBOX,    /* virtual_mailbox_maps: key the address */
	SD_RETAB_ALIASES,    /* alias_maps: key the local name */
};
typedef struct sd_audit_retable sd_audit_retable; /* audit_regexp.c */

typedef struct sd_audit_alias {
	int kind;
	const char *key;             /* lower case: "name", "name@domain",
				      * "@domain", "*" (catch-all) */
	const char *domain;          /* valiases: the file's domain; else NULL */
	const char **targets;        /* as written, trimmed, quotes removed */
	size_t ntargets;
	const char *src;             /* "FILE:LINE" */
} sd_audit_alias;

typedef struct sd_audit_mailbox {
	const char *address;         /* box@domain, lower case */
	const char *dir;             /* as configured (absolute path on the
				      * server, not under the root) */
	const char *src;
} sd_audit_mailbox;

typedef struct sd_audit_user {
	const char *name;
	const char *home;            /* as configured, or NULL */
	const char *src;
} sd_audit_user;

typedef struct sd_audit_param {
	const char *name, *value;    /* value as written (unexpanded) */
	const char *src;
} sd_audit_param;

typedef struct sd_audit_cfg {
	sd_arena *arena;
	char *root;                  /* no final slash; "" for "/" */
	int cpanel, postfix;         /* which layouts were found */
	sd_audit_domain *dom;
	size_t ndom, capdom;
	sd_audit_alias *alias;
	size_t nalias, capalias;
	sd_audit_mailbox *mbox;
	size_t nmbox, capmbox;
	sd_audit_user *user;
	size_t nuser, capuser;
	sd_audit_param *param;       /* Postfix main.cf */
	size_t nparam, capparam;
	sd_audit_retable **retab;    /* Postfix regexp:/pcre: tables, in the
				      * order main.cf names them */
	size_t nretab, capretab;
	const char *virtual_mailbox_base; /* expanded, or NULL */
	const char *home_mailbox;    /* expanded, or NULL */
	const char *myhostname;      /* expanded, or NULL */
	const char *delims;          /* address extension delimiters: Postfix
				      * recipient_delimiter, "+" for cPanel;
				      * NULL or "" for none */
	const char *delims_src;      /* where that is said */
	int propagate_ext;           /* Postfix: virtual aliases copy an
				      * unmatched extension to their targets */
	char **warn;                 /* "FILE:LINE: what" */
	size_t nwarn, capwarn;
	int nomem;
} sd_audit_cfg;

/* ---- the model (audit_cfg.c) ------------------------------------------- */

/* A new empty model for the tree at root (NULL or "" means "/"); NULL on
 * no memory. */
sd_audit_cfg *sd_audit_cfg_new(const char *root);
void sd_audit_cfg_free(sd_audit_cfg *c);
/* Add a warning "FILE:LINE: what" (line 0: "FILE: what"). */
void sd_audit_warn(sd_audit_cfg *c, const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An arena copy of "FILE:LINE". */
const char *sd_audit_src(sd_audit_cfg *c, const char *file, unsigned long line);
/* The domain entry for name (created when absent, lower-cased); NULL on
 * no memory or when name is not a usable domain name. */
sd_audit_domain *sd_audit_domain_get(sd_audit_cfg *c, const char *name);
const sd_audit_domain *sd_audit_domain_find(const sd_audit_cfg *c, const char *name);
/* Mark a domain with a class flag and where that was said. */
void sd_audit_domain_mark(sd_audit_cfg *c, const char *name, unsigned flag, const char *src);
/* Add an alias; targets are copied. Returns 0, or -1 on no memory. */
int sd_audit_alias_add(sd_audit_cfg *c, int kind, const char *key, const char *domain,
		       const char *const *targets, size_t ntargets, const char *src);
/* Hand a regexp:/pcre: table to the model (freed with it, also when
 * this fails: -1 on no memory). */
int sd_audit_retable_add(sd_audit_cfg *c, sd_audit_retable *t);
/* The first alias of kind with key (and domain, for valiases), or NULL. */
const sd_audit_alias *sd_audit_alias_find(const sd_audit_cfg *c, int kind, const char *key,
					  const char *domain);
void sd_audit_mailbox_add(sd_audit_cfg *c, const char *address, const char *dir, const char *src);
const sd_audit_mailbox *sd_audit_mailbox_find(const sd_audit_cfg *c, const char *address);
void sd_audit_user_add(sd_audit_cfg *c, const char *name, const char *home, const char *src);
const sd_audit_user *sd_audit_user_find(const sd_audit_cfg *c, const char *name);

/* Read path (an absolute path on the server; read under the root) into a
 * new NUL-terminated buffer (the caller frees it). Returns 0; 1 when the
 * file does not exist (no warning); -1 when it cannot be read (a warning
 * was added). Only regular files; at most SD_AUDIT_MAX_FILE bytes. */
int sd_audit_read(sd_audit_cfg *c, const char *path, char **text, size_t *len);
/* Kind of path under the root: 1 a directory, 2 another file, 0 missing,
 * -1 cannot be told (a warning was added: a symlink loop, no permission,
 * a path with ".." in it). */
int sd_audit_stat(sd_audit_cfg *c, const char *path);
/* The names in directory path under the root (no dot files), sorted, in a
 * new array of new strings (free with sd_audit_dir_free). Returns 0; 1
 * when it does not exist; -1 when it cannot be listed (a warning). */
int sd_audit_dir(sd_audit_cfg *c, const char *path, char ***names, size_t *n);
void sd_audit_dir_free(char **names, size_t n);

/* ---- text (audit_text.c) ---------------------------------------------- */

/* Called with each logical line (NUL-terminated, continuation lines
 * joined with one space, trailing space removed) and the number of its
 * first physical line. Return non-zero to stop. */
typedef int (*sd_audit_line_fn)(void *ctx, unsigned long lineno, char *line, size_t len);
/* Walk text: '#' comment lines and blank lines are skipped, a line that
 * starts with a space or tab continues the logical line before it. Lines
 * longer than SD_AUDIT_MAX_LINE or holding NUL or other control bytes are
 * skipped with a warning naming file and line. with_continuation 0 treats
 * every physical line on its own (cPanel files). */
void sd_audit_lines(sd_audit_cfg *c, const char *file, const char *text, size_t len,
		    int with_continuation, sd_audit_line_fn fn, void *ctx);
/* Split a target list at commas (and, with spaces_too, at spaces and
 * tabs) outside double quotes; each target trimmed, surrounding quotes
 * removed, empty ones dropped. Returns the number found (at most max);
 * the strings are arena copies. -1 on no memory. */
int sd_audit_split(sd_audit_cfg *c, const char *s, int spaces_too, const char **out, size_t max);

/* ---- parsers (audit_aliases.c) ----------------------------------------- */

/* aliases(5) text: "name: target, target" with continuation lines and
 * :include:/path targets (read under the root, nested at most
 * SD_AUDIT_MAX_INCLUDE deep). Adds aliases of kind (SD_ALIAS_SYSTEM for
 * /etc/aliases and Postfix alias_maps, SD_ALIAS_LOCAL for cPanel's
 * /etc/localaliases). */
void sd_audit_parse_aliases(sd_audit_cfg *c, int kind, const char *file, const char *text, size_t len);
/* A cPanel valiases file for domain: "local: targets" or
 * "local@domain: targets", "*: ..." the catch-all. Adds SD_ALIAS_VALIAS. */
void sd_audit_parse_valiases(sd_audit_cfg *c, const char *file, const char *domain, const char *text,
			     size_t len);
/* A Postfix map source file ("key value" lines, continuation lines).
 * fn gets each key and value; the value is the rest of the line. */
typedef void (*sd_audit_map_fn)(sd_audit_cfg *c, void *ctx, const char *key, const char *value,
				const char *src);
void sd_audit_parse_map(sd_audit_cfg *c, const char *file, const char *text, size_t len,
			sd_audit_map_fn fn, void *ctx);

/* ---- .forward files (audit_forward.c) ----------------------------------- */

/* One .forward text of user: entries separated by commas and line ends
 * (addresses, "\\user", "|command", "/file", ":include:/file"). Adds one
 * SD_ALIAS_FORWARD alias keyed by the user name. */
void sd_audit_parse_forward(sd_audit_cfg *c, const char *file, const char *user, const char *text, size_t len);
/* HOME/.forward of every system user read so far (etc/passwd). */
void sd_audit_load_forwards(sd_audit_cfg *c);

/* ---- regexp:/pcre: tables (audit_regexp.c, audit_pcre.c) -------------------- */

/* Parse a regexp_table(5) text (pcre: 1 for pcre_table(5): patterns only
 * POSIX regular expressions share are evaluated) used for use
 * (SD_RETAB_*). Returns a new table (sd_audit_retable_free, or hand it
 * to the model's retab list, which frees it), NULL on no memory. What
 * cannot be read is a warning "FILE:LINE: what". */
sd_audit_retable *sd_audit_retable_parse(sd_audit_cfg *c, const char *file, int pcre, int use, const char *text,
					 size_t len);
void sd_audit_retable_free(sd_audit_retable *t);
int sd_audit_retable_use(const sd_audit_retable *t);
/* The first rule of t that matches key (at most SD_AUDIT_RE_MAX_KEY
 * bytes): 1 with its result ($n substituted) in out and the rule's
 * "FILE:LINE" in *src (owned by the model); 0 no rule matches; -1 the key
 * is too long or the result does not fit in size bytes. */
int sd_audit_retable_lookup(const sd_audit_retable *t, const char *key, char *out, size_t size,
			    const char **src);
/* Each evaluated rule whose result holds no $n: the pattern as written,
 * the result and "FILE:LINE". */
typedef void (*sd_audit_retable_fn)(void *ctx, const char *pattern, const char *result, const char *src);
void sd_audit_retable_fixed(const sd_audit_retable *t, sd_audit_retable_fn fn, void *ctx);
/* sd_audit_retable_lookup over the model's tables of use, in order. */
int sd_audit_re_find(const sd_audit_cfg *c, int use, const char *key, char *out, size_t size, const char **src);
/* 1 when the PCRE pattern means the same as a POSIX extended regular
 * expression; 0 with the first construct that is PCRE's own (and its
 * column) written to why. */
int sd_audit_pcre_is_ere(const char *pattern, char *why, size_t whysize);

/* ---- layouts ----------------------------------------------------------- */

/* Read the cPanel/Exim files under the root; 1 when the layout is there
 * (c->cpanel set), 0 when not. */
int sd_audit_load_cpanel(sd_audit_cfg *c);
/* /etc/passwd under the root: system users and their homes. */
void sd_audit_load_passwd(sd_audit_cfg *c);
/* Read /etc/postfix/main.cf and what it names; 1 when found. */
int sd_audit_load_postfix(sd_audit_cfg *c);
/* main.cf text alone (for tests and the fuzzer): parameters only. */
void sd_audit_parse_maincf(sd_audit_cfg *c, const char *file, const char *text, size_t len);
/* The value of a main.cf parameter with $name, ${name}, $(name),
 * ${name?text} and ${name:text} expanded (Postfix's defaults for the
 * usual mail parameters when not set); an arena string, "" when unset. */
const char *sd_audit_param_expand(sd_audit_cfg *c, const char *name);

/* ---- address extensions (audit_extension.c) ---------------------------- */

/* Split the address or local name in at its extension, as Postfix does
 * with recipient_delimiter (delims: each character a delimiter; "+" for
 * cPanel's plus addressing): the local part is cut at its first delimiter.
 * Never split: postmaster, mailer-daemon, double-bounce; owner-NAME and
 * NAME-request when '-' is a delimiter; a local part that would be left
 * empty. Returns 1 with base holding the address without its extension
 * and ext the extension with its delimiter ("+tag"); 0 when there is none
 * or it does not fit the buffers. */
int sd_audit_ext_split(const char *delims, const char *in, char *base, size_t nbase, char *ext,
		       size_t next);
/* in with ext added at the end of its local part: "a@x" and "+t" give
 * "a+t@x". 0, or -1 when it does not fit in size bytes. */
int sd_audit_ext_add(const char *in, const char *ext, char *out, size_t size);

/* ---- routes (audit_route.c) -------------------------------------------- */

typedef struct sd_route_env {
	sd_audit_cfg *cfg;
	sd_dns_lookup_fn lookup;     /* NULL: no DNS */
	void *lctx;
	const char *const *locals;   /* this server's names and addresses */
	size_t nlocals;
	struct sd_route_dns *cache;  /* per-domain MX results */
	size_t ncache, capcache;
} sd_route_env;

typedef struct sd_route {
	sd_arena *arena;
	smtpdoc_route_step *steps;
	size_t n, cap;
	const char *domain_class, *why;
	const char *fix[4];          /* steps for the first failure */
	size_t nfix;
	int truncated;
	int nomem;
} sd_route;

/* What the MX records of a domain say, looked up once per domain. */
typedef struct sd_route_dns {
	char *domain;
	sd_check_status status;      /* sd_dnscheck_local_mx's item status */
	char *cause;                 /* its cause, or NULL */
	char *mx;                    /* "10 mx.example.net, ..." or NULL */
	int here;                    /* the most preferred MX is this server */
} sd_route_dns;

void sd_route_env_free(sd_route_env *e);
/* The DNS view of domain (cached); NULL when there is no DNS or no memory. */
const sd_route_dns *sd_route_dns_get(sd_route_env *e, const char *domain);
/* Route address. parent: the alias the address came from (its key), so a
 * chain that comes back to it is a loop; NULL for a fresh address.
 * Returns 0, or -1 on no memory. The route's steps are in r. */
int sd_route_run(sd_route_env *e, const char *address, const char *parent, sd_route *r);
void sd_route_free(sd_route *r);
/* 1 for a step action that hands the same mail on to one address one
 * level deeper (a domain alias, a catch-all, a stripped extension), so
 * that the next level is still the address's own handling. */
int sd_route_passes_on(const char *action);

/* ---- the audit (audit_check.c) ----------------------------------------- */

/* All findings for the loaded configuration, appended to out. */
smtpdoc_status sd_audit_check(sd_route_env *e, sd_check_list *out);

#endif
