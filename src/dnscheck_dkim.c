/*
 * dnscheck_dkim.c - DKIM public key records (RFC 6376 3.6.1), their key
 * type and size (RFC 8301, RFC 8463).
 *
 * Entry point: sd_dnscheck_dkim (dnscheck.h); the selectors tried when the
 * caller names none are sd_dnscheck_dkim_common_selectors, below.
 *
 * A key record is a tag list at SELECTOR._domainkey.DOMAIN: v=DKIM1 (first
 * when present), k= (rsa, the default, or ed25519), h= (allowed hashes),
 * p= (the base64 key; empty means revoked), t= (y: testing, s: strict),
 * s= (service types: email or *). Tag names are case-sensitive (RFC 6376
 * 3.2). An RSA key is a DER SubjectPublicKeyInfo (a bare RSAPublicKey is
 * accepted too, as verifiers do); its size is read with OpenSSL's libcrypto
 * (d2i_PUBKEY, EVP_PKEY_get_bits), whose error queue is emptied before
 * returning. RFC 8301: keys below 1024 bits must not be trusted, 2048 bits
 * or more should be used, and rsa-sha1 must not be used.
 *
 * DKIM selectors cannot be listed from DNS: when guessing, a selector that
 * is not found says nothing, and a TXT record that does not look like a
 * DKIM key (a wildcard record) is taken as not found.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dnscheck_int.h"

/* Selectors that mail services and common software use by default. */
const char *const sd_dnscheck_dkim_common_selectors[] = {
	"default",      /* cPanel, Plesk, many installers */
	"dkim",         /* DirectAdmin, various */
	"mail",         /* opendkim examples, various */
	"selector1",    /* Microsoft 365 */
	"selector2",    /* Microsoft 365, the second key */
	"google",       /* Google Workspace */
	"k1",           /* Mailchimp, Mandrill */
	"k2",
	"k3",
	"s1",           /* SendGrid */
	"s2",
	"smtp",         /* Mailgun and others */
	"mx",
	"key1",
	"sig1",         /* iCloud custom domains */
	"fm1",          /* Fastmail */
	"fm2",
	"fm3",
	"protonmail",   /* Proton */
	"zoho",         /* Zoho Mail */
	"mandrill",
	"everlytickey1",
	"dkim1",
	NULL,
};

#define SD_DKIM_MAX_KEY 16384 /* decoded key bytes read */

/* The key record, read. */
typedef struct sd_dkim_key {
	int rsa, ed25519;
	int bits;      /* 0 when unknown */
	int revoked;
	int testing;
} sd_dkim_key;

static int
sd_dkim_b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* sd_dkim_b64 - decode s[0..n) skipping whitespace into a new buffer;
 * returns its length, -1 when not base64, -2 on no memory */
static long
sd_dkim_b64(const char *s, size_t n, unsigned char **out)
{
	unsigned char *buf;
	unsigned long acc = 0;
	size_t i, o = 0, pad = 0, bits = 0, chars = 0;

	*out = NULL;
	buf = malloc(n / 4 * 3 + 3);
	if (buf == NULL)
		return -2;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i], v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		v = sd_dkim_b64val(c);
		if (v < 0 || pad > 0)
			goto bad; /* a stray byte, or data after padding */
		chars++;
		acc = ((acc << 6) | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (pad > 2 || chars % 4 == 1 || (pad > 0 && (chars + pad) % 4 != 0))
		goto bad;
	*out = buf;
	return (long)o;
bad:
	free(buf);
	return -1;
}

/* sd_dkim_rsa_bits - size of a DER RSA public key, 0 when unreadable;
 * *bare set when it is an RSAPublicKey without the SPKI wrapper */
static int
sd_dkim_rsa_bits(const unsigned char *der, long len, int *bare)
{
	const unsigned char *p = der;
	EVP_PKEY *k;
	int bits = 0;

	*bare = 0;
	k = d2i_PUBKEY(NULL, &p, len);
	if (k == NULL) {
		p = der;
		k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, len);
		if (k != NULL)
			*bare = 1;
	}
	if (k != NULL && EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA && p == der + len)
		bits = EVP_PKEY_get_bits(k);
	EVP_PKEY_free(k);
	ERR_clear_error();
	return bits;
}

/* sd_dkim_has - the ':'-separated list v[0..n) holds word */
static int
sd_dkim_has(const char *v, size_t n, const char *word)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		size_t s, e;

		if (i < n && v[i] != ':')
			continue;
		s = start;
		e = i;
		start = i + 1;
		while (s < e && sd_dc_iswsp((unsigned char)v[s]))
			s++;
		while (e > s && sd_dc_iswsp((unsigned char)v[e - 1]))
			e--;
		if (sd_dc_eq(v + s, e - s, word))
			return 1;
	}
	return 0;
}

