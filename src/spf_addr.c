/*
 * spf_addr.c - IP addresses for SPF: reading them, comparing prefixes and
 * writing them the ways the macros and PTR queries need.
 *
 * Entry points (spf.h, spf_internal.h): sd_spf_ip_parse (a client address,
 * IPv4-mapped IPv6 turned into IPv4 as RFC 7208 section 5 requires),
 * sd_spf_ip4_parse (the strict ip4-network of the record grammar: four
 * numbers 0-255 without leading zeros), sd_spf_ip6_parse (RFC 4291 2.2
 * text, "::" and a dotted-quad tail included), sd_spf_prefix_match,
 * sd_spf_ip_dotted (%{i}), sd_spf_ip_text (%{c}, RFC 5952 for IPv6),
 * sd_spf_ip_reverse (the in-addr.arpa / ip6.arpa name), sd_spf_rr_is_ip.
 *
 * No allocation; every output has a fixed size large enough for any
 * address. Parsers read exactly n bytes and accept nothing around them.
 */
#include <stdio.h>
#include <string.h>

#include "spf_internal.h"

static const char sd_spf_hex[] = "0123456789abcdef";

int
sd_spf_ip4_parse(const char *s, size_t n, unsigned char out[4])
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		size_t start = i;
		unsigned v = 0;

		if (part > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			start = ++i;
		}
		while (i < n && sd_isdigit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255)
			return -1;
		if (i - start > 1 && s[start] == '0')
			return -1; /* leading zero: not an RFC 7208 qnum */
		if (i < n && sd_isdigit((unsigned char)s[i]))
			return -1; /* four digits */
		out[part] = (unsigned char)v;
	}
	return i == n ? 0 : -1;
}

static int
sd_spf_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = sd_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
sd_spf_ip6_parse(const char *s, size_t n, unsigned char out[16])
{
	unsigned groups[8];
	int ng = 0, gap = -1, k;
	size_t i = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n == 0 || s[0] == ':') {
		return -1;
	}
	while (i < n) {
		size_t start = i;
		unsigned v = 0;
		int h;

		while (i < n && (h = sd_spf_hexval((unsigned char)s[i])) >= 0 && i - start < 4) {
			v = v * 16 + (unsigned)h;
			i++;
		}
		if (i < n && s[i] == '.') {
			/* a dotted-quad tail takes the last two groups */
			unsigned char q[4];

			if (ng > 6 || sd_spf_ip4_parse(s + start, n - start, q) != 0)
				return -1;
			groups[ng++] = (unsigned)q[0] << 8 | q[1];
			groups[ng++] = (unsigned)q[2] << 8 | q[3];
			i = n;
			break;
		}
		if (i == start || ng == 8)
			return -1;
		if (i < n && sd_spf_hexval((unsigned char)s[i]) >= 0)
			return -1; /* five hex digits */
		groups[ng++] = v;
		if (i == n)
			break;
		if (s[i] != ':')
			return -1;
		i++;
		if (i < n && s[i] == ':') {
			if (gap >= 0)
				return -1; /* "::" twice */
			gap = ng;
			i++;
		} else if (i == n) {
			return -1; /* a single trailing colon */
		}
	}
	if (gap >= 0) {
		int fill = 8 - ng;

		if (fill < 1)
			return -1;
		memmove(groups + gap + fill, groups + gap, (size_t)(ng - gap) * sizeof(groups[0]));
		for (k = 0; k < fill; k++)
			groups[gap + k] = 0;
	} else if (ng != 8) {
		return -1;
	}
	for (k = 0; k < 8; k++) {
		out[2 * k] = (unsigned char)(groups[k] >> 8);
		out[2 * k + 1] = (unsigned char)(groups[k] & 0xff);
	}
	return 0;
}

int
sd_spf_ip_parse(const char *s, sd_spf_ip *out)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	size_t n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') { /* as in a Received: line */
		s++;
		n -= 2;
	}
	memset(out, 0, sizeof(*out));
	if (sd_spf_ip4_parse(s, n, out->addr) == 0) {
		out->family = 4;
		return 0;
	}
	if (n > 64 || sd_spf_ip6_parse(s, n, out->addr) != 0)
		return -1;
	out->family = 6;
	if (memcmp(out->addr, mapped, sizeof(mapped)) == 0) {
		/* RFC 7208 section 5: IPv4-mapped IPv6 is IPv4 */
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = 4;
	}
	return 0;
}

int
sd_spf_prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (whole > 0 && memcmp(a, b, (size_t)whole) != 0)
		return 0;
	if (rest > 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((a[whole] & mask) != (b[whole] & mask))
			return 0;
	}
	return 1;
}

void
sd_spf_ip_dotted(const sd_spf_ip *ip, char out[72])
{
	size_t o = 0;
	int k;

	if (ip->family == 4) {
		snprintf(out, 72, "%u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]);
		return;
	}
	for (k = 0; k < 16; k++) {
		out[o++] = sd_spf_hex[ip->addr[k] >> 4];
		out[o++] = '.';
		out[o++] = sd_spf_hex[ip->addr[k] & 0xf];
		out[o++] = k < 15 ? '.' : '\0';
	}
}

void
sd_spf_ip_text(const sd_spf_ip *ip, char out[48])
{
	unsigned g[8];
	int k, best = -1, bestlen = 0, run = -1, runlen = 0;
	size_t o = 0;

	if (ip->family == 4) {
		snprintf(out, 48, "%u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]);
		return;
	}
	for (k = 0; k < 8; k++)
		g[k] = (unsigned)ip->addr[2 * k] << 8 | ip->addr[2 * k + 1];
	/* RFC 5952 4.2: the longest run of two or more zero groups, the first
	 * one on a tie, becomes "::" */
	for (k = 0; k <= 8; k++) {
		if (k < 8 && g[k] == 0) {
			if (run < 0) {
				run = k;
				runlen = 0;
			}
			runlen++;
		} else if (run >= 0) {
			if (runlen > bestlen && runlen >= 2) {
				best = run;
				bestlen = runlen;
			}
			run = -1;
		}
	}
	for (k = 0; k < 8; k++) {
		if (k == best) {
			out[o++] = ':';
			out[o++] = ':';
			k += bestlen - 1;
			continue;
		}
		if (k > 0 && k != best + bestlen)
			out[o++] = ':';
		o += (size_t)snprintf(out + o, 48 - o, "%x", g[k]);
	}
	out[o] = '\0';
}

void
sd_spf_ip_reverse(const sd_spf_ip *ip, char out[80])
{
	size_t o = 0;
	int k;

	if (ip->family == 4) {
		snprintf(out, 80, "%u.%u.%u.%u.in-addr.arpa", ip->addr[3], ip->addr[2], ip->addr[1],
			 ip->addr[0]);
		return;
	}
	for (k = 15; k >= 0; k--) {
		out[o++] = sd_spf_hex[ip->addr[k] & 0xf];
		out[o++] = '.';
		out[o++] = sd_spf_hex[ip->addr[k] >> 4];
		out[o++] = '.';
	}
	memcpy(out + o, "ip6.arpa", sizeof("ip6.arpa"));
}

int
sd_spf_rr_is_ip(const sd_dns_rr *rr, const sd_spf_ip *ip)
{
	if (ip->family == 4)
		return rr->type == SD_DNS_A && memcmp(rr->addr, ip->addr, 4) == 0;
	return rr->type == SD_DNS_AAAA && memcmp(rr->addr, ip->addr, 16) == 0;
}
