// SPDX-License-Identifier: GPL-2.0-or-later
/* container.h: creating a container (the runtime side) and the container's
 * init (a clone of the runtime that sets itself up and waits for start). */
#ifndef RT_CONTAINER_H
#define RT_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>
#include "procfs.h"
#include "spec.h"
#include "state.h"

struct rt_create_opts {
	const char *root, *id, *bundle; /* bundle: absolute */
	const char *pid_file, *console_socket;
	int preserve_fds;
	bool no_pivot, no_new_keyring;
	bool foreground; /* run: keep the pty master here if no socket */
};

struct rt_container {
	struct rt_spec *spec;
	struct rt_state st;
	int dirfd;  /* locked state dir */
	int fifo;   /* exec.fifo, read end held by init */
	int master; /* pty master (foreground run) or -1 */
};

/* What the cloned child needs; filled by create.c. */
struct rt_child {
	const struct rt_spec *spec;
	const struct rt_process *proc;
	const char *bundle; /* absolute */
	int sync, fifo, console, listener;
	int keep_fds;
	bool no_pivot, no_new_keyring, new_user;
	bool rootless;		 /* unprivileged caller: setgroups is denied */
	bool in_cgroups;	 /* the runtime said we were moved into our cgroups */
	struct rt_procfs procfs; /* the runtime's /proc, opened first */
};

/* Create the container: on success it waits for start with state written;
 * on failure nothing is left and *status is the exit status to use. */
int rt_create(const struct rt_create_opts *o, struct rt_container *c, int *status,
	      struct dk_err *err);
void rt_container_close(struct rt_container *c);

/* Release init (the fifo), then run poststart hooks. */
int rt_start(struct rt_container *c, struct dk_err *err);

/* Remove a stopped container: cgroups, poststop hooks, state. With force a
 * live one is killed first. */
int rt_delete(const char *root, const char *id, bool force, struct dk_err *err);
/* The same with the config parsed at create (a foreground run): its
 * poststop hooks, not those of the bundle's config.json as it is now. */
int rt_delete_spec(const char *root, const char *id, bool force, const struct rt_spec *known,
		   struct dk_err *err);

/* The container's init: never returns. */
__attribute__((noreturn)) void rt_init_main(struct rt_child *a);

/* Files shared by create and exec. */
int rt_write_pid_file(const char *path, pid_t pid, struct dk_err *err);
int rt_write_idmaps(pid_t pid, const struct rt_spec *s, struct dk_err *err);
/* As root: one of pid's maps ("uid_map" or "gid_map"). */
int rt_write_map(pid_t pid, const char *file, const struct rt_idmap *m, size_t n,
		 struct dk_err *err);
int rt_join_ns(const struct rt_spec *s, bool user, struct dk_err *err);

#endif
