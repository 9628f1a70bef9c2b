/*
 * providers.c - what a receiving provider's reply means at that provider.
 *
 * Some mail providers use ordinary words for an unusual meaning, so the
 * reason a reply implies depends on who said it. The table ties such
 * replies to the provider's mail hosts (the result's rhost, or the
 * recipient's domain), and optionally to the SMTP stage and to status codes
 * the rule must not override. Rules are data; sd_provider_refine() applies
 * the first one that fits.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

typedef struct sd_provider_rule {
	int own_bounce;        /* 1: host is the bounce's writer (lhost), 0: rhost or recipient */
	const char *host;      /* host or domain suffix, e.g. "docomo.ne.jp" */
	const char *command;   /* SMTP stage the rule needs, or NULL */
	const char *phrase;    /* lower-case words in the reply */
	int keep_subject;      /* a status with this subject keeps its reason (-1: none) */
	const char *reason;
} sd_provider_rule;

static const sd_provider_rule sd_provider_rules[] = {
	/* NTT docomo answers the end of DATA with "Unknown user" when the
	 * recipient's reception settings refuse the sender, not when the
	 * mailbox is missing (that is refused at RCPT TO). */
	{0, "docomo.ne.jp", "DATA", "unknown user", 2, "rejected"},
	/* Amazon SES receiving does not look mailboxes up: its "Mailbox does
	 * not exist" is the template of a receipt rule's bounce action, set
	 * up by the domain's owner, i.e. a filter. */
	{1, "amazonaws.com", NULL, "mailbox does not exist", -1, "filtered"},
	/* KDDI au (EZweb, au.com) names the address when it refuses a
	 * recipient at RCPT TO ("550 <user@ezweb.ne.jp>: User unknown"). Its
	 * answer to the end of DATA, when the recipient's reception settings
	 * refuse the sender, has an empty address: "550 : User unknown". That
	 * is a filter, whatever code the reporting server summed it up with. */
	{0, "ezweb.ne.jp", NULL, "550 : user unknown", -1, "filtered"},
	{0, "au.com", NULL, "550 : user unknown", -1, "filtered"},
	{0, NULL, NULL, NULL, 0, NULL},
};

/* Does name end with the domain suffix (whole labels only)? */
static int
sd_host_in(const char *name, const char *suffix)
{
	size_t n, s;

	if (name == NULL)
		return 0;
	n = strlen(name);
	s = strlen(suffix);
	if (n < s || strcasecmp(name + n - s, suffix) != 0)
		return 0;
	return n == s || name[n - s - 1] == '.' || name[n - s - 1] == '@';
}

const char *
sd_provider_refine(const char *rhost, const char *recipient, const char *lhost, const char *command,
		   const char *status, const char *diag)
{
	size_t i;

	if (diag == NULL)
		return NULL;
	for (i = 0; sd_provider_rules[i].host; i++) {
		const sd_provider_rule *r = &sd_provider_rules[i];
		if (r->own_bounce ? !sd_host_in(lhost, r->host)
				  : !sd_host_in(rhost, r->host) && !sd_host_in(recipient, r->host))
			continue;
		if (r->command && !(command && strcmp(command, r->command) == 0))
			continue;
		if (r->keep_subject >= 0 && status && status[1] == '.' && status[2] - '0' == r->keep_subject &&
		    status[3] == '.')
			continue;
		if (!sd_strcasestr(diag, r->phrase))
			continue;
		return r->reason;
	}
	return NULL;
}
