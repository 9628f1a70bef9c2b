/*
 * notes.c - decoder for Lotus Notes / Domino delivery failure reports.
 *
 * Notes writes a "Failure Reasons" section: for each recipient, the reason
 * on its own line(s) first, then the address on a line by itself; a
 * "Returned Message" rule line starts the copy of the original message.
 * The reason comes before the address, the reverse of what the generic
 * plain-text decoder expects, so Notes gets this small decoder of its own.
 */
#include <string.h>

#include "internal.h"

static int
sd_decode_notes(const sd_msgview *m, sd_rcpts *out)
{
	const char *end = m->body + m->body_len;
	const char *p = sd_line_after(m->body, m->body_len, "failure reasons");
	size_t before = out->n;
	sd_buf why;
	char addr[320];

	if (p == NULL)
		return 0;
	sd_buf_init(&why, SD_MAX_DIAG_BYTES);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p, *e = le;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (sd_memcasemem(s, (size_t)(e - s), "returned message", 16))
			break;
		if (e > s) {
			size_t n = (size_t)(e - s);
			sd_rcpt *r;
			if (sd_find_address(s, n, addr, sizeof(addr)) && strlen(addr) == n) {
				if ((r = sd_rcpts_add(out, m->arena)) == NULL)
					break;
				r->recipient = sd_arena_strdup(m->arena, addr);
				r->diag = why.len ? sd_arena_strdup(m->arena, why.data) : NULL;
				r->action = "failed";
				sd_buf_reset(&why);
			} else {
				if (why.len)
					sd_buf_addc(&why, ' ');
				sd_buf_add(&why, s, n);
			}
		}
		p = le + 1;
	}
	sd_buf_free(&why);
	if (out->n > before)
		out->agent = "Notes";
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_notes = {"Notes", sd_decode_notes};
