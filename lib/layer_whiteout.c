// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_whiteout.c: applying OCI whiteouts. In apply mode ".wh.NAME"
 * removes NAME and ".wh..wh..opq" empties its directory of lower content;
 * in overlay mode they become a 0:0 character device and the opaque xattr.
 * Either way a whiteout never removes what the same layer added. */
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
#include "dirwalk.h"
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

/* One entry below an opaque directory (dk_dirwalk_fn): what this layer
 * did not add goes, a directory holding something it added is entered. */
static int clear_one(void *ctx, int dirfd, const char *name, const char *path, struct dk_err *err)
{
	struct dk_layer_ctx *c = ctx;
	unsigned flags = dk_pathset_get(&c->added, path);
	struct stat st;

	if (!flags)
		return dk_rm_rf_at(dirfd, name, err) < 0 ? -1 : 0;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Remove from dirfd (the directory at path) all that this layer did not
 * add, at any depth. */
static int clear_lower(struct dk_layer_ctx *c, int dirfd, const char *path, struct dk_err *err)
{
	cleanup_free char *prefix = NULL;
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0 || asprintf(&prefix, "%s/", strcmp(path, "/") ? path : "") < 0) {
		if (fd >= 0)
			close(fd);
		return dk_err_sys(err, "reading %s", path);
	}
	return dk_dirwalk(fd, prefix, clear_one, c, err);
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
