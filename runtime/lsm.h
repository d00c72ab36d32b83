// SPDX-License-Identifier: GPL-2.0-or-later
/* lsm.h: AppArmor profiles and SELinux labels for the container process. */
#ifndef RT_LSM_H
#define RT_LSM_H

#include "procfs.h"
#include "spec.h"

/* Refuse a profile or label the host cannot apply. */
int rt_lsm_check(const struct rt_process *p, struct dk_err *err);

/* Ask for the profile and label on the next execve. */
int rt_lsm_apply(const struct rt_process *p, const struct rt_procfs *pfs, struct dk_err *err);

#endif
