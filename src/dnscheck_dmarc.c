/*
 * dnscheck_dmarc.c - the DMARC policy of a domain (RFC 7489).
 *
 * Entry point: sd_dnscheck_dmarc (dnscheck.h), one "dmarc.record" item.
 *
 * Policy discovery as RFC 7489 6.6.3 describes it: the TXT records at
 * _dmarc.DOMAIN that start with "v=DMARC1" (exactly: RFC 7489 6.4 spells the
 * value with %x codes, so "v=dmarc1" is not a DMARC record); when there are
 * none, the same at the organisational domain (sd_dnscheck_org_domain, an
 * approximation); more than one record means no DMARC at all. The tags are
 * read as RFC 7489 6.3 defines them (p, sp, adkim, aspf, pct, rua, ruf, fo,
 * rf, ri), plus np (RFC 9091) and t and psd (DMARCbis), which are reported
 * and not judged. A record without a valid p= counts as p=none when it has a
 * valid rua= address, else it is ignored (RFC 7489 6.6.3). Report addresses
 * at another organisational domain need that domain's consent record,
 * DOMAIN._report._dmarc.DESTINATION (RFC 7489 7.1); at most
 * SD_DMARC_MAX_EXTERNAL of them are looked up.
 *
 * Parsing is one pass over the record through sd_dc_tags_parse; nothing
 * in the record can make it allocate or loop more than its length.
 */
#include <stdio.h>
#include <string.h>

#include "dnscheck_int.h"

#define SD_DMARC_MAX_DEST 8     /* report destinations remembered */
#define SD_DMARC_MAX_EXTERNAL 4 /* consent records looked up */

enum { SD_DMARC_ABSENT = -2, SD_DMARC_BAD = -1, SD_DMARC_NONE = 0, SD_DMARC_QUARANTINE,
       SD_DMARC_REJECT };

static const char *const sd_dmarc_policies[] = {"none", "quarantine", "reject"};

typedef struct sd_dmarc {
	int p, sp;
	int rua_ok;    /* rua= has at least one valid address */
	int has_ruf;
	int pct;
	size_t ndest;  /* report destinations' domains, distinct */
	char dest[SD_DMARC_MAX_DEST][SD_DNSCHECK_NAME_MAX];
} sd_dmarc;

/* The DMARC records found at one name. */

static int
sd_dmarc_policy(const sd_dc_tag *t)
{
	int i;

	if (t == NULL)
		return SD_DMARC_ABSENT;
	for (i = 0; i < 3; i++)
		if (sd_dc_eq_nocase(t->value, t->value_len, sd_dmarc_policies[i]))
			return i;
	return SD_DMARC_BAD;
}

/* sd_dmarc_fetch - look up _dmarc.name and count its DMARC records; near
 * misses ("v=dmarc1") and other TXT records become notes. -1 on OOM. */
static int
sd_dmarc_fetch(sd_dns_lookup_fn lookup, void *lctx, const char *name, sd_dc_found *f,
	       sd_dc_problems *pr)
{
	char q[SD_DNSCHECK_NAME_MAX + 8];

	if (sd_dc_fmt(q, sizeof(q), "_dmarc.%s", name) < 0) {
		memset(f, 0, sizeof(*f));
		f->ans = sd_dns_answer_new(SD_DNS_ERROR);
		return f->ans ? 0 : -1;
	}
	return sd_dc_fetch_versioned(lookup, lctx, q, "DMARC", "DMARC1", 0, 1, f, pr);
}

/* sd_dmarc_dest - remember the domain of a report address */
static void
sd_dmarc_dest(sd_dmarc *d, const char *dom)
{
	size_t i;

	for (i = 0; i < d->ndest; i++)
		if (strcmp(d->dest[i], dom) == 0)
			return;
	if (d->ndest < SD_DMARC_MAX_DEST)
		memcpy(d->dest[d->ndest++], dom, strlen(dom) + 1);
}

