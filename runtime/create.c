// SPDX-License-Identifier: GPL-2.0-or-later
/* create.c: the runtime side of create: state dir, clone of init, id maps,
 * cgroups, createRuntime hooks, state.json. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fmt.h"
#include "caps.h"
#include "cgroup.h"
#include "cleanup.h"
#include "crecord.h"
#include "container.h"
#include "idmount.h"
#include "copyexec.h"
#include "initexec.h"
#include "fs.h"
#include "hooks.h"
#include "lsm.h"
#include "rootfs.h"
#include "seccomp.h"
#include "sidestep.h"
#include "sync.h"
#include "terminal.h"

static const int clone_types[] = {CLONE_NEWUSER, CLONE_NEWNS,	  CLONE_NEWUTS, CLONE_NEWIPC,
				  CLONE_NEWNET,	 CLONE_NEWCGROUP, CLONE_NEWPID, CLONE_NEWTIME};

static const char *ns_file(int type)
{
	switch (type) {
	case CLONE_NEWUSER: return "user";
	case CLONE_NEWNS: return "mnt";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWNET: return "net";
	case CLONE_NEWCGROUP: return "cgroup";
	case CLONE_NEWPID: return "pid";
	default: return "time";
	}
}

static int setns_path(const char *path, int type, struct dk_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "opening %s namespace %s", ns_file(type), path);
	if (setns(fd, type) < 0)
		return dk_err_sys(err, "joining %s namespace %s", ns_file(type), path);
	return 0;
}

/* Join the namespaces given by path: pid and time in the runtime (they
 * apply to children), the rest in init. */
int rt_join_ns(const struct rt_spec *s, bool parent, struct dk_err *err)
{
	for (size_t k = 0; k < sizeof(clone_types) / sizeof(*clone_types); k++) {
		const struct rt_ns *n = rt_spec_ns(s, clone_types[k]);
		bool here = n && (n->type == CLONE_NEWPID) == parent;
		if (here && n->path && setns_path(n->path, n->type, err) < 0)
			return -1;
	}
	return 0;
}

static int clone_flags(const struct rt_spec *s)
{
	int f = 0;

	for (size_t i = 0; i < s->n_ns; i++)
		if (!s->ns[i].path && s->ns[i].type != CLONE_NEWTIME &&
		    s->ns[i].type != CLONE_NEWCGROUP) /* after the cgroup move */
			f |= s->ns[i].type;
	return f;
}

static int time_offsets(const struct rt_spec *s, struct dk_err *err)
{
	const struct rt_ns *n = rt_spec_ns(s, CLONE_NEWTIME);
	char buf[128];
	cleanup_close int fd = -1;
	int len;

	if (!n || n->path)
		return 0;
	if (unshare(CLONE_NEWTIME) < 0)
		return dk_err_sys(err, "creating the time namespace");
	if (!s->has_timens_offsets)
		return 0;
	len = snprintf(buf, sizeof(buf), "monotonic %lld %lld\nboottime %lld %lld\n",
		       (long long)s->timens_mono[0], (long long)s->timens_mono[1],
		       (long long)s->timens_boot[0], (long long)s->timens_boot[1]);
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != len)
		return dk_err_sys(err, "writing time namespace offsets");
	return 0;
}

int rt_write_pid_file(const char *path, pid_t pid, struct dk_err *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", pid);
	cleanup_free char *dir = strdup(path);
	char *slash = strrchr(dir, '/');
	cleanup_close int dfd = -1;

	if (slash)
		*slash = 0;
	dfd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dk_err_sys(err, "pid file %s", path);
	if (rt_write_atomic(dfd, slash ? slash + 1 : path, buf, n, 0644, err) < 0)
		return dk_err_wrap(err, "pid file %s", path);
	return 0;
}

static int check_spec(const struct rt_spec *s, const struct rt_create_opts *o, struct dk_err *err)
{
	if (((s->hostname && *s->hostname) || (s->domainname && *s->domainname)) &&
	    !rt_spec_ns(s, CLONE_NEWUTS))
		return dk_err_set(err, "hostname and domainname need a private UTS namespace, "
				       "else they would change the host's");
	if (!rt_spec_ns(s, CLONE_NEWNS) && rt_nomnt_check(s, err) < 0)
		return -1;
	if (rt_caps_check(&s->proc, err) < 0 || rt_seccomp_check(s->seccomp, err) < 0)
		return -1;
	if (rt_lsm_check(&s->proc, err) < 0)
		return -1;
	if (s->proc.terminal && !o->console_socket && !o->foreground)
		return dk_err_set(
		    err,
		    "process.terminal needs --console-socket when the runtime does not stay in the foreground");
	if (access(s->root_path, F_OK) < 0)
		return dk_err_sys(err, "root.path %s", s->root_path);
	return 0;
}

