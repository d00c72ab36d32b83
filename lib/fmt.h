// SPDX-License-Identifier: GPL-2.0-or-later
/* fmt.h: formatting a name or path into a fixed buffer, checked. A path
 * cut short is a different path, so a result that does not fit is an
 * error that says so, never a shorter string. */
#ifndef DK_FMT_H
#define DK_FMT_H

#include <stddef.h>
#include "err.h"

/* snprintf into buf; -1 with "path too long" (naming the start of it)
 * when the result needs size bytes or more. */
int dk_fmt(char *buf, size_t size, struct dk_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
