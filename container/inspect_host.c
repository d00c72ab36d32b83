// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect_host.c: what `inspect` shows of the run flags, in docker's
 * shapes: HostConfig's Binds, Memory, NanoCpus, CapAdd, SecurityOpt...,
 * the top-level Mounts, Config.Labels and Config.Healthcheck. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "volume.h"
#include "container.h"

static void strv_or_null(struct dk_jgen *g, const char *key, char *const *v)
{
	dk_jgen_str(g, key);
	if (v && *v)
		dk_jgen_strv(g, v);
	else
		dk_jgen_null(g);
}

static void ulimits(struct dk_jgen *g, char *const *v)
{
	dk_jgen_str(g, "Ulimits");
	dk_jgen_array_open(g);
	for (; v && *v; v++) {
		char name[32];
		long long soft, hard;
		int n = sscanf(*v, "%31[^=]=%lld:%lld", name, &soft, &hard);
		if (n < 2)
			continue;
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "Name", name);
		dk_jgen_kint(g, "Hard", n == 3 ? hard : soft);
		dk_jgen_kint(g, "Soft", soft);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

static void devices(struct dk_jgen *g, char *const *v)
{
	dk_jgen_str(g, "Devices");
	dk_jgen_array_open(g);
	for (; v && *v; v++) {
		char host[4096], ctr[4096], perms[8];
		if (sscanf(*v, "%4095[^:]:%4095[^:]:%7s", host, ctr, perms) != 3)
			continue;
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "PathOnHost", host);
		dk_jgen_kstr(g, "PathInContainer", ctr);
		dk_jgen_kstr(g, "CgroupPermissions", perms);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

static void tmpfs(struct dk_jgen *g, char *const *v)
{
	dk_jgen_str(g, "Tmpfs");
	dk_jgen_map_open(g);
	for (; v && *v; v++) {
		struct dk_mountspec m;
		struct dk_err err;
		if (dk_mountspec_parse(*v, &m, &err) == 0 && !strcmp(m.type, "tmpfs"))
			dk_jgen_kstr(g, m.target, m.tmpfs_opts);
	}
	dk_jgen_map_close(g);
}

/* SecurityOpt as given, and what seccomp filter was applied. */
static void security_opt(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	bool said = false;

	dk_jgen_str(g, "SecurityOpt");
	dk_jgen_array_open(g);
	for (char **s = h->security_opt; s && *s; s++) {
		said |= !strncmp(*s, "seccomp", 7);
		dk_jgen_str(g, *s);
	}
	if (!said)
		dk_jgen_str(g, h->privileged ? "seccomp=unconfined" : "seccomp=default");
	dk_jgen_array_close(g);
}

/* "K=V" strings as a map (docker's Sysctls, Annotations); absent when
 * none, as docker's omitempty. */
static void kv_map(struct dk_jgen *g, const char *key, char *const *kv)
{
	if (!kv)
		return;
	dk_jgen_str(g, key);
	dk_jgen_map_open(g);
	for (; *kv; kv++) {
		size_t n = strcspn(*kv, "=");
		dk_jgen_strn(g, *kv, n);
		dk_jgen_str(g, (*kv)[n] ? *kv + n + 1 : "");
	}
	dk_jgen_map_close(g);
}

/* The members of run's namespace and finer resource flags. */
static void ns_and_limits(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	dk_jgen_kint(g, "CpuPeriod", h->cpu_period);
	dk_jgen_kint(g, "CpuQuota", h->cpu_quota);
	dk_jgen_kstr(g, "CpusetCpus", h->cpuset_cpus ? h->cpuset_cpus : "");
	dk_jgen_kstr(g, "CpusetMems", h->cpuset_mems ? h->cpuset_mems : "");
	dk_jgen_kint(g, "MemoryReservation", h->memory_reservation);
	dk_jgen_kbool(g, "OomKillDisable", h->oom_kill_disable);
	dk_jgen_kint(g, "OomScoreAdj", h->oom_score_adj);
	dk_jgen_kint(g, "ShmSize", h->shm_size ? h->shm_size : 64 << 20);
	dk_jgen_kstr(g, "PidMode", h->pid_mode ? h->pid_mode : "");
	dk_jgen_kstr(g, "IpcMode", h->ipc_mode ? h->ipc_mode : "private");
	dk_jgen_kstr(g, "UTSMode", h->uts_mode ? h->uts_mode : "");
	dk_jgen_kstr(g, "CgroupnsMode", h->cgroupns_mode ? h->cgroupns_mode : "private");
	strv_or_null(g, "GroupAdd", h->group_add);
	strv_or_null(g, "VolumesFrom", h->volumes_from);
	kv_map(g, "Sysctls", h->sysctls);
	kv_map(g, "Annotations", h->annotations);
}

void ctr_inspect_hostcfg(struct dk_jgen *g, const struct dk_crec *r)
{
	const struct dk_hostcfg *h = &r->o.hc;

	strv_or_null(g, "Binds", h->binds);
	dk_jgen_kint(g, "Memory", h->memory);
	dk_jgen_kint(g, "MemorySwap",
		     h->memory ? (h->memory_swap ? h->memory_swap : 2 * h->memory)
			       : h->memory_swap);
	dk_jgen_kint(g, "NanoCpus", h->nano_cpus);
	dk_jgen_kint(g, "CpuShares", h->cpu_shares);
	dk_jgen_str(g, "PidsLimit");
	if (h->pids_limit)
		dk_jgen_int(g, h->pids_limit);
	else
		dk_jgen_null(g);
	strv_or_null(g, "CapAdd", h->cap_add);
	strv_or_null(g, "CapDrop", h->cap_drop);
	dk_jgen_kbool(g, "Privileged", h->privileged);
	dk_jgen_kbool(g, "ReadonlyRootfs", h->read_only);
	dk_jgen_kbool(g, "Init", h->init);
	security_opt(g, h);
	ulimits(g, h->ulimits);
	devices(g, h->devices);
	tmpfs(g, h->mounts);
	ns_and_limits(g, h);
}

static void one_mount(struct dk_jgen *g, const struct dk_mountspec *m)
{
	char *data = NULL;

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Type", m->type);
	if (!strcmp(m->type, "volume")) {
		dk_jgen_kstr(g, "Name", m->source);
		data = dk_vol_data(ctr_g.root, m->source);
	}
	dk_jgen_kstr(g, "Source", data ? data : m->source);
	dk_jgen_kstr(g, "Destination", m->target);
	if (!strcmp(m->type, "volume"))
		dk_jgen_kstr(g, "Driver", "local");
	dk_jgen_kstr(g, "Mode", m->readonly ? "ro" : "");
	dk_jgen_kbool(g, "RW", !m->readonly);
	dk_jgen_kstr(g, "Propagation",
		     !strcmp(m->type, "bind") ? (m->propagation[0] ? m->propagation : "rprivate")
					      : "");
	dk_jgen_map_close(g);
	free(data);
}

void ctr_inspect_mounts(struct dk_jgen *g, const struct dk_crec *r)
{
	dk_jgen_str(g, "Mounts");
	dk_jgen_array_open(g);
	for (char **s = r->o.hc.mounts; s && *s; s++) {
		struct dk_mountspec m;
		struct dk_err err;
		if (dk_mountspec_parse(*s, &m, &err) == 0 && strcmp(m.type, "tmpfs"))
			one_mount(g, &m);
	}
	dk_jgen_array_close(g);
}

void ctr_inspect_labels(struct dk_jgen *g, const struct dk_crec *r)
{
	dk_jgen_str(g, "Labels");
	dk_jgen_map_open(g);
	for (char **l = r->o.hc.labels; l && *l; l++) {
		const char *eq = strchr(*l, '=');
		dk_jgen_strn(g, *l, eq ? (size_t)(eq - *l) : strlen(*l));
		dk_jgen_str(g, eq ? eq + 1 : "");
	}
	dk_jgen_map_close(g);
}

void ctr_inspect_health(struct dk_jgen *g, const struct dk_crec *r)
{
	if (!r->o.health_test)
		return;
	dk_jgen_str(g, "Healthcheck");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "Test");
	dk_jgen_strv(g, r->o.health_test);
	dk_jgen_kint(g, "Interval", r->o.health_interval);
	dk_jgen_kint(g, "Timeout", r->o.health_timeout);
	dk_jgen_kint(g, "StartPeriod", r->o.health_start);
	dk_jgen_kint(g, "Retries", r->o.health_retries);
	dk_jgen_map_close(g);
}

void ctr_inspect_volumes(struct dk_jgen *g, const struct dk_crec *r)
{
	bool any = false;

	dk_jgen_str(g, "Volumes");
	for (char **s = r->o.hc.mounts; s && *s; s++) {
		struct dk_mountspec m;
		struct dk_err err;
		if (dk_mountspec_parse(*s, &m, &err) < 0 || !m.anonymous)
			continue;
		if (!any)
			dk_jgen_map_open(g);
		any = true;
		dk_jgen_str(g, m.target);
		dk_jgen_map_open(g);
		dk_jgen_map_close(g);
	}
	if (any)
		dk_jgen_map_close(g);
	else
		dk_jgen_null(g);
}
