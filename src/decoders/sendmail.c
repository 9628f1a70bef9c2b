/*
 * sendmail.c - decoder for Sendmail's session transcripts (V5 and V8
 * bounces without a delivery-status part).
 *
 * Sendmail explains a failure with a transcript of the SMTP session:
 *
 *      ----- Transcript of session follows -----
 *   While talking to mx.example.org:             (V8: "... while talking")
 *   >>> RCPT To:<user@example.org>               what Sendmail sent
 *   <<< 550 5.1.1 <user@example.org>... Unknown  what the server answered
 *   550 5.1.1 <user@example.org>... User unknown the verdict per recipient
 *
 * A verdict line ("NNN <address>... text") names a failed recipient. When
 * its own text is Sendmail's summary ("Remote protocol error", "User
 * unknown"), the server's reply just before it in the transcript says more:
 * it becomes the diagnostic, and the command it answered is the SMTP stage.
 * Lines about a whole domain ("550 example.org (smtp)... 550 Host
 * unknown") are not recipients.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The SMTP command of a ">>> " line: its first word, upper-cased. */
static const char *
sd_transcript_command(const char *p, size_t len)
{
	static const char *const cmds[] = {"MAIL", "RCPT", "DATA", "HELO", "EHLO", "QUIT", "RSET", NULL};
	size_t i;

	for (i = 0; cmds[i]; i++)
		if (len >= 4 && strncasecmp(p, cmds[i], 4) == 0)
			return strcmp(cmds[i], "QUIT") == 0 || strcmp(cmds[i], "RSET") == 0 ? NULL : cmds[i];
	return NULL;
}

/* "NNN <address>... text": copies the address and returns the offset of
 * text, or 0 when the line is not a verdict about one address. */
static size_t
sd_verdict_line(const char *p, size_t len, char *addr, size_t addrsz)
{
	const char *dots;
	size_t s = 4, e;

	if (len < 10 || !(p[0] == '4' || p[0] == '5') || !sd_isdigit((unsigned char)p[1]) ||
	    !sd_isdigit((unsigned char)p[2]) || p[3] != ' ')
		return 0;
	/* an enhanced status code may follow the reply code */
	if (len > s + 5 && sd_isdigit((unsigned char)p[s]) && p[s + 1] == '.') {
		while (s < len && p[s] != ' ')
			s++;
		if (s >= len)
			return 0; /* the code ends the line: no address follows */
		s++;
	}
	dots = sd_memcasemem(p + s, len - s, "... ", 4);
	if (dots == NULL)
		dots = sd_memcasemem(p + s, len - s, "...", 3);
	if (dots == NULL)
		return 0;
	e = (size_t)(dots - p);
	if (s < len && p[s] == '<' && e > s + 1 && p[e - 1] == '>') {
		s++;
		e--;
	}
	if (e <= s || e - s >= addrsz || !memchr(p + s, '@', e - s))
		return 0;
	if (!sd_find_address(p + s, e - s, addr, addrsz) || strlen(addr) != e - s)
		return 0;
	e = (size_t)(dots - p) + 3;
	while (e < len && p[e] == ' ')
		e++;
	return e;
}

/* Postfix's transcript for the postmaster ("In:" what the client sent,
 * "Out:" what Postfix answered): the recipients are the RCPT TO
 * addresses, the diagnostic the first 4xx/5xx answer, the stage the
 * command it answered. */
static void
sd_decode_in_out(const sd_msgview *m, sd_rcpts *out)
{
	const char *p = m->body, *end = m->body + m->body_main_len;
	const char *cmd = NULL, *reply = NULL, *reply_cmd = NULL;
	size_t before = out->n, i;
	char addr[320], code[4];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p;
		size_t len;
		while (s < le && *s == ' ')
			s++;
		len = (size_t)(le - s);
		if (len > 4 && strncmp(s, "In: ", 4) == 0) {
			const char *c = s + 4;
			while (c < le && *c == ' ')
				c++;
			cmd = sd_transcript_command(c, (size_t)(le - c));
			/* RCPT TO:<address> on this line or the folded next */
			if (cmd && strcmp(cmd, "RCPT") == 0 &&
			    sd_find_address(c, (size_t)(le - c), addr, sizeof(addr))) {
				sd_rcpt *r;
				if (sd_rcpts_find(out, before, addr) == NULL && (r = sd_rcpts_add(out, m->arena)) != NULL)
					r->recipient = sd_arena_strdup(m->arena, addr);
			}
		} else if (reply == NULL && len > 5 && strncmp(s, "Out: ", 5) == 0 &&
			   (s[5] == '4' || s[5] == '5') && sd_find_replycode(s + 5, len - 5, code)) {
			reply = sd_arena_strndup(m->arena, s + 5, len - 5);
			reply_cmd = cmd;
		}
		p = le + 1;
	}
	if (reply == NULL) {
		out->n = before;
		return;
	}
	for (i = before; i < out->n; i++) {
		out->v[i].diag = reply;
		out->v[i].command = reply_cmd ? reply_cmd : "";
		out->v[i].diagtype = "SMTP";
		out->v[i].action = "failed";
	}
	if (out->n > before)
		out->agent = "Postfix";
}

