/*
 * address_file.c - the reader of address lists for `verify --file`.
 *
 * Entry points (address.h): sd_addrlist_new, sd_addrlist_next,
 * sd_addrlist_column, sd_addrlist_free.
 *
 * Two kinds of list:
 *   - plain: one address per line, the whole line (the check cleans it);
 *   - CSV (RFC 4180): a header row, then records of fields separated by
 *     ',', ';' or a tab (the one the header uses most); a field in double
 *     quotes may hold separators, line breaks and "" for a quote. Spaces
 *     before an opening quote are ignored; a quote inside an unquoted
 *     field is kept as it is.
 * In automatic mode the first line that is neither blank nor a comment
 * decides: with no @ in it, and a separator or an address column name,
 * it is a CSV header; otherwise the list is plain and that line is its
 * first address.
 *
 * The address column is the one the caller names, else the first whose
 * header is an e-mail name (email, e-mail, email address, ...), else the
 * first named mail, address or recipient.
 *
 * A bad line is returned as SD_ADDRLIST_BAD with its number and the
 * reading goes on at the next line: a line longer than
 * SD_ADDRLIST_LINE_MAX bytes, a quoted field never closed (within
 * SD_ADDRLIST_RECORD_LINES lines or SD_ADDRLIST_RECORD_MAX bytes, or
 * before the end), text after a closing quote, a record without the
 * address column, an empty address field.
 *
 * Input is read in SD_ADDRLIST_CHUNK blocks; one line and one record are
 * kept at a time, each under its cap, so memory stays bounded. Work is
 * linear in the input.
 */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "internal.h"

#define SD_ADDRLIST_CHUNK 65536
#define SD_ADDRLIST_MSG 200

/* Header names of an address column: e-mail names first, then the
 * looser ones, taken only when no e-mail name is there. */
static const char *const sd_email_names[] = {
	"email", "e-mail", "e_mail", "email address", "e-mail address",
	"email_address", "email-address", "emailaddress", "mail address",
};
static const char *const sd_loose_names[] = {
	"mail", "address", "recipient", "to",
};

#define SD_NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct sd_addrlist {
	FILE *fp;
	sd_addrlist_format format;  /* AUTO until the first line decides */
	char *want;                 /* the column asked for, or NULL */
	char *colname;              /* the header of the column read */
	size_t col;                 /* its index */
	char delim;

	unsigned char in[SD_ADDRLIST_CHUNK];
	size_t pos, end;
	int eof, ioerr, skip_lf, started;

	sd_buf line;                /* the current physical line */
	int line_long;              /* it was cut at SD_ADDRLIST_LINE_MAX */
	unsigned long lineno;       /* its number */

	sd_buf rec;                 /* the fields of a CSV record, each NUL-ended */
	size_t *foff;               /* where each field starts in rec */
	size_t nf, capf;

	int finished;               /* END or ERROR was returned */
	sd_addrlist_status final;
	char msg[SD_ADDRLIST_MSG];
};

sd_addrlist *
sd_addrlist_new(FILE *fp, const sd_addrlist_opts *opts)
{
	sd_addrlist *r;

	if (fp == NULL)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->fp = fp;
	sd_buf_init(&r->line, SD_ADDRLIST_LINE_MAX);
	sd_buf_init(&r->rec, SD_ADDRLIST_RECORD_MAX);
	if (opts != NULL) {
		r->format = opts->format;
		if (opts->column != NULL && (r->want = strdup(opts->column)) == NULL) {
			free(r);
			return NULL;
		}
	}
	return r;
}

void
sd_addrlist_free(sd_addrlist *r)
{
	if (r == NULL)
		return;
	sd_buf_free(&r->line);
	sd_buf_free(&r->rec);
	free(r->foff);
	free(r->want);
	free(r->colname);
	free(r);
}

const char *
sd_addrlist_column(const sd_addrlist *r)
{
	return r != NULL ? r->colname : NULL;
}

/* ---- physical lines ------------------------------------------------------ */

/* sd_getc - the next input byte, or -1 at the end or on a read error */
static int
sd_getc(sd_addrlist *r)
{
	if (r->pos == r->end) {
		if (r->eof)
			return -1;
		r->pos = 0;
		r->end = fread(r->in, 1, sizeof(r->in), r->fp);
		if (r->end == 0) {
			r->eof = 1;
			r->ioerr = ferror(r->fp) != 0;
			return -1;
		}
	}
	return r->in[r->pos++];
}

