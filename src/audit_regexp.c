/*
 * audit_regexp.c - Postfix regexp: and pcre: tables (regexp_table(5),
 * pcre_table(5)) read and evaluated the way `smtpdoc route` needs them.
 *
 * Entry points (audit.h): sd_audit_retable_parse (a table's text into
 * compiled rules), sd_audit_retable_free, sd_audit_retable_lookup (the
 * first rule that matches a key, its result with $1..$9 substituted),
 * sd_audit_retable_fixed (each rule whose result holds no $n, for the
 * audit), sd_audit_re_find (all tables of one use, in main.cf order).
 *
 * Syntax: logical lines as in main.cf ('#' comments, a line that starts
 * with white space continues the one before). A rule is
 * "/pattern/flags result" or "!/pattern/flags result" (the delimiter is
 * the first character, '/' by custom; a backslash before it makes it part
 * of the pattern); "if /pattern/flags" ... "endif" (also "if !/.../")
 * skips its block unless the pattern matches; blocks nest. Flags for
 * regexp: i (on by default: case does not matter; "i" turns it off), x
 * (on by default: extended syntax), m (newlines end lines). For pcre: i;
 * m and s change nothing for one address; other pcre flags, and patterns
 * that use syntax POSIX does not share (audit_pcre.c), are a warning and
 * the rule is not evaluated (it never matches). Results: "$n" or "${n}"
 * is the text of group n (empty when it matched nothing), "$$" a dollar.
 *
 * Evaluation is POSIX regcomp()/regexec(). They run only on a key of at
 * most SD_AUDIT_RE_MAX_KEY (320) bytes: an address (64 bytes of local
 * part, '@', 255 of domain, RFC 5321 4.5.3.1) or a local name that a
 * route looks up, never message or log text. On top of that, patterns
 * with back-references (\1..\9; exponential matching in glibc) or with
 * repetition counts whose product exceeds SD_AUDIT_RE_MAX_REPEAT (which
 * blow up the compiled automaton) are not evaluated, and a pattern is at
 * most SD_AUDIT_RE_MAX_PATTERN bytes. What is left is matched in time
 * polynomial in the key and pattern sizes, both small and bounded; the
 * patterns themselves come from the administrator's configuration.
 *
 * Bad input - a line that is no rule, an unclosed pattern, an unknown
 * flag, a pattern regcomp() refuses, $n past the pattern's groups, an
 * "if" without "endif" or the reverse - is a warning naming file and line;
 * the rule is skipped (an "if" that cannot be evaluated skips its block)
 * and the rest of the table is read.
 *
 * Ownership: a table and its compiled patterns are the caller's, released
 * with sd_audit_retable_free(); its strings live in the model's arena, so
 * a table must not outlive the sd_audit_cfg it was parsed with (the model
 * frees its tables itself).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

enum { SD_RE_MATCH, SD_RE_IF, SD_RE_ENDIF };

typedef struct sd_re_rule {
	int op;                /* SD_RE_MATCH, SD_RE_IF, SD_RE_ENDIF */
	int negate;            /* "!/pattern/" */
	int ok;                /* compiled: the rule can match */
	int fixed;             /* a result without $n */
	regex_t re;
	size_t endif;          /* SD_RE_IF: the index of its endif (or n) */
	const char *pattern;   /* as written, with delimiters and flags */
	const char *result;    /* SD_RE_MATCH */
	const char *src;       /* "FILE:LINE" */
} sd_re_rule;

struct sd_audit_retable {
	int use;               /* SD_RETAB_* */
	sd_re_rule *rule;
	size_t n, cap;
};

typedef struct sd_re_parse {
	sd_audit_cfg *c;
	sd_audit_retable *t;
	const char *file;
	int pcre;
	size_t open[SD_AUDIT_RE_MAX_NEST]; /* indexes of the open ifs */
	size_t nopen;
	int full;
} sd_re_parse;

/* sd_re_repeat_ok - the product of the pattern's repetition counts stays
 * within SD_AUDIT_RE_MAX_REPEAT */
