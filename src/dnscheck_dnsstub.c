/*
 * dnscheck_dnsstub.c - stand-ins for the answer functions of dns.c, until
 * dns.c (the c-ares resolver, written on another branch) is merged.
 *
 * sd_dns_answer_new, sd_dns_answer_free and sd_dns_status_name are defined
 * here as weak symbols so that the library links (the DNS checks free the
 * answers they are given) without dns.c. dns.c's own, strong definitions
 * replace them as soon as it is in the library; this file is then to be
 * deleted. They follow dns.h's layout: the answer, its cname, its record
 * array and each record's host and text are separate malloc blocks.
 */
#include <stdlib.h>

#include "dns.h"

__attribute__((weak)) sd_dns_answer *
sd_dns_answer_new(sd_dns_status status)
{
	sd_dns_answer *a = calloc(1, sizeof(*a));

	if (a != NULL)
		a->status = status;
	return a;
}

__attribute__((weak)) void
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

__attribute__((weak)) const char *
sd_dns_status_name(sd_dns_status s)
{
	switch (s) {
	case SD_DNS_OK:
		return "ok";
	case SD_DNS_NODATA:
		return "nodata";
	case SD_DNS_NXDOMAIN:
		return "nxdomain";
	case SD_DNS_SERVFAIL:
		return "servfail";
	case SD_DNS_REFUSED:
		return "refused";
	case SD_DNS_TIMEOUT:
		return "timeout";
	case SD_DNS_ERROR:
		break;
	}
	return "error";
}
