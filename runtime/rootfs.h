// SPDX-License-Identifier: GPL-2.0-or-later
/* rootfs.h: the container's root: propagation, bind of the rootfs onto
 * itself, /dev, pivot_root (or chroot), read-only root. */
#ifndef RT_ROOTFS_H
#define RT_ROOTFS_H

#include "spec.h"

/* Make mounts private/slave and bind the rootfs onto itself; returns an
 * O_PATH fd of the rootfs or -1. */
int rt_rootfs_prepare(const struct rt_spec *s, struct dk_err *err);

/* Default devices, linux.devices and the /dev symlinks. */
int rt_rootfs_devices(int rootfd, const struct rt_spec *s, bool in_userns, struct dk_err *err);

/* Switch to the rootfs: pivot_root, or move + chroot with no_pivot. */
int rt_rootfs_pivot(int rootfd, bool no_pivot, struct dk_err *err);

/* After pivot: read-only root and rootfsPropagation. */
int rt_rootfs_finish(const struct rt_spec *s, struct dk_err *err);

/* No mount namespace: refuse what would mount (error names the field),
 * and enter the root with chroot only. */
int rt_nomnt_check(const struct rt_spec *s, struct dk_err *err);
int rt_rootfs_chroot(int rootfd, struct dk_err *err);

#endif
