/*
 * dns_parse.c - read a DNS response message into an sd_dns_answer.
 *
 * Entry point: sd_dns_parse() (see dns_parse.h). The answer it returns is
 * the caller's, freed with sd_dns_answer_free(); every string in it is its
 * own allocation.
 *
 * The message is read in place, every fetch checked against its length:
 * the header and the one question (RFC 1035 4.1.1, 4.1.2), then the answer
 * section's resource records (4.1.3). Only the answer section is used, and,
 * for MX, the A and AAAA records of the additional section that belong to
 * an exchange of the answer (kept in answer->extra; a malformed authority
 * or additional section only loses them). From the question
 * name the CNAME chain in the answer is followed (RFC 1034 3.6.2, at most
 * SD_DNS_MAX_CNAME_HOPS links; a loop is malformed), then the records of
 * the type asked owned by the name reached are kept, in message order.
 *
 * Names may be compressed (RFC 1035 4.1.4): a pointer must land inside the
 * message, at most SD_DNS_MAX_PTR_HOPS pointers are followed in one name,
 * and a name longer than 255 bytes on the wire is malformed. Owner names
 * are compared ignoring ASCII case (RFC 4343), and names are handed out in
 * lower case: a server may copy the case of the question into the answer.
 *
 * Record data: A is 4 bytes, AAAA 16; MX a 16-bit preference and a name;
 * CNAME, PTR and NS a name, which must fill the data exactly; TXT one or
 * more character-strings, joined without separators (RFC 7208 3.3). A TTL
 * with the top bit set is read as 0 (RFC 2181 8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns_parse.h"
#include "internal.h"

#define SD_DNS_HEADER_LEN 12
#define SD_DNS_RR_FIXED 10      /* type, class, TTL, RDLENGTH */
#define SD_DNS_MAX_NAME 255     /* a name on the wire, RFC 1035 2.3.4 */
#define SD_DNS_CLASS_IN 1

/* One resource record of the answer section, located in the message. */
typedef struct sd_rr_loc {
	size_t owner;   /* offset of the owner name */
	unsigned type, rclass;
	unsigned ttl;
	size_t rdata;   /* offset of the record data */
	size_t rdlen;
} sd_rr_loc;

static char *name_text(const unsigned char *wire, size_t wlen);

/* get_u16 - the 16-bit big-endian number at *pos; -1 when cut short */
static int
get_u16(const unsigned char *m, size_t len, size_t *pos, unsigned *out)
{
	if (len < 2 || *pos > len - 2)
		return -1;
	*out = (unsigned)m[*pos] << 8 | m[*pos + 1];
	*pos += 2;
	return 0;
}

/* get_u32 - the 32-bit big-endian number at *pos; -1 when cut short */
static int
get_u32(const unsigned char *m, size_t len, size_t *pos, uint32_t *out)
{
	if (len < 4 || *pos > len - 4)
		return -1;
	*out = (uint32_t)m[*pos] << 24 | (uint32_t)m[*pos + 1] << 16 |
	       (uint32_t)m[*pos + 2] << 8 | m[*pos + 3];
	*pos += 4;
	return 0;
}

/* get_name - the name at *pos, uncompressed into wire (length bytes and
 * labels, ending with the root's zero byte), its length in *wlen; *pos
 * moves past the name as it stands at *pos. -1 when malformed. */
