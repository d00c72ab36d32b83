// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_whiteout.c: applying OCI whiteouts. In apply mode ".wh.NAME"
 * removes NAME and ".wh..wh..opq" empties its directory of lower content;
 * in overlay mode they become a 0:0 character device and the opaque xattr.
 * Either way a whiteout never removes what the same layer added. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "layer_int.h"
#include "path.h"

static int remove_path(struct dk_layer_ctx *c, const char *target, struct dk_err *err)
{
	cleanup_close int pfd = -1;
	const char *base;
	struct dk_err e2;

	pfd = dk_path_open_parent(c->rootfd, target, false, &base, &e2);
	if (pfd < 0) {
		if (e2.code == ENOENT || e2.code == ENOTDIR)
			return 0; /* nothing below to hide */
		*err = e2;
		return -1;
	}
	return dk_rm_rf_at(pfd, base, err);
}

static bool is_dir(int dirfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Remove from dirfd (the directory at path) all that this layer did not
 * add, descending into directories that hold something it added. */
static int clear_lower(struct dk_layer_ctx *c, int dirfd, const char *path, struct dk_err *err)
{
	cleanup_dir DIR *d = NULL;
	struct dirent *de;
	char child[PATH_MAX];
	int fd = dup(dirfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return dk_err_sys(err, "reading %s", path);
	}
	while ((errno = 0, de = readdir(d))) {
		unsigned flags;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
			     de->d_name) >= (int)sizeof(child))
			return dk_err_set(err, "%s: name too long", path);
		flags = dk_pathset_get(&c->added, child);
		if (!flags) {
			if (dk_rm_rf_at(dirfd, de->d_name, err) < 0)
				return -1;
			continue;
		}
		if (is_dir(dirfd, de)) {
			cleanup_close int sub = openat(
			    dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0)
				return dk_err_sys(err, "opening %s", child);
			if (clear_lower(c, sub, child, err) < 0)
				return -1;
		}
	}
	if (errno)
		return dk_err_sys(err, "reading %s", path);
	return 0;
}

static int opaque(struct dk_layer_ctx *c, const char *dir, struct dk_err *err)
{
	cleanup_close int fd = -1;
	const char *xattr = dk_overlay_opaque_xattr(c->opts->rootless);

	fd = dk_path_mkdir_all(c->rootfd, dir, 0755, err);
	if (fd < 0)
		return -1;
	if (c->opts->whiteouts == DK_WHITEOUT_APPLY)
		return clear_lower(c, fd, dir, err);
	if (fsetxattr(fd, xattr, "y", 1, 0) < 0)
		return dk_err_sys(err, "setting %s", xattr);
	return 0;
}

static int overlay_whiteout(struct dk_layer_ctx *c, const char *target, struct dk_err *err)
{
	cleanup_close int pfd = -1;
	const char *base;
	bool is_dir;

	pfd = dk_layer_open_slot(c, target, false, &base, &is_dir, err);
	if (pfd < 0)
		return -1;
	if (mknodat(pfd, base, S_IFCHR | 0000, makedev(0, 0)) < 0)
		return dk_err_sys(err, "creating the overlay whiteout");
	return 0;
}

int dk_layer_whiteout(struct dk_layer_ctx *c, enum dk_wh_kind kind, const char *target,
		      struct dk_err *err)
{
	unsigned flags;

	if (kind == DK_WH_OPAQUE)
		return opaque(c, target, err);
	if (strcmp(target, "/") == 0)
		return dk_err_set(err, "whiteout of the root directory");
	flags = dk_pathset_get(&c->added, target);
	if (flags & DK_PS_ADDED)
		return 0;		       /* added by this very layer: stays */
	if (flags & DK_PS_ANCESTOR)	       /* holds what this layer added: */
		return opaque(c, target, err); /* hide only the rest */
	if (c->opts->whiteouts == DK_WHITEOUT_OVERLAY)
		return overlay_whiteout(c, target, err);
	return remove_path(c, target, err);
}
