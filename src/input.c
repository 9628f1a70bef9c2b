/*
 * input.c - smtpdoc_input_walk(): find the messages in a path.
 *
 * A path is standard input ("-"), a regular file (one message, or an mbox
 * when it starts with a "From " line and holds several), or a directory,
 * read recursively in byte order of names (a Maildir's cur/new/tmp
 * included; names starting with '.' skipped; symbolic links to
 * directories not followed, so no loops). Each message goes to the
 * caller's callback with its origin: the path, "path#N" for the Nth
 * message of an mbox. Problems with one input go to the error callback as
 * one line, and the walk goes on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define SD_MAX_DIR_DEPTH 32

typedef struct sd_walker {
	smtpdoc_message_fn on_message;
	smtpdoc_input_error_fn on_error;
	void *ctx;
	int stop;
} sd_walker;

static void
sd_report_errno(sd_walker *w, const char *origin, const char *what, int err)
{
	char line[512];

	snprintf(line, sizeof(line), "%s: %s", what, strerror(err));
	if (w->on_error)
		w->on_error(w->ctx, origin, line);
}

static int
sd_read_fd(int fd, sd_buf *b)
{
	char chunk[65536];
	struct stat st;

	/* A regular file is read straight into a buffer of its size. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= b->max && b->data == NULL) {
		size_t want = (size_t)st.st_size;
		b->data = malloc(want + 1);
		if (b->data == NULL) {
			errno = ENOMEM;
			return -1;
		}
		b->cap = want + 1;
		b->data[0] = '\0';
		while (b->len < want) {
			ssize_t n = read(fd, b->data + b->len, want - b->len);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			if (n == 0)
				break;
			b->len += (size_t)n;
		}
		b->data[b->len] = '\0';
		if (b->len < want)
			return 0; /* the file shrank while it was read */
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		if (sd_buf_add(b, chunk, (size_t)n) != 0) {
			errno = b->truncated ? EFBIG : ENOMEM;
			return -1;
		}
	}
}

/* Is line (at p, up to end) an mbox separator "From addr date"? */
static int
sd_is_from_line(const char *p, const char *end)
{
	return end - p > 5 && memcmp(p, "From ", 5) == 0;
}

static void
sd_deliver(sd_walker *w, const char *origin, const char *data, size_t len)
{
	if (w->stop)
		return;
	if (w->on_message(w->ctx, origin, data, len) != 0)
		w->stop = 1;
}

/* Split an mbox; a single message keeps the plain origin. */
static void
sd_split_mbox(sd_walker *w, const char *origin, char *data, size_t len)
{
	const char *end = data + len;
	const char *starts[2] = {NULL, NULL};
	char *p = data;
	size_t count = 0, n = 0;
	char name[4096];
	sd_buf msg;

	/* count separators: "From " at the start of the data or after a blank line */
	for (p = data; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (sd_is_from_line(p, end) && (p == data || (p >= data + 2 && p[-2] == '\n'))) {
			if (count < 2)
				starts[count] = p;
			count++;
		}
		p = nl ? nl + 1 : (char *)end;
	}
	if (count <= 1) {
		sd_deliver(w, origin, data, len);
		return;
	}
	(void)starts;
	sd_buf_init(&msg, SMTPDOC_MAX_MESSAGE_BYTES);
	for (p = data; p < end && !w->stop;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl + 1 : (char *)end;
		if (sd_is_from_line(p, end) && (p == data || (p >= data + 2 && p[-2] == '\n'))) {
			if (n > 0 && msg.len) {
				snprintf(name, sizeof(name), "%s#%zu", origin, n);
				sd_deliver(w, name, msg.data, msg.len);
			}
			sd_buf_reset(&msg);
			n++;
		} else {
			/* mboxrd: one '>' comes off a quoted From line */
			const char *q = p;
			while (q < le && *q == '>')
				q++;
			if (q > p && le - q >= 5 && memcmp(q, "From ", 5) == 0)
				sd_buf_add(&msg, p + 1, (size_t)(le - p - 1));
			else
				sd_buf_add(&msg, p, (size_t)(le - p));
		}
		p = le;
	}
	if (!w->stop && n > 0 && msg.len) {
		snprintf(name, sizeof(name), "%s#%zu", origin, n);
		sd_deliver(w, name, msg.data, msg.len);
	}
	sd_buf_free(&msg);
}

static void
sd_walk_fd(sd_walker *w, const char *origin, int fd)
{
	sd_buf b;

	sd_buf_init(&b, SMTPDOC_MAX_MESSAGE_BYTES);
	if (sd_read_fd(fd, &b) != 0) {
		sd_report_errno(w, origin, "cannot read", errno);
	} else if (b.len == 0) {
		if (w->on_error)
			w->on_error(w->ctx, origin, "empty file: no message in it");
	} else {
		sd_split_mbox(w, origin, b.data, b.len);
	}
	sd_buf_free(&b);
}

static int
sd_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sd_walk_path(sd_walker *w, const char *path, int depth);

static void
sd_walk_dir(sd_walker *w, const char *path, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (depth > SD_MAX_DIR_DEPTH) {
		if (w->on_error)
			w->on_error(w->ctx, path, "directory nesting too deep; skipped");
		return;
	}
	d = opendir(path);
	if (d == NULL) {
		sd_report_errno(w, path, "cannot open directory", errno);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*nn));
			if (nn == NULL)
				break;
			names = nn;
			cap = ncap;
		}
		names[n] = strdup(de->d_name);
		if (names[n] == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), sd_name_cmp);
	for (i = 0; i < n; i++) {
		size_t l = strlen(path) + strlen(names[i]) + 2;
		char *child = malloc(l);
		if (child && !w->stop) {
			snprintf(child, l, "%s%s%s", path,
				 (path[0] && path[strlen(path) - 1] == '/') ? "" : "/", names[i]);
			sd_walk_path(w, child, depth + 1);
		}
		free(child);
		free(names[i]);
	}
	free(names);
}

static void
sd_walk_path(sd_walker *w, const char *path, int depth)
{
	struct stat st, lst;
	int fd;

	if (lstat(path, &lst) != 0) {
		sd_report_errno(w, path, "cannot open", errno);
		return;
	}
	if (stat(path, &st) != 0) {
		sd_report_errno(w, path, "cannot open (broken link?)", errno);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (S_ISLNK(lst.st_mode) && depth > 0)
			return; /* do not follow links to directories inside a walk */
		sd_walk_dir(w, path, depth);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		if (w->on_error)
			w->on_error(w->ctx, path, "not a regular file; skipped");
		return;
	}
	if ((size_t)st.st_size > SMTPDOC_MAX_MESSAGE_BYTES) {
		if (w->on_error)
			w->on_error(w->ctx, path, "file too large to be a mail message; skipped");
		return;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		sd_report_errno(w, path, "cannot read", errno);
		return;
	}
	sd_walk_fd(w, path, fd);
	close(fd);
}

smtpdoc_status
smtpdoc_input_walk(const char *path, smtpdoc_message_fn on_message,
		   smtpdoc_input_error_fn on_error, void *ctx)
{
	sd_walker w;

	if (path == NULL || on_message == NULL)
		return SMTPDOC_EINVAL;
	w.on_message = on_message;
	w.on_error = on_error;
	w.ctx = ctx;
	w.stop = 0;
	if (strcmp(path, "-") == 0)
		sd_walk_fd(&w, "-", STDIN_FILENO);
	else
		sd_walk_path(&w, path, 0);
	return w.stop ? SMTPDOC_EINVAL : SMTPDOC_OK;
}
