/*
 * rfc3834.c - decoder for automatic replies (RFC 3834): out-of-office and
 * vacation messages. Runs only when no bounce decoder found anything,
 * because bounces carry "Auto-Submitted: auto-replied" too.
 *
 * Signals: Auto-Submitted: auto-replied, X-Autoreply/X-Autorespond,
 * Precedence: auto_reply, and subject prefixes that mail clients and
 * servers put on automatic replies. The result's recipient is the address
 * that replied (the From of the auto-reply); the reason is "vacation".
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const char *const sd_autoreply_subjects[] = {
	"auto:", "auto reply", "auto-reply", "autoreply", "automatic reply",
	"auto response", "autoresponse", "automatic response", "out of office",
	"out of the office", "out-of-office", "away from", "on vacation",
	"vacation", "abwesenheitsnotiz", "absence", "away until", "re: auto",
	NULL,
};

static int
sd_is_bounce_sender(const char *from)
{
	return from && (sd_strcasestr(from, "mailer-daemon") || sd_strcasestr(from, "postmaster"));
}

static int
sd_decode_rfc3834(const sd_msgview *m, sd_rcpts *out)
{
	const char *auto_sub = sd_headers_get(&m->top, "Auto-Submitted");
	const char *subject = sd_headers_get(&m->top, "Subject");
	const char *from = sd_headers_get(&m->top, "From");
	const char *prec = sd_headers_get(&m->top, "Precedence");
	int signal = 0;
	sd_rcpt *r;
	char *addr;
	size_t i;

	if (sd_is_bounce_sender(from) || sd_looks_like_bounce(m))
		return 0;
	if (auto_sub && sd_strcasestr(auto_sub, "auto-replied"))
		signal = 1;
	if (sd_headers_get(&m->top, "X-Autoreply") || sd_headers_get(&m->top, "X-Autorespond"))
		signal = 1;
	if (prec && sd_strcasestr(prec, "auto_reply"))
		signal = 1;
	if (subject && !signal) {
		for (i = 0; sd_autoreply_subjects[i]; i++)
			if (sd_strcaseprefix(subject, sd_autoreply_subjects[i]) ||
			    (strlen(sd_autoreply_subjects[i]) > 8 && sd_strcasestr(subject, sd_autoreply_subjects[i])))
				signal = 1;
	}
	if (!signal)
		return 0;
	addr = from ? sd_clean_address(m->arena, from) : NULL;
	if (addr == NULL || (r = sd_rcpts_add(out, m->arena)) == NULL)
		return 0;
	r->recipient = addr;
	r->reason = "vacation";
	r->diag = m->body_main_len ? sd_arena_strndup(m->arena, m->body,
						      m->body_main_len < 512 ? m->body_main_len : 512)
				   : NULL;
	out->agent = "RFC3834";
	return 1;
}

const sd_decoder sd_decoder_rfc3834 = {"RFC3834", sd_decode_rfc3834};
