/*
 * audit_report.c - the public API of `smtpdoc audit` and `smtpdoc route`
 * (smtpdoc/audit.h) over the internal model (audit.h).
 *
 * Both load the configuration under the root (cPanel/Exim and Postfix
 * layouts), set up the resolver unless no_dns, and work out this server's
 * names and addresses (the options, else gethostname() and the
 * interfaces' addresses). The audit's items are laid out as the public
 * smtpdoc_check_item array, the same as `smtpdoc check`'s; the route's
 * steps are the public struct already. Each report keeps what it points
 * into alive until its *_free().
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

#define SD_AUDIT_MAX_LOCALS 64

typedef struct sd_audit_run {
	sd_audit_cfg *cfg;
	sd_resolver *res;
	sd_route_env env;
	char *locals[SD_AUDIT_MAX_LOCALS];
	size_t nlocals;
} sd_audit_run;

void
smtpdoc_audit_options_init(smtpdoc_audit_options *o)
{
	memset(o, 0, sizeof(*o));
}

static void
sd_audit_add_local(sd_audit_run *x, const char *s)
{
	if (x->nlocals < SD_AUDIT_MAX_LOCALS && (x->locals[x->nlocals] = strdup(s)) != NULL)
		x->nlocals++;
}

/* sd_audit_identities - this server's names and addresses */
static void
sd_audit_identities(sd_audit_run *x, const smtpdoc_audit_options *o)
{
	struct ifaddrs *ifa = NULL, *p;
	char name[256];
	size_t i;

	for (i = 0; o->hostnames && i < o->n_hostnames; i++)
		sd_audit_add_local(x, o->hostnames[i]);
	if (o->n_hostnames == 0 && gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		sd_audit_add_local(x, name);
	}
	for (i = 0; o->ips && i < o->n_ips; i++)
		sd_audit_add_local(x, o->ips[i]);
	if (o->n_ips > 0 || getifaddrs(&ifa) != 0)
		return;
	for (p = ifa; p; p = p->ifa_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *a = NULL;
		if (p->ifa_addr == NULL)
			continue;
		if (p->ifa_addr->sa_family == AF_INET)
			a = &((const struct sockaddr_in *)(const void *)p->ifa_addr)->sin_addr;
		else if (p->ifa_addr->sa_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)(const void *)p->ifa_addr)->sin6_addr;
		if (a && inet_ntop(p->ifa_addr->sa_family, a, buf, sizeof(buf)))
			sd_audit_add_local(x, buf);
	}
	freeifaddrs(ifa);
}

static void
sd_audit_run_free(sd_audit_run *x)
{
	size_t i;

	sd_route_env_free(&x->env);
	sd_resolver_free(x->res);
	sd_audit_cfg_free(x->cfg);
	for (i = 0; i < x->nlocals; i++)
		free(x->locals[i]);
	memset(x, 0, sizeof(*x));
}

/* sd_audit_start - load the configuration and set up DNS */
static smtpdoc_status
sd_audit_start(sd_audit_run *x, const smtpdoc_audit_options *o, char *err, size_t errlen)
{
	const char *root = o->root && o->root[0] ? o->root : "/";
	size_t i;

	memset(x, 0, sizeof(*x));
	for (i = 0; o->ips && i < o->n_ips; i++) {
		struct in6_addr a6;
		struct in_addr a4;
		if (inet_pton(AF_INET, o->ips[i], &a4) != 1 && inet_pton(AF_INET6, o->ips[i], &a6) != 1) {
			snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", o->ips[i]);
			return SMTPDOC_EINVAL;
		}
	}
	if (access(root, R_OK | X_OK) != 0) {
		snprintf(err, errlen, "%s cannot be read", root);
		return SMTPDOC_EINVAL;
	}
	if ((x->cfg = sd_audit_cfg_new(root)) == NULL)
		return SMTPDOC_ENOMEM;
	sd_audit_identities(x, o);
	if (x->nlocals > 0)
		x->cfg->myhostname = sd_arena_strdup(x->cfg->arena, x->locals[0]);
	sd_audit_load_cpanel(x->cfg);
	sd_audit_load_postfix(x->cfg);
	if (!x->cfg->cpanel && !x->cfg->postfix) {
		snprintf(err, errlen, "no mail server configuration under %s (looked for /etc/localdomains, "
			 "/etc/userdomains, /etc/valiases and /etc/postfix/main.cf)", root);
		sd_audit_run_free(x);
		return SMTPDOC_EINVAL;
	}
	if (!o->no_dns) {
		x->res = sd_resolver_new(o->resolver, o->timeout_ms > 0 ? o->timeout_ms : 5000, 2, err, errlen);
		if (x->res == NULL) {
			sd_audit_run_free(x);
			return SMTPDOC_EINVAL;
		}
	}
	x->env.cfg = x->cfg;
	x->env.lookup = x->res ? sd_resolver_lookup : NULL;
	x->env.lctx = x->res;
	x->env.locals = (const char *const *)x->locals;
	x->env.nlocals = x->nlocals;
	return x->cfg->nomem ? SMTPDOC_ENOMEM : SMTPDOC_OK;
}

