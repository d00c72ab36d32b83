// SPDX-License-Identifier: GPL-2.0-or-later
/* start.c: starting a container's monitor (double fork into its own
 * session, so the container outlives us) and, attached, being its
 * foreground client: the caller's stdio are handed to the monitor, the
 * terminal goes raw for -t, signals are passed to the container. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "container.h"

static void exec_monitor(const char *id, int sync, bool attach, bool interactive)
{
	char *path = ctr_tool_path("monitor"), fd[16];
	int null = open("/dev/null", O_RDWR);

	if (setsid() < 0 || fork() != 0)
		_exit(0);
	if (!attach)
		dup2(null, 1), dup2(null, 2);
	if (!attach || !interactive)
		dup2(null, 0);
	snprintf(fd, sizeof(fd), "%d", sync);
	execl(path, path, "--root", ctr_g.root, "--sync-fd", fd, attach ? "--attach" : id,
	      attach ? id : (char *)NULL, (char *)NULL);
	_exit(127);
}

/* Spawn the monitor; returns the read end of its report pipe. */
static int spawn(const char *id, bool attach, bool interactive, struct dk_err *err)
{
	int p[2], ws;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = fork();
	if (pid < 0)
		return dk_err_sys(err, "fork");
	if (pid == 0) {
		close(p[0]);
		fcntl(p[1], F_SETFD, 0);
		exec_monitor(id, p[1], attach, interactive);
	}
	close(p[1]);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	return p[0];
}

/* One line from the monitor ("ok PID", "err N MSG", "exit N"). */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return len ? 0 : -1;
}

static pid_t fwd_pid;
static void forward(int sig)
{
	if (fwd_pid > 0)
		kill(fwd_pid, sig);
}

static void proxy_signals(pid_t pid)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
	struct sigaction sa = {.sa_handler = forward};

	fwd_pid = pid;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The exit status after the monitor went away without saying it. */
static int status_from_record(const char *id)
{
	struct dk_crec r;
	struct dk_err err;
	int code = DK_EXIT_RUN_FAIL;

	if (ctr_load(id, &r, &err) == 0) {
		if (!strcmp(r.status, "exited"))
			code = r.exit_code;
		dk_crec_free(&r);
	}
	return code;
}

static int attached(const char *id, int fd, bool tty)
{
	struct termios saved, raw;
	bool restore = false;
	char line[64];
	int code;

	if (tty && isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		restore = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	if (read_line(fd, line, sizeof(line)) == 0 && !strncmp(line, "exit ", 5))
		code = atoi(line + 5);
	else if (!strcmp(line, "detached"))
		code = 0; /* ctrl-p ctrl-q: the container runs on */
	else
		code = status_from_record(id);
	if (restore)
		tcsetattr(0, TCSANOW, &saved);
	return code;
}

int ctr_start(const char *id, bool attach, bool interactive, struct dk_err *err)
{
	cleanup_close int fd = spawn(id, attach, interactive, err);
	char line[DK_ERR_MSG_MAX + 64];
	struct dk_crec r;
	bool tty = false;

	if (fd < 0)
		return -DK_EXIT_RUN_FAIL;
	if (read_line(fd, line, sizeof(line)) < 0) {
		dk_err_set(err, "container %s: the monitor ended without a word", id);
		return -DK_EXIT_RUN_FAIL;
	}
	if (!strncmp(line, "err ", 4)) {
		char *msg = strchr(line + 4, ' ');
		dk_err_set(err, "%s", msg ? msg + 1 : "failed to start");
		return -atoi(line + 4); /* -status */
	}
	if (!attach)
		return 0;
	if (ctr_load(id, &r, err) == 0) {
		tty = r.o.tty;
		dk_crec_free(&r);
	}
	if (!tty)
		proxy_signals(atoi(line + 3));
	return attached(id, fd, tty);
}
