/*
 * mta.c - which mail server or provider wrote a bounce.
 *
 * Each MTA and provider leaves its mark on the bounces it writes: a From
 * address, a Subject, an X-Mailer or vendor header, the opening sentence of
 * its notice. The table below lists those marks, most specific first; the
 * first one found names the writer. The table is compiled once into one
 * automaton per place, so a message is read once per place, not once per
 * sign. Only headers of the bounce itself and
 * the first few kilobytes of its text are looked at, so identification is
 * cheap and never reads an attachment.
 *
 * The answer does two jobs: it names the result's smtpagent, and it tells
 * the classifier what the writer's words can prove. Some writers check the
 * recipient themselves while the sending server is still at RCPT TO
 * (gateways such as McAfee or MessageLabs, webmail providers, Exchange's
 * directory), so their "unknown user" means the address does not exist even
 * though the bounce never names the SMTP stage (SD_MTA_CHECKS_RCPT).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "matcher.h"

enum {
	SD_IN_FROM,     /* From header of the bounce */
	SD_IN_SUBJECT,  /* Subject header */
	SD_IN_HEADER,   /* header named field; text, when given, within its value */
	SD_IN_BODY,     /* the first SD_MTA_BODY_SCAN bytes of the bounce text */
	SD_IN_MSGID,    /* Message-ID of the bounce */
};

typedef struct sd_mta_sign {
	const char *agent;
	int where;
	const char *field;
	const char *text;
} sd_mta_sign;

static const sd_mta_sign sd_mta_signs[] = {
	/* vendor headers: unambiguous */
	{"McAfee", SD_IN_HEADER, "X-NAI-Header", "mcafee"},
	{"MessageLabs", SD_IN_HEADER, "X-Msg-Ref", "messagelabs"},
	{"SurfControl", SD_IN_HEADER, "X-Mailer", "surfcontrol"},
	{"IMailServer", SD_IN_HEADER, "X-Mailer", "<smtp32 v"},
	{"Exchange2003", SD_IN_HEADER, "X-MS-Embedded-Report", NULL},
	{"Exchange2003", SD_IN_HEADER, "X-Mailer", "internet mail service"},
	{"Exchange2003", SD_IN_HEADER, "X-Mailer", "microsoft exchange server internet mail connector"},
	{"PowerMTA", SD_IN_HEADER, "X-PowerMTA-BounceCategory", NULL},
	{"AmazonSES", SD_IN_HEADER, "X-SES-Outgoing", NULL},
	{"MXLogic", SD_IN_HEADER, "X-MXL-NoteHash", NULL},
	{"InterScanMSS", SD_IN_FROM, NULL, "interscan notification"},
	{"ActiveHunter", SD_IN_HEADER, "X-AHMAILID", NULL},
	{"mFILTER", SD_IN_HEADER, "X-Mailer", "m-filter"},
	{"Amavis", SD_IN_FROM, NULL, "content-filter at"},
	{"Barracuda", SD_IN_SUBJECT, NULL, "blocked by our bulk email filter"},
	{"Facebook", SD_IN_FROM, NULL, "mailer-daemon@mx.facebook.com"},
	{"Bigfoot", SD_IN_FROM, NULL, "mailer-daemon@bigfoot.com"},
	{"Biglobe", SD_IN_FROM, NULL, "postmaster@biglobe.ne.jp"},
	{"EZweb", SD_IN_FROM, NULL, "postmaster@ezweb.ne.jp"},
	{"KDDI", SD_IN_FROM, NULL, ".dion.ne.jp"},
	/* providers, by the bounce's sender */
	{"Verizon", SD_IN_FROM, NULL, "vzwpix.com"},
	{"Verizon", SD_IN_FROM, NULL, "vtext.com"},
	{"Yahoo", SD_IN_FROM, NULL, "mailer-daemon@yahoo"},
	{"Outlook", SD_IN_FROM, NULL, "postmaster@hotmail.com"},
	{"Outlook", SD_IN_FROM, NULL, "postmaster@outlook.com"},
	{"Outlook", SD_IN_FROM, NULL, "postmaster@live.com"},
	{"Gmail", SD_IN_FROM, NULL, "mailer-daemon@googlemail.com"},
	{"Gmail", SD_IN_FROM, NULL, "mailer-daemon@google.com"},
	{"MessageLabs", SD_IN_FROM, NULL, "mailer-daemon@messagelabs.com"},
	{"MXLogic", SD_IN_FROM, NULL, "mxlogic.net"},
	/* the opening words of each MTA's notice rank here: see
	 * sd_mta_body_signs below */
	{"", SD_IN_BODY, NULL, NULL},
	{"Exim", SD_IN_HEADER, "X-Failed-Recipients", NULL},
	{NULL, 0, NULL, NULL},
};

