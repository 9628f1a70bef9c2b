/*
 * internal.h - helpers shared between libsmtpdoc modules (prefix sd_).
 *
 * Nothing here is installed or exported. Modules:
 *   util.c      arena allocator, bounded growable buffer, ASCII helpers
 *   mime.c      raw bytes -> sd_msgview (headers, text, DSN): the MIME walk,
 *               with mime_header.c and mime_content.c (GMime decodes)
 *   dsn.c       RFC 3464 message/delivery-status fields
 *   status.c    RFC 3463 enhanced status codes and RFC 5321 reply codes
 *   classify.c  diagnostic text -> reason and cause (pattern tables)
 *   decode.c    the decoder chain and the result assembly
 *   decoders/   one file per bounce format
 */
#ifndef SMTPDOC_INTERNAL_H
#define SMTPDOC_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "smtpdoc/smtpdoc.h"

/* Limits against hostile input; each is reported when hit. */
#define SD_MAX_RECIPIENTS 10000   /* results kept per message */
#define SD_MAX_MIME_DEPTH 32      /* nested multiparts/messages followed */
#define SD_MAX_TEXT_BYTES (4u * 1024 * 1024) /* text read from one message */
#define SD_MAX_HEADERS 512        /* headers kept per header block */
#define SD_MAX_DIAG_BYTES 4096    /* one diagnostic text */

/* ---- arena: many small allocations freed at once ---------------------- */
typedef struct sd_arena sd_arena;
sd_arena *sd_arena_new(void);
void sd_arena_free(sd_arena *a);
void *sd_arena_alloc(sd_arena *a, size_t n);              /* zeroed; NULL on OOM */
void *sd_arena_alloc_raw(sd_arena *a, size_t n);          /* not zeroed; NULL on OOM */
char *sd_arena_strndup(sd_arena *a, const char *s, size_t n);
char *sd_arena_strdup(sd_arena *a, const char *s);        /* NULL s gives NULL */

/* ---- bounded growable buffer, always NUL-terminated ------------------ */
typedef struct sd_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len */
	int truncated; /* set when an add hit max */
} sd_buf;
void sd_buf_init(sd_buf *b, size_t max);
int sd_buf_add(sd_buf *b, const void *p, size_t n); /* 0 ok, -1 OOM or cap */
int sd_buf_addc(sd_buf *b, char c);
int sd_buf_adds(sd_buf *b, const char *s);
void sd_buf_reset(sd_buf *b);
void sd_buf_free(sd_buf *b);

/* ---- ASCII helpers, independent of the locale ------------------------- */
static inline int sd_isspace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
static inline int sd_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int sd_isalpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int sd_isalnum(int c) { return sd_isalpha(c) || sd_isdigit(c); }
static inline int sd_tolower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* A 64-bit hash of p[0..n) from seed, eight bytes a step (not for
 * cryptography: for hash tables and caches). */
uint64_t sd_hash_bytes(const void *p, size_t n, uint64_t seed);

/* case-insensitive search of needle in hay[0..hlen); NULL when absent */
const char *sd_memcasemem(const char *hay, size_t hlen, const char *needle, size_t nlen);
const char *sd_strcasestr(const char *hay, const char *needle);
/* start of the line after the first one holding needle (any case), or
 * NULL when needle is absent or on the last line */
const char *sd_line_after(const char *text, size_t len, const char *needle);
int sd_strcaseprefix(const char *s, const char *prefix); /* 1 when s starts with prefix */
/* trim ASCII space on both ends, in place; returns s */
char *sd_trim(char *s);
/* lower-case ASCII letters in place; returns s */
char *sd_lower(char *s);

/* Find an e-mail address (local@domain) in text; copies the first one found
 * into out (lower-cased domain kept as written) and returns 1, else 0. */
int sd_find_address(const char *text, size_t len, char *out, size_t outsz);
/* Clean an address field value: strip "rfc822;", angle brackets, quotes,
 * spaces. Returns an arena copy or NULL when nothing address-like remains. */
