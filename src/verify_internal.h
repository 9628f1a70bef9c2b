/*
 * verify_internal.h - the state of a smtpdoc_verifier, shared by verify.c
 * (queueing, deciding and handing out answers) and verify_loop.c (the
 * event loop: DNS queries and SMTP sessions in one poll()).
 *
 * Addresses are items; items with the same domain (A-label form) share a
 * domain record, which holds the MX answer, the host being talked to, the
 * catch-all answer and the sessions open. Items and domains live until
 * the verifier is freed.
 */
#ifndef SMTPDOC_VERIFY_INTERNAL_H
#define SMTPDOC_VERIFY_INTERNAL_H

#include "address.h"
#include "dns.h"
#include "smtp_probe.h"
#include "verify_verdict.h"

#define SD_VERIFY_MAX_MX 10        /* MX hosts kept per domain */
#define SD_VERIFY_MAX_ATTEMPTS 2   /* sessions an address may be asked in */
#define SD_VERIFY_DNS_INFLIGHT 64  /* DNS queries started at once */

struct sd_vdomain;

typedef struct sd_vitem {
	char *input;
	sd_address_info info;
	struct sd_vdomain *dom;     /* its domain (also for an address whose local
				     * part is not valid: the domain is still
				     * looked up and reported), or NULL */
	int noprobe;                /* not valid: its domain is looked up, but no
				     * server is asked about it */
	int queued;                 /* in a session's queue now */
	int attempts;               /* sessions it was queued in */
	int answered;               /* reply holds the RCPT answer */
	int done;                   /* handed out */
	char code[4], status[16];
	char *text;                 /* the reply text, one line */
} sd_vitem;

#define SD_VERIFY_TEMP_BACKOFF 2.0 /* seconds before retrying after a 4xx refusal */

/* A domain's progress: waiting to ask MX; asking MX; asking the domain's
 * own address (no MX); a host to resolve; resolving it; ready for
 * sessions; every host timed out while no connection has worked anywhere
 * yet (parked until it is known whether port 25 is blocked); every
 * address answered. */
enum { SD_VD_NEW = 0, SD_VD_MX, SD_VD_ADDR, SD_VD_HOST, SD_VD_HOSTQ, SD_VD_READY, SD_VD_PARKED, SD_VD_DONE };

typedef struct sd_vdomain {
	struct smtpdoc_verifier *v;
	char *name;                 /* A-label form */
	sd_vitem **items;
	size_t n, cap;
	size_t cursor;              /* items before it were queued once */
	sd_vitem **requeue;         /* items to ask again (a session broke) */
	size_t nrequeue, caprequeue;
	size_t undecided;
	int state;                  /* SD_VD_* */
	/* DNS */
	sd_dns_status mx_status, addr_status;
	int null_mx;
	char *hosts[SD_VERIFY_MAX_MX];
	size_t nhosts, host;        /* host: the one being tried */
	char glue[SD_VERIFY_MAX_MX][64]; /* hosts' addresses sent with the MX
				     * answer (additional section), or "" */
	char ip[64];
	/* SMTP */
	unsigned active;            /* sessions open */
	unsigned unfinished;        /* of them, still taking addresses */
	size_t unfinished_queued;   /* addresses queued in those */
	int catch_all;              /* -1 unknown, 0 no, 1 yes */
	int catch_all_asked;        /* the made-up address is queued or answered */
	int catch_all_tries;        /* sessions it was queued in */
	int catch_all_settled;      /* answered, or given up on: more sessions
				     * may open */
	int aaaa_tried;             /* the current host's AAAA was asked */
	int connected;              /* some session reached the server */
	int last_timeout;           /* the last session failed by a timeout */
	int refused;                /* the server refused the probe itself */
	char refusal_code[4], refusal_status[16];
	char *refusal_text;
	const char *refusal_command;
	int accepts_all;            /* a provider known to accept every RCPT */
	struct sd_vhost *slot;      /* the MX address's shared connection count */
	double retry_at;            /* after a 4xx refusal: no session before */
	double next_rcpt_at;        /* rate limit: earliest next RCPT (s) */
} sd_vdomain;

