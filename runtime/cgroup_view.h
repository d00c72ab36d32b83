// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_view.h: show a container the v1 cgroup that `update` made for
 * it after it started (cgroup_cpuset.c). */
#ifndef RT_CGROUP_VIEW_H
#define RT_CGROUP_VIEW_H

#include <sys/types.h>
#include "err.h"

/* Bind dir over the container's cgroup mount of controller ctrl (as init,
 * pid, sees it), in the container's mount namespace. Nothing to do when
 * the container has no such mount. */
int rt_cgroup_view_update(pid_t pid, const char *ctrl, const char *dir, struct dk_err *err);

#endif
