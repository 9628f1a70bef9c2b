/*
 * dnscheck_sts.c - the DNS records of MTA-STS (RFC 8461 3.1) and of SMTP
 * TLS reporting (RFC 8460 3).
 *
 * Entry points: sd_dnscheck_mta_sts and sd_dnscheck_tlsrpt (dnscheck.h),
 * one item each.
 *
 * Both records are "v=VERSION; name=value; ..." with a stricter grammar
 * than DKIM's tag lists: the version is exact and first, no whitespace
 * around '=', fields separated by *WSP ";" *WSP, field names of 1 to 32
 * letters, digits, '_', '-' and '.'. Of the TXT records at the name, those
 * that do not begin with the version are discarded, and anything but
 * exactly one valid record means no policy (RFC 8461 3.1, RFC 8460 3).
 * MTA-STS: id= is 1 to 32 letters and digits; the policy itself is a file
 * fetched from https://mta-sts.DOMAIN/.well-known/mta-sts.txt, which is not
 * fetched here (only the policy host's address is looked up). TLS-RPT:
 * rua= is one or more mailto: or https: URIs separated by commas.
 */
#include <string.h>

#include "dnscheck_int.h"

#define SD_STS_MAX_FIELDS 32

typedef struct sd_sts_field {
	const char *name, *value;
	size_t nlen, vlen;
} sd_sts_field;

/* sd_sts_fields - split a record into fields; -1 with err on a syntax
 * error. Linear in n. */
static int
sd_sts_fields(const char *t, size_t n, sd_sts_field *f, size_t *nf, char *err, size_t errlen)
{
	size_t i, start = 0, k;
	char shown[48];

	*nf = 0;
	for (i = 0; i <= n; i++) {
		size_t s, e, eq, j;

		if (i < n && t[i] != ';')
			continue;
		s = start;
		e = i;
		start = i + 1;
		while (s < e && sd_dc_iswsp((unsigned char)t[s]))
			s++;
		while (e > s && sd_dc_iswsp((unsigned char)t[e - 1]))
			e--;
		if (s == e) {
			if (i == n && *nf > 0)
				break; /* a ';' at the end is allowed */
			sd_dc_fmt(err, errlen, "an empty field (two ';' in a row, or ';' first)");
			return -1;
		}
		for (eq = s; eq < e && t[eq] != '='; eq++)
			;
		sd_dc_printable(t + s, e - s, 32, shown, sizeof(shown));
		if (eq == e || eq == s || eq + 1 == e) {
			sd_dc_fmt(err, errlen, "\"%s\" is not written as name=value", shown);
			return -1;
		}
		if (eq - s > 32 || !sd_isalnum((unsigned char)t[s])) {
			sd_dc_fmt(err, errlen, "\"%s\" does not start with a valid field name", shown);
			return -1;
		}
		for (j = s; j < eq; j++)
			if (!sd_isalnum((unsigned char)t[j]) && t[j] != '_' && t[j] != '-' &&
			    t[j] != '.') {
				sd_dc_fmt(err, errlen, "\"%s\" has a space or another character that "
					  "cannot be in a field name (no spaces around '=')", shown);
				return -1;
			}
		for (j = eq + 1; j < e; j++) {
			unsigned char c = (unsigned char)t[j];

			if (!(c >= 0x21 && c <= 0x7e) && !sd_dc_iswsp(c)) {
				sd_dc_fmt(err, errlen, "the value in \"%s\" holds a byte that cannot "
					  "be in the record (0x%02x)", shown, c);
				return -1;
			}
		}
		if (sd_dc_iswsp((unsigned char)t[eq + 1])) {
			sd_dc_fmt(err, errlen, "\"%s\" has a space after '='", shown);
			return -1;
		}
		for (k = 0; k < *nf; k++)
			if (f[k].nlen == eq - s && memcmp(f[k].name, t + s, eq - s) == 0) {
				sd_dc_fmt(err, errlen, "the field in \"%s\" appears twice", shown);
				return -1;
			}
		if (*nf == SD_STS_MAX_FIELDS) {
			sd_dc_fmt(err, errlen, "more than %d fields", SD_STS_MAX_FIELDS);
			return -1;
		}
		f[*nf].name = t + s;
		f[*nf].nlen = eq - s;
		f[*nf].value = t + eq + 1;
		f[*nf].vlen = e - eq - 1;
		(*nf)++;
	}
	return 0;
}

static const sd_sts_field *
sd_sts_get(const sd_sts_field *f, size_t nf, const char *name)
{
	size_t i;

	for (i = 0; i < nf; i++)
		if (sd_dc_eq(f[i].name, f[i].nlen, name))
			return &f[i];
	return NULL;
}

/* sd_sts_common - the parts both checks share: lookup failures, none,
 * several. Returns 1 when one record was found and parsed into fields. */