/* sd_read_line - the next physical line into r->line, without its end
 * (LF, CRLF or CR). 1: a line; 0: the end; -1: read error or no memory. */
static int
sd_read_line(sd_addrlist *r)
{
	int ch, any = 0;

	sd_buf_reset(&r->line);
	r->line_long = 0;
	for (;;) {
		ch = sd_getc(r);
		if (ch == '\n' && r->skip_lf) {
			r->skip_lf = 0;
			continue;
		}
		r->skip_lf = 0;
		if (ch < 0) {
			if (r->ioerr)
				return -1;
			if (!any)
				return 0;
			break;
		}
		any = 1;
		if (ch == '\n')
			break;
		if (ch == '\r') {
			r->skip_lf = 1;
			break;
		}
		if (r->line_long)
			continue;
		if (sd_buf_addc(&r->line, (char)ch) != 0) {
			if (!r->line.truncated)
				return -1;
			r->line_long = 1;
		}
	}
	r->lineno++;
	/* a byte order mark opens the first line of many exported lists */
	if (r->lineno == 1 && r->line.len >= 3 && memcmp(r->line.data, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->line.data, r->line.data + 3, r->line.len - 2);
		r->line.len -= 3;
	}
	return 1;
}

/* sd_line_skipped - blank or a comment */
static int
sd_line_skipped(const sd_buf *b)
{
	size_t i;

	for (i = 0; i < b->len && sd_isspace((unsigned char)b->data[i]); i++)
		;
	return i == b->len || b->data[i] == '#';
}

/* ---- CSV ----------------------------------------------------------------- */

/* sd_field_start - begin a field in r->rec; -1 on no memory */
static int
sd_field_start(sd_addrlist *r)
{
	if (r->nf == r->capf) {
		size_t cap = r->capf ? r->capf * 2 : 16;
		size_t *f = realloc(r->foff, cap * sizeof(*f));
		if (f == NULL)
			return -1;
		r->foff = f;
		r->capf = cap;
	}
	r->foff[r->nf++] = r->rec.len;
	return 0;
}

enum { SD_CSV_OK = 0, SD_CSV_BAD = 1, SD_CSV_FAIL = -1 };

/* sd_bad - say what is wrong with the record that started on line */
static int
sd_bad(sd_addrlist *r, const char *why)
{
	(void)snprintf(r->msg, sizeof(r->msg), "%s", why);
	return SD_CSV_BAD;
}

/* sd_parse_record - the record that starts with r->line into r->rec and
 * r->foff, reading more lines while a quoted field is open */
static int
sd_parse_record(sd_addrlist *r)
{
	enum { START, PLAIN, QUOTED, CLOSED } st = START;
	unsigned lines = 1;
	size_t i;
	char ch;

	sd_buf_reset(&r->rec);
	r->nf = 0;
	if (sd_field_start(r) != 0)
		return SD_CSV_FAIL;
	for (;;) {
		if (r->line_long)
			return sd_bad(r, "the line is too long");
		for (i = 0; i < r->line.len; i++) {
			ch = r->line.data[i];
			switch (st) {
			case START:
				if (ch == '"') {
					/* spaces before an opening quote are no content */
					r->rec.len = r->foff[r->nf - 1];
					st = QUOTED;
					continue;
				}
				st = ch == ' ' ? START : PLAIN;
				break;
			case PLAIN:
				break;
			case QUOTED:
				if (ch == '"') {
					if (i + 1 < r->line.len && r->line.data[i + 1] == '"')
						i++;
					else {
						st = CLOSED;
						continue;
					}
				}
				if (sd_buf_addc(&r->rec, ch) != 0)
					goto full;
				continue;
			case CLOSED:
				if (ch == r->delim)
					break;
				if (ch == ' ' || ch == '\t')
					continue;
				return sd_bad(r, "there is text after the closing quote of a field");
			}
			if (ch == r->delim) {
				if (sd_buf_addc(&r->rec, '\0') != 0)
					goto full;
				if (sd_field_start(r) != 0)
					return SD_CSV_FAIL;
				st = START;
				continue;
			}
			if (sd_buf_addc(&r->rec, ch) != 0)
				goto full;
		}
		if (st != QUOTED)
			break;
		/* a line break inside quotes belongs to the field */
		if (sd_buf_addc(&r->rec, '\n') != 0)
			goto full;
		if (++lines > SD_ADDRLIST_RECORD_LINES)
			return sd_bad(r, "a quoted field is still open after many lines (unbalanced quote)");
		switch (sd_read_line(r)) {
		case 0:
			return sd_bad(r, "unbalanced quote: a quoted field is never closed");
		case -1:
			return SD_CSV_FAIL;
		}
	}
	if (sd_buf_addc(&r->rec, '\0') != 0)
		goto full;
	return SD_CSV_OK;
full:
	if (!r->rec.truncated)
		return SD_CSV_FAIL;
	return sd_bad(r, "the record is too long");
}

