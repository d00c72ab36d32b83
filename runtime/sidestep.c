// SPDX-License-Identifier: GPL-2.0-or-later
/* sidestep.c: after a clone the runtime and the child work at the same
 * time: init mounts the container's filesystems while we make its cgroups
 * (exec: the child joins the namespaces while we move it into the
 * cgroups). The kernel starts a new child on its parent's CPU, and here,
 * with the other CPU idle, it moved neither of the two for milliseconds
 * (perf sched timehist of `runtime run`): the child waited for our cgroup
 * work to end, and the overlap was lost. So we move ourselves off the
 * child's CPU for that part, and then take back the mask we had, so that
 * hooks and every later child of ours get it. Only our own affinity
 * changes: the container's processes keep theirs. */
#include "sidestep.h"
#include "crecord.h"

void rt_sidestep(struct rt_sidestep *s, pid_t child)
{
	cpu_set_t m;
	int cpu = dk_proc_cpu(child);

	s->moved = false;
	if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(m), &m) < 0 ||
	    CPU_COUNT(&m) < 2 || !CPU_ISSET(cpu, &m))
		return;
	s->saved = m;
	CPU_CLR(cpu, &m);
	s->moved = sched_setaffinity(0, sizeof(m), &m) == 0;
}

void rt_sidestep_end(struct rt_sidestep *s)
{
	if (s->moved)
		sched_setaffinity(0, sizeof(s->saved), &s->saved);
	s->moved = false;
}