/* sd_dmarc_uri - check one report URI u[0..n) of tag; 1 when usable */
static int
sd_dmarc_uri(const char *tag, const char *u, size_t n, sd_dmarc *d, sd_dc_problems *pr)
{
	char shown[80], dom[SD_DNSCHECK_NAME_MAX], raw[SD_DNSCHECK_NAME_MAX];
	size_t i, scheme = 0, at = 0, end;

	sd_dc_printable(u, n, 64, shown, sizeof(shown));
	/* an optional size limit: "!" 1*DIGIT [k/m/g/t] */
	for (i = n; i > 0; i--)
		if (u[i - 1] == '!')
			break;
	end = n;
	if (i > 0) {
		size_t j = i, digits = 0;

		while (j < n && sd_isdigit((unsigned char)u[j])) {
			j++;
			digits++;
		}
		if (j < n && strchr("kmgt", sd_tolower((unsigned char)u[j])) != NULL)
			j++;
		if (digits == 0 || j != n || digits > 19) {
			sd_dc_problem(pr, SD_CHECK_WARN, "%s= address \"%s\" has a size limit that "
				      "cannot be read (it must be !digits with k, m, g or t)", tag, shown);
			return 0;
		}
		end = i - 1;
	}
	while (scheme < end && (sd_isalnum((unsigned char)u[scheme]) || u[scheme] == '+' ||
				u[scheme] == '-' || u[scheme] == '.'))
		scheme++;
	if (scheme == 0 || scheme == end || u[scheme] != ':') {
		sd_dc_problem(pr, SD_CHECK_WARN, "%s= value \"%s\" is not an address: write it as "
			      "mailto:reports@example.com", tag, shown);
		return 0;
	}
	if (!sd_dc_eq_nocase(u, scheme, "mailto")) {
		sd_dc_problem(pr, SD_CHECK_WARN, "%s= address \"%s\" is not a mailto: address; "
			      "receivers send DMARC reports by mail only", tag, shown);
		return 0;
	}
	for (i = scheme + 1; i < end && u[i] != '?'; i++)
		if (u[i] == '@')
			at = i;
	if (at == 0 || at == scheme + 1 || i - at - 1 == 0 || i - at - 1 >= sizeof(raw)) {
		sd_dc_problem(pr, SD_CHECK_WARN, "%s= address \"%s\" is not a mail address", tag,
			      shown);
		return 0;
	}
	memcpy(raw, u + at + 1, i - at - 1);
	raw[i - at - 1] = '\0';
	if (sd_dnscheck_domain_norm(raw, dom) < 0 || strchr(dom, '.') == NULL) {
		sd_dc_problem(pr, SD_CHECK_WARN, "%s= address \"%s\" has no usable domain", tag,
			      shown);
		return 0;
	}
	sd_dmarc_dest(d, dom);
	return 1;
}

/* sd_dmarc_uris - the comma-separated list of rua= or ruf= */
static int
sd_dmarc_uris(const sd_dc_tag *t, const char *tag, sd_dmarc *d, sd_dc_problems *pr)
{
	size_t i, start = 0, good = 0;

	for (i = 0; i <= t->value_len; i++) {
		size_t s, e;

		if (i < t->value_len && t->value[i] != ',')
			continue;
		s = start;
		e = i;
		start = i + 1;
		while (s < e && sd_dc_iswsp((unsigned char)t->value[s]))
			s++;
		while (e > s && sd_dc_iswsp((unsigned char)t->value[e - 1]))
			e--;
		if (s == e) {
			sd_dc_problem(pr, SD_CHECK_WARN, "%s= has an empty address in its list", tag);
			continue;
		}
		good += (size_t)sd_dmarc_uri(tag, t->value + s, e - s, d, pr);
	}
	return good > 0;
}

/* sd_dmarc_colon_list - every ':'-separated item of v is in allowed */
static int
sd_dmarc_colon_list(const char *v, size_t n, const char *const *allowed)
{
	size_t i, start = 0, k;

	if (n == 0)
		return 0;
	for (i = 0; i <= n; i++) {
		size_t s, e;
		int ok = 0;

		if (i < n && v[i] != ':')
			continue;
		s = start;
		e = i;
		start = i + 1;
		while (s < e && sd_dc_iswsp((unsigned char)v[s]))
			s++;
		while (e > s && sd_dc_iswsp((unsigned char)v[e - 1]))
			e--;
		for (k = 0; allowed[k] != NULL; k++)
			if (sd_dc_eq_nocase(v + s, e - s, allowed[k]))
				ok = 1;
		if (!ok)
			return 0;
	}
	return 1;
}

