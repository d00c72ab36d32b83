// SPDX-License-Identifier: GPL-2.0-or-later
/* execproc.h: exec's process, from its start to the program's exec. */
#ifndef RT_EXECPROC_H
#define RT_EXECPROC_H

#include <stdbool.h>
#include <sys/types.h>
#include "spec.h"
#include "state.h"

/* Carries exec's descriptors into the protected copy (copyexec.c). */
#define RT_EXEC_ENV "_DK_RUNTIME_EXEC"

struct rt_exec_child {
	const struct rt_spec *s;
	char **cgroups; /* --cgroup */
	int pidfd, sync, console;
	int root; /* no mount namespace: init's root, entered with chroot */
	int keep;
};

/* Start the process in the container (st), move it into the cgroups and
 * wait until it has exec'd the program (*master: its pty, if any); -1
 * with err and *status when it failed. */
int rt_exec_start(struct rt_exec_child *ec, const struct rt_state *st, pid_t *pid, int *master,
		  int *status, struct dk_err *err);
/* The process itself, once started (never returns). */
__attribute__((noreturn)) void rt_exec_child_main(struct rt_exec_child *c);

#endif
