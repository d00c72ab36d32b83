// SPDX-License-Identifier: GPL-2.0-or-later
/* tools.c: running the other dk tools (snapshot, unpack, runtime, commit):
 * found next to this program first, then on PATH, as dk finds them. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"

volatile sig_atomic_t bf_interrupted;
char *const *bf_on_interrupt;

/* Path of tool name next to /proc/self/exe, or name itself (PATH). */
static void tool_path(const char *name, char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		snprintf(buf, size, "%s/%s", dirname(self), name);
		if (access(buf, X_OK) == 0)
			return;
	}
	snprintf(buf, size, "%s", name);
}

pid_t bf_spawn(char *const *argv, const struct bf_spawn *how, struct dk_err *err)
{
	char path[PATH_MAX];
	pid_t pid;

	tool_path(argv[0], path, sizeof(path));
	pid = fork();
	if (pid < 0)
		return dk_err_sys(err, "running %s", argv[0]);
	if (pid == 0) {
		if ((how->in >= 0 && dup2(how->in, STDIN_FILENO) < 0) ||
		    (how->out >= 0 && dup2(how->out, STDOUT_FILENO) < 0) ||
		    (how->errfd >= 0 && dup2(how->errfd, STDERR_FILENO) < 0) ||
		    (how->env && putenv((char *)how->env) < 0))
			_exit(127);
		execvp(path, argv);
		fprintf(stderr, "buildfile: running %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	return pid;
}

static pid_t spawn(char *const *argv, int in, int out, int errfd, struct dk_err *err)
{
	struct bf_spawn how = {.in = in, .out = out, .errfd = errfd};

	return bf_spawn(argv, &how, err);
}

int bf_tool_silent(char *const *argv);

int bf_wait(pid_t pid, const char *name, struct dk_err *err)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return dk_err_sys(err, "waiting for %s", name);
		if (!bf_interrupted)
			continue;
		/* pass it on, then clean up as on failure; a container's
		 * init may ignore it, so the container is killed */
		kill(pid, bf_interrupted);
		if (bf_on_interrupt) {
			char *const *argv = bf_on_interrupt;

			bf_on_interrupt = NULL;
			bf_tool_silent(argv);
		}
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int read_all(int fd, char **out, struct dk_err *err)
{
	size_t len;

	if (dk_read_fd(fd, 1 << 20, out, &len, err) < 0)
		return -1;
	while (len && ((*out)[len - 1] == '\n' || (*out)[len - 1] == ' '))
		(*out)[--len] = '\0';
	return 0;
}

int bf_tool(char *const *argv, int in, int out, char **capture, struct dk_err *err)
{
	int p[2] = {-1, -1};
	pid_t pid;
	int ret = 0;

	if (capture && pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = spawn(argv, in, capture ? p[1] : out, -1, err);
	if (capture)
		close(p[1]);
	if (pid < 0) {
		if (capture)
			close(p[0]);
		return -1;
	}
	if (capture) {
		ret = read_all(p[0], capture, err);
		close(p[0]);
	}
	int st = bf_wait(pid, argv[0], err);
	if (ret < 0) {
		free(capture ? *capture : NULL);
		return -1;
	}
	if (st != 0 && capture) {
		free(*capture);
		*capture = NULL;
	}
	return st;
}

int bf_diff_commit(struct bf_build *b, const char *key, const char *base, const char *tag,
		   char **digest, struct dk_err *err)
{
	char *diff[] = {"snapshot", "--root", b->root, "diff", (char *)key, NULL};
	char *commit[] = {"commit", "--root",	 b->root,	    "--base", (char *)base,
			  "--tag",  (char *)tag, "--require-layer", "-",      NULL};
	int p[2];
	pid_t pid;
	int st, cst;

	if (pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = spawn(diff, -1, p[1], -1, err);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	cst = bf_tool(commit, p[0], -1, digest, err);
	close(p[0]);
	st = bf_wait(pid, "snapshot diff", err);
	if (cst < 0 || st < 0)
		return -1;
	if (st != 0 || cst != 0) {
		free(*digest);
		*digest = NULL;
		return dk_err_set(err, "snapshot diff %s | commit failed (status %d, %d)", key, st,
				  cst);
	}
	return 0;
}

int bf_snap_prepare(struct bf_build *b, const char *image, const char *key, char **rootfs,
		    struct dk_err *err)
{
	char *argv[] = {"snapshot", "--root", b->root, "prepare", (char *)image, (char *)key, NULL};
	int st = bf_tool(argv, -1, -1, rootfs, err);

	if (st < 0)
		return -1;
	if (st != 0)
		return dk_err_set(err, "snapshot prepare %s failed (status %d)", image, st);
	return 0;
}

int bf_tool_silent(char *const *argv)
{
	struct dk_err err;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid_t pid = spawn(argv, null, null, null, &err);
	int st = pid < 0 ? -1 : bf_wait(pid, argv[0], &err);

	if (null >= 0)
		close(null);
	return st;
}

void bf_snap_remove(struct bf_build *b, const char *key)
{
	char *argv[] = {"snapshot", "--root", b->root, "remove", (char *)key, NULL};
	struct dk_err err;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (bf_tool(argv, -1, null, NULL, &err) != 0)
		fprintf(stderr, "buildfile: warning: could not remove snapshot %s\n", key);
	if (null >= 0)
		close(null);
}
