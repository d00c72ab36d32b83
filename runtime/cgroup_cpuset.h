// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_cpuset.h: the v1 cpuset cgroup, made only for a container that
 * sets cpus or mems (see cgroup_cpuset.c). For cgroup.c. */
#ifndef RT_CGROUP_CPUSET_H
#define RT_CGROUP_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include "cgroup_res.h"
#include "err.h"
#include "spec.h"

/* For the hierarchy with controllers ctrls: when it is the v1 cpuset
 * hierarchy alone, s sets neither cpus nor mems and its container cannot
 * make cgroups (a read-only cgroup mount or none, no CAP_SYS_ADMIN),
 * append the entries "?cpuset:dir" (not made) and, but rootless,
 * "@cpuset:own" (where init stays) to out[*k...] and return 1; else 0
 * (make dir as usual); -1 out of memory. */
int rt_cpuset_defer(const char *ctrls, const struct rt_spec *s, const char *dir, const char *own,
		    char **out, size_t *k, struct dk_err *err);

/* Whether r sets cpus or mems. */
bool rt_cpuset_wanted(const struct rt_resources *r);

/* The index of paths' "?" entry (-1: none) and of its "@" one (-1: none). */
void rt_cpuset_deferred(char *const *paths, long *q, long *at);
/* The directory of a "?" or "@" entry. */
const char *rt_cpuset_entry_dir(const char *e);
/* Turn paths[q] into a live entry and drop paths[at] (when >= 0). */
int rt_cpuset_made(char **paths, long q, long at, struct dk_err *err);

/* Copy the parent's cpus and mems into a new (empty) cpuset cgroup dir,
 * filling empty ancestors first. */
int rt_cpuset_fill(const char *dir, struct dk_err *err);

#endif
