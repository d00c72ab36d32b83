// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_cpuset.c: the v1 cpuset cgroup, made only when asked for.
 *
 * Making the first cpuset cgroup below the root switches the kernel's
 * cpuset static key on, which patches kernel text (about 1 ms of CPU
 * here, every time), and removing the last one switches it off again in
 * a kworker: as much CPU as all the rest of a container's cgroup work.
 * On cgroup2 the cpuset controller is enabled only for a container that
 * sets cpus or mems; on v1 we do the same, unless the container may make
 * cgroups of its own (see may_make_cgroups). Without such a setting the
 * container, and what exec starts in it, stay in the creator's cpuset
 * cgroup (where init already is, so nothing moves), and the state keeps
 * the cgroup that was not made. `update` makes it when it first sets cpus
 * or mems and moves the container's processes in (cgroup.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include "caps.h"
#include "cgroup_cpuset.h"
#include "cgroup_fs.h"
#include "cleanup.h"
#include "fs.h"

bool rt_cpuset_wanted(const struct rt_resources *r)
{
	for (size_t i = 0; r && i < r->n; i++)
		if (!strcmp(r->set[i].ctrl, "cpuset"))
			return true;
	return false;
}

static char *entry(char mark, const char *dir)
{
	char *e = NULL;

	if (asprintf(&e, "%ccpuset:%s", mark, dir) < 0)
		return NULL;
	return e;
}

/* Whether the container may make cgroups below its own: a writable cgroup
 * mount (or a bind of /sys/fs/cgroup), or CAP_SYS_ADMIN to mount one.
 * Without a cpuset cgroup of its own, a cpuset cgroup it made would land
 * below ours, beside other containers', and outlive it (docker in docker,
 * systemd in a container). */
static bool may_make_cgroups(const struct rt_spec *s)
{
	if (rt_caps_bounds(&s->proc, "CAP_SYS_ADMIN"))
		return true;
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct rt_mount *m = &s->mounts[i];
		bool cg = (m->type && !strncmp(m->type, "cgroup", 6)) ||
			  (m->bind && m->source && !strncmp(m->source, "/sys/fs/cgroup", 14));
		if (cg && !(m->flags & MS_RDONLY) && !(m->attr_set & MOUNT_ATTR_RDONLY))
			return true;
	}
	return false;
}

int rt_cpuset_defer(const char *ctrls, const struct rt_spec *s, const char *dir, const char *own,
		    char **out, size_t *k, struct dk_err *err)
{
	if (strcmp(ctrls, "cpuset") != 0 || rt_cpuset_wanted(s->resources) || may_make_cgroups(s))
		return 0;
	/* rootless, init's cpuset cgroup is not ours to write: exec's
	 * process stays in the caller's, as with no cgroups at all */
	bool join = !dk_rootless();
	out[*k] = entry('?', dir);
	out[*k + 1] = join ? entry('@', own) : NULL;
	if (!out[*k] || (join && !out[*k + 1]))
		return dk_err_errno(err, ENOMEM, "cgroup");
	*k += join ? 2 : 1;
	return 1;
}

void rt_cpuset_deferred(char *const *paths, long *q, long *at)
{
	*q = *at = -1;
	for (long i = 0; paths && paths[i]; i++) {
		if (!strncmp(paths[i], "?cpuset:", 8))
			*q = i;
		else if (!strncmp(paths[i], "@cpuset:", 8))
			*at = i;
	}
}

const char *rt_cpuset_entry_dir(const char *e)
{
	return (*e == '?' || *e == '@') && !strncmp(e + 1, "cpuset:", 7) ? e + 8 : NULL;
}

int rt_cpuset_made(char **paths, long q, long at, struct dk_err *err)
{
	char *live = strdup(paths[q] + 1);

	if (!live)
		return dk_err_errno(err, ENOMEM, "cgroup");
	free(paths[q]);
	paths[q] = live;
	if (at < 0)
		return 0;
	free(paths[at]);
	for (long i = at; paths[i]; i++)
		paths[i] = paths[i + 1];
	return 0;
}

static int fill(const char *dir, int depth, struct dk_err *err)
{
	static const char *files[] = {"cpuset.cpus", "cpuset.mems"};
	const char *slash = strrchr(dir, '/');
	char up[1024];

	if (!slash || depth > 64 ||
	    !rt_cg_fits(snprintf(up, sizeof(up), "%.*s", (int)(slash - dir), dir), sizeof(up)))
		return 0;
	for (int i = 0; i < 2; i++) {
		cleanup_free char *mine = rt_cg_read(dir, files[i]);
		cleanup_free char *parent = NULL;
		if (!mine || *mine)
			continue; /* above the hierarchy's root, or set */
		if (fill(up, depth + 1, err) < 0)
			return -1;
		parent = rt_cg_read(up, files[i]);
		if (parent && *parent && rt_cg_write(dir, files[i], parent, err) < 0)
			return -1;
	}
	return 0;
}

int rt_cpuset_fill(const char *dir, struct dk_err *err)
{
	return fill(dir, 0, err);
}
