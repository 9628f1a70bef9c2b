/*
 * decode.c - smtpdoc_decode(): raw message -> report of recipient results.
 *
 * Steps: read the MIME structure (mime.c); find where an inline copy of
 * the original message starts; run the decoders in order (feedback
 * report, RFC 3464 DSN, plain-text bounce, automatic reply) until one
 * finds recipients; then assemble each result: reason (classify.c and
 * status.c), cause and hard/soft (catalog), sender, dates, hosts, SMTP
 * command, token. A report owns one arena holding every string.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "classify.h"
#include "internal.h"

extern const sd_decoder sd_decoder_arf;
extern const sd_decoder sd_decoder_rfc3464;
extern const sd_decoder sd_decoder_textblocks;
extern const sd_decoder sd_decoder_rfc3834;
extern const sd_decoder sd_decoder_googlegroups;
extern const sd_decoder sd_decoder_amazonses_json;
extern const sd_decoder sd_decoder_notes;
extern const sd_decoder sd_decoder_fml;
extern const sd_decoder sd_decoder_sendmail;

static const sd_decoder *const sd_decoders[] = {
	&sd_decoder_arf,
	&sd_decoder_amazonses_json,
	&sd_decoder_rfc3464,
	&sd_decoder_googlegroups,
	&sd_decoder_notes,
	&sd_decoder_fml,
	&sd_decoder_sendmail,
	&sd_decoder_rfc3834,
	&sd_decoder_textblocks,
	NULL,
};

/* The private part of a report: the public struct comes first. */
typedef struct sd_report {
	smtpdoc_report pub;
	sd_arena *arena;
} sd_report;

