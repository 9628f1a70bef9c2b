/*
 * bench_decode.c - decode throughput of libsmtpdoc, without I/O.
 *
 * Usage: bench_decode [-g] [-r ROUNDS] [-w WARMUP] PATH...
 *
 * -g measures a reference instead: GMime building and freeing each
 * message's whole MIME object tree, with no decoding (what src/mime.c did
 * before it read the structure in place).
 *
 * Reads every message in the PATHs (files, directories, mboxes, through
 * smtpdoc_input_walk) into memory once, decodes one warm-up round, then
 * decodes all of them ROUNDS times with smtpdoc_decode and prints one line
 * of key=value figures:
 *
 *   messages=N bytes=B rounds=R seconds=S cpu_seconds=C msgs_per_s=X mb_per_s=Y
 *        results=K
 *
 * seconds is wall-clock time (CLOCK_MONOTONIC) of the timed rounds,
 * cpu_seconds the process CPU time over the same span; the rates use the
 * wall-clock time. MB is 10^6 bytes. results is the number of recipient
 * results per round (a check that the work was done). Not a test: it never
 * fails on time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmime/gmime.h>

#include "smtpdoc/smtpdoc.h"

typedef struct bench_msg {
	char *data;
	size_t len;
} bench_msg;

typedef struct bench_set {
	bench_msg *v;
	size_t n, cap, bytes;
	int failed;
} bench_set;

static int
bench_collect(void *vctx, const char *origin, const void *data, size_t len)
{
	bench_set *set = vctx;
	char *copy;

	(void)origin;
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 512;
		bench_msg *v = realloc(set->v, cap * sizeof(*v));
		if (v == NULL) {
			set->failed = 1;
			return 1;
		}
		set->v = v;
		set->cap = cap;
	}
	copy = malloc(len ? len : 1);
	if (copy == NULL) {
		set->failed = 1;
		return 1;
	}
	memcpy(copy, data, len);
	set->v[set->n].data = copy;
	set->v[set->n].len = len;
	set->n++;
	set->bytes += len;
	return 0;
}

static void
bench_input_error(void *vctx, const char *origin, const char *problem)
{
	bench_set *set = vctx;

	set->failed = 1;
	fprintf(stderr, "bench_decode: %s: %s\n", origin, problem);
}

static double
bench_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decode every message once; returns the number of results, or -1. */
static long
bench_round(const bench_set *set)
{
	long results = 0;
	size_t i;

	for (i = 0; i < set->n; i++) {
		smtpdoc_report *rep = NULL;
		smtpdoc_status st = smtpdoc_decode(set->v[i].data, set->v[i].len, "bench", &rep);
		if (st == SMTPDOC_OK) {
			results += (long)rep->count;
			smtpdoc_report_free(rep);
		} else if (st == SMTPDOC_ENOMEM) {
			return -1;
		}
	}
	return results;
}

/* The reference: GMime alone building and freeing each message's MIME
 * object tree, and nothing else. */
static long
bench_round_gmime(const bench_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		GMimeStream *stream = g_mime_stream_mem_new_with_buffer(set->v[i].data, set->v[i].len);
		GMimeParser *parser = g_mime_parser_new_with_stream(stream);
		GMimeMessage *msg;

		g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
		msg = g_mime_parser_construct_message(parser, NULL);
		if (msg)
			g_object_unref(msg);
		g_object_unref(parser);
		g_object_unref(stream);
	}
	return 0;
}

static long
bench_count(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000) {
		fprintf(stderr, "bench_decode: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	bench_set set;
	long rounds = 20, warmup = 1, r, results = 0;
	long (*round_fn)(const bench_set *) = bench_round;
	double t0, t1, c0, c1, secs;
	int i = 1;
	size_t k;

	memset(&set, 0, sizeof(set));
	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			rounds = bench_count(argv[i + 1], "round count");
			i += 2;
		} else if (strcmp(argv[i], "-g") == 0) {
			round_fn = bench_round_gmime;
			i++;
		} else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) {
			warmup = bench_count(argv[i + 1], "warm-up count");
			i += 2;
		} else {
			fputs("usage: bench_decode [-g] [-r ROUNDS] [-w WARMUP] PATH...\n", stderr);
			return 2;
		}
	}
	if (i >= argc || rounds < 1) {
		fputs("usage: bench_decode [-g] [-r ROUNDS] [-w WARMUP] PATH...\n", stderr);
		return 2;
	}
	if (smtpdoc_init() != SMTPDOC_OK) {
		fputs("bench_decode: cannot initialise libsmtpdoc\n", stderr);
		return 1;
	}
	for (; i < argc && !set.failed; i++)
		smtpdoc_input_walk(argv[i], bench_collect, bench_input_error, &set);
	if (set.failed || set.n == 0) {
		fputs("bench_decode: no messages loaded\n", stderr);
		return 1;
	}
	for (r = 0; r < warmup; r++)
		if (round_fn(&set) < 0)
			goto oom;
	t0 = bench_now(CLOCK_MONOTONIC);
	c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
	for (r = 0; r < rounds; r++) {
		long n = round_fn(&set);
		if (n < 0)
			goto oom;
		results = n;
	}
	c1 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
	t1 = bench_now(CLOCK_MONOTONIC);
	secs = t1 - t0 > 1e-9 ? t1 - t0 : 1e-9;
	printf("messages=%zu bytes=%zu rounds=%ld seconds=%.6f cpu_seconds=%.6f msgs_per_s=%.1f mb_per_s=%.3f "
	       "results=%ld\n",
	       set.n, set.bytes, rounds, secs, c1 - c0, (double)set.n * (double)rounds / secs,
	       (double)set.bytes * (double)rounds / secs / 1e6, results);
	for (k = 0; k < set.n; k++)
		free(set.v[k].data);
	free(set.v);
	return 0;
oom:
	fputs("bench_decode: out of memory\n", stderr);
	return 1;
}
