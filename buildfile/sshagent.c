// SPDX-License-Identifier: GPL-2.0-or-later
/* sshagent.c: --ssh ID=KEY[,KEY...], docker build's key-file form. The
 * build runs an ssh-agent of its own (OpenSSH's, in the foreground) per
 * such option, on a socket in a private directory under $DK_ROOT/build,
 * and loads the keys into it with ssh-add; RUN --mount=type=ssh,id=ID
 * binds that socket. The agents die with the build: a watchdog process
 * stops each at the build's end or as soon as the builder is killed. A key with a
 * passphrase is asked for on the terminal by ssh-add; without one the
 * build fails. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"

/* ssh-agent -D prints its SSH_AUTH_SOCK line once the socket listens. */
static int wait_listening(int fd, struct dk_err *err)
{
	char c;
	ssize_t n;

	while ((n = read(fd, &c, 1)) == 1 || (n < 0 && errno == EINTR))
		if (n == 1 && c == '\n')
			return 0;
	return dk_err_set(err, "ssh-agent exited before it listened");
}

/* The watchdog: a child of the builder that starts the agent and stops it
 * once ctl reads end-of-file, at the end of the build or when the builder
 * dies (the kernel closes its end). PR_SET_PDEATHSIG cannot do this:
 * ssh-agent is set-group-id, and its exec clears the death signal. */
static void watchdog(char **argv, int out, int ctl)
{
	struct bf_spawn how = {.in = -1, .out = out, .errfd = -1};
	struct dk_err err;
	int keep[] = {out, ctl};
	pid_t agent;
	ssize_t n;
	char c;

	/* not another agent's ctl, nor the build's locks */
	if (dk_close_fds_except(3, keep, 2, &err) < 0)
		_exit(1);
	agent = bf_spawn(argv, &how, &err);
	close(out);
	if (agent < 0)
		_exit(1);
	while ((n = read(ctl, &c, 1)) != 0)
		if (n < 0 && errno != EINTR)
			break;
	kill(agent, SIGTERM);
	waitpid(agent, NULL, 0);
	_exit(0);
}

static void stop_agent(struct bf_agent *a)
{
	if (a->ctl >= 0)
		close(a->ctl);
	a->ctl = -1;
	if (a->pid > 0)
		waitpid(a->pid, NULL, 0);
	a->pid = 0;
}

static int start_agent(struct bf_build *b, struct bf_agent *a, struct dk_err *err)
{
	char *argv[] = {"ssh-agent", "-D", "-a", NULL, NULL};
	int p[2], ctl[2];

	if (asprintf(&a->dir, "%s/build/%s-ssh-%u", b->root, b->prefix, b->seq++) < 0 ||
	    !(a->sock = dk_path_join(a->dir, "agent")))
		return dk_err_sys(err, "ssh-agent");
	if (dk_mkdir_p(a->dir, 0700, err) < 0)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		close(p[0]), close(p[1]);
		return dk_err_sys(err, "pipe");
	}
	argv[3] = a->sock;
	if ((a->pid = fork()) == 0) {
		close(p[0]), close(ctl[1]);
		watchdog(argv, p[1], ctl[0]);
	}
	close(p[1]), close(ctl[0]);
	a->ctl = ctl[1];
	if (a->pid < 0)
		dk_err_sys(err, "ssh-agent");
	else if (wait_listening(p[0], err) < 0)
		stop_agent(a);
	close(p[0]);
	return a->pid > 0 ? 0 : -1;
}

/* ssh-add -q KEY... into the agent: its exit status. */
static int run_ssh_add(const char *env, char *const *argv, struct dk_err *err)
{
	struct bf_spawn how = {.in = -1, .out = -1, .errfd = -1, .env = env};
	pid_t pid = bf_spawn(argv, &how, err);

	return pid < 0 ? -1 : bf_wait(pid, "ssh-add", err);
}

static int add_keys(struct bf_agent *a, const char *keys, struct dk_err *err)
{
	cleanup_free char *env = NULL, *list = strdup(keys);
	char **argv = NULL, *save = NULL;
	int st = -1;

	if (!list || asprintf(&env, "SSH_AUTH_SOCK=%s", a->sock) < 0 ||
	    dk_strv_push(&argv, "ssh-add") < 0 || dk_strv_push(&argv, "-q") < 0)
		goto nomem;
	for (char *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save))
		if (dk_strv_push(&argv, k) < 0)
			goto nomem;
	st = run_ssh_add(env, argv, err);
	dk_strv_free(argv);
	if (st > 0)
		return dk_err_set(err, "ssh-add %s: failed (exit %d)", keys, st);
	return st;
nomem:
	dk_strv_free(argv);
	return dk_err_sys(err, "ssh-add");
}

int bf_ssh_agents_start(struct bf_build *b, struct dk_err *err)
{
	for (size_t i = 0; b->o->ssh && b->o->ssh[i]; i++) {
		struct bf_ssh ssh;
		struct bf_agent *a;

		if (bf_ssh_parse(b->o->ssh[i], &ssh, err) < 0)
			return -1;
		if (!ssh.keys)
			continue;
		a = realloc(b->agents, (b->n_agents + 1) * sizeof(*a));
		if (!a)
			return dk_err_sys(err, "--ssh");
		b->agents = a;
		a = &b->agents[b->n_agents++];
		memset(a, 0, sizeof(*a));
		a->ctl = -1;
		snprintf(a->id, sizeof(a->id), "%s", ssh.id);
		if (start_agent(b, a, err) < 0 || add_keys(a, ssh.keys, err) < 0)
			return dk_err_wrap(err, "--ssh %s", b->o->ssh[i]);
	}
	return 0;
}

void bf_ssh_agents_stop(struct bf_build *b)
{
	struct dk_err ignored;

	for (size_t i = 0; i < b->n_agents; i++) {
		struct bf_agent *a = &b->agents[i];

		stop_agent(a);
		if (a->dir)
			dk_rm_rf_at(AT_FDCWD, a->dir, &ignored);
		free(a->dir);
		free(a->sock);
	}
	free(b->agents);
	b->agents = NULL;
	b->n_agents = 0;
}

const char *bf_ssh_agent_socket(const struct bf_build *b, const char *id)
{
	for (size_t i = 0; i < b->n_agents; i++)
		if (!strcmp(b->agents[i].id, id) && b->agents[i].pid > 0)
			return b->agents[i].sock;
	return NULL;
}