static int
sd_re_repeat_ok(const char *p)
{
	unsigned long product = 1;

	for (; *p; p++) {
		unsigned long v = 0, hi = 0;
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p != '{' || !sd_isdigit((unsigned char)p[1]))
			continue;
		for (p++; sd_isdigit((unsigned char)*p) && v <= SD_AUDIT_RE_MAX_REPEAT; p++)
			v = v * 10 + (unsigned long)(*p - '0');
		hi = v; /* also for "{n,}": the copies made are n and a star */
		if (*p == ',' && sd_isdigit((unsigned char)p[1]))
			for (hi = 0, p++; sd_isdigit((unsigned char)*p) && hi <= SD_AUDIT_RE_MAX_REPEAT; p++)
				hi = hi * 10 + (unsigned long)(*p - '0');
		if (hi > SD_AUDIT_RE_MAX_REPEAT || (hi > 1 && (product *= hi) > SD_AUDIT_RE_MAX_REPEAT))
			return 0;
		if (*p == '\0')
			break;
	}
	return 1;
}

/* sd_re_backref - the pattern holds a back-reference \1..\9 */
static int
sd_re_backref(const char *p)
{
	for (; *p; p++)
		if (*p == '\\' && p[1]) {
			if (p[1] >= '1' && p[1] <= '9')
				return 1;
			p++;
		}
	return 0;
}

/* sd_re_maxref - the highest $n in result (0 none); -1 for a bad "$" */
static int
sd_re_maxref(const char *s)
{
	int max = 0;

	for (; *s; s++) {
		int v;
		if (*s != '$')
			continue;
		if (s[1] == '$') {
			s++;
			continue;
		}
		if (sd_isdigit((unsigned char)s[1]))
			v = s[1] - '0', s++;
		else if (s[1] == '{' && sd_isdigit((unsigned char)s[2]) && s[3] == '}')
			v = s[2] - '0', s += 3;
		else
			return -1;
		if (v > max)
			max = v;
	}
	return max;
}

/* sd_re_add - a new rule (zeroed) at the end; NULL on no memory or when
 * the table is full (warned once) */
static sd_re_rule *
sd_re_add(sd_re_parse *x, unsigned long lineno)
{
	sd_audit_retable *t = x->t;
	sd_re_rule *r;

	if (t->n >= SD_AUDIT_RE_MAX_RULES) {
		if (!x->full)
			sd_audit_warn(x->c, x->file, lineno, "more than %d rules; the rest are left out",
				      SD_AUDIT_RE_MAX_RULES);
		x->full = 1;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		void *p = realloc(t->rule, ncap * sizeof(*t->rule));
		if (p == NULL) {
			x->c->nomem = 1;
			return NULL;
		}
		t->rule = p;
		t->cap = ncap;
	}
	r = &t->rule[t->n++];
	memset(r, 0, sizeof(*r));
	r->src = sd_audit_src(x->c, x->file, lineno);
	return r;
}

/* sd_re_pattern - read "[!]/pattern/flags" at *pp into r (compiled when
 * it can be); advances *pp past it. -1 when the line is no rule. */
static int
sd_re_pattern(sd_re_parse *x, unsigned long lineno, char **pp, sd_re_rule *r)
{
	char pat[SD_AUDIT_RE_MAX_PATTERN + 1], why[128], *p = *pp, *start = *pp, delim;
	int cflags = REG_EXTENDED | REG_ICASE, err;
	size_t n = 0;

	if (*p == '!') {
		r->negate = 1;
		p++;
	}
	delim = *p;
	if (delim == '\0' || sd_isalnum((unsigned char)delim) || sd_isspace((unsigned char)delim) ||
	    delim == '\\') {
		sd_audit_warn(x->c, x->file, lineno, "no /pattern/ here; line skipped");
		return -1;
	}
	for (p++; *p && *p != delim; p++) {
		char ch = *p;
		if (ch == '\\' && p[1] == delim) { /* the delimiter itself, in the pattern */
			ch = delim;
			p++;
		} else if (ch == '\\' && p[1]) { /* an escape pair, kept whole */
			if (n < SD_AUDIT_RE_MAX_PATTERN)
				pat[n++] = ch;
			ch = *++p;
		}
		if (n < SD_AUDIT_RE_MAX_PATTERN)
			pat[n++] = ch;
		else
			n = SD_AUDIT_RE_MAX_PATTERN + 1;
	}
	if (*p != delim) {
		sd_audit_warn(x->c, x->file, lineno, "pattern not closed by %c; line skipped", delim);
		return -1;
	}
	for (p++; *p && !sd_isspace((unsigned char)*p); p++) {
		if (*p == 'i')
			cflags ^= REG_ICASE;
		else if (!x->pcre && *p == 'x')
			cflags ^= REG_EXTENDED;
		else if (!x->pcre && *p == 'm')
			cflags ^= REG_NEWLINE;
		else if (x->pcre && (*p == 'm' || *p == 's'))
			; /* nothing to change for one line without newlines */
		else
			n = (size_t)-1; /* reported below */
	}
	*pp = p;
	r->pattern = sd_arena_strndup(x->c->arena, start, (size_t)(p - start));
	if (r->pattern == NULL) {
		x->c->nomem = 1;
		return -1;
	}
	if (n == (size_t)-1) {
		sd_audit_warn(x->c, x->file, lineno, "unknown or unsupported flag in %.60s; the pattern is not "
			      "evaluated", r->pattern);
		return 0;
	}
	if (n > SD_AUDIT_RE_MAX_PATTERN) {
		sd_audit_warn(x->c, x->file, lineno, "pattern longer than %d bytes; not evaluated",
			      SD_AUDIT_RE_MAX_PATTERN);
		return 0;
	}
	pat[n] = '\0';
	if (x->pcre && !sd_audit_pcre_is_ere(pat, why, sizeof(why))) {
		sd_audit_warn(x->c, x->file, lineno, "PCRE syntax that POSIX regular expressions do not share "
			      "(%s); the pattern is not evaluated", why);
		return 0;
	}
	if (sd_re_backref(pat)) {
		sd_audit_warn(x->c, x->file, lineno, "a back-reference in the pattern; not evaluated");
		return 0;
	}
	if (!sd_re_repeat_ok(pat)) {
		sd_audit_warn(x->c, x->file, lineno, "repetition counts above %d; the pattern is not evaluated",
			      SD_AUDIT_RE_MAX_REPEAT);
		return 0;
	}
	if ((err = regcomp(&r->re, pat, cflags)) != 0) {
		char msg[128];
		regerror(err, &r->re, msg, sizeof(msg));
		sd_audit_warn(x->c, x->file, lineno, "bad pattern %.60s: %s; rule skipped", r->pattern, msg);
		return 0;
	}
	r->ok = 1;
	return 0;
}

