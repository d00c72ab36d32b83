// SPDX-License-Identifier: GPL-2.0-or-later
/* hostcfg.h: what `run`/`create` flags ask of the host for a container
 * (docker's HostConfig): mounts and volumes, resource limits, security
 * options, devices, ulimits, labels, --init. Kept in the container record
 * under Options.HostConfig (hostcfg.c loads and saves it). */
#ifndef DK_HOSTCFG_H
#define DK_HOSTCFG_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"
#include "json.h"

struct dk_hostcfg {
	char **binds;		    /* -v as given (HostConfig.Binds) */
	char **mounts;		    /* every mount in --mount syntax, normalised:
				"type=T,source=S,target=D[,readonly][,...]" */
	char **cap_add, **cap_drop; /* normalised "CAP_X" or "ALL" */
	char **ulimits;		    /* "name=soft:hard" */
	char **devices;		    /* "HOST:CTR:PERMS" */
	char **labels;		    /* "key=value" (image labels first) */
	char **security_opt;	    /* as given */
	char **sysctls;		    /* --sysctl "key=value" */
	char **group_add;	    /* --group-add as given (gid or name) */
	char **annotations;	    /* --annotation "key=value" */
	char **volumes_from;	    /* --volumes-from "C[:ro|:rw]" as given */
	char *seccomp;		    /* "default", "unconfined" or a profile file */
	char *cpuset_cpus, *cpuset_mems;
	char *pid_mode, *ipc_mode, *uts_mode, *cgroupns_mode;		/* NULL: private */
	int64_t memory, memory_swap, nano_cpus, cpu_shares, pids_limit; /* 0: unset */
	int64_t memory_reservation, cpu_period, cpu_quota, shm_size;	/* 0: unset */
	int64_t oom_score_adj;
	bool read_only, privileged, init, no_new_privs, oom_kill_disable;
};

/* Load from Options.HostConfig (v may be NULL: all unset). */
int dk_hostcfg_load(const struct dk_json *v, struct dk_hostcfg *h, struct dk_err *err);
/* Emit "HostConfig": {...} inside the Options map. */
void dk_hostcfg_emit(struct dk_jgen *g, const struct dk_hostcfg *h);
void dk_hostcfg_free(struct dk_hostcfg *h);

/* One mount of dk_hostcfg.mounts, parsed. */
struct dk_mountspec {
	char type[8]; /* bind, volume, tmpfs */
	char source[4096], target[4096];
	char propagation[16]; /* bind: rprivate (default), shared, ... */
	char tmpfs_opts[480]; /* tmpfs: mount options ("size=N,mode=M,...") */
	bool readonly, nocopy, anonymous;
};

/* Parse docker's --mount value (type=,source|src=,target|dst|destination=,
 * readonly|ro[=true|false], volume-nocopy, bind-propagation=, tmpfs-size=,
 * tmpfs-mode=); a message naming the problem in err when it is invalid. */
int dk_mountspec_parse(const char *s, struct dk_mountspec *m, struct dk_err *err);
/* The normalised --mount text of m (malloc'd). */
char *dk_mountspec_format(const struct dk_mountspec *m);

#endif