static int
get_name(const unsigned char *m, size_t len, size_t *pos,
	 unsigned char wire[SD_DNS_MAX_NAME], size_t *wlen)
{
	size_t p = *pos, out = 0, after = 0;
	int jumped = 0, hops = 0;

	for (;;) {
		unsigned c;

		if (p >= len)
			return -1;
		c = m[p];
		if ((c & 0xC0) == 0xC0) {
			/* compression pointer: 14 bits of offset */
			if (p + 1 >= len || ++hops > SD_DNS_MAX_PTR_HOPS)
				return -1;
			if (!jumped) {
				after = p + 2;
				jumped = 1;
			}
			p = (size_t)(c & 0x3F) << 8 | m[p + 1];
			continue;
		}
		if (c & 0xC0)
			return -1; /* 01 and 10: label types no one uses */
		if (c == 0)
			break;
		/* the label, and room left for the root's byte */
		if (len - p <= c || out + 1 + c + 1 > SD_DNS_MAX_NAME)
			return -1;
		memcpy(wire + out, m + p, 1 + (size_t)c);
		out += 1 + (size_t)c;
		p += 1 + (size_t)c;
	}
	wire[out++] = 0;
	*pos = jumped ? after : p + 1;
	*wlen = out;
	return 0;
}

/* same_text - is the wire name the dotted name text (a final dot or
 * not), ignoring ASCII case? -1 on no memory */
static int
same_text(const unsigned char *wire, size_t wlen, const char *text)
{
	char *have = name_text(wire, wlen);
	size_t tlen = strlen(text), i;
	int same;

	if (have == NULL)
		return -1;
	if (tlen > 0 && text[tlen - 1] == '.')
		tlen--;
	for (i = 0; i < tlen && have[i] != '\0'; i++)
		if (sd_tolower((unsigned char)have[i]) != sd_tolower((unsigned char)text[i]))
			break;
	same = i == tlen && have[i] == '\0';
	free(have);
	return same;
}

/* same_name - are two wire names equal, ignoring ASCII case? */
static int
same_name(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	/* length bytes are below 64 and so never change case */
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (sd_tolower(a[i]) != sd_tolower(b[i]))
			return 0;
	return 1;
}

/* name_text - a wire name as a new string in presentation form, in lower
 * case, without the final dot ("" for the root); NULL on no memory. */
static char *
name_text(const unsigned char *wire, size_t wlen)
{
	/* at worst every byte becomes \DDD */
	char *s = malloc(wlen * 4 + 1), *o = s;
	size_t i = 0;

	if (s == NULL)
		return NULL;
	while (i < wlen && wire[i] != 0) {
		size_t n = wire[i++];

		if (o != s)
			*o++ = '.';
		for (size_t k = 0; k < n && i < wlen; k++, i++) {
			unsigned c = wire[i];

			if (c > 0x20 && c < 0x7F && c != '.' && c != '\\') {
				*o++ = (char)sd_tolower((int)c);
			} else {
				*o++ = '\\';
				*o++ = (char)('0' + c / 100);
				*o++ = (char)('0' + c / 10 % 10);
				*o++ = (char)('0' + c % 10);
			}
		}
	}
	*o = '\0';
	return s;
}

/* rdata_name - the name that fills the record data exactly (from offset
 * start), as a new string in *out. -1 when malformed or on no memory
 * (*oom set). */
static int
rdata_name(const unsigned char *m, const sd_rr_loc *rr, size_t start, char **out, int *oom)
{
	unsigned char wire[SD_DNS_MAX_NAME];
	size_t pos = start, wlen;
	size_t end = rr->rdata + rr->rdlen;

	/* the name starts inside the data and ends where the data ends;
	 * pointers may only go back to what comes before that end */
	if (start >= end || get_name(m, end, &pos, wire, &wlen) != 0 || pos != end)
		return -1;
	*out = name_text(wire, wlen);
	if (*out == NULL) {
		*oom = 1;
		return -1;
	}
	return 0;
}

/* rdata_txt - the character-strings of a TXT record joined into rr's
 * text. -1 when malformed or on no memory (*oom set). */
static int
rdata_txt(const unsigned char *m, const sd_rr_loc *loc, sd_dns_rr *rr, int *oom)
{
	const unsigned char *d = m + loc->rdata;
	size_t total = 0, i = 0;
	char *t;

	/* one pass to check the strings fill the data exactly */
	while (i < loc->rdlen) {
		size_t n = d[i];

		if (loc->rdlen - i - 1 < n)
			return -1;
		total += n;
		i += 1 + n;
	}
	t = malloc(total + 1);
	if (t == NULL) {
		*oom = 1;
		return -1;
	}
	rr->text = t;
	rr->text_len = total;
	for (i = 0; i < loc->rdlen; i += 1 + (size_t)d[i]) {
		memcpy(t, d + i + 1, d[i]);
		t += d[i];
	}
	*t = '\0';
	return 0;
}

