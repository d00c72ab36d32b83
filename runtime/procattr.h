// SPDX-License-Identifier: GPL-2.0-or-later
/* procattr.h: personality, I/O priority and scheduler of the container
 * process (see procattr.c). */
#ifndef RT_PROCATTR_H
#define RT_PROCATTR_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"
#include "json.h"

struct rt_procattr {
	bool has_ioprio, has_sched;
	int ioprio; /* IOPRIO_PRIO_VALUE(class, level) */
	int sched_policy, sched_nice;
	unsigned sched_priority;
	uint64_t sched_flags, sched_runtime, sched_deadline, sched_period;
};

/* process.ioPriority and process.scheduler into a; bad names and
 * out-of-range values are errors. */
int rt_procattr_parse(const struct dk_json *process, struct rt_procattr *a, struct dk_err *err);

/* linux.personality: *out the PER_* domain, or -1 when absent. */
int rt_personality_parse(const struct dk_json *v, int *out, struct dk_err *err);

/* For the calling process, before exec. */
int rt_procattr_apply(const struct rt_procattr *a, struct dk_err *err);
int rt_personality_apply(int domain, struct dk_err *err);

#endif
