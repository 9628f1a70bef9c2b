/*
 * status.c - RFC 3463 enhanced status codes and RFC 5321 reply codes.
 *
 * sd_find_status() and sd_find_replycode() pick the codes out of free
 * text; sd_reason_from_status() says which reason a code implies on its
 * own. The table follows RFC 3463 and the IANA registry of enhanced status
 * codes (RFC 5248 and later: X.7.20-X.7.30 for DKIM, SPF, reverse DNS,
 * DMARC, null MX, REQUIRETLS), mapped onto Sisimai's reason names.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Read class.subject.detail at p; returns its length or 0. */
static size_t
sd_status_at(const char *p, size_t avail)
{
	size_t i = 0, n;

	if (avail < 5 || (p[0] != '2' && p[0] != '4' && p[0] != '5') || p[1] != '.')
		return 0;
	i = 2;
	for (n = 0; i < avail && sd_isdigit((unsigned char)p[i]) && n < 3; i++, n++)
		;
	if (n == 0 || i >= avail || p[i] != '.')
		return 0;
	i++;
	for (n = 0; i < avail && sd_isdigit((unsigned char)p[i]) && n < 3; i++, n++)
		;
	if (n == 0)
		return 0;
	if (i < avail && (sd_isdigit((unsigned char)p[i]) ||
			  (p[i] == '.' && i + 1 < avail && sd_isdigit((unsigned char)p[i + 1]))))
		return 0; /* part of a longer number, e.g. an IP address */
	return i;
}

/* Is text[0..dash) a 3-digit reply code standing alone ("550" in "550-")? */
static int
sd_reply_prefix(const char *text, size_t dash)
{
	if (dash < 3)
		return 0;
	if (!sd_isdigit((unsigned char)text[dash - 1]) || !sd_isdigit((unsigned char)text[dash - 2]) ||
	    (text[dash - 3] != '4' && text[dash - 3] != '5' && text[dash - 3] != '2'))
		return 0;
	return dash == 3 || !sd_isalnum((unsigned char)text[dash - 4]);
}