/* fill_rr - read a record's data into rr; -1 when malformed or on no
 * memory (*oom set). */
static int
fill_rr(const unsigned char *m, const sd_rr_loc *loc, sd_dns_rr *rr, int *oom)
{
	size_t pos = loc->rdata;

	memset(rr, 0, sizeof(*rr));
	rr->type = (int)loc->type;
	rr->ttl = loc->ttl;
	switch (loc->type) {
	case SD_DNS_A:
	case SD_DNS_AAAA: {
		size_t want = loc->type == SD_DNS_A ? 4 : 16;

		if (loc->rdlen != want)
			return -1;
		memcpy(rr->addr, m + loc->rdata, want);
		return 0;
	}
	case SD_DNS_MX:
		if (get_u16(m, loc->rdata + loc->rdlen, &pos, &rr->pref) != 0)
			return -1;
		return rdata_name(m, loc, pos, &rr->host, oom);
	case SD_DNS_CNAME:
	case SD_DNS_PTR:
	case SD_DNS_NS:
		return rdata_name(m, loc, pos, &rr->host, oom);
	case SD_DNS_TXT:
		return rdata_txt(m, loc, rr, oom);
	default:
		return 0; /* kept with its type and TTL only */
	}
}

/* owned_by - is the record's owner the wire name want? -1 when its owner
 * name is malformed. */
static int
owned_by(const unsigned char *m, size_t len, const sd_rr_loc *loc,
	 const unsigned char *want, size_t wantlen)
{
	unsigned char wire[SD_DNS_MAX_NAME];
	size_t pos = loc->owner, wlen;

	if (get_name(m, len, &pos, wire, &wlen) != 0)
		return -1;
	return same_name(wire, wlen, want, wantlen);
}

/* read_answers - locate the answer section's records in locs[0..an);
 * -1 when the section is cut short or malformed. */
static int
read_answers(const unsigned char *m, size_t len, size_t pos, sd_rr_loc *locs, unsigned an)
{
	unsigned char wire[SD_DNS_MAX_NAME];
	size_t wlen;

	for (unsigned i = 0; i < an; i++) {
		sd_rr_loc *l = &locs[i];
		unsigned rdlen;
		uint32_t ttl;

		l->owner = pos;
		if (get_name(m, len, &pos, wire, &wlen) != 0 ||
		    get_u16(m, len, &pos, &l->type) != 0 ||
		    get_u16(m, len, &pos, &l->rclass) != 0 ||
		    get_u32(m, len, &pos, &ttl) != 0 ||
		    get_u16(m, len, &pos, &rdlen) != 0 || len - pos < rdlen)
			return -1;
		l->ttl = (ttl & 0x80000000u) ? 0 : (unsigned)ttl;
		l->rdata = pos;
		l->rdlen = rdlen;
		pos += rdlen;
	}
	return 0;
}

/* error_answer - drop a partly built answer and give an SD_DNS_ERROR one
 * instead (NULL on no memory, as for oom). */
static sd_dns_answer *
error_answer(sd_dns_answer *a, int oom)
{
	sd_dns_answer_free(a);
	return oom ? NULL : sd_dns_answer_new(SD_DNS_ERROR);
}

/* skip_records - move *pos past n resource records; -1 when cut short */
static int
skip_records(const unsigned char *m, size_t len, size_t *pos, unsigned n)
{
	unsigned char wire[SD_DNS_MAX_NAME];
	size_t wlen;
	unsigned type, rclass, rdlen;
	uint32_t ttl;

	for (unsigned i = 0; i < n; i++)
		if (get_name(m, len, pos, wire, &wlen) != 0 || get_u16(m, len, pos, &type) != 0 ||
		    get_u16(m, len, pos, &rclass) != 0 || get_u32(m, len, pos, &ttl) != 0 ||
		    get_u16(m, len, pos, &rdlen) != 0 || len - *pos < rdlen)
			return -1;
		else
			*pos += rdlen;
	return 0;
}

