// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_view.c: a container's /sys/fs/cgroup/cpuset shows the cgroup its
 * init was in when the cgroup mount was made. When `update` gives the
 * container a cpuset cgroup of its own later (cgroup_cpuset.c), that
 * mount would go on showing the parent's; docker shows a container its
 * own cgroup there. So the runtime binds the new cgroup over that mount
 * in the container's mount namespace, from a child of its own that enters
 * the namespace (the runtime itself never leaves its own). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup_fs.h"
#include "cgroup_view.h"
#include "cleanup.h"
#include "path.h"

struct view {
	char point[4096];    /* the mount point, as init sees it */
	unsigned long attrs; /* MOUNT_ATTR_* of that mount */
};

static unsigned long attrs_of(const char *opts)
{
	static const struct {
		const char *word;
		unsigned long attr;
	} map[] = {{"ro", MOUNT_ATTR_RDONLY},
		   {"nosuid", MOUNT_ATTR_NOSUID},
		   {"nodev", MOUNT_ATTR_NODEV},
		   {"noexec", MOUNT_ATTR_NOEXEC}};
	unsigned long a = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (rt_cg_has_word(opts, map[i].word))
			a |= map[i].attr;
	return a;
}

/* The last (topmost) v1 cgroup mount of ctrl in pid's mountinfo; false if
 * there is none. */
static bool find_view(pid_t pid, const char *ctrl, struct view *v)
{
	char path[64], line[8192];
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	cleanup_file FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		struct rt_mountinfo m;
		if (!rt_cg_mountinfo(line, &m) || strcmp(m.fstype, "cgroup") != 0 ||
		    !rt_cg_has_word(m.super, ctrl) || strlen(m.point) >= sizeof(v->point))
			continue;
		memcpy(v->point, m.point, strlen(m.point) + 1);
		v->attrs = attrs_of(m.opts);
		found = true;
	}
	return found;
}

/* In the child: enter the container's mount namespace and attach tree
 * over the view's mount point. Returns the exit status (0: done). */
static int attach_in(pid_t pid, int tree, const struct view *v, int report)
{
	char path[64];
	struct dk_err err = {0};
	cleanup_close int ns = -1, root = -1, target = -1;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWNS) < 0)
		dk_err_sys(&err, "entering the container's mount namespace");
	else if ((root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		dk_err_sys(&err, "opening the container's root");
	else if ((target =
		      dk_path_open(root, v->point, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, &err)) < 0)
		dk_err_wrap(&err, "the cgroup mount %s", v->point);
	else if (syscall(SYS_move_mount, tree, "", target, "",
			 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		dk_err_sys(&err, "mounting the new cgroup on %s", v->point);
	if (!err.msg[0])
		return 0;
	if (write(report, err.msg, strlen(err.msg)) < 0)
		return 2;
	return 1;
}

static int run_child(pid_t pid, int tree, const struct view *v, struct dk_err *err)
{
	int p[2], st = 0;
	char msg[sizeof(err->msg)];
	ssize_t n;
	pid_t child;

	if (pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	child = fork();
	if (child == 0) {
		close(p[0]);
		_exit(attach_in(pid, tree, v, p[1]));
	}
	close(p[1]);
	n = child < 0 ? -1 : read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	if (child < 0)
		return dk_err_sys(err, "fork");
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	msg[n > 0 ? n : 0] = 0;
	return dk_err_set(err, "%s",
			  n > 0 ? msg : "showing the new cgroup in the container failed");
}

/* Whether pid has a mount namespace other than ours: without one of its
 * own (the spec allows that) the mounts it lists are the host's. */
static bool own_mount_ns(pid_t pid)
{
	char path[64];
	struct stat mine, theirs;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	return stat("/proc/self/ns/mnt", &mine) == 0 && stat(path, &theirs) == 0 &&
	       (mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev);
}

int rt_cgroup_view_update(pid_t pid, const char *ctrl, const char *dir, struct dk_err *err)
{
	struct view v;
	cleanup_close int tree = -1;
	struct mount_attr a = {0};

	if (!own_mount_ns(pid) || !find_view(pid, ctrl, &v))
		return 0;
	if (strchr(v.point, '\\')) /* an escaped name: not one of ours */
		return dk_err_set(err, "cgroup mount point %s: unusual name", v.point);
	tree = (int)syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return dk_err_sys(err, "opening %s", dir);
	a.attr_set = v.attrs;
	if (v.attrs && mount_setattr(tree, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
		return dk_err_sys(err, "mount options for %s", dir);
	return run_child(pid, tree, &v, err);
}
