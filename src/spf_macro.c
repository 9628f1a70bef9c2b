/*
 * spf_macro.c - SPF macros (RFC 7208 section 7) and the rules for the
 * names they produce (4.3, 4.8, 7.3).
 *
 * Entry points (spf_internal.h):
 *   sd_spf_macro_check        macro-string syntax (7.1): "%%", "%_", "%-",
 *                             "%{" letter digits ["r"] delimiters "}"; the
 *                             letters c, r, t and spaces only in
 *                             explanation text; a digit count of 0 refused
 *   sd_spf_domain_spec_check  a domain-spec: a macro-string that ends in a
 *                             macro or in "." toplabel ["."]
 *   sd_spf_macro_expand       expansion (7.3): split the value at the
 *                             delimiters (default "."), reverse with "r",
 *                             keep the N right-hand parts, join with ".";
 *                             an upper-case letter URL-escapes the result
 *   sd_spf_name_trim          a target-name: one final dot dropped, then
 *                             labels dropped from the left down to 253 bytes
 *   sd_spf_name_problem       is a name usable for a DNS query (and, for
 *                             check_host()'s initial processing, a fully
 *                             qualified name with a real top label)
 *   sd_spf_toplabel_ok, sd_spf_name_under
 *
 * Everything is one pass over its input. A macro value is cut at
 * SD_SPF_MAX_INPUT bytes, and an expansion that would pass the buffer's
 * cap (SD_SPF_MAX_EXPAND for names, set by the caller) fails with -1
 * instead of growing.
 */
#include <stdio.h>
#include <string.h>

#include "spf_internal.h"

enum {
	SD_SPF_TOK_LITERAL,
	SD_SPF_TOK_PERCENT,   /* %% */
	SD_SPF_TOK_SPACE,     /* %_ */
	SD_SPF_TOK_URLSPACE,  /* %- */
	SD_SPF_TOK_MACRO,     /* %{...} */
};

typedef struct sd_spf_tok {
	int type;
	size_t len;            /* bytes of the token */
	char letter;           /* lower case */
	int upper;             /* the letter was written in upper case */
	size_t keep;           /* parts to keep; 0: all */
	int reverse;
	const char *delims;    /* the delimiters written, or NULL */
	size_t ndelims;
} sd_spf_tok;

static int
sd_spf_is_delim(int c)
{
	return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' || c == '_' || c == '=';
}

/* Read the token at s[i]. Returns 0, or -1 with the offset of the problem
 * in *err_off and a reason in why. */
static int
sd_spf_tok_next(const char *s, size_t n, size_t i, int exp_text, sd_spf_tok *tok,
		size_t *err_off, char *why, size_t whylen)
{
	unsigned char c = (unsigned char)s[i];
	size_t j, start;

	memset(tok, 0, sizeof(*tok));
	if (c != '%') {
		if ((c >= 0x21 && c <= 0x7e) || (exp_text && c == ' ')) {
			tok->type = SD_SPF_TOK_LITERAL;
			tok->len = 1;
			return 0;
		}
		*err_off = i;
		snprintf(why, whylen, "byte 0x%02X is not allowed here (only visible ASCII "
			 "characters)", c);
		return -1;
	}
	*err_off = i;
	if (i + 1 >= n) {
		snprintf(why, whylen, "a lone '%%' at the end: write %%%% for a percent sign");
		return -1;
	}
	switch (s[i + 1]) {
	case '%':
		tok->type = SD_SPF_TOK_PERCENT;
		tok->len = 2;
		return 0;
	case '_':
		tok->type = SD_SPF_TOK_SPACE;
		tok->len = 2;
		return 0;
	case '-':
		tok->type = SD_SPF_TOK_URLSPACE;
		tok->len = 2;
		return 0;
	case '{':
		break;
	default:
		snprintf(why, whylen, "'%%' must be followed by '{', '%%', '_' or '-' (write %%%% "
			 "for a percent sign)");
		return -1;
	}
	j = i + 2;
	if (j >= n) {
		snprintf(why, whylen, "\"%%{\" is not closed");
		return -1;
	}
	c = (unsigned char)s[j];
	tok->letter = (char)sd_tolower(c);
	tok->upper = c >= 'A' && c <= 'Z';
	if (strchr("slodiphvcrt", tok->letter) == NULL || tok->letter == '\0') {
		*err_off = j;
		snprintf(why, whylen, "'%c' is not a macro letter (s l o d i p h v, and c r t "
			 "in explanations)", c >= 0x21 && c < 0x7f ? c : '?');
		return -1;
	}
	if (!exp_text && strchr("crt", tok->letter) != NULL) {
		*err_off = j;
		snprintf(why, whylen, "the macro %%{%c} may only be used in explanation text", c);
		return -1;
	}
	j++;
	start = j;
	while (j < n && sd_isdigit((unsigned char)s[j])) {
		if (tok->keep < 100000)
			tok->keep = tok->keep * 10 + (size_t)(s[j] - '0');
		j++;
	}
	if (j > start && tok->keep == 0) {
		*err_off = start;
		snprintf(why, whylen, "the number of parts in a macro must not be 0");
		return -1;
	}
	if (j < n && (s[j] == 'r' || s[j] == 'R')) {
		tok->reverse = 1;
		j++;
	}
	start = j;
	while (j < n && sd_spf_is_delim((unsigned char)s[j]))
		j++;
	if (j > start) {
		tok->delims = s + start;
		tok->ndelims = j - start;
	}
	if (j >= n || s[j] != '}') {
		*err_off = j < n ? j : n;
		snprintf(why, whylen, "a macro must end with '}' after its letter, an optional "
			 "number, an optional 'r' and delimiters (. - + , / _ =)");
		return -1;
	}
	tok->type = SD_SPF_TOK_MACRO;
	tok->len = j + 1 - i;
	return 0;
}

