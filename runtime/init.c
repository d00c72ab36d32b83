// SPDX-License-Identifier: GPL-2.0-or-later
/* init.c: the container's init, a clone of the runtime. It sets up the
 * container's world, reports each failure over the sync socket, waits on
 * exec.fifo for start and then becomes the user's process. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "fs.h"
#include "hooks.h"
#include "loopback.h"
#include "mounts.h"
#include "path.h"
#include "process.h"
#include "procfs.h"
#include "rootfs.h"
#include "sync.h"
#include "terminal.h"

/* An empty name leaves the one the new UTS namespace copied, as runc
 * and crun do (sethostname("") would blank it). */
static int set_names(const struct rt_spec *s, struct dk_err *err)
{
	if (s->hostname && *s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return dk_err_sys(err, "setting hostname \"%s\"", s->hostname);
	if (s->domainname && *s->domainname &&
	    setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return dk_err_sys(err, "setting domainname \"%s\"", s->domainname);
	return 0;
}

static int make_cwd(int rootfd, const struct rt_process *p, struct dk_err *err)
{
	int fd = dk_path_mkdir_all(rootfd, p->cwd, 0755, err);

	if (fd < 0)
		return dk_err_wrap(err, "creating cwd \"%s\"", p->cwd);
	close(fd);
	return 0;
}

static bool has_cgroup_mount(const struct rt_spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++)
		if (s->mounts[i].type && !strcmp(s->mounts[i].type, "cgroup"))
			return true;
	return false;
}

/* The runtime moves us into our cgroups while we prepare the root (the
 * first cgroup.procs write waits for an RCU grace period: we overlap it),
 * then they become the root of a new cgroup namespace. */
static int join_cgroups(void *ctx, struct dk_err *err)
{
	struct rt_child *a = ctx;
	const struct rt_ns *cg = rt_spec_ns(a->spec, CLONE_NEWCGROUP);

	if (a->in_cgroups)
		return 0;
	a->in_cgroups = true;
	if (rt_sync_expect(a->sync, RT_MSG_CGROUPS, NULL, NULL, err) < 0)
		return -1;
	if (has_cgroup_mount(a->spec))
		rt_cgroup_snapshot();
	if (cg && !cg->path && unshare(CLONE_NEWCGROUP) < 0)
		return dk_err_sys(err, "creating the cgroup namespace");
	return 0;
}

static int run_create_hooks(struct rt_child *a, const char *state, struct dk_err *err)
{
	const struct rt_spec *s = a->spec;

	if (s->n_hooks[RT_HOOK_PRESTART] || s->n_hooks[RT_HOOK_CREATE_RUNTIME]) {
		if (rt_sync_send(a->sync, RT_MSG_HOOKS, NULL, -1, err) < 0 ||
		    rt_sync_expect(a->sync, RT_MSG_HOOKS_DONE, NULL, NULL, err) < 0)
			return -1;
	}
	return rt_hooks_run(s, RT_HOOK_CREATE_CONTAINER, state, err);
}

/* No mount namespace (the spec allows it): nothing is mounted, the root
 * is entered with chroot (rt_nomnt_check refused whatever would mount). */
static int setup_root_nomnt(struct rt_child *a, const char *state, struct dk_err *err)
{
	cleanup_close int rootfd = open(a->spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return dk_err_sys(err, "opening the rootfs %s", a->spec->root_path);
	if (make_cwd(rootfd, a->proc, err) < 0 || join_cgroups(a, err) < 0 ||
	    run_create_hooks(a, state, err) < 0 || rt_rootfs_chroot(rootfd, err) < 0)
		return -1;
	return rt_proc_sysctl(a->spec, &a->procfs, err);
}

/* Mounts, devices, hooks, pivot_root; leaves us in the new root. */
static int setup_root(struct rt_child *a, const char *state, struct dk_err *err)
{
	const struct rt_spec *s = a->spec;
	cleanup_close int rootfd = rt_rootfs_prepare(s, err);
	struct rt_mount_hook h = {join_cgroups, a};

	if (rootfd < 0)
		return -1;
	/* mounts go on while the runtime moves us into our cgroups; we wait
	 * for that before a cgroup mount, or at the end */
	int mounted = rt_mounts_setup(rootfd, s, &h, err);

	/* the bind sources' fds lead to the host: gone before anything of
	 * the container's can use them (CVE-2024-21626) */
	rt_mounts_close_sources(s);
	/* in a user namespace (new, or the runtime's own when rootless) no
	 * device node can be made: they are bound from the host */
	bool in_userns = a->new_user || dk_in_userns();
	if (mounted < 0 || rt_rootfs_devices(rootfd, s, in_userns, err) < 0 ||
	    make_cwd(rootfd, a->proc, err) < 0 || join_cgroups(a, err) < 0)
		return -1;
	if (run_create_hooks(a, state, err) < 0)
		return -1;
	if (rt_rootfs_pivot(rootfd, a->no_pivot, err) < 0)
		return -1;
	/* sysctls before readonlyPaths make /proc/sys read-only, as runc */
	if (rt_proc_sysctl(s, &a->procfs, err) < 0)
		return -1;
	if (rt_mounts_mask(s, err) < 0 || rt_rootfs_finish(s, err) < 0)
		return -1;
	return 0;
}

static int setup_tty(struct rt_child *a, struct dk_err *err)
{
	int master = rt_tty_setup(a->proc, err);
	int rc;

	if (master < 0)
		return -1;
	if (a->console >= 0) {
		rc = rt_send_fd(a->console, master, "console", err);
		close(a->console);
		a->console = -1;
	} else {
		rc = rt_sync_send(a->sync, RT_MSG_PTY, NULL, master, err);
	}
	close(master);
	return rc;
}

/* Our handles on the runtime's /proc lead outside the container: only
 * an LSM label, written just before exec, still needs one (self). */
static void keep_procfs_for_labels(struct rt_child *a)
{
	const struct rt_process *p = a->proc;

	dk_closep(&a->procfs.root);
	if (!(p->apparmor && *p->apparmor) && !(p->selinux && *p->selinux))
		dk_closep(&a->procfs.self);
}

static int setup(struct rt_child *a, char *state, size_t size, int *status, struct dk_err *err)
{
	struct rt_msg m;
	char path[4096];

	for (;;) {
		int fd;
		if (rt_sync_recv(a->sync, &m, &fd, err) < 0)
			return -1;
		if (m.type != RT_MSG_MOUNTFD)
			break;
		/* our copy of the spec: the mount gets the fd */
		size_t i = strtoul(m.text, NULL, 10);
		if (i < a->spec->n_mounts && a->spec->mounts[i].src_fd < 0)
			((struct rt_mount *)&a->spec->mounts[i])->src_fd = fd;
		else if (fd >= 0)
			close(fd);
	}
	if (m.type != RT_MSG_GO)
		return dk_err_set(err, "sync: unexpected message %d", m.type);
	snprintf(state, size, "%s", m.text);
	/* id maps are written: from now on no /proc/1/exe for the container */
	prctl(PR_SET_DUMPABLE, 0);
	if (a->new_user && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return dk_err_sys(err, "becoming root in the user namespace");
	if (rt_join_ns(a->spec, false, err) < 0)
		return -1;
	if (!a->no_new_keyring && syscall(SYS_keyctl, 1 /* JOIN_SESSION */, NULL) < 0 &&
	    errno != ENOSYS && errno != EPERM)
		return dk_err_sys(err, "creating a session keyring");
	if (set_names(a->spec, err) < 0)
		return -1;
	/* a namespace we made (not one joined by path) has lo down */
	const struct rt_ns *net = rt_spec_ns(a->spec, CLONE_NEWNET);
	if (net && !net->path && rt_loopback_up(err) < 0)
		return -1;
	if ((rt_spec_ns(a->spec, CLONE_NEWNS) ? setup_root(a, state, err)
					      : setup_root_nomnt(a, state, err)) < 0)
		return -1;
	if (a->proc->terminal && setup_tty(a, err) < 0)
		return -1;
	if (rt_proc_limits(a->proc, &a->procfs, err) < 0 ||
	    rt_personality_apply(a->spec->personality, err) < 0)
		return -1;
	keep_procfs_for_labels(a);
	return rt_proc_find(a->proc, path, sizeof(path), status, err);
}

static int wait_start(int fifo, struct dk_err *err)
{
	char c;
	ssize_t n;

	do
		n = read(fifo, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return dk_err_sys(err, "waiting for start");
	close(fifo);
	return 0;
}

void rt_init_main(struct rt_child *a)
{
	static char state[DK_ERR_MSG_MAX];
	struct dk_err err = {0};
	int status = 1;
	struct rt_exec_ctx x = {.proc = a->proc,
				.seccomp = a->spec->seccomp,
				.keep_fds = a->keep_fds,
				.listener = a->listener,
				.state_json = state,
				.setgroups = !a->rootless,
				.procfs = &a->procfs};

	int mine[] = {a->sync, a->fifo, a->console, a->listener};

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setsid(); /* as runc's init: no signal to the caller's group reaches us */
	/* the runtime's /proc, before anything of the container's is mounted */
	if (rt_close_fds(a->keep_fds, mine, 4, &err) < 0 || rt_procfs_open(&a->procfs, &err) < 0 ||
	    setup(a, state, sizeof(state), &status, &err) < 0) {
		rt_sync_send_err(a->sync, status, &err);
		_exit(status);
	}
	prctl(PR_SET_PDEATHSIG, 0);
	if (rt_sync_send(a->sync, RT_MSG_READY, NULL, -1, &err) < 0)
		_exit(1);
	close(a->sync);
	if (wait_start(a->fifo, &err) < 0)
		_exit(1);
	if (rt_hooks_run(a->spec, RT_HOOK_START_CONTAINER, state, &err) == 0)
		rt_proc_exec(&x, &status, &err);
	fprintf(stderr, "runtime: %s\n", err.msg);
	_exit(status);
}
