// SPDX-License-Identifier: GPL-2.0-or-later
/* diff.c: an overlay snapshot's changes as a layer tar: a walk of the upper
 * directory only, in sorted order; 0:0 character devices become ".wh."
 * entries, opaque directories get ".wh..wh..opq"; hardlinks within the
 * change stay hardlinks, xattrs (but overlayfs' own) are kept. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include "cleanup.h"
#include "layer.h"
#include "snapshot.h"
#include "tarwrite.h"
#include "xattrs.h"

struct child {
	char *name; /* on disk */
	char *emit; /* in the tar (".wh.name" for whiteouts) */
	struct stat st;
	bool whiteout;
};

struct hardlink {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct snap_tar {
	struct dk_tar_writer *w;
	struct hardlink *links;
	size_t n_links;
	struct dk_err *err;
	int64_t clamp; /* >= 0: latest mtime written */
	char *const *mountpoints;
};

static int cmp_child(const void *a, const void *b)
{
	return strcmp(((const struct child *)a)->emit, ((const struct child *)b)->emit);
}

static void free_children(struct child *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].emit);
	}
	free(c);
}

static int add_child(int dfd, const char *name, struct child **v, size_t *n, struct dk_err *err)
{
	struct child *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	struct child *c;

	if (!nv)
		return dk_err_sys(err, "diff");
	*v = nv;
	c = &nv[*n];
	memset(c, 0, sizeof(*c));
	if (fstatat(dfd, name, &c->st, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", name);
	c->whiteout = S_ISCHR(c->st.st_mode) && c->st.st_rdev == makedev(0, 0);
	c->name = strdup(name);
	if (c->whiteout) {
		if (asprintf(&c->emit, DK_WH_PREFIX "%s", name) < 0)
			c->emit = NULL;
	} else {
		c->emit = strdup(name);
	}
	(*n)++;
	if (!c->name || !c->emit)
		return dk_err_sys(err, "diff");
	return 0;
}

/* The directory's entries, sorted by the name they get in the tar. */
static int read_children(int dfd, struct child **out, size_t *n, struct dk_err *err)
{
	int fd = dup(dfd);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	*out = NULL;
	*n = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return dk_err_sys(err, "reading directory");
	}
	rewinddir(d);
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (add_child(dfd, de->d_name, out, n, err) < 0)
			return -1;
	}
	if (errno)
		return dk_err_sys(err, "reading directory");
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_child);
	return 0;
}

static void base_entry(struct dk_tar_entry *e, const char *path, const struct stat *st, char type)
{
	*e = (struct dk_tar_entry){
	    .name = path,
	    .type = type,
	    .mode = st->st_mode & 07777,
	    .uid = st->st_uid,
	    .gid = st->st_gid,
	    .mtime = st->st_mtim.tv_sec,
	};
}

static void clamp_time(struct snap_tar *wk, struct dk_tar_entry *e)
{
	if (wk->clamp >= 0 && e->mtime > wk->clamp)
		e->mtime = wk->clamp;
}

static int put_header(struct snap_tar *wk, struct dk_tar_entry *e)
{
	clamp_time(wk, e);
	return dk_tar_write_header(wk->w, e, wk->err);
}

static int put_file(struct snap_tar *wk, struct dk_tar_entry *e, int fd)
{
	clamp_time(wk, e);
	return dk_tar_write_file(wk->w, e, fd, wk->err);
}

static int emit_marker(struct snap_tar *wk, const char *path, const struct stat *st)
{
	struct dk_tar_entry e;

	base_entry(&e, path, st, DK_TAR_REG);
	e.mode = 0;
	e.uid = e.gid = 0;
	return put_header(wk, &e);
}

