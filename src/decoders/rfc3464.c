/*
 * rfc3464.c - decoder for RFC 3464 delivery status notifications.
 *
 * Reads the message/delivery-status part: one block of per-message fields
 * (Reporting-MTA, Arrival-Date, ...) then one block per recipient
 * (Final-Recipient, Original-Recipient, Action, Status, Remote-MTA,
 * Diagnostic-Code, Last-Attempt-Date). Blocks are separated by blank
 * lines; a new Final-Recipient also starts a new block, because some MTAs
 * leave the blank line out. Field values may be folded (RFC 5322).
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Sendmail's transcript reader: a DSN without Diagnostic-Code fields may
 * carry the server's words there (sendmail.c). */
extern const sd_decoder sd_decoder_sendmail;

/* Strip a "type;" prefix (rfc822; dns; smtp;), saving the type. */
static const char *
sd_typed_value(sd_arena *a, const char *v, const char **type)
{
	const char *semi = strchr(v, ';');

	if (type)
		*type = NULL;
	if (semi && semi - v < 24) {
		const char *p;
		for (p = v; p < semi; p++)
			if (!(sd_isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == ' '))
				return v;
		if (type) {
			char *t = sd_arena_strndup(a, v, (size_t)(semi - v));
			*type = t ? sd_trim(t) : NULL;
		}
		v = semi + 1;
		while (sd_isspace((unsigned char)*v))
			v++;
	}
	return v;
}

/* PowerMTA files each bounce under a category of its own and writes it in
 * the DSN; the categories map onto reasons. "other" and unknown ones say
 * nothing, and the classifier decides. */
static const struct {
	const char *category;
	const char *reason;
} sd_powermta_categories[] = {
	{"bad-mailbox", "userunknown"},       {"bad-domain", "hostunknown"},
	{"inactive-mailbox", "suspend"},      {"quota-issues", "mailboxfull"},
	{"no-answer-from-host", "networkerror"}, {"bad-connection", "networkerror"},
	{"relaying-issues", "norelaying"},    {"routing-errors", "systemerror"},
	{"bad-configuration", "systemerror"}, {"spam-related", "spamdetected"},
	{"virus-related", "virusdetected"},   {"content-related", "contenterror"},
	{"policy-related", "policyviolation"}, {"message-expired", "expired"},
	{"invalid-sender", "rejected"},       {"protocol-errors", "syntaxerror"},
};

static const char *
sd_powermta_reason(const char *category)
{
	size_t i;

	for (i = 0; i < sizeof(sd_powermta_categories) / sizeof(sd_powermta_categories[0]); i++)
		if (strcasecmp(sd_powermta_categories[i].category, category) == 0)
			return sd_powermta_categories[i].reason;
	return NULL;
}

typedef struct sd_dsn_state {
	const sd_msgview *m;
	sd_rcpts *out;
	sd_rcpt *cur;
	int block, cur_block;
	const char *reporting_mta;
	const char *arrival;
	int powermta;  /* PowerMTA's own fields were seen */
} sd_dsn_state;

static void
sd_dsn_field(sd_dsn_state *s, const char *name, char *value)
{
	sd_arena *a = s->m->arena;
	const char *type;

	value = sd_trim(value);
	if (strcasecmp(name, "Final-Recipient") == 0 || strcasecmp(name, "Original-Recipient") == 0 ||
	    strcasecmp(name, "X-Actual-Recipient") == 0) {
		int final = strcasecmp(name, "Final-Recipient") == 0;
		char *addr = sd_clean_address(a, value);
		int orig = strcasecmp(name, "Original-Recipient") == 0;
		/* a new block, or a second recipient in a block missing its blank line */
		if (s->cur == NULL || s->cur_block != s->block || (final && s->cur->recipient != NULL) ||
		    (orig && s->cur->alias != NULL)) {
			s->cur = sd_rcpts_add(s->out, a);
			if (s->cur == NULL)
				return;
			s->cur_block = s->block;
		}
		/* delivery to a program ("|procmail ..."): the failure is the
		 * local mailer's, reported with a Unix exit status */
		if (!final && !orig && sd_typed_value(a, value, NULL)[0] == '|') {
			s->cur->diagtype = "X-Unix";
			if (s->cur->diag == NULL)
				s->cur->diag = sd_text_reply_line(s->m);
		}
		if (addr == NULL)
			return;
		if (final)
			s->cur->recipient = addr;
		else if (orig)
			s->cur->alias = addr;
		return;
	}
	if (strcasecmp(name, "Reporting-MTA") == 0) {
		s->reporting_mta = sd_arena_strdup(a, sd_typed_value(a, value, NULL));
		return;
	}
	if (strcasecmp(name, "Arrival-Date") == 0) {
		s->arrival = sd_arena_strdup(a, value);
		return;
	}
	if (strcasecmp(name, "Action") != 0 && strcasecmp(name, "Status") != 0 &&
	    strcasecmp(name, "Remote-MTA") != 0 && strcasecmp(name, "Diagnostic-Code") != 0 &&
	    strcasecmp(name, "Last-Attempt-Date") != 0 && strcasecmp(name, "X-PowerMTA-BounceCategory") != 0)
		return;
	/* per-recipient fields may come before Final-Recipient */
	if (s->cur == NULL || s->cur_block != s->block) {
		s->cur = sd_rcpts_add(s->out, a);
		if (s->cur == NULL)
			return;
		s->cur_block = s->block;
	}
	if (strcasecmp(name, "Action") == 0) {
		char *v = sd_arena_strdup(a, value);
		if (v) {
			char *sp = v;
			while (*sp && !sd_isspace((unsigned char)*sp) && *sp != '(')
				sp++;
			*sp = '\0';
			s->cur->action = sd_lower(v);
		}
	} else if (strcasecmp(name, "Status") == 0) {
		char code[16];
		if (sd_find_status(value, strlen(value), code))
			s->cur->status = sd_arena_strdup(a, code);
	} else if (strcasecmp(name, "Remote-MTA") == 0) {
		const char *v = sd_typed_value(a, value, NULL);
		if (*v)
			s->cur->rhost = sd_arena_strdup(a, v);
	} else if (strcasecmp(name, "Diagnostic-Code") == 0) {
		const char *v = sd_typed_value(a, value, &type);
		if (*v) {
			s->cur->diag = sd_arena_strdup(a, v);
			/* a program's failure stays X-Unix whatever the field says */
			if (!(s->cur->diagtype && strcmp(s->cur->diagtype, "X-Unix") == 0))
				s->cur->diagtype = type;
		}
	} else if (strcasecmp(name, "Last-Attempt-Date") == 0) {
		s->cur->date = sd_arena_strdup(a, value);
	} else if (strcasecmp(name, "X-PowerMTA-BounceCategory") == 0) {
		s->cur->reason = sd_powermta_reason(value);
		s->powermta = 1;
	}
}

