// SPDX-License-Identifier: GPL-2.0-or-later
/* flags.c: the run/create flags of flags.h handed to their parsers, the
 * checks made once all are read, their usage lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "json.h"
#include "container.h"

int ctr_flag(const char *cmd, int c, const char *a, struct ctr_run *r)
{
	struct dk_hostcfg *h = &r->o.hc;

	switch (c) {
	case OPT_VOLUME: return ctr_flag_volume(cmd, a, h);
	case OPT_MOUNT: return ctr_flag_mount(cmd, a, h);
	case OPT_TMPFS: return ctr_flag_tmpfs(cmd, a, h);
	case OPT_READ_ONLY: h->read_only = true; return -1;
	case OPT_ULIMIT: return ctr_flag_ulimit(cmd, a, h);
	case OPT_DEVICE: return ctr_flag_device(cmd, a, h);
	case OPT_CAP_ADD:
	case OPT_CAP_DROP: return ctr_flag_cap(cmd, c, a, h);
	case OPT_PRIVILEGED: h->privileged = true; return -1;
	case OPT_SECURITY_OPT: return ctr_flag_security(cmd, a, h);
	case OPT_ENV_FILE: return ctr_flag_kvfile(cmd, a, &r->o.env, true);
	case OPT_LABEL:
		if (!*a || *a == '=')
			return ctr_usage(cmd, "invalid argument \"%s\" for \"-l, --label\" flag",
					 a);
		return dk_strv_push(&h->labels, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
	case OPT_LABEL_FILE: return ctr_flag_kvfile(cmd, a, &h->labels, false);
	case OPT_VOLUMES_FROM:
		return dk_strv_push(&h->volumes_from, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
	case OPT_INIT: h->init = true; return -1;
	case OPT_CIDFILE:
		free(r->x.cidfile);
		r->x.cidfile = strdup(a);
		return -1;
	case OPT_HEALTH_CMD:
	case OPT_HEALTH_INTERVAL:
	case OPT_HEALTH_TIMEOUT:
	case OPT_HEALTH_RETRIES:
	case OPT_HEALTH_START:
	case OPT_NO_HEALTHCHECK: return ctr_flag_health(cmd, c, a, &r->x);
	case OPT_PID:
	case OPT_IPC:
	case OPT_UTS:
	case OPT_CGROUPNS:
	case OPT_SYSCTL:
	case OPT_SHM_SIZE:
	case OPT_OOM_SCORE_ADJ:
	case OPT_GROUP_ADD:
	case OPT_ANNOTATION: return ctr_flag_ns(cmd, c, a, h);
	default: return ctr_flag_resource(cmd, c, a, h);
	}
}

static int check_cidfile(const char *cmd, const char *path)
{
	if (access(path, F_OK) == 0)
		return ctr_usage(cmd,
				 "Container ID file found, make sure the other container isn't "
				 "running or delete %s",
				 path);
	return -1;
}

int ctr_flags_check(const char *cmd, struct ctr_run *r)
{
	struct ctr_extra *x = &r->x;
	int rc;

	if (x->no_healthcheck &&
	    (x->health_cmd || x->health_interval >= 0 || x->health_timeout >= 0 ||
	     x->health_retries >= 0 || x->health_start >= 0))
		return ctr_usage(cmd, "--no-healthcheck conflicts with --health-* options");
	if (r->o.hc.memory_swap > 0 && r->o.hc.memory_swap < r->o.hc.memory)
		return ctr_usage(cmd, "Minimum memoryswap limit should be larger than memory "
				      "limit, see usage");
	if (r->o.hc.memory_swap && !r->o.hc.memory)
		return ctr_usage(cmd, "You should always set the Memory limit when using "
				      "Memoryswap limit, see usage");
	if (r->o.hc.nano_cpus && (r->o.hc.cpu_period || r->o.hc.cpu_quota))
		return ctr_usage(cmd,
				 "Conflicting options: Nano CPUs and CPU %s cannot both be set",
				 r->o.hc.cpu_period ? "Period" : "Quota");
	rc = ctr_flags_ns_check(cmd, &r->o.hc, r->o.network,
				r->o.hostname ? r->o.hostname : r->o.domainname);
	if (rc >= 0)
		return rc;
	if (r->o.hc.init && !ctr_init_path())
		return ctr_usage(cmd, "--init: no init binary found (tini-static from Debian's "
				      "tini, or catatonit)");
	rc = ctr_mounts_check(cmd, &r->o.hc);
	if (rc >= 0)
		return rc;
	return x->cidfile ? check_cidfile(cmd, x->cidfile) : -1;
}

int ctr_cidfile_write(const char *path, const char *id, struct dk_err *err)
{
	FILE *f = fopen(path, "wx");

	if (!f)
		return dk_err_sys(err, "Container ID file %s", path);
	fprintf(f, "%s", id);
	if (fclose(f) != 0)
		return dk_err_sys(err, "Container ID file %s", path);
	return 0;
}

void ctr_flags_usage(void)
{
	printf("  -v, --volume [SRC:]DST[:OPTS] bind a host path (SRC absolute) or a named\n"
	       "                          volume (SRC a name, none: anonymous); OPTS ro, rw,\n"
	       "                          nocopy\n"
	       "      --mount type=bind|volume|tmpfs,source=S,target=D[,readonly]\n"
	       "      --tmpfs DST[:OPTS]  a tmpfs at DST (OPTS: size=64m,mode=1777,...)\n"
	       "      --read-only         the root filesystem read-only\n"
	       "  -m, --memory SIZE       memory limit (6m at least)\n"
	       "      --memory-swap SIZE  memory + swap limit (-1: unlimited)\n"
	       "      --cpus N            CPUs (1.5: 150%% of one CPU)\n"
	       "  -c, --cpu-shares N      relative CPU weight (1024 normal)\n"
	       "      --pids-limit N      at most N processes (-1: unlimited)\n"
	       "      --ulimit NAME=SOFT[:HARD]  a resource limit (nofile, nproc, ...)\n"
	       "      --device HOST[:CTR[:PERMS]]  a host device in the container\n"
	       "      --cap-add CAP, --cap-drop CAP  capabilities (ALL for all)\n"
	       "      --privileged        every capability and device, no seccomp\n"
	       "      --security-opt OPT  no-new-privileges, seccomp=FILE|unconfined\n"
	       "      --env-file FILE     variables from a file (K=V or K lines)\n"
	       "  -l, --label K=V         a label; --label-file FILE: from a file\n"
	       "      --init              run a reaping init (tini) as pid 1\n"
	       "      --health-cmd CMD    health check (--health-interval, --health-timeout,\n"
	       "                          --health-retries, --health-start-period;\n"
	       "                          --no-healthcheck: none, not even the image's)\n"
	       "      --cidfile FILE      write the container id to FILE (must not exist)\n"
	       "      --cpuset-cpus LIST, --cpuset-mems LIST  CPUs and memory nodes (0-3,6)\n"
	       "      --cpu-period N, --cpu-quota N  CFS period and quota in microseconds\n"
	       "      --memory-reservation SIZE  soft memory limit\n"
	       "      --oom-kill-disable  no OOM kill for the container's cgroup\n"
	       "      --pid host|container:C, --ipc host|private|shareable|none,\n"
	       "      --uts host, --cgroupns host|private  share the host's (or C's) namespace\n"
	       "      --sysctl K=V        a namespaced sysctl (kernel.shm*, net.*, ...)\n"
	       "      --shm-size SIZE     size of /dev/shm (default 64m)\n"
	       "      --oom-score-adj N   the OOM killer's preference (-1000..1000)\n"
	       "      --group-add GROUP   another group for the process (gid or name)\n"
	       "      --annotation K=V    an OCI annotation for the runtime\n"
	       "      --volumes-from C[:ro|:rw]  the volumes and binds of container C\n");
}
