/*
 * audit_route_walk.h - what audit_route.c (the walk over one address:
 * steps, DNS, aliases, mailboxes, users) and audit_route_mta.c (cPanel's
 * and Postfix's lookup orders) share. Internal to `smtpdoc route`.
 */
#ifndef SMTPDOC_AUDIT_ROUTE_WALK_H
#define SMTPDOC_AUDIT_ROUTE_WALK_H

#include "audit.h"

/* One route being worked out: the chain of addresses above the current
 * one (for loops) and the route its steps go into. */
typedef struct sd_route_walk {
	sd_route_env *e;
	sd_route *r;
	const char *stack[SD_ROUTE_MAX_DEPTH + 2];
	size_t nstack;
} sd_route_walk;

/* a string in the route's arena */
const char *sd_route_str(sd_route *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a new step; NULL when the route is full */
smtpdoc_route_step *sd_route_step(sd_route *r, unsigned depth, const char *addr, const char *action,
				  const char *result);
/* mark step s as the failure: the reply, the cause and up to two fixes */
void sd_route_fail(sd_route *r, smtpdoc_route_step *s, const char *reply, const char *cause, const char *fix1,
		   const char *fix2);
/* addr onto the chain above the next level; -1 when the chain is full */
int sd_route_push(sd_route_walk *w, const char *addr);
/* the "extension" step from addr to base; NULL when the route is full */
smtpdoc_route_step *sd_route_ext_step(sd_route_walk *w, const char *addr, const char *base, const char *ext,
				      unsigned depth);
/* 1 when domain is this server's host name or localhost */
int sd_route_is_me(const sd_audit_cfg *c, const char *domain);

/* the kinds of steps */
void sd_route_addr(sd_route_walk *w, const char *addr, unsigned depth, int noalias);
void sd_route_remote(sd_route_walk *w, const char *addr, const char *domain, unsigned depth);
void sd_route_alias(sd_route_walk *w, const char *addr, const sd_audit_alias *a, unsigned depth, const char *note,
		    const char *ext);
void sd_route_mailbox(sd_route_walk *w, const char *addr, const char *dir, const char *src, unsigned depth);
void sd_route_unknown(sd_route_walk *w, const char *addr, unsigned depth, const char *reply, const char *why);
void sd_route_user(sd_route_walk *w, const char *name, unsigned depth, int noalias);
/* the first alias a pattern table of USE gives for key, built in *tmp */
const sd_audit_alias *sd_route_re_alias(sd_route_walk *w, int use, const char *key, sd_audit_alias *tmp);

/* audit_route_mta.c: a local part of a domain the server knows */
void sd_route_cpanel(sd_route_walk *w, const char *addr, const char *local, const char *domain, unsigned depth,
		     int noalias);
void sd_route_postfix(sd_route_walk *w, const char *addr, const char *local, const char *domain, unsigned depth,
		      int noalias);

#endif
