// SPDX-License-Identifier: GPL-2.0-or-later
/* spawn.c: starting the container: stdio pipes (or a console socket for
 * -t, on which the runtime hands over the pty master), `runtime run -d`
 * with a pid file, and docker's status for a container that could not
 * start (126 cannot execute, 127 not found, else 125). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "monitor.h"

#define CONSOLE "console.sock" /* relative: we run in the container's dir */

char *mon_tool_path(const char *name)
{
	return dk_tool_sibling("monitor", name);
}

static void child_stdio(int in, int out, int errfd)
{
	int null = open("/dev/null", O_RDWR);
	int fds[3] = {in < 0 ? null : in, out < 0 ? null : out, errfd < 0 ? null : errfd};

	/* dup to high numbers first so no target is overwritten early */
	for (int i = 0; i < 3; i++)
		fds[i] = fcntl(fds[i], F_DUPFD, 10);
	for (int i = 0; i < 3; i++)
		dup2(fds[i], i);
}

pid_t mon_tool_start(const char *tool, const char *root, char *const *args, int in, int out,
		     int errfd)
{
	cleanup_free char *path = mon_tool_path(tool);
	char **argv = NULL;
	pid_t pid;

	if (!path || dk_strv_push(&argv, path) < 0 || dk_strv_push(&argv, "--root") < 0 ||
	    dk_strv_push(&argv, root) < 0)
		return -1;
	for (; *args; args++)
		dk_strv_push(&argv, *args);
	pid = fork();
	if (pid == 0) {
		child_stdio(in, out, errfd);
		execv(path, argv);
		_exit(127);
	}
	dk_strv_free(argv);
	return pid;
}

int mon_wait(pid_t pid)
{
	int ws;

	if (pid <= 0)
		return -1;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

int mon_runtime(struct mon *m, char *const *args, int in, int out, int errfd)
{
	cleanup_free char *state = dk_path_join(m->root, "run");

	return state ? mon_wait(mon_tool_start("runtime", state, args, in, out, errfd)) : -1;
}

static int console_listen(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	unlink(CONSOLE);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", CONSOLE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int console_recv(int lfd)
{
	char byte[256];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = byte, .iov_len = sizeof(byte)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct pollfd p = {.fd = lfd, .events = POLLIN};
	cleanup_close int c = -1;
	int fd = -1;

	if (poll(&p, 1, 0) <= 0)
		return -1;
	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0 || recvmsg(c, &mh, MSG_CMSG_CLOEXEC) < 0)
		return -1;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h))
		if (h->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

/* Everything the failed runtime wrote, without trailing newlines. */
static void read_error(int fd, struct dk_err *err)
{
	char buf[DK_ERR_MSG_MAX];
	size_t len = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	while (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	dk_err_set(err, "%s", len ? buf : "the runtime failed");
}

static int docker_status(const char *msg)
{
	if (strstr(msg, "not found") || strstr(msg, "No such file"))
		return 127;
	if (strstr(msg, "ermission denied") || strstr(msg, "exec format"))
		return 126;
	return 125;
}

static int read_pid(struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	if (dk_read_file_at(AT_FDCWD, "pid", 64, &buf, &len, err) < 0)
		return -1;
	return atoi(buf);
}

static void window_size(int master)
{
	struct winsize ws;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* Pipes: in (when -i), out, err; the container's ends in theirs. */
static int make_pipes(struct mon *m, int theirs[3], int errp[2])
{
	int p[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};

	if ((m->rec.o.open_stdin && !m->rec.o.tty && pipe2(p[0], O_CLOEXEC) < 0) ||
	    pipe2(errp, O_CLOEXEC) < 0)
		return -1;
	if (!m->rec.o.tty && (pipe2(p[1], O_CLOEXEC) < 0 || pipe2(p[2], O_CLOEXEC) < 0))
		return -1;
	theirs[0] = p[0][0], m->in_w = p[0][1];
	theirs[1] = p[1][1], m->out_r = p[1][0];
	theirs[2] = p[2][1], m->err_r = p[2][0];
	if (m->rec.o.tty) /* the runtime's own messages */
		theirs[2] = errp[1];
	else
		close(errp[0]), close(errp[1]), errp[0] = p[2][0], errp[1] = -1;
	return 0;
}

int mon_spawn(struct mon *m, int *status, struct dk_err *err)
{
	char *args[10] = {"run", "-d", "--bundle", m->dir, "--pid-file", "pid"};
	int theirs[3], errp[2] = {-1, -1}, lfd = -1, rc;

	*status = 125;
	m->master = m->in_w = m->out_r = m->err_r = -1;
	if (make_pipes(m, theirs, errp) < 0)
		return dk_err_sys(err, "creating pipes");
	if (m->rec.o.tty) {
		lfd = console_listen();
		if (lfd < 0)
			return dk_err_sys(err, "console socket");
		args[6] = "--console-socket", args[7] = CONSOLE;
	}
	args[args[6] ? 8 : 6] = (char *)m->id;
	unlink("pid");
	rc = mon_runtime(m, args, theirs[0], theirs[1], theirs[2]);
	for (int i = 0; i < 3; i++)
		if (theirs[i] >= 0)
			close(theirs[i]);
	if (rc != 0) {
		read_error(errp[0], err);
		*status = docker_status(err->msg);
		return -1;
	}
	if (m->rec.o.tty) {
		m->master = console_recv(lfd);
		close(lfd);
		unlink(CONSOLE);
		if (m->master < 0)
			return dk_err_set(err, "no pty came on the console socket");
		if (m->attach)
			window_size(m->master);
		close(errp[0]);
	}
	m->pid = read_pid(err);
	return m->pid > 0 ? 0 : -1;
}