/* sd_field_len - the length of field k of the parsed record (each field
 * is followed by a NUL in r->rec, and may hold NULs itself) */
static size_t
sd_field_len(const sd_addrlist *r, size_t k)
{
	size_t end = k + 1 < r->nf ? r->foff[k + 1] : r->rec.len;

	return end - r->foff[k] - 1;
}

/* sd_field - field k of the parsed record, trimmed of spaces; *n gets
 * its length */
static const char *
sd_field(const sd_addrlist *r, size_t k, size_t *n)
{
	const char *s = r->rec.data + r->foff[k];
	size_t len = sd_field_len(r, k);

	while (len > 0 && sd_isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && sd_isspace((unsigned char)s[len - 1]))
		len--;
	*n = len;
	return s;
}

/* sd_name_is - a header field equal to name, in any ASCII case */
static int
sd_name_is(const char *f, size_t n, const char *name)
{
	size_t i;

	if (strlen(name) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (sd_tolower((unsigned char)f[i]) != sd_tolower((unsigned char)name[i]))
			return 0;
	return 1;
}

/* sd_name_in - a header field equal to one of the count names */
static int
sd_name_in(const char *f, size_t n, const char *const *names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (sd_name_is(f, n, names[i]))
			return 1;
	return 0;
}

/* sd_is_column_name - a header naming an address column */
static int
sd_is_column_name(const char *f, size_t n)
{
	return sd_name_in(f, n, sd_email_names, SD_NELEM(sd_email_names)) ||
	       sd_name_in(f, n, sd_loose_names, SD_NELEM(sd_loose_names));
}

/* sd_pick_delim - the separator the header line uses most, ',' first */
static char
sd_pick_delim(const sd_buf *b)
{
	size_t comma = 0, semi = 0, tab = 0, i;
	int quoted = 0;

	for (i = 0; i < b->len; i++) {
		char ch = b->data[i];
		if (ch == '"')
			quoted = !quoted;
		else if (!quoted && ch == ',')
			comma++;
		else if (!quoted && ch == ';')
			semi++;
		else if (!quoted && ch == '\t')
			tab++;
	}
	if (tab > comma && tab > semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

/* sd_looks_like_header - automatic mode: is the first line a CSV header? */
static int
sd_looks_like_header(sd_addrlist *r)
{
	const char *s = r->line.data;
	size_t n = r->line.len, i;
	char d;

	if (memchr(s, '@', n) != NULL)
		return 0;
	d = sd_pick_delim(&r->line);
	if (memchr(s, d, n) != NULL)
		return 1;
	/* one column: only when it is named like one */
	while (n > 0 && sd_isspace((unsigned char)s[n - 1]))
		n--;
	for (i = 0; i < n && sd_isspace((unsigned char)s[i]); i++)
		;
	if (n - i >= 2 && s[i] == '"' && s[n - 1] == '"') {
		i++;
		n--;
	}
	return sd_is_column_name(s + i, n - i);
}

/* sd_read_header - the header record in r->line: choose the column.
 * 0, or -1 with r->msg set (or on no memory) */
static int
sd_read_header(sd_addrlist *r)
{
	const char *f;
	size_t k, n, found = (size_t)-1;

	r->delim = sd_pick_delim(&r->line);
	switch (sd_parse_record(r)) {
	case SD_CSV_OK:
		break;
	case SD_CSV_BAD:
		(void)snprintf(r->msg, sizeof(r->msg), "the header row on line %lu cannot be read",
			       r->lineno);
		return -1;
	default:
		(void)snprintf(r->msg, sizeof(r->msg), "out of memory");
		return -1;
	}
	for (k = 0; k < r->nf && found == (size_t)-1; k++) {
		f = sd_field(r, k, &n);
		if (r->want != NULL ? sd_name_is(f, n, r->want)
				    : sd_name_in(f, n, sd_email_names, SD_NELEM(sd_email_names)))
			found = k;
	}
	for (k = 0; r->want == NULL && k < r->nf && found == (size_t)-1; k++) {
		f = sd_field(r, k, &n);
		if (sd_name_in(f, n, sd_loose_names, SD_NELEM(sd_loose_names)))
			found = k;
	}
	if (found == (size_t)-1) {
		if (r->want != NULL)
			(void)snprintf(r->msg, sizeof(r->msg), "the header row on line %lu has no "
				       "column named '%.40s'", r->lineno, r->want);
		else
			(void)snprintf(r->msg, sizeof(r->msg), "the header row on line %lu names no "
				       "e-mail column (such as email or e-mail)", r->lineno);
		return -1;
	}
	f = sd_field(r, found, &n);
	r->colname = strndup(f, n);
	if (r->colname == NULL) {
		(void)snprintf(r->msg, sizeof(r->msg), "out of memory");
		return -1;
	}
	r->col = found;
	return 0;
}

/* ---- the reader ------------------------------------------------------------ */

static sd_addrlist_status
sd_finish(sd_addrlist *r, sd_addrlist_status st, sd_addrlist_item *item)
{
	if (!r->finished) {
		r->finished = 1;
		r->final = st;
		if (st == SD_ADDRLIST_ERROR && r->msg[0] == '\0')
			(void)snprintf(r->msg, sizeof(r->msg), "%s",
				       r->ioerr ? "the list cannot be read" : "out of memory");
	}
	item->line = r->lineno;
	item->text = r->final == SD_ADDRLIST_ERROR ? r->msg : "";
	item->len = strlen(item->text);
	return r->final;
}

sd_addrlist_status
sd_addrlist_next(sd_addrlist *r, sd_addrlist_item *item)
{
	unsigned long first;
	size_t n;
	int rc;

	if (r == NULL || item == NULL)
		return SD_ADDRLIST_ERROR;
	memset(item, 0, sizeof(*item));
	if (r->finished)
		return sd_finish(r, r->final, item);
	for (;;) {
		rc = sd_read_line(r);
		if (rc == 0)
			return sd_finish(r, SD_ADDRLIST_END, item);
		if (rc < 0)
			return sd_finish(r, SD_ADDRLIST_ERROR, item);
		if (!r->line_long && sd_line_skipped(&r->line))
			continue;
		if (!r->started) {
			r->started = 1;
			if (r->format == SD_ADDRLIST_AUTO)
				r->format = !r->line_long && sd_looks_like_header(r)
						    ? SD_ADDRLIST_CSV : SD_ADDRLIST_PLAIN;
			if (r->format == SD_ADDRLIST_CSV) {
				if (sd_read_header(r) != 0)
					return sd_finish(r, SD_ADDRLIST_ERROR, item);
				continue;
			}
		}
		first = r->lineno;
		item->line = first;
		if (r->format == SD_ADDRLIST_PLAIN) {
			if (r->line_long) {
				(void)snprintf(r->msg, sizeof(r->msg), "the line is longer than %d "
					       "bytes", SD_ADDRLIST_LINE_MAX);
				item->text = r->msg;
				item->len = strlen(r->msg);
				return SD_ADDRLIST_BAD;
			}
			item->text = r->line.data;
			item->len = r->line.len;
			return SD_ADDRLIST_ADDRESS;
		}
		rc = sd_parse_record(r);
		if (rc == SD_CSV_FAIL)
			return sd_finish(r, SD_ADDRLIST_ERROR, item);
		if (rc == SD_CSV_OK && r->nf <= r->col) {
			(void)snprintf(r->msg, sizeof(r->msg), "the record has %zu field%s; the "
				       "address is field %zu (%.40s)", r->nf, r->nf == 1 ? "" : "s",
				       r->col + 1, r->colname);
			rc = SD_CSV_BAD;
		}
		if (rc == SD_CSV_OK) {
			(void)sd_field(r, r->col, &n);
			if (n == 0) {
				(void)snprintf(r->msg, sizeof(r->msg), "the %.40s field is empty",
					       r->colname);
				rc = SD_CSV_BAD;
			}
		}
		if (rc == SD_CSV_BAD) {
			item->text = r->msg;
			item->len = strlen(r->msg);
			return SD_ADDRLIST_BAD;
		}
		/* the field as written, spaces and all: the check reports them */
		item->text = r->rec.data + r->foff[r->col];
		item->len = sd_field_len(r, r->col);
		return SD_ADDRLIST_ADDRESS;
	}
}