struct creating {
	struct rt_child child;
	int sock[2];
	pid_t pid;
};

static pid_t do_clone(struct creating *cr, int flags, struct dk_err *err)
{
	cr->child.sync = cr->sock[1];
	pid_t pid = rt_init_spawn(&cr->child, cr->sock[0], flags, err);

	if (pid != -2)
		return pid;
	pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		close(cr->sock[0]);
		rt_init_exec(&cr->child); /* returns when init runs on as our clone */
		rt_init_main(&cr->child);
	}
	if (pid < 0)
		dk_err_sys(err, "cloning the container process");
	return pid;
}

static int fill_state(struct rt_container *c, const struct rt_create_opts *o, pid_t pid)
{
	char created[64];

	dk_time_now(created, sizeof(created));
	c->st.id = strdup(o->id);
	c->st.pid = pid;
	c->st.start_time = rt_proc_start_time(pid);
	c->st.bundle = strdup(o->bundle);
	c->st.rootfs = strdup(c->spec->root_path);
	c->st.created = strdup(created);
	c->st.owner = geteuid();
	c->st.annotations = c->spec->annotations;
	return 0;
}

/* As runc: init in a new user namespace may not reach a bind source by
 * path (a directory only the host's root may enter). The runtime opens
 * the sources in init's mount namespace (so that init can bind them) with
 * its own rights, and passes the fds; one it cannot open is left to init,
 * which reports it. */
/* A bind source as an absolute path: relative ones are the bundle's (our
 * cwd), which the other namespace does not make its cwd. False when it
 * does not fit: init then opens it by path and reports that. */
static bool bind_source_path(const char *src, char *abs, size_t size)
{
	size_t n;

	if (src[0] == '/')
		return dk_fmt(abs, size, &(struct dk_err){0}, "%s", src) == 0;
	if (!getcwd(abs, size))
		return false;
	n = strlen(abs);
	return dk_fmt(abs + n, size - n, &(struct dk_err){0}, "/%s", src) == 0;
}