/* sd_dmarc_number - decimal v[0..n) into *out when <= max */
static int
sd_dmarc_number(const char *v, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long x = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (!sd_isdigit((unsigned char)v[i]))
			return -1;
		x = x * 10 + (unsigned long)(v[i] - '0');
	}
	if (x > max)
		return -1;
	*out = x;
	return 0;
}

/* sd_dmarc_parse - read the tags of one record into d, details into it */
static int
sd_dmarc_parse(const char *text, size_t len, sd_dmarc *d, sd_check_item *it, sd_dc_problems *pr)
{
	static const char *const known[] = {"v", "p", "sp", "np", "adkim", "aspf", "pct", "rua",
					    "ruf", "fo", "rf", "ri", "t", "psd", NULL};
	static const char *const fo_values[] = {"0", "1", "d", "s", NULL};
	static const char *const rf_values[] = {"afrf", NULL};
	sd_dc_tags tags;
	const sd_dc_tag *t;
	char err[160], shown[80];
	unsigned long num;
	size_t i, k;

	memset(d, 0, sizeof(*d));
	d->p = d->sp = SD_DMARC_ABSENT;
	d->pct = 100;
	if (sd_dc_tags_parse(text, len, 1, &tags, err, sizeof(err)) < 0) {
		sd_dc_problem(pr, SD_CHECK_FAIL, "the record cannot be read: %s; receivers ignore "
			      "it", err);
		return -1;
	}
	for (i = 0; i < tags.n; i++) {
		int ok = 0;

		for (k = 0; known[k] != NULL; k++)
			if (sd_dc_eq_nocase(tags.v[i].name, tags.v[i].name_len, known[k]))
				ok = 1;
		if (!ok) {
			sd_dc_printable(tags.v[i].name, tags.v[i].name_len, 32, shown, sizeof(shown));
			sd_dc_problem(pr, SD_CHECK_PASS, "the tag %s= is not a DMARC tag; receivers "
				      "ignore it", shown);
		}
	}
	if ((t = sd_dc_tags_get(&tags, "rua", 1)) != NULL) {
		sd_check_item_detail_text(it, "rua", t->value, t->value_len);
		d->rua_ok = sd_dmarc_uris(t, "rua", d, pr);
	} else {
		sd_dc_problem(pr, SD_CHECK_PASS, "there is no rua= address, so you get no reports "
			      "of who sends mail in your domain's name");
	}
	if ((t = sd_dc_tags_get(&tags, "ruf", 1)) != NULL) {
		sd_check_item_detail_text(it, "ruf", t->value, t->value_len);
		d->has_ruf = 1;
		sd_dmarc_uris(t, "ruf", d, pr);
	}
	d->p = sd_dmarc_policy(sd_dc_tags_get(&tags, "p", 1));
	if (d->p < 0) {
		const char *what = d->p == SD_DMARC_ABSENT ? "has no p= tag" :
				   "has a p= value that is not none, quarantine or reject";

		if (d->rua_ok)
			sd_dc_problem(pr, SD_CHECK_WARN, "the record %s; receivers treat it as "
				      "p=none (no protection)", what);
		else
			sd_dc_problem(pr, SD_CHECK_FAIL, "the record %s and no valid rua= address; "
				      "receivers ignore it", what);
	}
	if ((t = sd_dc_tags_get(&tags, "sp", 1)) != NULL) {
		d->sp = sd_dmarc_policy(t);
		if (d->sp == SD_DMARC_BAD)
			sd_dc_problem(pr, d->rua_ok ? SD_CHECK_WARN : SD_CHECK_FAIL,
				      "sp= is not none, quarantine or reject; receivers then %s",
				      d->rua_ok ? "treat the record as p=none" : "ignore the record");
	}
	if ((t = sd_dc_tags_get(&tags, "np", 1)) != NULL) {
		sd_check_item_detail_text(it, "np", t->value, t->value_len);
		if (sd_dmarc_policy(t) < 0)
			sd_dc_problem(pr, SD_CHECK_WARN, "np= is not none, quarantine or reject");
	}
	for (k = 0; k < 2; k++) {
		const char *name = k == 0 ? "adkim" : "aspf";

		if ((t = sd_dc_tags_get(&tags, name, 1)) == NULL) {
			sd_check_item_detail(it, name, "r (relaxed, the default)");
			continue;
		}
		if (sd_dc_eq_nocase(t->value, t->value_len, "r"))
			sd_check_item_detail(it, name, "r (relaxed)");
		else if (sd_dc_eq_nocase(t->value, t->value_len, "s"))
			sd_check_item_detail(it, name, "s (strict: the domains must be identical)");
		else
			sd_dc_problem(pr, SD_CHECK_WARN, "%s= must be r or s; receivers use r", name);
	}
	if ((t = sd_dc_tags_get(&tags, "pct", 1)) != NULL) {
		if (sd_dmarc_number(t->value, t->value_len, 100, &num) < 0)
			sd_dc_problem(pr, SD_CHECK_WARN, "pct= must be a number from 0 to 100; "
				      "receivers use 100");
		else
			d->pct = (int)num;
	}
	sd_check_item_detail(it, "pct", "%d", d->pct);
	if ((t = sd_dc_tags_get(&tags, "fo", 1)) != NULL) {
		sd_check_item_detail_text(it, "fo", t->value, t->value_len);
		if (!sd_dmarc_colon_list(t->value, t->value_len, fo_values))
			sd_dc_problem(pr, SD_CHECK_WARN, "fo= must be 0, 1, d or s, separated by ':'");
		else if (!d->has_ruf)
			sd_dc_problem(pr, SD_CHECK_PASS, "fo= has no effect without a ruf= address");
	}
	if ((t = sd_dc_tags_get(&tags, "rf", 1)) != NULL) {
		sd_check_item_detail_text(it, "rf", t->value, t->value_len);
		if (!sd_dmarc_colon_list(t->value, t->value_len, rf_values))
			sd_dc_problem(pr, SD_CHECK_WARN, "rf= must be afrf, the only report format "
				      "defined");
	}
	if ((t = sd_dc_tags_get(&tags, "ri", 1)) != NULL) {
		if (sd_dmarc_number(t->value, t->value_len, 4294967295UL, &num) < 0)
			sd_dc_problem(pr, SD_CHECK_WARN, "ri= must be a number of seconds; receivers "
				      "use 86400 (one day)");
		else
			sd_check_item_detail(it, "ri", "%lu", num);
	}
	for (k = 0; k < 2; k++) {
		const char *name = k == 0 ? "t" : "psd";

		if ((t = sd_dc_tags_get(&tags, name, 1)) != NULL)
			sd_check_item_detail_text(it, name, t->value, t->value_len);
	}
	return 0;
}

