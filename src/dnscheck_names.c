/*
 * dnscheck_names.c - names, addresses and lookups for the DNS checks.
 *
 * Entry points: sd_dnscheck_domain_norm, sd_dnscheck_org_domain,
 * sd_dnscheck_reverse_name, sd_dnscheck_strs_free (dnscheck.h); sd_dc_ip_parse,
 * sd_dc_ip_format, sd_dc_rr_is_ip, sd_dc_lookup, sd_dc_temporary,
 * sd_dc_status_words, sd_dc_fmt, sd_dc_strs_add, sd_dc_host_addrs
 * (dnscheck_int.h).
 *
 * The organisational domain (RFC 7489 3.2) is properly found with the
 * public suffix list. smtpdoc approximates it: the last two labels of the
 * name, or the last three when the last two are in sd_dc_two_level (a
 * short table of well-known public suffixes of two labels, as data below).
 * What it gets wrong: suffixes of three labels or more, two-level suffixes
 * missing from the table (the result is one label short), and private
 * registries such as hosting platforms' shared domains (one label long).
 *
 * Reverse names follow RFC 1035 3.5 (in-addr.arpa) and RFC 3596 2.5
 * (ip6.arpa, one label per nibble, least significant first); DNS blocklists
 * use the same labels before their own zone (RFC 5782 2.1 and 2.4).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnscheck_int.h"

/* Two-label public suffixes under which registrations are made at the
 * third level (the organisational domain has three labels). */
static const char *const sd_dc_two_level[] = {
	"co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk", "gov.uk", "sch.uk",
	"nhs.uk", "police.uk",
	"com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
	"co.nz", "net.nz", "org.nz", "ac.nz", "govt.nz", "school.nz",
	"co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
	"co.kr", "ne.kr", "or.kr", "ac.kr", "go.kr",
	"co.za", "org.za", "net.za", "gov.za", "ac.za", "web.za",
	"com.br", "net.br", "org.br", "gov.br", "edu.br",
	"com.ar", "com.mx", "org.mx", "gob.mx", "com.co", "com.pe", "com.ve", "com.uy",
	"com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn",
	"com.hk", "org.hk", "net.hk", "edu.hk", "gov.hk",
	"com.tw", "org.tw", "net.tw", "edu.tw", "gov.tw",
	"com.sg", "org.sg", "net.sg", "edu.sg", "gov.sg",
	"com.my", "org.my", "net.my", "edu.my", "gov.my",
	"co.id", "or.id", "ac.id", "go.id", "web.id",
	"co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in", "ac.in", "gov.in", "edu.in",
	"co.il", "org.il", "net.il", "ac.il", "gov.il",
	"co.th", "in.th", "ac.th", "go.th", "or.th",
	"com.tr", "org.tr", "net.tr", "gov.tr", "edu.tr", "gen.tr",
	"com.ua", "org.ua", "net.ua", "gov.ua", "kiev.ua",
	"com.ph", "com.pk", "com.vn", "com.eg", "com.sa", "com.ng", "com.gh", "co.ke", "co.tz",
	"co.ug", "co.zw", "com.np", "com.bd", "com.lk",
	"com.pl", "net.pl", "org.pl", "co.at", "or.at", "ac.at", "gv.at",
	"com.gr", "com.cy", "com.mt", "com.ru", "org.ru", "net.ru", "msk.ru", "spb.ru",
	"com.es", "org.es", "nom.es", "com.pt", "co.it", "gouv.fr", "asso.fr", "com.fr",
	"co.hu", "com.ro", "co.rs", "com.hr", "co.ba",
	"ac.be", "co.no", "priv.no", "co.cr", "com.do", "com.gt", "com.pa", "com.py", "com.bo",
	"com.ec", "com.sv", "com.ni", "com.hn", "com.cu", "com.jm", "co.tt",
	NULL,
};

int
sd_dnscheck_domain_norm(const char *name, char out[SD_DNSCHECK_NAME_MAX])
{
	size_t n, i, label = 0;

	if (name == NULL)
		return -1;
	n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else {
			if (c <= 0x20 || c >= 0x7f || ++label > 63)
				return -1;
		}
		out[i] = (char)sd_tolower(c);
	}
	if (label == 0)
		return -1;
	out[n] = '\0';
	return 0;
}

int
sd_dnscheck_org_domain(const char *domain, char out[SD_DNSCHECK_NAME_MAX])
{
	char norm[SD_DNSCHECK_NAME_MAX];
	const char *last2 = NULL, *last3 = NULL, *p;
	size_t i, dots = 0;

	if (sd_dnscheck_domain_norm(domain, norm) < 0)
		return -1;
	/* the starts of the last two and three labels */
	for (p = norm + strlen(norm); p > norm; p--) {
		if (p[-1] != '.')
			continue;
		dots++;
		if (dots == 2)
			last2 = p;
		else if (dots == 3) {
			last3 = p;
			break;
		}
	}
	if (dots < 2) { /* one or two labels: the name itself */
		memcpy(out, norm, strlen(norm) + 1);
		return 0;
	}
	if (last3 == NULL)
		last3 = norm; /* exactly three labels */
	for (i = 0; sd_dc_two_level[i] != NULL; i++)
		if (strcmp(last2, sd_dc_two_level[i]) == 0) {
			memcpy(out, last3, strlen(last3) + 1);
			return 0;
		}
	memcpy(out, last2, strlen(last2) + 1);
	return 0;
}

