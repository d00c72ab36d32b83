// SPDX-License-Identifier: GPL-2.0-or-later
/* selfexe.c: run from a copy of our own binary that nothing can write
 * (CVE-2019-5736). The container's init is a clone of the runtime, so
 * until it execs the user's program its /proc/self/exe is our binary; a
 * "#!/proc/self/exe" entry point makes the kernel run that binary inside
 * the container, where an image's ELF interpreter can keep an fd on it
 * and write through /proc/self/fd/N once we exit. Every process that
 * becomes a container process therefore runs from a file the container
 * cannot write through (as root, what create, run and exec start execs
 * it, copyexec.c; rootless callers re-exec the runtime itself):
 *  - a detached read-only bind mount of the binary (open_tree +
 *    mount_setattr, no copy: the pages are the page cache's, shared by
 *    every run; opening it for writing fails with EROFS, and once we
 *    exec the mount belongs to no namespace, so nobody can remount it);
 *  - where we may not make mounts (rootless, old kernels), a memfd copy
 *    sealed against writes, as before.
 * A binary run from a sealed memfd runs as it is. See bench/runtime.sh
 * for the cost. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "selfexe.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
/* set across our own re-exec only: a kernel that loses the protection
 * must not make us loop */
#define REEXEC_ENV "_DK_RUNTIME_SEALED"

extern char **environ;

static bool sealed(int self)
{
	int seals = fcntl(self, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS;
}

/* After our own re-exec: nothing can write the file we run from, a
 * sealed memfd or our detached read-only mount (a write through
 * /proc/self/exe fails with EROFS). A read-only mount of the host's is not
 * enough by itself: its owner may remount it writable while a container
 * still holds an fd on the binary. */
static bool reexec_protected(int self)
{
	struct statvfs vfs;

	return sealed(self) || (fstatvfs(self, &vfs) == 0 && (vfs.f_flag & ST_RDONLY));
}

/* A detached read-only bind mount of the binary, or -1 (errno set) where
 * we may not make one. */
static int readonly_mount(void)
{
	struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
	int tree = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
				OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	if (tree < 0)
		return -1;
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0) {
		int e = errno;
		close(tree);
		errno = e;
		return -1;
	}
	return tree;
}

static int sealed_copy(int self, struct dk_err *err)
{
	cleanup_close int mfd = memfd_create("runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	struct stat st;
	off_t off = 0;

	if (mfd < 0 && errno == EINVAL) /* kernels before 6.3 */
		mfd = memfd_create("runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return dk_err_sys(err, "memfd_create");
	if (fstat(self, &st) < 0)
		return dk_err_sys(err, "stat /proc/self/exe");
	while (off < st.st_size) {
		ssize_t n = sendfile(mfd, self, &off, (size_t)(st.st_size - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return dk_err_sys(err, "copying /proc/self/exe");
	}
	if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
		return dk_err_sys(err, "sealing the copy");
	return steal_fd(mfd);
}

/* A protected copy of /proc/self (self), or -1 with err. */
static int protected_copy(int self, struct dk_err *err)
{
	int fd = readonly_mount();

	if (fd < 0)
		fd = sealed_copy(self, err);
	if (fd < 0)
		return dk_err_wrap(err, "protecting the runtime binary");
	return fd;
}

int rt_self_protect(char **argv, struct dk_err *err)
{
	cleanup_close int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	cleanup_close int fd = -1;
	bool again = getenv(REEXEC_ENV) != NULL;

	unsetenv(REEXEC_ENV);
	if (self < 0)
		return dk_err_sys(err, "protecting the runtime binary: opening /proc/self/exe");
	if (again ? reexec_protected(self) : sealed(self))
		return 0;
	if (again)
		return dk_err_set(err, "protecting the runtime binary: the re-executed copy "
				       "is writable");
	fd = protected_copy(self, err);
	if (fd < 0)
		return -1;
	setenv(REEXEC_ENV, "1", 1);
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	unsetenv(REEXEC_ENV);
	return dk_err_sys(err, "protecting the runtime binary: executing the protected copy");
}

int rt_self_copy(int *copy, struct dk_err *err)
{
	cleanup_close int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	*copy = -1;
	if (self < 0)
		return dk_err_sys(err, "protecting the runtime binary: opening /proc/self/exe");
	if (sealed(self))
		return 0;
	*copy = protected_copy(self, err);
	return *copy < 0 ? -1 : 0;
}

int rt_self_check(struct dk_err *err)
{
	cleanup_close int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (self < 0)
		return dk_err_sys(err, "checking the runtime binary: opening /proc/self/exe");
	if (!reexec_protected(self))
		return dk_err_set(err, "checking the runtime binary: it is writable, not the "
				       "protected copy");
	return 0;
}
