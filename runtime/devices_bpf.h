// SPDX-License-Identifier: GPL-2.0-or-later
/* devices_bpf.h: linux.resources.devices on cgroup v2, as an eBPF
 * BPF_PROG_TYPE_CGROUP_DEVICE program attached to the container's cgroup. */
#ifndef RT_DEVICES_BPF_H
#define RT_DEVICES_BPF_H

#include "err.h"

/* rules: one per line, "A|D TYPE MAJOR MINOR ACCESS" (TYPE a, b or c;
 * -1 for any number; ACCESS of r, w, m), in config order: the last rule
 * that matches decides, nothing matching is denied. */
int rt_devices_bpf(const char *cgroup_dir, const char *rules, struct dk_err *err);

#endif