static int
sd_sts_common(sd_check_item *it, const char *what, const char *name, const char *version,
	      sd_dc_found *f, sd_dc_problems *pr, sd_sts_field *fields, size_t *nf)
{
	char err[160];
	const sd_dns_rr *rr;

	sd_check_item_detail(it, "found_at", "%s", name);
	if (sd_dc_temporary(f->ans->status)) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "The %s record could not be looked up: %s. Try again "
				      "later.", what, sd_dc_status_words(f->ans->status));
		return 0;
	}
	if (f->count == 0) {
		sd_dc_problems_to_item(pr, it);
		if (it->status < SD_CHECK_INFO)
			it->status = SD_CHECK_INFO;
		return 0;
	}
	if (f->count > 1) {
		sd_dc_problem(pr, SD_CHECK_WARN, "%zu records begin with v=%s; with more than one, "
			      "senders act as if there were none", f->count, version);
		sd_dc_problems_to_item(pr, it);
		sd_check_item_summary(it, "There are %zu %s records at %s; there must be exactly "
				      "one, so senders ignore them all.", f->count, what, name);
		sd_check_item_fix(it, "Keep one TXT record beginning with v=%s at %s and delete "
				  "the others.", version, name);
		return 0;
	}
	rr = &f->ans->rr[f->index];
	sd_check_item_detail_text(it, "record", rr->text, rr->text_len);
	if (sd_sts_fields(rr->text, rr->text_len, fields, nf, err, sizeof(err)) < 0) {
		sd_dc_problem(pr, SD_CHECK_WARN, "the record cannot be read: %s", err);
		sd_dc_problems_to_item(pr, it);
		sd_check_item_summary(it, "The %s record at %s has a syntax error, so senders act as "
				      "if there were none.", what, name);
		return 0;
	}
	return 1;
}

/* sd_sts_id_ok - RFC 8461 sts-id: 1*32(ALPHA / DIGIT) */
static int
sd_sts_id_ok(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!sd_isalnum((unsigned char)v[i]))
			return 0;
	return 1;
}

smtpdoc_status
sd_dnscheck_mta_sts(sd_dns_lookup_fn lookup, void *lctx, const char *domain, sd_check_list *out)
{
	char dom[SD_DNSCHECK_NAME_MAX], name[SD_DNSCHECK_NAME_MAX + 16], host[SD_DNSCHECK_NAME_MAX + 16];
	sd_sts_field fields[SD_STS_MAX_FIELDS];
	sd_dc_problems pr = {0};
	sd_dc_found f = {0};
	const sd_sts_field *id;
	sd_dc_hostaddrs h;
	sd_check_item *it;
	size_t nf = 0;
	smtpdoc_status st = SMTPDOC_OK;

	it = sd_check_list_add(out, "mta-sts.record", SD_CHECK_PASS);
	if (it == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dnscheck_domain_norm(domain, dom) < 0 ||
	    sd_dc_fmt(name, sizeof(name), "_mta-sts.%s", dom) < 0 ||
	    sd_dc_fmt(host, sizeof(host), "mta-sts.%s", dom) < 0) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	sd_check_item_subject(it, dom);
	sd_check_item_detail(it, "policy_file", "not checked: the policy at "
			     "https://%s/.well-known/mta-sts.txt is fetched over HTTPS, which this "
			     "check does not do yet", host);
	if (sd_dc_fetch_versioned(lookup, lctx, name, "MTA-STS", "STSv1", 1, 0, &f, &pr) < 0) {
		st = SMTPDOC_ENOMEM;
		goto done;
	}
	if (!sd_sts_common(it, "MTA-STS", name, "STSv1", &f, &pr, fields, &nf)) {
		if (f.count == 0 && !sd_dc_temporary(f.ans->status)) {
			sd_check_item_summary(it, "%s publishes no MTA-STS policy. That is optional: "
					      "with one, other servers refuse to send it mail over an "
					      "unencrypted or impostor connection.%s", dom,
					      pr.n > 0 ? " A record that looks meant for it is "
					      "ignored (see the details)." : "");
			sd_check_item_fix(it, "To use MTA-STS, publish the policy file at "
					  "https://%s/.well-known/mta-sts.txt, then a TXT record at %s: "
					  "\"v=STSv1; id=20240101\" (change the id whenever the policy "
					  "changes).", host, name);
		}
		goto done;
	}
	id = sd_sts_get(fields, nf, "id");
	if (id == NULL || !sd_sts_id_ok(id->value, id->vlen)) {
		sd_dc_problem(&pr, SD_CHECK_WARN, id == NULL ? "the record has no id= field" :
			      "id= must be 1 to 32 letters and digits");
		sd_dc_problems_to_item(&pr, it);
		sd_check_item_summary(it, "The MTA-STS record of %s is not valid, so senders act as "
				      "if there were none.", dom);
		sd_check_item_fix(it, "Write the record at %s as \"v=STSv1; id=20240101\".", name);
		goto done;
	}
	sd_check_item_detail_text(it, "id", id->value, id->vlen);
	if (sd_dc_host_addrs(lookup, lctx, host, 0, &h) < 0) {
		st = SMTPDOC_ENOMEM;
		goto done;
	}
	if (h.n == 0 && !h.temporary) {
		sd_dc_problem(&pr, SD_CHECK_WARN, "the policy host %s has no address, so senders "
			      "cannot fetch the policy", host);
		sd_check_item_fix(it, "Give %s an address (A/AAAA or CNAME) and serve the policy "
				  "file there over HTTPS with a valid certificate.", host);
	} else if (h.n == 0) {
		sd_dc_problem(&pr, SD_CHECK_PASS, "the address of the policy host %s could not be "
			      "looked up just now", host);
	}
	sd_dc_problems_to_item(&pr, it);
	sd_check_item_summary(it, "%s publishes an MTA-STS record (id %.*s)%s. The policy file it "
			      "announces was not checked.", dom, (int)(id->vlen > 32 ? 32 : id->vlen),
			      id->value, it->status > SD_CHECK_INFO ? ", with problems listed in "
			      "the details" : "");
done:
	sd_dns_answer_free(f.ans);
	if (st == SMTPDOC_OK)
		st = sd_check_list_status(out);
	return st;
}

