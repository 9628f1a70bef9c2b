/*
 * address.h - what can be said about an e-mail address without the
 * network, for `smtpdoc verify` (and the misspelling check of `explain`).
 *
 * Modules:
 *   address.c        sd_address_check(): RFC 5321 Mailbox syntax with the
 *                    RFC 6531 (UTF-8) extensions, the domain's A-label and
 *                    U-label forms (libidn2, UTS #46 non-transitional), the
 *                    length limits, and the role, disposable and free-mail
 *                    flags
 *   address_clean.c  the clean-up done first: spaces, invisible characters,
 *                    "Name <address>", angle brackets, quotes, mailto:
 *   address_typo.c   misspelt domains: big providers, ending slips such as
 *                    .con, and the most frequent domains of a bulk list
 *   address_lists.c  the role, disposable and provider lists (the text
 *                    files in data/, compiled in as C tables at build time)
 *   address_file.c   the streaming reader of address lists, plain or CSV
 *
 * Ownership, in short: sd_address_info owns its strings (released by
 * sd_address_info_free, reused by the next sd_address_check on it);
 * sd_suggestion is plain fixed storage; sd_domfreq and sd_addrlist are
 * handles with their own free functions, and what they hand out belongs
 * to them. Nothing here prints or exits.
 *
 * Threads: every function may be called from several threads at once on
 * different objects; the lists are built once, under pthread_once.
 */
#ifndef SMTPDOC_ADDRESS_H
#define SMTPDOC_ADDRESS_H

#include <stddef.h>
#include <stdio.h>

#include "smtpdoc/smtpdoc.h"

/* sd_utf8_next - the length (1-4) of the well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF) at the
 * start of p[0..n), with its code point in *cp; 0 when p does not start
 * with one (or n is 0). */
