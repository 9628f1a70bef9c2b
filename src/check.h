/*
 * check.h - the pieces of `smtpdoc check` (check.c runs them): SPF lines
 * (check_spf.c) and connection lines (check_smtp.c), added to the same
 * checklist as the DNS checks of dnscheck.h.
 */
#ifndef SMTPDOC_CHECK_H
#define SMTPDOC_CHECK_H

#include "dns.h"
#include "dnscheck.h"
#include "internal.h"

#define SD_CHECK_MAX_SMTP_HOSTS 6 /* MX hosts probed on port 25 */

/* What the connection checks need to know. */
typedef struct sd_check_run {
	const char *helo;   /* EHLO name */
	int timeout_ms;     /* per network step */
	unsigned port;      /* the MX hosts' SMTP port (25) */
} sd_check_run;

/* "spf.record" for domain, and "spf.ip" when ip is not NULL. */
void sd_check_spf(sd_dns_lookup_fn lookup, void *lctx, const char *domain, const char *ip, const char *helo,
		  sd_check_list *out);
/* "mx.smtp" for each MX host already in out (its "mx.host" items),
 * "network.port25" when none answered and all timed out, and
 * "submission.587"/"submission.465" for the first MX host. */
void sd_check_smtp(const sd_check_run *run, sd_check_list *out);

#endif
