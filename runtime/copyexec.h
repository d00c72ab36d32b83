// SPDX-License-Identifier: GPL-2.0-or-later
/* copyexec.h: starting container processes from the protected copy of the
 * runtime (selfexe.c) instead of re-executing the runtime: the copy, a
 * vfork-style start and what crosses the exec. */
#ifndef RT_COPYEXEC_H
#define RT_COPYEXEC_H

#include <stdbool.h>
#include <sys/types.h>
#include "err.h"
#include "spec.h"

/* create, run, exec: as root outside a user namespace, stop being
 * dumpable and make the protected copy. Does nothing (0) otherwise: the
 * runtime then re-executes itself (rt_self_protect). */
int rt_copy_prepare(struct dk_err *err);
/* Whether rt_copy_prepare made a copy to start processes from. */
bool rt_copy_ready(void);

/* What the copy gets. */
struct rt_copy_job {
	char **argv;	    /* its arguments */
	const char *var[3]; /* "NAME=VALUE" added to our environment, NULL-ended */
	int keep[6];	    /* descriptors kept open across the exec, -1 unused */
	int theirs;	    /* ours only (our end of the sync socket): closed */
	int sync;	    /* an error before the exec is sent here */
};

/* A memfd holding the config's text (spec->text), for a job to keep. */
int rt_copy_config(const struct rt_spec *s, struct dk_err *err);
/* Start the copy with clone flags, sharing our memory until it has
 * exec'd (vfork-style: no copy of it is made or torn down); its pid. */
pid_t rt_copy_spawn(const struct rt_copy_job *job, int flags);
/* In a child of ours: exec the copy; returns only on failure. */
void rt_copy_exec(const struct rt_copy_job *job, struct dk_err *err);

#endif
