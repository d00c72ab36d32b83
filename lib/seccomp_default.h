// SPDX-License-Identifier: GPL-2.0-or-later
/* seccomp_default.h: the default seccomp policy for containers, the same
 * policy as docker's default profile (an allow-list, everything else
 * fails with EPERM), kept as our own table and written as the OCI
 * linux.seccomp object for a given capability set. */
#ifndef DK_SECCOMP_DEFAULT_H
#define DK_SECCOMP_DEFAULT_H

#include <stddef.h>
#include "json.h"

/* Emit "seccomp": {...} for a container whose bounding set is caps (n
 * names "CAP_X"): rules that depend on a capability are included as
 * docker includes them. */
void dk_seccomp_default(struct dk_jgen *g, const char *const *caps, size_t n);

#endif
