/*
 * live_probe.c - drive the SMTP probe (smtp_probe.h) against servers that
 * tests/e2e/smtp_probe.sh starts, and print what it found, one fact a line.
 *
 * Usage:
 *   live_probe session [OPTIONS] IP PORT
 *       one session in a poll() loop. OPTIONS queue RCPTs and RSETs in
 *       order (--rcpt ADDR, --rset), --later ADDR queues ADDR from the
 *       callback of the first RCPT reply (a caller adding while the session
 *       runs), --no-finish leaves the session to QUIT after idle time;
 *       --helo NAME --from ADDR --size N --smtputf8 --tls no|yes|implicit
 *       --no-fallback --tls-name NAME --ca FILE --connect-ms N
 *       --banner-ms N --command-ms N --idle-ms N --per-mail N --transcript
 *   live_probe multi [OPTIONS] -- IP PORT [IP PORT ...]
 *       one session per target, all in one poll() loop, with the same
 *       options; prints "finished N" as each ends, then each result with
 *       "sN " in front
 *   live_probe check [OPTIONS] IP PORT
 *       sd_smtp_probe_host(): banner, EHLO, TLS, QUIT
 *   live_probe reach IP PORT TIMEOUT_MS
 *       sd_tcp_reachable(): prints "reach open|refused|timeout|unreachable|error"
 *
 * Output lines (values without spaces unless last on the line):
 *   result error=E stage=S connections=N mails=N rcpts=N rsets=N answered=N
 *   why TEXT
 *   banner|ehlo|mail|last CODE STATUS|- lines=N truncated=0|1 TEXT
 *   features|features_plain esmtp=0|1 size_offered=0|1 size=N starttls=..
 *       pipelining=.. 8bitmime=.. smtputf8=.. auth=MECH,MECH|-
 *   tls offered=.. attempted=.. established=.. version=V cipher=C
 *       verified=.. name_checked=.. name_matched=..
 *   tls_verify_error|tls_subject|tls_error TEXT
 *   rcpt ADDR CODE STATUS|- conn=N TEXT          (a reply came)
 *   rcpt ADDR none error=E conn=N WHY            (no reply)
 *   transcript >|< LINE
 *   counters sessions=N connections=N rcpts=N
 * Exits 0 when the program ran (whatever the session found), 2 on usage.
 */
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_probe.h"

#define MAX_ITEMS 256
#define MAX_TARGETS 16

struct item {
	const char *addr; /* NULL: RSET */
};

struct run {
	sd_smtp_options o;
	struct item items[MAX_ITEMS];
	int nitems;
	const char *later[MAX_ITEMS];
	int nlater, later_done;
	int finish;
	int transcript;
	const char *ca;
	const char *prefix;
	char lines[1 << 16]; /* output kept per session in multi mode */
	size_t len;
};

static struct run runs[MAX_TARGETS];