sd_rcpt *
sd_rcpts_add(sd_rcpts *r, sd_arena *a)
{
	if (r->n >= SD_MAX_RECIPIENTS) {
		r->truncated = 1;
		return NULL;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		sd_rcpt *v = sd_arena_alloc(a, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		if (r->n)
			memcpy(v, r->v, r->n * sizeof(*v));
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

sd_rcpt *
sd_rcpts_find(const sd_rcpts *r, size_t from, const char *addr)
{
	size_t k;

	for (k = from; k < r->n; k++)
		if (r->v[k].recipient && strcasecmp(r->v[k].recipient, addr) == 0)
			return &r->v[k];
	return NULL;
}

/* ---- assembly --------------------------------------------------------- */

static const char *
sd_domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	return at ? at + 1 : NULL;
}

static const char *
sd_find_command(const char *text)
{
	return text ? sd_find_command_n(text, strlen(text)) : NULL;
}

/* "host mx.example.org [192.0.2.1]" or "mx.example.org[192.0.2.1]" */
static const char *
sd_find_rhost(sd_arena *a, const char *text)
{
	const char *p;
	size_t len;

	if (text == NULL)
		return NULL;
	len = strlen(text);
	p = sd_memcasemem(text, len, "host ", 5);
	while (p) {
		const char *s = p + 5, *e = s;
		while (*e && (sd_isalnum((unsigned char)*e) || *e == '.' || *e == '-'))
			e++;
		if (e - s > 3 && memchr(s, '.', (size_t)(e - s)) && (*e == ' ' || *e == '[' || *e == ':' || *e == ','))
			return sd_arena_strndup(a, s, (size_t)(e - s));
		p = sd_memcasemem(s, len - (size_t)(s - text), "host ", 5);
	}
	return NULL;
}

static char *
sd_squash_spaces(sd_arena *a, const char *s)
{
	char *out, *o;
	int sp = 0;

	if (s == NULL)
		return NULL;
	out = sd_arena_strdup(a, s);
	if (out == NULL)
		return NULL;
	for (o = out; *s; s++) {
		if (sd_isspace((unsigned char)*s)) {
			sp = 1;
			continue;
		}
		if (sp && o != out)
			*o++ = ' ';
		sp = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* Amazon SES glosses the remote reply: "5.1.0 - Unknown address error
 * 550-'5.7.1 <user@example.org>... Access denied' (delivery attempts: 0)".
 * The gloss is SES's reading of its own status; the quoted reply is what
 * the server said, and is what is kept ("550 5.7.1 <...>... Access
 * denied"). Other text is returned as it is. */
static const char *
sd_unquote_reply(sd_arena *a, const char *d)
{
	char code[16];
	const char *q, *close;
	size_t sl;
	char *out;

	if (d == NULL || !sd_find_status(d, strlen(d) < 16 ? strlen(d) : 16, code) || strncmp(d, code, strlen(code)) != 0)
		return d;
	sl = strlen(code);
	if (strncmp(d + sl, " - ", 3) != 0)
		return d;
	for (q = d + sl + 3; *q; q++)
		if (sd_isdigit((unsigned char)q[0]) && sd_isdigit((unsigned char)q[1]) && sd_isdigit((unsigned char)q[2]) &&
		    (q[3] == '-' || q[3] == ' ') && q[4] == '\'' && (q == d || q[-1] == ' '))
			break;
	if (*q == '\0')
		return d;
	close = strchr(q + 5, '\'');
	if (close == NULL)
		close = q + strlen(q);
	out = sd_arena_alloc(a, (size_t)(close - q) + 1);
	if (out == NULL)
		return d;
	memcpy(out, q, 3);
	out[3] = ' ';
	memcpy(out + 4, q + 5, (size_t)(close - q - 5));
	out[close - q - 1] = '\0';
	return out;
}

/* SHA-1 fetched once: an implicit fetch per call (EVP_sha1()) costs more
 * than the digest itself. */
static EVP_MD *sd_sha1;
static pthread_once_t sd_sha1_once = PTHREAD_ONCE_INIT;

static void
sd_sha1_fetch(void)
{
	sd_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
}

static const char *
sd_token(sd_arena *a, const char *addresser, const char *recipient, time_t ts)
{
	char buf[1200];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char *hex;
	int n;

	n = snprintf(buf, sizeof(buf), "\x02%s\x1e%s\x1e%lld\x03", addresser ? addresser : "",
		     recipient ? recipient : "", (long long)ts);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	pthread_once(&sd_sha1_once, sd_sha1_fetch);
	if (sd_sha1 == NULL || !EVP_Digest(buf, (size_t)n, md, &mdlen, sd_sha1, NULL))
		return NULL;
	hex = sd_arena_alloc(a, mdlen * 2 + 1);
	if (hex == NULL)
		return NULL;
	for (i = 0; i < mdlen; i++) {
		hex[i * 2] = "0123456789abcdef"[md[i] >> 4];
		hex[i * 2 + 1] = "0123456789abcdef"[md[i] & 15];
	}
	return hex;
}

static const char *
sd_strip_angles(sd_arena *a, const char *v)
{
	char *s;
	size_t n;

	if (v == NULL)
		return NULL;
	s = sd_trim(sd_arena_strdup(a, v));
	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

/* Words with which a sender's server says it stopped retrying. */
static const char *const sd_gaveup_words[] = {
	"in the queue too long",
	"not going to try again",
	"giving up on",
};
static sd_phraselist sd_gaveup_list = SD_PHRASELIST_STRINGS(sd_gaveup_words);

/* Reasons that a local delivery program (not an SMTP server) can report. */
static int
sd_local_reason(const char *reason)
{
	static const char *const local[] = {
		"mailboxfull", "mesgtoobig", "exceedlimit", "spamdetected", "policyviolation",
		"virusdetected", "norelaying", "securityerror", "systemerror", "networkerror",
		"suspend", "expired", "contenterror", "systemfull", "notaccept", "mailererror", NULL,
	};
	size_t i;

	for (i = 0; local[i]; i++)
		if (strcmp(local[i], reason) == 0)
			return 1;
	return 0;
}

/* Does the reply say no more than "<recipient> rejected"? Some servers
 * and gateways refuse an address by quoting it back with one verb
 * ("542 bob@example.com Rejected", "550 <bob@example.com>... refused"):
 * the same bare refusal of the recipient address as Postfix's
 * "Recipient address rejected.". The reply code, an enhanced status code
 * and punctuation may surround it, and one parenthesised note may
 * follow; any other word after the reply code makes it something else.
 * Linear in the text. */
static int
sd_bare_recipient_refusal(const char *diag, const char *rcpt, const char *replycode)
{
	static const char *const verbs[] = {"rejected", "refused", "denied", NULL};
	const char *p = diag;
	size_t rl, i;

	if (diag == NULL || rcpt == NULL || (rl = strlen(rcpt)) == 0)
		return 0;
	/* a plain-text bounce puts its own words before the reply: read
	 * from the reply code on */
	if (replycode && strlen(replycode) == 3) {
		const char *q = diag;
		while ((q = strstr(q, replycode)) != NULL) {
			if ((q == diag || !sd_isdigit((unsigned char)q[-1])) && (q[3] == ' ' || q[3] == '-'))
				break;
			q++;
		}
		if (q)
			p = q;
	}
	while (*p && (sd_isdigit((unsigned char)*p) || *p == '.' || *p == '-' || sd_isspace((unsigned char)*p)))
		p++;
	while (*p == '<' || *p == '"' || *p == '\'')
		p++;
	if (strncasecmp(p, rcpt, rl) != 0)
		return 0;
	p += rl;
	while (*p && (*p == '>' || *p == '"' || *p == '\'' || *p == '.' || *p == ':' || *p == ',' ||
		      sd_isspace((unsigned char)*p)))
		p++;
	for (i = 0; verbs[i]; i++) {
		size_t vl = strlen(verbs[i]);
		if (strncasecmp(p, verbs[i], vl) == 0) {
			p += vl;
			while (*p && (*p == '.' || *p == '!' || sd_isspace((unsigned char)*p)))
				p++;
			if (*p == '(') {
				/* Postfix's "(in reply to RCPT TO command)" */
				const char *close = strchr(p, ')');
				if (close == NULL)
					return 0;
				for (p = close + 1; sd_isspace((unsigned char)*p); p++)
					;
			}
			return *p == '\0';
		}
	}
	return 0;
}

/* Pick the reason from what the decoder saw; see the file head. */
static void
sd_resolve_reason(const sd_msgview *m, const sd_rcpt *r, unsigned mta_flags, const char **reason,
		  const char **cause)
{
	sd_class tc, bc;
	int specific = 0;
	const char *sr = sd_reason_from_status(r->status, &specific);
	int temporary = (r->status && r->status[0] == '4') || (r->replycode && r->replycode[0] == '4');

	*cause = NULL;
	if (r->reason) {
		*reason = r->reason;
		return;
	}
	if (r->action && strcmp(r->action, "delivered") == 0) {
		*reason = "delivered";
		return;
	}
	sd_classify_text(r->diag, r->diag ? strlen(r->diag) : 0, &tc);
	if (tc.reason == NULL && sd_bare_recipient_refusal(r->diag, r->recipient, r->replycode)) {
		tc.reason = "userunknown";
		tc.cause = "mailbox.invalid-recipient";
		tc.priority = SD_P_BARE;
	}
	if (r->diagtype && strcasecmp(r->diagtype, "x-unix") == 0) {
		/* X-Unix: the words come from a local delivery
		 * program (procmail, a pipe, the MTA itself), not from a
		 * remote server judging the address. Only causes that such a
		 * program can meet count; anything else is the mailer's own
		 * failure. */
		if (tc.reason && sd_local_reason(tc.reason)) {
			*reason = tc.reason;
			*cause = tc.cause;
		} else if (sr && specific) {
			*reason = sr;
		} else {
			*reason = "mailererror";
		}
		return;
	}
	memset(&bc, 0, sizeof(bc));
	if (tc.reason == NULL)
		sd_classify_text(m->body, m->body_main_len, &bc);

	if (sr && strcmp(sr, "exceedlimit") == 0 && tc.reason && strcmp(tc.reason, "mesgtoobig") == 0 &&
	    tc.priority < SD_P_DECISIVE) {
		/* X.2.3: over the recipient's own size limit, whatever the words */
		*reason = sr;
	} else if (tc.reason && tc.priority >= SD_P_SPECIFIC) {
		*reason = tc.reason;
		*cause = tc.cause;
	} else if (sr && specific) {
		*reason = sr;
		if (tc.reason && strcmp(tc.reason, sr) == 0)
			*cause = tc.cause;
	} else if (tc.reason && (tc.priority > SD_P_WEAK || sr == NULL)) {
		*reason = tc.reason;
		*cause = tc.cause;
	} else if (sr && (tc.reason || strcmp(r->status + 1, ".3.0") != 0)) {
		/* a bare X.3.0 ("other mail system problem") with words that
		 * say nothing known is left for a person to read (onhold) */
		*reason = sr;
		if (tc.reason && strcmp(tc.reason, sr) == 0)
			*cause = tc.cause;
	} else if (bc.reason && bc.priority >= SD_P_GENERIC && !sr) {
		*reason = bc.reason;
		*cause = bc.cause;
	} else {
		*reason = "undefined";
	}
	/* The SMTP stage refines a vague answer: a refusal at MAIL FROM is
	 * about the sender; "unknown user" after the message text was sent
	 * (DATA) means the recipient's filter refused it, since the address
	 * itself had been accepted; a refusal at connection time is a block. */
	if (strcmp(*reason, "userunknown") == 0 && r->status && strncmp(r->status + 1, ".2.0", 4) == 0 &&
	    r->status[4] == '\0') {
		/* X.2.0 says the mailbox exists: its refusal is a filter's */
		*reason = "filtered";
		*cause = NULL;
	} else if (r->command && strcmp(r->command, "DATA") == 0 && strcmp(*reason, "userunknown") == 0 &&
		   !(r->status && strncmp(r->status + 1, ".1.", 3) == 0) && tc.priority < SD_P_DECISIVE) {
		*reason = "filtered";
		*cause = NULL;
	} else if (strcmp(*reason, "userunknown") == 0 && !(sr && strcmp(sr, "userunknown") == 0) &&
		   r->command == NULL && tc.priority < SD_P_DECISIVE && !(mta_flags & SD_MTA_CHECKS_RCPT)) {
		/* "no such user" proves the address unknown when it answered
		 * RCPT TO, came with an X.1.1 code, is a server's own lookup
		 * wording, or comes from a writer that checks recipients at
		 * RCPT itself. Said with no stage or code at all, it is taken
		 * as the answer of a filter in front of the mailbox. */
		*reason = "filtered";
		*cause = NULL;
	} else if (r->command && strcmp(r->command, "MAIL") == 0 &&
		   (strcmp(*reason, "userunknown") == 0 || strcmp(*reason, "hostunknown") == 0 ||
		    strcmp(*reason, "undefined") == 0 || strcmp(*reason, "filtered") == 0 ||
		    (tc.priority < SD_P_SPECIFIC && !specific))) {
		*reason = "rejected";
		*cause = NULL;
	} else if (r->command && (strcmp(r->command, "CONN") == 0 || strcmp(r->command, "HELO") == 0 ||
				  strcmp(r->command, "EHLO") == 0) &&
		   (strcmp(*reason, "undefined") == 0 || strcmp(*reason, "userunknown") == 0 ||
		    strcmp(*reason, "hostunknown") == 0 || tc.priority < SD_P_GENERIC)) {
		*reason = "blocked";
		*cause = NULL;
	}
	/* A temporary failure that the sender gave up on has expired, unless
	 * the words name a specific cause. A temporary DNS failure is a
	 * network problem, not proof that the domain does not exist. */
	if (temporary && r->action && (strcmp(r->action, "delayed") == 0 || strcmp(r->action, "expired") == 0) &&
	    tc.priority < SD_P_GENERIC && !specific) {
		*reason = "expired";
		*cause = NULL;
	}
	/* A connection problem (no SMTP stage) that the sender's server kept
	 * retrying until the queue lifetime ran out has expired: a DSN says so
	 * with a temporary code on a failed recipient; a plain-text bounce
	 * with no status code of its own, with a temporary reply or words
	 * saying the queue gave up. (A status code such as qmail's #4.4.1
	 * names the network problem, and that stays the reason.) */
	if (strcmp(*reason, "networkerror") == 0 && tc.priority < SD_P_SPECIFIC && r->command == NULL &&
	    ((temporary && r->action && strcmp(r->action, "failed") == 0) ||
	     (r->action == NULL && r->status == NULL &&
	      (temporary || (r->diag && sd_phraselist_first(&sd_gaveup_list, r->diag, strlen(r->diag)) >= 0))))) {
		*reason = "expired";
		*cause = NULL;
	}
	/* Nothing recognised: the server's words are kept for a person to
	 * read ("onhold"); with no words at all the reason is unknown. */
	if (strcmp(*reason, "undefined") == 0 && r->diag && r->diag[0] && !r->diag_guessed)
		*reason = "onhold";
	if (temporary && strcmp(*reason, "hostunknown") == 0) {
		*reason = "networkerror";
		*cause = NULL;
	}
}

/* Where the remote server's own reply starts in a diagnostic that quotes
 * it after the reporting MTA's words: Sendmail's "554 <user@example.org>...
 * 550 Host unknown", or a final "... expired.<421 4.4.2 Connection timed
 * out>" naming the last reply received. Otherwise the diagnostic itself. */
static const char *
sd_inner_reply(const char *d)
{
	const char *p;

	if (d == NULL)
		return NULL;
	/* "NNN <address>... MMM text" */
	if (sd_isdigit((unsigned char)d[0]) && sd_isdigit((unsigned char)d[1]) && sd_isdigit((unsigned char)d[2]) &&
	    d[3] == ' ' && d[4] == '<') {
		const char *close = strstr(d + 4, ">... ");
		if (close && (size_t)(close - d) < 330) {
			p = close + 5;
			if ((p[0] == '4' || p[0] == '5') && sd_isdigit((unsigned char)p[1]) &&
			    sd_isdigit((unsigned char)p[2]) && p[3] == ' ')
				return p;
		}
	}
	/* "...<NNN X.Y.Z text>" at the end */
	p = strrchr(d, '<');
	if (p && p > d && (p[1] == '4' || p[1] == '5') && sd_isdigit((unsigned char)p[2]) &&
	    sd_isdigit((unsigned char)p[3]) && p[4] == ' ' && strchr(p, '>') && strchr(p, '>')[1] == '\0')
		return p + 1;
	return d;
}

/* Wordings that say the failure came from retrying a temporary error:
 * with no status code of its own, such a result gets a 4.x.x one. */
static const char *const sd_retried_words[] = {
	"all hosts have been failing",
	"will be retried",
	"retry time not reached",
	"still trying",
};
static sd_phraselist sd_retried_list = SD_PHRASELIST_STRINGS(sd_retried_words);

static int
sd_assemble(const sd_msgview *m, const sd_rcpts *rc, const char *origin, sd_report *rep)
{
	sd_arena *a = rep->arena;
	smtpdoc_result *res;
	const char *bounce_date = sd_headers_get(&m->top, "Date");
	const char *addresser = NULL, *body_command, *mta, *agent = rc->agent ? rc->agent : "";
	unsigned mta_flags = 0;
	size_t i;

	res = sd_arena_alloc(a, (rc->n ? rc->n : 1) * sizeof(*res));
	if (res == NULL)
		return -1;
	if (m->has_orig) {
		addresser = sd_clean_address(a, sd_headers_get(&m->orig, "From"));
		if (addresser == NULL)
			addresser = sd_clean_address(a, sd_headers_get(&m->orig, "Return-Path"));
	}
	if (addresser == NULL)
		addresser = sd_clean_address(a, sd_headers_get(&m->top, "To"));

	body_command = m->body_command;
	mta = sd_identify_mta(m, &mta_flags);
	/* generic decoders report the writer they recognised */
	if (mta && (strcmp(agent, "RFC3464") == 0 || strcmp(agent, "TextBounce") == 0))
		agent = mta;
	for (i = 0; i < rc->n; i++) {
		const sd_rcpt *r = &rc->v[i];
		smtpdoc_result *o = &res[i];
		const smtpdoc_cause *cause;
		const char *reason, *cause_id;
		char code[16], tz[8];
		const char *reply;
		int guessed;

		o->recipient = r->recipient;
		o->addresser = r->addresser ? r->addresser : addresser;
		o->senderdomain = sd_domain_of(o->addresser);
		o->destination = sd_domain_of(r->recipient);
		o->alias = (r->alias && r->recipient && strcasecmp(r->alias, r->recipient) != 0) ? r->alias : NULL;
		{
			const char *d = r->diag;
			guessed = 0;
			if (d == NULL || !*d) {
				d = sd_text_context(m, r->recipient);
				guessed = 1;
			}
			if (d == NULL || !*d)
				d = sd_text_reply_line(m);
			o->diagnosticcode = sd_unquote_reply(a, sd_squash_spaces(a, d));
		}
		o->deliverystatus = r->status;
		reply = sd_inner_reply(o->diagnosticcode);
		if (reply && sd_find_error_status(reply, strlen(reply), code)) {
			/* the code in the server's own reply wins over the one the
			 * reporting MTA summed it up with (Status: 5.0.0, 4.4.7
			 * "expired", 5.1.1 for any refusal), when both agree on
			 * the class and the reply's code says more than X.0.0 */
			if (o->deliverystatus == NULL ||
			    (code[0] == o->deliverystatus[0] && strcmp(code + 1, ".0.0") != 0))
				o->deliverystatus = sd_arena_strdup(a, code);
		}
		o->replycode = r->replycode;
		if (o->replycode == NULL && reply && sd_find_replycode(reply, strlen(reply), code))
			o->replycode = sd_arena_strdup(a, code);
		{
			sd_rcpt tmp = *r;
			tmp.status = o->deliverystatus;
			tmp.replycode = o->replycode;
			tmp.diag = o->diagnosticcode;
			tmp.diag_guessed = guessed || r->diag_guessed;
			/* the decoder's stage, else the reply's, else the bounce's;
			 * "" from the decoder means it knows none was named */
			if (tmp.command == NULL)
				tmp.command = sd_find_command(o->diagnosticcode);
			if (tmp.command == NULL)
				tmp.command = body_command;
			if (tmp.command && tmp.command[0] == '\0')
				tmp.command = NULL;
			o->smtpcommand = tmp.command;
			sd_resolve_reason(m, &tmp, mta_flags, &reason, &cause_id);
			o->rhost = r->rhost ? r->rhost : sd_find_rhost(a, r->diag);
			if (r->reason == NULL) {
				const char *pr = sd_provider_refine(o->rhost, r->recipient,
								    r->lhost ? r->lhost : rc->lhost, tmp.command,
								    o->deliverystatus, o->diagnosticcode);
				if (pr) {
					reason = pr;
					cause_id = NULL;
				}
			}
		}
		o->reason = reason;
		cause = cause_id ? smtpdoc_cause_find(cause_id) : NULL;
		if (cause == NULL || strcmp(cause->reason, reason) != 0)
			cause = smtpdoc_cause_for_reason(reason);
		o->cause = cause->id;
		o->hardbounce = cause->hard;
		/* a temporary failure is never a hard bounce, whatever the cause:
		 * the server itself says the address may work later */
		if ((o->deliverystatus && o->deliverystatus[0] == '4') || (o->replycode && o->replycode[0] == '4'))
			o->hardbounce = 0;
		if (o->deliverystatus == NULL && strcmp(reason, "vacation") != 0 &&
		    strcmp(reason, "feedback") != 0 && strcmp(reason, "delivered") != 0) {
			int temp = (o->replycode && o->replycode[0] == '4') ||
				   (r->action && strcmp(r->action, "delayed") == 0) ||
				   (o->diagnosticcode &&
				    sd_phraselist_first(&sd_retried_list, o->diagnosticcode,
							strlen(o->diagnosticcode)) >= 0);
			o->deliverystatus = sd_arena_strdup(a, sd_pseudo_status(reason, temp, code));
		}
		o->action = r->action;
		if (o->action == NULL) {
			if (strcmp(reason, "delivered") == 0)
				o->action = "delivered";
			else if (strcmp(reason, "vacation") != 0 && strcmp(reason, "feedback") != 0)
				o->action = (o->deliverystatus && o->deliverystatus[0] == '4') ? "delayed" : "failed";
		}
		o->diagnostictype = r->diagtype;
		if (o->diagnostictype == NULL && o->replycode)
			o->diagnostictype = "SMTP";
		if (o->diagnostictype) {
			char *t = sd_arena_strdup(a, o->diagnostictype);
			if (t && strcasecmp(t, "smtp") == 0)
				t = "SMTP";
			o->diagnostictype = t;
		}
		tz[0] = '\0';
		o->timestamp = sd_parse_date(r->date, tz);
		if (o->timestamp == 0)
			o->timestamp = sd_parse_date(bounce_date, tz);
		o->timezoneoffset = tz[0] ? sd_arena_strdup(a, tz) : NULL;
		o->origin = rep->pub.origin;
		o->smtpagent = agent[0] ? agent : NULL;
		o->lhost = r->lhost ? r->lhost : rc->lhost;
		if (m->has_orig) {
			o->messageid = sd_strip_angles(a, sd_headers_get(&m->orig, "Message-ID"));
			o->subject = sd_headers_get(&m->orig, "Subject");
			o->listid = sd_headers_get(&m->orig, "List-Id");
		}
		o->feedbacktype = r->feedbacktype;
		o->token = sd_token(a, o->addresser, r->recipient, o->timestamp);
	}
	rep->pub.results = res;
	rep->pub.count = rc->n;
	(void)origin;
	return 0;
}

int
sd_looks_like_bounce_scan(const sd_msgview *m)
{
	const char *from = sd_headers_get(&m->top, "From");
	const char *subject = sd_headers_get(&m->top, "Subject");
	static const char *const subj[] = {"undeliver", "delivery status", "returned mail", "failure notice",
					   "delivery fail", "mail delivery", "non-delivery", "could not be delivered",
					   "returning message", "delivery notification", "mail error", NULL};
	static const char *const body[] = {"could not be delivered", "couldn't be delivered",
					   "was not delivered", "wasn't delivered", "unable to deliver",
					   "undeliverable", "delivery failed", "delivery has failed",
					   "permanent error", "failed permanently", "not be delivered", NULL};
	size_t i, n = m->body_main_len < 2048 ? m->body_main_len : 2048;

	if (m->dsn || m->is_multipart_report)
		return 1;
	if (from && (sd_strcasestr(from, "mailer-daemon") || sd_strcasestr(from, "postmaster") ||
		     sd_strcasestr(from, "post_master") || sd_strcasestr(from, "mailer_daemon")))
		return 1;
	/* The rest counts only in a machine's message: one sent with the
	 * null return path, marked auto-submitted, or naming its failed
	 * recipients in X-Failed-Recipients (or a bounce forwarded by a
	 * person, quoting MAILER-DAEMON). A person's mail may well have
	 * "Undeliverable" in its Subject or "could not be delivered" in its
	 * text. */
	{
		const char *rp = sd_headers_get(&m->top, "Return-Path");
		const char *as = sd_headers_get(&m->top, "Auto-Submitted");
		int machine = (rp && strstr(rp, "<>") != NULL) || (as && !sd_strcaseprefix(as, "no")) ||
			      sd_headers_get(&m->top, "X-Failed-Recipients") != NULL ||
			      sd_memcasemem(m->body, n, "mailer-daemon", 13) != NULL;
		for (i = 0; machine && subject && subj[i]; i++)
			if (sd_strcasestr(subject, subj[i]))
				return 1;
		for (i = 0; machine && body[i]; i++)
			if (sd_memcasemem(m->body, n, body[i], strlen(body[i])))
				return 1;
	}
	return 0;
}

smtpdoc_status
smtpdoc_decode(const void *data, size_t len, const char *origin, smtpdoc_report **out)
{
	smtpdoc_status st;
	sd_report *rep = NULL;
	sd_msgview view;
	sd_rcpts rc;
	size_t i;

	if (out == NULL || (data == NULL && len > 0))
		return SMTPDOC_EINVAL;
	*out = NULL;
	st = smtpdoc_init();
	if (st != SMTPDOC_OK)
		return st;
	if (len == 0)
		return SMTPDOC_EEMPTY;
	if (len > SMTPDOC_MAX_MESSAGE_BYTES)
		return SMTPDOC_ETOOBIG;
	rep = calloc(1, sizeof(*rep));
	if (rep == NULL || (rep->arena = sd_arena_new()) == NULL) {
		free(rep);
		return SMTPDOC_ENOMEM;
	}
	rep->pub.origin = sd_arena_strdup(rep->arena, origin ? origin : "-");
	st = sd_mime_read(data, len, rep->arena, &view);
	if (st != SMTPDOC_OK)
		goto fail;
	sd_scan_body(&view);
	view.mta = sd_identify_mta_scan(&view, &view.mta_flags);
	view.bounce_like = sd_looks_like_bounce_scan(&view);
	memset(&rc, 0, sizeof(rc));
	for (i = 0; sd_decoders[i]; i++) {
		if (sd_decoders[i]->decode(&view, &rc) > 0)
			break;
		rc.n = 0;
	}
	rep->pub.raw = sd_arena_strndup(rep->arena, data, len);
	rep->pub.raw_len = len;
	if (rc.n == 0) {
		if (rc.why) {
			rep->pub.kind = SMTPDOC_KIND_UNDECODED;
			rep->pub.why = rc.why;
		} else if (sd_looks_like_bounce(&view)) {
			rep->pub.kind = SMTPDOC_KIND_UNDECODED;
			rep->pub.why = "looks like a bounce, but no failed recipient could be found in it";
		} else {
			rep->pub.kind = SMTPDOC_KIND_NOT_BOUNCE;
			rep->pub.why = "not a bounce: no delivery report, failure text or automatic reply found";
		}
		*out = &rep->pub;
		return SMTPDOC_OK;
	}
	if (sd_assemble(&view, &rc, origin, rep) != 0) {
		st = SMTPDOC_ENOMEM;
		goto fail;
	}
	rep->pub.kind = SMTPDOC_KIND_BOUNCE;
	if (rc.truncated)
		rep->pub.why = "more recipients than the limit; the rest were not decoded";
	*out = &rep->pub;
	return SMTPDOC_OK;
fail:
	sd_arena_free(rep->arena);
	free(rep);
	return st;
}

void
smtpdoc_report_free(smtpdoc_report *report)
{
	sd_report *rep = (sd_report *)report;

	if (rep == NULL)
		return;
	sd_arena_free(rep->arena);
	free(rep);
}

/* ---- one live SMTP reply ------------------------------------------------ */

void
sd_reply_reason(const char *replycode, const char *status, const char *text, const char *command,
		const char *rhost, const char *recipient, const char **reason, const char **cause_id)
{
	static const char empty[] = "";
	sd_msgview view;
	sd_rcpt r;
	const char *rs = NULL, *cid = NULL, *pr;
	const smtpdoc_cause *cause;

	memset(&view, 0, sizeof(view));
	view.body = empty;
	view.mta_body_sign = -1;
	memset(&r, 0, sizeof(r));
	r.recipient = recipient;
	r.action = (replycode && replycode[0] == '4') ? "delayed" : "failed";
	r.status = status && status[0] ? status : NULL;
	r.replycode = replycode && replycode[0] ? replycode : NULL;
	r.diag = text;
	r.diagtype = "SMTP";
	r.command = command && command[0] ? command : NULL;
	/* the prober asked at this stage itself: its words are the server's
	 * own, heard directly, as a server that checks at RCPT says them */
	sd_resolve_reason(&view, &r, SD_MTA_CHECKS_RCPT, &rs, &cid);
	pr = sd_provider_refine(rhost, recipient, NULL, r.command, r.status, text);
	if (pr) {
		rs = pr;
		cid = NULL;
	}
	cause = cid ? smtpdoc_cause_find(cid) : NULL;
	if (cause == NULL || strcmp(cause->reason, rs) != 0)
		cause = smtpdoc_cause_for_reason(rs);
	*reason = rs;
	*cause_id = cause->id;
}