/* sd_dkim_looks_like_key - a TXT record that may be meant as a DKIM key */
static int
sd_dkim_looks_like_key(const char *t, size_t n)
{
	size_t i;

	if (sd_dc_version_prefix(t, n, "v", "DKIM1", 0) != 0)
		return 1;
	for (i = 0; i + 1 < n; i++)
		if (t[i] == 'p' && t[i + 1] == '=' &&
		    (i == 0 || t[i - 1] == ';' || sd_dc_iswsp((unsigned char)t[i - 1])))
			return 1;
	return 0;
}

/* sd_dkim_parse - read one key record; details into it, problems into pr.
 * Returns 0, or -1 on no memory. */
static int
sd_dkim_parse(const char *text, size_t len, sd_dkim_key *key, sd_check_item *it,
	      sd_dc_problems *pr)
{
	sd_dc_tags tags;
	const sd_dc_tag *t;
	char err[160], shown[40];
	unsigned char *der = NULL;
	long n;
	int bare = 0;

	memset(key, 0, sizeof(*key));
	if (sd_dc_tags_parse(text, len, 0, &tags, err, sizeof(err)) < 0) {
		sd_dc_problem(pr, SD_CHECK_FAIL, "the key record cannot be read: %s", err);
		return 0;
	}
	if ((t = sd_dc_tags_get(&tags, "v", 0)) != NULL &&
	    (t != &tags.v[0] || !sd_dc_eq(t->value, t->value_len, "DKIM1"))) {
		sd_dc_problem(pr, SD_CHECK_FAIL, "v= must be DKIM1 and come first; verifiers "
			      "discard this record");
		return 0;
	}
	t = sd_dc_tags_get(&tags, "k", 0);
	if (t == NULL || sd_dc_eq(t->value, t->value_len, "rsa"))
		key->rsa = 1;
	else if (sd_dc_eq(t->value, t->value_len, "ed25519"))
		key->ed25519 = 1;
	else {
		sd_dc_printable(t->value, t->value_len, 24, shown, sizeof(shown));
		sd_dc_problem(pr, SD_CHECK_FAIL, "k=%s is not a key type verifiers know (rsa or "
			      "ed25519)", shown);
	}
	sd_check_item_detail(it, "key_type", "%s", key->ed25519 ? "ed25519" :
			     key->rsa ? "rsa" : "unknown");
	if ((t = sd_dc_tags_get(&tags, "h", 0)) != NULL) {
		sd_check_item_detail_text(it, "hashes", t->value, t->value_len);
		if (!sd_dkim_has(t->value, t->value_len, "sha256"))
			sd_dc_problem(pr, SD_CHECK_FAIL, "h= does not allow sha256; signatures with "
				      "sha1 must not be trusted (RFC 8301), so this key cannot pass");
	}
	if ((t = sd_dc_tags_get(&tags, "s", 0)) != NULL &&
	    !sd_dkim_has(t->value, t->value_len, "email") && !sd_dkim_has(t->value, t->value_len, "*"))
		sd_dc_problem(pr, SD_CHECK_FAIL, "s= does not include email, so the key may not be "
			      "used for mail");
	if ((t = sd_dc_tags_get(&tags, "t", 0)) != NULL) {
		sd_check_item_detail_text(it, "flags", t->value, t->value_len);
		if (sd_dkim_has(t->value, t->value_len, "y")) {
			key->testing = 1;
			sd_dc_problem(pr, SD_CHECK_WARN, "t=y: the domain says it is testing DKIM, "
				      "so receivers may treat signed mail as unsigned");
		}
	}
	t = sd_dc_tags_get(&tags, "p", 0);
	if (t == NULL) {
		sd_dc_problem(pr, SD_CHECK_FAIL, "the record has no p= tag (the key itself)");
		return 0;
	}
	if (t->value_len == 0) {
		key->revoked = 1;
		sd_dc_problem(pr, SD_CHECK_FAIL, "p= is empty: the key has been revoked, and every "
			      "signature made with it fails");
		return 0;
	}
	if (t->value_len > SD_DKIM_MAX_KEY) {
		sd_dc_problem(pr, SD_CHECK_FAIL, "p= is %zu bytes long, far more than any key",
			      t->value_len);
		return 0;
	}
	n = sd_dkim_b64(t->value, t->value_len, &der);
	if (n == -2)
		return -1;
	if (n < 0) {
		sd_dc_problem(pr, SD_CHECK_FAIL, "p= is not valid base64, so the key cannot be read");
		free(der);
		return 0;
	}
	if (key->ed25519) {
		key->bits = n == 32 ? 256 : 0;
		if (n != 32)
			sd_dc_problem(pr, SD_CHECK_FAIL, "an Ed25519 key is 32 bytes; this one is %ld",
				      n);
	} else if (key->rsa) {
		key->bits = sd_dkim_rsa_bits(der, n, &bare);
		if (key->bits == 0)
			sd_dc_problem(pr, SD_CHECK_FAIL, "p= does not hold an RSA public key that "
				      "can be read");
		else if (bare)
			sd_dc_problem(pr, SD_CHECK_PASS, "the key is a bare RSAPublicKey rather than "
				      "the usual SubjectPublicKeyInfo; most verifiers accept it");
		if (key->bits > 0 && key->bits < 1024)
			sd_dc_problem(pr, SD_CHECK_FAIL, "the key has only %d bits; verifiers must "
				      "not trust keys under 1024 bits (RFC 8301)", key->bits);
		else if (key->bits > 0 && key->bits < 2048)
			sd_dc_problem(pr, SD_CHECK_WARN, "the key has %d bits; 2048 bits are "
				      "recommended (RFC 8301), and shorter keys are being phased out",
				      key->bits);
	}
	if (key->bits > 0)
		sd_check_item_detail(it, "key_bits", "%d", key->bits);
	free(der);
	return 0;
}

