// SPDX-License-Identifier: GPL-2.0-or-later
/* procfs.c: /proc writes that reach the real procfs. A container process
 * with CAP_SYS_ADMIN can mount over /proc or its files (a tmpfs, a bind of
 * another file), so oom_score_adj, sysctls and LSM labels written by plain
 * path could go somewhere else, silently, or somewhere harmful. We open
 * the runtime's own /proc once, early, check it is procfs and its root,
 * and resolve every later write below it with openat2 refusing symlinks,
 * magic links and mount crossings. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "procfs.h"

#define PROC_ROOT_INO 1

static int check_procfs(int fd, const char *what, struct dk_err *err)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return dk_err_sys(err, "procfs: %s", what);
	if (sf.f_type != PROC_SUPER_MAGIC)
		return dk_err_set(err, "procfs: %s is not on procfs", what);
	return 0;
}

int rt_procfs_open(struct rt_procfs *p, struct dk_err *err)
{
	struct stat st;

	*p = RT_PROCFS_NONE;
	p->root = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (p->root < 0)
		return dk_err_sys(err, "procfs: opening /proc");
	if (check_procfs(p->root, "/proc", err) < 0)
		goto fail;
	if (fstat(p->root, &st) < 0 || st.st_ino != PROC_ROOT_INO) {
		dk_err_set(err, "procfs: /proc is not the root of a procfs");
		goto fail;
	}
	/* "self" is a plain symlink to our pid in this procfs' namespace */
	p->self = openat(p->root, "self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (p->self < 0) {
		dk_err_sys(err, "procfs: opening /proc/self");
		goto fail;
	}
	if (check_procfs(p->self, "/proc/self", err) < 0)
		goto fail;
	return 0;
fail:
	rt_procfs_close(p);
	return -1;
}

void rt_procfs_close(struct rt_procfs *p)
{
	dk_closep(&p->root);
	dk_closep(&p->self);
}

int rt_procfs_write(const struct rt_procfs *p, bool self, const char *rel, const char *val,
		    struct dk_err *err)
{
	struct open_how how = {
	    .flags = O_WRONLY | O_CLOEXEC,
	    .resolve =
		RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	cleanup_close int fd = -1;
	int dir = self ? p->self : p->root;

	if (dir < 0)
		return dk_err_set(err, "procfs: no handle for %s", rel);
	fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof(how));
	if (fd < 0)
		return dk_err_sys(err, "opening /proc/%s%s", self ? "self/" : "", rel);
	if (check_procfs(fd, rel, err) < 0)
		return -1;
	return dk_write_all(fd, val, strlen(val), err);
}