static void
out(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
out(struct run *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= sizeof(r->lines) - 1)
		return;
	n = snprintf(r->lines + r->len, sizeof(r->lines) - r->len, "%s", r->prefix);
	if (n > 0)
		r->len += (size_t)n;
	if (r->len >= sizeof(r->lines) - 1) {
		r->len = sizeof(r->lines) - 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(r->lines + r->len, sizeof(r->lines) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n;
	if (r->len >= sizeof(r->lines) - 1)
		r->len = sizeof(r->lines) - 1;
}

static void
flush_out(struct run *r)
{
	fwrite(r->lines, 1, r->len, stdout);
	r->len = 0;
	fflush(stdout);
}

/* text on one line: newlines as " | " */
static const char *
oneline(const char *t, char *buf, size_t size)
{
	size_t n = 0;

	for (; t != NULL && *t != '\0' && n + 4 < size; t++) {
		if (*t == '\n') {
			memcpy(buf + n, " | ", 3);
			n += 3;
		} else {
			buf[n++] = *t;
		}
	}
	buf[n] = '\0';
	return buf;
}

static void
print_reply(struct run *r, const char *name, const sd_smtp_reply *rep)
{
	char buf[8192];

	out(r, "%s %d %s lines=%u truncated=%d %s\n", name, rep->code,
	    rep->status[0] ? rep->status : "-", rep->lines, rep->truncated,
	    oneline(rep->text, buf, sizeof(buf)));
}

static void
print_features(struct run *r, const char *name, const sd_smtp_features *f)
{
	char auth[sizeof(f->auth)];
	size_t i;

	for (i = 0; f->auth[i] != '\0'; i++)
		auth[i] = f->auth[i] == ' ' ? ',' : f->auth[i];
	auth[i] = '\0';
	out(r,
	    "%s esmtp=%d size_offered=%d size=%llu starttls=%d pipelining=%d 8bitmime=%d "
	    "smtputf8=%d auth=%s\n",
	    name, f->esmtp, f->size_offered, f->size, f->starttls, f->pipelining, f->eightbitmime,
	    f->smtputf8, auth[0] ? auth : "-");
}

static void
print_result(struct run *r, const sd_smtp_result *res)
{
	out(r, "result error=%s stage=%s connections=%u mails=%u rcpts=%u rsets=%u answered=%u\n",
	    sd_smtp_error_name(res->error), sd_smtp_stage_name(res->stage), res->connections,
	    res->mails, res->rcpts, res->rsets, res->rcpts_answered);
	if (res->why[0])
		out(r, "why %s\n", res->why);
	if (res->banner.code)
		print_reply(r, "banner", &res->banner);
	if (res->ehlo.code)
		print_reply(r, "ehlo", &res->ehlo);
	if (res->mail.code)
		print_reply(r, "mail", &res->mail);
	if (res->last.code)
		print_reply(r, "last", &res->last);
	print_features(r, "features", &res->features);
	print_features(r, "features_plain", &res->features_plain);
	out(r,
	    "tls offered=%d attempted=%d established=%d version=%s cipher=%s verified=%d "
	    "name_checked=%d name_matched=%d\n",
	    res->tls.offered, res->tls.attempted, res->tls.established,
	    res->tls.version[0] ? res->tls.version : "-", res->tls.cipher[0] ? res->tls.cipher : "-",
	    res->tls.verified, res->tls.name_checked, res->tls.name_matched);
	if (res->tls.verify_error[0])
		out(r, "tls_verify_error %s\n", res->tls.verify_error);
	if (res->tls.subject[0])
		out(r, "tls_subject %s\n", res->tls.subject);
	if (res->tls.error[0])
		out(r, "tls_error %s\n", res->tls.error);
}

static void
on_rcpt(void *ctx, sd_smtp_session *s, const sd_smtp_rcpt_result *rr)
{
	struct run *r = ctx;
	char buf[8192];

	if (rr->reply != NULL)
		out(r, "rcpt %s %d %s conn=%u %s\n", rr->address, rr->reply->code,
		    rr->reply->status[0] ? rr->reply->status : "-", rr->connection,
		    oneline(rr->reply->text, buf, sizeof(buf)));
	else
		out(r, "rcpt %s none error=%s conn=%u %s\n", rr->address,
		    sd_smtp_error_name(rr->error), rr->connection, rr->why);
	if (!r->later_done && r->nlater > 0) {
		int i;

		r->later_done = 1;
		for (i = 0; i < r->nlater; i++)
			if (sd_smtp_session_add_rcpt(s, r->later[i], NULL) < 0)
				out(r, "later %s refused\n", r->later[i]);
		if (r->finish)
			sd_smtp_session_finish(s);
	}
}

static void
on_transcript(void *ctx, int dir, const char *line, size_t len)
{
	struct run *r = ctx;

	if (r->transcript)
		out(r, "transcript %c %.*s\n", dir == SD_SMTP_SENT ? '>' : '<',
		    (int)(len > 200 ? 200 : len), line);
}

static int
usage(void)
{
	fprintf(stderr, "usage: live_probe session|multi|check|reach ... (see live_probe.c)\n");
	return 2;
}

/* Read the options at argv[*i...]; stops at the first non-option or "--". */
static int
parse_options(struct run *r, int argc, char **argv, int *i)
{
	sd_smtp_options_init(&r->o);
	r->finish = 1;
	r->prefix = "";
	r->o.helo_name = "probe.smtpdoc.test";
	r->o.mail_from = "probe@smtpdoc.test";
	for (; *i < argc && strncmp(argv[*i], "--", 2) == 0; (*i)++) {
		const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;

		if (strcmp(a, "--") == 0) {
			(*i)++;
			break;
		}
		if (strcmp(a, "--rset") == 0) {
			if (r->nitems < MAX_ITEMS)
				r->items[r->nitems++].addr = NULL;
			continue;
		}
		if (strcmp(a, "--no-finish") == 0) {
			r->finish = 0;
			continue;
		}
		if (strcmp(a, "--no-fallback") == 0) {
			r->o.tls_fallback = 0;
			continue;
		}
		if (strcmp(a, "--transcript") == 0) {
			r->transcript = 1;
			continue;
		}
		if (strcmp(a, "--smtputf8") == 0) {
			r->o.smtputf8 = 1;
			continue;
		}
		if (v == NULL)
			return -1;
		(*i)++;
		if (strcmp(a, "--rcpt") == 0) {
			if (r->nitems < MAX_ITEMS)
				r->items[r->nitems++].addr = v;
		} else if (strcmp(a, "--later") == 0) {
			if (r->nlater < MAX_ITEMS)
				r->later[r->nlater++] = v;
		} else if (strcmp(a, "--helo") == 0) {
			r->o.helo_name = v;
		} else if (strcmp(a, "--from") == 0) {
			r->o.mail_from = v;
		} else if (strcmp(a, "--size") == 0) {
			r->o.size = strtoull(v, NULL, 10);
		} else if (strcmp(a, "--tls") == 0) {
			r->o.tls = strcmp(v, "no") == 0         ? SD_SMTP_TLS_NO
				   : strcmp(v, "implicit") == 0 ? SD_SMTP_TLS_IMPLICIT
								: SD_SMTP_TLS_OPPORTUNISTIC;
		} else if (strcmp(a, "--tls-name") == 0) {
			r->o.tls_name = v;
		} else if (strcmp(a, "--ca") == 0) {
			r->ca = v;
		} else if (strcmp(a, "--connect-ms") == 0) {
			r->o.connect_ms = atoi(v);
		} else if (strcmp(a, "--banner-ms") == 0) {
			r->o.banner_ms = atoi(v);
		} else if (strcmp(a, "--command-ms") == 0) {
			r->o.command_ms = atoi(v);
		} else if (strcmp(a, "--idle-ms") == 0) {
			r->o.idle_ms = atoi(v);
		} else if (strcmp(a, "--per-mail") == 0) {
			r->o.rcpts_per_mail = (unsigned)atoi(v);
		} else {
			return -1;
		}
	}
	r->o.on_rcpt = on_rcpt;
	r->o.on_transcript = on_transcript;
	r->o.ctx = r;
	return 0;
}

/* A session for r to ip:port with its queue; NULL (reported) on error. */
static sd_smtp_session *
start(struct run *r, const char *ip, const char *port, sd_smtp_tlsctx *ctx)
{
	char err[256];
	sd_smtp_session *s;
	int k;

	r->o.tlsctx = ctx;
	s = sd_smtp_session_new(ip, (unsigned)atoi(port), &r->o, err, sizeof(err));
	if (s == NULL) {
		out(r, "new-failed %s\n", err);
		return NULL;
	}
	for (k = 0; k < r->nitems; k++) {
		int rc = r->items[k].addr ? sd_smtp_session_add_rcpt(s, r->items[k].addr, NULL)
					  : sd_smtp_session_add_rset(s);
		if (rc < 0)
			out(r, "queue-refused %s\n", r->items[k].addr ? r->items[k].addr : "RSET");
	}
	if (r->finish && r->nlater == 0)
		sd_smtp_session_finish(s);
	return s;
}

static sd_smtp_tlsctx *
make_ctx(const char *ca)
{
	char err[256];
	sd_smtp_tlsctx *c;

	if (ca == NULL)
		return NULL;
	c = sd_smtp_tlsctx_new(ca, err, sizeof(err));
	if (c == NULL)
		printf("tlsctx-failed %s\n", err);
	return c;
}

static void
print_counters(void)
{
	sd_smtp_counters c;

	sd_smtp_counters_get(&c);
	printf("counters sessions=%lu connections=%lu rcpts=%lu\n", c.sessions, c.connections,
	       c.rcpts);
}

/* All sessions in one poll() loop, as the bulk verifier drives them. */
static void
loop(sd_smtp_session **ss, int n)
{
	struct pollfd pfd[MAX_TARGETS];
	int left = n, k;

	while (left > 0) {
		int timeout = -1;

		for (k = 0; k < n; k++) {
			int t;

			pfd[k].fd = -1;
			pfd[k].events = 0;
			pfd[k].revents = 0;
			if (ss[k] == NULL || sd_smtp_session_done(ss[k]))
				continue;
			pfd[k].fd = sd_smtp_session_fd(ss[k]);
			pfd[k].events = sd_smtp_session_events(ss[k]);
			t = sd_smtp_session_timeout_ms(ss[k]);
			if (t >= 0 && (timeout < 0 || t < timeout))
				timeout = t;
		}
		if (poll(pfd, (nfds_t)n, timeout) < 0)
			continue;
		for (k = 0; k < n; k++) {
			if (ss[k] == NULL || sd_smtp_session_done(ss[k]))
				continue;
			if (!sd_smtp_session_step(ss[k], pfd[k].revents)) {
				left--;
				if (n > 1)
					printf("finished %d\n", k);
			}
		}
	}
}

int
main(int argc, char **argv)
{
	int i = 2;
	sd_smtp_tlsctx *ctx;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "reach") == 0) {
		char why[320];
		sd_tcp_reach r;

		if (argc != 5)
			return usage();
		r = sd_tcp_reachable(argv[2], (unsigned)atoi(argv[3]), atoi(argv[4]), why, sizeof(why));
		printf("reach %s%s%s\n", sd_tcp_reach_name(r), why[0] ? " " : "", why);
		return 0;
	}
	if (strcmp(argv[1], "session") == 0 || strcmp(argv[1], "check") == 0) {
		struct run *r = &runs[0];
		sd_smtp_session *s;

		if (parse_options(r, argc, argv, &i) < 0 || argc - i != 2)
			return usage();
		ctx = make_ctx(r->ca);
		if (strcmp(argv[1], "check") == 0) {
			char err[256];

			r->o.tlsctx = ctx;
			s = sd_smtp_probe_host(argv[i], (unsigned)atoi(argv[i + 1]), &r->o, err,
					       sizeof(err));
			if (s == NULL)
				out(r, "new-failed %s\n", err);
		} else {
			s = start(r, argv[i], argv[i + 1], ctx);
			sd_smtp_tlsctx_free(ctx); /* the session holds its own reference */
			ctx = NULL;
			if (s != NULL)
				loop(&s, 1);
		}
		if (s != NULL)
			print_result(r, sd_smtp_session_result(s));
		flush_out(r);
		sd_smtp_session_free(s);
		sd_smtp_tlsctx_free(ctx);
		print_counters();
		return 0;
	}
	if (strcmp(argv[1], "multi") == 0) {
		sd_smtp_session *ss[MAX_TARGETS];
		static char prefixes[MAX_TARGETS][8];
		int n = 0, k;

		if (parse_options(&runs[0], argc, argv, &i) < 0 || (argc - i) % 2 != 0 || argc == i)
			return usage();
		ctx = make_ctx(runs[0].ca);
		for (; i + 1 < argc && n < MAX_TARGETS; i += 2, n++) {
			if (n > 0) {
				memcpy(&runs[n], &runs[0], offsetof(struct run, lines));
				runs[n].o.ctx = &runs[n];
			}
			snprintf(prefixes[n], sizeof(prefixes[n]), "s%d ", n);
			runs[n].prefix = prefixes[n];
			runs[n].len = 0;
			ss[n] = start(&runs[n], argv[i], argv[i + 1], ctx);
		}
		sd_smtp_tlsctx_free(ctx);
		loop(ss, n);
		for (k = 0; k < n; k++) {
			if (ss[k] != NULL)
				print_result(&runs[k], sd_smtp_session_result(ss[k]));
			flush_out(&runs[k]);
			sd_smtp_session_free(ss[k]);
		}
		print_counters();
		return 0;
	}
	return usage();
}
