/*
 * spf_mech.c - the SPF mechanisms that look at addresses (RFC 7208
 * section 5): ip4, ip6, all, a, mx, ptr, exists, and the %{p} macro.
 *
 * Entry points (spf_eval.h): sd_spf_mechanism, called by check_host() in
 * spf_eval.c for every mechanism but include, after it counted the term's
 * lookup; sd_spf_pname, the %{p} value for the macro expander.
 *
 * Rules followed here:
 *   - a and mx compare the client with the A (IPv4 client) or AAAA (IPv6
 *     client) records of the target, under the term's prefix lengths; an
 *     mx with more than SD_SPF_MAX_MX_NAMES names is a permerror, a null
 *     MX (".") names no server (5.3, 5.4, 4.6.4);
 *   - exists asks for A records whatever the client (5.7);
 *   - ptr and %{p} read the first SD_SPF_MAX_PTR_NAMES names of the
 *     client's PTR answer and keep the names whose address records hold
 *     the client; DNS errors only skip names (5.5, 7.3);
 *   - a DNS failure of a, mx or exists is a temperror (section 5); a void
 *     answer to the term's own query counts against SD_SPF_MAX_VOID;
 *   - a target-name that cannot be a DNS name gives no match without a
 *     query (4.3, 4.8).
 * Every answer is freed here once read; names kept are copied into the
 * report's arena.
 */
#include <string.h>

#include "spf_eval.h"

static int
sd_spf_void_answer(const sd_dns_answer *ans)
{
	return ans->status == SD_DNS_NODATA || ans->status == SD_DNS_NXDOMAIN;
}

static const char *
sd_spf_type_name(int type)
{
	switch (type) {
	case SD_DNS_A:
		return "A";
	case SD_DNS_AAAA:
		return "AAAA";
	case SD_DNS_MX:
		return "MX";
	case SD_DNS_PTR:
		return "PTR";
	case SD_DNS_TXT:
		return "TXT";
	default:
		return "DNS";
	}
}

/* Does name have an address record equal to the client IP? DNS errors
 * count as no (5.5). */
static int
sd_spf_validated(sd_spf_eval *ev, const char *name)
{
	sd_dns_answer *ans = sd_spf_query(ev, name, ev->ip.family == 4 ? SD_DNS_A : SD_DNS_AAAA);
	size_t i;
	int yes = 0;

	if (ans == NULL)
		return 0;
	if (ans->status == SD_DNS_OK)
		for (i = 0; i < ans->n && !yes; i++)
			yes = sd_spf_rr_is_ip(&ans->rr[i], &ev->ip);
	sd_dns_answer_free(ans);
	return yes;
}

/* The client's PTR names (at most SD_SPF_MAX_PTR_NAMES, final dots
 * dropped) into names; returns how many, or -1 when the lookup failed or
 * found nothing (*status says which). */
static int
sd_spf_ptr_names(sd_spf_eval *ev, const char *names[SD_SPF_MAX_PTR_NAMES], sd_dns_status *status)
{
	char rev[80];
	sd_dns_answer *ans;
	size_t i;
	int n = 0;

	sd_spf_ip_reverse(&ev->ip, rev);
	ans = sd_spf_query(ev, rev, SD_DNS_PTR);
	if (ans == NULL)
		return -1;
	*status = ans->status;
	if (ans->status != SD_DNS_OK) {
		sd_dns_answer_free(ans);
		return -1;
	}
	for (i = 0; i < ans->n && n < SD_SPF_MAX_PTR_NAMES; i++) {
		const sd_dns_rr *rr = &ans->rr[i];
		size_t len;

		if (rr->type != SD_DNS_PTR || rr->host == NULL || (len = strlen(rr->host)) == 0)
			continue;
		if (rr->host[len - 1] == '.')
			len--;
		if (len > SD_SPF_MAX_NAME)
			continue;
		names[n] = sd_arena_strndup(ev->a, rr->host, len);
		if (names[n] == NULL) {
			ev->nomem = 1;
			break;
		}
		n++;
	}
	sd_dns_answer_free(ans);
	return n;
}

/* %{p} (7.3): a validated name of the client, one equal to domain or
 * under it when there is one, else any validated one, else "unknown". */
