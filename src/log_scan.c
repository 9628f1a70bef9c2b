/*
 * log_scan.c - smtpdoc_log_scan(): a mail log read as a stream, one event
 * per failure (or per line of a message's story with SMTPDOC_LOG_ALL).
 *
 * The file (plain or gzip: zlib's gzread reads both) is read in blocks of
 * SD_LOG_BLOCK bytes into one buffer and cut into lines with memchr; a
 * line longer than SMTPDOC_LOG_MAX_LINE is reported and skipped. Nothing
 * is allocated per line: an event's strings are copied, with control
 * bytes replaced, into one scratch buffer that lives as long as the scan.
 * Only failures are classified, through sd_reply_reason() (the rules of
 * `explain`), and the answers are kept in a fixed direct-mapped cache
 * keyed by the reply with the <address> and [IP] parts left out, since
 * the same refusal comes back for thousands of recipients and clients.
 *
 * Problems (binary data, cut or overlong lines, a gzip stream cut short)
 * go to the warning callback with the line number: the first
 * SMTPDOC_LOG_MAX_WARNINGS of a file one by one, then one count. They
 * never stop the scan. The caller frees nothing: the scan's memory is
 * released before it returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"
#include "logparse.h"

#define SD_LOG_BLOCK (256u * 1024)
#define SD_LOG_SCRATCH (2u * SMTPDOC_LOG_MAX_LINE + 1024)
#define SD_LOG_CACHE 4096   /* classification cache entries */
#define SD_LOG_KEY 320      /* longest cache key */

static const char *const sd_log_kind_names[SMTPDOC_LOG_KIND_COUNT] = {
	"rejected", "bounced", "deferred", "expired", "received", "delivered", "notice", "info",
};

typedef struct sd_log_centry {
	uint64_t hash;
	uint16_t len;
	const char *reason, *cause;
	char key[SD_LOG_KEY];
} sd_log_centry;

typedef struct sd_logscan {
	char *scratch;
	size_t used;
	sd_logclock clock;
	sd_log_centry *cache; /* NULL: no cache */
} sd_logscan;

/* copy a span into the scratch buffer as a C string; control bytes
 * become '?'. NULL span gives NULL. */
