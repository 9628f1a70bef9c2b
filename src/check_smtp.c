/*
 * check_smtp.c - the connection lines of `smtpdoc check`: each MX host
 * reachable on port 25 (banner, EHLO: SIZE limit, STARTTLS, AUTH), and the
 * submission ports 587 and 465 reachable from here.
 *
 * Every probe has the configured timeout per step, so a host that does not
 * answer costs a bounded time. When no MX host answered on port 25 at all
 * and every attempt timed out, the likely cause is on this side (the
 * network blocks outgoing port 25), and a line says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "smtp_probe.h"

/* The first address of an "a, b, c" list into out. */
static int
sd_first_address(const char *list, char *out, size_t outsz)
{
	size_t n = strcspn(list, ", ");

	if (n == 0 || n >= outsz)
		return -1;
	memcpy(out, list, n);
	out[n] = '\0';
	return 0;
}

static const char *
sd_item_detail(const sd_check_item *it, const char *key)
{
	size_t i;

	for (i = 0; i < it->ndetails; i++)
		if (strcmp(it->details[i].key, key) == 0)
			return it->details[i].value;
	return NULL;
}

/* One "mx.smtp" item for host at ip; returns 1 when a connection was made,
 * 0 when it timed out, -1 on any other failure. */
static int
sd_probe_mx(const char *host, const char *ip, const sd_check_run *run, sd_check_list *out)
{
	sd_check_item *it = sd_check_list_add(out, "mx.smtp", SD_CHECK_PASS);
	sd_smtp_options so;
	sd_smtp_session *s;
	const sd_smtp_result *res;
	char err[200], line[600];
	int rc;

	if (it == NULL)
		return -1;
	sd_check_item_subject(it, host);
	sd_check_item_detail(it, "address", "%s", ip);
	sd_check_item_detail(it, "port", "%u", run->port);
	sd_smtp_options_init(&so);
	so.helo_name = run->helo;
	so.tls_name = host;
	so.connect_ms = so.banner_ms = so.command_ms = run->timeout_ms;
	s = sd_smtp_probe_host(ip, run->port, &so, err, sizeof(err));
	if (s == NULL) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "%s could not be probed: %s", host, err);
		return -1;
	}
	res = sd_smtp_session_result(s);
	rc = res->connected ? 1 : (res->error == SD_SMTP_ETIMEOUT ? 0 : -1);
	if (res->banner.code)
		sd_check_item_detail(it, "banner", "%s", sd_smtp_reply_format(&res->banner, line, sizeof(line)));
	if (!res->connected) {
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "Port %u of %s (%s) could not be reached: %s.", run->port, host, ip, res->why);
		sd_check_item_detail(it, "error", "%s", sd_smtp_error_name(res->error));
	} else if (res->banner.code < 200 || res->banner.code >= 300) {
		it->status = SD_CHECK_FAIL;
		sd_check_item_summary(it, "%s (%s) answers on port 25 but refuses mail: %s", host, ip,
				      res->banner.code ? sd_smtp_reply_format(&res->banner, line, sizeof(line)) :
							 res->why);
		sd_check_item_cause(it, "server.system-error");
		sd_check_item_bounce(it, "%s",
				     res->banner.code ? line : "421 4.4.2 Connection dropped by the server");
	} else {
		const sd_smtp_features *f = &res->features;
		sd_check_item_detail(it, "esmtp", "%s", f->esmtp ? "yes" : "no");
		if (f->size_offered)
			sd_check_item_detail(it, "size_limit", "%llu", f->size);
		sd_check_item_detail(it, "starttls", "%s", res->tls.offered ? "offered" : "not offered");
		if (res->tls.established) {
			sd_check_item_detail(it, "tls", "%s %s", res->tls.version, res->tls.cipher);
			sd_check_item_detail(it, "certificate", "%s%s",
					     res->tls.verified ? "verified" : "not verified: ",
					     res->tls.verified ? "" : res->tls.verify_error);
			if (res->tls.name_checked)
				sd_check_item_detail(it, "certificate_name", "%s",
						     res->tls.name_matched ? "matches the MX name" :
									     "does not match the MX name");
		} else if (res->tls.attempted) {
			sd_check_item_detail(it, "tls_error", "%s", res->tls.error);
		}
		if (f->auth[0])
			sd_check_item_detail(it, "auth", "%s", f->auth);
		if (!res->tls.offered) {
			it->status = SD_CHECK_WARN;
			sd_check_item_summary(it,
				"%s (%s) accepts connections on port 25 but offers no STARTTLS: mail to it "
				"travels unencrypted, and senders that require TLS cannot deliver.", host, ip);
			sd_check_item_fix(it, "Enable STARTTLS on %s with a certificate for its name.", host);
		} else if (res->tls.attempted && !res->tls.established) {
			it->status = SD_CHECK_WARN;
			sd_check_item_summary(it, "%s (%s) offers STARTTLS, but the TLS handshake failed: %s", host,
					      ip, res->tls.error);
			sd_check_item_fix(it, "Check the TLS setup of %s (certificate, key, protocol versions).",
					  host);
		} else {
			sd_check_item_summary(it, "%s (%s) accepts mail on port 25%s%s.", host, ip,
					      res->tls.established ? " with STARTTLS" : "",
					      f->size_offered && f->size ? " and announces its size limit" : "");
		}
		if (f->size_offered && f->size)
			sd_check_item_detail(it, "note", "messages larger than %llu bytes (%.1f MB) are refused with "
					     "\"552 5.3.4 Message size exceeds fixed limit\"", f->size,
					     (double)f->size / 1e6);
	}
	sd_smtp_session_free(s);
	return rc;
}

