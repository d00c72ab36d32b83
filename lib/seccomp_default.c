// SPDX-License-Identifier: GPL-2.0-or-later
/* seccomp_default.c: the default container seccomp policy as data: groups
 * of system calls allowed always, only with a capability, only without
 * one, only on one architecture, or only with given arguments. The
 * policy is docker's default (EPERM for what is not listed); the table
 * and its layout are ours. */
#include <string.h>
#include "seccomp_default.h"

#define EPERM_RET  1
#define ENOSYS_RET 38
/* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
#define CLONE_NS_FLAGS 2114060288ULL

/* Always allowed: what ordinary programs use (files, memory, processes,
 * signals, time, sockets, IPC, scheduling, ...). */
/* the table is data, laid out to be read */
/* clang-format off */
static const char *const base[] = {
    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget",
    "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64",
    "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64",
    "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range", "connect",
    "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1",
    "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
    "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group",
    "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark",
    "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl",
    "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
    "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync",
    "ftruncate", "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait",
    "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents", "getdents64",
    "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
    "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid",
    "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32",
    "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt",
    "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32", "getxattr",
    "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel",
    "ioctl", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
    "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill",
    "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown",
    "lchown32", "lgetxattr", "link", "linkat", "listen", "listxattr", "llistxattr",
    "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "madvise",
    "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir",
    "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2",
    "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
    "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap",
    "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
    "name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open", "openat",
    "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc",
    "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64",
    "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6", "pselect6_time64",
    "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat",
    "readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg",
    "remap_file_pages", "removexattr", "rename", "renameat", "renameat2", "restart_syscall",
    "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
    "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
    "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam",
    "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
    "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
    "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp",
    "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
    "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32",
    "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setitimer",
    "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32",
    "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list",
    "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32",
    "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd",
    "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair", "splice", "stat",
    "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync",
    "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create",
    "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
    "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
    "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate", "truncate64",
    "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime", "utimensat",
    "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid",
    "write", "writev", "process_vm_readv", "process_vm_writev", "ptrace", NULL,
};
/* clang-format on */

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

struct sc_arg {
	unsigned index;
	unsigned long long value, value2;
	const char *op;
};

struct sc_group {
	const char *const *names;
	const char *cap;     /* only with this capability */
	const char *not_cap; /* only without it */
	const char *arch;    /* only on this machine ("x86_64", "aarch64") */
	struct sc_arg arg;   /* op NULL: any arguments */
	int errno_ret;	     /* 0: allow */
};

/* clang-format off */
static const struct sc_group groups[] = {
    /* personality: only the harmless domains */
    {L("personality"), .arg = {0, 0x0, 0, "SCMP_CMP_EQ"}},
    {L("personality"), .arg = {0, 0x0008, 0, "SCMP_CMP_EQ"}},
    {L("personality"), .arg = {0, 0x20000, 0, "SCMP_CMP_EQ"}},
    {L("personality"), .arg = {0, 0x20008, 0, "SCMP_CMP_EQ"}},
    {L("personality"), .arg = {0, 0xffffffff, 0, "SCMP_CMP_EQ"}},
    /* sockets of every family but vsock (the host's) */
    {L("socket"), .arg = {0, 40, 0, "SCMP_CMP_NE"}},
    {L("arch_prctl", "modify_ldt"), .arch = "x86_64"},
    {L("arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint",
       "cacheflush", "set_tls"),
     .arch = "aarch64"},
    {L("open_by_handle_at"), .cap = "CAP_DAC_READ_SEARCH"},
    {L("bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
       "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree",
       "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns",
       "syslog", "umount", "umount2", "unshare"),
     .cap = "CAP_SYS_ADMIN"},
    /* without CAP_SYS_ADMIN: clone without new namespaces; clone3's flags
     * cannot be checked, so it says ENOSYS and libc falls back to clone */
    {L("clone"), .not_cap = "CAP_SYS_ADMIN", .arg = {0, CLONE_NS_FLAGS, 0, "SCMP_CMP_MASKED_EQ"}},
    {L("clone3"), .not_cap = "CAP_SYS_ADMIN", .errno_ret = ENOSYS_RET},
    {L("reboot"), .cap = "CAP_SYS_BOOT"},
    {L("chroot"), .cap = "CAP_SYS_CHROOT"},
    {L("delete_module", "init_module", "finit_module"), .cap = "CAP_SYS_MODULE"},
    {L("acct"), .cap = "CAP_SYS_PACCT"},
    {L("kcmp", "pidfd_getfd", "process_madvise"), .cap = "CAP_SYS_PTRACE"},
    {L("iopl", "ioperm"), .cap = "CAP_SYS_RAWIO"},
    {L("settimeofday", "stime", "clock_settime", "clock_settime64"), .cap = "CAP_SYS_TIME"},
    {L("vhangup"), .cap = "CAP_SYS_TTY_CONFIG"},
    {L("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"),
     .cap = "CAP_SYS_NICE"},
    {L("syslog"), .cap = "CAP_SYSLOG"},
    {L("bpf"), .cap = "CAP_BPF"},
    {L("perf_event_open"), .cap = "CAP_PERFMON"},
};
/* clang-format on */

static bool has_cap(const char *const *caps, size_t n, const char *cap)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(caps[i], cap))
			return true;
	return false;
}

static bool applies(const struct sc_group *s, const char *const *caps, size_t n)
{
#if defined(__x86_64__)
	const char *arch = "x86_64";
#elif defined(__aarch64__)
	const char *arch = "aarch64";
#else
	const char *arch = "";
#endif
	if (s->cap && !has_cap(caps, n, s->cap))
		return false;
	if (s->not_cap && has_cap(caps, n, s->not_cap))
		return false;
	return !s->arch || !strcmp(s->arch, arch);
}

static void rule(struct dk_jgen *g, const struct sc_group *s)
{
	dk_jgen_map_open(g);
	dk_jgen_str(g, "names");
	dk_jgen_strv(g, (char *const *)s->names);
	dk_jgen_kstr(g, "action", s->errno_ret ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW");
	if (s->errno_ret)
		dk_jgen_kint(g, "errnoRet", s->errno_ret);
	if (s->arg.op) {
		dk_jgen_str(g, "args");
		dk_jgen_array_open(g);
		dk_jgen_map_open(g);
		dk_jgen_kint(g, "index", s->arg.index);
		dk_jgen_str(g, "value");
		dk_jgen_uint(g, s->arg.value);
		dk_jgen_str(g, "valueTwo");
		dk_jgen_uint(g, s->arg.value2);
		dk_jgen_kstr(g, "op", s->arg.op);
		dk_jgen_map_close(g);
		dk_jgen_array_close(g);
	}
	dk_jgen_map_close(g);
}

static void architectures(struct dk_jgen *g)
{
#if defined(__x86_64__)
	static const char *const a[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL};
#elif defined(__aarch64__)
	static const char *const a[] = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL};
#else
	static const char *const a[] = {NULL};
#endif
	dk_jgen_str(g, "architectures");
	dk_jgen_strv(g, (char *const *)a);
}

void dk_seccomp_default(struct dk_jgen *g, const char *const *caps, size_t n)
{
	dk_jgen_str(g, "seccomp");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "defaultAction", "SCMP_ACT_ERRNO");
	dk_jgen_kint(g, "defaultErrnoRet", EPERM_RET);
	architectures(g);
	dk_jgen_str(g, "syscalls");
	dk_jgen_array_open(g);
	rule(g, &(struct sc_group){.names = base});
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (applies(&groups[i], caps, n))
			rule(g, &groups[i]);
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
}
