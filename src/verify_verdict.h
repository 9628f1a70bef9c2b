/*
 * verify_verdict.h - from what was learnt about one address to its verdict.
 *
 * `smtpdoc verify` gathers facts about an address (its syntax, its
 * domain's DNS, the SMTP replies of the best MX, a catch-all probe) and
 * sd_verify_decide() turns them into the verdict the user reads:
 * deliverable, undeliverable, risky or unknown, with the reason (in
 * Sisimai's vocabulary, as `explain` gives it) and the catalog cause that
 * say why, and whether trying again later may give another answer. It is a
 * pure function: no I/O, tested on tables of facts.
 */
#ifndef SMTPDOC_VERIFY_VERDICT_H
#define SMTPDOC_VERIFY_VERDICT_H

#include "dns.h"

typedef enum sd_verdict {
	SD_VERDICT_DELIVERABLE = 0,
	SD_VERDICT_UNDELIVERABLE,
	SD_VERDICT_RISKY,
	SD_VERDICT_UNKNOWN,
} sd_verdict;

/* "deliverable", "undeliverable", "risky", "unknown" */
const char *sd_verdict_name(sd_verdict v);

/* How far the SMTP probe got. */
typedef enum sd_probe_stage {
	SD_PROBE_NOT_RUN = 0,  /* --no-smtp, or stopped before (syntax, DNS) */
	SD_PROBE_NO_CONNECT,   /* no MX host could be reached */
	SD_PROBE_REFUSED,      /* the server refused us before RCPT (banner,
				* EHLO or MAIL FROM answered 4xx/5xx) */
	SD_PROBE_RCPT,         /* RCPT TO was answered */
} sd_probe_stage;

typedef struct sd_smtp_answer {
	const char *code;      /* "550"; NULL when none */
	const char *status;    /* "5.1.1" or NULL */
	const char *text;      /* the reply as the server wrote it */
	const char *command;   /* what it answered: "CONN", "EHLO", "MAIL", "RCPT" */
} sd_smtp_answer;

typedef struct sd_verify_facts {
	int syntax_ok;             /* the address parses (RFC 5321 / 6531) */
	sd_dns_status mx_status;   /* the MX lookup of the domain */
	int null_mx;               /* RFC 7505: "0 ." is the only MX */
	int mx_count;              /* usable MX hosts (after null MX) */
	sd_dns_status addr_status; /* A/AAAA of the domain when it has no MX */
	sd_probe_stage stage;
	int port_blocked;          /* every connection to port 25 timed out,
				    * for this and other domains: the sender's
				    * network blocks outgoing port 25 */
	sd_smtp_answer refusal;    /* SD_PROBE_REFUSED: the refusing reply */
	sd_smtp_answer rcpt;       /* SD_PROBE_RCPT: the reply to RCPT TO */
	int catch_all;             /* 1: a made-up local part was accepted too;
				    * 0: it was refused; -1: not probed */
	int accepts_all_provider;  /* the domain's provider is known to accept
				    * every RCPT and bounce later */
	const char *mx_host;       /* the MX that answered, for provider rules */
	const char *address;       /* the recipient, for provider rules */
} sd_verify_facts;

typedef struct sd_verify_outcome {
	sd_verdict verdict;
	const char *reason;   /* Sisimai vocabulary, static */
	const char *cause;    /* catalog id, static */
	int retry;            /* a later try may answer differently */
	const char *note;     /* one plain sentence on how the verdict was
			       * reached, static */
} sd_verify_outcome;

void sd_verify_decide(const sd_verify_facts *f, sd_verify_outcome *out);

#endif