static inline size_t
sd_utf8_next(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* sd_is_uspace - a space character beyond ASCII: next line, Ogham,
 * the typographic spaces, line and paragraph separators, ideographic */
static inline int
sd_is_uspace(unsigned cp)
{
	return cp == 0x0085 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

/* ---- limits (octets) --------------------------------------------------- */
#define SD_ADDRESS_LOCAL_MAX 64    /* RFC 5321 4.5.3.1.1 */
#define SD_ADDRESS_DOMAIN_MAX 255  /* RFC 5321 4.5.3.1.2, A-label form */
#define SD_ADDRESS_LABEL_MAX 63    /* RFC 1035 2.3.4 */
#define SD_ADDRESS_PATH_MAX 254    /* RFC 5321 4.5.3.1.3: 256 less "<>" */
#define SD_ADDRESS_INPUT_MAX 4096  /* longer input is refused unread */

/* ---- why an address is not valid ----------------------------------------
 * X(name, id): SD_ADDRESS_E<name>, and a stable id for machine output. */
#define SD_ADDRESS_ERROR_MAP(X)                                                \
	X(OK, "ok")                                                            \
	X(EMPTY, "empty")                    /* nothing left after the clean-up */ \
	X(INPUT_TOO_LONG, "input-too-long")  /* over SD_ADDRESS_INPUT_MAX */  \
	X(NUL, "nul-byte")                                                     \
	X(BAD_UTF8, "bad-utf8")                                                \
	X(CONTROL, "control-character")                                        \
	X(NO_AT, "no-at")                                                      \
	X(MANY_AT, "many-at")                                                  \
	X(LOCAL_EMPTY, "local-empty")                                          \
	X(LOCAL_TOO_LONG, "local-too-long")                                    \
	X(LOCAL_DOT, "local-dot")           /* leading, trailing or double dot */ \
	X(LOCAL_CHAR, "local-character")    /* a special outside quotes */    \
	X(QUOTE_UNBALANCED, "unbalanced-quote")                                \
	X(QUOTE_MISPLACED, "misplaced-quote")                                  \
	X(QUOTED_CHAR, "quoted-character")  /* not allowed even in quotes */  \
	X(DOMAIN_EMPTY, "domain-empty")                                        \
	X(DOMAIN_TOO_LONG, "domain-too-long")                                  \
	X(DOMAIN_CHAR, "domain-character")                                     \
	X(DOMAIN_SINGLE_LABEL, "domain-single-label")                          \
	X(DOMAIN_NUMERIC, "domain-numeric") /* 1.2.3.4 without brackets */    \
	X(DOMAIN_IDN, "domain-idn")         /* libidn2 refused it */          \
	X(LABEL_EMPTY, "label-empty")                                          \
	X(LABEL_TOO_LONG, "label-too-long")                                    \
	X(LABEL_HYPHEN, "label-hyphen")                                        \
	X(LITERAL, "address-literal")       /* a bad [IPv4] or [IPv6:...] */  \
	X(PATH_TOO_LONG, "address-too-long")

typedef enum sd_address_error {
#define SD_ADDRESS_X_ENUM(name, id) SD_ADDRESS_E##name,
	SD_ADDRESS_ERROR_MAP(SD_ADDRESS_X_ENUM)
#undef SD_ADDRESS_X_ENUM
	SD_ADDRESS_ERROR_COUNT
} sd_address_error;

/* The id of an error ("local-too-long"); never NULL. */
const char *sd_address_error_id(sd_address_error e);

/* ---- what the clean-up changed ------------------------------------------
 * X(name, id, text): the bit SD_ADDRESS_CHANGED_<name>, a stable id and a
 * sentence for people. */
#define SD_ADDRESS_CHANGE_MAP(X)                                               \
	X(SPACE, "space", "removed spaces around the address")                 \
	X(INVISIBLE, "invisible", "removed invisible characters (zero-width "  \
	  "or no-break spaces, direction marks, soft hyphens)")               \
	X(NAME, "name", "kept only the address of a \"Name <address>\" form "  \
	  "or of an address followed by a comment")                           \
	X(BRACKETS, "brackets", "removed the angle brackets around the address") \
	X(QUOTES, "quotes", "removed the quotes around the whole address")     \
	X(MAILTO, "mailto", "removed \"mailto:\" and anything after the address " \
	  "in the link")                                                       \
	X(FULLWIDTH_AT, "fullwidth-at", "replaced the full-width at sign "     \
	  "with @")                                                            \
	X(TRAILING_PUNCT, "trailing-punctuation", "removed a comma, semicolon " \
	  "or colon after the address")                                        \
	X(TRAILING_DOT, "trailing-dot", "removed the dot at the end of the "   \
	  "domain")                                                            \
	X(DOMAIN_CASE, "domain-case", "wrote the domain in lower case")        \
	X(DOMAIN_MAPPED, "domain-mapped", "wrote the domain in its standard "  \
	  "Unicode form (lower case, ordinary width, composed accents)")

enum {
#define SD_ADDRESS_X_BIT(name, id, text) SD_ADDRESS_CHANGE_BIT_##name,
	SD_ADDRESS_CHANGE_MAP(SD_ADDRESS_X_BIT)
#undef SD_ADDRESS_X_BIT
	SD_ADDRESS_CHANGE_COUNT
};
enum {
#define SD_ADDRESS_X_FLAG(name, id, text) \
	SD_ADDRESS_CHANGED_##name = 1u << SD_ADDRESS_CHANGE_BIT_##name,
	SD_ADDRESS_CHANGE_MAP(SD_ADDRESS_X_FLAG)
#undef SD_ADDRESS_X_FLAG
};

/* The id and the sentence of one SD_ADDRESS_CHANGED_* bit; NULL for a
 * value that is not exactly one known bit. */
const char *sd_address_change_id(unsigned bit);
const char *sd_address_change_text(unsigned bit);

/* ---- checking one address ---------------------------------------------- */

typedef struct sd_address_info {
	/* The input as given, as valid UTF-8 (a NUL or a byte that is not
	 * UTF-8 shows as U+FFFD), cut at SD_ADDRESS_INPUT_MAX bytes. */
	const char *input;
	/* The address after the clean-up, domain in lower case and U-labels:
	 * the form to show. For input that is not an address, the text that
	 * was checked. Never NULL after a successful call. */
	const char *address;
	/* The same with the domain in A-labels: what DNS and a server
	 * without SMTPUTF8 take. NULL unless valid. */
	const char *address_ascii;
	/* The local part as written (case and quotes kept); NULL when the
	 * input has no @ to split at. */
	const char *local;
	/* The domain in lower case and U-labels (an address literal as
	 * written, brackets included); NULL when there is no @. Filled even
	 * when the domain is not valid, for the misspelling check. */
	const char *domain;
	/* The domain in A-labels; NULL unless the domain is valid. */
	const char *domain_ascii;

	int valid;                /* 1: a valid RFC 5321 / RFC 6531 Mailbox */
	sd_address_error error;   /* SD_ADDRESS_EOK when valid */
	/* Why not valid: one lower-case sentence without a final dot, such
	 * as "the local part is 70 octets long; at most 64 are allowed".
	 * NULL when valid. */
	const char *reason;
	unsigned changes;         /* SD_ADDRESS_CHANGED_* bits */

	int role;                 /* the local part names a role (postmaster) */
	int disposable;           /* the domain is a throw-away mailbox service */
	int freemail;             /* the domain is a consumer mailbox provider */
	int literal;              /* the domain is an address literal [...] */
	int smtputf8;             /* the local part is not ASCII: only a server
				   * offering SMTPUTF8 (RFC 6531) can take it */

	/* private: the storage the strings above live in */
	char *mem_;
	size_t memcap_;
} sd_address_info;

/* sd_address_check_n - check the n bytes at input, which may hold
 * anything (NULs, bytes that are not UTF-8, megabytes). out must be
 * zero-initialised before its first use ({0}); when it holds an earlier
 * result, that result's storage is reused and its strings become invalid.
 * Returns SMTPDOC_OK whether or not the address is valid (see out->valid),
 * SMTPDOC_EINVAL when out is NULL, SMTPDOC_ENOMEM when memory ran out
 * (then out holds no result). Work is linear in n. */
smtpdoc_status sd_address_check_n(const char *input, size_t n, sd_address_info *out);
/* The same for a NUL-terminated string; NULL is taken as "". */
smtpdoc_status sd_address_check(const char *input, sd_address_info *out);
/* Release what out holds and zero it; accepts NULL and a zeroed info. */
void sd_address_info_free(sd_address_info *info);

/* address_clean.c: the clean-up sd_address_check does first. in holds n
 * bytes of valid UTF-8 without NUL; the cleaned text is written to out
 * (room for n + 1 bytes: it never grows), NUL-terminated, and its length
 * returned; *changes gets SD_ADDRESS_CHANGED_* bits (all but the
 * TRAILING_DOT and DOMAIN_* ones, which the check sets). */
size_t sd_address_clean(const char *in, size_t n, char *out, unsigned *changes);

/* ---- misspelt domains (address_typo.c) --------------------------------- */

#define SD_TYPO_DOMAIN_MAX 64      /* longer domains are never compared */
#define SD_MX_UNKNOWN (-1)         /* has_mx when nobody looked */

/* The big provider that domain d (n bytes, lower case, no final dot) is
 * probably a misspelling of, or NULL (also for a listed provider or a
 * known real look-alike); *dist, when not NULL, gets the edit distance
 * (optimal string alignment) between the two. explain's hints use it. */
const char *sd_typo_provider(const char *d, size_t n, unsigned *dist);

/* One row of a domain frequency table: a domain of a list and how many
 * addresses of the list have it. */
typedef struct sd_domcount {
	const char *domain;
	size_t count;
} sd_domcount;

typedef enum sd_suggest_kind {
	SD_SUGGEST_NONE = 0,
	SD_SUGGEST_PROVIDER,  /* a misspelt big provider: gmial.com */
	SD_SUGGEST_TLD,       /* an ending slip: example.con */
	SD_SUGGEST_FREQUENT,  /* close to a domain frequent in the same list */
} sd_suggest_kind;

/* "none", "provider", "tld", "frequent" */
const char *sd_suggest_kind_id(sd_suggest_kind k);

typedef struct sd_suggestion {
	sd_suggest_kind kind;
	unsigned distance;    /* edits from the domain as written to domain */
	char domain[SD_ADDRESS_DOMAIN_MAX + 1];
	/* local@domain; "" when the local part is too long to fit */
	char address[SD_ADDRESS_LOCAL_MAX + 1 + SD_ADDRESS_DOMAIN_MAX + 1];
} sd_suggestion;

/* sd_address_suggest - the domain info->domain was probably meant to be,
 * for an info filled by sd_address_check (valid or not, as long as it has
 * a domain that is not an address literal).
 *   has_mx: 1 when the caller found working MX records for the domain:
 *           then there is never a suggestion; 0 when it found none (this
 *           also allows the ending slips that are real country endings,
 *           .co, .cm, .om for .com); SD_MX_UNKNOWN when it did not look.
 *   freq:   bulk mode: the most frequent domains of the list being
 *           checked, in the form of info->domain, most frequent first
 *           (sd_domfreq_top gives one); NULL and 0 otherwise. A domain
 *           seen rarely that is close to one seen far more often gets
 *           that one.
 * Returns 1 and fills *out, or 0 with out->kind SD_SUGGEST_NONE. */
int sd_address_suggest(const sd_address_info *info, int has_mx,
		       const sd_domcount *freq, size_t nfreq, sd_suggestion *out);

/* Counting the domains of a list, for the freq argument above. The strings
 * handed out belong to the counter. */
typedef struct sd_domfreq sd_domfreq;
sd_domfreq *sd_domfreq_new(void);                          /* NULL on no memory */
void sd_domfreq_free(sd_domfreq *f);                       /* accepts NULL */
int sd_domfreq_add(sd_domfreq *f, const char *domain);     /* 0, or -1 on no memory */
/* The max most frequent domains, most frequent first (equal counts in
 * byte order); *n gets how many. The array is valid until the next
 * sd_domfreq_top or sd_domfreq_free, its strings until sd_domfreq_free.
 * NULL with *n = 0 when f is empty or memory ran out. */
const sd_domcount *sd_domfreq_top(sd_domfreq *f, size_t max, size_t *n);

/* ---- the lists (address_lists.c, tables generated from data/) ---------- */

#define SD_PROVIDER_TYPO 0x1u      /* a misspelling target */
#define SD_PROVIDER_ONE_TLD 0x2u   /* the name is used under one ending only */
typedef struct sd_provider_row {
	const char *domain;
	unsigned flags;
} sd_provider_row;

extern const sd_provider_row sd_mail_providers[];  /* data/mail-providers.txt */
extern const size_t sd_mail_providers_count;
extern const char *const sd_typo_lookalikes[];     /* data/typo-lookalikes.txt */
extern const size_t sd_typo_lookalikes_count;
extern const char *const sd_role_accounts[];       /* data/role-accounts.txt */
extern const size_t sd_role_accounts_count;
extern const char *const sd_disposable_domains[];  /* data/disposable-domains.txt */
extern const size_t sd_disposable_domains_count;

/* Build the lookup sets once; 0, or -1 when memory ran out (then every
 * lookup below answers 0). The lookups call it themselves. */
int sd_address_lists_init(void);
/* local (n bytes) is a role name, in any ASCII case, ignoring a "+tag" */
int sd_address_is_role(const char *local, size_t n);
/* domain (n bytes, lower case A-labels, no final dot) or a parent domain
 * of it is a disposable mailbox service */
int sd_address_is_disposable(const char *domain, size_t n);
/* domain (the same form) is a consumer mailbox provider */
int sd_address_is_freemail(const char *domain, size_t n);
/* domain is one of the real look-alikes that must never be corrected */
int sd_address_is_lookalike(const char *domain, size_t n);

/* ---- reading address lists (address_file.c) ----------------------------
 * One address per line, or CSV (RFC 4180: quoted fields, "" for a quote,
 * line breaks inside quotes) with a header row naming the address column;
 * ',' ';' or tab separated, chosen from the header. Blank lines and lines
 * whose first non-blank character is '#' are skipped; a UTF-8 byte order
 * mark at the start is ignored; LF, CRLF and CR end lines. The file is
 * read as a stream: memory stays bounded whatever its size. */

#define SD_ADDRLIST_LINE_MAX 8192      /* longer physical lines are bad */
#define SD_ADDRLIST_RECORD_MAX 65536   /* bytes of one CSV record */
#define SD_ADDRLIST_RECORD_LINES 64    /* lines one quoted CSV record may span */

typedef enum sd_addrlist_format {
	SD_ADDRLIST_AUTO = 0,  /* CSV when the first line is a header naming an
				* address column, or holds a separator and no @;
				* else one address per line */
	SD_ADDRLIST_PLAIN,     /* one address per line, whole line */
	SD_ADDRLIST_CSV,       /* CSV with a header row */
} sd_addrlist_format;

typedef struct sd_addrlist_opts {
	sd_addrlist_format format;
	/* CSV: the header of the address column (any ASCII case); NULL: the
	 * first column named email, e-mail, email address, mail, address,
	 * ... */
	const char *column;
} sd_addrlist_opts;

typedef enum sd_addrlist_status {
	SD_ADDRLIST_ADDRESS = 0, /* item holds an address to check */
	SD_ADDRLIST_BAD,         /* item says what is wrong with one line; go on */
	SD_ADDRLIST_END,         /* no more input */
	SD_ADDRLIST_ERROR,       /* reading stops: item says why */
} sd_addrlist_status;

typedef struct sd_addrlist_item {
	unsigned long line;      /* the line the record starts on, from 1 */
	/* ADDRESS: the address field, len bytes, NUL-terminated after them
	 * (it may hold NULs: sd_address_check_n takes it as it is). BAD,
	 * ERROR: one lower-case sentence without a final dot. Valid until
	 * the next call on the reader. */
	const char *text;
	size_t len;
} sd_addrlist_item;

typedef struct sd_addrlist sd_addrlist;

/* A reader of fp (which stays the caller's: it is neither closed nor
 * rewound). opts may be NULL (automatic). NULL on no memory. */
sd_addrlist *sd_addrlist_new(FILE *fp, const sd_addrlist_opts *opts);
/* The next address or bad line. After END or ERROR it returns the same
 * again. ERROR comes from a read error, a CSV header naming no address
 * column, or no memory. */
sd_addrlist_status sd_addrlist_next(sd_addrlist *r, sd_addrlist_item *item);
/* CSV: the header of the column read, once the header has been read;
 * NULL for a plain list. Owned by the reader. */
const char *sd_addrlist_column(const sd_addrlist *r);
void sd_addrlist_free(sd_addrlist *r);                     /* accepts NULL */

#endif
