// SPDX-License-Identifier: GPL-2.0-or-later
/* flags.h: the run/create flags for volumes, resources, security,
 * labels, health checks and --init (flags*.c), the pieces of config.json
 * they make (hostspec.c, seccomp), and volumes (volume*.c). opts.c's table
 * takes CTR_FLAG_OPTS; its parser hands these codes to ctr_flag(). */
#ifndef CTR_FLAGS_H
#define CTR_FLAGS_H

#include <stdbool.h>
#include <stdint.h>
#include "hostcfg.h"

enum {
	OPT_FLAG_FIRST = 512,
	OPT_VOLUME = 'v',
	OPT_MEMORY = 'm',
	OPT_LABEL = 'l',
	OPT_MOUNT = OPT_FLAG_FIRST,
	OPT_TMPFS,
	OPT_READ_ONLY,
	OPT_MEMORY_SWAP,
	OPT_CPUS,
	OPT_CPU_SHARES,
	OPT_PIDS_LIMIT,
	OPT_ULIMIT,
	OPT_DEVICE,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_PRIVILEGED,
	OPT_SECURITY_OPT,
	OPT_ENV_FILE,
	OPT_LABEL_FILE,
	OPT_INIT,
	OPT_HEALTH_CMD,
	OPT_HEALTH_INTERVAL,
	OPT_HEALTH_TIMEOUT,
	OPT_HEALTH_RETRIES,
	OPT_HEALTH_START,
	OPT_NO_HEALTHCHECK,
	OPT_CIDFILE,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_CPU_PERIOD,
	OPT_CPU_QUOTA,
	OPT_MEMORY_RESERVATION,
	OPT_OOM_KILL_DISABLE,
	OPT_PID,
	OPT_IPC,
	OPT_UTS,
	OPT_CGROUPNS,
	OPT_SYSCTL,
	OPT_SHM_SIZE,
	OPT_OOM_SCORE_ADJ,
	OPT_GROUP_ADD,
	OPT_ANNOTATION,
	OPT_VOLUMES_FROM,
	OPT_FLAG_LAST,
};

/* getopt_long entries for opts.c's table, and the short options. */
#define CTR_FLAG_SHORT "v:m:l:c:"
#define CTR_FLAG_OPTS                                                                             \
	{"volume", required_argument, NULL, OPT_VOLUME},                                          \
	    {"mount", required_argument, NULL, OPT_MOUNT},                                        \
	    {"tmpfs", required_argument, NULL, OPT_TMPFS},                                        \
	    {"read-only", no_argument, NULL, OPT_READ_ONLY},                                      \
	    {"memory", required_argument, NULL, OPT_MEMORY},                                      \
	    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},                            \
	    {"cpus", required_argument, NULL, OPT_CPUS},                                          \
	    {"cpu-shares", required_argument, NULL, OPT_CPU_SHARES},                              \
	    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},                              \
	    {"ulimit", required_argument, NULL, OPT_ULIMIT},                                      \
	    {"device", required_argument, NULL, OPT_DEVICE},                                      \
	    {"cap-add", required_argument, NULL, OPT_CAP_ADD},                                    \
	    {"cap-drop", required_argument, NULL, OPT_CAP_DROP},                                  \
	    {"privileged", no_argument, NULL, OPT_PRIVILEGED},                                    \
	    {"security-opt", required_argument, NULL, OPT_SECURITY_OPT},                          \
	    {"env-file", required_argument, NULL, OPT_ENV_FILE},                                  \
	    {"label", required_argument, NULL, OPT_LABEL},                                        \
	    {"label-file", required_argument, NULL, OPT_LABEL_FILE},                              \
	    {"init", no_argument, NULL, OPT_INIT},                                                \
	    {"health-cmd", required_argument, NULL, OPT_HEALTH_CMD},                              \
	    {"health-interval", required_argument, NULL, OPT_HEALTH_INTERVAL},                    \
	    {"health-timeout", required_argument, NULL, OPT_HEALTH_TIMEOUT},                      \
	    {"health-retries", required_argument, NULL, OPT_HEALTH_RETRIES},                      \
	    {"health-start-period", required_argument, NULL, OPT_HEALTH_START},                   \
	    {"no-healthcheck", no_argument, NULL, OPT_NO_HEALTHCHECK},                            \
	    {"cidfile", required_argument, NULL, OPT_CIDFILE},                                    \
	    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},                            \
	    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},                            \
	    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},                              \
	    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},                                \
	    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},              \
	    {"oom-kill-disable", no_argument, NULL, OPT_OOM_KILL_DISABLE},                        \
	    {"pid", required_argument, NULL, OPT_PID}, {"ipc", required_argument, NULL, OPT_IPC}, \
	    {"uts", required_argument, NULL, OPT_UTS},                                            \
	    {"cgroupns", required_argument, NULL, OPT_CGROUPNS},                                  \
	    {"sysctl", required_argument, NULL, OPT_SYSCTL},                                      \
	    {"shm-size", required_argument, NULL, OPT_SHM_SIZE},                                  \
	    {"oom-score-adj", required_argument, NULL, OPT_OOM_SCORE_ADJ},                        \
	    {"group-add", required_argument, NULL, OPT_GROUP_ADD},                                \
	    {"annotation", required_argument, NULL, OPT_ANNOTATION},                              \
	    {"volumes-from", required_argument, NULL, OPT_VOLUMES_FROM},

/* What the flags ask that is not kept in the record as such. */
struct ctr_extra {
	char *health_cmd; /* --health-cmd: ["CMD-SHELL", cmd] */
	int64_t health_interval, health_timeout, health_start; /* ns, -1: unset */
	int health_retries;				       /* -1: unset */
	bool no_healthcheck;
	char *cidfile;
};

