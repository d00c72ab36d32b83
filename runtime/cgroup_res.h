// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_res.h: linux.resources as a list of cgroup file writes, with the
 * v1 and the v2 form of each; cgroup.c picks the one whose hierarchy holds
 * the controller. */
#ifndef RT_CGROUP_RES_H
#define RT_CGROUP_RES_H

#include <stdbool.h>
#include <stddef.h>

/* v2file of the device rules: not a file, an eBPF program (v2val: rules) */
#define RT_DEVICES_BPF "<devices eBPF>"

struct rt_cg_set {
	const char *what;     /* "memory.limit" for messages */
	const char *ctrl;     /* controller name; "" for cgroup2-only keys */
	char *v1file, *v1val; /* NULL: no v1 form */
	char *v2file, *v2val; /* NULL: no v2 form */
	bool optional;	      /* a missing file is fine (kernel dropped it) */
};

struct rt_resources {
	struct rt_cg_set *set;
	size_t n;
};

#endif