/* mx_glue - the additional section's A and AAAA records owned by an
 * exchange of the MX answer a, into a->extra. A malformed section gives
 * none; -1 only on no memory. */
static int
mx_glue(const unsigned char *m, size_t len, sd_dns_answer *a)
{
	unsigned qd, an, ns, ar, type, rclass;
	size_t pos = 4, i, k;
	sd_rr_loc *locs;
	unsigned char wire[SD_DNS_MAX_NAME];
	size_t wlen;

	if (get_u16(m, len, &pos, &qd) != 0 || get_u16(m, len, &pos, &an) != 0 ||
	    get_u16(m, len, &pos, &ns) != 0 || get_u16(m, len, &pos, &ar) != 0 || ar == 0)
		return 0;
	pos = SD_DNS_HEADER_LEN;
	if (qd != 1 || get_name(m, len, &pos, wire, &wlen) != 0 || get_u16(m, len, &pos, &type) != 0 ||
	    get_u16(m, len, &pos, &rclass) != 0 || skip_records(m, len, &pos, an) != 0 ||
	    skip_records(m, len, &pos, ns) != 0)
		return 0;
	if ((len - pos) / (1 + SD_DNS_RR_FIXED) < ar)
		return 0;
	if ((locs = calloc(ar, sizeof(*locs))) == NULL)
		return -1;
	if (read_answers(m, len, pos, locs, ar) != 0) {
		free(locs);
		return 0;
	}
	for (i = 0; i < ar; i++) {
		sd_dns_rr rr;
		char *owner;
		int oom = 0;
		size_t opos = locs[i].owner;
		if ((locs[i].type != SD_DNS_A && locs[i].type != SD_DNS_AAAA) || locs[i].rclass != SD_DNS_CLASS_IN)
			continue;
		if (get_name(m, len, &opos, wire, &wlen) != 0 || (owner = name_text(wire, wlen)) == NULL)
			continue;
		for (k = 0; k < a->n; k++)
			if (a->rr[k].host && strcmp(a->rr[k].host, owner) == 0)
				break;
		if (k == a->n || fill_rr(m, &locs[i], &rr, &oom) != 0) {
			free(owner);
			continue;
		}
		if (a->extra == NULL && (a->extra = calloc(ar, sizeof(*a->extra))) == NULL) {
			free(owner);
			free(locs);
			return -1;
		}
		rr.host = owner;
		a->extra[a->nextra++] = rr;
	}
	free(locs);
	return 0;
}

