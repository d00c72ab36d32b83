// SPDX-License-Identifier: GPL-2.0-or-later
/* hostspec_linux.c: the "linux" object of a container's config.json:
 * docker's defaults (lib/rtdefaults.c) with the flags' resource limits,
 * --device nodes and their cgroup rules, and the seccomp filter (the
 * default policy, a profile file, or none). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "rtspec.h"
#include "seccomp_default.h"
#include "container.h"

struct dev {
	char host[4096], ctr[4096], perms[8], type[2];
	long long major, minor;
	unsigned mode, uid, gid;
};

static bool dev_parse(const char *s, struct dev *d)
{
	struct stat st;

	if (sscanf(s, "%4095[^:]:%4095[^:]:%7s", d->host, d->ctr, d->perms) != 3 ||
	    stat(d->host, &st) < 0)
		return false;
	d->type[0] = S_ISBLK(st.st_mode) ? 'b' : 'c';
	d->type[1] = '\0';
	d->major = major(st.st_rdev);
	d->minor = minor(st.st_rdev);
	d->mode = st.st_mode & 07777;
	d->uid = st.st_uid;
	d->gid = st.st_gid;
	return true;
}

static void device_rules(struct dk_jgen *g, const void *arg)
{
	const struct dk_hostcfg *h = arg;

	for (char **s = h->devices; s && *s; s++) {
		struct dev d;
		if (!dev_parse(*s, &d))
			continue;
		dk_jgen_map_open(g);
		dk_jgen_kbool(g, "allow", true);
		dk_jgen_kstr(g, "type", d.type);
		dk_jgen_kint(g, "major", d.major);
		dk_jgen_kint(g, "minor", d.minor);
		dk_jgen_kstr(g, "access", d.perms);
		dk_jgen_map_close(g);
	}
}

static void memory(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	dk_jgen_str(g, "memory");
	dk_jgen_map_open(g);
	if (h->memory) {
		dk_jgen_kint(g, "limit", h->memory);
		/* docker: swap defaults to as much again as the memory */
		dk_jgen_kint(g, "swap", h->memory_swap ? h->memory_swap : 2 * h->memory);
	}
	if (h->memory_reservation)
		dk_jgen_kint(g, "reservation", h->memory_reservation);
	if (h->oom_kill_disable)
		dk_jgen_kbool(g, "disableOOMKiller", true);
	dk_jgen_map_close(g);
}

static void cpu(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	dk_jgen_str(g, "cpu");
	dk_jgen_map_open(g);
	if (h->cpu_shares)
		dk_jgen_kint(g, "shares", h->cpu_shares);
	if (h->nano_cpus) {
		dk_jgen_kint(g, "quota", h->nano_cpus * 100000 / 1000000000);
		dk_jgen_kint(g, "period", 100000);
	}
	if (h->cpu_quota)
		dk_jgen_kint(g, "quota", h->cpu_quota);
	if (h->cpu_period)
		dk_jgen_kint(g, "period", h->cpu_period);
	if (h->cpuset_cpus)
		dk_jgen_kstr(g, "cpus", h->cpuset_cpus);
	if (h->cpuset_mems)
		dk_jgen_kstr(g, "mems", h->cpuset_mems);
	dk_jgen_map_close(g);
}

void ctr_spec_resources(struct dk_jgen *g, const void *arg)
{
	const struct dk_hostcfg *h = arg;

	if (h->memory || h->memory_reservation || h->oom_kill_disable)
		memory(g, h);
	if (h->nano_cpus || h->cpu_shares || h->cpu_period || h->cpu_quota || h->cpuset_cpus ||
	    h->cpuset_mems)
		cpu(g, h);
	if (h->pids_limit) {
		dk_jgen_str(g, "pids");
		dk_jgen_map_open(g);
		dk_jgen_kint(g, "limit", h->pids_limit);
		dk_jgen_map_close(g);
	}
}

static void devices(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	dk_jgen_str(g, "devices");
	dk_jgen_array_open(g);
	for (char **s = h->devices; s && *s; s++) {
		struct dev d;
		if (!dev_parse(*s, &d))
			continue;
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "path", d.ctr);
		dk_jgen_kstr(g, "type", d.type);
		dk_jgen_kint(g, "major", d.major);
		dk_jgen_kint(g, "minor", d.minor);
		dk_jgen_kint(g, "fileMode", d.mode);
		dk_jgen_kint(g, "uid", d.uid);
		dk_jgen_kint(g, "gid", d.gid);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

/* A profile file was checked at parse time; read again here (false when
 * it went since). */
static bool seccomp_file(struct dk_jgen *g, const char *path)
{
	cleanup_free char *buf = NULL;
	struct dk_err err;
	struct dk_json *v = NULL;
	size_t len;

	if (dk_read_file_at(AT_FDCWD, path, 1 << 22, &buf, &len, &err) == 0)
		v = dk_json_parse(buf, len, path, &err);
	if (!v)
		return false;
	dk_jgen_str(g, "seccomp");
	dk_jgen_value(g, v);
	dk_json_free(v);
	return true;
}

static void sysctls(struct dk_jgen *g, char *const *kv)
{
	dk_jgen_str(g, "sysctl");
	dk_jgen_map_open(g);
	for (; *kv; kv++) {
		size_t n = strcspn(*kv, "=");
		dk_jgen_strn(g, *kv, n);
		dk_jgen_str(g, *kv + n + 1);
	}
	dk_jgen_map_close(g);
}

static void more(struct dk_jgen *g, const void *arg)
{
	const struct dk_hostcfg *h = arg;
	const char *caps[64];
	size_t n;

	if (h->devices)
		devices(g, h);
	if (h->sysctls)
		sysctls(g, h->sysctls);
	if (h->privileged || (h->seccomp && !strcmp(h->seccomp, "unconfined")))
		return;
	if (h->seccomp && strcmp(h->seccomp, "default") && seccomp_file(g, h->seccomp))
		return;
	n = ctr_caps_of(h, caps, 64);
	dk_seccomp_default(g, caps, n);
}

/* A --ipc, --uts or --cgroupns mode as dk_rtspec_ids takes it. */
static const char *ns_of(const char *mode)
{
	return mode && !strcmp(mode, "host") ? "host" : NULL;
}

void ctr_spec_linux(struct dk_jgen *g, const struct dk_hostcfg *h, const char *netns,
		    const char *pidns)
{
	struct dk_rtspec_ids ids = {
	    .netns = netns,
	    .pidns = pidns,
	    .ipcns = ns_of(h->ipc_mode),
	    .utsns = ns_of(h->uts_mode),
	    .cgroupns = ns_of(h->cgroupns_mode),
	    .privileged = h->privileged,
	    .device_rules = device_rules,
	    .resources = ctr_spec_resources,
	    .more = more,
	    .arg = h,
	};

	dk_rtspec_linux(g, &ids);
}
