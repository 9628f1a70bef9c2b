/*
 * textblocks.c - decoder for plain-text bounces (Exim, qmail, Postfix
 * without a DSN part, OpenSMTPD, Gmail, Exchange and most others).
 *
 * Plain-text bounces list each failed address at the start of a line,
 * possibly in angle brackets, followed by the reason: on the same line
 * after a colon ("<user@example.org>: 550 ..."), after "..." (Sendmail),
 * or on the more indented lines below it (Exim). This decoder finds those
 * recipient lines in the bounce text (before the copy of the original
 * message), and takes the lines that follow, up to a blank line or the
 * next recipient line, as the diagnostic. When the block holds no reason,
 * the first line of the bounce that carries an SMTP reply is used.
 * Exim's X-Failed-Recipients header, when present, names the recipients.
 * The agent name comes from the wording that each MTA's bounce opens with.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

#define SD_BLOCK_MAX_LINES 24

static const char *
sd_detect_agent(const sd_msgview *m)
{
	const char *mta = sd_identify_mta(m, NULL);

	return mta ? mta : "TextBounce";
}

/* Addresses that are never the failed recipient: the bounce's own sender
 * and, for free-text scans (strict), its To (the original sender) and the
 * returned message's From. */
static int
sd_excluded_how(const sd_msgview *m, const char *addr, int strict)
{
	const char *from = sd_headers_get(&m->top, "From");
	const char *to = sd_headers_get(&m->top, "To");
	const char *ofrom = m->has_orig ? sd_headers_get(&m->orig, "From") : NULL;

	if (sd_strcaseprefix(addr, "mailer-daemon@") || sd_strcaseprefix(addr, "mailer_daemon@"))
		return 1;
	if (from && sd_strcasestr(from, addr))
		return 1;
	if (!strict)
		return 0;
	if (sd_strcaseprefix(addr, "postmaster@"))
		return 1;
	if (to && sd_strcasestr(to, addr))
		return 1;
	if (ofrom && sd_strcasestr(ofrom, addr))
		return 1;
	return 0;
}

static int
sd_excluded(const sd_msgview *m, const char *addr)
{
	return sd_excluded_how(m, addr, 1);
}

/* If line starts (after blanks) with an address, copy it and return the
 * offset just past it (and past a closing '>'), else 0. */
static size_t
sd_leading_address(const char *line, size_t len, char *addr, size_t addrsz)
{
	size_t i = 0, s, e;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && (line[i] == '<' || line[i] == '"'))
		i++;
	s = i;
	while (i < len && line[i] != '@' && line[i] != ' ' && line[i] != '\t' && line[i] != '<' &&
	       line[i] != '>' && line[i] != ':' && line[i] != ',' && line[i] != '(')
		i++;
	if (i >= len || line[i] != '@' || i == s)
		return 0;
	i++;
	while (i < len && (sd_isalnum((unsigned char)line[i]) || line[i] == '.' || line[i] == '-' ||
			   line[i] == '_' || (unsigned char)line[i] >= 0x80))
		i++;
	e = i;
	while (e > s && line[e - 1] == '.')
		e--;
	if (!sd_find_address(line + s, e - s, addr, addrsz))
		return 0;
	if (strlen(addr) != e - s)
		return 0;
	if (i < len && (line[i] == '>' || line[i] == '"'))
		i++;
	/* what may follow a recipient: nothing, ':', '...', '(', ' on ', ',' */
	{
		size_t j = i;
		while (j < len && (line[j] == ' ' || line[j] == '\t'))
			j++;
		if (j >= len || line[j] == ':' || line[j] == '(' || line[j] == ',' || line[j] == '[' ||
		    (len - j >= 3 && memcmp(line + j, "...", 3) == 0) ||
		    (len - j >= 3 && (memcmp(line + j, "on ", 3) == 0)) ||
		    (len - j >= 2 && line[j] == '-' && line[j + 1] == '-'))
			return i;
	}
	return 0;
}

static size_t
sd_indent(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i;
}

/* First line with an SMTP reply code, joined with its continuation:
 * "550-5.7.26 text" lines up to the "550 " line, or indented lines. */
