// SPDX-License-Identifier: GPL-2.0-or-later
/* dirwalk.c: the walk of dirwalk.h on an explicit stack. Each level is one
 * directory: its entry names (read and sorted when it is entered), the
 * next to visit, its path prefix and its descriptor. Only the WINDOW
 * deepest levels keep their descriptor; an older one is reopened through
 * its child's ".." when the walk comes back to it, and must be the same
 * directory (device and inode), or the walk stops: the tree was moved. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "dirwalk.h"

#define WINDOW 128

struct level {
	int fd; /* -1 while closed */
	dev_t dev;
	ino_t ino;
	char **names;
	size_t n, next;
	char *prefix;
};

struct walk {
	struct level *v;
	size_t depth, cap;
	dk_dirwalk_fn fn;
	dk_dirwalk_leave_fn leave;
	void *ctx;
	struct dk_err *err;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in fd, without "." and "..". */
static int read_names(int fd, struct level *l, struct dk_err *err)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	struct dirent *de;
	size_t cap = 0;
	int ret = 0;

	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return dk_err_sys(err, "listing %s", *l->prefix ? l->prefix : "/");
	}
	while (ret == 0 && (errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (l->n == cap) {
			char **v = realloc(l->names, (cap = cap ? 2 * cap : 8) * sizeof(*v));
			if (!v)
				ret = dk_err_sys(err, "listing %s", l->prefix);
			else
				l->names = v;
		}
		if (ret == 0 && !(l->names[l->n++] = strdup(de->d_name)))
			ret = dk_err_sys(err, "listing %s", l->prefix);
	}
	if (ret == 0 && errno)
		ret = dk_err_sys(err, "listing %s", *l->prefix ? l->prefix : "/");
	closedir(d);
	if (ret == 0 && l->n)
		qsort(l->names, l->n, sizeof(*l->names), cmp_names);
	return ret;
}

/* Enter a directory: fd and prefix are taken whatever happens. */
static int push(struct walk *w, int fd, char *prefix)
{
	struct level *l;
	struct stat st;

	if (w->depth == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 32;
		struct level *v = realloc(w->v, cap * sizeof(*v));
		if (!v) {
			dk_err_sys(w->err, "walking %s", prefix);
			close(fd);
			free(prefix);
			return -1;
		}
		w->v = v;
		w->cap = cap;
	}
	l = &w->v[w->depth++];
	*l = (struct level){.fd = fd, .prefix = prefix};
	if (fstat(fd, &st) < 0)
		return dk_err_sys(w->err, "%s", *prefix ? prefix : "/");
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	if (w->depth > WINDOW)
		dk_closep(&w->v[w->depth - 1 - WINDOW].fd);
	return read_names(fd, l, w->err);
}

/* Leave the deepest level; its parent is reopened (and checked) when it
 * was closed, unless the walk is being torn down. */
static int pop(struct walk *w, bool reopen)
{
	struct level *l = &w->v[--w->depth];
	struct level *p = w->depth ? &w->v[w->depth - 1] : NULL;
	struct stat st;
	int ret = 0;

	if (reopen && p && p->fd < 0) {
		p->fd = openat(l->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (p->fd < 0 || fstat(p->fd, &st) < 0)
			ret = dk_err_sys(w->err, "%s: reopening", p->prefix);
		else if (st.st_dev != p->dev || st.st_ino != p->ino)
			ret = dk_err_set(w->err, "%s: the directory moved during the walk",
					 p->prefix);
	}
	if (reopen && ret == 0 && w->leave && p) {
		size_t n = strlen(l->prefix);
		const char *name;

		l->prefix[n ? n - 1 : 0] = '\0'; /* the directory's own path */
		name = strrchr(l->prefix, '/');
		name = name ? name + 1 : l->prefix;
		ret = w->leave(w->ctx, p->fd, name, l->fd, l->prefix, w->err);
	}
	dk_closep(&l->fd);
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->prefix);
	return ret;
}

/* Visit the deepest level's next entry, entering it if asked. */
static int step(struct walk *w)
{
	struct level *l = &w->v[w->depth - 1];
	const char *name = l->names[l->next++];
	cleanup_free char *path = NULL;
	char *prefix = NULL;
	int r, sub;

	if (asprintf(&path, "%s%s", l->prefix, name) < 0)
		return dk_err_sys(w->err, "walking %s", l->prefix);
	r = w->fn(w->ctx, l->fd, name, path, w->err);
	if (r <= 0)
		return r;
	sub = openat(l->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0 && errno == ENOENT)
		return 0; /* gone meanwhile (a running container's tree) */
	if (sub < 0)
		return dk_err_sys(w->err, "%s", path);
	if (asprintf(&prefix, "%s/", path) < 0) {
		close(sub);
		return dk_err_sys(w->err, "%s", path);
	}
	return push(w, sub, prefix);
}

int dk_dirwalk(int dfd, const char *prefix, dk_dirwalk_fn fn, void *ctx, struct dk_err *err)
{
	return dk_dirwalk_post(dfd, prefix, fn, NULL, ctx, err);
}

int dk_dirwalk_post(int dfd, const char *prefix, dk_dirwalk_fn fn, dk_dirwalk_leave_fn leave,
		    void *ctx, struct dk_err *err)
{
	struct walk w = {.fn = fn, .leave = leave, .ctx = ctx, .err = err};
	char *p = strdup(prefix);
	int rc;

	if (!p) {
		close(dfd);
		return dk_err_sys(err, "walking %s", prefix);
	}
	rc = push(&w, dfd, p);
	while (rc == 0 && w.depth) {
		struct level *l = &w.v[w.depth - 1];
		rc = l->next == l->n ? pop(&w, true) : step(&w);
	}
	while (w.depth)
		pop(&w, false);
	free(w.v);
	return rc;
}
