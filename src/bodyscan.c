/*
 * bodyscan.c - one pass over a bounce's text for every phrase list that
 * reads all of it.
 *
 * Three questions are asked of the whole readable text of a bounce: where
 * does an inline copy of the original message start (a marker line such as
 * "------ This is a copy of the message ------"), which SMTP stage does
 * the text name ("after RCPT TO", "in reply to end of DATA command"), and
 * which MTA's opening sentence does it start with ("This is the mail
 * system at host"). Their phrase lists are compiled into one automaton
 * (sd_phrasegroup) and the text is read once, up to the first marker line:
 * what follows the marker is the original message, which answers none of
 * the questions. The scan is linear in the text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* ---- where the copy of the original message starts -------------------- */

static const char *const sd_original_markers[] = {
	"this is a copy of the message",
	"this is a copy of your message",
	"below this line is a copy of the message",
	"below is a copy of the original message",
	"original message follows",
	"original message -----",
	"original message ---",
	"original message:",
	"unsent message below",
	"the header of the original message",
	"header of the original message",
	"message header follows",
	"message headers follow",
	"the original message headers",
	"returned message follows",
	"content-type: message/rfc822",
	"original message",
};

static sd_phraselist sd_original_list = SD_PHRASELIST_STRINGS(sd_original_markers);

typedef struct sd_marker_hit {
	const char *body;
	size_t len;
	const char *line; /* start of the first marker line found */
} sd_marker_hit;

/* Is the marker at the start of its line (after rule characters), and, for
 * the bare "original message", the whole line? */
static int
sd_marker_line(void *ctx, int phrase, size_t end)
{
	sd_marker_hit *h = ctx;
	const char *marker = sd_original_markers[phrase];
	size_t ml = strlen(marker);
	const char *e = h->body + end, *ls = e, *q, *le, *t;

	while (ls > h->body && ls[-1] != '\n')
		ls--;
	q = ls;
	while (q < e && (*q == ' ' || *q == '\t' || *q == '-' || *q == '=' || *q == '*' || *q == '_'))
		q++;
	le = memchr(q, '\n', h->len - (size_t)(q - h->body));
	if (le == NULL)
		le = h->body + h->len;
	if ((size_t)(le - q) < ml || strncasecmp(q, marker, ml) != 0)
		return 0;
	if ((size_t)phrase + 1 == sizeof(sd_original_markers) / sizeof(sd_original_markers[0])) {
		for (t = q + ml; t < le && (*t == ' ' || *t == '-' || *t == ':' || *t == '='); t++)
			;
		if (t != le)
			return 0;
	}
	h->line = ls;
	return 1; /* hits come in text order: the first good one is the earliest */
}

/* ---- the SMTP stage a text names --------------------------------------- */

typedef struct sd_command_sign {
	const char *text;
	const char *command;
} sd_command_sign;

static const sd_command_sign sd_command_signs[] = {
	{"after end of data", "DATA"},
	{"end of data command", "DATA"},
	{"after data", "DATA"},
	{"to data command", "DATA"},
	{">>> data", "DATA"},
	{"after rcpt to", "RCPT"},
	{"rcpt to command", "RCPT"},
	{">>> rcpt to", "RCPT"},
	{"after mail from", "MAIL"},
	{"mail from command", "MAIL"},
	{">>> mail from", "MAIL"},
	{"after initial connection", "CONN"},
	{"refused to talk to me", "CONN"},
	{"while receiving the initial server greeting", "CONN"},
	{"while performing the helo handshake", "HELO"},
	{"while performing the ehlo handshake", "EHLO"},
	{"while sending mail from", "MAIL"},
	{"while sending rcpt to", "RCPT"},
	{"while sending data command", "DATA"},
	{"while sending message content", "DATA"},
	{"while sending end of data", "DATA"},
	{"after rcpt command", "RCPT"},
	{"smtp:rcpt host", "RCPT"},
	{"after helo", "HELO"},
	{"after ehlo", "EHLO"},
	{"after starttls", "STARTTLS"},
	{"after auth", "AUTH"},
	{"in reply to end of data", "DATA"},
	{"in reply to data", "DATA"},
	{"in reply to rcpt", "RCPT"},
	{"in reply to mail", "MAIL"},
	{"did not like our final data", "DATA"},
	{"did not like our rcpt", "RCPT"},
	{"does not like recipient", "RCPT"},
	{"failed on data command", "DATA"},
	{"failed after i sent the message", "DATA"},
	{"did not like our mail", "MAIL"},
	{"but sender was rejected", "MAIL"},
	{"but my name was rejected", "HELO"},
	{NULL, NULL},
};

