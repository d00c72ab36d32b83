// SPDX-License-Identifier: GPL-2.0-or-later
/* netns.c: a container's network namespace kept as a file
 * ($DK_ROOT/netns/ID, a bind mount of the namespace, as `ip netns` does),
 * so that it outlives any process and teardown works after a crash. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include "fs.h"
#include "network.h"

static bool is_netns(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC;
}

int net_netns_make(const char *path, struct dk_err *err)
{
	char dir[4096];
	int fd, ws;
	pid_t pid;

	if (is_netns(path))
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0400);
	if (fd < 0)
		return dk_err_sys(err, "creating %s", path);
	close(fd);
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0 ||
		    mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0)
			_exit(1);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws)) {
		unlink(path);
		return dk_err_set(err, "creating the network namespace %s failed", path);
	}
	return 0;
}

int net_netns_remove(const char *path, struct dk_err *err)
{
	while (is_netns(path))
		if (umount2(path, MNT_DETACH) < 0)
			return dk_err_sys(err, "unmounting %s", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return dk_err_sys(err, "removing %s", path);
	return 0;
}