/* One MX address, shared by every domain whose MX it is: connections
 * are limited per address too, so that many domains hosted by one
 * provider do not add up to a flood of connections to it. */
typedef struct sd_vhost {
	char ip[64];
	unsigned active;
	struct sd_vhost *next;
} sd_vhost;

/* A session's context: its domain and the session. */
typedef struct sd_vsession {
	struct smtpdoc_verifier *v;
	sd_vdomain *dom;
	sd_vhost *slot;             /* its MX address's connection count */
	sd_smtp_session *s;
	size_t queued;              /* addresses queued in it */
	int finished;               /* sd_smtp_session_finish was called */
	struct sd_vsession *next;
} sd_vsession;

struct smtpdoc_verifier {
	smtpdoc_verify_options o;
	char helo[256], from[320];
	sd_vitem **items;
	size_t n, cap, decided;
	sd_vdomain **domains;
	size_t ndomains, capdomains;
	sd_vdomain **table;         /* hash table of domains by name */
	size_t tablecap;
	sd_resolver *resolver;
	size_t dns_inflight;
	sd_vsession *sessions;
	sd_vhost *hosts;            /* MX addresses seen (a short list: only
				     * addresses actually connected to) */
	sd_smtp_tlsctx *tls;
	/* port 25 blocked: no connection ever made, timeouts to several hosts */
	unsigned long connect_timeouts, connects_ok;
	int port_blocked;
	unsigned long connections, rcpts;
	smtpdoc_verification_fn on_result;
	smtpdoc_progress_fn on_progress;
	void *ctx;
	sd_domfreq *freq;           /* domains of the whole list, for typos */
	const sd_domcount *freq_top; /* its most frequent, worked out once */
	size_t nfreq_top;
};

/* verify.c */
void sd_verify_decide_item(struct smtpdoc_verifier *v, sd_vitem *it, const sd_verify_facts *f);
void sd_verify_decide_domain(struct smtpdoc_verifier *v, sd_vdomain *d, sd_probe_stage stage);
/* it has its RCPT answer (it->code, status, text): decide and hand out */
void sd_verify_item_answered(struct smtpdoc_verifier *v, sd_vitem *it);
/* the addresses of d that are not valid, once d's DNS is known */
void sd_verify_decide_noprobe(struct smtpdoc_verifier *v, sd_vdomain *d);
/* it cannot be asked (again): decide it with what its domain knows */
void sd_verify_item_failed(struct smtpdoc_verifier *v, sd_vitem *it, sd_probe_stage stage);
/* verify_loop.c */
smtpdoc_status sd_verify_loop(struct smtpdoc_verifier *v);
/* verify_dns.c: a domain's DNS steps */
void sd_vdomain_query(sd_vdomain *d, const char *name, int type, sd_dns_cb cb);
void sd_mx_cb(void *ctx, sd_dns_answer *a);  /* the MX answer: start with sd_vdomain_query */
void sd_vdomain_resolve_host(sd_vdomain *d); /* the address of hosts[host] */
void sd_vdomain_next_host(sd_vdomain *d);    /* that host failed: the next one */
void sd_vdomain_finish(sd_vdomain *d, sd_probe_stage stage); /* answer what is open */
void sd_vdomain_settle_parked(struct smtpdoc_verifier *v);
/* verify_session.c: a domain's SMTP sessions */
int sd_vdomain_has_work(const sd_vdomain *d);
int sd_vdomain_needs_session(const struct smtpdoc_verifier *v, const sd_vdomain *d);
sd_vhost *sd_vhost_slot(struct smtpdoc_verifier *v, const char *ip);
sd_vsession *sd_vsession_open(struct smtpdoc_verifier *v, sd_vdomain *d);
void sd_vsession_feed(struct smtpdoc_verifier *v, sd_vdomain *d, double now);
void sd_vsession_finish(sd_vsession *vs);
void sd_vsession_ended(struct smtpdoc_verifier *v, sd_vsession *vs);
/* verify_providers.c: a provider known to accept every RCPT TO and bounce
 * unknown addresses later, by its domain or its MX host */
int sd_verify_accepts_all(const char *domain, const char *mx_host);
/* monotonic seconds */
double sd_verify_now(void);

#endif