/* A regular file: data, or a hardlink to the first name seen. */
static int emit_file(struct snap_tar *wk, int dfd, const struct child *c, struct dk_tar_entry *e,
		     const char *path)
{
	if (c->st.st_nlink > 1) {
		for (size_t i = 0; i < wk->n_links; i++)
			if (wk->links[i].dev == c->st.st_dev && wk->links[i].ino == c->st.st_ino) {
				e->type = DK_TAR_LINK;
				e->linkname = wk->links[i].path;
				return put_header(wk, e);
			}
		struct hardlink *nl = realloc(wk->links, (wk->n_links + 1) * sizeof(*nl));
		if (!nl)
			return dk_err_sys(wk->err, "%s", path);
		wk->links = nl;
		nl[wk->n_links] = (struct hardlink){c->st.st_dev, c->st.st_ino, strdup(path)};
		if (!nl[wk->n_links++].path)
			return dk_err_sys(wk->err, "%s", path);
	}
	cleanup_close int fd = openat(dfd, c->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(wk->err, "%s", path);
	e->size = c->st.st_size;
	return put_file(wk, e, fd);
}

static int walk_tree(struct snap_tar *wk, int dfd, const char *prefix);

static int emit_dir(struct snap_tar *wk, int dfd, const struct child *c, struct dk_tar_entry *e,
		    const char *path, bool opaque, bool recurse)
{
	cleanup_free char *marker = NULL;
	cleanup_close int sub = -1;

	if (put_header(wk, e) < 0)
		return -1;
	if (opaque) {
		if (asprintf(&marker, "%s/" DK_WH_OPAQUE_NAME, path) < 0)
			return dk_err_sys(wk->err, "%s", path);
		if (emit_marker(wk, marker, &c->st) < 0)
			return -1;
		free(marker);
		marker = NULL;
	}
	if (!recurse)
		return 0;
	sub = openat(dfd, c->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return dk_err_sys(wk->err, "%s", path);
	if (asprintf(&marker, "%s/", path) < 0)
		return dk_err_sys(wk->err, "%s", path);
	return walk_tree(wk, steal_fd(sub), marker);
}

/* An empty regular file at one of the engine's mount points. */
static bool engine_mountpoint(const struct snap_tar *wk, const struct child *c, const char *path)
{
	if (c->whiteout || !S_ISREG(c->st.st_mode) || c->st.st_size != 0)
		return false;
	for (size_t i = 0; wk->mountpoints && wk->mountpoints[i]; i++)
		if (!strcmp(wk->mountpoints[i] + (wk->mountpoints[i][0] == '/'), path))
			return true;
	return false;
}

static int emit_child(struct snap_tar *wk, int dfd, const struct child *c, const char *path,
		      bool recurse)
{
	struct snap_xattrs xa = {0};
	struct dk_tar_entry e;
	char target[4096];
	int ret = -1;

	if (c->whiteout)
		return emit_marker(wk, path, &c->st);
	if (engine_mountpoint(wk, c, path))
		return 0;
	if (snap_xattrs_read(dfd, c->name, &xa, wk->err) < 0)
		return dk_err_wrap(wk->err, "%s", path);
	base_entry(&e, path, &c->st, DK_TAR_REG);
	e.xattrs = xa.v;
	e.n_xattrs = xa.n;
	switch (c->st.st_mode & S_IFMT) {
	case S_IFDIR:
		e.type = DK_TAR_DIR;
		ret = emit_dir(wk, dfd, c, &e, path, xa.opaque, recurse);
		break;
	case S_IFREG: ret = emit_file(wk, dfd, c, &e, path); break;
	case S_IFLNK: {
		ssize_t n = readlinkat(dfd, c->name, target, sizeof(target));
		if (n < 0 || (size_t)n >= sizeof(target)) {
			ret = n < 0 ? dk_err_sys(wk->err, "%s", path)
				    : dk_err_set(wk->err, "%s: symlink target too long", path);
			break;
		}
		target[n] = '\0';
		e.type = DK_TAR_SYMLINK;
		e.linkname = target;
		ret = put_header(wk, &e);
		break;
	}
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		e.type = S_ISCHR(c->st.st_mode)	  ? DK_TAR_CHR
			 : S_ISBLK(c->st.st_mode) ? DK_TAR_BLK
						  : DK_TAR_FIFO;
		e.devmajor = major(c->st.st_rdev);
		e.devminor = minor(c->st.st_rdev);
		ret = put_header(wk, &e);
		break;
	default: /* sockets have no tar form */
		fprintf(stderr, "snapshot: warning: %s: socket skipped\n", path);
		ret = 0;
	}
	snap_xattrs_free(&xa);
	return ret;
}

/* The walk keeps an explicit stack, not the C stack: a container can
 * nest directories as deep as it likes. Each frame is one directory: its
 * entries (read and sorted up front), the next to emit, its tar prefix
 * ("a/b/") and its fd. Only the FD_BUDGET deepest frames keep their fd
 * open; an older one is reopened from its child's ".." when the walk
 * comes back, and must be the same directory (dev, inode). */
#define FD_BUDGET 256

struct frame {
	int fd;
	dev_t dev;
	ino_t ino;
	struct child *c;
	size_t n, next;
	char *prefix;
};

struct stack {
	struct frame *f;
	size_t depth, cap;
};

/* Takes fd and prefix (malloc'd), whatever happens. */
static int push_frame(struct snap_tar *wk, struct stack *k, int fd, char *prefix)
{
	struct frame *f;
	struct stat st;

	if (k->depth == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		struct frame *nf = realloc(k->f, cap * sizeof(*nf));
		if (!nf) {
			close(fd);
			free(prefix);
			return dk_err_sys(wk->err, "diff");
		}
		k->f = nf;
		k->cap = cap;
	}
	f = &k->f[k->depth++];
	*f = (struct frame){.fd = fd, .prefix = prefix};
	if (fstat(fd, &st) < 0)
		return dk_err_sys(wk->err, "%s", *prefix ? prefix : "/");
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	if (read_children(fd, &f->c, &f->n, wk->err) < 0)
		return dk_err_wrap(wk->err, "%s", *prefix ? prefix : "/");
	if (k->depth > FD_BUDGET)
		dk_closep(&k->f[k->depth - 1 - FD_BUDGET].fd);
	return 0;
}

static int reopen_parent(struct snap_tar *wk, struct frame *parent, int child_fd)
{
	struct stat st;

	parent->fd = openat(child_fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent->fd < 0 || fstat(parent->fd, &st) < 0)
		return dk_err_sys(wk->err, "%s: reopening", parent->prefix);
	if (st.st_dev != parent->dev || st.st_ino != parent->ino)
		return dk_err_set(wk->err, "%s: directory moved while it was read", parent->prefix);
	return 0;
}

static int pop_frame(struct snap_tar *wk, struct stack *k, bool reopen)
{
	struct frame *f = &k->f[--k->depth];
	int rc = 0;

	if (reopen && k->depth && k->f[k->depth - 1].fd < 0)
		rc = reopen_parent(wk, &k->f[k->depth - 1], f->fd);
	dk_closep(&f->fd);
	free_children(f->c, f->n);
	free(f->prefix);
	return rc;
}

/* Emit the frame's next entry; a directory becomes a new frame. */
static int step(struct snap_tar *wk, struct stack *k)
{
	struct frame *f = &k->f[k->depth - 1];
	const struct child *c = &f->c[f->next++];
	cleanup_free char *path = NULL;
	char *prefix = NULL;
	int sub;

	if (asprintf(&path, "%s%s", f->prefix, c->emit) < 0)
		return dk_err_sys(wk->err, "%s", f->prefix);
	if (emit_child(wk, f->fd, c, path, false) < 0)
		return -1;
	if (c->whiteout || !S_ISDIR(c->st.st_mode))
		return 0;
	sub = openat(f->fd, c->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return dk_err_sys(wk->err, "%s", path);
	if (asprintf(&prefix, "%s/", path) < 0) {
		close(sub);
		return dk_err_sys(wk->err, "%s", path);
	}
	return push_frame(wk, k, sub, prefix);
}

/* Every entry below the directory dfd (taken), in sorted order. */
static int walk_tree(struct snap_tar *wk, int dfd, const char *prefix)
{
	struct stack k = {0};
	char *p = strdup(prefix);
	int rc = p ? push_frame(wk, &k, dfd, p) : (close(dfd), dk_err_sys(wk->err, "diff"));

	while (rc == 0 && k.depth) {
		struct frame *f = &k.f[k.depth - 1];
		rc = f->next == f->n ? pop_frame(wk, &k, true) : step(wk, &k);
	}
	while (k.depth)
		pop_frame(wk, &k, false);
	free(k.f);
	return rc;
}

struct snap_tar *snap_tar_new(int fd, const struct snap_diff_opts *o, struct dk_err *err)
{
	struct snap_tar *t = calloc(1, sizeof(*t));

	if (!t)
		return dk_err_sys(err, "diff"), NULL;
	t->err = err;
	t->clamp = o->clamp;
	t->mountpoints = o->mountpoints;
	t->w = dk_tar_writer_new(fd, err);
	if (!t->w) {
		free(t);
		return NULL;
	}
	return t;
}

int snap_tar_finish(struct snap_tar *t)
{
	return dk_tar_writer_finish(t->w, t->err);
}

void snap_tar_free(struct snap_tar *t)
{
	if (!t)
		return;
	dk_tar_writer_free(t->w);
	for (size_t i = 0; i < t->n_links; i++)
		free(t->links[i].path);
	free(t->links);
	free(t);
}

int snap_tar_entry(struct snap_tar *t, int dfd, const char *name, const char *path, bool recurse)
{
	struct child *c = NULL;
	size_t n = 0;
	int ret = add_child(dfd, name, &c, &n, t->err);

	if (ret == 0) {
		c->whiteout = false; /* a real device in a copied rootfs */
		ret = emit_child(t, dfd, c, path, recurse);
	}
	free_children(c, n);
	return ret;
}

int snap_tar_whiteout(struct snap_tar *t, const char *dir, const char *name, const struct stat *st)
{
	cleanup_free char *path = NULL;

	if (asprintf(&path, "%s" DK_WH_PREFIX "%s", dir, name) < 0)
		return dk_err_sys(t->err, "%s%s", dir, name);
	return emit_marker(t, path, st);
}

int snap_diff_upper(int upper_fd, int fd, const struct snap_diff_opts *o, struct dk_err *err)
{
	struct snap_tar *t = snap_tar_new(fd, o, err);
	int top, ret;

	if (!t)
		return -1;
	top = dup(upper_fd);
	ret = top < 0 ? dk_err_sys(err, "diff") : walk_tree(t, top, "");
	if (ret == 0)
		ret = snap_tar_finish(t);
	snap_tar_free(t);
	return ret;
}
