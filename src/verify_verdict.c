/*
 * verify_verdict.c - the verdict on one address from the facts gathered
 * (see verify_verdict.h).
 *
 * The order of the rules follows the order of the checks: an address that
 * does not parse, a domain that does not exist or accepts no mail, a DNS or
 * network failure that leaves the question open, a server that refused the
 * probe itself, and finally the reply to RCPT TO. That reply is read with
 * the same rules as a bounce (sd_reply_reason); the verdict then depends on
 * what the reason says about the address:
 *   - it does not exist, moved, is disabled, or the domain is not served
 *     there: undeliverable;
 *   - the mailbox is full: risky (it may be emptied);
 *   - anything about the sender or the connection (a block list, a policy,
 *     a rate limit, an unrecognised reply): unknown, since the server never
 *     said whether the address exists;
 *   - 4xx: unknown, try again later (greylisting, a full queue).
 * A 2xx is deliverable unless the server accepts every address (a made-up
 * local part was accepted as well, or the provider is known to accept at
 * RCPT and bounce later): then it is risky, never deliverable.
 */
#include <string.h>

#include "internal.h"
#include "verify_verdict.h"

const char *
sd_verdict_name(sd_verdict v)
{
	switch (v) {
	case SD_VERDICT_DELIVERABLE:
		return "deliverable";
	case SD_VERDICT_UNDELIVERABLE:
		return "undeliverable";
	case SD_VERDICT_RISKY:
		return "risky";
	default:
		return "unknown";
	}
}

static void
sd_set(sd_verify_outcome *o, sd_verdict v, const char *reason, const char *cause, int retry, const char *note)
{
	o->verdict = v;
	o->reason = reason;
	o->cause = cause;
	o->retry = retry;
	o->note = note;
}

static int
sd_is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* Does this reason say something about the address itself? */
static int
sd_reason_condemns_address(const char *r)
{
	return sd_is(r, "userunknown") || sd_is(r, "hostunknown") || sd_is(r, "hasmoved") ||
	       sd_is(r, "notaccept") || sd_is(r, "suspend") || sd_is(r, "norelaying");
}

static void
sd_decide_rcpt(const sd_verify_facts *f, sd_verify_outcome *o)
{
	const sd_smtp_answer *a = &f->rcpt;
	const char *reason = NULL, *cause = NULL;
	char first = a->code ? a->code[0] : '\0';

	if (first == '2') {
		if (f->catch_all == 1)
			sd_set(o, SD_VERDICT_RISKY, "delivered", "verify.accept-all", 0,
			       "the server accepts any address at this domain, even a made-up one, "
			       "so its yes proves nothing");
		else if (f->accepts_all_provider)
			sd_set(o, SD_VERDICT_RISKY, "delivered", "verify.accept-all", 0,
			       "this provider accepts every address while talking and bounces "
			       "unknown ones later, so its yes proves nothing");
		else
			sd_set(o, SD_VERDICT_DELIVERABLE, "delivered", "verify.accepted", 0,
			       "the recipient's server accepted the address");
		return;
	}
	sd_reply_reason(a->code, a->status, a->text, a->command ? a->command : "RCPT", f->mx_host, f->address,
			&reason, &cause);
	if (first == '4') {
		if (sd_is(reason, "mailboxfull"))
			sd_set(o, SD_VERDICT_RISKY, reason, cause, 1,
			       "the mailbox exists but is full for now");
		else
			sd_set(o, SD_VERDICT_UNKNOWN, reason, cause, 1,
			       "the server asked to try again later (greylisting or a temporary "
			       "problem); it did not say whether the address exists");
		return;
	}
	if (first != '5') {
		sd_set(o, SD_VERDICT_UNKNOWN, reason, cause, 1, "the server gave no usable answer to RCPT TO");
		return;
	}
	if (sd_reason_condemns_address(reason))
		sd_set(o, SD_VERDICT_UNDELIVERABLE, reason, cause, 0,
		       "the recipient's server refused the address");
	else if (sd_is(reason, "mailboxfull"))
		sd_set(o, SD_VERDICT_RISKY, reason, cause, 1, "the mailbox exists but is full");
	else
		sd_set(o, SD_VERDICT_UNKNOWN, reason, cause, 0,
		       "the server refused for a reason that is not about the address "
		       "(often about the checking host), so the address may still be good");
}

void
sd_verify_decide(const sd_verify_facts *f, sd_verify_outcome *o)
{
	memset(o, 0, sizeof(*o));
	if (!f->syntax_ok) {
		sd_set(o, SD_VERDICT_UNDELIVERABLE, "userunknown", "address.syntax", 0,
		       "the address is not written the way an email address must be");
		return;
	}
	if (f->mx_status == SD_DNS_NXDOMAIN) {
		sd_set(o, SD_VERDICT_UNDELIVERABLE, "hostunknown", "domain.unknown", 0,
		       "the domain after the @ does not exist");
		return;
	}
	if (f->null_mx) {
		sd_set(o, SD_VERDICT_UNDELIVERABLE, "notaccept", "domain.not-accepting", 0,
		       "the domain publishes a null MX record: it accepts no email");
		return;
	}
	if (f->mx_status != SD_DNS_OK && f->mx_status != SD_DNS_NODATA) {
		sd_set(o, SD_VERDICT_UNKNOWN, "networkerror", "verify.dns-failed", 1,
		       "the domain's mail servers could not be looked up just now");
		return;
	}
	if (f->mx_count == 0) {
		if (f->addr_status == SD_DNS_NODATA || f->addr_status == SD_DNS_NXDOMAIN) {
			sd_set(o, SD_VERDICT_UNDELIVERABLE, "notaccept", "domain.not-accepting", 0,
			       "the domain has neither mail servers (MX) nor an address to "
			       "deliver to");
			return;
		}
		if (f->addr_status != SD_DNS_OK) {
			sd_set(o, SD_VERDICT_UNKNOWN, "networkerror", "verify.dns-failed", 1,
			       "the domain has no MX records and its address could not be "
			       "looked up just now");
			return;
		}
	}
	switch (f->stage) {
	case SD_PROBE_NOT_RUN:
		sd_set(o, SD_VERDICT_UNKNOWN, "undefined", "verify.not-probed", 0,
		       "the domain can receive mail; the mailbox itself was not asked about");
		return;
	case SD_PROBE_NO_CONNECT:
		if (f->port_blocked)
			sd_set(o, SD_VERDICT_UNKNOWN, "networkerror", "network.port-blocked", 1,
			       "no mail server anywhere could be reached on port 25: the network "
			       "this check runs from blocks outgoing port 25");
		else
			sd_set(o, SD_VERDICT_UNKNOWN, "networkerror", "network.unreachable", 1,
			       "none of the domain's mail servers could be reached");
		return;
	case SD_PROBE_REFUSED: {
		const char *reason = NULL, *cause = NULL;
		const sd_smtp_answer *a = &f->refusal;
		sd_reply_reason(a->code, a->status, a->text, a->command, f->mx_host, f->address, &reason, &cause);
		sd_set(o, SD_VERDICT_UNKNOWN, reason, cause, a->code && a->code[0] == '4',
		       "the server refused the check before it could ask about the address");
		return;
	}
	case SD_PROBE_RCPT:
	default:
		sd_decide_rcpt(f, o);
		return;
	}
}
