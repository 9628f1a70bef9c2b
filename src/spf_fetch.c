/*
 * spf_fetch.c - a domain's SPF record from the DNS (RFC 7208 4.4, 4.5).
 *
 * Entry point (spf_internal.h): sd_spf_fetch. One TXT query (the SPF RR
 * type is never asked, 3.1); of the TXT records, those whose text starts
 * with "v=spf1" followed by a space or the end are SPF records. None is
 * "none", more than one is a permerror, a failed lookup a temperror; the
 * caller turns the status into a result. Records of other types in the
 * answer (CNAMEs of the chain) are skipped. The selected text is copied
 * into the caller's arena; the answer is freed here.
 */
#include <string.h>

#include "spf_internal.h"

void
sd_spf_fetch(sd_dns_lookup_fn lookup, void *ctx, sd_arena *a, const char *domain,
	     sd_spf_fetched *out)
{
	sd_dns_answer *ans;
	const sd_dns_rr *found = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	ans = lookup(ctx, domain, SD_DNS_TXT);
	if (ans == NULL) {
		out->status = SD_SPF_FETCH_NOMEM;
		out->dns = SD_DNS_ERROR;
		return;
	}
	out->dns = ans->status;
	switch (ans->status) {
	case SD_DNS_OK:
		break;
	case SD_DNS_NODATA:
	case SD_DNS_NXDOMAIN:
		out->status = SD_SPF_FETCH_VOID;
		goto done;
	default:
		out->status = SD_SPF_FETCH_DNS;
		goto done;
	}
	for (i = 0; i < ans->n; i++) {
		const sd_dns_rr *rr = &ans->rr[i];

		if (rr->type != SD_DNS_TXT || !sd_spf_is_record(rr->text, rr->text_len))
			continue;
		if (out->count++ == 0)
			found = rr;
	}
	if (out->count == 0) {
		out->status = SD_SPF_FETCH_NONE;
	} else if (out->count > 1) {
		out->status = SD_SPF_FETCH_MULTIPLE;
	} else {
		out->text = sd_arena_strndup(a, found->text, found->text_len);
		out->len = found->text_len;
		out->status = out->text ? SD_SPF_FETCH_OK : SD_SPF_FETCH_NOMEM;
	}
done:
	sd_dns_answer_free(ans);
}
