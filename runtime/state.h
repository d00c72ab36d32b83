// SPDX-License-Identifier: GPL-2.0-or-later
/* state.h: the per-container state directory (<root>/<id>): state.json,
 * the exec.fifo that holds init until start, and the flock on the
 * directory that serialises commands on one container. */
#ifndef RT_STATE_H
#define RT_STATE_H

#include <stdbool.h>
#include <sys/types.h>
#include "err.h"
#include "json.h"

#define RT_FIFO "exec.fifo"

struct rt_state {
	char *id;
	pid_t pid;
	unsigned long long start_time; /* of pid, against pid reuse */
	char *bundle, *rootfs, *created;
	char **cgroups; /* "ctrls:dir" entries */
	bool paused;
	uid_t owner;
	struct dk_json *doc; /* state.json as read */
	const struct dk_json *annotations;
};

/* The state root: opt, else /run/dk-runtime (root) or
 * $XDG_RUNTIME_DIR/dk-runtime. malloc'd. */
char *rt_state_root(const char *opt);

/* Check an id: [A-Za-z0-9_.+-], not "." or "..". */
int rt_id_check(const char *id, struct dk_err *err);

/* Make <root>/<id> (an existing one is an error) and return a locked
 * O_DIRECTORY fd. */
int rt_state_create(const char *root, const char *id, struct dk_err *err);
/* Open and lock an existing container's directory. */
int rt_state_open(const char *root, const char *id, struct dk_err *err);
/* Remove <root>/<id>. */
int rt_state_remove(const char *root, const char *id, struct dk_err *err);

/* Replace name in dirfd atomically (temp file + rename; no fsync: the
 * state lives in a tmpfs and describes processes that die with the box). */
int rt_write_atomic(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
		    struct dk_err *err);

int rt_state_write(int dirfd, const struct rt_state *st, struct dk_err *err);
int rt_state_read(int dirfd, struct rt_state *st, struct dk_err *err);
void rt_state_clear(struct rt_state *st);

/* "created", "running", "paused" or "stopped". */
const char *rt_state_status(int dirfd, const struct rt_state *st);

/* The runtime-spec state document for st with status. */
void rt_state_gen(struct dk_jgen *g, const struct rt_state *st, const char *status);
/* Same as a malloc'd string (hooks get it on stdin). */
char *rt_state_json(const struct rt_state *st, const char *status);

/* Start time (clock ticks since boot) of pid, 0 if it is gone. */
unsigned long long rt_proc_start_time(pid_t pid);

#endif