static const char *
sd_audit_layout(const sd_audit_cfg *c)
{
	return c->cpanel && c->postfix ? "cpanel+postfix" : c->cpanel ? "cpanel" : "postfix";
}

/* ---- audit --------------------------------------------------------------- */

typedef struct sd_audit_report {
	smtpdoc_audit_report pub;    /* first: the public view */
	sd_check_list list;
	smtpdoc_check_item *items;
	char *root;
	char **warn;
	size_t nwarn;
} sd_audit_report;

/* sd_audit_take_warnings - move the model's warnings to the report */
static void
sd_audit_take_warnings(sd_audit_cfg *c, char ***warn, size_t *n)
{
	*warn = c->warn;
	*n = c->nwarn;
	c->warn = NULL;
	c->nwarn = c->capwarn = 0;
}

static int
sd_audit_publish(sd_audit_report *rep)
{
	if ((rep->items = sd_check_list_publish(&rep->list)) == NULL)
		return -1;
	rep->pub.checks.items = rep->items;
	rep->pub.checks.count = rep->list.n;
	rep->pub.checks.worst = sd_check_status_name(sd_check_list_worst(&rep->list));
	rep->pub.warnings = (const char *const *)rep->warn;
	rep->pub.nwarnings = rep->nwarn;
	return 0;
}

smtpdoc_status
smtpdoc_audit(const smtpdoc_audit_options *o, smtpdoc_audit_report **out, char *err, size_t errlen)
{
	char errbuf[256];
	sd_audit_report *rep;
	sd_audit_run x;
	smtpdoc_status st;

	*out = NULL;
	if (err == NULL || errlen == 0) {
		err = errbuf;
		errlen = sizeof(errbuf);
	}
	err[0] = '\0';
	if (o == NULL)
		return SMTPDOC_EINVAL;
	if ((st = sd_audit_start(&x, o, err, errlen)) != SMTPDOC_OK)
		return st;
	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		sd_audit_run_free(&x);
		return SMTPDOC_ENOMEM;
	}
	st = sd_audit_check(&x.env, &rep->list);
	rep->root = strdup(o->root && o->root[0] ? o->root : "/");
	rep->pub.root = rep->root;
	rep->pub.layout = sd_audit_layout(x.cfg);
	sd_audit_take_warnings(x.cfg, &rep->warn, &rep->nwarn);
	sd_audit_run_free(&x);
	if (st != SMTPDOC_OK || rep->root == NULL || sd_audit_publish(rep) != 0) {
		smtpdoc_audit_report_free(&rep->pub);
		return SMTPDOC_ENOMEM;
	}
	*out = &rep->pub;
	return SMTPDOC_OK;
}

void
smtpdoc_audit_report_free(smtpdoc_audit_report *pub)
{
	sd_audit_report *rep = (sd_audit_report *)pub;
	size_t i;

	if (rep == NULL)
		return;
	sd_check_items_free(rep->items, rep->list.n);
	sd_check_list_free(&rep->list);
	for (i = 0; i < rep->nwarn; i++)
		free(rep->warn[i]);
	free(rep->warn);
	free(rep->root);
	free(rep);
}

