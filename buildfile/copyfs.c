// SPDX-License-Identifier: GPL-2.0-or-later
/* copyfs.c: copying file trees into a rootfs for COPY/ADD (every target
 * path resolved inside the rootfs by lib/path.c; entries created fresh,
 * never through a symlink), and hashing sources for the layer cache. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "cleanup.h"
#include "copyfs.h"
#include "digest.h"
#include "dirwalk.h"
#include "fs.h"
#include "path.h"

/* Excluded by .dockerignore, and not a directory that a "!" pattern
 * reaches into. */
static bool skip(const struct bf_ignore *ig, int dirfd, const char *name, const char *rel)
{
	struct stat sb;

	if (!ig || !bf_ignored(ig, rel))
		return false;
	return !(bf_ignore_reincludes_below(ig, rel) &&
		 fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode));
}

/* .dockerignore, then --exclude relative to the copied source. */
static bool skip_copy(const struct bf_copyfs_opts *o, int dirfd, const char *name, const char *rel)
{
	size_t n = strlen(rel);

	if (skip(o->ignore, dirfd, name, rel))
		return true;
	if (!o->exclude)
		return false;
	return skip(o->exclude, dirfd, name, n > o->top_len ? rel + o->top_len : name);
}

/* --- digest ------------------------------------------------------------- */

static int hash_file(struct dk_hasher *h, int dirfd, const char *name, struct dk_err *err)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[65536];
	ssize_t n;

	if (fd < 0)
		return dk_err_sys(err, "%s", name);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		dk_hasher_update(h, buf, (size_t)n);
	return n < 0 ? dk_err_sys(err, "%s", name) : 0;
}

/* The walk's prefix for what is below rel: "rel/", or nothing below "."
 * (those names are taken as they are). */
static char *below_prefix(const char *rel)
{
	char *s = NULL;

	if (!strcmp(rel, "."))
		return strdup("");
	return asprintf(&s, "%s/", rel) < 0 ? NULL : s;
}

/* One entry's mode, size, name and content (or link target). */
static int hash_entry(struct dk_hasher *h, int dirfd, const char *name, const char *rel,
		      struct stat *sb, struct dk_err *err)
{
	char line[128];

	if (fstatat(dirfd, name, sb, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", rel);
	snprintf(line, sizeof(line), "%o %lld", (unsigned)sb->st_mode,
		 S_ISREG(sb->st_mode) ? (long long)sb->st_size : 0LL);
	dk_hasher_update(h, rel, strlen(rel) + 1);
	dk_hasher_update(h, line, strlen(line) + 1);
	if (S_ISREG(sb->st_mode))
		return hash_file(h, dirfd, name, err);
	if (S_ISLNK(sb->st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(dirfd, name, target, sizeof(target));

		if (n < 0)
			return dk_err_sys(err, "%s", rel);
		dk_hasher_update(h, target, (size_t)n);
	}
	return 0;
}

struct hashing {
	struct dk_hasher *h;
	const struct bf_ignore *ig;
};

/* Below a source directory (dk_dirwalk_fn): entries in name order, each
 * directory's before what it holds, at any depth. */
static int hash_below(void *ctx, int dirfd, const char *name, const char *rel, struct dk_err *err)
{
	struct hashing *x = ctx;
	struct stat sb;

	if (skip(x->ig, dirfd, name, rel))
		return 0;
	if (hash_entry(x->h, dirfd, name, rel, &sb, err) < 0)
		return -1;
	return S_ISDIR(sb.st_mode);
}

static int hash_node(struct dk_hasher *h, int dirfd, const char *name, const char *rel,
		     const struct bf_ignore *ig, struct dk_err *err)
{
	struct hashing x = {h, ig};
	cleanup_free char *prefix = NULL;
	struct stat sb;
	int fd;

	if (hash_entry(h, dirfd, name, rel, &sb, err) < 0)
		return -1;
	if (!S_ISDIR(sb.st_mode))
		return 0;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(prefix = below_prefix(rel))) {
		if (fd >= 0)
			close(fd);
		return dk_err_sys(err, "%s", rel);
	}
	return dk_dirwalk(fd, prefix, hash_below, &x, err);
}

int bf_copyfs_digest(int srcroot, char *const *srcs, const struct bf_ignore *ig, const char *image,
		     char *out, struct dk_err *err)
{
	struct dk_hasher *h = dk_hasher_new(DK_SHA256, err);
	struct dk_digest d;
	int ret = h ? 0 : -1;

	if (h && image)
		dk_hasher_update(h, image, strlen(image) + 1);
	for (size_t i = 0; ret == 0 && srcs[i]; i++) {
		dk_hasher_update(h, "\1src", 5);
		if (image)
			dk_hasher_update(h, srcs[i], strlen(srcs[i]) + 1);
		else
			ret = hash_node(h, srcroot, srcs[i], srcs[i], ig, err);
	}
	if (h) {
		dk_hasher_final(h, &d);
		dk_hasher_free(h);
		snprintf(out, DK_DIGEST_MAX, "%s", d.str);
	}
	return ret;
}

/* --- copying ------------------------------------------------------------ */

static int finish_meta(int fd, const char *name, const struct stat *sb,
		       const struct bf_copyfs_opts *o, struct dk_err *err)
{
	uid_t uid = o->keep_owner ? sb->st_uid : o->uid;
	gid_t gid = o->keep_owner ? sb->st_gid : o->gid;
	mode_t mode = o->chmod ? bf_chmod_apply(o->chmod, sb->st_mode, S_ISDIR(sb->st_mode))
			       : (sb->st_mode & 07777);
	struct timespec ts[2] = {sb->st_atim, sb->st_mtim};
	int flags = name ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH;

	if (fchownat(fd, name ? name : "", uid, gid, flags) < 0)
		return dk_err_sys(err, "chown");
	if (!S_ISLNK(sb->st_mode) && fchmod(fd, mode) < 0)
		return dk_err_sys(err, "chmod");
	if (name ? utimensat(fd, name, ts, AT_SYMLINK_NOFOLLOW) : futimens(fd, ts))
		return dk_err_sys(err, "timestamps");
	return 0;
}

static int copy_data(int in, int out, struct dk_err *err)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		ssize_t c = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);

