// SPDX-License-Identifier: GPL-2.0-or-later
/* idmount.h: idmapped bind mounts (see idmount.c). */
#ifndef RT_IDMOUNT_H
#define RT_IDMOUNT_H

#include "spec.h"

/* In the runtime (host user namespace, cwd the bundle): a detached,
 * idmapped copy of m's source tree, as an fd. */
int rt_idmount_open(const struct rt_mount *m, struct dk_err *err);

/* In init: attach the tree from rt_idmount_open on target (an O_PATH fd). */
int rt_idmount_attach(int tree, int target, struct dk_err *err);

#endif
