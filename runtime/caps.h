// SPDX-License-Identifier: GPL-2.0-or-later
/* caps.h: capabilities through libcap (only caps.c includes it). */
#ifndef RT_CAPS_H
#define RT_CAPS_H

#include <stdbool.h>
#include "spec.h"

/* Check every capability name of p: unknown ones (or ones this kernel does
 * not have) are ignored with a warning, as runc does; ones the runtime's
 * bounding set cannot grant are an error. */
int rt_caps_check(const struct rt_process *p, struct dk_err *err);

/* Drop what is not in the bounding set (needs CAP_SETPCAP, so before the
 * uid switch). */
int rt_caps_bounding(const struct rt_process *p, struct dk_err *err);

/* After the uid switch: effective, permitted, inheritable, then ambient. */
int rt_caps_apply(const struct rt_process *p, struct dk_err *err);

/* The names of all capabilities this kernel knows, NULL-terminated. */
char **rt_caps_all(void);
/* Whether p's bounding set holds the capability named name (libcap's
 * names: "CAP_SYS_ADMIN", "cap_sys_admin"). */
bool rt_caps_bounds(const struct rt_process *p, const char *name);

#endif