/* sd_dmarc_external - consent records of report destinations at other
 * organisational domains (RFC 7489 7.1) */
static int
sd_dmarc_external(sd_dns_lookup_fn lookup, void *lctx, const char *at, const sd_dmarc *d,
		  sd_dc_problems *pr)
{
	char org[SD_DNSCHECK_NAME_MAX], dorg[SD_DNSCHECK_NAME_MAX], q[600];
	size_t i, j, asked = 0;

	if (sd_dnscheck_org_domain(at, org) < 0)
		return 0;
	for (i = 0; i < d->ndest; i++) {
		sd_dns_answer *a;
		size_t ok = 0;

		if (sd_dnscheck_org_domain(d->dest[i], dorg) < 0 || strcmp(org, dorg) == 0)
			continue;
		if (asked++ == SD_DMARC_MAX_EXTERNAL)
			break;
		if (sd_dc_fmt(q, sizeof(q), "%s._report._dmarc.%s", at, d->dest[i]) < 0 ||
		    strlen(q) > 253)
			continue;
		a = sd_dc_lookup(lookup, lctx, q, SD_DNS_TXT);
		if (a == NULL)
			return -1;
		for (j = 0; a->status == SD_DNS_OK && j < a->n; j++)
			if (a->rr[j].type == SD_DNS_TXT && a->rr[j].text != NULL &&
			    sd_dc_version_prefix(a->rr[j].text, a->rr[j].text_len, "v", "DMARC1", 0) == 1)
				ok++;
		if (ok > 0)
			sd_dc_problem(pr, SD_CHECK_PASS, "%s accepts DMARC reports for %s", d->dest[i],
				      at);
		else if (sd_dc_temporary(a->status))
			sd_dc_problem(pr, SD_CHECK_PASS, "whether %s accepts reports for %s could not "
				      "be checked (%s)", d->dest[i], at, sd_dns_status_name(a->status));
		else
			sd_dc_problem(pr, SD_CHECK_WARN, "reports will not be sent to %s: that domain "
				      "has no record %s saying it accepts them (RFC 7489 7.1)",
				      d->dest[i], q);
		sd_dns_answer_free(a);
	}
	return 0;
}

