/*
 * audit_extension.c - address extensions ("user+tag@domain") as the
 * routes of `smtpdoc route` and `smtpdoc audit` strip them.
 *
 * Entry points (audit.h): sd_audit_ext_split (the address without its
 * extension, and the extension) and sd_audit_ext_add (an extension put
 * back on another address, as Postfix's propagate_unmatched_extensions
 * does for virtual aliases).
 *
 * Postfix (postconf(5) recipient_delimiter): the delimiter may be several
 * characters, each one a delimiter; the local part is cut at the first of
 * them. As in Postfix, these are never split: postmaster, mailer-daemon
 * and double-bounce; owner-NAME and NAME-request when '-' is a delimiter;
 * a local part that would be left empty ("+tag@domain"). cPanel's Exim
 * strips "+anything" the same way (plus addressing: local_part_suffix =
 * +* with local_part_suffix_optional), with "+" as the only delimiter.
 *
 * Both functions write into caller buffers and allocate nothing.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit.h"

/* sd_ext_never - a local part Postfix never splits */
static int
sd_ext_never(const char *local, size_t n, const char *delims)
{
	static const char *const fixed[] = {"postmaster", "mailer-daemon", "double-bounce"};
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strlen(fixed[i]) == n && strncasecmp(local, fixed[i], n) == 0)
			return 1;
	if (strchr(delims, '-') != NULL) {
		if (n > 6 && strncasecmp(local, "owner-", 6) == 0)
			return 1;
		if (n > 8 && strncasecmp(local + n - 8, "-request", 8) == 0)
			return 1;
	}
	return 0;
}

int
sd_audit_ext_split(const char *delims, const char *in, char *base, size_t nbase, char *ext, size_t next)
{
	const char *at = strrchr(in, '@');
	size_t local = at ? (size_t)(at - in) : strlen(in);
	size_t cut, elen;

	if (delims == NULL || delims[0] == '\0' || local == 0)
		return 0;
	if (sd_ext_never(in, local, delims))
		return 0;
	cut = strcspn(in, delims);
	if (cut == 0 || cut >= local)
		return 0;
	elen = local - cut;
	if (elen >= next || strlen(in) - elen >= nbase)
		return 0;
	memcpy(ext, in + cut, elen);
	ext[elen] = '\0';
	memcpy(base, in, cut);
	memcpy(base + cut, in + local, strlen(in + local) + 1); /* "@domain", or "" */
	return 1;
}

int
sd_audit_ext_add(const char *in, const char *ext, char *out, size_t size)
{
	const char *at = strrchr(in, '@');
	size_t local = at ? (size_t)(at - in) : strlen(in);
	int n = snprintf(out, size, "%.*s%s%s", (int)local, in, ext, in + local);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}
