/*
 * verify_providers.c - providers that answer 250 to every RCPT TO and
 * bounce unknown addresses only after the message was sent, so that
 * their yes at RCPT proves nothing (a catch-all probe may not show it,
 * and with --no-catch-all there is no probe at all).
 *
 * Kept as data: a provider is named by its mail domains or by the end of
 * its MX host names. Yahoo's and AOL's mail hosts accept any recipient at
 * RCPT and refuse unknown ones after DATA ("554 delivery error: dd This
 * user doesn't have a yahoo.com account").
 */
#include <string.h>
#include <strings.h>

#include "verify_internal.h"

static const char *const sd_accept_all_domains[] = {
	"yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "aim.com", "yahoo.co.uk", "yahoo.co.jp",
	"yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.ca", "yahoo.com.au", "yahoo.co.in",
	"yahoo.com.br", NULL,
};

static const char *const sd_accept_all_mx_suffixes[] = {
	".yahoodns.net", NULL,
};

/* Does name end with suffix (case-insensitive)? */
static int
sd_ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

int
sd_verify_accepts_all(const char *domain, const char *mx_host)
{
	size_t i;

	for (i = 0; domain && sd_accept_all_domains[i]; i++)
		if (strcasecmp(domain, sd_accept_all_domains[i]) == 0)
			return 1;
	for (i = 0; mx_host && sd_accept_all_mx_suffixes[i]; i++)
		if (sd_ends_with(mx_host, sd_accept_all_mx_suffixes[i]))
			return 1;
	return 0;
}
