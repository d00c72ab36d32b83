// SPDX-License-Identifier: GPL-2.0-or-later
/* procfs.h: writing to /proc through handles the container cannot redirect
 * (CVE-2025-52881 class). */
#ifndef RT_PROCFS_H
#define RT_PROCFS_H

#include <stdbool.h>
#include "err.h"

/* fds on the root of a real procfs and on our own /proc/PID in it, taken
 * while we still see the runtime's /proc (before the container's mounts
 * or namespaces could change what "/proc" means). */
struct rt_procfs {
	int root, self;
};

#define RT_PROCFS_NONE ((struct rt_procfs){-1, -1})

/* Open both handles from "/proc", checking it is procfs and its root. */
int rt_procfs_open(struct rt_procfs *p, struct dk_err *err);
void rt_procfs_close(struct rt_procfs *p);

/* Write val to REL under our /proc/PID (self) or the procfs root (!self),
 * refusing symlinks, magic links and other mounts on the way. */
int rt_procfs_write(const struct rt_procfs *p, bool self, const char *rel, const char *val,
		    struct dk_err *err);

#endif