/* ---- route --------------------------------------------------------------- */

typedef struct sd_route_report {
	smtpdoc_route_report pub;    /* first: the public view */
	sd_route route;
	char *address;
	const char *fix[5];
	char **warn;
	size_t nwarn;
} sd_route_report;

smtpdoc_status
smtpdoc_route(const smtpdoc_audit_options *o, const char *address, smtpdoc_route_report **out, char *err,
	      size_t errlen)
{
	char errbuf[256];
	sd_route_report *rep;
	sd_audit_run x;
	smtpdoc_status st;
	size_t i, leaves = 0, fails = 0;

	*out = NULL;
	if (err == NULL || errlen == 0) {
		err = errbuf;
		errlen = sizeof(errbuf);
	}
	err[0] = '\0';
	if (o == NULL || address == NULL || address[0] == '\0' || strlen(address) > 512) {
		snprintf(err, errlen, "name an address (at most 512 characters)");
		return SMTPDOC_EINVAL;
	}
	if ((st = sd_audit_start(&x, o, err, errlen)) != SMTPDOC_OK)
		return st;
	if ((rep = calloc(1, sizeof(*rep))) == NULL || (rep->address = strdup(address)) == NULL) {
		free(rep);
		sd_audit_run_free(&x);
		return SMTPDOC_ENOMEM;
	}
	if (sd_route_run(&x.env, address, NULL, &rep->route) != 0) {
		sd_audit_run_free(&x);
		smtpdoc_route_report_free(&rep->pub);
		return SMTPDOC_ENOMEM;
	}
	rep->pub.address = rep->address;
	rep->pub.layout = x.cfg->cpanel ? "cpanel" : "postfix";
	rep->pub.domain_class = rep->route.domain_class;
	/* why points into the model, which goes away: copy it */
	rep->pub.why = rep->route.why ? sd_arena_strdup(rep->route.arena, rep->route.why) : NULL;
	for (i = 0; i < rep->route.n; i++) {
		const smtpdoc_route_step *s = &rep->route.steps[i];
		smtpdoc_route_step *w = &rep->route.steps[i];
		int leaf = !sd_route_passes_on(s->action) && strcmp(s->action, "alias") != 0 &&
			   strcmp(s->action, "forward") != 0;
		/* sources point into the model too */
		if (s->source)
			w->source = sd_arena_strdup(rep->route.arena, s->source);
		if (s->target)
			w->target = sd_arena_strdup(rep->route.arena, s->target);
		if (!leaf)
			continue;
		leaves++;
		if (strcmp(s->result, "fail") == 0) {
			fails++;
			if (rep->pub.reply == NULL) {
				rep->pub.reply = s->reply;
				rep->pub.cause = s->cause;
			}
		}
	}
	for (i = 0; i < rep->route.nfix && i < 4; i++)
		rep->fix[i] = rep->route.fix[i];
	rep->pub.fix = rep->fix;
	rep->pub.verdict = fails == 0 ? "delivered" : fails == leaves ? "failed" : "partly failed";
	rep->pub.steps = rep->route.steps;
	rep->pub.nsteps = rep->route.n;
	sd_audit_take_warnings(x.cfg, &rep->warn, &rep->nwarn);
	rep->pub.warnings = (const char *const *)rep->warn;
	rep->pub.nwarnings = rep->nwarn;
	sd_audit_run_free(&x);
	*out = &rep->pub;
	return SMTPDOC_OK;
}

void
smtpdoc_route_report_free(smtpdoc_route_report *pub)
{
	sd_route_report *rep = (sd_route_report *)pub;
	size_t i;

	if (rep == NULL)
		return;
	sd_route_free(&rep->route);
	for (i = 0; i < rep->nwarn; i++)
		free(rep->warn[i]);
	free(rep->warn);
	free(rep->address);
	free(rep);
}