char *sd_clean_address(sd_arena *a, const char *value);

/* Parse an RFC 5322 date; returns 0 on failure. *tzoff gets "+hhmm". */
time_t sd_parse_date(const char *s, char tzoff[8]);

/* ---- phrase lists searched in one pass (phraselist.c) ---------------- */
struct sd_matcher;
typedef struct sd_phraselist {
	const void *base;   /* first row of a table */
	size_t stride;      /* bytes from one row to the next */
	size_t n;           /* rows; a row whose phrase is NULL ends the list */
	_Atomic(struct sd_matcher *) compiled; /* built on first use */
} sd_phraselist;
/* A list over the const char * member `field` of the rows of table arr
 * (an array of strings: field is empty, use SD_PHRASELIST_STRINGS). */
#define SD_PHRASELIST(arr, type, field) \
	{(const char *)(arr) + offsetof(type, field), sizeof(type), sizeof(arr) / sizeof(type), NULL}
#define SD_PHRASELIST_STRINGS(arr) {(arr), sizeof((arr)[0]), sizeof(arr) / sizeof((arr)[0]), NULL}
/* Index of the first phrase of the list (in list order) that occurs in
 * text, or -1. One pass over text. */
int sd_phraselist_first(sd_phraselist *pl, const char *text, size_t len);
/* Call fn for every occurrence, in order of its end offset. */
void sd_phraselist_each(sd_phraselist *pl, const char *text, size_t len,
			int (*fn)(void *ctx, int phrase, size_t end), void *ctx);

/* Several phrase lists searched in one pass: fn gets the list's position
 * in lists, the phrase's index in its list and the end offset of each
 * occurrence, in order of end offset; it returns non-zero to stop. */
typedef struct sd_phrasegroup {
	sd_phraselist *const *lists;
	size_t nlists;
	_Atomic(struct sd_matcher *) compiled; /* built on first use */
	int *list_of, *index_of;              /* pattern -> list, phrase */
} sd_phrasegroup;
void sd_phrasegroup_each(sd_phrasegroup *g, const char *text, size_t len,
			 int (*fn)(void *ctx, int list, int phrase, size_t end), void *ctx);

/* ---- output helpers shared by every writer (output.c) ----------------- */
/* The sd_json_* helpers write without taking the FILE's lock (stdio's
 * per-call locking was a fifth of writing a log's JSON lines): a public
 * writer takes it once, flockfile(fp) ... funlockfile(fp), around the
 * whole object it writes. */
#include <stdio.h>
/* "s" as a JSON string (NULL gives null), valid UTF-8 */
void sd_json_str(FILE *fp, const char *s);
/* ,"name":"value" (value NULL gives null); *first says no comma yet */
void sd_json_field(FILE *fp, const char *name, const char *value, int *first);
/* ,"name": alone, for a value the caller writes */
void sd_json_name(FILE *fp, const char *name, int *first);
/* ,"name":123 */
void sd_json_int(FILE *fp, const char *name, long long v, int *first);
/* ,"name":["step",...] of a NULL-terminated list (NULL gives []) */
void sd_json_steps(FILE *fp, const char *name, const char *const *steps, int *first);
/* code when flags ask for colour (SMTPDOC_OUT_COLOR), else "" */
const char *sd_c(unsigned flags, const char *code);
/* s with invalid UTF-8 and control characters replaced, wrapped at about
 * width columns, each line after the first starting with indent */
void sd_text_wrapped(FILE *fp, const char *s, const char *indent, size_t width);
/* check_output.c: checklist items as text, then the counts line (used by
 * `smtpdoc check` and `smtpdoc audit`) */
void sd_write_check_items_text(FILE *fp, const smtpdoc_check_item *items, size_t count, unsigned flags);

