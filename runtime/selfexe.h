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

/* For init to exec (initexec.c): *copy gets a descriptor of a protected
 * copy of our binary, -1 when we already run from a sealed one. */
int rt_self_copy(int *copy, struct dk_err *err);
/* 0 when we run from a copy nothing can write (a read-only mount or a
 * sealed memfd), -1 with err otherwise. */
int rt_self_check(struct dk_err *err);

#endif