static const char *
sd_reply_line(const sd_msgview *m)
{
	const char *p = m->body, *end = m->body + m->body_main_len;
	char code[4];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (sd_find_replycode(p, (size_t)(le - p), code) && code[0] != '2') {
			sd_buf b;
			const char *r, *q = le;
			size_t more = 0;
			int multi = (size_t)(le - p) > 3 && memcmp(p, code, 3) == 0 && p[3] == '-';
			sd_buf_init(&b, SD_MAX_DIAG_BYTES);
			sd_buf_add(&b, p, (size_t)(le - p));
			while (q < end && more < 16) {
				const char *l2 = q + 1;
				const char *n2 = l2 < end ? memchr(l2, '\n', (size_t)(end - l2)) : NULL;
				const char *e2 = n2 ? n2 : end;
				if (e2 <= l2)
					break;
				if (multi && (size_t)(e2 - l2) >= 4 && memcmp(l2, code, 3) == 0 &&
				    (l2[3] == '-' || l2[3] == ' ')) {
					sd_buf_addc(&b, ' ');
					sd_buf_add(&b, l2 + 4, (size_t)(e2 - l2 - 4));
					if (l2[3] == ' ')
						multi = 0;
				} else if (!multi && sd_indent(l2, (size_t)(e2 - l2)) > 0) {
					sd_buf_addc(&b, ' ');
					sd_buf_add(&b, l2, (size_t)(e2 - l2));
				} else {
					break;
				}
				q = e2;
				more++;
			}
			r = b.data ? sd_arena_strdup(m->arena, sd_trim(b.data)) : NULL;
			sd_buf_free(&b);
			return r;
		}
		p = le + 1;
	}
	return NULL;
}

/* Does the line's first word (after blanks and a '<') hold an address?
 * Looser than sd_leading_address: whatever follows the address. */
static int
sd_first_token_address(const char *line, size_t len, char *addr, size_t addrsz)
{
	size_t i = 0, s;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && (line[i] == '<' || line[i] == '"'))
		i++;
	s = i;
	while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '>' && line[i] != ':' &&
	       line[i] != ',' && line[i] != '"')
		i++;
	if (i == s || !memchr(line + s, '@', i - s))
		return 0;
	return sd_find_address(line + s, i - s, addr, addrsz) && strlen(addr) == i - s;
}

/* The line of the bounce text that names addr, with the non-blank lines
 * after it (at most 5): the sentence that says what happened to it. */
const char *
sd_text_context(const sd_msgview *m, const char *addr)
{
	const char *hit = addr ? sd_memcasemem(m->body, m->body_main_len, addr, strlen(addr)) : NULL;
	const char *end = m->body + m->body_main_len, *s, *e;
	int lines = 0;

	if (hit == NULL)
		return NULL;
	s = hit;
	while (s > m->body && s[-1] != '\n')
		s--;
	e = hit;
	while (e < end && lines < 6) {
		const char *nl = memchr(e, '\n', (size_t)(end - e));
		const char *le = nl ? nl : end;
		char other[320];
		if (le == e || sd_indent(e, (size_t)(le - e)) == (size_t)(le - e))
			break;
		/* the next recipient's own line ends this one's context */
		if (lines > 0 && sd_first_token_address(e, (size_t)(le - e), other, sizeof(other)) &&
		    strcasecmp(other, addr) != 0)
			break;
		e = nl ? nl + 1 : end;
		lines++;
	}
	return sd_arena_strndup(m->arena, s, (size_t)(e - s));
}

const char *
sd_text_reply_line(const sd_msgview *m)
{
	return sd_reply_line(m);
}

/* Does the line holding pos start with a header that names a message or
 * its sender (Message-ID, References, From, ...)? Addresses there are not
 * failed recipients. Quoting ("> ") is skipped. */
static int
sd_on_id_or_sender_line(const char *body, const char *pos)
{
	static const char *const names[] = {
		"message-id:", "references:", "in-reply-to:", "return-path:", "from:",
		"sender:", "reply-to:", "errors-to:", "received:", "dkim-signature:",
		"list-", "x-original-message-id:", "resent-message-id:", NULL,
	};
	const char *s = pos;
	size_t i;

	while (s > body && s[-1] != '\n' && pos - s < 998)
		s--;
	while (*s == '>' || *s == ' ' || *s == '\t')
		s++;
	for (i = 0; names[i]; i++)
		if (sd_strcaseprefix(s, names[i]))
			return 1;
	return 0;
}

/* The notice's own explanation when it names no recipient in a block
 * (Gmail's "** Message not delivered **" form): its first paragraphs and,
 * when it quotes one, the server's response, at most 1 KB. */
