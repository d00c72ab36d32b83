// SPDX-License-Identifier: GPL-2.0-or-later
/* copydiff.c: the copy driver's diff: walk the copied rootfs and the merged
 * view of the cached layers side by side (each directory's stack of layer
 * directories, topmost first, cut at whiteouts and opaque directories) and
 * emit what differs by metadata or content; what is gone becomes ".wh.". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cleanup.h"
#include "snapshot.h"
#include "xattrs.h"

struct stack {
	int fds[128]; /* layer directories, topmost first */
	size_t n;
};

struct ent {
	char *name;
	size_t layer; /* index in the stack (lower side) */
	struct stat st;
	bool whiteout;
};

static void stack_close(struct stack *s)
{
	for (size_t i = 0; i < s->n; i++)
		close(s->fds[i]);
	s->n = 0;
}

static bool is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static void free_ents(struct ent *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static int cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static bool seen(const struct ent *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

/* Entries of one directory fd appended to *v (first one of a name wins). */
static int read_ents(int dfd, size_t layer, struct ent **v, size_t *n, struct dk_err *err)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	size_t first = *n;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return dk_err_sys(err, "reading directory");
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    seen(*v, first, de->d_name))
			continue;
		struct ent *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return dk_err_sys(err, "diff");
		*v = nv;
		nv[*n] = (struct ent){.name = strdup(de->d_name), .layer = layer};
		if (!nv[*n].name || fstatat(dfd, de->d_name, &nv[*n].st, AT_SYMLINK_NOFOLLOW) < 0)
			return dk_err_sys(err, "%s", de->d_name);
		nv[*n].whiteout = is_whiteout(&nv[*n].st);
		(*n)++;
	}
	return 0;
}

/* The merged lower directory: names of every layer, upper ones winning,
 * whiteouts dropped; sorted. */
static int merged(const struct stack *s, struct ent **out, size_t *n, struct dk_err *err)
{
	size_t k = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (read_ents(s->fds[i], i, out, n, err) < 0)
			return -1;
	for (size_t i = 0; i < *n; i++) {
		if ((*out)[i].whiteout)
			free((*out)[i].name);
		else
			(*out)[k++] = (*out)[i];
	}
	*n = k;
	if (k)
		qsort(*out, k, sizeof(**out), cmp_ent);
	return 0;
}

/* The child directory's stack: stops at a whiteout, a non-directory or an
 * opaque directory. */
