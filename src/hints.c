/*
 * hints.c - problems with a recipient address as it was written.
 *
 * Entry point (declared in smtpdoc.h): smtpdoc_address_hints. It looks at
 * one address and reports, one plain sentence each: spaces, angle brackets,
 * quotes, "mailto:" or a display name around it; spaces inside it; a missing
 * or doubled @; an empty name or domain; a domain without a dot; dots in the
 * wrong place; an address longer than RFC 5321 allows (254 characters for
 * the address itself, section 4.5.3.1.3); and a domain that looks like a
 * misspelt big mail provider (gmial.com -> gmail.com), in which case the
 * corrected address is put in out->suggestion.
 *
 * Misspellings are found by sd_typo_provider() (address_typo.c, shared with
 * `verify`), against the big providers of data/mail-providers.txt; its head
 * comment gives the rules. A domain that is a listed provider or a known
 * real look-alike is never flagged.
 *
 * No allocation (beyond the provider sets that address_lists.c builds once
 * per process); the input is copied into a fixed buffer and cut at
 * SD_HINT_INPUT_MAX bytes, and every string written is bounded. Work is
 * linear in the input plus a fixed table scan.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "internal.h"

#define SD_HINT_INPUT_MAX 512   /* bytes of the input looked at */
#define SD_HINT_ADDR_MAX 254    /* longest valid address, RFC 5321 */
#define SD_HINT_DOMAIN_MAX SD_TYPO_DOMAIN_MAX /* longer domains skip the typo check */
#define SD_HINT_QUOTE_MAX 80    /* characters of a domain quoted in a hint */

#if defined(__GNUC__) || defined(__clang__)
#define SD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SD_PRINTF(f, a)
#endif

/* sd_hint_add - append one sentence unless limit hints are already there */
static void SD_PRINTF(3, 4)
sd_hint_add(smtpdoc_hints *h, size_t limit, const char *fmt, ...)
{
	va_list ap;

	if (h->count >= limit || h->count >= SMTPDOC_MAX_HINTS)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(h->text[h->count], sizeof(h->text[0]), fmt, ap);
	va_end(ap);
	h->count++;
}

/* sd_has_mailto - 1 when s (n bytes) starts with "mailto:", any case */
static int
sd_has_mailto(const char *s, size_t n)
{
	static const char mailto[] = "mailto:";
	size_t i;

	if (n < sizeof(mailto) - 1)
		return 0;
	for (i = 0; i < sizeof(mailto) - 1; i++)
		if (sd_tolower((unsigned char)s[i]) != mailto[i])
			return 0;
	return 1;
}

static int
sd_is_wrapper(int c)
{
	return c == '<' || c == '>' || c == '"' || c == '\'';
}

