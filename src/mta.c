/*
 * mta.c - which mail server or provider wrote a bounce.
 *
 * Each MTA and provider leaves its mark on the bounces it writes: a From
 * address, a Subject, an X-Mailer or vendor header, the opening sentence of
 * its notice. The table below lists those marks, most specific first; the
 * first one found names the writer. Only headers of the bounce itself and
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
#include <string.h>

#include "internal.h"

enum {
	SD_IN_FROM,     /* From header of the bounce */
	SD_IN_SUBJECT,  /* Subject header */
	SD_IN_HEADER,   /* header named field; text, when given, within its value */
	SD_IN_BODY,     /* the first SD_MTA_BODY_SCAN bytes of the bounce text */
	SD_IN_MSGID,    /* Message-ID of the bounce */
};

#define SD_MTA_BODY_SCAN 4096

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
	/* the opening words of each MTA's notice */
	{"Facebook", SD_IN_BODY, NULL, "this message was created automatically by facebook"},
	{"Exim", SD_IN_BODY, NULL, "this message was created automatically by mail delivery software"},
	{"DragonFly", SD_IN_BODY, NULL, "this is the dragonfly mail agent"},
	{"MessagingServer", SD_IN_BODY, NULL, "this report relates to a message you sent with the following header fields"},
	{"Exchange2007", SD_IN_BODY, NULL, "delivery has failed to these recipients or distribution lists"},
	{"MailFoundry", SD_IN_BODY, NULL, "delivery failed for the following reason:\nserver"},
	{"MailMarshalSMTP", SD_IN_BODY, NULL, "your message:\n   from:"},
	{"qmail", SD_IN_BODY, NULL, "this is the qmail-send program"},
	{"Postfix", SD_IN_BODY, NULL, "this is the mail system at host"},
	{"Postfix", SD_IN_BODY, NULL, "this is the postfix program at host"},
	{"Sendmail", SD_IN_BODY, NULL, "the original message was received at"},
	{"OpenSMTPD", SD_IN_BODY, NULL, "this is the mailer-daemon, please do not reply"},
	{"Gmail", SD_IN_BODY, NULL, "delivery to the following recipient failed"},
	{"Exchange2003", SD_IN_BODY, NULL, "did not reach the following recipient"},
	{"Courier", SD_IN_BODY, NULL, "courier mail server"},
	{"Yahoo", SD_IN_BODY, NULL, "message from yahoo"},
	{"Exim", SD_IN_HEADER, "X-Failed-Recipients", NULL},
	{NULL, 0, NULL, NULL},
};

/* Writers that verify recipients themselves at RCPT TO time. */
static const char *const sd_mta_rcpt_checkers[] = {
	"McAfee", "MessageLabs", "IMailServer", "Exchange2003", "PowerMTA", "InterScanMSS",
	"Verizon", "Yahoo", "Gmail", "Outlook", NULL,
};

static int
sd_sign_matches(const sd_msgview *m, const sd_mta_sign *s)
{
	const char *v = NULL;
	size_t n;

	switch (s->where) {
	case SD_IN_FROM:
		v = sd_headers_get(&m->top, "From");
		break;
	case SD_IN_SUBJECT:
		v = sd_headers_get(&m->top, "Subject");
		break;
	case SD_IN_MSGID:
		v = sd_headers_get(&m->top, "Message-ID");
		break;
	case SD_IN_HEADER:
		v = sd_headers_get(&m->top, s->field);
		if (v != NULL && s->text == NULL)
			return 1;
		break;
	case SD_IN_BODY:
		n = m->body_main_len < SD_MTA_BODY_SCAN ? m->body_main_len : SD_MTA_BODY_SCAN;
		return sd_memcasemem(m->body, n, s->text, strlen(s->text)) != NULL;
	default:
		return 0;
	}
	return v != NULL && s->text != NULL && sd_strcasestr(v, s->text) != NULL;
}

const char *
sd_identify_mta_scan(const sd_msgview *m, unsigned *flags)
{
	size_t i;

	if (flags)
		*flags = 0;
	for (i = 0; sd_mta_signs[i].agent; i++) {
		if (!sd_sign_matches(m, &sd_mta_signs[i]))
			continue;
		if (flags) {
			size_t k;
			for (k = 0; sd_mta_rcpt_checkers[k]; k++)
				if (strcmp(sd_mta_rcpt_checkers[k], sd_mta_signs[i].agent) == 0)
					*flags |= SD_MTA_CHECKS_RCPT;
		}
		return sd_mta_signs[i].agent;
	}
	return NULL;
}
