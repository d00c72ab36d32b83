// SPDX-License-Identifier: GPL-2.0-or-later
/* selfexe.h: re-executing the runtime from a sealed memfd copy of itself. */
#ifndef RT_SELFEXE_H
#define RT_SELFEXE_H

#include <stdbool.h>
#include "err.h"

/* Unless already running from a sealed copy, copy /proc/self/exe into a
 * memfd, seal it against writes and exec it with argv (never returns on
 * success). Returns 0 when running sealed, -1 with err otherwise. */
int rt_self_protect(char **argv, struct dk_err *err);

#endif