static int send_bind_sources(const struct rt_spec *s, pid_t pid, int sock, struct dk_err *err)
{
	const struct rt_ns *u = rt_spec_ns(s, CLONE_NEWUSER);
	cleanup_close int own = -1, theirs = -1, here = -1;
	char path[64], idx[32];
	int fds[64], n = 0, rc = 0;

	if (!u || u->path)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	theirs = open(path, O_RDONLY | O_CLOEXEC);
	here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (own < 0 || theirs < 0 || here < 0)
		return dk_err_sys(err, "opening mount namespaces");
	for (size_t i = 0; i < s->n_mounts && i < 64; i++) {
		char abs[4200];
		fds[i] = -1;
		if (!s->mounts[i].bind || !s->mounts[i].source || s->mounts[i].idmap ||
		    !bind_source_path(s->mounts[i].source, abs, sizeof(abs)))
			continue;
		/* an unprivileged caller may not enter it: init opens what
		 * it can by path, as before */
		if (setns(theirs, CLONE_NEWNS) < 0) {
			if (errno != EPERM)
				rc = dk_err_sys(err, "entering init's mount namespace");
			break;
		}
		fds[i] = open(abs, O_PATH | O_CLOEXEC);
		if (setns(own, CLONE_NEWNS) < 0 || fchdir(here) < 0)
			return dk_err_sys(err, "back to our mount namespace");
		n = (int)i + 1;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		if (fds[i] < 0)
			continue;
		snprintf(idx, sizeof(idx), "%d", i);
		rc = rt_sync_send(sock, RT_MSG_MOUNTFD, idx, fds[i], err);
	}
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/* Idmapped mounts are made here, in the host's user namespace, and
 * passed to init as detached trees. */
static int send_idmounts(const struct rt_spec *s, int sock, struct dk_err *err)
{
	char idx[32];

	for (size_t i = 0; i < s->n_mounts; i++) {
		cleanup_close int fd = -1;
		if (!s->mounts[i].idmap)
			continue;
		fd = rt_idmount_open(&s->mounts[i], err);
		if (fd < 0)
			return dk_err_wrap(err, "mounts[%zu] at %s", i, s->mounts[i].dest);
		snprintf(idx, sizeof(idx), "%zu", i);
		if (rt_sync_send(sock, RT_MSG_MOUNTFD, idx, fd, err) < 0)
			return -1;
	}
	return 0;
}

/* Start init off (mount fds, then GO) and make its cgroups while it
 * mounts; off its CPU meanwhile (sidestep.c). */
static int hand_over(struct rt_container *c, int sock, const char *id, const char *state,
		     int *status, struct dk_err *err)
{
	struct rt_sidestep side;
	int rc = 0;

	rt_sidestep(&side, c->st.pid);
	if (send_idmounts(c->spec, sock, err) < 0 ||
	    send_bind_sources(c->spec, c->st.pid, sock, err) < 0 ||
	    rt_sync_send(sock, RT_MSG_GO, state, -1, err) < 0)
		rc = -1;
	else if (rt_cgroup_create(c->spec, id, c->st.pid, &c->st.cgroups, err) < 0 ||
		 rt_sync_send(sock, RT_MSG_CGROUPS, NULL, -1, err) < 0) {
		rt_sync_take_error(sock, status, err); /* init's own error wins */
		rc = -1;
	}
	rt_sidestep_end(&side);
	return rc;
}

/* Talk to init until it is ready: hooks, pty, errors. state: "creating". */
static int converse(struct rt_container *c, int sock, const char *state, int *status,
		    struct dk_err *err)
{
	/* prestart hooks see "created", as runc and crun send and the
	 * runtime-tools suite expects; createRuntime sees "creating" */
	cleanup_free char *created = rt_state_json(&c->st, "created");

	for (;;) {
		struct rt_msg m;
		int fd;
		if (rt_sync_recv(sock, &m, &fd, err) < 0)
			return -1;
		switch (m.type) {
		case RT_MSG_READY: return 0;
		case RT_MSG_PTY: c->master = fd; break;
		case RT_MSG_HOOKS:
			if (rt_hooks_run(c->spec, RT_HOOK_PRESTART, created, err) < 0 ||
			    rt_hooks_run(c->spec, RT_HOOK_CREATE_RUNTIME, state, err) < 0)
				return -1;
			if (rt_sync_send(sock, RT_MSG_HOOKS_DONE, NULL, -1, err) < 0)
				return -1;
			break;
		case RT_MSG_ERROR:
			*status = m.status;
			err->code = m.code;
			snprintf(err->msg, sizeof(err->msg), "%s", m.text);
			return -1;
		default: return dk_err_set(err, "sync: unexpected message %d", m.type);
		}
	}
}

static int open_side_sockets(struct creating *cr, const struct rt_create_opts *o,
			     const struct rt_spec *s, struct dk_err *err)
{
	const char *l = rt_seccomp_listener(s->seccomp);

	cr->child.console = cr->child.listener = -1;
	if (o->console_socket && s->proc.terminal) {
		cr->child.console = rt_console_connect(o->console_socket, err);
		if (cr->child.console < 0)
			return -1;
	}
	if (l && *l) {
		cr->child.listener = rt_console_connect(l, err);
		if (cr->child.listener < 0)
			return dk_err_wrap(err, "seccomp listener");
	}
	return 0;
}

static int keep_fds(const struct rt_create_opts *o)
{
	const char *l = getenv("LISTEN_FDS");

	return o->preserve_fds + (l ? atoi(l) : 0);
}

/* Steps after the state dir exists; on failure the caller cleans up. */
static int create_in(const struct rt_create_opts *o, struct rt_container *c, struct creating *cr,
		     int *status, struct dk_err *err)
{
	const struct rt_spec *s = c->spec;

	if (mkfifoat(c->dirfd, RT_FIFO, 0600) < 0)
		return dk_err_sys(err, "creating %s", RT_FIFO);
	c->fifo = openat(c->dirfd, RT_FIFO, O_RDWR | O_CLOEXEC);
	if (c->fifo < 0)
		return dk_err_sys(err, "opening %s", RT_FIFO);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cr->sock) < 0)
		return dk_err_sys(err, "socketpair");
	if (open_side_sockets(cr, o, s, err) < 0)
		return -1;
	cr->child = (struct rt_child){.spec = s,
				      .proc = &s->proc,
				      .bundle = o->bundle,
				      .fifo = c->fifo,
				      .console = cr->child.console,
				      .listener = cr->child.listener,
				      .keep_fds = keep_fds(o),
				      .no_pivot = o->no_pivot,
				      .no_new_keyring = o->no_new_keyring,
				      .rootless = geteuid() != 0,
				      .new_user = rt_spec_ns(s, CLONE_NEWUSER) &&
						  !rt_spec_ns(s, CLONE_NEWUSER)->path};
	if (chdir(o->bundle) < 0)
		return dk_err_sys(err, "entering the bundle %s", o->bundle);
	cleanup_close int own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	cleanup_close int own_time = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
	if (rt_join_ns(s, true, err) < 0 || time_offsets(s, err) < 0)
		return -1;
	cr->pid = do_clone(cr, clone_flags(s), err);
	if (cr->pid < 0)
		return -1;
	/* hooks and other children of ours run in our own namespaces */
	if (own >= 0 && rt_spec_ns(s, CLONE_NEWPID) && rt_spec_ns(s, CLONE_NEWPID)->path)
		setns(own, CLONE_NEWPID);
	if (own_time >= 0 && rt_spec_ns(s, CLONE_NEWTIME) && !rt_spec_ns(s, CLONE_NEWTIME)->path)
		setns(own_time, CLONE_NEWTIME);
	close(cr->sock[1]);
	cr->sock[1] = -1;
	if (cr->child.new_user && rt_write_idmaps(cr->pid, s, err) < 0)
		return -1;
	/* init waits for its maps before it execs our protected copy */
	if (cr->child.new_user && rt_copy_ready() &&
	    rt_sync_send(cr->sock[0], RT_MSG_MAPPED, NULL, -1, err) < 0)
		return -1;
	fill_state(c, o, cr->pid);
	cleanup_free char *state = rt_state_json(&c->st, "creating");
	/* state.json while init sets up: our lock keeps other commands out
	 * until create ends, and a failure removes the directory */
	if (hand_over(c, cr->sock[0], o->id, state, status, err) < 0 ||
	    rt_state_write(c->dirfd, &c->st, err) < 0 ||
	    converse(c, cr->sock[0], state, status, err) < 0)
		return -1;
	if (o->pid_file && rt_write_pid_file(o->pid_file, cr->pid, err) < 0)
		return -1;
	return 0;
}

