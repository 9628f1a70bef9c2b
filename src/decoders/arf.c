/*
 * arf.c - decoder for RFC 5965 feedback reports (spam complaints, ARF).
 *
 * One result per Original-Rcpt-To field of the message/feedback-report
 * part; when there is none, the To address of the reported message. The
 * reason is always "feedback"; feedbacktype is the Feedback-Type value.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Microsoft's junk mail reporting (JMRP) predates ARF: a plain multipart
 * whose message/rfc822 part is the reported message, with the address that
 * complained in an X-HmXmrOriginalRecipient header of that copy. */
static int
sd_decode_jmrp(const sd_msgview *m, sd_rcpts *out)
{
	const char *who = m->has_orig ? sd_headers_get(&m->orig, "X-HmXmrOriginalRecipient") : NULL;
	const char *subject = sd_headers_get(&m->top, "Subject");
	char *addr;
	sd_rcpt *r;

	if (who == NULL || subject == NULL || !sd_strcasestr(subject, "complaint about message"))
		return 0;
	addr = sd_clean_address(m->arena, who);
	if (addr == NULL || (r = sd_rcpts_add(out, m->arena)) == NULL)
		return 0;
	r->recipient = addr;
	r->reason = "feedback";
	r->feedbacktype = "abuse";
	r->date = sd_headers_get(&m->orig, "Date");
	r->rhost = sd_headers_get(&m->orig, "X-Reporter-IP");
	out->agent = "ARF";
	return 1;
}

static int
sd_decode_arf(const sd_msgview *m, sd_rcpts *out)
{
	sd_headers fields;
	const char *ftype, *arrival, *source;
	size_t i, before = out->n;

	if (m->feedback == NULL)
		return sd_decode_jmrp(m, out);
	sd_headers_parse_text(m->arena, m->feedback, m->feedback_len, &fields);
	ftype = sd_headers_get(&fields, "Feedback-Type");
	if (ftype == NULL)
		return 0;
	arrival = sd_headers_get(&fields, "Arrival-Date");
	if (arrival == NULL)
		arrival = sd_headers_get(&fields, "Received-Date");
	source = sd_headers_get(&fields, "Source-IP");
	for (i = 0; i < fields.n; i++) {
		sd_rcpt *r;
		char *addr;
		if (strcasecmp(fields.v[i].name, "Original-Rcpt-To") != 0 &&
		    strcasecmp(fields.v[i].name, "Removal-Recipient") != 0)
			continue;
		addr = sd_clean_address(m->arena, fields.v[i].value);
		if (addr == NULL || (r = sd_rcpts_add(out, m->arena)) == NULL)
			continue;
		r->recipient = addr;
	}
	if (out->n == before) {
		const char *to = m->has_orig ? sd_headers_get(&m->orig, "To") : NULL;
		char *addr = to ? sd_clean_address(m->arena, to) : NULL;
		sd_rcpt *r;
		/* a report about a message to undisclosed recipients still counts */
		if ((r = sd_rcpts_add(out, m->arena)) == NULL)
			return 0;
		r->recipient = addr;
	}
	for (i = before; i < out->n; i++) {
		sd_rcpt *r = &out->v[i];
		r->reason = "feedback";
		r->feedbacktype = sd_lower(sd_arena_strdup(m->arena, ftype));
		r->date = arrival;
		r->rhost = source;
		r->action = NULL;
	}
	out->agent = "ARF";
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_arf = {"ARF", sd_decode_arf};
