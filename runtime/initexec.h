// SPDX-License-Identifier: GPL-2.0-or-later
/* initexec.h: init execs the protected copy of the runtime (initexec.c). */
#ifndef RT_INITEXEC_H
#define RT_INITEXEC_H

#include <stdbool.h>
#include "container.h"

/* create/run: as root, stop being dumpable and make the protected copy
 * init will exec. Does nothing (0) rootless or in a user namespace,
 * where the runtime re-executes itself (rt_self_protect). */
int rt_init_prepare(struct dk_err *err);
/* Whether init will exec the copy (rt_init_prepare made one). */
bool rt_init_execs(void);
/* In init right after the clone: exec the copy (never returns then; a
 * failure is reported over the sync socket). Returns when there is no
 * copy to exec. */
void rt_init_exec(struct rt_child *a);
/* As root without a new user namespace: start init with clone flags
 * (sharing our memory until it has exec'd the copy, vfork-style) and
 * return its pid; -2 when init must be a clone instead (rt_init_exec). */
pid_t rt_init_spawn(struct rt_child *a, int own_sock, int flags);
/* Whether this process is that copy, started by rt_init_exec. */
bool rt_init_entered(void);
/* Pick up as init where the clone left off (never returns). */
__attribute__((noreturn)) void rt_init_enter(void);

#endif