/* The opening words of each MTA's notice, looked for in the first
 * SD_MTA_BODY_SCAN bytes of the bounce text by sd_scan_body() (one pass
 * with the other lists that read the text); the first one found in table
 * order names the writer, ranked where the placeholder row stands in the
 * table above. */
typedef struct sd_mta_body_sign {
	const char *agent;
	const char *text;
} sd_mta_body_sign;

static const sd_mta_body_sign sd_mta_body_signs[] = {
	{"Facebook", "this message was created automatically by facebook"},
	{"Exim", "this message was created automatically by mail delivery software"},
	{"DragonFly", "this is the dragonfly mail agent"},
	{"MessagingServer", "this report relates to a message you sent with the following header fields"},
	{"Exchange2007", "delivery has failed to these recipients or distribution lists"},
	{"MailFoundry", "delivery failed for the following reason:\nserver"},
	{"MailMarshalSMTP", "your message:\n   from:"},
	{"qmail", "this is the qmail-send program"},
	{"Postfix", "this is the mail system at host"},
	{"Postfix", "this is the postfix program at host"},
	{"Sendmail", "the original message was received at"},
	{"OpenSMTPD", "this is the mailer-daemon, please do not reply"},
	{"Gmail", "delivery to the following recipient failed"},
	{"Exchange2003", "did not reach the following recipient"},
	{"Courier", "courier mail server"},
	{"Yahoo", "message from yahoo"},
	{NULL, NULL},
};

sd_phraselist sd_mta_body_list = SD_PHRASELIST(sd_mta_body_signs, sd_mta_body_sign, text);

/* Writers that verify recipients themselves at RCPT TO time. */
static const char *const sd_mta_rcpt_checkers[] = {
	"McAfee", "MessageLabs", "IMailServer", "Exchange2003", "PowerMTA", "InterScanMSS",
	"Verizon", "Yahoo", "Gmail", "Outlook", NULL,
};

/* ---- the table compiled once ------------------------------------------
 * One automaton per place (From, Subject, body, Message-ID) over the
 * texts of that place's rows, so each place is read once whatever the
 * number of signs; header rows are checked in one pass over the headers.
 * A match reports its row; the lowest row found wins. */
enum { SD_NPLACES = SD_IN_MSGID + 1 };

#define SD_MTA_MAX_HEADER_ROWS 32

static struct {
	sd_matcher *m[SD_NPLACES];
	int *row[SD_NPLACES]; /* pattern index -> table row */
	size_t hrows[SD_MTA_MAX_HEADER_ROWS]; /* the header rows, in order */
	size_t nhrows;
	size_t body_row; /* the placeholder row of the body signs */
	int ok;
} sd_mta_compiled;
static pthread_once_t sd_mta_once = PTHREAD_ONCE_INIT;