const char *
sd_spf_pname(void *vctx, const char *domain)
{
	sd_spf_eval *ev = vctx;
	const char *names[SD_SPF_MAX_PTR_NAMES];
	const char *found = "unknown";
	sd_dns_status st;
	int n, i, pass;

	if (ev->pdomain != NULL && strcmp(ev->pdomain, domain) == 0)
		return ev->pname;
	n = sd_spf_ptr_names(ev, names, &st);
	for (pass = 0; pass < 3 && n > 0; pass++) {
		for (i = 0; i < n; i++) {
			int exact = sd_spf_name_under(names[i], domain) &&
				    strlen(names[i]) == strlen(domain);
			int under = sd_spf_name_under(names[i], domain);
			int rank = exact ? 0 : under ? 1 : 2;

			if (rank == pass && sd_spf_validated(ev, names[i])) {
				found = names[i];
				goto done;
			}
		}
	}
done:
	ev->pdomain = sd_arena_strdup(ev->a, domain);
	ev->pname = found;
	if (ev->pdomain == NULL)
		ev->nomem = 1;
	return found;
}

/* Count a void lookup; 0, or -1 when it is one too many (permerror). */
static int
sd_spf_count_void(sd_spf_eval *ev, const sd_spf_term *t, const char *domain, const char *name,
		  int type, sd_dns_status st)
{
	ev->voids++;
	if (ev->voids <= SD_SPF_MAX_VOID)
		return 0;
	sd_spf_error(ev, "void-limit", "%s (in the record of %s): %s has no %s records (%s); "
		     "that is lookup number %d that found nothing, and receivers allow %d "
		     "(RFC 7208 4.6.4), so the check fails", t->text, domain, name,
		     sd_spf_type_name(type), sd_dns_status_name(st), ev->voids, SD_SPF_MAX_VOID);
	return -1;
}

/* The address records of name against the client IP with the term's
 * prefix. Returns NOMATCH, MATCH or ABORT (temperror or permerror in
 * *err); *detail says what happened. count_void: 0 for the names of an
 * mx, whose own query is the term's. */
static int
sd_spf_addr_match(sd_spf_eval *ev, const sd_spf_term *t, const char *domain, const char *name,
		  int count_void, sd_spf_result *err, const char **detail)
{
	int type = ev->ip.family == 4 ? SD_DNS_A : SD_DNS_AAAA;
	int bits = ev->ip.family == 4 ? t->cidr4 : t->cidr6;
	sd_dns_answer *ans = sd_spf_query(ev, name, type);
	size_t i;
	int m = SD_SPF_NOMATCH;

	if (ans == NULL)
		return SD_SPF_ABORT;
	if (ans->status == SD_DNS_OK) {
		size_t naddr = 0;

		for (i = 0; i < ans->n; i++) {
			const sd_dns_rr *rr = &ans->rr[i];

			if (rr->type != type)
				continue;
			naddr++;
			if (sd_spf_prefix_match(rr->addr, ev->ip.addr, bits)) {
				m = SD_SPF_MATCH;
				break;
			}
		}
		if (m == SD_SPF_MATCH)
			*detail = (bits == (ev->ip.family == 4 ? 32 : 128))
					  ? sd_spf_say(ev, "%s has the address %s", name, ev->ipstr)
					  : sd_spf_say(ev, "%s has an address in the same /%d as %s",
						       name, bits, ev->ipstr);
		else
			*detail = sd_spf_say(ev, "none of the %zu %s records of %s %s %s", naddr,
					     sd_spf_type_name(type), name,
					     bits == (ev->ip.family == 4 ? 32 : 128) ? "is" : "covers",
					     ev->ipstr);
	} else if (sd_spf_void_answer(ans)) {
		if (count_void && sd_spf_count_void(ev, t, domain, name, type, ans->status) != 0) {
			*err = SD_SPF_PERMERROR;
			m = SD_SPF_ABORT;
		}
		*detail = count_void ? sd_spf_say(ev, "%s has no %s records (%s): void lookup %d",
						  name, sd_spf_type_name(type),
						  sd_dns_status_name(ans->status), ev->voids)
				     : sd_spf_say(ev, "%s has no %s records (%s)", name,
						  sd_spf_type_name(type),
						  sd_dns_status_name(ans->status));
	} else {
		sd_spf_error(ev, "dns", "%s (in the record of %s): the %s lookup of %s failed (%s); "
			     "try again later", t->text, domain, sd_spf_type_name(type), name,
			     sd_dns_status_name(ans->status));
		*detail = sd_spf_say(ev, "the %s lookup of %s failed (%s): temperror",
				     sd_spf_type_name(type), name, sd_dns_status_name(ans->status));
		*err = SD_SPF_TEMPERROR;
		m = SD_SPF_ABORT;
	}
	sd_dns_answer_free(ans);
	return m;
}

