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
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "copyexec.h"
#include "fmt.h"
#include "initexec.h"
#include "selfexe.h"
#include "sync.h"

#define INIT_ENV   "_DK_RUNTIME_INIT"
#define BUNDLE_ENV "_DK_RUNTIME_BUNDLE"

enum { F_NO_PIVOT = 1, F_NO_KEYRING = 2, F_NEW_USER = 4, F_ROOTLESS = 8 };

bool rt_init_entered(void)
{
	return getenv(INIT_ENV) != NULL;
}

/* The job that starts init from the copy; vars holds its variables. */
struct init_job {
	struct rt_copy_job job;
	char vars[2][4400];
};

static int init_job(struct init_job *j, const struct rt_child *a, int their_sock,
		    struct dk_err *err)
{
	static char *args[] = {"runtime", "init", NULL};
	unsigned flags = (a->no_pivot ? F_NO_PIVOT : 0) | (a->no_new_keyring ? F_NO_KEYRING : 0) |
			 (a->new_user ? F_NEW_USER : 0) | (a->rootless ? F_ROOTLESS : 0);
	int cfg = rt_copy_config(a->spec, err);

	if (cfg < 0)
		return -1;
	j->job = (struct rt_copy_job){.argv = args,
				      .var = {j->vars[0], j->vars[1], NULL},
				      .keep = {a->sync, a->fifo, a->console, a->listener, cfg, -1},
				      .theirs = their_sock,
				      .sync = a->sync};
	snprintf(j->vars[0], sizeof(j->vars[0]), INIT_ENV "=%d,%d,%d,%d,%d,%d,%u", a->sync, a->fifo,
		 a->console, a->listener, cfg, a->keep_fds, flags);
	if (dk_fmt(j->vars[1], sizeof(j->vars[1]), err, BUNDLE_ENV "=%s", a->bundle) < 0) {
		close(cfg);
		return -1;
	}
	return cfg;
}

pid_t rt_init_spawn(struct rt_child *a, int own_sock, int flags, struct dk_err *err)
{
	struct init_job j;
	int cfg;
	pid_t pid;

	if (!rt_copy_ready() || a->new_user)
		return -2;
	cfg = init_job(&j, a, own_sock, err);
	if (cfg < 0)
		return -1;
	pid = rt_copy_spawn(&j.job, flags);
	if (pid < 0)
		dk_err_sys(err, "cloning the container process");
	close(cfg);
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
	struct init_job j;

	if (!rt_copy_ready())
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if ((!a->new_user || become_root(a, &err) == 0) && init_job(&j, a, -1, &err) >= 0)
		rt_copy_exec(&j.job, &err);
	rt_sync_send_err(a->sync, 1, &err);
	_exit(1);
}

/* The child's state from the environment init_job set; false when it
 * does not parse. */
static bool from_env(struct rt_child *a, int *cfg, char *bundle, size_t size)
{
	const char *v = getenv(INIT_ENV), *b = getenv(BUNDLE_ENV);
	unsigned flags;

	if (!v || !b ||
	    sscanf(v, "%d,%d,%d,%d,%d,%d,%u", &a->sync, &a->fifo, &a->console, &a->listener, cfg,
		   &a->keep_fds, &flags) != 7 ||
	    strlen(b) >= size)
		return false;
	memcpy(bundle, b, strlen(b) + 1);
	a->no_pivot = flags & F_NO_PIVOT;
	a->no_new_keyring = flags & F_NO_KEYRING;
	a->new_user = flags & F_NEW_USER;
	a->rootless = flags & F_ROOTLESS;
	return true;
}

void rt_init_enter(void)
{
	static char bundle[4096];
	struct rt_child a = {.procfs = RT_PROCFS_NONE};
	struct dk_err err = {0};
	int cfg = -1;

	/* our maps are written: no /proc/PID/exe of ours for anyone */
	prctl(PR_SET_DUMPABLE, 0);
	if (!from_env(&a, &cfg, bundle, sizeof(bundle))) {
		fputs("runtime: init: bad " INIT_ENV "\n", stderr);
		_exit(1);
	}
	unsetenv(INIT_ENV);
	unsetenv(BUNDLE_ENV);
	int fds[] = {a.sync, a.fifo, a.console, a.listener, cfg};
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++)
		if (fds[i] >= 0)
			fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	if (rt_self_check(&err) < 0)
		goto fail;
	a.spec = rt_spec_load_fd(cfg, bundle, &err);
	close(cfg);
	if (!a.spec)
		goto fail;
	a.proc = &a.spec->proc;
	a.bundle = bundle;
	rt_init_main(&a);
fail:
	if (fcntl(a.sync, F_GETFD) < 0) /* started by hand: nobody to tell */
		fprintf(stderr, "runtime: init: %s\n", err.msg);
	rt_sync_send_err(a.sync, 1, &err);
	_exit(1);
}
