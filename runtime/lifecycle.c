// SPDX-License-Identifier: GPL-2.0-or-later
/* lifecycle.c: start and delete. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "hooks.h"

int rt_start(struct rt_container *c, struct dk_err *err)
{
	const char *status = rt_state_status(c->dirfd, &c->st);
	cleanup_close int fd = -1;
	cleanup_free char *state = NULL;
	struct dk_err e;

	if (strcmp(status, "created") != 0)
		return dk_err_set(err, "container \"%s\" is %s, not created", c->st.id, status);
	fd = openat(c->dirfd, RT_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "container \"%s\": opening %s", c->st.id, RT_FIFO);
	if (write(fd, "0", 1) != 1)
		return dk_err_sys(err, "container \"%s\": releasing init", c->st.id);
	unlinkat(c->dirfd, RT_FIFO, 0);
	if (!c->spec)
		c->spec = rt_spec_load(c->st.bundle, &e);
	if (c->spec && c->spec->n_hooks[RT_HOOK_POSTSTART]) {
		state = rt_state_json(&c->st, "running");
		/* as runc: a failed poststart hook fails start and stops the
		 * container (delete then removes it) */
		if (rt_hooks_run(c->spec, RT_HOOK_POSTSTART, state, err) < 0) {
			kill(c->st.pid, SIGKILL);
			return -1;
		}
	}
	return 0;
}

static int kill_and_wait(const struct rt_state *st, struct dk_err *err)
{
	kill(st->pid, SIGKILL);
	for (int i = 0; i < 2000; i++) {
		if (rt_proc_start_time(st->pid) != st->start_time)
			return 0;
		usleep(1000);
	}
	return dk_err_set(err, "container \"%s\": init %d did not die", st->id, st->pid);
}

int rt_delete(const char *root, const char *id, bool force, struct dk_err *err)
{
	return rt_delete_spec(root, id, force, NULL, err);
}

int rt_delete_spec(const char *root, const char *id, bool force, const struct rt_spec *known,
		   struct dk_err *err)
{
	cleanup_close int dirfd = rt_state_open(root, id, err);
	struct rt_state st;
	const char *status;
	struct rt_spec *loaded = NULL;
	const struct rt_spec *spec = known;
	struct dk_err e;
	int rc = 0;

	if (dirfd < 0)
		return -1;
	if (rt_state_read(dirfd, &st, err) < 0)
		return dk_err_wrap(err, "container \"%s\"", id);
	status = rt_state_status(dirfd, &st);
	if (strcmp(status, "stopped") != 0) {
		if (!force) {
			rt_state_clear(&st);
			return dk_err_set(err,
					  "cannot delete container \"%s\" that is not stopped: %s",
					  id, status);
		}
		if (!strcmp(status, "paused"))
			rt_cgroup_freeze(st.cgroups, false, &e);
		if (kill_and_wait(&st, err) < 0) {
			rt_state_clear(&st);
			return -1;
		}
	}
	if (rt_cgroup_destroy(st.cgroups, true, err) < 0)
		rc = -1;
	if (!spec)
		spec = loaded = rt_spec_load(st.bundle, &e);
	if (spec && spec->n_hooks[RT_HOOK_POSTSTOP]) {
		cleanup_free char *state = rt_state_json(&st, "stopped");
		if (rt_hooks_run(spec, RT_HOOK_POSTSTOP, state, &e) < 0)
			dk_err_print("runtime: warning", &e);
	}
	rt_spec_free(loaded);
	rt_state_clear(&st);
	if (rt_state_remove(root, id, rc < 0 ? &e : err) < 0 && rc == 0)
		rc = -1;
	return rc;
}
