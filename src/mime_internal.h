/*
 * mime_internal.h - the pieces of MIME reading shared by mime.c (the walk
 * over a message's structure), mime_header.c (header blocks) and
 * mime_content.c (a part's content: transfer encoding, charset, line
 * endings). Not used outside those three files.
 *
 * The walk creates no GMime objects: it finds header blocks and multipart
 * boundaries itself, in place, and calls on GMime only for what needs
 * MIME's rules in full: Content-Type parameters (quoting, RFC 2231),
 * RFC 2047 encoded words and 8-bit header text, transfer decoding, and
 * charset names. Every string lands in the caller's arena or buffer.
 */
#ifndef SMTPDOC_MIME_INTERNAL_H
#define SMTPDOC_MIME_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/* The MIME fields of one entity's header block, as raw slices of the
 * message (folded, undecoded); NULL/0 when the field is absent. */
typedef struct sd_mime_fields {
	const char *ctype;     /* Content-Type value */
	size_t ctype_len;
	const char *cte;       /* Content-Transfer-Encoding value */
	size_t cte_len;
	const char *disp;      /* Content-Disposition value */
	size_t disp_len;
} sd_mime_fields;

/* Scan the header block at text[0..len): fill *mf with its MIME fields
 * and, when out is not NULL, store every header in out (name, value
 * unfolded and decoded to UTF-8; trace and signature headers skipped).
 * The block ends at a blank line; when its first line is no header there is
 * no block (0 is returned); later lines that are neither a header nor a
 * continuation are skipped. Returns the offset where the body starts (after the
 * blank line; len when there is none). Sets *truncated when more than
 * SD_MAX_HEADERS headers had to be left out. */
size_t sd_mime_scan_headers(sd_arena *a, const char *text, size_t len, sd_mime_fields *mf,
			    sd_headers *out, int *truncated);

/* Pin the charset called name[0..len) (see mime_content.c). */
void sd_mime_pin_charset(const char *name, size_t len);

/* The parsed Content-Type of an entity: media type and subtype lower-cased
 * into fixed buffers, and the parameters the walk uses (arena copies, NULL
 * when absent). Without a Content-Type the type is deftype/defsub. */
typedef struct sd_ctype {
	char type[32];
	char sub[64];
	const char *boundary;
	const char *charset;
	const char *name;      /* the name= parameter */
} sd_ctype;
void sd_mime_parse_ctype(sd_arena *a, const sd_mime_fields *mf, const char *deftype,
			 const char *defsub, sd_ctype *ct);
/* The filename= parameter of the Content-Disposition, or NULL. */
const char *sd_mime_disposition_filename(sd_arena *a, const sd_mime_fields *mf);

/* How a part's content is transfer-encoded (GMimeContentEncoding values). */
int sd_mime_encoding(const sd_mime_fields *mf);

/* Append the decoded content of a part (data[0..len), transfer encoding
 * enc, charset cs or NULL for none) to dst: converted to UTF-8, CRLF and
 * bare CR turned into LF, ending in LF. Reads the input only as far as dst
 * can still take. With html set, tags are dropped and a few entities
 * decoded. */
void sd_mime_append_content(sd_buf *dst, const char *data, size_t len, int enc, const char *cs,
			    int html);

/* The decoded content of a part without charset conversion, CRs dropped,
 * at most max bytes, into dst (reset first). */
void sd_mime_decode_raw(sd_buf *dst, const char *data, size_t len, int enc, size_t max);

#endif