int
sd_spf_macro_check(const char *s, size_t n, int exp_text, size_t *err_off, char *why,
		   size_t whylen)
{
	size_t i = 0;
	sd_spf_tok tok;

	while (i < n) {
		if (sd_spf_tok_next(s, n, i, exp_text, &tok, err_off, why, whylen) != 0)
			return -1;
		i += tok.len;
	}
	return 0;
}

int
sd_spf_toplabel_ok(const char *s, size_t n)
{
	size_t i;
	int alpha = 0, dash = 0;

	if (n == 0 || !sd_isalnum((unsigned char)s[0]) || !sd_isalnum((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '-')
			dash = 1;
		else if (sd_isalpha(c))
			alpha = 1;
		else if (!sd_isdigit(c))
			return 0;
	}
	return alpha || dash;
}

int
sd_spf_domain_spec_check(const char *s, size_t n, size_t *err_off, char *why, size_t whylen)
{
	size_t i = 0, lit = 0, e, dot;
	int last_macro = 0;
	sd_spf_tok tok;

	if (n == 0) {
		*err_off = 0;
		snprintf(why, whylen, "the domain name is empty");
		return -1;
	}
	while (i < n) {
		if (sd_spf_tok_next(s, n, i, 0, &tok, err_off, why, whylen) != 0)
			return -1;
		i += tok.len;
		last_macro = tok.type != SD_SPF_TOK_LITERAL;
		if (last_macro)
			lit = i;
	}
	if (last_macro)
		return 0; /* domain-end = macro-expand */
	/* domain-end = "." toplabel [ "." ], all literal */
	e = n;
	if (s[e - 1] == '.' && e - 1 > lit)
		e--;
	for (dot = e; dot > lit && s[dot - 1] != '.'; dot--)
		;
	if (dot == lit) {
		*err_off = lit;
		snprintf(why, whylen, "\"%.*s\" is not a full domain name: it must end with a "
			 "top-level label such as \".com\", or with a macro", (int)n, s);
		return -1;
	}
	if (!sd_spf_toplabel_ok(s + dot, e - dot)) {
		size_t k, digits = 1;

		for (k = dot; k < e; k++)
			if (!sd_isdigit((unsigned char)s[k]))
				digits = 0;
		*err_off = dot;
		if (e == dot)
			snprintf(why, whylen, "the domain name ends with an empty label");
		else if (digits)
			snprintf(why, whylen, "the top-level label \"%.*s\" is all digits",
				 (int)(e - dot), s + dot);
		else
			snprintf(why, whylen, "\"%.*s\" is not a valid top-level label (letters, "
				 "digits and '-' only, not at either end)", (int)(e - dot), s + dot);
		return -1;
	}
	return 0;
}

/* The value of a macro letter; tmp holds numbers and addresses. */
static const char *
sd_spf_macro_value(const sd_spf_macro_env *env, char letter, char tmp[80])
{
	switch (letter) {
	case 's':
		return env->sender;
	case 'l':
		return env->local;
	case 'o':
		return env->sender_domain;
	case 'd':
		return env->domain;
	case 'i':
		sd_spf_ip_dotted(env->ip, tmp);
		return tmp;
	case 'c':
		sd_spf_ip_text(env->ip, tmp);
		return tmp;
	case 'v':
		return env->ip->family == 4 ? "in-addr" : "ip6";
	case 'h':
		return env->helo;
	case 'r':
		return env->receiver ? env->receiver : "unknown";
	case 't':
		snprintf(tmp, 80, "%lld", env->now);
		return tmp;
	case 'p':
		if (env->validated_name != NULL)
			return env->validated_name(env->vctx, env->domain);
		return "unknown";
	default:
		return "";
	}
}

static int
sd_spf_emit(sd_buf *out, const char *p, size_t n, int escape)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if (!escape)
		return sd_buf_add(out, p, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char enc[3];

		/* RFC 3986 unreserved characters stay */
		if (sd_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			if (sd_buf_addc(out, (char)c) != 0)
				return -1;
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		if (sd_buf_add(out, enc, 3) != 0)
			return -1;
	}
	return 0;
}

/* Expand one %{...} (7.3). */
static int
sd_spf_expand_macro(const sd_spf_macro_env *env, const sd_spf_tok *tok, sd_buf *out)
{
	unsigned short starts[SD_SPF_MAX_INPUT + 2];
	char tmp[80];
	const char *v = sd_spf_macro_value(env, tok->letter, tmp);
	size_t vn, nparts = 0, first, count, k, i;

	if (v == NULL)
		v = "";
	vn = strlen(v);
	if (vn > SD_SPF_MAX_INPUT)
		vn = SD_SPF_MAX_INPUT;
	starts[nparts++] = 0;
	for (i = 0; i < vn; i++) {
		int c = (unsigned char)v[i];
		int cut = tok->ndelims ? memchr(tok->delims, c, tok->ndelims) != NULL : c == '.';
		if (cut)
			starts[nparts++] = (unsigned short)(i + 1);
	}
	starts[nparts] = (unsigned short)(vn + 1); /* one past the end of the last part */
	count = (tok->keep == 0 || tok->keep > nparts) ? nparts : tok->keep;
	/* without "r" keep the parts nparts-count .. nparts-1 in order; with
	 * "r" the reversed list's right-hand parts are count-1 .. 0 */
	first = tok->reverse ? count - 1 : nparts - count;
	for (k = 0; k < count; k++) {
		size_t part = tok->reverse ? first - k : first + k;
		size_t b = starts[part], e = starts[part + 1] - 1;

		if (k > 0 && sd_spf_emit(out, ".", 1, 0) != 0)
			return -1;
		if (sd_spf_emit(out, v + b, e - b, tok->upper) != 0)
			return -1;
	}
	return 0;
}

int
sd_spf_macro_expand(const sd_spf_macro_env *env, const char *s, int exp_text, sd_buf *out)
{
	size_t i = 0, n = strlen(s), off;
	sd_spf_tok tok;
	char why[SD_SPF_WHY_MAX];

	while (i < n) {
		int rc = 0;

		if (sd_spf_tok_next(s, n, i, exp_text, &tok, &off, why, sizeof(why)) != 0)
			return -1;
		switch (tok.type) {
		case SD_SPF_TOK_LITERAL:
			rc = sd_buf_addc(out, s[i]);
			break;
		case SD_SPF_TOK_PERCENT:
			rc = sd_buf_addc(out, '%');
			break;
		case SD_SPF_TOK_SPACE:
			rc = sd_buf_addc(out, ' ');
			break;
		case SD_SPF_TOK_URLSPACE:
			rc = sd_buf_adds(out, "%20");
			break;
		default:
			rc = sd_spf_expand_macro(env, &tok, out);
			break;
		}
		if (rc != 0)
			return -1;
		i += tok.len;
	}
	return 0;
}

void
sd_spf_name_trim(sd_buf *b)
{
	size_t cut = 0;

	if (b->len > 0 && b->data[b->len - 1] == '.')
		b->data[--b->len] = '\0';
	while (b->len - cut > SD_SPF_MAX_NAME) {
		const char *dot = memchr(b->data + cut, '.', b->len - cut);
		if (dot == NULL)
			break;
		cut = (size_t)(dot - b->data) + 1;
	}
	if (cut > 0) {
		memmove(b->data, b->data + cut, b->len - cut + 1);
		b->len -= cut;
	}
}

const char *
sd_spf_name_problem(const char *name, int initial)
{
	size_t n, i, start = 0;

	if (name == NULL || (n = strlen(name)) == 0)
		return "the name is empty";
	if (n > SD_SPF_MAX_NAME)
		return "the name is longer than 253 characters";
	for (i = 0; i <= n; i++) {
		if (i < n && name[i] != '.')
			continue;
		if (i == start)
			return "the name has an empty label (two dots in a row, or a dot at the start)";
		if (i - start > SD_SPF_MAX_LABEL)
			return "the name has a label longer than 63 characters";
		if (i == n && initial) {
			if (start == 0)
				return "the name is a single label, not a fully qualified domain name";
			if (!sd_spf_toplabel_ok(name + start, n - start))
				return "the name does not end with a valid top-level label";
		}
		start = i + 1;
	}
	return NULL;
}

int
sd_spf_name_under(const char *name, const char *dom)
{
	size_t n = strlen(name), d = strlen(dom), i;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (d > 0 && dom[d - 1] == '.')
		d--;
	if (d > n || (d < n && name[n - d - 1] != '.'))
		return 0;
	for (i = 0; i < d; i++)
		if (sd_tolower((unsigned char)name[n - d + i]) != sd_tolower((unsigned char)dom[i]))
			return 0;
	return 1;
}
