/*
 * replay_main.c - run a libFuzzer target over files, without libFuzzer.
 *
 * Usage: NAME_replay PATH...
 *
 * Each PATH is a directory or a regular file. For a directory, every
 * regular file directly inside it (not in subdirectories; names starting
 * with "." are skipped) is run, in byte order of the names. Each file is
 * read into a buffer of exactly its size, so AddressSanitizer catches a
 * read past the end, and handed to LLVMFuzzerTestOneInput(). A crash in
 * the target ends the program; the name of the file being run is printed
 * first, so the log says which input did it.
 *
 * The program ends with "N passed, M failed". A file that cannot be read,
 * or is larger than REPLAY_MAX_FILE_BYTES, counts as failed. Arguments that
 * start with "-" (libFuzzer options) are ignored.
 *
 * Exit status: 0 all passed; 1 some file failed; 2 usage error, a PATH
 * that does not exist or cannot be listed, or more than REPLAY_MAX_FILES
 * files in one directory.
 *
 * This is how the committed corpus replays under ctest (fuzz_replay.*),
 * after c-ares' test/ares-fuzz.c.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX_FILES 100000u                   /* files per directory */
#define REPLAY_MAX_FILE_BYTES ((size_t)16 << 20)   /* bytes per file */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct replay_counts {
	unsigned long passed;
	unsigned long failed;
} replay_counts;

/* replay_file - read one file and run the target on it; 0 ok, -1 failed */
static int
replay_file(const char *path)
{
	FILE *fp;
	struct stat st;
	unsigned char *buf = NULL;
	size_t size, got;
	int ret = -1;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "replay: %s: not a regular file\n", path);
		goto done;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > REPLAY_MAX_FILE_BYTES) {
		fprintf(stderr, "replay: %s: larger than %zu bytes\n", path,
			REPLAY_MAX_FILE_BYTES);
		goto done;
	}
	size = (size_t)st.st_size;
	/* Exactly size bytes: no slack for an over-read to hide in. */
	buf = malloc(size > 0 ? size : 1);
	if (buf == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		goto done;
	}
	got = size > 0 ? fread(buf, 1, size, fp) : 0;
	if (got != size || ferror(fp)) {
		fprintf(stderr, "replay: %s: short read\n", path);
		goto done;
	}
	printf("replay: %s (%zu bytes)\n", path, size);
	fflush(stdout);
	(void)LLVMFuzzerTestOneInput(buf, size);
	ret = 0;
done:
	free(buf);
	fclose(fp);
	return ret;
}

/* replay_count - run one file and add the outcome to the counts */
static void
replay_count(const char *path, replay_counts *c)
{
	if (replay_file(path) == 0)
		c->passed++;
	else
		c->failed++;
}

/* replay_cmp - qsort comparison of two names, byte order */
static int
replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* replay_free_names - free a list of n names and the list */
static void
replay_free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* replay_dir - run every regular file in dir; 0 listed, -1 fatal error */
static int
replay_dir(const char *dir, replay_counts *c)
{
	DIR *dp;
	struct dirent *de;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0, i, len;
	struct stat st;
	int ret = -1;

	dp = opendir(dir);
	if (dp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (;;) {
		errno = 0;
		de = readdir(dp);
		if (de == NULL) {
			if (errno != 0) {
				fprintf(stderr, "replay: %s: %s\n", dir,
					strerror(errno));
				goto done;
			}
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		if (n >= REPLAY_MAX_FILES) {
			fprintf(stderr, "replay: %s: more than %u files\n",
				dir, REPLAY_MAX_FILES);
			goto done;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(names, cap * sizeof(*names));
			if (grown == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				goto done;
			}
			names = grown;
		}
		len = strlen(dir) + 1 + strlen(de->d_name) + 1;
		names[n] = malloc(len);
		if (names[n] == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			goto done;
		}
		snprintf(names[n], len, "%s/%s", dir, de->d_name);
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), replay_cmp);
	for (i = 0; i < n; i++) {
		/* stat follows symlinks: a link to a regular file is run. */
		if (stat(names[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", names[i],
				strerror(errno));
			c->failed++;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		replay_count(names[i], c);
	}
	ret = 0;
done:
	replay_free_names(names, n);
	closedir(dp);
	return ret;
}

int
main(int argc, char **argv)
{
	replay_counts c = { 0, 0 };
	struct stat st;
	int i, paths = 0;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		paths++;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &c) != 0)
				return 2;
		} else {
			replay_count(argv[i], &c);
		}
	}
	if (paths == 0) {
		fprintf(stderr, "usage: %s DIRECTORY|FILE...\n",
			argc > 0 ? argv[0] : "replay");
		return 2;
	}
	printf("%lu passed, %lu failed\n", c.passed, c.failed);
	return c.failed == 0 ? 0 : 1;
}
