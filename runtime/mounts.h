// SPDX-License-Identifier: GPL-2.0-or-later
/* mounts.h: the container's mounts, inside its mount namespace. */
#ifndef RT_MOUNTS_H
#define RT_MOUNTS_H

#include "spec.h"

/* Do the spec's mounts below rootfd (the rootfs, not yet pivoted).
 * Destinations are resolved inside the rootfs; h (may be NULL) is called
 * before each mount of type cgroup. */
struct rt_mount_hook {
	int (*before_cgroup)(void *ctx, struct dk_err *err); /* before "cgroup" mounts */
	void *ctx;
};
int rt_mounts_setup(int rootfd, const struct rt_spec *s, const struct rt_mount_hook *h,
		    struct dk_err *err);

/* After pivot_root: maskedPaths and readonlyPaths. */
int rt_mounts_mask(const struct rt_spec *s, struct dk_err *err);

/* Bind the file fd refers to onto target without resolving a path to it
 * (fd_path, its /proc/self/fd name, only where the kernel lacks
 * open_tree). Returns -1 with errno. */
int rt_mount_from_fd(int fd, const char *fd_path, const char *target);

/* Close the bind sources' fds the runtime passed (they lead outside). */
void rt_mounts_close_sources(const struct rt_spec *s);

/* Remount the mount at path (an fd path) read-only, keeping locked flags. */
int rt_remount_ro(const char *path, struct dk_err *err);

/* A read-only tmpfs (not bind) at /dev: mounted read-write, filled, then
 * made read-only by rt_rootfs_finish, as runc does. */
bool rt_mount_is_dev_ro(const struct rt_mount *m);

/* "/proc/thread-self/fd/N" for fd. */
void rt_fd_path(int fd, char *buf, size_t size);

#endif
