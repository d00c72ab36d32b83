// SPDX-License-Identifier: GPL-2.0-or-later
/* hooks.c: fork, exec with args and env, state JSON on stdin, timeout. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hooks.h"

static const char *kind_name[RT_HOOK_KINDS] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

static int wait_timeout(pid_t pid, int timeout, int *st)
{
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t r = waitpid(pid, st, timeout ? WNOHANG : 0);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout && now.tv_sec - t0.tv_sec >= timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, st, 0);
			return 1;
		}
		if (timeout)
			usleep(2000);
	}
}

static int run_one(const struct rt_hook *h, const char *state, struct dk_err *err)
{
	int p[2], st = 0, rc;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = fork();
	if (pid < 0)
		return dk_err_sys(err, "fork");
	if (pid == 0) {
		dup2(p[0], 0);
		char *const *args = h->args[0] ? h->args : (char *[]){h->path, NULL};
		execve(h->path, args, h->env);
		_exit(127);
	}
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	if (state && write(p[1], state, strlen(state)) < 0 && errno != EPIPE) {
		close(p[1]);
		return dk_err_sys(err, "writing the state to the hook");
	}
	close(p[1]);
	rc = wait_timeout(pid, h->timeout, &st);
	if (rc < 0)
		return dk_err_sys(err, "waiting for the hook");
	if (rc > 0)
		return dk_err_set(err, "timed out after %d s", h->timeout);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		return dk_err_set(err, "exit status %d", WEXITSTATUS(st));
	return dk_err_set(err, "killed by signal %d", WTERMSIG(st));
}

int rt_hooks_run(const struct rt_spec *s, enum rt_hook_kind kind, const char *state_json,
		 struct dk_err *err)
{
	for (size_t i = 0; i < s->n_hooks[kind]; i++)
		if (run_one(&s->hooks[kind][i], state_json, err) < 0)
			return dk_err_wrap(err, "error running %s hook #%zu: %s", kind_name[kind],
					   i, s->hooks[kind][i].path);
	return 0;
}
