// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup.h: cgroups v1, v2 and hybrid, detected at run time; each
 * controller is driven through whichever hierarchy holds it. */
#ifndef RT_CGROUP_H
#define RT_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>
#include "spec.h"

/* linux.resources -> a list of settings (a missing v gives an empty one). */
struct rt_resources *rt_resources_parse(const struct dk_json *v, struct dk_err *err);
void rt_resources_free(struct rt_resources *r);

/* Create the container's cgroup in every hierarchy, apply the resources
 * and move pid in. *paths gets the directories made (NULL-terminated, for
 * the state file). */
int rt_cgroup_create(const struct rt_spec *s, const char *id, pid_t pid, char ***paths,
		     struct dk_err *err);
/* Move pid into the cgroups listed in paths (exec), or into sub-cgroups
 * of them given by specs ("[ctrl[,ctrl...]:]path", exec --cgroup; NULL
 * for none). */
int rt_cgroup_enter(char *const *paths, char *const *specs, pid_t pid, struct dk_err *err);
/* Make the cgroups of paths that were left unmade until resources r
 * need them (the v1 cpuset one, cgroup_cpuset.c), move the container's
 * processes in and, when init (pid; 0: not running) lives, show the new
 * cgroup at its cgroup mount (cgroup_view.c); *changed: paths changed
 * (write the state). */
int rt_cgroup_realize(char **paths, const struct rt_resources *r, pid_t pid, bool *changed,
		      struct dk_err *err);
/* Apply resources to existing cgroups (update). */
int rt_cgroup_update(char *const *paths, const struct rt_resources *r, struct dk_err *err);
/* Remove the directories (killing what is left when kill is true). */
int rt_cgroup_destroy(char *const *paths, bool kill, struct dk_err *err);
/* Pids of the cgroup (from the first hierarchy that lists them). */
int rt_cgroup_pids(char *const *paths, pid_t **pids, size_t *n, struct dk_err *err);
/* Freeze or thaw (v1 freezer or v2 cgroup.freeze). */
int rt_cgroup_freeze(char *const *paths, bool freeze, struct dk_err *err);
/* One stats sample as JSON into g (events --stats). */
struct dk_jgen;
void rt_cgroup_stats(char *const *paths, struct dk_jgen *g);

/* The directory of paths that holds controller ctrl: its v1 hierarchy's,
 * else the cgroup2 one (*v2 true); NULL if none. */
const char *rt_cgroup_dir(char *const *paths, const char *ctrl, bool *v2);

/* Record the cgroup hierarchies (init, before unsharing its cgroup
 * namespace) for rt_cgroup_mount. */
void rt_cgroup_snapshot(void);

/* Mount a "cgroup" mount on fd, the O_PATH fd of dest inside rootfd. */
int rt_cgroup_mount(int rootfd, int fd, const char *dest, unsigned long flags, bool cgns,
		    struct dk_err *err);

#endif
