/*
 * googlegroups.c - decoder for Google Groups posting refusals.
 *
 * When a message to a Google group cannot be posted (the group does not
 * exist, or the sender may not post to it), Google's mailer answers with a
 * plain-text notice in the sender's language, an X-Failed-Recipients
 * header naming the group address, and a pointer to the Groups help
 * centre (groups.google.com). The wording changes with the language; the
 * header and the help link do not, so those are what this decoder looks
 * for. The refusal is about the sender's right to post: reason "rejected".
 */
#include <string.h>

#include "internal.h"

/* The first paragraph of the notice that says something: the sentence
 * after the greeting ("... group you tried to contact may not exist ..."). */
static const char *
sd_groups_notice(const sd_msgview *m)
{
	const char *p = m->body, *end = m->body + m->body_main_len;
	int paragraphs = 0;

	while (p < end && paragraphs < 4) {
		const char *s, *e;
		while (p < end && (*p == '\n' || *p == ' '))
			p++;
		s = p;
		e = sd_memcasemem(s, (size_t)(end - s), "\n\n", 2);
		if (e == NULL)
			e = end;
		/* skip a one-line greeting such as "user@example.org 様" */
		if (memchr(s, '\n', (size_t)(e - s)) != NULL || (size_t)(e - s) > 80)
			return sd_arena_strndup(m->arena, s, (size_t)(e - s) < 1024 ? (size_t)(e - s) : 1024);
		p = e;
		paragraphs++;
	}
	return NULL;
}

static int
sd_decode_googlegroups(const sd_msgview *m, sd_rcpts *out)
{
	const char *failed = sd_headers_get(&m->top, "X-Failed-Recipients");
	const char *from = sd_headers_get(&m->top, "From");
	const char *q, *notice;
	size_t before = out->n;
	char addr[320];

	if (failed == NULL || from == NULL || !sd_strcasestr(from, "google"))
		return 0;
	if (!sd_memcasemem(m->body, m->body_main_len, "groups.google.com", 17))
		return 0;
	notice = sd_groups_notice(m);
	for (q = failed; *q;) {
		const char *comma = strchr(q, ',');
		size_t l = comma ? (size_t)(comma - q) : strlen(q);
		sd_rcpt *r;
		if (sd_find_address(q, l, addr, sizeof(addr)) && (r = sd_rcpts_add(out, m->arena))) {
			r->recipient = sd_arena_strdup(m->arena, addr);
			r->reason = "rejected";
			r->diag = notice;
			r->action = "failed";
		}
		if (comma == NULL)
			break;
		q = comma + 1;
	}
	if (out->n > before)
		out->agent = "GoogleGroups";
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_googlegroups = {"GoogleGroups", sd_decode_googlegroups};
