// SPDX-License-Identifier: GPL-2.0-or-later
/* seccomp.h: linux.seccomp, parsed to plain data and loaded with
 * libseccomp (only seccomp.c includes it). */
#ifndef RT_SECCOMP_H
#define RT_SECCOMP_H

#include "spec.h"

struct rt_seccomp *rt_seccomp_parse(const struct dk_json *v, struct dk_err *err);
void rt_seccomp_free(struct rt_seccomp *sc);

/* Check actions, architectures and operators (names resolved once, before
 * the container is made). */
int rt_seccomp_check(const struct rt_seccomp *sc, struct dk_err *err);

/* Load the filter into this process. A filter with SCMP_ACT_NOTIFY gives
 * the listener fd in *notify_fd (else -1). */
int rt_seccomp_load(const struct rt_seccomp *sc, int *notify_fd, struct dk_err *err);

/* listenerPath of the config, or NULL. */
const char *rt_seccomp_listener(const struct rt_seccomp *sc);
/* listenerMetadata, or "". */
const char *rt_seccomp_metadata(const struct rt_seccomp *sc);

#endif
