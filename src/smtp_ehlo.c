/*
 * smtp_ehlo.c - the service extensions an EHLO reply announces.
 *
 * sd_smtp_features_parse() reads the lines after the first of a reply as
 * "KEYWORD [PARAM ...]" (RFC 5321 4.1.1.1), keywords in any case. Known:
 * SIZE [n] (RFC 1870), STARTTLS (RFC 3207), AUTH mechanisms (RFC 4954;
 * also the old "AUTH=mech" form some servers still send), 8BITMIME
 * (RFC 6152), PIPELINING (RFC 2920), SMTPUTF8 (RFC 6531), CHUNKING
 * (RFC 3030), DSN (RFC 3461), ENHANCEDSTATUSCODES (RFC 2034). Others are
 * ignored. Only what the reply's kept text holds is seen (SD_SMTP_TEXT_MAX).
 */
#include <string.h>

#include "internal.h"
#include "smtp_probe.h"

/* Does the keyword at p[0..n) equal kw (any case)? */
static int
sd_ehlo_is(const char *p, size_t n, const char *kw)
{
	size_t i;

	if (strlen(kw) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (sd_tolower((unsigned char)p[i]) != sd_tolower((unsigned char)kw[i]))
			return 0;
	return 1;
}

/* The SIZE parameter: decimal digits, at most 20 of them. */
static unsigned long long
sd_ehlo_size(const char *p, size_t n)
{
	unsigned long long v = 0;
	size_t i;

	for (i = 0; i < n && p[i] == ' '; i++)
		;
	for (; i < n && sd_isdigit((unsigned char)p[i]); i++) {
		unsigned d = (unsigned)(p[i] - '0');
		if (v > (~0ULL - d) / 10)
			return ~0ULL;
		v = v * 10 + d;
	}
	return v;
}

/* Add the mechanisms in p[0..n) to f->auth, upper case, once each. */
static void
sd_ehlo_auth(sd_smtp_features *f, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		char mech[40];
		size_t m = 0, have;
		const char *at;

		while (i < n && (p[i] == ' ' || p[i] == '='))
			i++;
		while (i < n && p[i] != ' ') {
			if (m + 1 < sizeof(mech))
				mech[m++] = (char)((p[i] >= 'a' && p[i] <= 'z') ? p[i] - 32 : p[i]);
			i++;
		}
		if (m == 0)
			continue;
		mech[m] = '\0';
		/* already listed? */
		for (at = f->auth; (at = strstr(at, mech)) != NULL; at += m)
			if ((at == f->auth || at[-1] == ' ') && (at[m] == '\0' || at[m] == ' '))
				break;
		if (at != NULL)
			continue;
		have = strlen(f->auth);
		if (have + (have > 0) + m + 1 > sizeof(f->auth))
			continue;
		if (have > 0)
			f->auth[have++] = ' ';
		memcpy(f->auth + have, mech, m + 1);
	}
}

void
sd_smtp_features_parse(const sd_smtp_reply *ehlo, sd_smtp_features *f)
{
	const char *p, *end, *nl;

	memset(f, 0, sizeof(*f));
	if (ehlo == NULL || ehlo->text == NULL || ehlo->code / 100 != 2)
		return;
	f->esmtp = 1;
	end = ehlo->text + ehlo->len;
	nl = memchr(ehlo->text, '\n', ehlo->len);
	for (p = nl ? nl + 1 : end; p < end; p = nl + 1) {
		size_t k = 0, n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		while (k < n && p[k] != ' ' && p[k] != '=')
			k++;
		if (sd_ehlo_is(p, k, "SIZE")) {
			f->size_offered = 1;
			f->size = sd_ehlo_size(p + k, n - k);
		} else if (sd_ehlo_is(p, k, "STARTTLS")) {
			f->starttls = 1;
		} else if (sd_ehlo_is(p, k, "AUTH")) {
			sd_ehlo_auth(f, p + k, n - k);
		} else if (sd_ehlo_is(p, k, "8BITMIME")) {
			f->eightbitmime = 1;
		} else if (sd_ehlo_is(p, k, "PIPELINING")) {
			f->pipelining = 1;
		} else if (sd_ehlo_is(p, k, "SMTPUTF8")) {
			f->smtputf8 = 1;
		} else if (sd_ehlo_is(p, k, "CHUNKING")) {
			f->chunking = 1;
		} else if (sd_ehlo_is(p, k, "DSN")) {
			f->dsn = 1;
		} else if (sd_ehlo_is(p, k, "ENHANCEDSTATUSCODES")) {
			f->enhancedstatuscodes = 1;
		}
	}
}
