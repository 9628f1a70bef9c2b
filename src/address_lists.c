/*
 * address_lists.c - the role, disposable and provider lists as hash sets.
 *
 * The lists are text files in data/, turned into C tables at build time
 * by cmake/gen_address_lists.cmake (declared in address.h). On first use,
 * under pthread_once, each table is loaded into a keyset (keyset.c), so a
 * lookup is one hash probe; the sets live until the process ends.
 *
 * Entry points: sd_address_lists_init, sd_address_is_role,
 * sd_address_is_disposable (the domain or any parent domain),
 * sd_address_is_freemail, sd_address_is_lookalike. Keys are compared as
 * bytes; the callers pass lower-case A-label domains, and role names are
 * folded to lower case here.
 */
#include <pthread.h>
#include <string.h>

#include "address.h"
#include "internal.h"
#include "keyset.h"

#define SD_ROLE_MAX 64 /* longer local parts are no role name */

static pthread_once_t sd_lists_once = PTHREAD_ONCE_INIT;
static sd_keyset *sd_role_set, *sd_disposable_set, *sd_freemail_set, *sd_lookalike_set;
static int sd_lists_ok;

/* sd_set_of - a set of the n strings of table; NULL on no memory */
static sd_keyset *
sd_set_of(const char *const *table, size_t n)
{
	sd_keyset *s = sd_keyset_new();
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (sd_keyset_add(s, table[i], strlen(table[i])) == 0) {
			sd_keyset_free(s);
			s = NULL;
		}
	return s;
}

static void
sd_lists_build(void)
{
	size_t i;

	sd_role_set = sd_set_of(sd_role_accounts, sd_role_accounts_count);
	sd_disposable_set = sd_set_of(sd_disposable_domains, sd_disposable_domains_count);
	sd_lookalike_set = sd_set_of(sd_typo_lookalikes, sd_typo_lookalikes_count);
	sd_freemail_set = sd_keyset_new();
	for (i = 0; sd_freemail_set != NULL && i < sd_mail_providers_count; i++) {
		const char *d = sd_mail_providers[i].domain;
		if (sd_keyset_add(sd_freemail_set, d, strlen(d)) == 0) {
			sd_keyset_free(sd_freemail_set);
			sd_freemail_set = NULL;
		}
	}
	sd_lists_ok = sd_role_set != NULL && sd_disposable_set != NULL &&
		      sd_lookalike_set != NULL && sd_freemail_set != NULL;
}

int
sd_address_lists_init(void)
{
	pthread_once(&sd_lists_once, sd_lists_build);
	return sd_lists_ok ? 0 : -1;
}

int
sd_address_is_role(const char *local, size_t n)
{
	char low[SD_ROLE_MAX];
	const char *plus;
	size_t i;

	if (local == NULL || sd_address_lists_init() != 0)
		return 0;
	plus = memchr(local, '+', n);
	if (plus != NULL)
		n = (size_t)(plus - local);
	if (n == 0 || n > sizeof(low))
		return 0;
	for (i = 0; i < n; i++)
		low[i] = (char)sd_tolower((unsigned char)local[i]);
	return sd_keyset_count(sd_role_set, low, n) > 0;
}

int
sd_address_is_disposable(const char *domain, size_t n)
{
	const char *dot;

	if (domain == NULL || sd_address_lists_init() != 0)
		return 0;
	/* the domain, then each parent that still has a dot in it */
	for (;;) {
		if (sd_keyset_count(sd_disposable_set, domain, n) > 0)
			return 1;
		dot = memchr(domain, '.', n);
		if (dot == NULL || memchr(dot + 1, '.', n - (size_t)(dot + 1 - domain)) == NULL)
			return 0;
		n -= (size_t)(dot + 1 - domain);
		domain = dot + 1;
	}
}

int
sd_address_is_freemail(const char *domain, size_t n)
{
	if (domain == NULL || sd_address_lists_init() != 0)
		return 0;
	return sd_keyset_count(sd_freemail_set, domain, n) > 0;
}

int
sd_address_is_lookalike(const char *domain, size_t n)
{
	if (domain == NULL || sd_address_lists_init() != 0)
		return 0;
	return sd_keyset_count(sd_lookalike_set, domain, n) > 0;
}
