// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_entry.c: writing one tar entry (file, directory, symlink, hardlink,
 * device, fifo) inside the root: the place is resolved with lib/path.h, an
 * existing entry of another type is removed first, then owner, mode,
 * xattrs and times are set (directories' modes and times at the end). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "archive_dl.h"
#include "cleanup.h"
#include "fs.h"
#include "layer_int.h"
#include "path.h"

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
	ts[1].tv_sec = archive_entry_mtime(e);
	ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	if (archive_entry_atime_is_set(e)) {
		ts[0].tv_sec = archive_entry_atime(e);
		ts[0].tv_nsec = archive_entry_atime_nsec(e);
	} else {
		ts[0] = ts[1];
	}
}

/* The owner to give the entry on disk; 0 when ownership is not applied
 * (rootless), 1 when it is. */
static int entry_owner(struct dk_layer_ctx *c, struct archive_entry *e, uid_t *uid, gid_t *gid,
		       struct dk_err *err)
{
	const struct dk_layer_opts *o = c->opts;
	uint32_t u = (uint32_t)archive_entry_uid(e);
	uint32_t g = (uint32_t)archive_entry_gid(e);

	if (o->rootless && !o->userns_root)
		return 0;
	if (dk_idmap_map(o->uid_map, o->n_uid_map, u, &u) < 0)
		return dk_err_set(err, "uid %u is not mapped", u);
	if (dk_idmap_map(o->gid_map, o->n_gid_map, g, &g) < 0)
		return dk_err_set(err, "gid %u is not mapped", g);
	*uid = u;
	*gid = g;
	return 1;
}

/* Set the entry's xattrs on fd; path (when fd is an O_PATH fd) is the
 * /proc/self/fd name to use instead. */
static int set_xattrs(struct dk_layer_ctx *c, struct archive_entry *e, int fd, const char *path,
		      struct dk_err *err)
{
	const char *name;
	const void *value;
	size_t size;
	int r;

	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
		if (dk_overlay_xattr_reserved(name)) {
			dk_layer_warn(c, "%s: xattr %s ignored", archive_entry_pathname(e), name);
			continue;
		}
		r = path ? setxattr(path, name, value, size, 0)
			 : fsetxattr(fd, name, value, size, 0);
		if (r == 0)
			continue;
		if (errno == ENOTSUP || (c->opts->rootless && errno == EPERM)) {
			dk_layer_warn(c, "%s: xattr %s: %s", archive_entry_pathname(e), name,
				      strerror(errno));
			continue;
		}
		return dk_err_sys(err, "setting xattr %s", name);
	}
	return 0;
}

/* xattrs on something we cannot open for writing (symlink, node). */
static int set_xattrs_at(struct dk_layer_ctx *c, struct archive_entry *e, int pfd, const char *base,
			 struct dk_err *err)
{
	cleanup_close int fd = -1;
	char proc[64];