static int
sd_decode_sendmail(const sd_msgview *m, sd_rcpts *out)
{
	const char *end = m->body + m->body_main_len;
	const char *p = sd_line_after(m->body, m->body_main_len, "transcript of session follows");
	const char *cmd = NULL, *rcpt_to = NULL, *host = NULL;
	size_t before = out->n;
	sd_buf reply;
	char addr[320];

	if (p == NULL)
		return 0;
	sd_buf_init(&reply, SD_MAX_DIAG_BYTES);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p;
		size_t len, off;
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
		len = (size_t)(le - s);
		if (len >= 5 && sd_memcasemem(s, len < 24 ? len : 24, "talking to ", 11)) {
			const char *h = sd_memcasemem(s, len, "talking to ", 11) + 11;
			const char *he = h;
			while (he < le && *he != ':' && *he != ' ' && *he != '>')
				he++;
			while (he > h && he[-1] == '.')
				he--;
			host = sd_arena_strndup(m->arena, h, (size_t)(he - h));
			cmd = rcpt_to = NULL;
			sd_buf_reset(&reply);
		} else if (len > 4 && strncmp(s, ">>> ", 4) == 0) {
			cmd = sd_transcript_command(s + 4, len - 4);
			rcpt_to = NULL;
			if (cmd && strcmp(cmd, "RCPT") == 0 && sd_find_address(s + 4, len - 4, addr, sizeof(addr)))
				rcpt_to = sd_arena_strdup(m->arena, addr);
			sd_buf_reset(&reply);
		} else if (len > 4 && strncmp(s, "<<< ", 4) == 0) {
			if (reply.len)
				sd_buf_addc(&reply, ' ');
			sd_buf_add(&reply, s + 4, len - 4);
		} else if (len > 0 && !sd_isdigit((unsigned char)s[0]) && s[0] != '<' &&
			   (off = sd_verdict_line(s, len, addr, sizeof(addr))) == 0 &&
			   memchr(s, ':', len) != NULL && len < 200) {
			/* a local delivery agent's own words before the verdict
			 * ("mail.local: unknown user: bob") say why, too */
			if (reply.len)
				sd_buf_addc(&reply, ' ');
			sd_buf_add(&reply, s, len);
		} else if ((off = sd_verdict_line(s, len, addr, sizeof(addr))) != 0) {
			sd_rcpt *r = sd_rcpts_find(out, before, addr);
			char code[4];
			if (r == NULL) {
				if ((r = sd_rcpts_add(out, m->arena)) == NULL)
					break;
				r->recipient = sd_arena_strdup(m->arena, addr);
			}
			r->action = "failed";
			r->diagtype = "SMTP";
			/* the server's answer says more than Sendmail's verdict,
			 * unless the verdict quotes a reply of its own */
			r->command = ""; /* no stage unless the transcript names one */
			if (reply.len && !sd_find_replycode(s + off, len - off, code) &&
			    (rcpt_to == NULL || strcasecmp(rcpt_to, addr) == 0)) {
				char *verdict = sd_arena_strndup(m->arena, s + off, len - off);
				if (verdict && !sd_strcasestr(reply.data, verdict)) {
					sd_buf_addc(&reply, ' ');
					sd_buf_adds(&reply, verdict);
				}
				r->diag = sd_arena_strdup(m->arena, reply.data);
				r->command = cmd;
				r->rhost = host;
				sd_buf_reset(&reply);
			} else {
				/* "NNN <a>... text": keep the verdict's code with it */
				if (sd_find_replycode(s + off, len - off, code))
					r->diag = sd_arena_strndup(m->arena, s + off, len - off);
				else
					r->diag = sd_arena_strndup(m->arena, s, len);
			}
		}
		p = le + 1;
	}
	sd_buf_free(&reply);
	if (out->n > before)
		out->agent = "Sendmail";
	else
		sd_decode_in_out(m, out);
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_sendmail = {"Sendmail", sd_decode_sendmail};
