// SPDX-License-Identifier: GPL-2.0-or-later
/* rtspec.c: the standard mounts and id mappings of a generated
 * config.json, written once for every generator. */
#include <stdio.h>
#include "rtspec.h"

static void mount(struct dk_jgen *g, const char *dest, const char *type, const char *src,
		  const char *const *opts)
{
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "destination", dest);
	dk_jgen_kstr(g, "type", type);
	dk_jgen_kstr(g, "source", src);
	dk_jgen_str(g, "options");
	dk_jgen_strv(g, (char *const *)opts);
	dk_jgen_map_close(g);
}

void dk_rtspec_mounts(struct dk_jgen *g, bool rootless, bool cgroup_rootless)
{
	dk_jgen_str(g, "mounts");
	dk_jgen_array_open(g);
	dk_rtspec_mounts_std(g, rootless, cgroup_rootless, 0);
	dk_jgen_array_close(g);
}

/* /dev/shm: a tmpfs of shm bytes (0: 64 MiB, docker's default), the
 * host's own (DK_SHM_HOST) or none (DK_SHM_NONE). */
static void shm_mount(struct dk_jgen *g, int64_t shm)
{
	char size[40];
	const char *shm_opts[] = {"nosuid", "noexec", "nodev", "mode=1777", size, NULL};

	if (shm == DK_SHM_NONE)
		return;
	if (shm == DK_SHM_HOST) {
		mount(g, "/dev/shm", "bind", "/dev/shm",
		      (const char *const[]){"rbind", "nosuid", "noexec", "nodev", NULL});
		return;
	}
	snprintf(size, sizeof(size), "size=%lldk",
		 (long long)(shm > 0 ? (shm + 1023) / 1024 : 65536));
	mount(g, "/dev/shm", "tmpfs", "shm", shm_opts);
}

void dk_rtspec_mounts_std(struct dk_jgen *g, bool rootless, bool cgroup_rootless, int64_t shm)
{
	static const char *const none[] = {NULL};
	static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
	static const char *const pts[] = {"nosuid",    "noexec", "newinstance", "ptmxmode=0666",
					  "mode=0620", "gid=5",	 NULL};
	static const char *const mq[] = {"nosuid", "noexec", "nodev", NULL};
	static const char *const sys[] = {"nosuid", "noexec", "nodev", "ro", NULL};
	static const char *const sys_bind[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};
	static const char *const cg[] = {"nosuid", "noexec", "nodev", "relatime", "ro", NULL};
	static const char *const pts_rootless[] = {"nosuid",	    "noexec",	 "newinstance",
						   "ptmxmode=0666", "mode=0620", NULL};

	mount(g, "/proc", "proc", "proc", none);
	mount(g, "/dev", "tmpfs", "tmpfs", dev);
	mount(g, "/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts);
	shm_mount(g, shm);
	mount(g, "/dev/mqueue", "mqueue", "mqueue", mq);
	if (rootless)
		mount(g, "/sys", "none", "/sys", sys_bind);
	else
		mount(g, "/sys", "sysfs", "sysfs", sys);
	if (!rootless || cgroup_rootless)
		mount(g, "/sys/fs/cgroup", "cgroup", "cgroup", cg);
}

void dk_rtspec_idmap(struct dk_jgen *g, const char *key, const struct dk_idmap *m, size_t n,
		     uint32_t self)
{
	struct dk_idmap caller = {0, self, 1};

	if (n == 0) {
		m = &caller;
		n = 1;
	}
	dk_jgen_str(g, key);
	dk_jgen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		dk_jgen_map_open(g);
		dk_jgen_kint(g, "containerID", m[i].inside);
		dk_jgen_kint(g, "hostID", m[i].outside);
		dk_jgen_kint(g, "size", m[i].count);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

void dk_rtspec_rlimits(struct dk_jgen *g)
{
	dk_jgen_str(g, "rlimits");
	dk_jgen_array_open(g);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", "RLIMIT_NOFILE");
	dk_jgen_kint(g, "hard", 1024);
	dk_jgen_kint(g, "soft", 1024);
	dk_jgen_map_close(g);
	dk_jgen_array_close(g);
}
