// SPDX-License-Identifier: GPL-2.0-or-later
/* sidestep.h: keep the runtime off the CPU of the child it just made,
 * while both work at the same time. */
#ifndef RT_SIDESTEP_H
#define RT_SIDESTEP_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

struct rt_sidestep {
	cpu_set_t saved; /* our mask before */
	bool moved;
};

/* Leave child's CPU to it (nothing when we may run on one CPU only). */
void rt_sidestep(struct rt_sidestep *s, pid_t child);
/* Take back the mask we had: what we start later gets it. */
void rt_sidestep_end(struct rt_sidestep *s);

#endif