static sd_phraselist sd_command_list = SD_PHRASELIST(sd_command_signs, sd_command_sign, text);

const char *
sd_find_command_n(const char *text, size_t len)
{
	int i = sd_phraselist_first(&sd_command_list, text, len);

	return i >= 0 ? sd_command_signs[i].command : NULL;
}

/* ---- the pass --------------------------------------------------------- */

enum { SD_LIST_MARKERS, SD_LIST_COMMANDS, SD_LIST_MTA, SD_NLISTS };

static sd_phraselist *const sd_body_lists[SD_NLISTS] = {
	&sd_original_list, &sd_command_list, &sd_mta_body_list,
};
static sd_phrasegroup sd_body_group = {sd_body_lists, SD_NLISTS, NULL, NULL, NULL};

#define SD_NCOMMANDS (sizeof(sd_command_signs) / sizeof(sd_command_signs[0]))
#define SD_MTA_BODY_MAX 64

typedef struct sd_body_hits {
	sd_marker_hit marker;
	size_t command_end[SD_NCOMMANDS]; /* earliest end of each wording, 0: none */
	size_t mta_end[SD_MTA_BODY_MAX];
} sd_body_hits;

static int
sd_body_hit(void *ctx, int list, int phrase, size_t end)
{
	sd_body_hits *h = ctx;

	switch (list) {
	case SD_LIST_MARKERS:
		return sd_marker_line(&h->marker, phrase, end); /* stop at the first */
	case SD_LIST_COMMANDS:
		if ((size_t)phrase < SD_NCOMMANDS && h->command_end[phrase] == 0)
			h->command_end[phrase] = end;
		break;
	case SD_LIST_MTA:
		if (phrase < SD_MTA_BODY_MAX && h->mta_end[phrase] == 0)
			h->mta_end[phrase] = end;
		break;
	default:
		break;
	}
	return 0;
}

void
sd_scan_body(sd_msgview *m)
{
	sd_body_hits *h = calloc(1, sizeof(*h));
	const char *end = m->body + m->body_len, *nl, *hd;
	size_t i, mta_limit;

	m->body_main_len = m->body_len;
	m->body_command = NULL;
	m->mta_body_sign = -1;
	if (h == NULL)
		return;
	h->marker.body = m->body;
	h->marker.len = m->body_len;
	sd_phrasegroup_each(&sd_body_group, m->body, m->body_len, sd_body_hit, h);
	if (h->marker.line != NULL) {
		m->body_main_len = (size_t)(h->marker.line - m->body);
		nl = memchr(h->marker.line, '\n', (size_t)(end - h->marker.line));
		hd = nl ? nl + 1 : end;
		while (hd < end && (*hd == '\n' || *hd == ' '))
			hd++;
		if (!m->has_orig && hd < end) {
			sd_headers_parse_text(m->arena, hd, (size_t)(end - hd), &m->orig);
			m->has_orig = m->orig.n > 0;
		}
	}
	/* only wordings that lie wholly before the copy of the original */
	for (i = 0; i < SD_NCOMMANDS; i++)
		if (h->command_end[i] && h->command_end[i] <= m->body_main_len) {
			m->body_command = sd_command_signs[i].command;
			break;
		}
	mta_limit = m->body_main_len < SD_MTA_BODY_SCAN ? m->body_main_len : SD_MTA_BODY_SCAN;
	for (i = 0; i < SD_MTA_BODY_MAX; i++)
		if (h->mta_end[i] && h->mta_end[i] <= mta_limit) {
			m->mta_body_sign = (int)i;
			break;
		}
	free(h);
}