static const char *
sd_notice_text(const sd_msgview *m)
{
	const char *p = m->body, *end = m->body + m->body_main_len;
	sd_buf b;
	const char *r;
	int paras = 0;

	sd_buf_init(&b, 1024);
	while (p < end && paras < 3) {
		const char *e;
		while (p < end && (*p == '\n' || *p == ' '))
			p++;
		if (p >= end)
			break;
		e = sd_memcasemem(p, (size_t)(end - p), "\n\n", 2);
		if (e == NULL)
			e = end;
		if (!sd_strcaseprefix(p, "learn more")) {
			if (b.len)
				sd_buf_addc(&b, ' ');
			sd_buf_add(&b, p, (size_t)(e - p));
			paras++;
		}
		p = e;
	}
	r = b.len ? sd_arena_strdup(m->arena, b.data) : NULL;
	sd_buf_free(&b);
	return r;
}

/* Sentences that name the failed recipient right after them, on the same
 * line: "There was an error delivering your mail to <user@example.org>."
 * Whatever address follows is the recipient, even postmaster@. */
static const char *const sd_recipient_sentences[] = {
	"error delivering your mail to",
	"could not be delivered to",
	"couldn't be delivered to",
	"unable to deliver your message to",
	"did not reach the following recipient:",
	NULL,
};

static void
sd_sentence_recipients(const sd_msgview *m, sd_rcpts *out)
{
	const char *end = m->body + m->body_main_len;
	char addr[320];
	size_t i;

	for (i = 0; sd_recipient_sentences[i]; i++) {
		size_t sl = strlen(sd_recipient_sentences[i]);
		const char *hit = sd_memcasemem(m->body, m->body_main_len, sd_recipient_sentences[i], sl);
		const char *le;
		sd_rcpt *r;
		if (hit == NULL)
			continue;
		hit += sl;
		le = memchr(hit, '\n', (size_t)(end - hit));
		if (le == NULL)
			le = end;
		if (!sd_find_address(hit, (size_t)(le - hit), addr, sizeof(addr)) ||
		    (r = sd_rcpts_add(out, m->arena)) == NULL)
			continue;
		r->recipient = sd_arena_strdup(m->arena, addr);
		/* the paragraph after the sentence says why */
		{
			const char *p = le, *stop;
			while (p < end && (*p == '\n' || *p == ' '))
				p++;
			stop = sd_memcasemem(p, (size_t)(end - p), "\n\n", 2);
			if (stop == NULL)
				stop = end;
			if (stop > p)
				r->diag = sd_arena_strndup(m->arena, p, (size_t)(stop - p) < 1024 ? (size_t)(stop - p) : 1024);
			else /* nothing more: the sentence is all the writer said */
				r->diag = sd_arena_strndup(m->arena, hit - sl, (size_t)(le - (hit - sl)));
		}
		return;
	}
}

/* No recipient line: take the addresses the bounce text names (not the
 * sender's own), or failing that the To of the returned message. */
static void
sd_fallback_recipients(const sd_msgview *m, sd_rcpts *out, size_t before)
{
	const char *p = m->body, *end = m->body + m->body_main_len;
	char addr[320];
	size_t found = 0;

	while (p < end && found < 16) {
		const char *at = memchr(p, '@', (size_t)(end - p));
		const char *s;
		if (at == NULL)
			break;
		s = at;
		while (s > p && !sd_isspace((unsigned char)s[-1]) && s[-1] != '<' && s[-1] != '"' &&
		       s[-1] != '(' && s[-1] != ':' && s[-1] != '[')
			s--;
		if (!sd_on_id_or_sender_line(m->body, at) &&
		    sd_find_address(s, (size_t)(end - s) < 320 ? (size_t)(end - s) : 320, addr, sizeof(addr)) &&
		    !sd_excluded(m, addr)) {
			if (sd_rcpts_find(out, before, addr) == NULL) {
				sd_rcpt *r = sd_rcpts_add(out, m->arena);
				if (r == NULL)
					return;
				r->recipient = sd_arena_strdup(m->arena, addr);
				r->diag = sd_text_context(m, addr);
				r->diag_guessed = 1;
				found++;
			}
			/* the first address of a line is the one the line is
			 * about; later ones describe it ("user@example.org
			 * <other@example.net>: malformed address: <other@...>
			 * may not follow ...") */
			{
				const char *nl = memchr(at, '\n', (size_t)(end - at));
				p = nl ? nl + 1 : end;
				continue;
			}
		}
		p = at + 1;
	}
	if (out->n == before && m->has_orig) {
		const char *to = sd_headers_get(&m->orig, "To");
		char *a = to ? sd_clean_address(m->arena, to) : NULL;
		sd_rcpt *r;
		if (a && !sd_excluded(m, a) && (r = sd_rcpts_add(out, m->arena))) {
			r->recipient = a;
			r->diag = sd_arena_strndup(m->arena, m->body,
						   m->body_main_len < 600 ? m->body_main_len : 600);
			r->diag_guessed = 1;
		}
	}
}