struct ctr_run;
struct dk_crec;
struct dk_image;
struct dk_jgen;

/* Is c one of ours? */
static inline bool ctr_flag_is(int c)
{
	return c == 'v' || c == 'm' || c == 'l' || c == 'c' ||
	       (c >= OPT_FLAG_FIRST && c < OPT_FLAG_LAST);
}
/* One flag into r; -1 to go on, else an exit status (usage error 125). */
int ctr_flag(const char *cmd, int c, const char *a, struct ctr_run *r);
/* After all flags: checks between flags and of files (bind sources,
 * seccomp profiles, --cidfile); -1 to go on, else an exit status. */
int ctr_flags_check(const char *cmd, struct ctr_run *r);
/* The usage lines of these flags. */
void ctr_flags_usage(void);

/* Pieces of the flags: each returns -1 to go on, else an exit status. */
int ctr_flag_volume(const char *cmd, const char *a, struct dk_hostcfg *h);
int ctr_flag_mount(const char *cmd, const char *a, struct dk_hostcfg *h);
int ctr_flag_tmpfs(const char *cmd, const char *a, struct dk_hostcfg *h);
int ctr_flag_resource(const char *cmd, int c, const char *a, struct dk_hostcfg *h);
/* go-units' RAMInBytes: "64m", "1.5g", "100", "10KiB"; -1 when invalid. */
int64_t ctr_ram_bytes(const char *s);
int ctr_flag_ulimit(const char *cmd, const char *a, struct dk_hostcfg *h);
int ctr_flag_device(const char *cmd, const char *a, struct dk_hostcfg *h);
int ctr_flag_cap(const char *cmd, int c, const char *a, struct dk_hostcfg *h);
int ctr_flag_security(const char *cmd, const char *a, struct dk_hostcfg *h);
int ctr_flag_kvfile(const char *cmd, const char *file, char ***v, bool from_env);
int ctr_flag_health(const char *cmd, int c, const char *a, struct ctr_extra *x);
/* --pid, --ipc, --uts, --cgroupns, --sysctl, --shm-size, --oom-score-adj,
 * --group-add, --annotation (flags_ns.c) */
int ctr_flag_ns(const char *cmd, int c, const char *a, struct dk_hostcfg *h);
/* Their checks against each other and the network mode. */
int ctr_flags_ns_check(const char *cmd, const struct dk_hostcfg *h, const char *network,
		       const char *hostname);
int ctr_mounts_check(const char *cmd, const struct dk_hostcfg *h);

/* create: labels and the health check from the image merged with the
 * flags' into the record. */
int ctr_flags_record(struct dk_crec *rec, const struct ctr_extra *x, const struct dk_image *img);
/* create: the volumes of rec's mounts made (anonymous ones named), and
 * new ones filled from the image at rootfs. */
int ctr_volumes_prepare(const struct dk_crec *rec, const char *rootfs, struct dk_err *err);
/* create: --volumes-from's containers' volumes and binds added to h's
 * mounts (volfrom.c). */
int ctr_volumes_from(struct dk_hostcfg *h, struct dk_err *err);
/* create: give anonymous volumes their random names. */
int ctr_volumes_name(struct dk_hostcfg *h);
/* --cidfile: write id (the file must not exist). */
int ctr_cidfile_write(const char *path, const char *id, struct dk_err *err);

/* inspect's pieces (inspect_host.c): members of HostConfig, the top-level
 * Mounts, Config.Labels and Config.Healthcheck. */
void ctr_inspect_hostcfg(struct dk_jgen *g, const struct dk_crec *r);
void ctr_inspect_mounts(struct dk_jgen *g, const struct dk_crec *r);
void ctr_inspect_labels(struct dk_jgen *g, const struct dk_crec *r);
void ctr_inspect_health(struct dk_jgen *g, const struct dk_crec *r);
/* Config.Volumes: the anonymous volumes' targets (null when none). */
void ctr_inspect_volumes(struct dk_jgen *g, const struct dk_crec *r);

/* config.json pieces (hostspec.c) */
void ctr_spec_caps(struct dk_jgen *g, const struct dk_hostcfg *h);
void ctr_spec_rlimits(struct dk_jgen *g, const struct dk_hostcfg *h);
void ctr_spec_mounts(struct dk_jgen *g, const struct dk_hostcfg *h, const char *root,
		     const char *id);
/* netns: the network namespace's path, "host" or NULL (ctr_net_ns). */
/* pidns: NULL, "host" or the path of another container's (ctr_pid_ns). */
void ctr_spec_linux(struct dk_jgen *g, const struct dk_hostcfg *h, const char *netns,
		    const char *pidns);
/* /dev/shm for dk_rtspec_mounts_std: --shm-size, or --ipc host or none. */
int64_t ctr_shm(const struct dk_hostcfg *h);
/* --pid's namespace: NULL (a new one), "host", or /proc/PID/ns/pid of the
 * running container named by container:C, in buf. */
int ctr_pid_ns(const struct dk_hostcfg *h, char *buf, size_t size, struct dk_err *err);
/* linux.resources' memory, cpu and pids members for hostcfg (a struct
 * dk_hostcfg), into an open map (also `update`'s document). */
void ctr_spec_resources(struct dk_jgen *g, const void *hostcfg);
/* --init: "/sbin/docker-init", "--" before *args. */
int ctr_init_args(char ***args);
/* The init binary for --init (tini-static, catatonit), NULL if none. */
const char *ctr_init_path(void);
/* The effective capability set of h (NULL-terminated static names). */
size_t ctr_caps_of(const struct dk_hostcfg *h, const char **out, size_t size);

#endif