void
smtpdoc_address_hints(const char *address, smtpdoc_hints *out)
{
	char buf[SD_HINT_INPUT_MAX + 1];
	char dom[SD_HINT_DOMAIN_MAX];
	const char *s, *e, *lt, *gt, *at, *q, *fix = NULL;
	size_t len, i, nat, llen, dlen, dn, limit;
	int had_space = 0, wrapped = 0, named = 0, too_long = 0;

	if (out == NULL)
		return;
	memset(out, 0, sizeof(*out));
	if (address == NULL) {
		sd_hint_add(out, SMTPDOC_MAX_HINTS, "The address is empty.");
		return;
	}
	for (len = 0; len < SD_HINT_INPUT_MAX && address[len] != '\0'; len++)
		;
	if (address[len] != '\0')
		too_long = 1;
	memcpy(buf, address, len);
	buf[len] = '\0';

	/* what is around the address: spaces, mailto:, name <addr>, quotes */
	s = buf;
	e = buf + len;
	while (s < e && sd_isspace((unsigned char)*s))
		s++;
	while (e > s && sd_isspace((unsigned char)e[-1]))
		e--;
	had_space = (s != buf || e != buf + len);
	if (sd_has_mailto(s, (size_t)(e - s))) {
		s += 7;
		wrapped = 1;
	}
	lt = NULL;
	for (q = s; q < e; q++)
		if (*q == '<')
			lt = q;
	if (lt != NULL) {
		gt = memchr(lt + 1, '>', (size_t)(e - lt - 1));
		if (gt != NULL && gt > lt + 1) {
			for (q = s; q < lt && !named; q++)
				named = !sd_isspace((unsigned char)*q);
			for (q = gt + 1; q < e && !named; q++)
				named = !sd_isspace((unsigned char)*q);
			wrapped = 1;
			s = lt + 1;
			e = gt;
		}
	}
	for (;;) {
		if (s < e && sd_isspace((unsigned char)*s)) {
			s++;
			had_space = 1;
		} else if (e > s && sd_isspace((unsigned char)e[-1])) {
			e--;
			had_space = 1;
		} else if (s < e && sd_is_wrapper((unsigned char)*s)) {
			s++;
			wrapped = 1;
		} else if (e > s && sd_is_wrapper((unsigned char)e[-1])) {
			e--;
			wrapped = 1;
		} else {
			break;
		}
	}
	if (s == e) {
		sd_hint_add(out, SMTPDOC_MAX_HINTS, "The address is empty.");
		return;
	}

	/* split at the last @ (a quoted name part may hold one) */
	nat = 0;
	at = NULL;
	for (q = s; q < e; q++)
		if (*q == '@') {
			nat++;
			at = q;
		}
	llen = at != NULL ? (size_t)(at - s) : 0;
	dlen = at != NULL ? (size_t)(e - at - 1) : 0;

	/* look for a misspelt provider first so its hint always has room */
	if (at != NULL && dlen > 0 && dlen < SD_HINT_DOMAIN_MAX &&
	    at[1] != '[') {
		for (i = 0; i < dlen; i++)
			dom[i] = (char)sd_tolower((unsigned char)at[1 + i]);
		dn = dlen;
		if (dn > 1 && dom[dn - 1] == '.')
			dn--; /* "gmail.com." is still gmail.com */
		dom[dn] = '\0';
		fix = sd_typo_provider(dom, dn, NULL);
	}
	limit = fix != NULL ? SMTPDOC_MAX_HINTS - 1 : SMTPDOC_MAX_HINTS;

	if (named)
		sd_hint_add(out, limit, "The address has a name or other text "
			    "around it; use only the part between < and >.");
	else if (wrapped && had_space)
		sd_hint_add(out, limit, "The address has extra spaces and "
			    "brackets or quotes around it; remove them.");
	else if (wrapped)
		sd_hint_add(out, limit, "The address is wrapped in angle "
			    "brackets, quotes or \"mailto:\"; use only the bare "
			    "address, such as name@example.com.");
	else if (had_space)
		sd_hint_add(out, limit, "The address has spaces before or "
			    "after it; remove them.");

	for (q = s; q < e; q++)
		if (sd_isspace((unsigned char)*q)) {
			sd_hint_add(out, limit, "The address contains a space; "
				    "email addresses cannot have spaces in "
				    "them.");
			break;
		}
	if (too_long || (size_t)(e - s) > SD_HINT_ADDR_MAX)
		sd_hint_add(out, limit, "The address is longer than the %d "
			    "characters an email address may have.",
			    SD_HINT_ADDR_MAX);

	if (nat == 0) {
		sd_hint_add(out, limit, "The address has no @ sign; it needs "
			    "one between the name and the domain, as in "
			    "name@example.com.");
		return;
	}
	if (nat > 1)
		sd_hint_add(out, limit, "The address has more than one @ "
			    "sign; it should have exactly one.");
	if (llen == 0)
		sd_hint_add(out, limit, "Nothing comes before the @; the "
			    "mailbox name is missing.");
	if (dlen == 0) {
		sd_hint_add(out, limit, "Nothing comes after the @; the "
			    "domain (such as example.com) is missing.");
		return;
	}
	if (at[1] != '[' && memchr(at + 1, '.', dlen) == NULL)
		sd_hint_add(out, limit, "The domain \"%.*s\" has no dot; a full "
			    "domain looks like example.com.",
			    (int)(dlen < SD_HINT_QUOTE_MAX ? dlen
							   : SD_HINT_QUOTE_MAX),
			    at + 1);
	for (q = s; q + 1 < e && !(q[0] == '.' && q[1] == '.'); q++)
		;
	if (q + 1 < e)
		sd_hint_add(out, limit, "The address has two dots in a row.");
	else if (*s == '.' || e[-1] == '.' || (llen > 0 && at[-1] == '.') ||
		 at[1] == '.')
		sd_hint_add(out, limit, "The address has a dot at the start "
			    "or end of a part; remove it.");

	if (fix != NULL) {
		size_t fl = strlen(fix);

		sd_hint_add(out, SMTPDOC_MAX_HINTS, "The domain \"%.*s\" looks "
			    "like a misspelling of \"%s\".", (int)dlen, at + 1,
			    fix);
		/* the corrected address, only when it fits whole */
		if (llen > 0 && llen + 1 + fl < sizeof(out->suggestion)) {
			memcpy(out->suggestion, s, llen);
			out->suggestion[llen] = '@';
			memcpy(out->suggestion + llen + 1, fix, fl + 1);
		}
	}
}