static const char *
sd_log_str(sd_logscan *s, sd_span sp)
{
	char *d;
	size_t i;

	if (sp.p == NULL)
		return NULL;
	if (s->used + sp.n + 1 > SD_LOG_SCRATCH)
		sp.n = s->used + 1 < SD_LOG_SCRATCH ? SD_LOG_SCRATCH - s->used - 1 : 0;
	d = s->scratch + s->used;
	for (i = 0; i < sp.n; i++) {
		unsigned char c = (unsigned char)sp.p[i];
		d[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	d[sp.n] = '\0';
	s->used += sp.n + 1;
	return d;
}

/* the cache key: code, status, stage, remote host, recipient domain and
 * the text without what is inside <...> and [...]; 0 when it would be too
 * long */
static size_t
sd_log_key(char *k, const smtpdoc_log_event *ev)
{
	const char *parts[5] = {ev->replycode, ev->deliverystatus, ev->smtpcommand, ev->rhost, NULL};
	const char *t, *c, *gt, *te;
	size_t n = 0, i, l;

	if (ev->recipient && (t = strrchr(ev->recipient, '@')) != NULL)
		parts[4] = t;
	for (i = 0; i < 5; i++) {
		l = parts[i] ? strlen(parts[i]) : 0;
		if (n + l + 1 >= SD_LOG_KEY)
			return 0;
		memcpy(k + n, parts[i] ? parts[i] : "", l);
		n += l;
		k[n++] = '\x1f';
	}
	t = ev->diagnosticcode ? ev->diagnosticcode : "";
	te = t + strlen(t);
	/* the text with each "<...>" and "[...]" (addresses, client IPs)
	 * kept as "<>" and "[]" */
	while (t < te) {
		for (c = t; c < te && *c != '<' && *c != '['; c++)
			;
		l = (size_t)(c - t) + (c < te);
		if (n + l + 1 >= SD_LOG_KEY)
			return 0;
		memcpy(k + n, t, l);
		n += l;
		if (c == te)
			break;
		gt = memchr(c + 1, *c == '<' ? '>' : ']', (size_t)(te - c - 1));
		if (gt == NULL)
			break;
		t = gt; /* the closing bracket starts the next run */
	}
	return n;
}

/* reason and cause of a failure event */
static void
sd_log_classify(sd_logscan *s, const sd_logline *l, smtpdoc_log_event *ev)
{
	char code[4] = {0}, key[SD_LOG_KEY];
	const char *rc = ev->replycode, *reason = NULL, *cause = NULL;
	sd_log_centry *e = NULL;
	size_t kn = 0;
	uint64_t h = 0;

	if (rc == NULL) {
		char cls = l->code_class;
		if (ev->deliverystatus && (ev->deliverystatus[0] == '4' || ev->deliverystatus[0] == '5'))
			cls = ev->deliverystatus[0];
		if (cls == 0)
			cls = ev->kind == SMTPDOC_LOG_DEFERRED ? '4' : '5';
		code[0] = cls;
		code[1] = '5';
		code[2] = '0';
		rc = code;
	}
	if (s->cache && (kn = sd_log_key(key, ev)) != 0) {
		h = sd_hash_bytes(key, kn, (unsigned char)rc[0]);
		e = &s->cache[h % SD_LOG_CACHE];
		if (e->reason && e->hash == h && e->len == kn && memcmp(e->key, key, kn) == 0) {
			ev->reason = e->reason;
			ev->cause = e->cause;
			goto expired;
		}
	}
	sd_reply_reason(rc, ev->deliverystatus, ev->diagnosticcode ? ev->diagnosticcode : "", ev->smtpcommand, ev->rhost,
			ev->recipient, &reason, &cause);
	/* a deferral is not given up on yet: what do the words say? */
	if (ev->kind == SMTPDOC_LOG_DEFERRED && strcmp(reason, "expired") == 0) {
		sd_reply_reason(NULL, NULL, ev->diagnosticcode ? ev->diagnosticcode : "", ev->smtpcommand, ev->rhost,
				ev->recipient, &reason, &cause);
		if (strcmp(reason, "expired") == 0) {
			reason = "onhold";
			cause = smtpdoc_cause_for_reason("onhold")->id;
		}
	}
	ev->reason = reason;
	ev->cause = cause;
	if (e) {
		e->hash = h;
		e->len = (uint16_t)kn;
		memcpy(e->key, key, kn);
		e->reason = reason;
		e->cause = cause;
	}
expired:
	/* postscreen refuses the client, not the message: words that point
	 * at no cause of their own ("Service currently unavailable", read
	 * from its 5.3.2 as a system error) mean the client is blocked */
	if (l->client_refused && (strcmp(ev->reason, "systemerror") == 0 || strcmp(ev->reason, "undefined") == 0 ||
				  strcmp(ev->reason, "onhold") == 0)) {
		ev->reason = "blocked";
		ev->cause = smtpdoc_cause_for_reason("blocked")->id;
	}
	/* a message given up on: what happened before is in the text, the
	 * outcome is the expiry (as explain reads a bounce for it) */
	if (ev->kind == SMTPDOC_LOG_EXPIRED) {
		ev->reason = "expired";
		ev->cause = smtpdoc_cause_for_reason("expired")->id;
	}
}

/* fill ev from a parsed line; 1 when it passes the time window */
static int
sd_log_fill(sd_logscan *s, const sd_logline *l, const smtpdoc_log_options *o, smtpdoc_log_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->timestamp = sd_log_time(&s->clock, &l->stamp);
	if (o && ((o->since && ev->timestamp < o->since) || (o->until && ev->timestamp >= o->until)))
		return 0;
	s->used = 0;
	ev->kind = (smtpdoc_log_kind)l->kind;
	ev->event = sd_log_kind_names[l->kind];
	ev->mta = l->mta;
	ev->program = sd_log_str(s, l->program);
	ev->queueid = sd_log_str(s, l->queueid);
	ev->addresser = sd_log_str(s, l->addresser);
	ev->recipient = sd_log_str(s, l->recipient);
	ev->rhost = sd_log_str(s, l->rhost);
	ev->rhost_ip = sd_log_str(s, l->rip);
	ev->replycode = sd_log_str(s, l->replycode);
	ev->deliverystatus = sd_log_str(s, l->status);
	ev->diagnosticcode = sd_log_str(s, l->text);
	ev->smtpcommand = l->command;
	ev->messageid = sd_log_str(s, l->messageid);
	ev->related_id = sd_log_str(s, l->related);
	ev->alias = sd_log_str(s, l->alias);
	if (ev->kind <= SMTPDOC_LOG_EXPIRED)
		sd_log_classify(s, l, ev);
	return 1;
}

int
smtpdoc_log_parse_line(const char *line, size_t len, const smtpdoc_log_options *o, smtpdoc_log_event *ev)
{
	static _Thread_local char scratch[SD_LOG_SCRATCH];
	sd_logscan s;
	sd_logline l;
	int rc, all = o && (o->flags & SMTPDOC_LOG_ALL);

	if (smtpdoc_init() != SMTPDOC_OK)
		return -1;
	rc = sd_log_parse_line(line, len, all, &l);
	if (rc != SD_LOG_EVENT)
		return rc == SD_LOG_OTHER ? 0 : -1;
	memset(&s, 0, sizeof(s));
	s.scratch = scratch;
	sd_logclock_init(&s.clock, o && o->now ? o->now : time(NULL));
	sd_log_fill(&s, &l, NULL, ev);
	ev->origin = NULL;
	return 1;
}

typedef struct sd_logrun {
	sd_logscan s;
	const char *origin;
	const smtpdoc_log_options *o;
	smtpdoc_log_event_fn on_event;
	smtpdoc_log_warn_fn on_warn;
	void *ctx;
	smtpdoc_log_stats st;
	unsigned long problems, known;
	int all, stop;
} sd_logrun;

static void
sd_log_problem(sd_logrun *r, unsigned long line, const char *what)
{
	r->problems++;
	if (r->problems <= SMTPDOC_LOG_MAX_WARNINGS && r->on_warn)
		r->on_warn(r->ctx, r->origin, line, what);
}

static void
sd_log_one(sd_logrun *r, const char *p, size_t n)
{
	sd_logline l;
	smtpdoc_log_event ev;
	size_t i;
	int rc;

	r->st.lines++;
	rc = sd_log_parse_line(p, n, r->all, &l);
	if (rc == SD_LOG_EVENT) {
		r->known++;
		if (!sd_log_fill(&r->s, &l, r->o, &ev))
			return;
		ev.origin = r->origin;
		ev.line = r->st.lines;
		r->st.events++;
		if (r->on_event && r->on_event(r->ctx, &ev) != 0)
			r->stop = 1;
		return;
	}
	if (rc == SD_LOG_OTHER) {
		r->known++;
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			break;
	}
	if (i < n) {
		r->st.bad++;
		sd_log_problem(r, r->st.lines, "binary data (control bytes) in the line; skipped");
	} else if (rc == SD_LOG_CUT) {
		r->st.bad++;
		sd_log_problem(r, r->st.lines, "the line is cut short; skipped");
	} else {
		r->st.unrecognised++;
		sd_log_problem(r, r->st.lines, "not a line of a known mail log format; skipped");
	}
}

smtpdoc_status
smtpdoc_log_scan(const char *path, const smtpdoc_log_options *o, smtpdoc_log_event_fn on_event,
		 smtpdoc_log_warn_fn on_warn, void *ctx, smtpdoc_log_stats *stats, char *err, size_t errlen)
{
	sd_logrun r;
	smtpdoc_status st = SMTPDOC_OK;
	struct stat sb;
	gzFile gz = NULL;
	char *buf = NULL, msg[160];
	size_t have = 0, cap = SD_LOG_BLOCK + SMTPDOC_LOG_MAX_LINE;
	int fd, skipping = 0, zerr = Z_OK;

	if (err && errlen)
		err[0] = '\0';
	if (path == NULL)
		return SMTPDOC_EINVAL;
	if (smtpdoc_init() != SMTPDOC_OK)
		return SMTPDOC_ENOMEM;
	memset(&r, 0, sizeof(r));
	r.origin = path;
	r.o = o;
	r.on_event = on_event;
	r.on_warn = on_warn;
	r.ctx = ctx;
	r.all = o && (o->flags & SMTPDOC_LOG_ALL);
	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (err)
			snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return SMTPDOC_EIO;
	}
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		if (err)
			snprintf(err, errlen, "is a directory");
		return SMTPDOC_EIO;
	}
	sd_logclock_init(&r.s.clock, o && o->now ? o->now : (S_ISREG(sb.st_mode) ? sb.st_mtime : time(NULL)));
	buf = malloc(cap);
	r.s.scratch = malloc(SD_LOG_SCRATCH);
	r.s.cache = calloc(SD_LOG_CACHE, sizeof(sd_log_centry));
	gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	if (buf == NULL || r.s.scratch == NULL || r.s.cache == NULL || gz == NULL) {
		if (gz == NULL)
			close(fd);
		st = SMTPDOC_ENOMEM;
		goto done;
	}
	gzbuffer(gz, 128u * 1024);
	while (!r.stop) {
		int n = gzread(gz, buf + have, (unsigned)(cap - have));
		char *p, *end, *nl;

		if (n <= 0) {
			if (n < 0 || gzerror(gz, &zerr) == NULL || (zerr != Z_OK && zerr != Z_STREAM_END))
				(void)gzerror(gz, &zerr);
			break;
		}
		p = buf;
		end = buf + have + (size_t)n;
		while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (skipping) {
				skipping = 0; /* the end of an overlong line */
			} else if ((size_t)(nl - p) > SMTPDOC_LOG_MAX_LINE) {
				r.st.lines++;
				r.st.bad++;
				snprintf(msg, sizeof(msg), "line longer than %u bytes; skipped",
					 (unsigned)SMTPDOC_LOG_MAX_LINE);
				sd_log_problem(&r, r.st.lines, msg);
			} else {
				sd_log_one(&r, p, (size_t)(nl - p));
				if (r.stop)
					break;
			}
			p = nl + 1;
		}
		have = (size_t)(end - p);
		if (skipping) {
			have = 0;
		} else if (have > SMTPDOC_LOG_MAX_LINE) {
			r.st.lines++;
			r.st.bad++;
			snprintf(msg, sizeof(msg), "line longer than %u bytes; skipped", (unsigned)SMTPDOC_LOG_MAX_LINE);
			sd_log_problem(&r, r.st.lines, msg);
			skipping = 1;
			have = 0;
		} else if (have) {
			memmove(buf, p, have);
		}
	}
	/* the last line, without a line end */
	if (have && !r.stop && !skipping)
		sd_log_one(&r, buf, have);
	if (zerr == Z_BUF_ERROR) {
		r.st.bad++;
		snprintf(msg, sizeof(msg), "compressed data cut short after line %lu: the lines before it were read",
			 r.st.lines);
		r.problems++;
		if (on_warn)
			on_warn(ctx, path, r.st.lines, msg);
	} else if (zerr != Z_OK && zerr != Z_STREAM_END) {
		int e2;
		const char *zm = gzerror(gz, &e2);
		if (err)
			snprintf(err, errlen, "read error after line %lu: %s", r.st.lines,
				 zerr == Z_ERRNO ? strerror(errno) : (zm ? zm : "zlib error"));
		st = SMTPDOC_EIO;
	}
	if (r.problems > SMTPDOC_LOG_MAX_WARNINGS && on_warn) {
		snprintf(msg, sizeof(msg), "%lu more problem lines not shown", r.problems - SMTPDOC_LOG_MAX_WARNINGS);
		on_warn(ctx, path, 0, msg);
	}
	if (r.st.lines > 0 && r.known == 0 && on_warn)
		on_warn(ctx, path, 0, "no line of a known mail log format (Exim, Postfix, Sendmail)");
done:
	if (gz)
		gzclose(gz);
	free(buf);
	free(r.s.scratch);
	free(r.s.cache);
	if (stats) {
		stats->lines += r.st.lines;
		stats->events += r.st.events;
		stats->unrecognised += r.st.unrecognised;
		stats->bad += r.st.bad;
	}
	return st;
}
