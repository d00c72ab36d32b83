// SPDX-License-Identifier: GPL-2.0-or-later
/* mount.c: mounting a snapshot: an overlay of the cached layers (short
 * symlinked lower paths, relative to the layer cache, so that even images
 * with hundreds of layers fit in one option string), or, for the copy
 * driver, a rootfs filled by applying the layers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "fs.h"
#include "snapshot.h"

#define OPTS_MAX 4000 /* a page, less room for the kernel's own use */

bool snap_is_mounted(struct snap_root *r, const char *key)
{
	char rel[200];
	struct stat dir, root;

	snprintf(rel, sizeof(rel), "%s/rootfs", key);
	if (fstatat(r->snaps_fd, key, &dir, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fstatat(r->snaps_fd, rel, &root, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	return dir.st_dev != root.st_dev;
}

int snap_layer_link(struct snap_root *r, const char *chain, char *out, size_t size,
		    struct dk_err *err)
{
	char target[160], have[160];

	if (mkdirat(r->layers_fd, "l", 0700) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating %s/l", r->layers_path);
	snprintf(target, sizeof(target), "../%s/fs", chain);
	for (size_t len = 12; len <= strlen(chain); len += 8) {
		snprintf(out, size, "l/%.*s", (int)len, chain);
		if (symlinkat(target, r->layers_fd, out) == 0)
			return 0;
		if (errno != EEXIST)
			return dk_err_sys(err, "creating %s/%s", r->layers_path, out);
		ssize_t n = readlinkat(r->layers_fd, out, have, sizeof(have) - 1);
		if (n >= 0 && (have[n] = '\0', strcmp(have, target) == 0))
			return 0; /* a longer name if the prefix is taken */
	}
	return dk_err_set(err, "no free short name for layer %s", chain);
}

static int lower_list(struct snap_root *r, const struct snap_meta *m, char *buf, size_t size,
		      struct dk_err *err)
{
	size_t n = dk_strv_len(m->layers), len = 0;

	buf[0] = '\0';
	if (n == 0) { /* overlay needs a lower: an empty one */
		if (mkdirat(r->layers_fd, "empty", 0755) < 0 && errno != EEXIST)
			return dk_err_sys(err, "creating %s/empty", r->layers_path);
		snprintf(buf, size, "empty");
		return 0;
	}
	for (size_t i = n; i-- > 0;) { /* topmost first */
		char link[80];

		if (snap_layer_link(r, m->layers[i], link, sizeof(link), err) < 0)
			return -1;
		int w = snprintf(buf + len, size - len, "%s%s", len ? ":" : "", link);
		if (w < 0 || (size_t)w >= size - len)
			return dk_err_set(err, "%zu layers do not fit in one overlay mount", n);
		len += (size_t)w;
	}
	return 0;
}

static int overlay_opts(struct snap_root *r, const struct snap_meta *m, char *opts, size_t size,
			struct dk_err *err)
{
	cleanup_free char *upper = snap_path(r, m->key, "upper");
	cleanup_free char *work = snap_path(r, m->key, "work");
	char lowers[OPTS_MAX];

	if (!upper || !work)
		return dk_err_sys(err, "snapshot %s", m->key);
	if (strpbrk(upper, ",:") || strpbrk(work, ",:"))
		return dk_err_set(err,
				  "state directory %s: overlayfs cannot use a path with ',' or ':'",
				  r->root);
	if (lower_list(r, m, lowers, sizeof(lowers), err) < 0)
		return -1;
	/* in a user namespace: user.overlay.* xattrs, and redirects never
	 * followed (the kernel refuses "off", which may follow them) */
	if ((size_t)snprintf(
		opts, size, "lowerdir=%s,upperdir=%s,workdir=%s,index=off,metacopy=off,%s", lowers,
		upper, work,
		dk_rootless() ? "redirect_dir=nofollow,userxattr" : "redirect_dir=off") >= size)
		return dk_err_set(err, "overlay mount options longer than %zu bytes", size);
	return 0;
}

static int mount_overlay(struct snap_root *r, const struct snap_meta *m, struct dk_err *err)
{
	cleanup_free char *rootfs = snap_path(r, m->key, "rootfs");
	cleanup_close int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char opts[OPTS_MAX];
	int ret, e;

	if (!rootfs || overlay_opts(r, m, opts, sizeof(opts), err) < 0)
		return -1;
	/* lower paths are relative to the layer cache */
	if (fchdir(r->layers_fd) < 0)
		return dk_err_sys(err, "entering %s", r->layers_path);
	ret = mount("overlay", rootfs, "overlay", 0, opts);
	e = errno;
	if (cwd >= 0 && fchdir(cwd) < 0)
		return dk_err_sys(err, "returning to the working directory");
	if (ret < 0 && e == EPERM && geteuid() != 0)
		return dk_err_errno(
		    err, e,
		    "mounting overlay on %s: mounting needs root; use --driver copy (or a "
		    "user namespace, which dk enters for you)",
		    rootfs);
	if (ret < 0)
		return dk_err_errno(
		    err, e, "mounting overlay on %s (overlayfs unusable here? use --driver copy)",
		    rootfs);
	return 0;
}

int snap_mount(struct snap_root *r, const struct snap_meta *m, struct dk_err *err)
{
	if (m->driver == SNAP_COPY || snap_is_mounted(r, m->key))
		return 0;
	for (size_t i = 0; m->layers[i]; i++) {
		char rel[160];

		snprintf(rel, sizeof(rel), "%s/complete", m->layers[i]);
		if (faccessat(r->layers_fd, rel, F_OK, 0) < 0)
			return dk_err_set(
			    err,
			    "snapshot %s: layer %s is no longer cached (image removed and pruned?)",
			    m->key, m->layers[i]);
	}
	return mount_overlay(r, m, err);
}

int snap_umount(struct snap_root *r, const char *key, struct dk_err *err)
{
	cleanup_free char *rootfs = snap_path(r, key, "rootfs");

	if (!rootfs)
		return dk_err_sys(err, "snapshot %s", key);
	if (!snap_is_mounted(r, key))
		return 0;
	if (umount2(rootfs, UMOUNT_NOFOLLOW) < 0)
		return dk_err_sys(err, "unmounting %s", rootfs);
	return 0;
}
