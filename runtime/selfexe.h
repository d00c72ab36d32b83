// SPDX-License-Identifier: GPL-2.0-or-later
/* selfexe.h: re-executing the runtime from a copy nothing can write. */
#ifndef RT_SELFEXE_H
#define RT_SELFEXE_H

#include <stdbool.h>
#include "err.h"

/* Unless already running from a file nothing can write, exec argv from a
 * read-only bind mount of /proc/self/exe or a sealed memfd copy (never returns on
 * success). Returns 0 when running protected, -1 with err otherwise. */
int rt_self_protect(char **argv, struct dk_err *err);

#endif