/* ---- header blocks ---------------------------------------------------- */
typedef struct sd_header {
	const char *name;
	const char *value; /* unfolded, RFC 2047 decoded, UTF-8 */
} sd_header;
typedef struct sd_headers {
	sd_header *v;
	size_t n;
} sd_headers;
/* first header named name (case-insensitive), or NULL */
const char *sd_headers_get(const sd_headers *h, const char *name);
/* Parse an RFC 822 style header block from text (stops at a blank line or
 * at a line that is not a header); used for inline copies of the original
 * message. Returns the number of bytes consumed. */
size_t sd_headers_parse_text(sd_arena *a, const char *text, size_t len, sd_headers *out);

/* ---- message view: what the decoders look at -------------------------- */
typedef struct sd_msgview {
	sd_arena *arena;
	sd_headers top;        /* headers of the bounce itself */
	const char *body;      /* readable text of the bounce (text parts, UTF-8, LF) */
	size_t body_len;
	const char *dsn;       /* message/delivery-status content, or NULL */
	size_t dsn_len;
	const char *feedback;  /* message/feedback-report content, or NULL */
	size_t feedback_len;
	size_t body_main_len;  /* length of body before an inline copy of the original */
	sd_headers orig;       /* headers of the returned original message */
	int has_orig;
	int is_multipart_report;
	int truncated;         /* some limit was hit while reading */
	/* worked out once per message by sd_scan_body() and smtpdoc_decode() */
	const char *body_command; /* the SMTP stage the text names */
	int mta_body_sign;     /* see sd_scan_body() */
	const char *mta;       /* the writer, see sd_identify_mta() */
	unsigned mta_flags;
	int bounce_like;       /* see sd_looks_like_bounce() */
} sd_msgview;

/* Set up GMime once (thread-safe). */
void sd_mime_init(void);

/* Parse raw bytes into a view. Returns SMTPDOC_OK, SMTPDOC_ENOTMAIL when
 * the bytes are not a mail message, or SMTPDOC_ENOMEM. */
smtpdoc_status sd_mime_read(const char *data, size_t len, sd_arena *a, sd_msgview *out);

/* bodyscan.c: one pass over the bounce text for every phrase list that
 * reads it. Sets body_main_len (where the text ends and an inline copy of
 * the original message begins) and, when that copy is found and no other
 * was, orig; body_command (the SMTP stage the text names, or NULL); and
 * mta_body_sign (the first MTA opening sentence found in the first
 * SD_MTA_BODY_SCAN bytes of the text, an index of sd_mta_body_list, or
 * -1). */
void sd_scan_body(sd_msgview *m);
/* decode.c: the reason and cause id of one SMTP reply heard directly (by
 * the verify probe), chosen by the same rules as a bounce's: replycode
 * ("550"), status ("5.1.1" or NULL), the reply text, the command it
 * answered ("RCPT"), the host that said it and the recipient (either may be
 * NULL). The strings returned are static. */
void sd_reply_reason(const char *replycode, const char *status, const char *text, const char *command,
		     const char *rhost, const char *recipient, const char **reason, const char **cause_id);

/* The SMTP stage named by the first (in table order) wording found in
 * text[0..len), or NULL. */
const char *sd_find_command_n(const char *text, size_t len);

/* mta.c: which MTA or provider wrote the bounce (NULL when unknown); *flags
 * gets SD_MTA_* bits about what its words prove. */
#define SD_MTA_CHECKS_RCPT 0x1u /* it checks recipients itself at RCPT TO */
#define SD_MTA_BODY_SCAN 4096   /* the opening of the text that MTA signs are looked for in */
extern sd_phraselist sd_mta_body_list; /* MTAs' opening sentences */
const char *sd_identify_mta_scan(const sd_msgview *m, unsigned *flags);
/* The answer of sd_identify_mta_scan(), kept in the view. */
static inline const char *
sd_identify_mta(const sd_msgview *m, unsigned *flags)
{
	if (flags)
		*flags = m->mta_flags;
	return m->mta;
}

