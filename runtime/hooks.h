// SPDX-License-Identifier: GPL-2.0-or-later
/* hooks.h: running the config's hooks with the state on stdin. */
#ifndef RT_HOOKS_H
#define RT_HOOKS_H

#include "spec.h"

/* Run the hooks of kind in order; the first failure stops them. */
int rt_hooks_run(const struct rt_spec *s, enum rt_hook_kind kind, const char *state_json,
		 struct dk_err *err);

#endif