/* sd_re_drop - r can never match (its regex released) */
static void
sd_re_drop(sd_re_rule *r)
{
	if (r->ok)
		regfree(&r->re);
	r->ok = 0;
}

static int
sd_re_line(void *ctx, unsigned long lineno, char *line, size_t len)
{
	sd_re_parse *x = ctx;
	char *p = line;
	sd_re_rule *r;
	int refs;

	(void)len;
	if (sd_strcaseprefix(p, "endif") && (p[5] == '\0' || sd_isspace((unsigned char)p[5]))) {
		if (x->nopen == 0) {
			sd_audit_warn(x->c, x->file, lineno, "endif without if; ignored");
			return 0;
		}
		if ((r = sd_re_add(x, lineno)) == NULL)
			return x->c->nomem;
		r->op = SD_RE_ENDIF;
		x->t->rule[x->open[--x->nopen]].endif = x->t->n - 1;
		return 0;
	}
	if ((r = sd_re_add(x, lineno)) == NULL)
		return x->c->nomem || x->full;
	if (sd_strcaseprefix(p, "if") && sd_isspace((unsigned char)p[2])) {
		r->op = SD_RE_IF;
		for (p += 2; sd_isspace((unsigned char)*p); p++)
			;
		if (x->nopen >= SD_AUDIT_RE_MAX_NEST) {
			sd_audit_warn(x->c, x->file, lineno, "if nested more than %d deep; the rest of the file "
				      "is left out", SD_AUDIT_RE_MAX_NEST);
			x->t->n--;
			return 1;
		}
		x->open[x->nopen++] = x->t->n - 1;
		/* a bad pattern still opens the block, which is then skipped */
		if (sd_re_pattern(x, lineno, &p, r) == 0 && *sd_trim(p) != '\0')
			sd_audit_warn(x->c, x->file, lineno, "text after the if pattern ignored");
		return 0;
	}
	r->op = SD_RE_MATCH;
	if (sd_re_pattern(x, lineno, &p, r) != 0) {
		x->t->n--;
		return 0;
	}
	p = sd_trim(p);
	if (*p == '\0') {
		sd_audit_warn(x->c, x->file, lineno, "%.60s has no result; rule skipped", r->pattern);
		sd_re_drop(r);
		x->t->n--;
		return 0;
	}
	if ((r->result = sd_arena_strdup(x->c->arena, p)) == NULL) {
		x->c->nomem = 1;
		sd_re_drop(r);
		x->t->n--;
		return 1;
	}
	refs = sd_re_maxref(p);
	r->fixed = refs == 0;
	if (refs < 0) {
		sd_audit_warn(x->c, x->file, lineno, "a $ in the result that is neither $n, ${n} nor $$; rule "
			      "skipped");
		sd_re_drop(r);
	} else if (refs > 0 && r->negate) {
		sd_audit_warn(x->c, x->file, lineno, "$%d in the result of a negated pattern, which has no "
			      "groups; rule skipped", refs);
		sd_re_drop(r);
	} else if (refs > 0 && r->ok && (size_t)refs > r->re.re_nsub) {
		sd_audit_warn(x->c, x->file, lineno, "the result uses $%d but the pattern has %zu group%s; rule "
			      "skipped", refs, r->re.re_nsub, r->re.re_nsub == 1 ? "" : "s");
		sd_re_drop(r);
	}
	return 0;
}