sd_dns_answer *
sd_dns_parse(const unsigned char *msg, size_t len, const char *qname, int qtype)
{
	unsigned char name[SD_DNS_MAX_NAME];
	size_t namelen, pos = 4, n;
	unsigned flags, rcode, qd, an, type, rclass, hops;
	sd_rr_loc *locs = NULL;
	sd_dns_answer *a;
	int oom = 0;

	if (msg == NULL || len < SD_DNS_HEADER_LEN)
		return sd_dns_answer_new(SD_DNS_ERROR);
	flags = (unsigned)msg[2] << 8 | msg[3];
	rcode = flags & 0xF;
	if (!(flags & 0x8000) || get_u16(msg, len, &pos, &qd) != 0 ||
	    get_u16(msg, len, &pos, &an) != 0)
		return sd_dns_answer_new(SD_DNS_ERROR); /* a query, not a response */
	pos = SD_DNS_HEADER_LEN;
	/* The question: one, the one asked, class IN. A server may leave it
	 * out of an error response (SERVFAIL, REFUSED, ...), not of one that
	 * says something about the name (NOERROR, NXDOMAIN). */
	if (qd == 0 && rcode != 0 && rcode != 3)
		goto rcode;
	if (qd != 1 || get_name(msg, len, &pos, name, &namelen) != 0 ||
	    get_u16(msg, len, &pos, &type) != 0 || get_u16(msg, len, &pos, &rclass) != 0 ||
	    type != (unsigned)qtype || rclass != SD_DNS_CLASS_IN)
		return sd_dns_answer_new(SD_DNS_ERROR);
	if (qname != NULL) {
		int same = same_text(name, namelen, qname);

		if (same < 0)
			return NULL;
		if (!same)
			return sd_dns_answer_new(SD_DNS_ERROR);
	}
rcode:
	switch (rcode) {
	case 0:
		break;
	case 2:
		return sd_dns_answer_new(SD_DNS_SERVFAIL);
	case 3:
		return sd_dns_answer_new(SD_DNS_NXDOMAIN);
	case 5:
		return sd_dns_answer_new(SD_DNS_REFUSED);
	default:
		return sd_dns_answer_new(SD_DNS_ERROR);
	}

	a = sd_dns_answer_new(SD_DNS_NODATA);
	if (a == NULL)
		return NULL;
	if (an == 0)
		return a;
	/* a record takes at least 11 bytes: a count that cannot fit is a lie */
	if ((len - pos) / (1 + SD_DNS_RR_FIXED) < an)
		return error_answer(a, 0);
	locs = calloc(an, sizeof(*locs));
	if (locs == NULL)
		return error_answer(a, 1);
	if (read_answers(msg, len, pos, locs, an) != 0)
		goto malformed;

	/* follow the CNAME chain from the question name (unless CNAME is
	 * what was asked) */
	for (hops = 0; qtype != SD_DNS_CNAME; hops++) {
		unsigned i;

		for (i = 0; i < an; i++) {
			int own;

			if (locs[i].type != SD_DNS_CNAME || locs[i].rclass != SD_DNS_CLASS_IN)
				continue;
			own = owned_by(msg, len, &locs[i], name, namelen);
			if (own < 0)
				goto malformed;
			if (own)
				break;
		}
		if (i == an)
			break;
		if (hops == SD_DNS_MAX_CNAME_HOPS)
			goto malformed; /* a loop, or a chain too long */
		pos = locs[i].rdata;
		if (get_name(msg, locs[i].rdata + locs[i].rdlen, &pos, name, &namelen) != 0 ||
		    pos != locs[i].rdata + locs[i].rdlen)
			goto malformed;
	}
	if (hops > 0) {
		a->cname = name_text(name, namelen);
		if (a->cname == NULL) {
			oom = 1;
			goto malformed;
		}
	}

	/* the records of the type asked owned by the name reached */
	for (unsigned i = 0; i < an; i++) {
		int own;

		if (locs[i].type != (unsigned)qtype || locs[i].rclass != SD_DNS_CLASS_IN)
			continue;
		own = owned_by(msg, len, &locs[i], name, namelen);
		if (own < 0)
			goto malformed;
		if (!own)
			continue;
		if (a->rr == NULL) {
			/* room for every record of the answer: no regrowth */
			a->rr = calloc(an, sizeof(*a->rr));
			if (a->rr == NULL) {
				oom = 1;
				goto malformed;
			}
		}
		n = a->n;
		if (fill_rr(msg, &locs[i], &a->rr[n], &oom) != 0) {
			/* free what fill_rr set before it failed */
			free(a->rr[n].host);
			free(a->rr[n].text);
			goto malformed;
		}
		a->n = n + 1;
	}
	free(locs);
	a->status = a->n > 0 ? SD_DNS_OK : SD_DNS_NODATA;
	if (qtype == SD_DNS_MX && a->n > 0 && mx_glue(msg, len, a) != 0)
		return error_answer(a, 1);
	return a;

malformed:
	free(locs);
	return error_answer(a, oom);
}