/* sd_dkim_key_item - the item of a selector whose name has TXT records */
static int
sd_dkim_key_item(sd_check_item *it, const char *sel, const char *name, const sd_dns_answer *a)
{
	sd_dc_problems pr = {0};
	sd_dkim_key key;
	size_t i, ntxt = 0, first = 0;

	for (i = 0; i < a->n; i++)
		if (a->rr[i].type == SD_DNS_TXT && a->rr[i].text != NULL && ntxt++ == 0)
			first = i;
	if (a->cname != NULL)
		sd_check_item_detail_text(it, "alias_of", a->cname, strlen(a->cname));
	sd_check_item_detail_text(it, "record", a->rr[first].text, a->rr[first].text_len);
	if (ntxt > 1)
		sd_dc_problem(&pr, SD_CHECK_WARN, "%zu TXT records at %s: there must be one, and "
			      "with several the result is undefined (RFC 6376 3.6.2.2)", ntxt, name);
	if (sd_dkim_parse(a->rr[first].text, a->rr[first].text_len, &key, it, &pr) < 0)
		return -1;
	sd_dc_problems_to_item(&pr, it);
	if (it->status == SD_CHECK_PASS) {
		sd_check_item_summary(it, "The DKIM key for selector %s is published and usable (%s, "
				      "%d bits).", sel, key.ed25519 ? "Ed25519" : "RSA", key.bits);
		return 0;
	}
	sd_check_item_cause(it, "sender.dkim-key");
	if (it->status == SD_CHECK_FAIL) {
		sd_check_item_summary(it, "The DKIM key for selector %s cannot be used: %s. Mail "
				      "signed with it fails DKIM, and where DMARC is enforced it is "
				      "refused.", sel, key.revoked ? "it has been revoked (empty p=)" :
				      "see the problems in the details");
		sd_check_item_bounce(it, "%s", SD_DC_BOUNCE_UNAUTHENTICATED);
		sd_check_item_fix(it, "Create a new 2048-bit DKIM key in your mail service and "
				  "publish its record at %s; if the selector is no longer used, "
				  "make sure nothing signs with it.", name);
	} else {
		sd_check_item_summary(it, "The DKIM key for selector %s works, but %s.", sel,
				      key.testing && key.bits >= 2048 ? "it is marked as testing (t=y)" :
				      key.bits > 0 && key.bits < 2048 ? "it is shorter than the 2048 "
				      "bits recommended" : "the record has problems (see the details)");
		if (key.bits > 0 && key.bits < 2048)
			sd_check_item_fix(it, "Create a 2048-bit key under a new selector, publish it, "
					  "switch signing to it, then remove the old record.");
		if (key.testing)
			sd_check_item_fix(it, "Remove t=y from the record at %s once signatures "
					  "verify.", name);
	}
	return 0;
}

