// SPDX-License-Identifier: GPL-2.0-or-later
/* initexec.c: init starts from the protected copy of the runtime
 * (copyexec.c) as "runtime init" and picks up where the runtime's clone
 * would have gone on: the config's text comes in a memfd (what the
 * runtime parsed, not the file again), the descriptors and flags in the
 * environment. In a new user namespace init is a clone instead, which
 * waits for its id maps and becomes root there before the exec, or the
 * exec would drop its capabilities. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "copyexec.h"
#include "initexec.h"
#include "sync.h"

#define INIT_ENV "_DK_RUNTIME_INIT"

enum { F_NO_PIVOT = 1, F_NO_KEYRING = 2, F_NEW_USER = 4, F_ROOTLESS = 8 };

bool rt_init_entered(void)
{
	return getenv(INIT_ENV) != NULL;
}

/* The job that starts init from the copy. */
static int init_job(struct rt_copy_job *j, const struct rt_child *a, int their_sock,
		    struct dk_err *err)
{
	static char *args[] = {"runtime", "init", NULL};
	int fds[] = {a->sync, a->fifo, a->console, a->listener};
	int nums[] = {a->keep_fds,
		      (a->no_pivot ? F_NO_PIVOT : 0) | (a->no_new_keyring ? F_NO_KEYRING : 0) |
			  (a->new_user ? F_NEW_USER : 0) | (a->rootless ? F_ROOTLESS : 0)};

	j->argv = args;
	j->theirs = their_sock;
	return rt_copy_job_init(j, INIT_ENV, fds, 4, nums, 2, a->spec, a->bundle, err);
}

pid_t rt_init_spawn(struct rt_child *a, int own_sock, int flags, struct dk_err *err)
{
	struct rt_copy_job j;
	pid_t pid = -1;

	if (!rt_copy_ready() || a->new_user)
		return -2;
	if (init_job(&j, a, own_sock, err) == 0) {
		pid = rt_copy_spawn(&j, flags);
		if (pid < 0)
			dk_err_sys(err, "cloning the container process");
	}
	rt_copy_job_done(&j);
	return pid;
}

/* In a new user namespace: wait for the maps, become root there. */
static int become_root(struct rt_child *a, struct dk_err *err)
{
	if (rt_sync_expect(a->sync, RT_MSG_MAPPED, NULL, NULL, err) < 0)
		return -1;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return dk_err_sys(err, "becoming root in the user namespace");
	return 0;
}

void rt_init_exec(struct rt_child *a)
{
	struct dk_err err = {0};
	struct rt_copy_job j;

	if (!rt_copy_ready())
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if ((!a->new_user || become_root(a, &err) == 0) && init_job(&j, a, -1, &err) == 0)
		rt_copy_exec(&j, &err);
	rt_sync_send_err(a->sync, 1, &err);
	_exit(1);
}

void rt_init_enter(void)
{
	static char bundle[4096];
	struct rt_child a = {.procfs = RT_PROCFS_NONE};
	struct dk_err err = {0};
	int fds[4], nums[2], cfg;

	/* our maps are written: no /proc/PID/exe of ours for anyone */
	prctl(PR_SET_DUMPABLE, 0);
	if (!rt_copy_args(INIT_ENV, fds, 4, &cfg, nums, 2, bundle, sizeof(bundle))) {
		fputs("runtime: init: bad " INIT_ENV "\n", stderr);
		_exit(1);
	}
	a.sync = fds[0], a.fifo = fds[1], a.console = fds[2], a.listener = fds[3];
	a.keep_fds = nums[0];
	a.no_pivot = nums[1] & F_NO_PIVOT;
	a.no_new_keyring = nums[1] & F_NO_KEYRING;
	a.new_user = nums[1] & F_NEW_USER;
	a.rootless = nums[1] & F_ROOTLESS;
	a.spec = rt_copy_spec(cfg, bundle, &err);
	if (a.spec) {
		a.proc = &a.spec->proc;
		a.bundle = bundle;
		rt_init_main(&a);
	}
	rt_copy_fail(a.sync, 1, "init", &err);
}
