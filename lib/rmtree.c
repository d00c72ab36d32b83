// SPDX-License-Identifier: GPL-2.0-or-later
/* rmtree.c: rm -rf of a tree of any depth (dk_rm_rf_at, see fs.h). A
 * container decides how deep its tree goes, and removing it must not fail
 * for lack of file descriptors or stack: the walk keeps its levels on the
 * heap, and only the WINDOW deepest levels keep their directory open. A
 * level closed meanwhile is reopened through ".." of its child when the
 * walk climbs back, checked to be the directory it left (a tree moved
 * under the walk is an error, never a removal elsewhere), and read again
 * from its start: what it held before is gone by then, except the
 * directories still to visit. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"

#define WINDOW 64

struct level {
	DIR *d; /* NULL while closed (outside the window) */
	char *name;
	dev_t dev;
	ino_t ino;
};

struct rm {
	struct level *v;
	size_t n, cap;
	dev_t dev; /* the tree's file system: other mounts are not entered */
};

static int grow(struct rm *r)
{
	size_t cap = r->cap ? 2 * r->cap : 16;
	struct level *v = realloc(r->v, cap * sizeof(*v));

	if (!v)
		return -1;
	r->v = v;
	r->cap = cap;
	return 0;
}

/* Open name in dirfd as a level: writable for us (a 0555 directory of a
 * layer still goes), taking name. */
static int push(struct rm *r, int dirfd, char *name, const struct stat *st, struct dk_err *err)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct level *l;

	if (fd < 0 || (r->n == r->cap && grow(r) < 0)) {
		dk_err_sys(err, "opening %s", name);
		if (fd >= 0)
			close(fd);
		free(name);
		return -1;
	}
	if (!(st->st_mode & S_IWUSR))
		fchmod(fd, st->st_mode | S_IRWXU);
	l = &r->v[r->n++];
	*l = (struct level){.d = fdopendir(fd), .name = name, .dev = st->st_dev, .ino = st->st_ino};
	if (!l->d) {
		close(fd);
		return dk_err_sys(err, "listing %s", name);
	}
	if (r->n > WINDOW && r->v[r->n - 1 - WINDOW].d) {
		closedir(r->v[r->n - 1 - WINDOW].d);
		r->v[r->n - 1 - WINDOW].d = NULL;
	}
	return 0;
}

/* The parent of the deepest level, reopened through its ".." if closed. */
static int parent_fd(struct rm *r, struct dk_err *err)
{
	struct level *p = &r->v[r->n - 2];
	struct stat st;
	int fd;

	if (p->d)
		return dirfd(p->d);
	fd = openat(dirfd(r->v[r->n - 1].d), "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != p->dev || st.st_ino != p->ino) {
		if (fd >= 0)
			close(fd);
		return dk_err_set(err, "removing %s: the tree moved while it was removed", p->name);
	}
	p->d = fdopendir(fd);
	if (!p->d) {
		close(fd);
		return dk_err_sys(err, "listing %s", p->name);
	}
	return fd;
}

/* The deepest level is empty: remove it from its parent (or from top). */
static int pop(struct rm *r, int top, struct dk_err *err)
{
	struct level *l = &r->v[r->n - 1];
	int pfd = top, ret = 0;

	if (r->n > 1 && (pfd = parent_fd(r, err)) < 0)
		return -1;
	closedir(l->d);
	if (unlinkat(pfd, l->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		ret = dk_err_sys(err, "removing %s", l->name);
	free(l->name);
	r->n--;
	return ret;
}

/* One entry of the deepest level: a file goes, a directory is entered. */
static int step(struct rm *r, const char *name, struct dk_err *err)
{
	int dfd = dirfd(r->v[r->n - 1].d);
	struct stat st;
	char *copy;

	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "removing %s", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			return dk_err_sys(err, "removing %s", name);
		return 0;
	}
	if (st.st_dev != r->dev)
		return dk_err_set(err, "%s: a mount point, not removing", name);
	if (!(copy = strdup(name)))
		return dk_err_sys(err, "removing %s", name);
	return push(r, dfd, copy, &st, err);
}

static int walk(struct rm *r, int top, struct dk_err *err)
{
	while (r->n > 0) {
		struct dirent *de;

		errno = 0;
		de = readdir(r->v[r->n - 1].d);
		if (!de && errno)
			return dk_err_sys(err, "listing %s", r->v[r->n - 1].name);
		if (!de ? pop(r, top, err) < 0 : step(r, de->d_name, err) < 0)
			return -1;
	}
	return 0;
}

int dk_rm_rf_at(int dirfd, const char *name, struct dk_err *err)
{
	struct rm r = {0};
	struct stat st;
	char *copy;
	int ret;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "removing %s", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return dk_err_sys(err, "removing %s", name);
		return 0;
	}
	r.dev = st.st_dev;
	if (!(copy = strdup(name)))
		return dk_err_sys(err, "removing %s", name);
	ret = push(&r, dirfd, copy, &st, err);
	if (ret == 0)
		ret = walk(&r, dirfd, err);
	for (size_t i = 0; i < r.n; i++) {
		if (r.v[i].d)
			closedir(r.v[i].d);
		free(r.v[i].name);
	}
	free(r.v);
	return ret < 0 ? dk_err_wrap(err, "removing %s", name) : 0;
}