smtpdoc_status
sd_dnscheck_dkim(sd_dns_lookup_fn lookup, void *lctx, const char *domain,
		 const char *const *selectors, size_t nsel, sd_check_list *out)
{
	char dom[SD_DNSCHECK_NAME_MAX], name[SD_DNSCHECK_NAME_MAX + 16], tried[1024], failed[512];
	int guess = selectors == NULL || nsel == 0;
	size_t i, found = 0, otried = 0, ofailed = 0;
	sd_check_item *it;

	tried[0] = failed[0] = '\0';
	if (guess) {
		selectors = sd_dnscheck_dkim_common_selectors;
		for (nsel = 0; selectors[nsel] != NULL; nsel++)
			;
	}
	if (sd_dnscheck_domain_norm(domain, dom) < 0) {
		it = sd_check_list_add(out, "dkim.key", SD_CHECK_FAIL);
		if (it == NULL)
			return SMTPDOC_ENOMEM;
		sd_check_item_summary(it, "This is not a domain name that can be looked up.");
		return SMTPDOC_EINVAL;
	}
	for (i = 0; i < nsel; i++) {
		const char *sel = selectors[i] != NULL ? selectors[i] : "";
		char norm[SD_DNSCHECK_NAME_MAX], shown[72];
		sd_dns_answer *a;
		size_t k, ntxt = 0, first = 0;
		int ok = 0;

		sd_dc_printable(sel, strlen(sel), 63, shown, sizeof(shown));
		if (sd_dc_fmt(name, sizeof(name), "%s._domainkey.%s", sel, dom) < 0 ||
		    sel[0] == '\0' || sd_dnscheck_domain_norm(name, norm) < 0) {
			it = sd_check_list_add(out, "dkim.key", SD_CHECK_FAIL);
			if (it == NULL)
				return SMTPDOC_ENOMEM;
			sd_check_item_detail(it, "selector", "%s", shown);
			sd_check_item_summary(it, "\"%s\" is not a DKIM selector that can be looked "
					      "up.", shown);
			continue;
		}
		a = sd_dc_lookup(lookup, lctx, norm, SD_DNS_TXT);
		if (a == NULL)
			return SMTPDOC_ENOMEM;
		for (k = 0; a->status == SD_DNS_OK && k < a->n; k++)
			if (a->rr[k].type == SD_DNS_TXT && a->rr[k].text != NULL && ntxt++ == 0)
				first = k;
		if (ntxt > 0 && (!guess || sd_dkim_looks_like_key(a->rr[first].text,
								   a->rr[first].text_len)))
			ok = 1;
		if (ok || !guess) {
			it = sd_check_list_add(out, "dkim.key", SD_CHECK_PASS);
			if (it == NULL) {
				sd_dns_answer_free(a);
				return SMTPDOC_ENOMEM;
			}
			sd_check_item_subject(it, norm);
			sd_check_item_detail(it, "selector", "%s", shown);
		} else {
			it = NULL;
		}
		if (ok) {
			found++;
			if (sd_dkim_key_item(it, shown, norm, a) < 0) {
				sd_dns_answer_free(a);
				return SMTPDOC_ENOMEM;
			}
		} else if (it != NULL && sd_dc_temporary(a->status)) {
			it->status = SD_CHECK_UNKNOWN;
			sd_check_item_summary(it, "The DKIM key for selector %s could not be looked "
					      "up: %s. Try again later.", shown,
					      sd_dc_status_words(a->status));
		} else if (it != NULL) {
			it->status = SD_CHECK_FAIL;
			sd_check_item_summary(it, "No DKIM key is published for selector %s (%s). "
					      "Mail signed with this selector fails DKIM.", shown, norm);
			sd_check_item_cause(it, "sender.dkim-key");
			sd_check_item_bounce(it, "%s", SD_DC_BOUNCE_UNAUTHENTICATED);
			sd_check_item_fix(it, "Publish the DKIM key of selector %s as a TXT record at "
					  "%s (your mail service shows the record to copy), or check "
					  "the selector in the s= of the DKIM-Signature header of a "
					  "message you sent.", shown, norm);
		} else if (sd_dc_temporary(a->status)) {
			ofailed += strlen(shown) + 2;
			if (ofailed < sizeof(failed))
				sd_dc_fmt(failed + strlen(failed), sizeof(failed) - strlen(failed),
					  "%s%s", failed[0] ? ", " : "", shown);
		}
		otried += strlen(shown) + 2;
		if (otried < sizeof(tried))
			sd_dc_fmt(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s%s",
				  tried[0] ? ", " : "", shown);
		sd_dns_answer_free(a);
	}
	if (guess && found == 0) {
		it = sd_check_list_add(out, "dkim.selectors", SD_CHECK_INFO);
		if (it == NULL)
			return SMTPDOC_ENOMEM;
		sd_check_item_subject(it, dom);
		sd_check_item_detail(it, "tried", "%s", tried);
		if (failed[0] != '\0')
			sd_check_item_detail(it, "lookup_failed", "%s", failed);
		sd_check_item_summary(it, "No DKIM key was found for the selectors tried: %s. DKIM "
				      "keys can only be found by their selector name, which cannot be "
				      "listed from DNS, so this does not mean DKIM is missing.", tried);
		sd_check_item_fix(it, "Open a message you sent, find the DKIM-Signature header and "
				  "its s= value (the selector), and run the check again with "
				  "--dkim-selector and that value.");
		sd_check_item_fix(it, "If there is no DKIM-Signature header, turn on DKIM signing in "
				  "your mail service and publish the key it gives you.");
	}
	return sd_check_list_status(out);
}
