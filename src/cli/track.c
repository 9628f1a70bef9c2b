/*
 * track.c - 'smtpdoc track': the story of one message through mail logs.
 *
 * --id ID follows one queue id; --recipient ADDR and --sender ADDR first
 * read the logs once to collect the queue ids of the messages to or from
 * ADDR (at most TRACK_MAX_IDS), then once more for those ids' lines, so
 * memory stays bounded; standard input is copied to a temporary file
 * first, to be read twice. A bounce notice's own queue id joins the set,
 * so the notice's delivery is part of the story: Postfix names it on the
 * original's "notification:" line, Exim names the original on the
 * notice's reception ("<= <> R=ID"). Each story lists
 * reception, every delivery attempt with its reply, and per recipient the
 * outcome (delivered, bounced, deferred, expired, rejected) with the
 * diagnosis of the failure: reason, cause and fix, as explain gives them.
 */
#include <errno.h>
#include <getopt.h>
#include <search.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

#define TRACK_MAX_IDS 10000       /* messages followed at once */
#define TRACK_MAX_EVENTS 200000   /* lines kept for the stories */
#define TRACK_MAX_RCPTS 256       /* outcomes per message */

typedef struct track_event {
	struct track_event *next;
	size_t file;              /* which of the files given */
	smtpdoc_log_event ev;     /* strings point into the same block */
} track_event;

typedef struct track_story {
	char *id;                 /* NULL: refusals with no queue id */
	track_event *first, *last;
	size_t nevents;
} track_story;

typedef struct track_ctx {
	const char *id, *rcpt, *sender;
	const char *spool, *spool_name; /* standard input's copy, shown as "-" */
	track_story *stories;
	size_t nstories, cap;
	size_t null_story;        /* index + 1 of the story without a queue id */
	size_t file;              /* the file being read */
	time_t *file_span;        /* per file, its first and last time (0: none) */
	size_t kept;
	int full_ids, full_events, pass, quiet, oom;
	smtpdoc_format format;
	unsigned flags;
} track_ctx;

static void
track_usage(FILE *fp)
{
	fputs("usage: smtpdoc track (--id ID | --recipient ADDR | --sender ADDR) [OPTIONS] [FILE...]\n\n"
	      "Follow messages through Exim, Postfix and Sendmail logs (plain or gzip; '-' or\n"
	      "no FILE: standard input): when each was received, every delivery attempt\n"
	      "with the server's reply, retries, the outcome per recipient and, for a\n"
	      "failure, why it happened and how to fix it.\n\n"
	      "options:\n"
	      "  -i, --id ID            the message with this queue id\n"
	      "  -r, --recipient ADDR   the messages to ADDR (any case)\n"
	      "  -s, --sender ADDR      the messages from ADDR ('<>' for bounces)\n"
	      "      --since TIME, --until TIME   only lines in this window (ISO 8601)\n"
	      "  -f, --format FMT       text (default), json (one array of stories) or jsonl\n"
	      "                         (one story a line)\n"
	      "      --color WHEN       auto (default), always, never\n"
	      "  -q, --quiet            no warnings about bad lines\n"
	      "  -h, --help             this help\n\n"
	      "exit status: 0 found, 1 not found, 2 usage error or a file that could not be read\n", fp);
}

static void
track_warn(void *vctx, const char *origin, unsigned long line, const char *problem)
{
	track_ctx *ctx = vctx;

	if (ctx->quiet || ctx->pass == 1)
		return;
	if (ctx->spool && strcmp(origin, ctx->spool) == 0)
		origin = "-";
	if (line)
		fprintf(stderr, "smtpdoc track: %s:%lu: %s\n", origin, line, problem);
	else
		fprintf(stderr, "smtpdoc track: %s: %s\n", origin, problem);
}

static track_story *
track_find(track_ctx *ctx, const char *id)
{
	ENTRY key, *hit;

	if (id == NULL)
		return ctx->null_story ? &ctx->stories[ctx->null_story - 1] : NULL;
	key.key = (char *)id;
	key.data = NULL;
	hit = hsearch(key, FIND);
	return hit ? &ctx->stories[(size_t)(uintptr_t)hit->data] : NULL;
}

