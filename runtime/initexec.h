// SPDX-License-Identifier: GPL-2.0-or-later
/* initexec.h: init starts from the protected copy of the runtime. */
#ifndef RT_INITEXEC_H
#define RT_INITEXEC_H

#include <stdbool.h>
#include "container.h"

/* In init right after the clone: exec the copy (never returns then; a
 * failure is reported over the sync socket). Returns when there is no
 * copy to exec. */
void rt_init_exec(struct rt_child *a);
/* As root without a new user namespace: start init with clone flags
 * (sharing our memory until it has exec'd the copy, vfork-style) and
 * return its pid (-1 with err); -2 when init must be a clone instead
 * (rt_init_exec). */
pid_t rt_init_spawn(struct rt_child *a, int own_sock, int flags, struct dk_err *err);
/* Whether this process is that copy, started by rt_init_exec. */
bool rt_init_entered(void);
/* Pick up as init where the clone left off (never returns). */
__attribute__((noreturn)) void rt_init_enter(void);

#endif