static int child_stack(const struct stack *s, const char *name, struct stack *out,
		       struct dk_err *err)
{
	out->n = 0;
	for (size_t i = 0; i < s->n && out->n < 128; i++) {
		struct stat st;
		struct snap_xattrs xa;

		if (fstatat(s->fds[i], name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISDIR(st.st_mode))
			break;
		int fd = openat(s->fds[i], name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return dk_err_sys(err, "%s", name);
		out->fds[out->n++] = fd;
		if (snap_xattrs_read(s->fds[i], name, &xa, err) < 0)
			return -1;
		bool opaque = xa.opaque;
		snap_xattrs_free(&xa);
		if (opaque)
			break;
	}
	return 0;
}

static bool same_xattrs(int adfd, const char *a, int bdfd, const char *b)
{
	struct snap_xattrs x, y;
	struct dk_err err;
	bool same;

	if (snap_xattrs_read(adfd, a, &x, &err) < 0)
		return false;
	if (snap_xattrs_read(bdfd, b, &y, &err) < 0) {
		snap_xattrs_free(&x);
		return false;
	}
	same = x.n == y.n;
	for (size_t i = 0; same && i < x.n; i++)
		same = !strcmp(x.v[i].name, y.v[i].name) && x.v[i].len == y.v[i].len &&
		       !memcmp(x.v[i].value, y.v[i].value, x.v[i].len);
	snap_xattrs_free(&x);
	snap_xattrs_free(&y);
	return same;
}

static bool same_content(int adfd, int bdfd, const char *name)
{
	cleanup_close int a = openat(adfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int b = openat(bdfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	static char ba[65536], bb[65536];
	ssize_t na, nb;

	if (a < 0 || b < 0)
		return false;
	do {
		na = read(a, ba, sizeof(ba));
		nb = read(b, bb, sizeof(bb));
		if (na != nb || na < 0 || memcmp(ba, bb, (size_t)na) != 0)
			return false;
	} while (na > 0);
	return true;
}

static bool same_target(int adfd, int bdfd, const char *name)
{
	char a[4096], b[4096];
	ssize_t na = readlinkat(adfd, name, a, sizeof(a));
	ssize_t nb = readlinkat(bdfd, name, b, sizeof(b));

	return na >= 0 && na == nb && memcmp(a, b, (size_t)na) == 0;
}

/* Same metadata (and, for files and links, content) in both trees. */
static bool unchanged(int rdfd, const struct stat *r, int ldfd, const struct ent *l)
{
	const struct stat *s = &l->st;

	if ((r->st_mode & S_IFMT) != (s->st_mode & S_IFMT) ||
	    (r->st_mode & 07777) != (s->st_mode & 07777) || r->st_uid != s->st_uid ||
	    r->st_gid != s->st_gid ||
	    (!S_ISDIR(r->st_mode) && !S_ISLNK(r->st_mode) &&
	     r->st_mtim.tv_sec != s->st_mtim.tv_sec))
		return false;
	if (S_ISREG(r->st_mode) && (r->st_size != s->st_size || !same_content(rdfd, ldfd, l->name)))
		return false;
	if (S_ISLNK(r->st_mode) && !same_target(rdfd, ldfd, l->name))
		return false;
	if ((S_ISCHR(r->st_mode) || S_ISBLK(r->st_mode)) && r->st_rdev != s->st_rdev)
		return false;
	return same_xattrs(rdfd, l->name, ldfd, l->name);
}

static int walk(struct snap_tar *t, int rdfd, const struct stack *s, const char *prefix,
		struct dk_err *err);

/* A name only the container's tree has: the whole of it. */
static int new_entry(struct snap_tar *t, int rdfd, const char *prefix, const char *name,
		     struct dk_err *err)
{
	cleanup_free char *path = NULL;

	if (asprintf(&path, "%s%s", prefix, name) < 0)
		return dk_err_sys(err, "%s%s", prefix, name);
	return snap_tar_entry(t, rdfd, name, path, true);
}

/* A name present in both trees. */
static int both(struct snap_tar *t, int rdfd, const struct stack *s, const struct ent *l,
		const char *prefix, struct dk_err *err)
{
	cleanup_free char *path = NULL;
	/* on the heap: a level of this recursion costs the C stack little
	 * (an image's tree can be 10,000 levels deep); what bounds the depth
	 * is the descriptors each level holds, and running out of them is an
	 * error ("Too many open files"), not a crash */
	cleanup_free struct stack *sub = malloc(sizeof(*sub));
	struct stat st;
	cleanup_close int child = -1;
	size_t len;
	int ret;

	/* any length: a container's names are hostile (a fixed buffer cut
	 * long paths into other names, and the "/" below overran it) */
	if (asprintf(&path, "%s%s/", prefix, l->name) < 0)
		return dk_err_sys(err, "%s%s", prefix, l->name);
	len = strlen(path);
	path[len - 1] = '\0';
	if (fstatat(rdfd, l->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", path);
	if (!S_ISDIR(st.st_mode) || !S_ISDIR(l->st.st_mode)) {
		if (unchanged(rdfd, &st, s->fds[l->layer], l))
			return 0;
		return snap_tar_entry(t, rdfd, l->name, path, true);
	}
	if (!unchanged(rdfd, &st, s->fds[l->layer], l) &&
	    snap_tar_entry(t, rdfd, l->name, path, false) < 0)
		return -1;
	child = openat(rdfd, l->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (child < 0 || !sub)
		return dk_err_sys(err, "%s", path);
	ret = child_stack(s, l->name, sub, err);
	if (ret == 0) {
		path[len - 1] = '/';
		ret = walk(t, child, sub, path, err);
	}
	stack_close(sub);
	return ret;
}

static int walk(struct snap_tar *t, int rdfd, const struct stack *s, const char *prefix,
		struct dk_err *err)
{
	struct ent *r = NULL, *l = NULL;
	size_t nr = 0, nl = 0, i = 0, j = 0;
	int ret = read_ents(rdfd, 0, &r, &nr, err);

	if (ret == 0)
		ret = merged(s, &l, &nl, err);
	if (ret == 0 && nr)
		qsort(r, nr, sizeof(*r), cmp_ent);
	while (ret == 0 && (i < nr || j < nl)) {
		int c = i == nr ? 1 : j == nl ? -1 : strcmp(r[i].name, l[j].name);
		if (c < 0) { /* new */
			ret = new_entry(t, rdfd, prefix, r[i].name, err);
			i++;
		} else if (c > 0) { /* gone */
			ret = snap_tar_whiteout(t, prefix, l[j].name, &l[j].st);
			j++;
		} else {
			ret = both(t, rdfd, s, &l[j], prefix, err);
			i++;
			j++;
		}
	}
	free_ents(r, nr);
	free_ents(l, nl);
	return ret;
}

int snap_diff_copy(struct snap_root *r, const struct snap_meta *m, int rootfd, int fd,
		   const struct snap_diff_opts *o, struct dk_err *err)
{
	struct stack s = {0};
	size_t n = dk_strv_len(m->layers);
	struct snap_tar *t;
	int ret = 0;

	if (n > 128)
		return dk_err_set(err, "copy driver diff: more than 128 layers");
	for (size_t i = n; i-- > 0 && ret == 0;) {
		char rel[160];

		snprintf(rel, sizeof(rel), "%s/fs", m->layers[i]);
		s.fds[s.n] = openat(r->layers_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s.fds[s.n] < 0)
			ret = dk_err_sys(err, "cached layer %s (pruned?)", m->layers[i]);
		else
			s.n++;
	}
	t = ret == 0 ? snap_tar_new(fd, o, err) : NULL;
	if (t) {
		ret = walk(t, rootfd, &s, "", err);
		if (ret == 0)
			ret = snap_tar_finish(t);
		snap_tar_free(t);
	} else {
		ret = -1;
	}
	stack_close(&s);
	return ret;
}
