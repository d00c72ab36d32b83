// SPDX-License-Identifier: GPL-2.0-or-later
/* loopback.h: the loopback device of a new network namespace. */
#ifndef RT_LOOPBACK_H
#define RT_LOOPBACK_H

#include "err.h"

/* Set "lo" up in the current network namespace. */
int rt_loopback_up(struct dk_err *err);

#endif
