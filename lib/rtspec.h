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
/* The same mounts without the array around them (to add more); shm is
 * /dev/shm's size in bytes (0: 64 MiB), DK_SHM_HOST for the host's
 * /dev/shm or DK_SHM_NONE for none. */
#define DK_SHM_HOST (-1)
#define DK_SHM_NONE (-2)
void dk_rtspec_mounts_std(struct dk_jgen *g, bool rootless, bool cgroup_rootless, int64_t shm);

/* "key": [{containerID, hostID, size}...]; with n == 0 one entry mapping
 * container id 0 to self. */
void dk_rtspec_idmap(struct dk_jgen *g, const char *key, const struct dk_idmap *m, size_t n,
		     uint32_t self);

/* "rlimits": RLIMIT_NOFILE 1024/1024, the default of runc and docker. */
void dk_rtspec_rlimits(struct dk_jgen *g);

/* What the id mappings and rootless mode of a generated config are. */
struct dk_rtspec_ids {
	bool rootless;
	const struct dk_idmap *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;
	const char *netns; /* NULL: a new one; "host": none; else its path */
	const char *pidns, *ipcns, *utsns, *cgroupns; /* the same */
	/* run flags (container/hostspec.c); zero: docker's defaults */
	bool privileged; /* every device, no masked paths */
	void (*device_rules)(struct dk_jgen *g, const void *arg); /* more rules */
	void (*resources)(struct dk_jgen *g, const void *arg);	  /* more linux.resources */
	void (*more)(struct dk_jgen *g, const void *arg);	  /* more linux members */
	const void *arg;
};

/* The docker default pieces of a generated config.json (rtdefaults.c):
 * "capabilities" (docker's default set) and "linux" (id mappings, device
 * rules, namespaces, masked and read-only paths; rootless: runc spec
 * --rootless's). */
void dk_rtspec_caps(struct dk_jgen *g);
void dk_rtspec_linux(struct dk_jgen *g, const struct dk_rtspec_ids *o);

#endif
