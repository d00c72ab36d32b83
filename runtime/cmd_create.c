// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_create.c: the create, run and start commands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "commands.h"
#include "container.h"
#include "terminal.h"

struct create_args {
	struct rt_create_opts o;
	bool detach, keep;
	char bundle[PATH_MAX], pid_file[PATH_MAX];
};

/* A relative path names a file from where we were called, not from the
 * bundle (create works in the bundle): make it absolute. */
static const char *from_cwd(const char *path, char *buf, size_t size)
{
	char cwd[PATH_MAX];

	if (!path || path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return path;
	if ((size_t)snprintf(buf, size, "%s/%s", cwd, path) >= size)
		return path;
	return buf;
}

static int parse_create(int argc, char **argv, struct create_args *a, bool run)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, NULL, 'b'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"preserve-fds", required_argument, NULL, 'P'},
	    {"no-pivot", no_argument, NULL, 'n'},
	    {"no-new-keyring", no_argument, NULL, 'k'},
	    {"detach", no_argument, NULL, 'd'},
	    {"keep", no_argument, NULL, 'K'},
	    {"no-subreaper", no_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *bundle = ".";
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, run ? "b:dh" : "b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bundle = optarg; break;
		case 'p': a->o.pid_file = optarg; break;
		case 'c': a->o.console_socket = optarg; break;
		case 'P': a->o.preserve_fds = atoi(optarg); break;
		case 'n': a->o.no_pivot = true; break;
		case 'k': a->o.no_new_keyring = true; break;
		case 'd': a->detach = true; break;
		case 'K': a->keep = true; break;
		case 'S': break;
		case 'h':
			printf(
			    "Usage: runtime %s [--bundle DIR] [--pid-file F] [--console-socket SOCK]\n"
			    "       [--preserve-fds N] [--no-pivot] [--no-new-keyring]%s ID\n",
			    argv[0], run ? " [-d] [--keep]" : "");
			return -2;
		default: return dk_usage_error("%s: unknown option", argv[0]), -1;
		}
	}
	if (optind != argc - 1)
		return dk_usage_error("%s: expected one container id", argv[0]), -1;
	if (!realpath(bundle, a->bundle)) {
		struct dk_err e;
		dk_err_sys(&e, "bundle %s", bundle);
		return rt_fail(argv[0], &e), -3;
	}
	a->o.pid_file = from_cwd(a->o.pid_file, a->pid_file, sizeof(a->pid_file));
	a->o.id = argv[optind];
	a->o.bundle = a->bundle;
	a->o.root = rt_g.root;
	return 0;
}

static int parse_status(int rc)
{
	return rc == -2 ? 0 : rc == -3 ? 1 : 2;
}

int cmd_create(int argc, char **argv)
{
	struct create_args a = {0};
	struct rt_container c;
	struct dk_err err;
	int rc = parse_create(argc, argv, &a, false), status;
	char what[300];

	if (rc < 0)
		return parse_status(rc);
	snprintf(what, sizeof(what), "create %s", a.o.id);
	if (rt_create(&a.o, &c, &status, &err) < 0)
		return rt_fail(what, &err);
	rt_container_close(&c);
	return 0;
}

static pid_t fwd_pid;
static void forward(int sig)
{
	if (fwd_pid > 0)
		kill(fwd_pid, sig);
}

static int wait_forwarding(pid_t pid, int *ws)
{
	static const int sigs[] = {SIGTERM, SIGINT,   SIGHUP,  SIGQUIT, SIGUSR1,
				   SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP};
	struct sigaction sa = {.sa_handler = forward};

	fwd_pid = pid;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	while (waitpid(pid, ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int exit_status(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return 1;
}

int cmd_run(int argc, char **argv)
{
	struct create_args a = {0};
	struct rt_container c;
	struct dk_err err;
	int rc = parse_create(argc, argv, &a, true), status, ws = 0;
	char what[300];
	pid_t pid;

	if (rc < 0)
		return parse_status(rc);
	snprintf(what, sizeof(what), "run %s", a.o.id);
	a.o.foreground = !a.detach;
	if (rt_create(&a.o, &c, &status, &err) < 0)
		return rt_fail_status(a.detach ? 1 : status, what, &err);
	if (rt_start(&c, &err) < 0) {
		rt_container_close(&c);
		rt_delete(a.o.root, a.o.id, true, &(struct dk_err){0});
		return rt_fail(what, &err);
	}
	pid = c.st.pid;
	close(c.dirfd); /* let state, kill, exec in */
	c.dirfd = -1;
	if (a.detach) {
		rt_container_close(&c);
		return 0;
	}
	if (c.master >= 0)
		rc = rt_tty_proxy(c.master, pid, &ws);
	else
		rc = wait_forwarding(pid, &ws);
	/* --keep: as runc, the stopped container stays for state and delete */
	if (!a.keep && rt_delete_spec(a.o.root, a.o.id, true, c.spec, &err) < 0)
		rt_fail(what, &err);
	rt_container_close(&c);
	return rc < 0 ? 1 : exit_status(ws);
}

int cmd_start(int argc, char **argv)
{
	struct rt_container c = {.dirfd = -1, .fifo = -1, .master = -1};
	struct dk_err err;
	char what[300];
	int rc = 0;

	if (argc != 2)
		return dk_usage_error("start: expected one container id");
	snprintf(what, sizeof(what), "start %s", argv[1]);
	c.dirfd = rt_state_open(rt_g.root, argv[1], &err);
	if (c.dirfd < 0)
		return rt_fail(what, &err);
	if (rt_state_read(c.dirfd, &c.st, &err) < 0 || rt_start(&c, &err) < 0)
		rc = rt_fail(what, &err);
	rt_container_close(&c);
	return rc;
}