/* Recipients seen so far, by address (ASCII case folded): a linear scan
 * for the first few, then a hash table, so that a bounce listing thousands
 * of addresses stays linear. Slots hold result index + 1; 0 is empty. */
#define SD_RCPT_SCAN 32
#define SD_RCPT_SLOTS 32768 /* a power of two above 2 * SD_MAX_RECIPIENTS */

typedef struct sd_rcpt_index {
	uint32_t *slot;
	size_t used;
} sd_rcpt_index;

static uint32_t
sd_addr_hash(const char *a)
{
	uint32_t h = 2166136261u;

	for (; *a; a++)
		h = (h ^ (uint32_t)sd_tolower((unsigned char)*a)) * 16777619u;
	return h;
}

static void
sd_rcpt_remember(sd_rcpt_index *ix, const sd_msgview *m, const sd_rcpts *out, size_t before, size_t i)
{
	uint32_t h;

	if (ix->slot == NULL) {
		size_t k;
		if (out->n - before <= SD_RCPT_SCAN)
			return;
		ix->slot = sd_arena_alloc(m->arena, SD_RCPT_SLOTS * sizeof(uint32_t));
		if (ix->slot == NULL)
			return;
		/* the ones found before the table existed */
		for (k = before; k < i; k++)
			sd_rcpt_remember(ix, m, out, before, k);
	}
	if (ix->used >= SD_RCPT_SLOTS / 2)
		return;
	for (h = sd_addr_hash(out->v[i].recipient) & (SD_RCPT_SLOTS - 1); ix->slot[h];
	     h = (h + 1) & (SD_RCPT_SLOTS - 1))
		;
	ix->slot[h] = (uint32_t)i + 1;
	ix->used++;
}

/* Index of the result for addr, or (size_t)-1. */
static size_t
sd_rcpt_lookup(const sd_rcpt_index *ix, const sd_rcpts *out, size_t before, const char *addr)
{
	uint32_t h;

	if (ix->slot == NULL) {
		const sd_rcpt *r = sd_rcpts_find(out, before, addr);
		return r ? (size_t)(r - out->v) : (size_t)-1;
	}
	for (h = sd_addr_hash(addr) & (SD_RCPT_SLOTS - 1); ix->slot[h]; h = (h + 1) & (SD_RCPT_SLOTS - 1))
		if (strcasecmp(out->v[ix->slot[h] - 1].recipient, addr) == 0)
			return ix->slot[h] - 1;
	return (size_t)-1;
}

