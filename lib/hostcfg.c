// SPDX-License-Identifier: GPL-2.0-or-later
/* hostcfg.c: a container's HostConfig options to and from its record. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "hostcfg.h"

/* A member of HostConfig and where it lives in struct dk_hostcfg. */
struct field {
	const char *key;
	size_t off;
};

#define F(k, f)                                   \
	{                                         \
		k, offsetof(struct dk_hostcfg, f) \
	}
static const struct field strvs[] = {
    F("Binds", binds),
    F("Mounts", mounts),
    F("CapAdd", cap_add),
    F("CapDrop", cap_drop),
    F("Ulimits", ulimits),
    F("Devices", devices),
    F("Labels", labels),
    F("SecurityOpt", security_opt),
    F("Sysctls", sysctls),
    F("GroupAdd", group_add),
    F("Annotations", annotations),
    F("VolumesFrom", volumes_from),
};
static const struct field strs[] = {
    F("Seccomp", seccomp),
    F("CpusetCpus", cpuset_cpus),
    F("CpusetMems", cpuset_mems),
    F("PidMode", pid_mode),
    F("IpcMode", ipc_mode),
    F("UTSMode", uts_mode),
    F("CgroupnsMode", cgroupns_mode),
};
static const struct field ints[] = {
    F("Memory", memory),	F("MemorySwap", memory_swap),
    F("NanoCpus", nano_cpus),	F("CpuShares", cpu_shares),
    F("PidsLimit", pids_limit), F("MemoryReservation", memory_reservation),
    F("CpuPeriod", cpu_period), F("CpuQuota", cpu_quota),
    F("ShmSize", shm_size),	F("OomScoreAdj", oom_score_adj),
};
static const struct field bools[] = {
    F("ReadonlyRootfs", read_only),	F("Privileged", privileged),	       F("Init", init),
    F("NoNewPrivileges", no_new_privs), F("OomKillDisable", oom_kill_disable),
};

#define FIELD(h, type, off) ((type *)((char *)(h) + (off)))
#define N(a)		    (sizeof(a) / sizeof((a)[0]))

int dk_hostcfg_load(const struct dk_json *v, struct dk_hostcfg *h, struct dk_err *err)
{
	memset(h, 0, sizeof(*h));
	if (!v)
		return 0;
	for (size_t i = 0; i < N(strvs); i++) {
		const struct dk_json *a = dk_json_get(v, strvs[i].key);
		if (!a)
			continue;
		*FIELD(h, char **, strvs[i].off) = dk_json_strv(a, strvs[i].key, err);
		if (!*FIELD(h, char **, strvs[i].off))
			return -1;
	}
	for (size_t i = 0; i < N(strs); i++) {
		const char *s = dk_json_get_str(v, strs[i].key);
		if (s && !(*FIELD(h, char *, strs[i].off) = strdup(s)))
			return dk_err_sys(err, "HostConfig.%s", strs[i].key);
	}
	for (size_t i = 0; i < N(ints); i++)
		dk_json_int64(dk_json_get(v, ints[i].key), FIELD(h, int64_t, ints[i].off));
	for (size_t i = 0; i < N(bools); i++)
		*FIELD(h, bool, bools[i].off) = dk_json_is_true(dk_json_get(v, bools[i].key));
	return 0;
}

void dk_hostcfg_emit(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	dk_jgen_str(g, "HostConfig");
	dk_jgen_map_open(g);
	for (size_t i = 0; i < N(strvs); i++) {
		char **v = *FIELD(h, char **, strvs[i].off);
		if (!v)
			continue;
		dk_jgen_str(g, strvs[i].key);
		dk_jgen_strv(g, v);
	}
	for (size_t i = 0; i < N(strs); i++)
		if (*FIELD(h, char *, strs[i].off))
			dk_jgen_kstr(g, strs[i].key, *FIELD(h, char *, strs[i].off));
	for (size_t i = 0; i < N(ints); i++)
		dk_jgen_kint(g, ints[i].key, *FIELD(h, int64_t, ints[i].off));
	for (size_t i = 0; i < N(bools); i++)
		dk_jgen_kbool(g, bools[i].key, *FIELD(h, bool, bools[i].off));
	dk_jgen_map_close(g);
}

void dk_hostcfg_free(struct dk_hostcfg *h)
{
	for (size_t i = 0; i < N(strvs); i++)
		dk_strv_free(*FIELD(h, char **, strvs[i].off));
	for (size_t i = 0; i < N(strs); i++)
		free(*FIELD(h, char *, strs[i].off));
	memset(h, 0, sizeof(*h));
}