		if (c > 0)
			continue;
		if (c == 0)
			return 0;
		break; /* not supported here: read and write */
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (dk_write_all(out, buf, (size_t)n, err) < 0)
			return -1;
	return n < 0 ? dk_err_sys(err, "reading") : 0;
}

/* Make room for a new entry base in pfd: remove what is there unless it
 * is a directory. */
static int clear_slot(int pfd, const char *base, const char *dpath, struct dk_err *err)
{
	if (unlinkat(pfd, base, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno == EISDIR)
		return dk_err_set(err, "%s: cannot replace a directory with a file", dpath);
	return dk_err_sys(err, "%s", dpath);
}

void bf_links_free(struct bf_links *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].dest);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A file seen before under another name: link dpath to its copy (1).
 * Not seen: remember dpath (0). */
static int link_again(struct bf_links *l, const struct stat *sb, int rfd, int pfd, const char *base,
		      const char *dpath, struct dk_err *err)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *obase;
		cleanup_close int opfd = -1;

		if (l->v[i].dev != sb->st_dev || l->v[i].ino != sb->st_ino)
			continue;
		opfd = dk_path_open_parent(rfd, l->v[i].dest, false, &obase, err);
		if (opfd < 0)
			return dk_err_wrap(err, "%s", l->v[i].dest);
		if (linkat(opfd, obase, pfd, base, 0) < 0)
			return dk_err_sys(err, "%s: hard link to %s", dpath, l->v[i].dest);
		return 1;
	}
	struct bf_link *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return dk_err_sys(err, "%s", dpath);
	l->v = v;
	v[l->n] = (struct bf_link){.dev = sb->st_dev, .ino = sb->st_ino, .dest = strdup(dpath)};
	return v[l->n++].dest ? 0 : dk_err_sys(err, "%s", dpath);
}