	if (archive_entry_xattr_count(e) == 0)
		return 0;
	fd = openat(pfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening for xattrs");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return set_xattrs(c, e, -1, proc, err);
}

/* A failed chown: in a user namespace, EINVAL means an id it does not map. */
static int chown_failed(struct dk_layer_ctx *c, uid_t uid, gid_t gid, struct dk_err *err)
{
	if (errno == EINVAL && c->opts->userns_root)
		return dk_err_errno(err, EINVAL,
				    "chown %u:%u: not mapped in this user namespace "
				    "(the range in /etc/subuid or /etc/subgid is too small)",
				    uid, gid);
	return dk_err_sys(err, "chown %u:%u", uid, gid);
}

/* The entry's owner, where entry_owner says to set one (mapped ids;
 * nothing rootless). */
static int chown_fd(struct dk_layer_ctx *c, struct archive_entry *e, int fd, struct dk_err *err)
{
	uid_t uid;
	gid_t gid;
	int own = entry_owner(c, e, &uid, &gid, err);

	if (own < 0)
		return -1;
	if (own && fchown(fd, uid, gid) < 0)
		return chown_failed(c, uid, gid, err);
	return 0;
}

/* Owner, mode, xattrs and times of an open file. */
static int meta_fd(struct dk_layer_ctx *c, struct archive_entry *e, int fd, struct dk_err *err)
{
	struct timespec ts[2];

	if (chown_fd(c, e, fd, err) < 0)
		return -1;
	if (fchmod(fd, archive_entry_mode(e) & 07777) < 0)
		return dk_err_sys(err, "chmod");
	if (set_xattrs(c, e, fd, NULL, err) < 0)
		return -1;
	entry_times(e, ts);
	if (futimens(fd, ts) < 0)
		return dk_err_sys(err, "setting times");
	return 0;
}

/* The same for a symlink or node at pfd/base. */
static int meta_at(struct dk_layer_ctx *c, struct archive_entry *e, int pfd, const char *base,
		   bool is_link, struct dk_err *err)
{
	struct timespec ts[2];
	uid_t uid;
	gid_t gid;
	int own = entry_owner(c, e, &uid, &gid, err);

	if (own < 0)
		return -1;
	if (own && fchownat(pfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return chown_failed(c, uid, gid, err);
	if (!is_link && fchmodat(pfd, base, archive_entry_mode(e) & 07777, 0) < 0)
		return dk_err_sys(err, "chmod");
	if (set_xattrs_at(c, e, pfd, base, err) < 0)
		return -1;
	entry_times(e, ts);
	if (utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "setting times");
	return 0;
}

/* Open the parent of path (creating missing directories) and clear the
 * place: an existing entry is removed unless both it and the new one are
 * directories (*is_dir is then set). Returns the parent fd. */
int dk_layer_open_slot(struct dk_layer_ctx *c, const char *path, bool want_dir, const char **base,
		       bool *is_dir, struct dk_err *err)
{
	cleanup_close int pfd = -1;
	struct stat st;

	*is_dir = false;
	pfd = dk_path_open_parent(c->rootfd, path, true, base, err);
	if (pfd < 0)
		return -1;
	if (fstatat(pfd, *base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return dk_err_sys(err, "stat");
		return steal_fd(pfd);
	}
	if (S_ISDIR(st.st_mode) && want_dir)
		*is_dir = true;
	else if (S_ISDIR(st.st_mode)) {
		if (dk_rm_rf_at(pfd, *base, err) < 0)
			return dk_err_wrap(err, "replacing a directory");
	} else if (unlinkat(pfd, *base, 0) < 0) {
		return dk_err_sys(err, "replacing the old entry");
	}
	return steal_fd(pfd);
}

static int write_data(struct dk_layer_ctx *c, struct archive_entry *e, int fd, struct dk_err *err)
{
	const void *buf;
	size_t size;
	la_int64_t off, end = 0;
	int r;

	while ((r = archive_read_data_block(c->ar, &buf, &size, &off)) == ARCHIVE_OK) {
		const char *p = buf;

		while (size > 0) {
			ssize_t n = pwrite(fd, p, size, off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return dk_err_sys(err, "writing");
			p += n;
			off += n;
			size -= (size_t)n;
			if (c->stats)
				c->stats->bytes += (uint64_t)n;
		}
		end = off;
	}
	if (r != ARCHIVE_EOF)
		return dk_err_set(err, "reading the data: %s", archive_error_string(c->ar));
	/* a sparse file may end in a hole */
	if (archive_entry_size_is_set(e) && end < archive_entry_size(e) &&
	    ftruncate(fd, archive_entry_size(e)) < 0)
		return dk_err_sys(err, "setting the size");
	return 0;
}

static int write_file(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
		      struct dk_err *err)
{
	cleanup_close int pfd = -1, fd = -1;
	const char *base;
	bool is_dir;

	pfd = dk_layer_open_slot(c, path, false, &base, &is_dir, err);
	if (pfd < 0)
		return -1;
	fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return dk_err_sys(err, "creating the file");
	if (write_data(c, e, fd, err) < 0 || meta_fd(c, e, fd, err) < 0)
		return -1;
	if (close(steal_fd(fd)) < 0)
		return dk_err_sys(err, "closing the file");
	return 0;
}

static int defer_dir(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
		     struct dk_err *err)
{
	struct dk_layer_dir *d;

	if (c->n_dirs == c->cap_dirs) {
		size_t cap = c->cap_dirs ? c->cap_dirs * 2 : 64;
		void *p = realloc(c->dirs, cap * sizeof(*c->dirs));

		if (!p)
			return dk_err_sys(err, "remembering directories");
		c->dirs = p;
		c->cap_dirs = cap;
	}
	d = &c->dirs[c->n_dirs];
	d->path = strdup(path);
	if (!d->path)
		return dk_err_sys(err, "remembering directories");
	d->mode = archive_entry_mode(e) & 07777;
	if (c->opts->rootless && !c->opts->userns_root)
		d->mode |= 0700; /* the caller must still write in it */
	entry_times(e, d->times);
	c->n_dirs++;
	return 0;
}

/* Directory metadata but mode and times, which wait for its contents. */
static int dir_meta(struct dk_layer_ctx *c, struct archive_entry *e, int fd, const char *path,
		    struct dk_err *err)
{
	if (chown_fd(c, e, fd, err) < 0)
		return -1;
	if (set_xattrs(c, e, fd, NULL, err) < 0)
		return -1;
	return defer_dir(c, e, path, err);
}

static int write_dir(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
		     struct dk_err *err)
{
	cleanup_close int pfd = -1, fd = -1;
	const char *base;
	bool is_dir;

	if (strcmp(path, "/") == 0) {
		fd = openat(c->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return dk_err_sys(err, "opening the root");
		return dir_meta(c, e, fd, path, err);
	}
	pfd = dk_layer_open_slot(c, path, true, &base, &is_dir, err);
	if (pfd < 0)
		return -1;
	if (!is_dir && mkdirat(pfd, base, 0700) < 0)
		return dk_err_sys(err, "creating the directory");
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening the directory");
	return dir_meta(c, e, fd, path, err);
}

static int write_symlink(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
			 struct dk_err *err)
{
	cleanup_close int pfd = -1;
	const char *target = archive_entry_symlink(e), *base;
	bool is_dir;

	if (!target)
		return dk_err_set(err, "symlink without a target");
	pfd = dk_layer_open_slot(c, path, false, &base, &is_dir, err);
	if (pfd < 0)
		return -1;
	if (symlinkat(target, pfd, base) < 0)
		return dk_err_sys(err, "creating the symlink");
	return meta_at(c, e, pfd, base, true, err);
}

static int write_node(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
		      struct dk_err *err)
{
	cleanup_close int pfd = -1;
	mode_t type = archive_entry_filetype(e);
	const char *base;
	bool is_dir;

	if (type != AE_IFIFO && c->opts->rootless) {
		dk_layer_warn(c, "%s: device node skipped (rootless)", path);
		return 0;
	}
	pfd = dk_layer_open_slot(c, path, false, &base, &is_dir, err);
	if (pfd < 0)
		return -1;
	if (mknodat(pfd, base, type | 0600, archive_entry_rdev(e)) < 0)
		return dk_err_sys(err, "creating the %s",
				  type == AE_IFIFO ? "fifo" : "device node");
	return meta_at(c, e, pfd, base, false, err);
}

int dk_layer_write_entry(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
			 struct dk_err *err)
{
	if (archive_entry_hardlink(e))
		return dk_layer_write_hardlink(c, e, path, err);
	if (strcmp(path, "/") == 0 && archive_entry_filetype(e) != AE_IFDIR)
		return dk_err_set(err, "would replace the root directory");
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: return write_file(c, e, path, err);
	case AE_IFDIR: return write_dir(c, e, path, err);
	case AE_IFLNK: return write_symlink(c, e, path, err);
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO: return write_node(c, e, path, err);
	default:
		dk_layer_warn(c, "%s: unsupported entry type %o skipped", path,
			      archive_entry_filetype(e));
		return 0;
	}
}

int dk_layer_finish_dirs(struct dk_layer_ctx *c, struct dk_err *err)
{
	for (size_t i = 0; i < c->n_dirs; i++) {
		struct dk_layer_dir *d = &c->dirs[i];
		cleanup_close int fd = -1;
		struct dk_err ignore;

		fd = dk_path_open(c->rootfd, d->path,
				  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, &ignore);
		if (fd < 0)
			continue; /* replaced or removed later on */
		if (fchmod(fd, d->mode) < 0)
			return dk_err_sys(err, "%s: chmod", d->path);
		if (futimens(fd, d->times) < 0)
			return dk_err_sys(err, "%s: setting times", d->path);
	}
	return 0;
}