static track_story *
track_add(track_ctx *ctx, const char *id)
{
	track_story *s;

	if ((s = track_find(ctx, id)) != NULL)
		return s;
	if (ctx->nstories >= TRACK_MAX_IDS) {
		if (!ctx->full_ids && !ctx->quiet)
			fprintf(stderr, "smtpdoc track: more than %d messages match; the rest are left out\n",
				TRACK_MAX_IDS);
		ctx->full_ids = 1;
		return NULL;
	}
	if (ctx->nstories == ctx->cap) {
		size_t nc = ctx->cap ? ctx->cap * 2 : 16;
		track_story *v = realloc(ctx->stories, nc * sizeof(*v));
		if (v == NULL) {
			ctx->oom = 1;
			return NULL;
		}
		ctx->stories = v;
		ctx->cap = nc;
	}
	s = &ctx->stories[ctx->nstories];
	memset(s, 0, sizeof(*s));
	if (id) {
		ENTRY e;
		if ((s->id = strdup(id)) == NULL) {
			ctx->oom = 1;
			return NULL;
		}
		e.key = s->id;
		e.data = (void *)(uintptr_t)ctx->nstories;
		if (hsearch(e, ENTER) == NULL) {
			free(s->id);
			ctx->oom = 1;
			return NULL;
		}
	} else {
		ctx->null_story = ctx->nstories + 1;
	}
	ctx->nstories++;
	return s;
}

