// SPDX-License-Identifier: GPL-2.0-or-later
/* selfexe.c: run from a sealed in-memory copy of our own binary
 * (CVE-2019-5736). The container's init is a clone of the runtime, so
 * until it execs the user's program its /proc/self/exe is our binary; a
 * "#!/proc/self/exe" entry point makes the kernel run that binary inside
 * the container, where an image's ELF interpreter can keep an fd on it
 * and write through /proc/self/fd/N once we exit. Commands that start
 * container processes (create, run, exec) therefore re-exec themselves
 * once from a memfd sealed against writes: what the container can reach
 * through /proc/self/exe is then a copy nobody can change. The copy comes
 * from the page cache with sendfile; see bench/runtime.sh for its cost. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "selfexe.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
/* set across our own re-exec only: a kernel that loses the seals must not
 * make us loop */
#define REEXEC_ENV "_DK_RUNTIME_SEALED"

extern char **environ;

static bool running_sealed(int self)
{
	int seals = fcntl(self, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS;
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

int rt_self_protect(char **argv, struct dk_err *err)
{
	cleanup_close int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	cleanup_close int mfd = -1;
	bool again = getenv(REEXEC_ENV) != NULL;

	unsetenv(REEXEC_ENV);
	if (self < 0)
		return dk_err_sys(err, "protecting the runtime binary: opening /proc/self/exe");
	if (running_sealed(self))
		return 0;
	if (again)
		return dk_err_set(err,
				  "protecting the runtime binary: the sealed copy lost its seals");
	mfd = sealed_copy(self, err);
	if (mfd < 0)
		return dk_err_wrap(err, "protecting the runtime binary");
	setenv(REEXEC_ENV, "1", 1);
	syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
	unsetenv(REEXEC_ENV);
	return dk_err_sys(err, "protecting the runtime binary: executing the sealed copy");
}
