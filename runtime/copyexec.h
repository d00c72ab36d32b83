// SPDX-License-Identifier: GPL-2.0-or-later
/* copyexec.h: starting container processes from the protected copy of the
 * runtime (selfexe.c) instead of re-executing the runtime: the copy, a
 * vfork-style start and what crosses the exec. */
#ifndef RT_COPYEXEC_H
#define RT_COPYEXEC_H

#include <stdbool.h>
#include <sys/types.h>
#include "err.h"
#include "spec.h"

/* create, run, exec: as root outside a user namespace, stop being
 * dumpable and make the protected copy. Does nothing (0) otherwise: the
 * runtime then re-executes itself (rt_self_protect). */
int rt_copy_prepare(struct dk_err *err);
/* Whether rt_copy_prepare made a copy to start processes from. */
bool rt_copy_ready(void);

#define RT_COPY_MAX 8

/* What the copy gets: arguments, and in one environment variable the
 * descriptors it keeps, the config's memfd and a few plain numbers; the
 * bundle in another. */
struct rt_copy_job {
	char **argv;
	int keep[RT_COPY_MAX]; /* kept open across the exec, -1 unused */
	int cfg;	       /* the config's text (a memfd) */
	int theirs;	       /* ours only (our end of the sync socket): closed */
	int sync;	       /* an error before the exec is sent here */
	char vars[2][4400];    /* "NAME=fds,...,cfg,nums,...", the bundle */
};

/* Fill job: fds (n_fds, the first the sync socket) and nums (n_nums) in
 * variable name, the config of s in a memfd. */
int rt_copy_job_init(struct rt_copy_job *job, const char *name, const int *fds, size_t n_fds,
		     const int *nums, size_t n_nums, const struct rt_spec *s, const char *bundle,
		     struct dk_err *err);
void rt_copy_job_done(struct rt_copy_job *job);
/* Start the copy with clone flags, sharing our memory until it has
 * exec'd (vfork-style: no copy of it is made or torn down); its pid. */
pid_t rt_copy_spawn(const struct rt_copy_job *job, int flags);
/* In a child of ours: exec the copy; returns only on failure. */
void rt_copy_exec(const struct rt_copy_job *job, struct dk_err *err);

/* In the copy: what the job passed in name (n_fds descriptors, which
 * close on exec again, the config's, n_nums numbers) and the bundle;
 * both variables are removed. False when they do not parse. */
bool rt_copy_args(const char *name, int *fds, size_t n_fds, int *cfg, int *nums, size_t n_nums,
		  char *bundle, size_t size);
/* Then the spec from the config's memfd (closed), once we know that we
 * run from the protected copy; NULL with err. */
struct rt_spec *rt_copy_spec(int cfg, const char *bundle, struct dk_err *err);
/* The copy failed before it could go on: tell the runtime over sync, or
 * stderr (naming who, if not NULL) when there is none (started by hand),
 * and exit with status. */
__attribute__((noreturn)) void rt_copy_fail(int sync, int status, const char *who,
					    const struct dk_err *err);

#endif