static int
sd_decode_textblocks(const sd_msgview *m, sd_rcpts *out)
{
	const char *p = m->body, *end = m->body + m->body_main_len;
	const char *xfailed = sd_headers_get(&m->top, "X-Failed-Recipients");
	size_t before = out->n;
	sd_rcpt *cur = NULL;
	size_t cur_indent = 0, lines = 0;
	size_t merged = 0; /* bytes re-copied merging repeated recipients */
	sd_rcpt_index index = {NULL, 0};
	int bare = 0;
	sd_buf diag;
	char addr[320];

	sd_buf_init(&diag, SD_MAX_DIAG_BYTES);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t len = (size_t)(le - p);
		size_t after = sd_leading_address(p, len, addr, sizeof(addr));

		if (after && !sd_excluded_how(m, addr, 0)) {
			size_t k;
			if (cur && diag.len)
				cur->diag = sd_arena_strdup(m->arena, sd_trim(diag.data));
			sd_buf_reset(&diag);
			cur = NULL;
			k = sd_rcpt_lookup(&index, out, before, addr);
			if (k != (size_t)-1)
				cur = &out->v[k];
			if (cur == NULL) {
				cur = sd_rcpts_add(out, m->arena);
				if (cur == NULL)
					break;
				cur->recipient = sd_arena_strdup(m->arena, addr);
				sd_rcpt_remember(&index, m, out, before, out->n - 1);
			} else if (cur->diag && merged > SD_MAX_TEXT_BYTES) {
				/* Each merge copies the text again into the arena:
				 * past this budget a repeated block is skipped, so
				 * a recipient repeated on every line cannot cost
				 * SD_MAX_DIAG_BYTES per line. */
				cur = NULL;
			} else if (cur->diag) {
				merged += strlen(cur->diag);
				sd_buf_adds(&diag, cur->diag);
				sd_buf_addc(&diag, ' ');
			}
			cur_indent = sd_indent(p, len);
			lines = 0;
			bare = 1;
			{
				const char *rest = p + after;
				size_t rl = len - after;
				while (rl && (*rest == ' ' || *rest == ':' || *rest == '.')) {
					rest++;
					rl--;
				}
				if (rl && !(rl > 3 && memcmp(rest, "on ", 3) == 0)) {
					sd_buf_add(&diag, rest, rl);
					bare = 0;
				}
			}
		} else if (cur) {
			size_t ind = sd_indent(p, len);
			if (len == ind) {
				/* a blank line ends a block that already has text */
				if (diag.len) {
					cur->diag = sd_arena_strdup(m->arena, sd_trim(diag.data));
					sd_buf_reset(&diag);
					cur = NULL;
				}
			} else if (lines < SD_BLOCK_MAX_LINES &&
				   (ind > cur_indent || diag.len == 0 || ind > 0 || bare)) {
				/* a recipient line with nothing after the address
				 * heads a block: its lines follow unindented */
				if (diag.len)
					sd_buf_addc(&diag, ' ');
				sd_buf_add(&diag, p + ind, len - ind);
				lines++;
			} else {
				if (diag.len)
					cur->diag = sd_arena_strdup(m->arena, sd_trim(diag.data));
				sd_buf_reset(&diag);
				cur = NULL;
			}
		}
		p = le + 1;
	}
	if (cur && diag.len)
		cur->diag = sd_arena_strdup(m->arena, sd_trim(diag.data));
	sd_buf_free(&diag);

	/* Exim names the failed recipients in a header: keep only those. */
	if (xfailed && out->n > before) {
		size_t i, o = before;
		for (i = before; i < out->n; i++)
			if (sd_strcasestr(xfailed, out->v[i].recipient))
				out->v[o++] = out->v[i];
		if (o > before)
			out->n = o;
	}
	if (out->n == before && xfailed) {
		/* no block found: one result per listed address */
		const char *q = xfailed;
		while (*q) {
			const char *comma = strchr(q, ',');
			size_t l = comma ? (size_t)(comma - q) : strlen(q);
			sd_rcpt *r;
			if (sd_find_address(q, l, addr, sizeof(addr)) && (r = sd_rcpts_add(out, m->arena))) {
				r->recipient = sd_arena_strdup(m->arena, addr);
				r->diag = sd_notice_text(m);
			}
			if (!comma)
				break;
			q = comma + 1;
		}
	}
	if (out->n == before)
		sd_sentence_recipients(m, out);
	if (out->n == before && sd_looks_like_bounce(m))
		sd_fallback_recipients(m, out, before);
	if (out->n > before) {
		const char *fallback = NULL;
		size_t i;
		for (i = before; i < out->n; i++) {
			char code[4];
			const char *d = out->v[i].diag;
			if (d != NULL && sd_find_replycode(d, strlen(d), code))
				continue;
			if (fallback == NULL)
				fallback = sd_reply_line(m);
			if (fallback == NULL)
				continue;
			if (d == NULL || strlen(d) < 8) {
				out->v[i].diag = fallback;
			} else if (strstr(d, fallback) == NULL) {
				/* the block says what failed, the reply says why */
				size_t dl = strlen(d), fl = strlen(fallback);
				char *both = sd_arena_alloc(m->arena, dl + fl + 2);
				if (both) {
					memcpy(both, d, dl);
					both[dl] = ' ';
					memcpy(both + dl + 1, fallback, fl + 1);
					out->v[i].diag = both;
				}
			}
		}
		out->agent = sd_detect_agent(m);
	}
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_textblocks = {"TextBounce", sd_decode_textblocks};
