// SPDX-License-Identifier: GPL-2.0-or-later
/* filterspec.h: docker's --filter KEY=VALUE for listing commands. */
#ifndef DK_FILTERSPEC_H
#define DK_FILTERSPEC_H

#include "err.h"

/* The index of spec's KEY in keys (NULL-terminated) with *value after the
 * "="; with docker's message in err, -1 for a spec without "=" ("bad
 * format of filter (expected name=value): ...", a usage error) and -2 for
 * a key not in keys ("invalid filter 'KEY'", the daemon's error). */
int dk_filter_parse(const char *spec, const char *const *keys, const char **value,
		    struct dk_err *err);

#endif
