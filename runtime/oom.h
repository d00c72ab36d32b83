// SPDX-License-Identifier: GPL-2.0-or-later
/* oom.h: noticing that a container's memory cgroup ran out of memory. */
#ifndef RT_OOM_H
#define RT_OOM_H

#include <stdbool.h>
#include "err.h"

struct rt_oom {
	int fd;	      /* to poll for `events`; -1: no memory cgroup to watch */
	short events; /* POLLIN (v1 eventfd) or POLLPRI (v2 memory.events) */
	int file;     /* v1 memory.oom_control, v2 memory.events */
	bool v2;
	long long count; /* the oom + oom_kill counters last seen; -1 none */
	char dir[1024];
};

/* Start watching the memory cgroup among paths (state.json's cgroups):
 * v1 registers an eventfd on memory.oom_control through
 * cgroup.event_control, v2 polls memory.events. No memory cgroup: fd -1. */
int rt_oom_open(char *const *paths, struct rt_oom *o, struct dk_err *err);

/* After o->fd polled ready: true when the cgroup ran out of memory since
 * the last call (a counter rose, or v1's eventfd fired in a cgroup that
 * still exists on a kernel without the counter). */
bool rt_oom_fired(struct rt_oom *o);

void rt_oom_close(struct rt_oom *o);

#endif