int
sd_find_status(const char *text, size_t len, char out[16])
{
	size_t i;

	if (text == NULL)
		return 0;
	for (i = 0; i + 5 <= len; i++) {
		size_t n;
		/* "#5.1.1" counts as qmail and Exchange write it, "(#5.1.1)"
		 * and "<host #5.1.1>"; "550-5.7.1" is the first line of a
		 * multi-line reply */
		if (i > 0 && (sd_isalnum((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
			      text[i - 1] == '/' ||
			      (text[i - 1] == '-' && !sd_reply_prefix(text, i - 1)) ||
			      (text[i - 1] == '#' &&
			       !(i > 1 && (text[i - 2] == '(' || text[i - 2] == ' ' || text[i - 2] == '[')))))
			continue;
		n = sd_status_at(text + i, len - i);
		if (n && n < 16) {
			memcpy(out, text + i, n);
			out[n] = '\0';
			return 1;
		}
	}
	return 0;
}

int
sd_find_error_status(const char *text, size_t len, char out[16])
{
	size_t off = 0;

	while (off < len && sd_find_status(text + off, len - off, out)) {
		const char *hit = strstr(text + off, out);
		if (out[0] != '2')
			return 1;
		if (hit == NULL)
			break;
		off = (size_t)(hit - text) + strlen(out);
	}
	return 0;
}

int
sd_find_replycode(const char *text, size_t len, char out[4])
{
	size_t i;

	if (text == NULL)
		return 0;
	for (i = 0; i + 3 <= len; i++) {
		const char *p = text + i;
		char after;
		if (p[0] != '4' && p[0] != '5' && p[0] != '2')
			continue;
		if (!sd_isdigit((unsigned char)p[1]) || !sd_isdigit((unsigned char)p[2]))
			continue;
		if (p[1] > '5')
			continue;
		if (i > 0 && !(text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t' ||
			       text[i - 1] == '<' || text[i - 1] == '(' || text[i - 1] == ':' ||
			       text[i - 1] == '"' || text[i - 1] == '[' || text[i - 1] == '\'' ||
			       text[i - 1] == '#'))
			continue;
		after = i + 3 < len ? p[3] : ' ';
		if (!(after == ' ' || after == '-' || after == '\n' || after == '\t' || after == ')' ||
		      after == '"' || after == ']' || after == ',' || (after == ':' && i + 4 < len && p[4] == ' ')))
			continue;
		/* "421-" continuation or "550 " followed by text or a status code */
		if (p[0] == '2' && !(i + 5 < len && sd_status_at(p + 4, len - i - 4)))
			continue; /* 2xx only when a status code follows */
		if (after == ' ' && i + 4 < len) {
			char n = p[4];
			/* "550 days", "421 Mar" are unlikely; require text or a code */
			if (!(sd_isalpha((unsigned char)n) || sd_isdigit((unsigned char)n) ||
			      n == '<' || n == '"' || n == '#' || n == '[' || n == '(' || n == '\'' || n == '*' ||
			      (n == ':' && i + 5 < len && p[5] == ' ')))
				continue;
			if (sd_isdigit((unsigned char)n) && !sd_status_at(p + 4, len - i - 4))
				continue;
		}
		memcpy(out, p, 3);
		out[3] = '\0';
		return 1;
	}
	return 0;
}

typedef struct sd_status_rule {
	int subject, detail; /* detail -1: any */
	const char *reason;
	int specific;
} sd_status_rule;

/* First matching row wins; specific rows should win over vague text. */
static const sd_status_rule sd_status_rules[] = {
	{1, 1, "userunknown", 0},
	{1, 2, "hostunknown", 1},
	{1, 3, "userunknown", 0},
	{1, 4, "userunknown", 0},
	{1, 6, "hasmoved", 1},
	{1, 7, "rejected", 0},
	{1, 8, "rejected", 0},
	{1, 10, "notaccept", 0},
	{2, 0, "filtered", 0},
	{2, 1, "suspend", 0},
	{2, 2, "mailboxfull", 1},
	{2, 3, "exceedlimit", 1},
	{2, 4, "systemerror", 0},
	{3, 0, "systemerror", 0},
	{3, 1, "systemfull", 1},
	{3, 2, "notaccept", 0},
	{3, 4, "mesgtoobig", 1},
	{3, -1, "systemerror", 0},
	{4, 4, "hostunknown", 0},
	{4, 6, "networkerror", 0},
	{4, 7, "expired", 1},
	{4, -1, "networkerror", 0},
	{5, 3, "exceedlimit", 0},
	{5, 0, NULL, 0},
	{5, -1, "syntaxerror", 0},
	{6, -1, "contenterror", 0},
	{7, 1, "securityerror", 0},
	{7, 2, "policyviolation", 0},
	{7, 9, "securityerror", 0}, /* RFC 3463: authentication mechanism too weak */
	{7, 13, "suspend", 1},
	{7, 17, "hasmoved", 1},
	{7, 18, "hasmoved", 1},
	{7, 20, "authfailure", 1},
	{7, 21, "authfailure", 1},
	{7, 22, "authfailure", 1},
	{7, 23, "authfailure", 1},
	{7, 24, "authfailure", 1},
	{7, 25, "requireptr", 1},
	{7, 26, "authfailure", 1},
	{7, 27, "notaccept", 1},
	{7, 28, "speeding", 0},
	{7, 29, "authfailure", 1},
	{7, 509, "authfailure", 1}, /* Microsoft: domain fails DMARC */
	{7, 0, NULL, 0},
	{7, -1, "securityerror", 0},
};

const char *
sd_reason_from_status(const char *status, int *specific)
{
	int subject = 0, detail = 0;
	const char *p = status;
	size_t i;

	if (specific)
		*specific = 0;
	if (status == NULL || (p[0] != '4' && p[0] != '5' && p[0] != '2') || p[1] != '.')
		return NULL;
	if (p[0] == '2')
		return "delivered";
	/* at most three digits each (RFC 3463); longer runs stay out of range */
	for (p += 2; sd_isdigit((unsigned char)*p); p++)
		if (subject < 1000)
			subject = subject * 10 + (*p - '0');
	if (*p++ != '.')
		return NULL;
	for (; sd_isdigit((unsigned char)*p); p++)
		if (detail < 1000)
			detail = detail * 10 + (*p - '0');
	if (subject == 7 && detail >= 606 && detail <= 649) {
		if (specific)
			*specific = 1; /* Microsoft: banned sending IP */
		return "blocked";
	}
	for (i = 0; i < sizeof(sd_status_rules) / sizeof(sd_status_rules[0]); i++) {
		const sd_status_rule *r = &sd_status_rules[i];
		if (r->subject == subject && (r->detail == -1 || r->detail == detail)) {
			if (specific)
				*specific = r->specific;
			return r->reason;
		}
	}
	return NULL;
}

/* Codes that Sisimai reports when a bounce carries no enhanced status code:
 * class.0.9xx, one per reason, so that consumers written for Sisimai keep
 * working. Reasons without a known number get class.0.0 ("other"). */
static const struct {
	const char *reason;
	int number;
} sd_pseudo_codes[] = {
	{"undefined", 900}, {"onhold", 901}, {"syntaxerror", 902}, {"norelaying", 909},
	{"filtered", 910}, {"userunknown", 911}, {"hostunknown", 912}, {"rejected", 918},
	{"suspend", 921}, {"mailboxfull", 922}, {"systemerror", 930}, {"notaccept", 932},
	{"mesgtoobig", 934}, {"mailererror", 939}, {"networkerror", 944}, {"expired", 947},
	{"blocked", 971}, {"requireptr", 973}, {"spamdetected", 980},
};

const char *
sd_pseudo_status(const char *reason, int temporary, char out[16])
{
	size_t i;

	for (i = 0; i < sizeof(sd_pseudo_codes) / sizeof(sd_pseudo_codes[0]); i++)
		if (strcmp(sd_pseudo_codes[i].reason, reason) == 0) {
			snprintf(out, 16, "%c.0.%d", temporary ? '4' : '5', sd_pseudo_codes[i].number);
			return out;
		}
	snprintf(out, 16, "%c.0.0", temporary ? '4' : '5');
	return out;
}
