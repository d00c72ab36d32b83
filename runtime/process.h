// SPDX-License-Identifier: GPL-2.0-or-later
/* process.h: the container process: limits, sysctl, finding the
 * executable, then user, capabilities, seccomp and exec. */
#ifndef RT_PROCESS_H
#define RT_PROCESS_H

#include "procfs.h"
#include "spec.h"

/* rlimits, ioPriority, scheduler and oomScoreAdj for this process. */
int rt_proc_limits(const struct rt_process *p, const struct rt_procfs *pfs, struct dk_err *err);

/* linux.sysctl through the procfs handle (after pivot_root, in the
 * container's namespaces). */
int rt_proc_sysctl(const struct rt_spec *s, const struct rt_procfs *pfs, struct dk_err *err);

/* Find args[0] in the process PATH; *status 127 (missing) or 126. The
 * path found goes to out. */
int rt_proc_find(const struct rt_process *p, char *out, size_t size, int *status,
		 struct dk_err *err);

struct rt_exec_ctx {
	const struct rt_process *proc;
	const struct rt_seccomp *seccomp;
	int keep_fds;			/* fds 3 .. 3+keep_fds-1 go to the container */
	int listener;			/* connected seccomp listener socket or -1 */
	const char *state_json;		/* for the seccomp listener */
	bool setgroups;			/* false in a user namespace with setgroups deny */
	const struct rt_procfs *procfs; /* for LSM labels */
};

/* Become the configured user with the configured capabilities, seccomp
 * filter and no_new_privs, then exec. Returns only on failure, with the
 * exit status to use in *status. */
int rt_proc_exec(const struct rt_exec_ctx *c, int *status, struct dk_err *err);

/* Close every fd from 3+keep_fds up, except the n fds in mine (the
 * runtime's own, closed on exec): nothing else of the caller reaches the
 * container, not even while init waits for start. */
int rt_close_fds(int keep_fds, const int *mine, size_t n, struct dk_err *err);

#endif
