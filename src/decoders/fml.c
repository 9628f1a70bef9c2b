/*
 * fml.c - decoder for error notices of the fml mailing list manager.
 *
 * fml (X-MLServer: fml ...) tells a list's sender or administrator when it
 * refused or dropped a posting: a loop (a Message-ID it has seen before),
 * a poster who is not a member, a command it does not allow. The notice
 * names the list address in its first lines. The kind of refusal is in
 * the Subject and the first paragraph; the table maps their wording.
 */
#include <string.h>

#include "internal.h"

static const struct {
	const char *words;
	const char *reason;
} sd_fml_notices[] = {
	{"loop alert", "systemerror"},
	{"duplicated message-id", "systemerror"},
	{"not a member", "rejected"},
	{"not member", "rejected"},
	{"members only", "rejected"},
	{"message size", "mesgtoobig"},
	{"too big", "mesgtoobig"},
	{NULL, NULL},
};

static int
sd_decode_fml(const sd_msgview *m, sd_rcpts *out)
{
	const char *ml = sd_headers_get(&m->top, "X-MLServer");
	const char *subject = sd_headers_get(&m->top, "Subject");
	size_t n = m->body_main_len < 1024 ? m->body_main_len : 1024, i;
	const char *reason = NULL, *para_end;
	char addr[320];
	sd_rcpt *r;

	if (ml == NULL || !sd_strcasestr(ml, "fml"))
		return 0;
	for (i = 0; sd_fml_notices[i].words && reason == NULL; i++)
		if ((subject && sd_strcasestr(subject, sd_fml_notices[i].words)) ||
		    sd_memcasemem(m->body, n, sd_fml_notices[i].words, strlen(sd_fml_notices[i].words)))
			reason = sd_fml_notices[i].reason;
	if (reason == NULL)
		return 0;
	para_end = sd_memcasemem(m->body, n, "\n\n", 2);
	if (para_end)
		n = (size_t)(para_end - m->body);
	if (!sd_find_address(m->body, n, addr, sizeof(addr)) || (r = sd_rcpts_add(out, m->arena)) == NULL)
		return 0;
	r->recipient = sd_arena_strdup(m->arena, addr);
	r->reason = reason;
	r->diag = sd_arena_strndup(m->arena, m->body, n);
	r->action = "failed";
	out->agent = "FML";
	return 1;
}

const sd_decoder sd_decoder_fml = {"FML", sd_decode_fml};
