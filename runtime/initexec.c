// SPDX-License-Identifier: GPL-2.0-or-later
/* initexec.c: init execs the protected copy of the runtime, not the
 * runtime (CVE-2019-5736, see selfexe.c). As root, create and run no
 * longer re-execute themselves before they start: the exec moves into
 * init, right after the clone, where it runs while the runtime makes the
 * container's cgroups (a wait init had anyway), as runc's "runc init".
 *
 * The runtime stays on our own binary, so it is not dumpable from its
 * first instruction: no process of a container that shares its pid
 * namespace may open /proc/PID/exe of it, and init, its clone, inherits
 * that until it has exec'd the copy. The copy picks up where the clone
 * left off: the config's text comes in a memfd (the spec the runtime
 * parsed, not the file again), the descriptors and flags in the
 * environment. In a new user namespace init first waits for its id maps
 * and becomes root there, or the exec would drop its capabilities.
 * Rootless callers and exec keep the runtime's own re-exec. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fs.h"
#include "initexec.h"
#include "selfexe.h"
#include "sync.h"

#define INIT_ENV   "_DK_RUNTIME_INIT"
#define BUNDLE_ENV "_DK_RUNTIME_BUNDLE"

enum { F_NO_PIVOT = 1, F_NO_KEYRING = 2, F_NEW_USER = 4, F_ROOTLESS = 8 };

extern char **environ;

/* The protected copy init execs; -1: init stays a clone of ours. */
static int copy_fd = -1;

int rt_init_prepare(struct dk_err *err)
{
	if (geteuid() != 0 || dk_in_userns())
		return 0;
	/* before anything of a container can see us */
	prctl(PR_SET_DUMPABLE, 0);
	return rt_self_copy(&copy_fd, err);
}

bool rt_init_execs(void)
{
	return copy_fd >= 0;
}

bool rt_init_entered(void)
{
	return getenv(INIT_ENV) != NULL;
}

/* The config's text in a memfd, at offset 0. */
static int config_memfd(const struct rt_spec *s, struct dk_err *err)
{
	int fd = memfd_create("config.json", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return dk_err_sys(err, "init: memfd for the config");
	while (off < s->text_len) {
		ssize_t n = write(fd, s->text + off, s->text_len - off);
		if (n <= 0) {
			close(fd);
			return dk_err_sys(err, "init: writing the config");
		}
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return dk_err_sys(err, "init: rewinding the config");
	}
	return fd;
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

static void keep_across_exec(const int *fds, size_t n, bool keep)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			fcntl(fds[i], F_SETFD, keep ? 0 : FD_CLOEXEC);
}

/* environ and our two variables into env (room for n entries); false
 * when they do not fit. Built aside, not with setenv: when spawned, init
 * shares our memory until it execs. */
static bool init_environ(const struct rt_child *a, int cfg, char **env, size_t n, char *vars,
			 size_t size)
{
	unsigned flags = (a->no_pivot ? F_NO_PIVOT : 0) | (a->no_new_keyring ? F_NO_KEYRING : 0) |
			 (a->new_user ? F_NEW_USER : 0) | (a->rootless ? F_ROOTLESS : 0);
	size_t k = 0;
	int len = snprintf(vars, size, INIT_ENV "=%d,%d,%d,%d,%d,%d,%u", a->sync, a->fifo,
			   a->console, a->listener, cfg, a->keep_fds, flags);

	if (len < 0 || (size_t)len + 1 >= size)
		return false;
	int blen = snprintf(vars + len + 1, size - (size_t)len - 1, BUNDLE_ENV "=%s", a->bundle);
	if (blen < 0 || (size_t)blen >= size - (size_t)len - 1)
		return false;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, INIT_ENV "=", sizeof(INIT_ENV)) &&
		    strncmp(*e, BUNDLE_ENV "=", sizeof(BUNDLE_ENV))) {
			if (k + 3 > n)
				return false;
			env[k++] = *e;
		}
	env[k++] = vars;
	env[k++] = vars + len + 1;
	env[k] = NULL;
	return true;
}

/* Exec the copy as init: the config in a memfd, our descriptors kept
 * open across the exec; returns only on failure (err set). */
static void exec_copy(struct rt_child *a, struct dk_err *err)
{
	static char *env[4096];
	static char vars[4352];
	char *args[] = {"runtime", "init", NULL};
	int cfg = config_memfd(a->spec, err);

	if (cfg < 0)
		return;
	int fds[] = {a->sync, a->fifo, a->console, a->listener, cfg};
	keep_across_exec(fds, sizeof(fds) / sizeof(*fds), true);
	if (!init_environ(a, cfg, env, sizeof(env) / sizeof(*env), vars, sizeof(vars))) {
		dk_err_set(err, "init: the environment is too large");
		return;
	}
	syscall(SYS_execveat, copy_fd, "", args, env, AT_EMPTY_PATH);
	dk_err_sys(err, "init: executing the protected copy of the runtime");
}

void rt_init_exec(struct rt_child *a)
{
	struct dk_err err = {0};

	if (copy_fd < 0)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!a->new_user || become_root(a, &err) == 0)
		exec_copy(a, &err);
	rt_sync_send_err(a->sync, 1, &err);
	_exit(1);
}

struct spawning {
	struct rt_child *a;
	int theirs; /* our end of the sync socket: not init's */
};

static int spawned(void *arg)
{
	struct spawning *sp = arg;
	struct dk_err err = {0};

	close(sp->theirs);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	exec_copy(sp->a, &err);
	rt_sync_send_err(sp->a->sync, 1, &err);
	return 1;
}

pid_t rt_init_spawn(struct rt_child *a, int own_sock, int flags)
{
	static char stack[64 << 10] __attribute__((aligned(16)));
	struct spawning sp = {a, own_sock};

	/* sharing our memory until it execs, init costs no copy of it; in a
	 * new user namespace it must wait for its maps first: a clone then */
	if (copy_fd < 0 || a->new_user)
		return -2;
	return clone(spawned, stack + sizeof(stack), flags | CLONE_VM | CLONE_VFORK | SIGCHLD, &sp);
}

/* The child's state from the environment rt_init_exec set; false when it
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
	keep_across_exec(fds, sizeof(fds) / sizeof(*fds), false);
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