/* sd_dmarc_missing - no usable record: the fail item */
static void
sd_dmarc_missing(sd_check_item *it, const char *dom, size_t several, const char *at)
{
	it->status = SD_CHECK_FAIL;
	sd_check_item_cause(it, "sender.no-dmarc");
	if (several > 1)
		sd_check_item_summary(it,
			"%s has %zu DMARC records at _dmarc.%s. There must be exactly one; with "
			"several, receivers ignore them all, as if there were none.", dom, several,
			at);
	else
		sd_check_item_summary(it,
			"%s has no DMARC record. Gmail and Yahoo require one from anyone who sends "
			"them more than 5,000 messages a day, and nothing tells receivers to refuse "
			"mail forged in your name.", dom);
	sd_check_item_bounce(it, "%s", SD_DC_BOUNCE_UNAUTHENTICATED);
	if (several > 1)
		sd_check_item_fix(it, "Delete all but one of the TXT records at _dmarc.%s that "
				  "start with v=DMARC1, merging what they say into that one.", at);
	else
		sd_check_item_fix(it, "Publish a TXT record at _dmarc.%s: \"v=DMARC1; p=none; "
				  "rua=mailto:dmarc-reports@%s\" (create that mailbox to read the "
				  "reports).", dom, dom);
	sd_check_item_fix(it, "When the reports show that all your real mail passes SPF or "
			  "DKIM, change p=none to p=quarantine, then p=reject.");
}

