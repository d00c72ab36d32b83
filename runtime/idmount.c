// SPDX-License-Identifier: GPL-2.0-or-later
/* idmount.c: idmapped bind mounts (a mount's uidMappings/gidMappings, the
 * idmap and ridmap options). The runtime clones the source tree detached
 * (open_tree), idmaps it with a user namespace made just for its maps
 * (mount_setattr MOUNT_ATTR_IDMAP) and hands the tree to init, which
 * attaches it with move_mount. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "container.h"
#include "idmount.h"

/* A user namespace holding the maps: a child that waits in a new one
 * while we write its maps and open its ns file. */
static int userns_fd(const struct rt_mount *m, struct dk_err *err)
{
	int p[2], fd = -1, st;
	char path[64];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) < 0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return dk_err_sys(err, "creating a user namespace for the mount");
	}
	if (rt_write_map(pid, "uid_map", m->uidmap, m->n_uidmap, err) == 0 &&
	    rt_write_map(pid, "gid_map", m->gidmap, m->n_gidmap, err) == 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			dk_err_sys(err, "opening %s", path);
	}
	close(p[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return fd;
}

int rt_idmount_open(const struct rt_mount *m, struct dk_err *err)
{
	cleanup_close int ns = -1, tree = -1;
	struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP};
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->rec ? AT_RECURSIVE : 0);

	ns = userns_fd(m, err);
	if (ns < 0)
		return dk_err_wrap(err, "idmapped mount of %s", m->source);
	tree = (int)syscall(SYS_open_tree, AT_FDCWD, m->source, flags);
	if (tree < 0)
		return dk_err_sys(err, "idmapped mount: opening %s", m->source);
	a.userns_fd = (uint64_t)ns;
	if (mount_setattr(tree, "", AT_EMPTY_PATH | (m->ridmap ? AT_RECURSIVE : 0), &a, sizeof(a)) <
	    0)
		return dk_err_sys(err, "idmapped mount of %s (mount_setattr)", m->source);
	return steal_fd(tree);
}

int rt_idmount_attach(int tree, int target, struct dk_err *err)
{
	/* onto the fd itself: through its /proc/self/fd link the kernel
	 * refuses a detached tree (EINVAL) */
	if (syscall(SYS_move_mount, tree, "", target, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return dk_err_sys(err, "attaching the idmapped mount");
	return 0;
}