/* providers.c: the reason a receiving provider's reply has at that
 * provider, or NULL when no provider rule applies. */
const char *sd_provider_refine(const char *rhost, const char *recipient, const char *lhost,
			       const char *command, const char *status, const char *diag);

/* Does the message present itself as a bounce (From, Subject, report)?
 * sd_looks_like_bounce_scan() works it out; sd_looks_like_bounce() reads
 * the answer kept in the view. */
int sd_looks_like_bounce_scan(const sd_msgview *m);
static inline int sd_looks_like_bounce(const sd_msgview *m) { return m->bounce_like; }
/* textblocks.c: the bounce's sentence about addr; its first SMTP reply. */
const char *sd_text_context(const sd_msgview *m, const char *addr);
const char *sd_text_reply_line(const sd_msgview *m);

/* ---- decoder output before assembly ----------------------------------- */
typedef struct sd_rcpt {
	const char *recipient;
	const char *alias;
	const char *action;
	const char *status;      /* enhanced status code */
	const char *replycode;
	const char *diag;        /* diagnostic text */
	const char *diagtype;
	const char *command;     /* SMTP command; "" when the decoder knows none was named */
	const char *rhost;
	const char *lhost;
	const char *date;        /* text of the failure date, if the decoder saw one */
	const char *reason;      /* forced reason (feedback, vacation, ...) or NULL */
	const char *feedbacktype;
	int diag_guessed;        /* diag is bounce text near the address, not the server's reply */
	const char *addresser;   /* the original sender, when the decoder knows it */
} sd_rcpt;

typedef struct sd_rcpts {
	sd_rcpt *v;
	size_t n, cap;
	const char *agent;       /* decoder name for smtpagent */
	const char *lhost;       /* reporting host */
	int truncated;           /* SD_MAX_RECIPIENTS hit */
	const char *why;         /* set by a decoder that recognised its format
				  * but could not read a recipient from it */
} sd_rcpts;
/* append an empty entry; NULL on OOM or when the limit is hit */
sd_rcpt *sd_rcpts_add(sd_rcpts *r, sd_arena *a);
/* the entry at index from or later whose recipient is addr (ASCII case
 * folded), or NULL */
sd_rcpt *sd_rcpts_find(const sd_rcpts *r, size_t from, const char *addr);

/* A decoder: returns number of recipients it added (0 = not its format). */
typedef struct sd_decoder {
	const char *name;
	int (*decode)(const sd_msgview *m, sd_rcpts *out);
} sd_decoder;

/* ---- status codes (status.c) ------------------------------------------ */
/* Find an RFC 3463 code (class.subject.detail) in text; copies into out. */
int sd_find_status(const char *text, size_t len, char out[16]);
/* The same, skipping 2.x.x success codes (for failure text). */
int sd_find_error_status(const char *text, size_t len, char out[16]);
/* The status to report when the bounce gives none (see status.c). */
const char *sd_pseudo_status(const char *reason, int temporary, char out[16]);
/* Find a 3-digit SMTP reply code at a plausible position in text. */
int sd_find_replycode(const char *text, size_t len, char out[4]);
/* The reason an enhanced status code implies on its own, or NULL when it
 * says nothing specific (e.g. 5.0.0). *specific is set to 1 for codes whose
 * meaning should win over vague text. */
const char *sd_reason_from_status(const char *status, int *specific);

/* ---- classifier (classify.c) ------------------------------------------ */
typedef struct sd_class {
	const char *reason;  /* NULL when nothing (or only a lead-in) matched */
	const char *cause;   /* catalog id, or NULL for the reason's default */
	int priority;
} sd_class;
int sd_classify_init(void); /* compile the tables once; 0 ok */
/* Classify free text (diagnostic, bounce body). Linear in len. */
void sd_classify_text(const char *text, size_t len, sd_class *out);

#endif