static int copy_leaf(int sdir, const char *name, const struct stat *sb, int rfd, const char *dpath,
		     const struct bf_copyfs_opts *o, struct dk_err *err)
{
	const char *base;
	cleanup_close int pfd = dk_path_open_parent(rfd, dpath, true, &base, err);
	int ret = 0;

	if (pfd < 0 || clear_slot(pfd, base, dpath, err) < 0)
		return pfd < 0 ? dk_err_wrap(err, "%s", dpath) : -1;
	if (S_ISREG(sb->st_mode) && sb->st_nlink > 1 && o->links) {
		int r = link_again(o->links, sb, rfd, pfd, base, dpath, err);

		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	if (S_ISREG(sb->st_mode)) {
		cleanup_close int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		cleanup_close int out =
		    openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (in < 0 || out < 0)
			return dk_err_sys(err, "%s", in < 0 ? name : dpath);
		if (copy_data(in, out, err) < 0 || finish_meta(out, NULL, sb, o, err) < 0)
			return dk_err_wrap(err, "%s", dpath);
		return 0;
	}
	if (S_ISLNK(sb->st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(sdir, name, target, sizeof(target) - 1);

		if (n < 0)
			return dk_err_sys(err, "%s", name);
		target[n] = '\0';
		ret = symlinkat(target, pfd, base);
	} else {
		ret = mknodat(pfd, base, sb->st_mode, sb->st_rdev);
	}
	if (ret < 0)
		return dk_err_sys(err, "%s", dpath);
	return finish_meta(pfd, base, sb, o, err) < 0 ? dk_err_wrap(err, "%s", dpath) : 0;
}

/* Copying a source directory's contents: dk_dirwalk's context. */
struct copying {
	int rfd;
	const char *dtop; /* where the walked directory goes */
	size_t skip;	  /* bytes of the source paths before the walked names */
	const struct bf_copyfs_opts *o;
};

/* One entry below the source directory (dk_dirwalk_fn): a directory is
 * made and entered, anything else copied. */
static int copy_below(void *ctx, int sdir, const char *name, const char *rel, struct dk_err *err)
{
	struct copying *x = ctx;
	cleanup_free char *dpath = dk_path_join(x->dtop, rel + x->skip);
	cleanup_close int dfd = -1;
	struct stat sb;

	if (!dpath)
		return dk_err_sys(err, "%s", rel);
	if (skip_copy(x->o, sdir, name, rel))
		return 0;
	if (fstatat(sdir, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", rel);
	if (!S_ISDIR(sb.st_mode))
		return copy_leaf(sdir, name, &sb, x->rfd, dpath, x->o, err);
	if ((dfd = dk_path_mkdir_all(x->rfd, dpath, 0755, err)) < 0)
		return dk_err_wrap(err, "%s", dpath);
	return 1;
}

/* A directory's owner, mode and times, once what it holds is in (its
 * times change with every entry made in it; dk_dirwalk_leave_fn). */
static int copy_leave(void *ctx, int spfd, const char *name, int sfd, const char *rel,
		      struct dk_err *err)
{
	struct copying *x = ctx;
	cleanup_free char *dpath = dk_path_join(x->dtop, rel + x->skip);
	cleanup_close int dfd = -1;
	struct stat sb;

	(void)spfd;
	(void)name;
	if (!dpath || fstat(sfd, &sb) < 0)
		return dk_err_sys(err, "%s", rel);
	if ((dfd = dk_path_mkdir_all(x->rfd, dpath, 0755, err)) < 0)
		return dk_err_wrap(err, "%s", dpath);
	return finish_meta(dfd, NULL, &sb, x->o, err) < 0 ? dk_err_wrap(err, "%s", dpath) : 0;
}

/* The contents of directory sfd (rel in the source) into dpath, at any
 * depth. */
static int copy_children(int sfd, const char *rel, int rfd, const char *dpath,
			 const struct bf_copyfs_opts *o, struct dk_err *err)
{
	cleanup_free char *prefix = NULL;
	struct copying x = {.rfd = rfd, .dtop = dpath, .o = o};
	int fd = fcntl(sfd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0 || !(prefix = below_prefix(rel))) {
		if (fd >= 0)
			close(fd);
		return dk_err_sys(err, "%s", rel);
	}
	x.skip = strlen(prefix);
	return dk_dirwalk_post(fd, prefix, copy_below, copy_leave, &x, err);
}

static int copy_dir(int sdir, const char *name, const char *rel, const struct stat *sb, int rfd,
		    const char *dpath, const struct bf_copyfs_opts *o, bool meta,
		    struct dk_err *err)
{
	cleanup_close int sfd = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int dfd = -1;

	if (sfd < 0)
		return dk_err_sys(err, "%s", rel);
	if ((dfd = dk_path_mkdir_all(rfd, dpath, 0755, err)) < 0)
		return dk_err_wrap(err, "%s", dpath);
	if (copy_children(sfd, rel, rfd, dpath, o, err) < 0)
		return -1;
	return meta ? finish_meta(dfd, NULL, sb, o, err) : 0;
}

/* gzip, bzip2, xz, zstd, or a tar header's "ustar" magic. */
static bool is_archive(int dirfd, const char *rel)
{
	unsigned char b[512];
	cleanup_close int fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd >= 0 ? pread(fd, b, sizeof(b), 0) : -1;

	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return true;
	if (n >= 3 && !memcmp(b, "BZh", 3))
		return true;
	if (n >= 6 && !memcmp(b,
			      "\xfd"
			      "7zXZ\0",
			      6))
		return true;
	if (n >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4))
		return true;
	return n >= 262 && !memcmp(b + 257, "ustar", 5);
}

/* unpack layer DIR < archive */
static int unpack_into(int srcroot, const char *rel, const char *dir, struct dk_err *err)
{
	cleanup_close int in = openat(srcroot, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char *argv[] = {"unpack", "layer", (char *)dir, NULL};
	int st;

	if (in < 0)
		return dk_err_sys(err, "%s", rel);
	st = bf_tool(argv, in, -1, NULL, err);
	if (st != 0)
		return st < 0
			   ? -1
			   : dk_err_set(
				 err, "%s: extracting the archive failed (unpack layer: status %d)",
				 rel, st);
	return 0;
}

/* ADD of an archive: extracted into a private directory, then copied into
 * dest with the archive's owners (or --chown) and hard links. */
static int extract(int srcroot, const char *rel, int rfd, const char *dest,
		   const struct bf_copyfs_opts *o, struct dk_err *err)
{
	char tmpl[4096];
	struct bf_copyfs_opts eo = *o;
	struct dk_err ignored;
	cleanup_close int tfd = -1, dfd = dk_path_mkdir_all(rfd, dest, 0755, err);
	int ret;

	if (dfd < 0)
		return dk_err_wrap(err, "%s", dest);
	snprintf(tmpl, sizeof(tmpl), "%s/add-XXXXXX", o->tmpdir);
	if (!mkdtemp(tmpl))
		return dk_err_sys(err, "%s", tmpl);
	eo.keep_owner = !o->chown_given;
	eo.exclude = NULL;
	eo.ignore = NULL;
	ret = unpack_into(srcroot, rel, tmpl, err);
	if (ret == 0 && (tfd = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		ret = dk_err_sys(err, "%s", tmpl);
	if (ret == 0)
		ret = copy_children(tfd, ".", rfd, dest, &eo, err);
	dk_rm_rf_at(AT_FDCWD, tmpl, &ignored);
	return ret;
}

static bool is_dir_in(int rfd, const char *path)
{
	struct dk_err ignored;
	int fd = dk_path_open(rfd, path, O_RDONLY | O_DIRECTORY, 0, &ignored);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int copy_one(int srcroot, const char *rel, int rfd, const char *dest, bool into_dir,
		    bool add, const struct bf_copyfs_opts *o, struct dk_err *err)
{
	struct stat sb;
	cleanup_free char *target = NULL;
	const char *slash = strrchr(rel, '/');

	if (fstatat(srcroot, rel, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", rel);
	if (S_ISDIR(sb.st_mode))
		return copy_dir(srcroot, rel, rel, &sb, rfd, dest, o, false, err);
	if (add && o->tmpdir && S_ISREG(sb.st_mode) && is_archive(srcroot, rel))
		return extract(srcroot, rel, rfd, dest, o, err);
	if (into_dir || is_dir_in(rfd, dest))
		target = dk_path_join(dest, slash ? slash + 1 : rel);
	else
		target = strdup(dest);
	if (!target)
		return dk_err_sys(err, "%s", rel);
	return copy_leaf(srcroot, rel, &sb, rfd, target, o, err);
}

int bf_copyfs_one(int srcroot, const char *rel, int rfd, const char *dest, bool into_dir, bool add,
		  const struct bf_copyfs_opts *o, struct dk_err *err)
{
	int ret;

	dk_path_cache_begin();
	ret = copy_one(srcroot, rel, rfd, dest, into_dir, add, o, err);
	dk_path_cache_end(); /* its directory would keep the rootfs busy */
	return ret;
}