int
sd_dc_ip_parse(const char *text, sd_dc_ip *out)
{
	char buf[64];
	size_t n;
	struct in6_addr a6;
	struct in_addr a4;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (text == NULL)
		return -1;
	n = strlen(text);
	if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
		text++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		out->family = 4;
		memcpy(out->b, &a4, 4);
		return 0;
	}
	if (sd_strcaseprefix(buf, "ipv6:"))
		memmove(buf, buf + 5, strlen(buf + 5) + 1);
	if (inet_pton(AF_INET6, buf, &a6) == 1) {
		if (memcmp(&a6, mapped, sizeof(mapped)) == 0) {
			out->family = 4;
			memcpy(out->b, (const unsigned char *)&a6 + 12, 4);
		} else {
			out->family = 6;
			memcpy(out->b, &a6, 16);
		}
		return 0;
	}
	return -1;
}

void
sd_dc_ip_format(const sd_dc_ip *ip, char *out, size_t outsz)
{
	if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->b, out, (socklen_t)outsz) == NULL &&
	    outsz > 0)
		out[0] = '\0';
}

int
sd_dc_rr_is_ip(const sd_dns_rr *rr, const sd_dc_ip *ip)
{
	if (rr->type == SD_DNS_A && ip->family == 4)
		return memcmp(rr->addr, ip->b, 4) == 0;
	if (rr->type == SD_DNS_AAAA && ip->family == 6)
		return memcmp(rr->addr, ip->b, 16) == 0;
	return 0;
}

int
sd_dnscheck_reverse_name(const char *ip, const char *zone, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	sd_dc_ip a;
	char labels[80];
	size_t o = 0;
	int i;

	if (out == NULL || outsz == 0 || sd_dc_ip_parse(ip, &a) < 0)
		return 0;
	if (a.family == 4) {
		if (sd_dc_fmt(labels, sizeof(labels), "%u.%u.%u.%u", a.b[3], a.b[2], a.b[1], a.b[0]) < 0)
			return 0;
		if (zone == NULL)
			zone = "in-addr.arpa";
	} else {
		for (i = 15; i >= 0; i--) {
			labels[o++] = hex[a.b[i] & 15];
			labels[o++] = '.';
			labels[o++] = hex[a.b[i] >> 4];
			labels[o++] = '.';
		}
		labels[o - 1] = '\0'; /* drop the last dot */
		if (zone == NULL)
			zone = "ip6.arpa";
	}
	if (sd_dc_fmt(out, outsz, "%s.%s", labels, zone) < 0)
		return 0;
	return a.family;
}

int
sd_dc_fmt(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

sd_dns_answer *
sd_dc_lookup(sd_dns_lookup_fn lookup, void *lctx, const char *name, int type)
{
	size_t n = strlen(name);

	if (n == 0 || n > 253 || lookup == NULL)
		return sd_dns_answer_new(SD_DNS_ERROR);
	return lookup(lctx, name, type);
}

int
sd_dc_host_addrs(sd_dns_lookup_fn lookup, void *lctx, const char *host, int families,
		 sd_dc_hostaddrs *out)
{
	static const int types[2] = {SD_DNS_A, SD_DNS_AAAA};
	int t, nx = 0, asked = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (t = 0; t < 2; t++) {
		sd_dns_answer *a;

		if ((families == 4 && t == 1) || (families == 6 && t == 0))
			continue;
		a = sd_dc_lookup(lookup, lctx, host, types[t]);
		if (a == NULL)
			return -1;
		asked++;
		if (a->status == SD_DNS_NXDOMAIN)
			nx++;
		else if (sd_dc_temporary(a->status))
			out->temporary = 1;
		if (a->cname != NULL && !out->alias) {
			out->alias = 1;
			sd_dc_printable(a->cname, strlen(a->cname), SD_DNSCHECK_NAME_MAX - 8,
					out->target, sizeof(out->target));
		}
		for (i = 0; a->status == SD_DNS_OK && i < a->n; i++) {
			sd_dc_ip ip;

			if (a->rr[i].type != types[t] || out->n == SD_DC_MAX_ADDRS)
				continue;
			ip.family = types[t] == SD_DNS_A ? 4 : 6;
			memcpy(ip.b, a->rr[i].addr, ip.family == 4 ? 4 : 16);
			out->ip[out->n++] = ip;
		}
		sd_dns_answer_free(a);
	}
	out->nxdomain = asked > 0 && nx == asked;
	return 0;
}

int
sd_dc_temporary(sd_dns_status st)
{
	return st == SD_DNS_SERVFAIL || st == SD_DNS_REFUSED || st == SD_DNS_TIMEOUT ||
	       st == SD_DNS_ERROR;
}

const char *
sd_dc_status_words(sd_dns_status st)
{
	switch (st) {
	case SD_DNS_OK:
		return "the lookup worked";
	case SD_DNS_NODATA:
		return "the name exists but has no record of that type";
	case SD_DNS_NXDOMAIN:
		return "the name does not exist";
	case SD_DNS_SERVFAIL:
		return "the DNS server failed to answer (server failure)";
	case SD_DNS_REFUSED:
		return "the DNS server refused the question";
	case SD_DNS_TIMEOUT:
		return "the DNS server did not answer in time";
	case SD_DNS_ERROR:
		break;
	}
	return "the lookup failed";
}

int
sd_dc_strs_add(sd_dnscheck_strs *s, const char *str)
{
	size_t i, n;
	char *copy;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	n = strlen(str) + 1;
	copy = malloc(n);
	if (copy == NULL)
		return -1;
	memcpy(copy, str, n);
	s->v[s->n++] = copy;
	return 0;
}

void
sd_dnscheck_strs_free(sd_dnscheck_strs *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