static void
sd_mta_compile(void)
{
	size_t nrows = sizeof(sd_mta_signs) / sizeof(sd_mta_signs[0]);
	const char **texts = malloc(nrows * sizeof(*texts));
	int *prio = malloc(nrows * sizeof(*prio));
	int place, ok = texts && prio;

	for (place = 0; ok && place < SD_NPLACES; place++) {
		size_t i, n = 0;
		if (place == SD_IN_BODY) {
			for (i = 0; sd_mta_signs[i].agent; i++)
				if (sd_mta_signs[i].where == SD_IN_BODY)
					sd_mta_compiled.body_row = i;
			continue;
		}
		if (place == SD_IN_HEADER) {
			for (i = 0; sd_mta_signs[i].agent; i++)
				if (sd_mta_signs[i].where == SD_IN_HEADER && n < SD_MTA_MAX_HEADER_ROWS)
					sd_mta_compiled.hrows[n++] = i;
			sd_mta_compiled.nhrows = n;
			continue;
		}
		sd_mta_compiled.row[place] = malloc(nrows * sizeof(int));
		if (sd_mta_compiled.row[place] == NULL) {
			ok = 0;
			break;
		}
		for (i = 0; sd_mta_signs[i].agent; i++) {
			if (sd_mta_signs[i].where != place)
				continue;
			texts[n] = sd_mta_signs[i].text;
			prio[n] = (int)(nrows - i);
			sd_mta_compiled.row[place][n++] = (int)i;
		}
		if (n && (sd_mta_compiled.m[place] = sd_matcher_new(texts, prio, n)) == NULL)
			ok = 0;
	}
	free(texts);
	free(prio);
	sd_mta_compiled.ok = ok;
}

/* The lowest table row whose text occurs in text, or nrows. */
static size_t
sd_mta_first_row(int place, const char *text, size_t len, size_t nrows)
{
	int k;

	if (text == NULL || len == 0 || sd_mta_compiled.m[place] == NULL)
		return nrows;
	k = sd_matcher_best(sd_mta_compiled.m[place], text, len);
	return k < 0 ? nrows : (size_t)sd_mta_compiled.row[place][k];
}

const char *
sd_identify_mta_scan(const sd_msgview *m, unsigned *flags)
{
	size_t nrows = sizeof(sd_mta_signs) / sizeof(sd_mta_signs[0]) - 1;
	size_t best = nrows, i, k, r;
	const char *from = NULL, *subject = NULL, *msgid = NULL, *agent = NULL;

	if (flags)
		*flags = 0;
	pthread_once(&sd_mta_once, sd_mta_compile);
	if (!sd_mta_compiled.ok)
		return NULL;
	/* one pass over the bounce's headers */
	for (i = 0; i < m->top.n; i++) {
		const sd_header *h = &m->top.v[i];
		int c = sd_tolower((unsigned char)h->name[0]);
		if (from == NULL && c == 'f' && strcasecmp(h->name, "From") == 0)
			from = h->value;
		else if (subject == NULL && c == 's' && strcasecmp(h->name, "Subject") == 0)
			subject = h->value;
		else if (msgid == NULL && c == 'm' && strcasecmp(h->name, "Message-ID") == 0)
			msgid = h->value;
		for (k = 0; k < sd_mta_compiled.nhrows && (r = sd_mta_compiled.hrows[k]) < best; k++) {
			const sd_mta_sign *s = &sd_mta_signs[r];
			if (sd_tolower((unsigned char)s->field[0]) != c || strcasecmp(h->name, s->field) != 0)
				continue;
			if (s->text == NULL || sd_strcasestr(h->value, s->text) != NULL)
				best = r;
		}
	}
	r = sd_mta_first_row(SD_IN_FROM, from, from ? strlen(from) : 0, nrows);
	best = r < best ? r : best;
	r = sd_mta_first_row(SD_IN_SUBJECT, subject, subject ? strlen(subject) : 0, nrows);
	best = r < best ? r : best;
	r = sd_mta_first_row(SD_IN_MSGID, msgid, msgid ? strlen(msgid) : 0, nrows);
	best = r < best ? r : best;
	/* the body signs, found by sd_scan_body(), rank at the placeholder */
	if (m->mta_body_sign >= 0 && sd_mta_compiled.body_row < best)
		agent = sd_mta_body_signs[m->mta_body_sign].agent;
	else if (best < nrows)
		agent = sd_mta_signs[best].agent;
	if (agent == NULL)
		return NULL;
	if (flags) {
		for (k = 0; sd_mta_rcpt_checkers[k]; k++)
			if (strcmp(sd_mta_rcpt_checkers[k], agent) == 0)
				*flags |= SD_MTA_CHECKS_RCPT;
	}
	return agent;
}