sd_audit_retable *
sd_audit_retable_parse(sd_audit_cfg *c, const char *file, int pcre, int use, const char *text, size_t len)
{
	sd_re_parse x;
	size_t i;

	memset(&x, 0, sizeof(x));
	if ((x.t = calloc(1, sizeof(*x.t))) == NULL) {
		c->nomem = 1;
		return NULL;
	}
	x.t->use = use;
	x.c = c;
	x.file = file;
	x.pcre = pcre;
	sd_audit_lines(c, file, text, len, 1, sd_re_line, &x);
	for (i = x.nopen; i-- > 0;) { /* each if still open ends with the file */
		sd_re_rule *r = &x.t->rule[x.open[i]];
		x.t->rule[x.open[i]].endif = x.t->n;
		sd_audit_warn(c, file, 0, "the if at %s has no endif; its block runs to the end of the file",
			      r->src ? r->src : "?");
	}
	return x.t;
}

void
sd_audit_retable_free(sd_audit_retable *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		sd_re_drop(&t->rule[i]);
	free(t->rule);
	free(t);
}

int
sd_audit_retable_use(const sd_audit_retable *t)
{
	return t->use;
}

/* sd_re_subst - result with $n replaced from key's groups; -1 when it
 * does not fit */
static int
sd_re_subst(const char *result, const char *key, const regmatch_t *m, char *out, size_t size)
{
	size_t n = 0;
	const char *s;

	for (s = result; *s; s++) {
		const char *piece = s;
		size_t plen = 1;
		if (*s == '$' && s[1] == '$') {
			s++;
		} else if (*s == '$') {
			int g = sd_isdigit((unsigned char)s[1]) ? s[1] - '0' : s[2] - '0';
			s += sd_isdigit((unsigned char)s[1]) ? 1 : 3;
			if (m[g].rm_so < 0) {
				plen = 0;
			} else {
				piece = key + m[g].rm_so;
				plen = (size_t)(m[g].rm_eo - m[g].rm_so);
			}
		}
		if (n + plen >= size)
			return -1;
		memcpy(out + n, piece, plen);
		n += plen;
	}
	out[n] = '\0';
	return 0;
}

int
sd_audit_retable_lookup(const sd_audit_retable *t, const char *key, char *out, size_t size, const char **src)
{
	regmatch_t m[10];
	size_t i = 0;

	if (strlen(key) > SD_AUDIT_RE_MAX_KEY)
		return -1;
	while (i < t->n) {
		const sd_re_rule *r = &t->rule[i];
		int hit;
		if (r->op == SD_RE_ENDIF) {
			i++;
			continue;
		}
		hit = r->ok && regexec(&r->re, key, 10, m, 0) == 0;
		if (r->ok && r->negate)
			hit = !hit;
		if (r->op == SD_RE_IF) {
			i = hit ? i + 1 : r->endif + 1;
			continue;
		}
		if (hit) {
			if (r->negate)
				m[0].rm_so = m[0].rm_eo = -1; /* no groups to use */
			if (sd_re_subst(r->result, key, m, out, size) != 0)
				return -1;
			*src = r->src;
			return 1;
		}
		i++;
	}
	return 0;
}

void
sd_audit_retable_fixed(const sd_audit_retable *t, sd_audit_retable_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->rule[i].op == SD_RE_MATCH && t->rule[i].ok && t->rule[i].fixed)
			fn(ctx, t->rule[i].pattern, t->rule[i].result, t->rule[i].src);
}

int
sd_audit_re_find(const sd_audit_cfg *c, int use, const char *key, char *out, size_t size, const char **src)
{
	size_t i;
	int r;

	for (i = 0; i < c->nretab; i++) {
		if (c->retab[i]->use != use)
			continue;
		if ((r = sd_audit_retable_lookup(c->retab[i], key, out, size, src)) != 0)
			return r;
	}
	return 0;
}
