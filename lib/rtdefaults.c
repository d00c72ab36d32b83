// SPDX-License-Identifier: GPL-2.0-or-later
/* rtdefaults.c: what a generated config.json takes from no image: the
 * capabilities, mounts, namespaces, device rules and masked/read-only
 * paths docker gives a container by default (rootless: what `runc spec
 * --rootless` gives, with a user namespace mapping the caller). */
#include <string.h>
#include <unistd.h>
#include "capnames.h"
#include "json.h"
#include "rtspec.h"

static const char *const masked[] = {
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
    NULL,
};

static const char *const readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

void dk_rtspec_caps(struct dk_jgen *g)
{
	static const char *const sets[] = {"bounding", "effective", "permitted", NULL};

	dk_jgen_str(g, "capabilities");
	dk_jgen_map_open(g);
	for (const char *const *s = sets; *s; s++) {
		dk_jgen_str(g, *s);
		dk_jgen_strv(g, (char *const *)dk_cap_default);
	}
	dk_jgen_map_close(g);
}

static void device_rule(struct dk_jgen *g, bool allow, const char *type, int64_t major,
			int64_t minor, const char *access)
{
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "allow", allow);
	if (type)
		dk_jgen_kstr(g, "type", type);
	if (major >= 0)
		dk_jgen_kint(g, "major", major);
	if (minor >= 0)
		dk_jgen_kint(g, "minor", minor);
	dk_jgen_kstr(g, "access", access);
	dk_jgen_map_close(g);
}

/* Deny all, then what docker allows: mknod of anything, the standard
 * character devices, ptys. */
static void devices(struct dk_jgen *g, const struct dk_rtspec_ids *o)
{
	static const int dev[][2] = {{1, 3}, {1, 5}, {1, 7}, {1, 8},   {1, 9},
				     {5, 0}, {5, 1}, {5, 2}, {10, 200}};

	dk_jgen_str(g, "resources");
	dk_jgen_map_open(g);
	dk_jgen_str(g, "devices");
	dk_jgen_array_open(g);
	device_rule(g, o->privileged, NULL, -1, -1, "rwm");
	device_rule(g, true, "c", -1, -1, "m");
	device_rule(g, true, "b", -1, -1, "m");
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
		device_rule(g, true, "c", dev[i][0], dev[i][1], "rwm");
	device_rule(g, true, "c", 136, -1, "rwm");
	if (o->device_rules)
		o->device_rules(g, o->arg);
	dk_jgen_array_close(g);
	if (o->resources)
		o->resources(g, o->arg);
	dk_jgen_map_close(g);
}

/* One namespace: NULL a new one, "host" none (the host's), else the path
 * of one to join. */
static void namespace(struct dk_jgen *g, const char *type, const char *how)
{
	if (how && !strcmp(how, "host"))
		return;
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", type);
	if (how)
		dk_jgen_kstr(g, "path", how);
	dk_jgen_map_close(g);
}

static void namespaces(struct dk_jgen *g, bool userns, const struct dk_rtspec_ids *o)
{
	dk_jgen_str(g, "namespaces");
	dk_jgen_array_open(g);
	namespace(g, "pid", o->pidns);
	if (!o->rootless) /* rootless: the host's network (or slirp4netns's, joined later) */
	namespace(g, "network", o->netns);
	namespace(g, "ipc", o->ipcns);
	namespace(g, "uts", o->utsns);
	namespace(g, "mount", NULL);
	namespace(g, "cgroup", o->cgroupns);
	if (userns)
	namespace(g, "user", NULL);
	dk_jgen_array_close(g);
}

void dk_rtspec_linux(struct dk_jgen *g, const struct dk_rtspec_ids *o)
{
	bool userns = o->rootless || o->n_uid_map || o->n_gid_map;

	dk_jgen_str(g, "linux");
	dk_jgen_map_open(g);
	if (userns) {
		dk_rtspec_idmap(g, "uidMappings", o->uid_map, o->n_uid_map, getuid());
		dk_rtspec_idmap(g, "gidMappings", o->gid_map, o->n_gid_map, getgid());
	}
	if (!o->rootless)
		devices(g, o);
	namespaces(g, userns, o);
	if (!o->privileged) {
		dk_jgen_str(g, "maskedPaths");
		dk_jgen_strv(g, (char *const *)masked);
		dk_jgen_str(g, "readonlyPaths");
		dk_jgen_strv(g, (char *const *)readonly);
	}
	if (o->more)
		o->more(g, o->arg);
	dk_jgen_map_close(g);
}
