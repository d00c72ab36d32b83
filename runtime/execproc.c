// SPDX-License-Identifier: GPL-2.0-or-later
/* execproc.c: exec's process: started in the container's pid namespace
 * (from the protected copy as root, copyexec.c), it joins the container's
 * other namespaces and root while the runtime moves it into the cgroups,
 * then execs the program with the config's capabilities, seccomp filter
 * and no_new_privs. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "copyexec.h"
#include "execproc.h"
#include "process.h"
#include "procfs.h"
#include "sidestep.h"
#include "sync.h"
#include "terminal.h"

static int ns_flags(const struct rt_spec *s, bool pid)
{
	int f = 0;

	for (size_t i = 0; i < s->n_ns; i++)
		if ((s->ns[i].type == CLONE_NEWPID || s->ns[i].type == CLONE_NEWTIME) == pid)
			f |= s->ns[i].type;
	return f;
}

static int enter_root(int root, struct dk_err *err)
{
	if (root < 0)
		return 0;
	if (fchdir(root) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return dk_err_sys(err, "entering the container's root");
	return 0;
}

void rt_exec_child_main(struct rt_exec_child *c)
{
	struct dk_err err = {0};
	struct rt_msg m;
	int status = 1;
	struct rt_exec_ctx x = {.proc = &c->s->proc,
				.seccomp = c->s->seccomp,
				.keep_fds = c->keep,
				.listener = -1,
				.setgroups = true};

	int mine[] = {c->sync, c->pidfd, c->console, c->root};
	struct rt_procfs pfs = RT_PROCFS_NONE;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_DUMPABLE, 0);
	if (rt_close_fds(c->keep, mine, 4, &err) < 0)
		goto fail;
	if (rt_sync_recv(c->sync, &m, NULL, &err) < 0)
		_exit(1);
	/* our own /proc, before the container's mounts are what "/proc" is */
	if (rt_procfs_open(&pfs, &err) < 0)
		goto fail;
	x.procfs = &pfs;
	if (setns(c->pidfd, ns_flags(c->s, false)) < 0) {
		dk_err_sys(&err, "joining the container's namespaces");
		goto fail;
	}
	if (enter_root(c->root, &err) < 0)
		goto fail;
	if (c->s->proc.terminal) {
		int master = rt_tty_setup(&c->s->proc, &err);
		if (master < 0)
			goto fail;
		if (c->console >= 0 ? rt_send_fd(c->console, master, "console", &err)
				    : rt_sync_send(c->sync, RT_MSG_PTY, NULL, master, &err))
			goto fail;
		close(master);
	}
	if (rt_proc_limits(&c->s->proc, &pfs, &err) < 0 ||
	    rt_personality_apply(c->s->personality, &err) < 0)
		goto fail;
	/* the runtime moved us into the container's cgroups meanwhile (the
	 * first cgroup.procs write waits for an RCU grace period) */
	if (rt_sync_expect(c->sync, RT_MSG_CGROUPS, NULL, NULL, &err) < 0)
		_exit(1);
	prctl(PR_SET_PDEATHSIG, 0); /* -d: we outlive the runtime */
	rt_proc_exec(&x, &status, &err);
fail:
	rt_sync_send_err(c->sync, status, &err);
	_exit(status);
}

bool rt_exec_entered(void)
{
	return getenv(RT_EXEC_ENV) != NULL;
}

/* As root the child starts from the protected copy (copyexec.c), with our
 * own arguments again; the config's text and its descriptors cross the
 * exec (exec_enter). */
static pid_t spawn_child(struct rt_exec_child *ec, int own_sock, const char *bundle,
			 struct dk_err *err)
{
	struct rt_copy_job job = {.argv = rt_g.argv, .theirs = own_sock};
	int fds[] = {ec->sync, ec->pidfd, ec->console, ec->root};
	pid_t pid = -1;

	if (rt_copy_job_init(&job, RT_EXEC_ENV, fds, 4, NULL, 0, ec->s, bundle, err) == 0) {
		pid = rt_copy_spawn(&job, 0);
		if (pid < 0)
			dk_err_sys(err, "clone");
	}
	rt_copy_job_done(&job);
	return pid;
}

/* GO, then move the child into the cgroups while it joins the
 * namespaces, off its CPU meanwhile (sidestep.c); it waits for
 * RT_MSG_CGROUPS before it execs. */
static int hand_over(const struct rt_exec_child *ec, const struct rt_state *st, pid_t pid, int sock,
		     int *status, struct dk_err *err)
{
	struct rt_sidestep side;
	int rc = 0;

	rt_sidestep(&side, pid);
	if (rt_sync_send(sock, RT_MSG_GO, NULL, -1, err) < 0)
		rc = -1;
	else if (rt_cgroup_enter(st->cgroups, ec->cgroups, pid, err) < 0 ||
		 rt_sync_send(sock, RT_MSG_CGROUPS, NULL, -1, err) < 0) {
		rt_sync_take_error(sock, status, err); /* the child's own error wins */
		rc = -1;
	}
	rt_sidestep_end(&side);
	return rc;
}

int rt_exec_start(struct rt_exec_child *ec, const struct rt_state *st, pid_t *pid, int *master,
		  int *status, struct dk_err *err)
{
	int sv[2];
	struct rt_msg m;
	int fd;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return dk_err_sys(err, "socketpair");
	cleanup_close int own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (ns_flags(ec->s, true) && setns(ec->pidfd, ns_flags(ec->s, true)) < 0)
		return dk_err_sys(err, "joining the container's pid namespace");
	ec->sync = sv[1];
	*pid = rt_copy_ready() ? spawn_child(ec, sv[0], st->bundle, err)
			       : (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	/* our children go back to our own pid namespace (hooks, sanitizers) */
	if (*pid > 0 && own >= 0)
		setns(own, CLONE_NEWPID);
	if (*pid < 0) {
		if (!rt_copy_ready())
			dk_err_sys(err, "clone");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (*pid == 0) {
		close(sv[0]);
		rt_exec_child_main(ec);
	}
	close(sv[1]);
	if (hand_over(ec, st, *pid, sv[0], status, err) < 0)
		goto fail;
	for (;;) {
		if (rt_sync_recv(sv[0], &m, &fd, err) < 0) {
			close(sv[0]);
			return 0; /* EOF: the exec happened */
		}
		if (m.type == RT_MSG_PTY) {
			*master = fd;
			continue;
		}
		if (m.type == RT_MSG_ERROR) {
			*status = m.status;
			err->code = m.code;
			snprintf(err->msg, sizeof(err->msg), "%s", m.text);
		}
		goto fail;
	}
fail:
	close(sv[0]);
	kill(*pid, SIGKILL);
	waitpid(*pid, NULL, 0);
	return -1;
}
