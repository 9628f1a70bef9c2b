/*
 * dns_answer_stub.c - stand-ins for the three answer helpers of dns.h
 * (sd_dns_answer_new, sd_dns_answer_free, sd_dns_status_name) until the
 * resolver module, dns.c, brings its own.
 *
 * They are weak definitions: when dns.c is linked in, its (strong)
 * definitions replace these without a conflict, so this file can stay or
 * go at integration. The contract they follow is the one dns.h states:
 * an answer and its records, their host/text strings and the cname are
 * each a separate malloc'd block that sd_dns_answer_free() releases; the
 * free function accepts NULL.
 */
#include <stdlib.h>

#include "dns.h"

#if defined(__GNUC__) || defined(__clang__)
#define SD_WEAK __attribute__((weak))
#else
#define SD_WEAK
#endif

SD_WEAK sd_dns_answer *
sd_dns_answer_new(sd_dns_status status)
{
	sd_dns_answer *a = calloc(1, sizeof(*a));

	if (a != NULL)
		a->status = status;
	return a;
}

SD_WEAK void
sd_dns_answer_free(sd_dns_answer *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->rr[i].host);
		free(a->rr[i].text);
	}
	free(a->rr);
	free(a->cname);
	free(a);
}

SD_WEAK const char *
sd_dns_status_name(sd_dns_status s)
{
	static const char *const names[] = {"ok",      "nodata",  "nxdomain", "servfail",
					    "refused", "timeout", "error"};

	if ((unsigned)s < sizeof(names) / sizeof(names[0]))
		return names[s];
	return "error";
}