static int
track_same(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

/* does the line name the address asked for? */
static int
track_matches(const track_ctx *ctx, const smtpdoc_log_event *ev)
{
	if (ctx->rcpt)
		return track_same(ev->recipient, ctx->rcpt) || track_same(ev->alias, ctx->rcpt);
	if (ctx->sender) {
		if (strcmp(ctx->sender, "<>") == 0)
			return ev->addresser && ev->addresser[0] == '\0';
		return track_same(ev->addresser, ctx->sender);
	}
	return 0;
}

/* a deep copy of ev in one block */
static track_event *
track_copy(const smtpdoc_log_event *ev)
{
	const char *const *src[] = {&ev->origin, &ev->event, &ev->mta, &ev->program, &ev->queueid, &ev->addresser,
				    &ev->recipient, &ev->rhost, &ev->rhost_ip, &ev->replycode, &ev->deliverystatus,
				    &ev->diagnosticcode, &ev->smtpcommand, &ev->messageid, &ev->related_id,
				    &ev->reason, &ev->cause, &ev->alias};
	size_t n = sizeof(track_event), i, nf = sizeof(src) / sizeof(src[0]);
	track_event *t;
	char *p;

	for (i = 0; i < nf; i++)
		if (*src[i])
			n += strlen(*src[i]) + 1;
	t = malloc(n);
	if (t == NULL)
		return NULL;
	t->next = NULL;
	t->ev = *ev;
	p = (char *)(t + 1);
	for (i = 0; i < nf; i++) {
		const char **dst = (const char **)((char *)&t->ev + ((const char *)src[i] - (const char *)ev));
		if (*src[i]) {
			size_t l = strlen(*src[i]) + 1;
			memcpy(p, *src[i], l);
			*dst = p;
			p += l;
		}
	}
	return t;
}

static int
track_event_cb(void *vctx, const smtpdoc_log_event *ev)
{
	track_ctx *ctx = vctx;
	track_story *s;
	track_event *t;
	smtpdoc_log_event e = *ev;

	if (ctx->spool && strcmp(e.origin, ctx->spool) == 0)
		e.origin = "-";
	if (e.timestamp) {
		/* which of two rotated files is older, for lines of the same second */
		time_t *span = &ctx->file_span[2 * ctx->file];
		if (span[0] == 0 || e.timestamp < span[0])
			span[0] = e.timestamp;
		if (e.timestamp > span[1])
			span[1] = e.timestamp;
	}
	if (ctx->pass == 1) {
		/* collect the queue ids of the messages that name the address */
		if (e.queueid && track_matches(ctx, &e))
			track_add(ctx, e.queueid);
		return 0;
	}
	if (e.queueid)
		s = track_find(ctx, e.queueid);
	else
		s = track_matches(ctx, &e) ? track_add(ctx, NULL) : NULL;
	if (s == NULL && e.queueid && e.kind == SMTPDOC_LOG_RECEIVED && e.related_id && track_find(ctx, e.related_id))
		s = track_add(ctx, e.queueid); /* Exim's notice about a message followed */
	if (s == NULL)
		return 0;
	if (e.related_id && e.kind == SMTPDOC_LOG_NOTICE)
		track_add(ctx, e.related_id); /* Postfix's notice: its own message */
	if (ctx->kept >= TRACK_MAX_EVENTS) {
		if (!ctx->full_events && !ctx->quiet)
			fprintf(stderr, "smtpdoc track: more than %d matching lines; the rest are left out\n",
				TRACK_MAX_EVENTS);
		ctx->full_events = 1;
		return 0;
	}
	s = e.queueid ? track_find(ctx, e.queueid) : track_find(ctx, NULL); /* track_add may have moved it */
	t = track_copy(&e);
	if (t == NULL) {
		ctx->oom = 1;
		return 1;
	}
	t->file = ctx->file;
	if (s->last)
		s->last->next = t;
	else
		s->first = t;
	s->last = t;
	s->nevents++;
	ctx->kept++;
	return 0;
}

/* The story's lines in time order: logs given newest first, as a shell
 * glob of rotated files lists them, still tell the story from its start.
 * Lines of the same second keep their order within a file; across files
 * the older file (by the times its lines span) goes first. A merge sort
 * of the list, O(n log n), no allocation. */
static int
track_before(const track_ctx *ctx, const track_event *b, const track_event *a)
{
	const time_t *fb, *fa;

	if (b->ev.timestamp != a->ev.timestamp)
		return b->ev.timestamp < a->ev.timestamp;
	if (b->file == a->file)
		return b->ev.line < a->ev.line;
	fb = &ctx->file_span[2 * b->file];
	fa = &ctx->file_span[2 * a->file];
	if (fb[0] != fa[0])
		return fb[0] < fa[0];
	if (fb[1] != fa[1])
		return fb[1] < fa[1];
	return b->file < a->file;
}

static track_event *
track_merge(const track_ctx *ctx, track_event *a, track_event *b)
{
	track_event head, *t = &head;

	while (a && b) {
		if (track_before(ctx, b, a)) {
			t->next = b;
			b = b->next;
		} else {
			t->next = a;
			a = a->next;
		}
		t = t->next;
	}
	t->next = a ? a : b;
	return head.next;
}

static void
track_sort(const track_ctx *ctx, track_story *s)
{
	track_event *run[64] = {NULL}, *e, *next;
	size_t i;

	/* bottom-up: run[i] holds a sorted list of 2^i lines or nothing */
	for (e = s->first; e; e = next) {
		next = e->next;
		e->next = NULL;
		for (i = 0; i < 63 && run[i]; i++) {
			e = track_merge(ctx, run[i], e);
			run[i] = NULL;
		}
		run[i] = run[i] ? track_merge(ctx, run[i], e) : e;
	}
	for (e = NULL, i = 0; i < 64; i++)
		if (run[i])
			e = e ? track_merge(ctx, run[i], e) : run[i];
	s->first = e;
	for (s->last = e; s->last && s->last->next; s->last = s->last->next)
		;
}

/* ---- outcomes ------------------------------------------------------ */

typedef struct track_outcome {
	const char *recipient;
	const smtpdoc_log_event *last; /* the last attempt */
	unsigned attempts, deferrals;
} track_outcome;

static size_t
track_outcomes(const track_story *s, track_outcome *out, size_t max)
{
	const track_event *t;
	const smtpdoc_log_event *expired = NULL;
	size_t n = 0, i;

	for (t = s->first; t; t = t->next) {
		const smtpdoc_log_event *ev = &t->ev;
		if (ev->kind == SMTPDOC_LOG_EXPIRED && ev->recipient == NULL) {
			expired = ev;
			continue;
		}
		if (ev->kind > SMTPDOC_LOG_EXPIRED && ev->kind != SMTPDOC_LOG_DELIVERED)
			continue;
		if (ev->recipient == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcasecmp(out[i].recipient, ev->recipient) == 0)
				break;
		if (i == n) {
			if (n == max)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			out[n].recipient = ev->recipient;
			n++;
		}
		out[i].last = ev;
		out[i].attempts++;
		if (ev->kind == SMTPDOC_LOG_DEFERRED)
			out[i].deferrals++;
	}
	/* a message that expired: each recipient still deferred expired */
	for (i = 0; expired && i < n; i++)
		if (out[i].last->kind == SMTPDOC_LOG_DEFERRED)
			out[i].last = expired;
	return n;
}

static const char *
track_outcome_name(const smtpdoc_log_event *ev)
{
	return ev->kind == SMTPDOC_LOG_DEFERRED ? "deferred (still queued, will be retried)" : ev->event;
}

static const char *
track_story_field(const track_story *s, int which)
{
	const track_event *t;

	for (t = s->first; t; t = t->next) {
		if (which == 0 && t->ev.addresser && t->ev.kind == SMTPDOC_LOG_RECEIVED)
			return t->ev.addresser;
		if (which == 1 && t->ev.messageid)
			return t->ev.messageid;
	}
	if (which == 0)
		for (t = s->first; t; t = t->next)
			if (t->ev.addresser)
				return t->ev.addresser;
	return NULL;
}

static void
track_text(const track_ctx *ctx, const track_story *s)
{
	track_outcome oc[TRACK_MAX_RCPTS];
	const char *from = track_story_field(s, 0), *mid = track_story_field(s, 1);
	const track_event *t;
	size_t n, i, k;

	const char *about = NULL;

	for (t = s->first; t && about == NULL; t = t->next)
		if (t->ev.kind == SMTPDOC_LOG_RECEIVED && t->ev.related_id)
			about = t->ev.related_id;
	if (s->id && about)
		printf("Bounce notice %s about message %s", s->id, about);
	else if (s->id)
		printf("Message %s", s->id);
	else
		fputs("Refused before it was queued", stdout);
	if (from && !about)
		printf(" from <%s>", from);
	if (mid)
		printf(", message-id <%s>", mid);
	putchar('\n');
	for (t = s->first; t; t = t->next) {
		fputs("  ", stdout);
		smtpdoc_write_log_event_text(stdout, &t->ev, ctx->flags);
	}
	n = track_outcomes(s, oc, TRACK_MAX_RCPTS);
	for (i = 0; i < n; i++) {
		const smtpdoc_log_event *ev = oc[i].last;
		const smtpdoc_cause *c = ev->cause ? smtpdoc_cause_find(ev->cause) : NULL;
		printf("  Outcome for <%s>", oc[i].recipient);
		if (ev->alias)
			printf(" (by way of <%s>)", ev->alias);
		printf(": %s after %u attempt%s", track_outcome_name(ev), oc[i].attempts, oc[i].attempts == 1 ? "" : "s");
		if (oc[i].deferrals)
			printf(" (%u deferred)", oc[i].deferrals);
		putchar('\n');
		if (ev->kind <= SMTPDOC_LOG_EXPIRED && c) {
			printf("  Diagnosis: %s (%s): %s\n", ev->reason, ev->cause, c->title);
			printf("    %s\n", c->explanation);
			for (k = 0; c->fix_sender && c->fix_sender[k]; k++)
				printf("    %zu. %s\n", k + 1, c->fix_sender[k]);
		}
	}
}

static void
track_json_str(const char *name, const char *v, int comma)
{
	printf("%s\"%s\":", comma ? "," : "", name);
	smtpdoc_write_json_string(stdout, v);
}

static void
track_json(const track_story *s)
{
	track_outcome oc[TRACK_MAX_RCPTS];
	const track_event *t;
	size_t n, i, k;

	putchar('{');
	track_json_str("queueid", s->id, 0);
	track_json_str("addresser", track_story_field(s, 0), 1);
	track_json_str("messageid", track_story_field(s, 1), 1);
	fputs(",\"events\":[", stdout);
	for (t = s->first; t; t = t->next) {
		if (t != s->first)
			putchar(',');
		smtpdoc_write_log_event_json(stdout, &t->ev);
	}
	fputs("],\"outcomes\":[", stdout);
	n = track_outcomes(s, oc, TRACK_MAX_RCPTS);
	for (i = 0; i < n; i++) {
		const smtpdoc_log_event *ev = oc[i].last;
		const smtpdoc_cause *c = ev->cause ? smtpdoc_cause_find(ev->cause) : NULL;
		if (i)
			putchar(',');
		putchar('{');
		track_json_str("recipient", oc[i].recipient, 0);
		track_json_str("alias", ev->alias, 1);
		track_json_str("outcome", ev->event, 1);
		printf(",\"attempts\":%u,\"deferrals\":%u", oc[i].attempts, oc[i].deferrals);
		track_json_str("replycode", ev->replycode, 1);
		track_json_str("deliverystatus", ev->deliverystatus, 1);
		track_json_str("diagnosticcode", ev->kind == SMTPDOC_LOG_DELIVERED ? NULL : ev->diagnosticcode, 1);
		track_json_str("reason", ev->reason, 1);
		track_json_str("cause", ev->cause, 1);
		track_json_str("title", c ? c->title : NULL, 1);
		track_json_str("explanation", c ? c->explanation : NULL, 1);
		fputs(",\"fix\":[", stdout);
		for (k = 0; c && c->fix_sender && c->fix_sender[k]; k++) {
			if (k)
				putchar(',');
			smtpdoc_write_json_string(stdout, c->fix_sender[k]);
		}
		fputs("]}", stdout);
	}
	fputs("]}", stdout);
}

/* copy standard input to a temporary file, to read it twice */
static int
track_spool(char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	char buf[65536];
	ssize_t r;
	int fd;

	snprintf(path, n, "%s/smtpdoc-track.XXXXXX", dir && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	while ((r = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (write(fd, buf, (size_t)r) != r) {
			r = -1;
			break;
		}
	}
	close(fd);
	if (r < 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

int
cli_track(int argc, char **argv)
{
	static const struct option opts[] = {
		{"id", required_argument, NULL, 'i'},
		{"recipient", required_argument, NULL, 'r'},
		{"sender", required_argument, NULL, 's'},
		{"since", required_argument, NULL, 'S'},
		{"until", required_argument, NULL, 'U'},
		{"format", required_argument, NULL, 'f'},
		{"color", required_argument, NULL, 'C'},
		{"colour", required_argument, NULL, 'C'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	track_ctx ctx;
	smtpdoc_log_options o;
	const char *color = "auto";
	char err[256], spool[4096];
	int c, i, pass, color_on, errors = 0, nfiles, asked;
	size_t k, shown = 0;

	memset(&ctx, 0, sizeof(ctx));
	memset(&o, 0, sizeof(o));
	o.flags = SMTPDOC_LOG_ALL;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:r:s:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': ctx.id = optarg; break;
		case 'r': ctx.rcpt = optarg; break;
		case 's': ctx.sender = optarg; break;
		case 'S':
			if (cli_parse_iso_time("track", "--since", optarg, &o.since) != 0)
				return CLI_EXIT_ERROR;
			break;
		case 'U':
			if (cli_parse_iso_time("track", "--until", optarg, &o.until) != 0)
				return CLI_EXIT_ERROR;
			break;
		case 'f':
			if (cli_parse_format(optarg, &ctx.format) != 0) {
				fprintf(stderr, "smtpdoc track: unknown format '%s' (use text, json or jsonl)\n", optarg);
				return CLI_EXIT_ERROR;
			}
			break;
		case 'C': color = optarg; break;
		case 'q': ctx.quiet = 1; break;
		case 'h': track_usage(stdout); return 0;
		default:
			cli_option_error("track", argv);
			return CLI_EXIT_ERROR;
		}
	}
	asked = (ctx.id != NULL) + (ctx.rcpt != NULL) + (ctx.sender != NULL);
	if (asked != 1) {
		fputs("smtpdoc track: give one of --id, --recipient or --sender (try --help)\n", stderr);
		return CLI_EXIT_ERROR;
	}
	color_on = cli_color(color, STDOUT_FILENO);
	if (color_on < 0) {
		fprintf(stderr, "smtpdoc track: --color takes auto, always or never, not '%s'\n", color);
		return CLI_EXIT_ERROR;
	}
	if (color_on && ctx.format == SMTPDOC_FORMAT_TEXT)
		ctx.flags |= SMTPDOC_OUT_COLOR;
	nfiles = argc - optind;
	for (i = 0; i < (nfiles ? nfiles : 1); i++) {
		if (nfiles == 0 || strcmp(argv[optind + i], "-") == 0) {
			if (ctx.spool)
				continue;
			if (ctx.rcpt || ctx.sender) {
				if (track_spool(spool, sizeof(spool)) != 0) {
					fprintf(stderr, "smtpdoc track: cannot copy standard input to a temporary file: %s\n",
						strerror(errno));
					return CLI_EXIT_ERROR;
				}
				ctx.spool = spool;
			}
		}
	}
	/* the queue ids followed, by hsearch(3): a line's lookup costs the
	 * same whether 1 or TRACK_MAX_IDS messages are followed */
	ctx.file_span = calloc(2 * (size_t)(nfiles ? nfiles : 1), sizeof(*ctx.file_span));
	if (ctx.file_span == NULL || hcreate(TRACK_MAX_IDS * 2) == 0 || (ctx.id && track_add(&ctx, ctx.id) == NULL)) {
		fputs("smtpdoc track: out of memory\n", stderr);
		if (ctx.spool)
			unlink(ctx.spool);
		free(ctx.file_span);
		return CLI_EXIT_ERROR;
	}
	for (pass = ctx.id ? 2 : 1; pass <= 2; pass++) {
		ctx.pass = pass;
		for (i = 0; i < (nfiles ? nfiles : 1); i++) {
			const char *path = nfiles ? argv[optind + i] : "-";
			if (strcmp(path, "-") == 0 && ctx.spool)
				path = ctx.spool;
			ctx.file = (size_t)i;
			if (smtpdoc_log_scan(path, &o, track_event_cb, track_warn, &ctx, NULL, err, sizeof(err)) != SMTPDOC_OK) {
				if (pass == 2)
					fprintf(stderr, "smtpdoc track: %s: %s\n", path == ctx.spool ? "-" : path,
						err[0] ? err : "out of memory");
				errors++;
			}
		}
	}
	if (ctx.spool)
		unlink(ctx.spool);
	for (k = 0; k < ctx.nstories; k++)
		track_sort(&ctx, &ctx.stories[k]);
	if (ctx.format == SMTPDOC_FORMAT_JSON)
		putchar('[');
	for (k = 0; k < ctx.nstories; k++) {
		track_story *s = &ctx.stories[k];
		if (s->nevents == 0)
			continue;
		switch (ctx.format) {
		case SMTPDOC_FORMAT_JSON:
			fputs(shown ? ",\n" : "\n", stdout);
			flockfile(stdout); /* the library's JSON helpers write unlocked */
			track_json(s);
			funlockfile(stdout);
			break;
		case SMTPDOC_FORMAT_JSONL:
			flockfile(stdout);
			track_json(s);
			funlockfile(stdout);
			putchar('\n');
			break;
		default:
			if (shown)
				putchar('\n');
			track_text(&ctx, s);
			break;
		}
		shown++;
	}
	if (ctx.format == SMTPDOC_FORMAT_JSON)
		fputs(shown ? "\n]\n" : "]\n", stdout);
	fflush(stdout);
	for (k = 0; k < ctx.nstories; k++) {
		track_event *t = ctx.stories[k].first, *nx;
		for (; t; t = nx) {
			nx = t->next;
			free(t);
		}
		free(ctx.stories[k].id);
	}
	free(ctx.stories);
	free(ctx.file_span);
	hdestroy();
	if (ctx.oom)
		fputs("smtpdoc track: out of memory: the stories are incomplete\n", stderr);
	if (errors || ctx.oom)
		return CLI_EXIT_ERROR;
	if (shown == 0 && !ctx.quiet)
		fputs("smtpdoc track: no matching message in the logs\n", stderr);
	return shown ? CLI_EXIT_FOUND : CLI_EXIT_NOTHING;
}
