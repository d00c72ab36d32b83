// SPDX-License-Identifier: GPL-2.0-or-later
/* rtspec.h: pieces of a runtime-spec config.json that every generator
 * writes the same way: the standard mounts and id mappings. Shared by
 * `runtime spec` (runc's defaults) and `unpack config` (docker's). */
#ifndef DK_RTSPEC_H
#define DK_RTSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include "json.h"
#include "layer.h"

/* "mounts": proc, /dev tmpfs, devpts, shm, mqueue, sysfs (a read-only
 * rbind of /sys when rootless) and, unless rootless without cgroup_rootless,
 * the cgroup mount. Rootless devpts has no gid=5 (no such group mapped). */
void dk_rtspec_mounts(struct dk_jgen *g, bool rootless, bool cgroup_rootless);

/* "key": [{containerID, hostID, size}...]; with n == 0 one entry mapping
 * container id 0 to self. */
void dk_rtspec_idmap(struct dk_jgen *g, const char *key, const struct dk_idmap *m, size_t n,
		     uint32_t self);

/* "rlimits": RLIMIT_NOFILE 1024/1024, the default of runc and docker. */
void dk_rtspec_rlimits(struct dk_jgen *g);

#endif