static void undo(const struct rt_create_opts *o, struct rt_container *c, struct creating *cr)
{
	struct dk_err e;

	if (cr->pid > 0) {
		kill(cr->pid, SIGKILL);
		waitpid(cr->pid, NULL, 0);
	}
	if (c->st.cgroups)
		rt_cgroup_destroy(c->st.cgroups, true, &e);
	rt_state_remove(o->root, o->id, &e);
}

int rt_create(const struct rt_create_opts *o, struct rt_container *c, int *status,
	      struct dk_err *err)
{
	struct creating cr = {.sock = {-1, -1}};
	int rc;

	memset(c, 0, sizeof(*c));
	c->dirfd = c->fifo = c->master = -1;
	*status = 1;
	if (rt_id_check(o->id, err) < 0)
		return -1;
	c->spec = rt_spec_load(o->bundle, err);
	if (!c->spec || check_spec(c->spec, o, err) < 0 ||
	    (c->dirfd = rt_state_create(o->root, o->id, err)) < 0) {
		rt_container_close(c);
		return -1;
	}
	rc = create_in(o, c, &cr, status, err);
	if (cr.sock[0] >= 0)
		close(cr.sock[0]);
	if (cr.sock[1] >= 0)
		close(cr.sock[1]);
	if (cr.child.console >= 0)
		close(cr.child.console);
	if (cr.child.listener >= 0)
		close(cr.child.listener);
	if (rc < 0) {
		undo(o, c, &cr);
		rt_container_close(c);
	}
	return rc;
}

void rt_container_close(struct rt_container *c)
{
	if (c->dirfd >= 0)
		close(c->dirfd);
	if (c->fifo >= 0)
		close(c->fifo);
	if (c->master >= 0)
		close(c->master);
	rt_spec_free(c->spec);
	c->st.annotations = NULL;
	rt_state_clear(&c->st);
	c->dirfd = c->fifo = c->master = -1;
	c->spec = NULL;
}