smtpdoc_status
sd_dnscheck_dmarc(sd_dns_lookup_fn lookup, void *lctx, const char *domain, sd_check_list *out)
{
	char dom[SD_DNSCHECK_NAME_MAX], org[SD_DNSCHECK_NAME_MAX];
	const char *at;
	sd_dc_found f = {0}, fo = {0};
	sd_dc_problems pr = {0};
	sd_dmarc d;
	sd_check_item *it;
	const sd_dns_rr *rr;
	int applies, sub;
	smtpdoc_status st = SMTPDOC_OK;

	it = sd_check_list_add(out, "dmarc.record", SD_CHECK_PASS);
	if (it == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dnscheck_domain_norm(domain, dom) < 0 || sd_dnscheck_org_domain(dom, org) < 0) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	sd_check_item_subject(it, dom);
	if (sd_dmarc_fetch(lookup, lctx, dom, &f, &pr) < 0) {
		st = SMTPDOC_ENOMEM;
		goto done;
	}
	at = dom;
	if (sd_dc_temporary(f.ans->status)) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "The DMARC record of %s could not be looked up: %s. Try "
				      "again later.", dom, sd_dc_status_words(f.ans->status));
		goto done;
	}
	if (f.count == 0 && strcmp(dom, org) != 0) {
		/* RFC 7489 6.6.3: fall back to the organisational domain */
		if (sd_dmarc_fetch(lookup, lctx, org, &fo, &pr) < 0) {
			st = SMTPDOC_ENOMEM;
			goto done;
		}
		at = org;
		if (sd_dc_temporary(fo.ans->status)) {
			it->status = SD_CHECK_UNKNOWN;
			sd_check_item_summary(it, "%s has no DMARC record of its own, and that of %s "
					      "could not be looked up: %s. Try again later.", dom, org,
					      sd_dc_status_words(fo.ans->status));
			goto done;
		}
		if (fo.count > 0) {
			sd_dc_found tmp = f;

			f = fo;
			fo = tmp;
		}
	}
	if (f.count != 1) {
		sd_dmarc_missing(it, dom, f.count, f.count > 1 ? at : dom);
		sd_dc_problems_to_item(&pr, it);
		goto done;
	}
	rr = &f.ans->rr[f.index];
	sd_check_item_detail_text(it, "record", rr->text, rr->text_len);
	sd_check_item_detail(it, "found_at", "_dmarc.%s", at);
	if (at != dom)
		sd_check_item_detail(it, "note", "%s has no DMARC record of its own; the record of "
				     "its organisational domain %s applies (found by an approximation "
				     "of the public suffix list)", dom, at);
	sd_dmarc_parse(rr->text, rr->text_len, &d, it, &pr);
	if (d.p == SD_DMARC_ABSENT && pr.worst == SD_CHECK_FAIL && d.rua_ok == 0) {
		/* the record is ignored: say so, as for a missing one */
		sd_dc_problems_to_item(&pr, it);
		sd_check_item_summary(it, "The DMARC record of %s cannot be used, so receivers "
				      "act as if there were none.", dom);
		sd_check_item_cause(it, "sender.no-dmarc");
		sd_check_item_bounce(it, "%s", SD_DC_BOUNCE_UNAUTHENTICATED);
		sd_check_item_fix(it, "Rewrite the record at _dmarc.%s as \"v=DMARC1; p=none; "
				  "rua=mailto:dmarc-reports@%s\".", at, at);
		goto done;
	}
	if (sd_dmarc_external(lookup, lctx, at, &d, &pr) < 0) {
		st = SMTPDOC_ENOMEM;
		goto done;
	}
	/* the policy for the domain checked: sp= when it is below the record */
	sub = d.sp >= 0 ? d.sp : d.p;
	applies = at != dom ? sub : d.p;
	if (applies < 0)
		applies = SD_DMARC_NONE;
	sd_check_item_detail(it, "policy", "%s", d.p >= 0 ? sd_dmarc_policies[d.p] : "none (invalid)");
	sd_check_item_detail(it, "subdomain_policy", "%s", sub >= 0 ? sd_dmarc_policies[sub] : "none");
	sd_check_item_detail(it, "applies", "%s", sd_dmarc_policies[applies]);
	sd_dc_problems_to_item(&pr, it);
	if (applies == SD_DMARC_NONE) {
		sd_check_item_worsen(it, SD_CHECK_WARN);
		sd_check_item_summary(it, "%s has a DMARC record with the policy none: receivers "
				      "only report failures, and mail forged in your name is still "
				      "delivered.%s", dom, pr.worst > SD_CHECK_INFO ? " The record also "
				      "has problems, listed in the details." : "");
		sd_check_item_fix(it, "Read the DMARC reports; when all your real mail passes SPF or "
				  "DKIM, change p=none to p=quarantine, then p=reject, at _dmarc.%s.",
				  at);
		goto done;
	}
	sd_check_item_detail(it, "bounce_when_unaligned", "550 5.7.26 Unauthenticated email from "
			     "%s is not accepted due to domain's DMARC policy", dom);
	if (d.pct < 100) {
		sd_check_item_worsen(it, SD_CHECK_WARN);
		sd_check_item_fix(it, "Remove pct=%d (or set pct=100) so the policy covers all "
				  "mail.", d.pct);
	}
	sd_check_item_summary(it, "%s has a DMARC policy: mail that fails the SPF and DKIM checks "
			      "is %s (%s=%s)%s.%s", dom, applies == SD_DMARC_REJECT ? "refused" :
			      "put in spam", at != dom && d.sp >= 0 ? "sp" : "p",
			      sd_dmarc_policies[applies],
			      d.pct < 100 ? ", but only for part of it (pct below 100)" : "",
			      it->status > SD_CHECK_INFO ? " The record has problems, listed in the "
			      "details." : "");
done:
	sd_dns_answer_free(f.ans);
	sd_dns_answer_free(fo.ans);
	if (st == SMTPDOC_OK)
		st = sd_check_list_status(out);
	return st;
}
