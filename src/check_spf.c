/*
 * check_spf.c - the SPF lines of `smtpdoc check`: the domain's record tree
 * (present, single, valid, within the 10-lookup limit) and, with --ip,
 * what receivers conclude for that sending IP.
 *
 * The SPF module (spf.h) does the RFC 7208 work; this file turns its
 * reports into checklist items, each failure tied to the bounce it causes
 * and its fix. A record over the lookup limit still gets its partial
 * evaluation shown: how far it got, which include pushed it over, and how
 * many lookups the whole tree needs.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "spf.h"

#define SD_AUTH_BOUNCE                                                          \
	"550 5.7.26 This mail has been blocked because the sender is "         \
	"unauthenticated (SPF and DKIM both failed or are missing)"

static void
sd_spf_lint_item(sd_dns_lookup_fn lookup, void *lctx, const char *domain, sd_check_list *out)
{
	sd_spf_lint_report *l = NULL;
	sd_check_item *it = sd_check_list_add(out, "spf.record", SD_CHECK_PASS);
	size_t i;

	if (it == NULL)
		return;
	sd_check_item_subject(it, domain);
	if (sd_spf_lint(lookup, lctx, domain, NULL, &l) != SMTPDOC_OK || l == NULL) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "The SPF record of %s could not be read.", domain);
		return;
	}
	if (l->record)
		sd_check_item_detail(it, "record", "%s", l->record);
	sd_check_item_detail(it, "lookups", "%d%s", l->lookups, l->lookups_exact ? "" : " or more");
	switch (l->status) {
	case SD_SPF_NONE:
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it,
			"%s publishes no SPF record, so receivers cannot tell which servers may send "
			"its mail. Large providers refuse or junk unauthenticated mail.", domain);
		sd_check_item_cause(it, "sender.auth-failed");
		sd_check_item_bounce(it, SD_AUTH_BOUNCE);
		sd_check_item_fix(it,
			"Publish a TXT record at %s listing the servers that send its mail, for "
			"example \"v=spf1 mx include:<your provider's SPF domain> -all\".", domain);
		break;
	case SD_SPF_TEMPERROR:
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "The SPF record of %s could not be looked up just now (DNS failure).",
				      domain);
		break;
	case SD_SPF_PERMERROR:
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it,
			"The SPF record of %s is broken: receivers get \"permerror\" and treat the "
			"domain's mail as unauthenticated.", domain);
		sd_check_item_cause(it, "sender.auth-failed");
		sd_check_item_bounce(it, "550 5.7.23 SPF validation error: permerror (%s)", domain);
		break;
	default:
		if (l->errors) {
			it->status = SD_CHECK_FAIL;
			sd_check_item_cause(it, "sender.auth-failed");
			sd_check_item_bounce(it, "550 5.7.23 SPF validation error: permerror (%s)", domain);
			sd_check_item_summary(it,
				"The SPF record of %s has a problem that makes receivers answer "
				"\"permerror\" for some or all senders.", domain);
		} else if (l->warnings) {
			it->status = SD_CHECK_WARN;
			sd_check_item_summary(it, "%s has an SPF record that works, with weaknesses listed below.",
					      domain);
		} else {
			sd_check_item_summary(it,
				"%s has one valid SPF record; its tree needs %d of the 10 DNS lookups "
				"allowed.", domain, l->lookups);
		}
		break;
	}
	for (i = 0; i < l->nissues; i++) {
		const sd_spf_issue *is = &l->issues[i];
		sd_check_item_detail(it, is->severity == SD_SPF_ERROR ? "problem" :
					 is->severity == SD_SPF_WARNING ? "warning" : "note",
				     "%s%s%s%s", is->message, is->term ? " (" : "", is->term ? is->term : "",
				     is->term ? ")" : "");
		if (is->severity == SD_SPF_ERROR && strcmp(is->code, "lookup-limit") == 0)
			sd_check_item_fix(it,
				"Bring the record under 10 DNS-querying terms: replace include: "
				"terms of services you no longer use, and list fixed servers with "
				"ip4:/ip6: instead of a or mx.");
	}
	if (it->status == SD_CHECK_FAIL && it->nfix == 0)
		sd_check_item_fix(it, "Correct the record as the problems above say, then check again.");
	sd_spf_lint_free(l);
}

static void
sd_spf_ip_item(sd_dns_lookup_fn lookup, void *lctx, const char *domain, const char *ip, const char *helo,
	       sd_check_list *out)
{
	sd_spf_report *r = NULL;
	sd_check_item *it = sd_check_list_add(out, "spf.ip", SD_CHECK_PASS);
	char sender[300];

	if (it == NULL)
		return;
	sd_check_item_subject(it, ip);
	snprintf(sender, sizeof(sender), "postmaster@%s", domain);
	if (sd_spf_check(lookup, lctx, ip, domain, sender, helo, NULL, &r) != SMTPDOC_OK || r == NULL) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "SPF could not be evaluated for %s.", ip);
		return;
	}
	sd_check_item_detail(it, "result", "%s", sd_spf_result_name(r->result));
	if (r->matched_term)
		sd_check_item_detail(it, "matched", "%s (in the record of %s)", r->matched_term,
				     r->matched_domain ? r->matched_domain : domain);
	sd_check_item_detail(it, "lookups", "%d", r->lookups);
	sd_check_item_detail(it, "void_lookups", "%d", r->void_lookups);
	switch (r->result) {
	case SD_SPF_PASS:
		sd_check_item_summary(it, "SPF passes for mail from %s sent by %s.", domain, ip);
		break;
	case SD_SPF_FAIL:
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it,
			"SPF fails for mail from %s sent by %s: the domain's record says this server "
			"may not send its mail.", domain, ip);
		sd_check_item_cause(it, "sender.auth-failed");
		sd_check_item_bounce(it, "550 5.7.1 SPF check failed: %s is not allowed to send mail from %s",
				     ip, domain);
		sd_check_item_fix(it, "Add this server to the SPF record of %s (for example ip4:%s), or send "
				  "through a server the record already lists.", domain, ip);
		break;
	case SD_SPF_SOFTFAIL:
	case SD_SPF_NEUTRAL:
	case SD_SPF_NONE:
		it->status = SD_CHECK_WARN;
		sd_check_item_summary(it,
			"SPF gives \"%s\" for %s sending as %s: not a pass, so receivers rely on DKIM "
			"alone and may junk or refuse the mail.", sd_spf_result_name(r->result), ip, domain);
		sd_check_item_cause(it, "sender.auth-failed");
		sd_check_item_bounce(it, SD_AUTH_BOUNCE);
		sd_check_item_fix(it, "List %s in the SPF record of %s if it sends the domain's mail.", ip,
				  domain);
		break;
	case SD_SPF_TEMPERROR:
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "SPF could not be evaluated for %s just now (DNS failure): receivers "
				      "defer the mail and try again.", ip);
		break;
	case SD_SPF_PERMERROR:
	default:
		it->status = SD_CHECK_FAIL;
		sd_check_item_cause(it, "sender.auth-failed");
		sd_check_item_bounce(it, "550 5.7.24 SPF permanent error for %s: %s", domain,
				     r->problem ? r->problem : "permerror");
		if (r->limit_hit) {
			sd_check_item_summary(it,
				"SPF evaluation for %s stops with \"permerror\": the record needs more "
				"than 10 DNS lookups. It had used %d when %s asked for the 11th.", ip,
				r->lookups, r->limit_term ? r->limit_term : "a term");
			if (r->limit_path)
				sd_check_item_detail(it, "limit_path", "%s", r->limit_path);
			if (r->lookups_needed >= 0)
				sd_check_item_detail(it, "lookups_needed", "%d", r->lookups_needed);
		} else {
			sd_check_item_summary(it, "SPF evaluation for %s ends in \"permerror\": %s", ip,
					      r->reason ? r->reason : "the record is broken");
		}
		sd_check_item_fix(it, "Fix the SPF record of %s (see spf.record above).", domain);
		break;
	}
	{
		sd_buf trace;
		sd_buf_init(&trace, 16384);
		if (sd_spf_report_text(r, &trace) == 0 && trace.len)
			sd_check_item_detail(it, "trace", "%s", trace.data);
		sd_buf_free(&trace);
	}
	sd_spf_report_free(r);
}

void
sd_check_spf(sd_dns_lookup_fn lookup, void *lctx, const char *domain, const char *ip, const char *helo,
	     sd_check_list *out)
{
	sd_spf_lint_item(lookup, lctx, domain, out);
	if (ip)
		sd_spf_ip_item(lookup, lctx, domain, ip, helo, out);
}