/* mx (5.4) */
static int
sd_spf_mx(sd_spf_eval *ev, const sd_spf_term *t, const char *domain, const char *target,
	  sd_spf_result *err, const char **detail)
{
	const char *names[SD_SPF_MAX_MX_NAMES];
	sd_dns_answer *ans = sd_spf_query(ev, target, SD_DNS_MX);
	size_t i, n = 0, total = 0;
	int m;

	if (ans == NULL)
		return SD_SPF_ABORT;
	if (sd_spf_void_answer(ans)) {
		m = SD_SPF_NOMATCH;
		if (sd_spf_count_void(ev, t, domain, target, SD_DNS_MX, ans->status) != 0) {
			*err = SD_SPF_PERMERROR;
			m = SD_SPF_ABORT;
		}
		*detail = sd_spf_say(ev, "%s has no MX records (%s): void lookup %d", target,
				     sd_dns_status_name(ans->status), ev->voids);
		sd_dns_answer_free(ans);
		return m;
	}
	if (ans->status != SD_DNS_OK) {
		sd_spf_error(ev, "dns", "%s (in the record of %s): the MX lookup of %s failed (%s); "
			     "try again later", t->text, domain, target,
			     sd_dns_status_name(ans->status));
		*detail = sd_spf_say(ev, "the MX lookup of %s failed (%s): temperror", target,
				     sd_dns_status_name(ans->status));
		*err = SD_SPF_TEMPERROR;
		sd_dns_answer_free(ans);
		return SD_SPF_ABORT;
	}
	for (i = 0; i < ans->n; i++) {
		const sd_dns_rr *rr = &ans->rr[i];

		/* a null MX (RFC 7505, ".") names no server */
		if (rr->type != SD_DNS_MX || rr->host == NULL || rr->host[0] == '\0' ||
		    strcmp(rr->host, ".") == 0)
			continue;
		if (total++ < SD_SPF_MAX_MX_NAMES) {
			names[n] = sd_arena_strdup(ev->a, rr->host);
			if (names[n++] == NULL)
				ev->nomem = 1;
		}
	}
	sd_dns_answer_free(ans);
	if (ev->nomem)
		return SD_SPF_ABORT;
	if (total > SD_SPF_MAX_MX_NAMES) {
		sd_spf_error(ev, "mx-limit", "%s (in the record of %s): %s has %zu mail servers (MX); "
			     "SPF looks up at most %d of them (RFC 7208 4.6.4), so the check fails",
			     t->text, domain, target, total, SD_SPF_MAX_MX_NAMES);
		*detail = sd_spf_say(ev, "%s has %zu MX records, more than %d: permerror", target,
				     total, SD_SPF_MAX_MX_NAMES);
		*err = SD_SPF_PERMERROR;
		return SD_SPF_ABORT;
	}
	for (i = 0; i < n; i++) {
		const char *d = NULL;

		m = sd_spf_addr_match(ev, t, domain, names[i], 0, err, &d);
		if (m == SD_SPF_MATCH) {
			*detail = sd_spf_say(ev, "mail server %s of %s: %s", names[i], target,
					     d ? d : "");
			return m;
		}
		if (m == SD_SPF_ABORT) {
			*detail = sd_spf_say(ev, "mail server %s of %s: %s", names[i], target,
					     d ? d : "");
			return m;
		}
	}
	*detail = n == 0 ? sd_spf_say(ev, "%s has a null MX: no mail servers", target)
			 : sd_spf_say(ev, "none of the %zu mail servers of %s has the address %s", n,
				      target, ev->ipstr);
	return SD_SPF_NOMATCH;
}