/* "submission.587" / "submission.465" for host at ip. */
static void
sd_probe_submission(const char *host, const char *ip, unsigned port, const sd_check_run *run,
		    sd_check_list *out)
{
	char id[32], why[200];
	sd_check_item *it;
	sd_tcp_reach r;

	snprintf(id, sizeof(id), "submission.%u", port);
	if ((it = sd_check_list_add(out, id, SD_CHECK_PASS)) == NULL)
		return;
	sd_check_item_subject(it, host);
	sd_check_item_detail(it, "address", "%s", ip);
	r = sd_tcp_reachable(ip, port, run->timeout_ms, why, sizeof(why));
	sd_check_item_detail(it, "reach", "%s", sd_tcp_reach_name(r));
	switch (r) {
	case SD_TCP_OPEN:
		sd_check_item_summary(it, "Port %u of %s is reachable from here.", port, host);
		break;
	case SD_TCP_REFUSED:
		it->status = SD_CHECK_INFO;
		sd_check_item_summary(it, "%s does not accept connections on port %u (refused): it does not "
				      "offer %s there.", host, port, port == 465 ? "implicit-TLS submission" :
				      "submission");
		break;
	case SD_TCP_TIMEOUT:
		it->status = SD_CHECK_WARN;
		sd_check_item_summary(it,
			"Port %u of %s does not answer from here: a firewall on the way (often the "
			"internet provider of this network) may block it.", port, host);
		sd_check_item_cause(it, "network.port-blocked");
		sd_check_item_fix(it, "If your mail program sends through %s, try the other submission port "
				  "(587 or 465), or ask your internet provider whether it blocks port %u.", host,
				  port);
		break;
	default:
		it->status = SD_CHECK_UNKNOWN;
		sd_check_item_summary(it, "Port %u of %s could not be tried: %s", port, host, why);
		break;
	}
}

void
sd_check_smtp(const sd_check_run *run, sd_check_list *out)
{
	size_t i, n = out->n, tried = 0, timeouts = 0, connected = 0;
	const char *first_host = NULL;
	char first_ip[64] = "";

	for (i = 0; i < n; i++) {
		const sd_check_item *mx = out->v[i];
		const char *addrs;
		char ip[64];
		int rc;
		if (strcmp(mx->id, "mx.host") != 0 || mx->subject == NULL ||
		    (addrs = sd_item_detail(mx, "addresses")) == NULL || sd_first_address(addrs, ip, sizeof(ip)) != 0)
			continue;
		if (tried >= SD_CHECK_MAX_SMTP_HOSTS)
			break;
		tried++;
		rc = sd_probe_mx(mx->subject, ip, run, out);
		if (rc == 1)
			connected++;
		else if (rc == 0)
			timeouts++;
		if (first_host == NULL) {
			first_host = mx->subject;
			snprintf(first_ip, sizeof(first_ip), "%s", ip);
		}
	}
	if (tried && connected == 0 && timeouts == tried) {
		sd_check_item *it = sd_check_list_add(out, "network.port25", SD_CHECK_WARN);
		if (it) {
			sd_check_item_summary(it,
				"No mail server of the domain answered on port 25 from here; every attempt "
				"timed out. Either they are all down, or this network blocks outgoing port "
				"25 (many internet providers do).");
			sd_check_item_cause(it, "network.port-blocked");
			sd_check_item_fix(it, "Run the check from a server whose outgoing port 25 is open, or "
					  "ask your internet provider whether it blocks port 25.");
		}
	}
	if (first_host) {
		sd_probe_submission(first_host, first_ip, 587, run, out);
		sd_probe_submission(first_host, first_ip, 465, run, out);
	}
}
