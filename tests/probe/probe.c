// SPDX-License-Identifier: GPL-2.0-or-later
/* probe: a tiny static program run inside test containers. Each argument
 * names a thing to print, one "key: value" line (or a few) each:
 *   hostname domainname ids caps cwd env fds rlimits cgroup uidmap mounts
 *   nnp seccomp umask exit=N sleep=N exe=PID (try to open /proc/PID/exe
 *   for writing) write=PATH (try to create PATH) ppid pid mountproc (try to
 *   mount a fresh proc in new user, mount and pid namespaces) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void cat(const char *path, const char *grep)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("%s: error %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (!grep || strncmp(line, grep, strlen(grep)) == 0)
			fputs(line, stdout);
	fclose(f);
}

static void fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char p[300], t[300];

	while (d && (e = readdir(d))) {
		ssize_t n;
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		snprintf(p, sizeof(p), "/proc/self/fd/%s", e->d_name);
		n = readlink(p, t, sizeof(t) - 1);
		t[n > 0 ? n : 0] = 0;
		printf("fd %s: %s\n", e->d_name, t);
	}
	if (d)
		closedir(d);
}

static void rlimits(void)
{
	static const struct {
		const char *n;
		int r;
	} t[] = {
	    {"NOFILE", RLIMIT_NOFILE},
	    {"NPROC", RLIMIT_NPROC},
	    {"CORE", RLIMIT_CORE},
	    {"STACK", RLIMIT_STACK},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct rlimit rl;
		getrlimit(t[i].r, &rl);
		printf("rlimit %s: %llu %llu\n", t[i].n, (unsigned long long)rl.rlim_cur,
		       (unsigned long long)rl.rlim_max);
	}
}

/* The kernel refuses a new proc mount when the mount namespace has no
 * fully visible proc (as in a container with masked paths). */
static void mountproc(void)
{
	pid_t pid;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0) {
		printf("mountproc: unshare: %s\n", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		mount(NULL, "/", NULL, MS_PRIVATE | MS_REC, NULL);
		if (mount("proc", "/proc", "proc", 0, NULL) < 0)
			printf("mountproc: %s\n", strerror(errno));
		else
			printf("mountproc: mounted\n");
		exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void one(const char *a)
{
	struct utsname u;
	char buf[4096];

	if (!strcmp(a, "hostname") || !strcmp(a, "domainname")) {
		uname(&u);
		printf("%s: %s\n", a, a[0] == 'h' ? u.nodename : u.domainname);
	} else if (!strcmp(a, "ids")) {
		gid_t g[64];
		int n = getgroups(64, g);
		printf("ids: uid=%u gid=%u euid=%u groups=", getuid(), getgid(), geteuid());
		for (int i = 0; i < n; i++)
			printf("%s%u", i ? "," : "", g[i]);
		printf("\n");
	} else if (!strcmp(a, "caps")) {
		cat("/proc/self/status", "Cap");
	} else if (!strcmp(a, "nnp")) {
		cat("/proc/self/status", "NoNewPrivs");
	} else if (!strcmp(a, "seccomp")) {
		cat("/proc/self/status", "Seccomp:");
	} else if (!strcmp(a, "cwd")) {
		printf("cwd: %s\n", getcwd(buf, sizeof(buf)) ? buf : strerror(errno));
	} else if (!strcmp(a, "env")) {
		for (char **e = environ; *e; e++)
			printf("env: %s\n", *e);
	} else if (!strcmp(a, "fds")) {
		fds();
	} else if (!strcmp(a, "rlimits")) {
		rlimits();
	} else if (!strcmp(a, "cgroup")) {
		cat("/proc/self/cgroup", NULL);
	} else if (!strcmp(a, "uidmap")) {
		cat("/proc/self/uid_map", NULL);
		cat("/proc/self/gid_map", NULL);
	} else if (!strcmp(a, "mounts")) {
		cat("/proc/self/mountinfo", NULL);
	} else if (!strcmp(a, "oom")) {
		cat("/proc/self/oom_score_adj", NULL);
	} else if (!strcmp(a, "umask")) {
		mode_t m = umask(0);
		printf("umask: %04o\n", m);
	} else if (!strcmp(a, "pid")) {
		printf("pid: %d\n", getpid());
	} else if (!strncmp(a, "exit=", 5)) {
		fflush(stdout);
		exit(atoi(a + 5));
	} else if (!strncmp(a, "sleep=", 6)) {
		fflush(stdout);
		sleep(atoi(a + 6));
	} else if (!strncmp(a, "exe=", 4)) {
		snprintf(buf, sizeof(buf), "/proc/%s/exe", a + 4);
		int fd = open(buf, O_WRONLY);
		printf("exe %s: %s\n", a + 4, fd < 0 ? strerror(errno) : "opened for writing");
	} else if (!strncmp(a, "write=", 6)) {
		int fd = open(a + 6, O_WRONLY | O_CREAT, 0644);
		printf("write %s: %s\n", a + 6, fd < 0 ? strerror(errno) : "ok");
	} else if (!strcmp(a, "mountproc")) {
		mountproc();
	} else if (!strncmp(a, "cat=", 4)) {
		cat(a + 4, NULL);
	} else {
		printf("unknown probe %s\n", a);
	}
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		one(argv[i]);
	fflush(stdout);
	return 0;
}