/* ptr (5.5) */
static int
sd_spf_ptr(sd_spf_eval *ev, const char *target, const char **detail)
{
	const char *names[SD_SPF_MAX_PTR_NAMES];
	sd_dns_status st = SD_DNS_ERROR;
	int n = sd_spf_ptr_names(ev, names, &st), i;

	if (n < 0) {
		*detail = sd_spf_say(ev, "no host name for %s (PTR lookup: %s): no match", ev->ipstr,
				     sd_dns_status_name(st));
		return SD_SPF_NOMATCH;
	}
	for (i = 0; i < n; i++) {
		if (!sd_spf_name_under(names[i], target))
			continue;
		if (sd_spf_validated(ev, names[i])) {
			*detail = sd_spf_say(ev, "%s is named %s, which points back to it and is "
					     "under %s", ev->ipstr, names[i], target);
			return SD_SPF_MATCH;
		}
	}
	*detail = sd_spf_say(ev, "no validated host name of %s is under %s", ev->ipstr, target);
	return SD_SPF_NOMATCH;
}

int
sd_spf_mechanism(sd_spf_eval *ev, const sd_spf_term *t, const char *domain,
		 sd_spf_result *err, const char **detail)
{
	const char *target = NULL, *problem;
	sd_dns_answer *ans;
	int m;

	switch (t->kind) {
	case SD_SPF_T_ALL:
		*detail = "matches every address";
		return SD_SPF_MATCH;
	case SD_SPF_T_IP4:
	case SD_SPF_T_IP6:
		if ((t->kind == SD_SPF_T_IP4) != (ev->ip.family == 4)) {
			*detail = sd_spf_say(ev, "%s is not an %s address", ev->ipstr,
					     t->kind == SD_SPF_T_IP4 ? "IPv4" : "IPv6");
			return SD_SPF_NOMATCH;
		}
		m = sd_spf_prefix_match(ev->ip.addr, t->net,
					t->kind == SD_SPF_T_IP4 ? t->cidr4 : t->cidr6);
		*detail = sd_spf_say(ev, "%s is %s", ev->ipstr, m ? "in it" : "not in it");
		return m ? SD_SPF_MATCH : SD_SPF_NOMATCH;
	default:
		break;
	}
	target = sd_spf_target(ev, t, domain);
	if (ev->nomem)
		return SD_SPF_ABORT;
	problem = target ? sd_spf_name_problem(target, 0) : "it is too long after macro expansion";
	if (problem != NULL) {
		/* a name that cannot exist: no match (4.3, 4.8) */
		*detail = sd_spf_say(ev, "the target \"%s\" is not a usable domain name (%s): no "
				     "match", target ? target : "", problem);
		return SD_SPF_NOMATCH;
	}
	switch (t->kind) {
	case SD_SPF_T_A:
		return sd_spf_addr_match(ev, t, domain, target, 1, err, detail);
	case SD_SPF_T_MX:
		return sd_spf_mx(ev, t, domain, target, err, detail);
	case SD_SPF_T_PTR:
		return sd_spf_ptr(ev, target, detail);
	case SD_SPF_T_EXISTS:
		/* always an A query, whatever the client's family (5.7) */
		ans = sd_spf_query(ev, target, SD_DNS_A);
		if (ans == NULL)
			return SD_SPF_ABORT;
		m = SD_SPF_NOMATCH;
		if (ans->status == SD_DNS_OK) {
			size_t i;

			for (i = 0; i < ans->n; i++)
				if (ans->rr[i].type == SD_DNS_A)
					m = SD_SPF_MATCH;
			*detail = sd_spf_say(ev, "%s %s", target, m == SD_SPF_MATCH ? "exists" :
					     "has no A record");
		} else if (sd_spf_void_answer(ans)) {
			if (sd_spf_count_void(ev, t, domain, target, SD_DNS_A, ans->status) != 0) {
				*err = SD_SPF_PERMERROR;
				m = SD_SPF_ABORT;
			}
			*detail = sd_spf_say(ev, "%s does not exist (%s): void lookup %d", target,
					     sd_dns_status_name(ans->status), ev->voids);
		} else {
			sd_spf_error(ev, "dns", "%s (in the record of %s): the A lookup of %s failed "
				     "(%s); try again later", t->text, domain, target,
				     sd_dns_status_name(ans->status));
			*detail = sd_spf_say(ev, "the A lookup of %s failed (%s): temperror", target,
					     sd_dns_status_name(ans->status));
			*err = SD_SPF_TEMPERROR;
			m = SD_SPF_ABORT;
		}
		sd_dns_answer_free(ans);
		return m;
	default:
		return SD_SPF_NOMATCH;
	}
}