/* sd_tlsrpt_uris - check the rua= list; 1 when every URI is usable */
static int
sd_tlsrpt_uris(const char *v, size_t n, sd_dc_problems *pr)
{
	size_t i, start = 0, good = 0, bad = 0;
	char shown[72];

	for (i = 0; i <= n; i++) {
		size_t s, e, at, k;

		if (i < n && v[i] != ',')
			continue;
		s = start;
		e = i;
		start = i + 1;
		while (s < e && sd_dc_iswsp((unsigned char)v[s]))
			s++;
		while (e > s && sd_dc_iswsp((unsigned char)v[e - 1]))
			e--;
		sd_dc_printable(v + s, e - s, 60, shown, sizeof(shown));
		if (e - s > 7 && sd_dc_eq_nocase(v + s, 7, "mailto:")) {
			for (at = 0, k = s + 7; k < e; k++)
				if (v[k] == '@')
					at = k;
			if (at > s + 7 && at + 1 < e) {
				good++;
				continue;
			}
		} else if (e - s > 8 && sd_dc_eq_nocase(v + s, 8, "https://")) {
			good++;
			continue;
		}
		bad++;
		sd_dc_problem(pr, SD_CHECK_WARN, "rua= address \"%s\" is not a mailto: or https: "
			      "address", shown);
	}
	return good > 0 && bad == 0;
}

smtpdoc_status
sd_dnscheck_tlsrpt(sd_dns_lookup_fn lookup, void *lctx, const char *domain, sd_check_list *out)
{
	char dom[SD_DNSCHECK_NAME_MAX], name[SD_DNSCHECK_NAME_MAX + 16];
	sd_sts_field fields[SD_STS_MAX_FIELDS];
	sd_dc_problems pr = {0};
	sd_dc_found f = {0};
	const sd_sts_field *rua;
	sd_check_item *it;
	size_t nf = 0;
	smtpdoc_status st = SMTPDOC_OK;

	it = sd_check_list_add(out, "tlsrpt.record", SD_CHECK_PASS);
	if (it == NULL)
		return SMTPDOC_ENOMEM;
	if (sd_dnscheck_domain_norm(domain, dom) < 0 ||
	    sd_dc_fmt(name, sizeof(name), "_smtp._tls.%s", dom) < 0) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	sd_check_item_subject(it, dom);
	if (sd_dc_fetch_versioned(lookup, lctx, name, "TLS-RPT", "TLSRPTv1", 1, 0, &f, &pr) < 0) {
		st = SMTPDOC_ENOMEM;
		goto done;
	}
	if (!sd_sts_common(it, "TLS reporting", name, "TLSRPTv1", &f, &pr, fields, &nf)) {
		if (f.count == 0 && !sd_dc_temporary(f.ans->status)) {
			sd_check_item_summary(it, "%s publishes no TLS reporting (TLS-RPT) record. That "
					      "is optional: with one, other servers send you daily "
					      "reports of failed encrypted deliveries to your domain.",
					      dom);
			sd_check_item_fix(it, "To get the reports, publish a TXT record at %s: "
					  "\"v=TLSRPTv1; rua=mailto:tls-reports@%s\".", name, dom);
		}
		goto done;
	}
	rua = sd_sts_get(fields, nf, "rua");
	if (rua == NULL) {
		sd_dc_problem(&pr, SD_CHECK_WARN, "the record has no rua= field");
	} else {
		sd_check_item_detail_text(it, "rua", rua->value, rua->vlen);
		sd_tlsrpt_uris(rua->value, rua->vlen, &pr);
	}
	sd_dc_problems_to_item(&pr, it);
	if (it->status > SD_CHECK_INFO) {
		sd_check_item_summary(it, "The TLS reporting record of %s is not valid, so no "
				      "reports are sent.", dom);
		sd_check_item_fix(it, "Write the record at %s as \"v=TLSRPTv1; "
				  "rua=mailto:tls-reports@%s\".", name, dom);
	} else {
		sd_check_item_summary(it, "%s asks for TLS reports (TLS-RPT) and the record is "
				      "valid.", dom);
	}
done:
	sd_dns_answer_free(f.ans);
	if (st == SMTPDOC_OK)
		st = sd_check_list_status(out);
	return st;
}
