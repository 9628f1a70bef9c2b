/*
 * audit_pcre.c - whether a Postfix pcre: table pattern means the same as
 * a POSIX extended regular expression, so that `smtpdoc audit` and
 * `smtpdoc route` can evaluate it with regcomp()/regexec() (audit_regexp.c)
 * instead of linking a PCRE library.
 *
 * Entry point (audit.h): sd_audit_pcre_is_ere. It is a conservative
 * scan, one pass over the pattern: anything whose meaning differs
 * between the two, or that one of them lacks, makes the answer "no":
 *   - a backslash before a letter or digit (\d, \w, \s, \b, \1, \x41,
 *     \Q...), or before < > ` ' (word and buffer anchors in glibc,
 *     plain characters in PCRE);
 *   - "(?" (PCRE's options, look-around, named and atomic groups);
 *   - a quantifier followed by '?' or '+' (lazy and possessive);
 *   - a backslash inside a bracket expression (an escape in PCRE, a
 *     plain backslash in POSIX), and [. .] and [= =] (POSIX only);
 *   - '{' that does not start a bound "{n}", "{n,}" or "{n,m}" (a plain
 *     brace in PCRE).
 * Everything else (literals, . ^ $ | ( ) [ ] * + ? bounds, [:class:]) is
 * common ground. No allocation; the reason is written to a caller buffer.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

/* sd_pcre_bound - p is at '{': the length of a bound "{n}", "{n,}" or
 * "{n,m}", or 0 when it is not one */
static size_t
sd_pcre_bound(const char *p)
{
	size_t i = 1;

	if (!sd_isdigit((unsigned char)p[i]))
		return 0;
	while (sd_isdigit((unsigned char)p[i]))
		i++;
	if (p[i] == ',') {
		i++;
		while (sd_isdigit((unsigned char)p[i]))
			i++;
	}
	return p[i] == '}' ? i + 1 : 0;
}

int
sd_audit_pcre_is_ere(const char *pat, char *why, size_t whysize)
{
	size_t i = 0, n;

	while (pat[i]) {
		unsigned char ch = (unsigned char)pat[i];

		if (ch == '\\') {
			unsigned char e = (unsigned char)pat[i + 1];
			if (e == '\0' || sd_isalnum(e) || strchr("<>`'", e) != NULL) {
				snprintf(why, whysize, "\\%c at column %zu", e ? e : ' ', i + 1);
				return 0;
			}
			i += 2;
			continue;
		}
		if (ch == '(' && pat[i + 1] == '?') {
			snprintf(why, whysize, "(? at column %zu", i + 1);
			return 0;
		}
		if (ch == '[') { /* a bracket expression, to its closing ']' */
			size_t j = i + 1;
			if (pat[j] == '^')
				j++;
			if (pat[j] == ']')
				j++;
			for (; pat[j] && pat[j] != ']'; j++) {
				if (pat[j] == '\\' || (pat[j] == '[' && (pat[j + 1] == '.' || pat[j + 1] == '='))) {
					snprintf(why, whysize, "%.2s in a bracket expression at column %zu", pat + j,
						 j + 1);
					return 0;
				}
				if (pat[j] == '[' && pat[j + 1] == ':') { /* [:class:] */
					const char *end = strstr(pat + j + 2, ":]");
					if (end == NULL)
						break;
					j = (size_t)(end - pat) + 1;
				}
			}
			if (pat[j] != ']') {
				snprintf(why, whysize, "an unclosed [ at column %zu", i + 1);
				return 0;
			}
			i = j + 1;
			continue;
		}
		if (ch == '{') {
			if ((n = sd_pcre_bound(pat + i)) == 0) {
				snprintf(why, whysize, "a { that is no repetition count at column %zu", i + 1);
				return 0;
			}
			i += n;
			if (pat[i] == '?' || pat[i] == '+') {
				snprintf(why, whysize, "a lazy or possessive %c at column %zu", pat[i], i + 1);
				return 0;
			}
			continue;
		}
		if ((ch == '*' || ch == '+' || ch == '?') && (pat[i + 1] == '?' || pat[i + 1] == '+')) {
			snprintf(why, whysize, "a lazy or possessive %c%c at column %zu", ch, pat[i + 1], i + 1);
			return 0;
		}
		i++;
	}
	return 1;
}