static int
sd_decode_rfc3464(const sd_msgview *m, sd_rcpts *out)
{
	sd_dsn_state s;
	const char *p, *end;
	size_t before = out->n;
	sd_buf name, value;

	if (m->dsn == NULL)
		return 0;
	memset(&s, 0, sizeof(s));
	s.m = m;
	s.out = out;
	sd_buf_init(&name, 128);
	sd_buf_init(&value, SD_MAX_DIAG_BYTES);
	p = m->dsn;
	end = m->dsn + m->dsn_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *colon;

		if (le == p || (le - p == 1 && *p == '\r')) {
			/* blank line: the next recipient field opens a new block */
			s.block++;
			p = le + 1;
			continue;
		}
		colon = memchr(p, ':', (size_t)(le - p));
		if (colon == NULL || *p == ' ' || *p == '\t') {
			p = le + 1;
			continue; /* stray continuation or junk */
		}
		sd_buf_reset(&name);
		sd_buf_reset(&value);
		sd_buf_add(&name, p, (size_t)(colon - p));
		sd_buf_add(&value, colon + 1, (size_t)(le - colon - 1));
		p = le + 1;
		while (p < end && (*p == ' ' || *p == '\t')) {
			const char *cnl = memchr(p, '\n', (size_t)(end - p));
			const char *cle = cnl ? cnl : end;
			sd_buf_addc(&value, ' ');
			while (p < cle && (*p == ' ' || *p == '\t'))
				p++;
			sd_buf_add(&value, p, (size_t)(cle - p));
			p = cle + 1;
		}
		if (name.data && value.data)
			sd_dsn_field(&s, sd_trim(name.data), value.data);
		else if (name.data)
			sd_dsn_field(&s, sd_trim(name.data), (char[]){""});
	}
	sd_buf_free(&name);
	sd_buf_free(&value);

	/* drop blocks without any recipient address */
	{
		size_t i, o = before;
		sd_rcpts transcript;
		int transcript_read = 0;
		memset(&transcript, 0, sizeof(transcript));
		for (i = before; i < out->n; i++) {
			sd_rcpt *r = &out->v[i];
			if (r->recipient == NULL && r->alias != NULL) {
				r->recipient = r->alias;
				r->alias = NULL;
			}
			if (r->recipient == NULL)
				continue;
			if (r->lhost == NULL)
				r->lhost = s.reporting_mta;
			/* no Diagnostic-Code: Sendmail's transcript in the text
			 * part may say what the server (or mail.local) said */
			if (r->diag == NULL) {
				const sd_rcpt *t;
				if (!transcript_read) {
					/* read once, whatever the number of recipients */
					sd_decoder_sendmail.decode(m, &transcript);
					transcript_read = 1;
				}
				t = sd_rcpts_find(&transcript, 0, r->recipient);
				if (t && t->diag) {
					r->diag = t->diag;
					if (r->command == NULL)
						r->command = t->command;
				}
			}
			if (r->date == NULL)
				r->date = s.arrival;
			out->v[o++] = *r;
		}
		out->n = o;
	}
	if (out->n > before) {
		out->agent = s.powermta ? "PowerMTA" : "RFC3464";
		out->lhost = s.reporting_mta;
	}
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_rfc3464 = {"RFC3464", sd_decode_rfc3464};
