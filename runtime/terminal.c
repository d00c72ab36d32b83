// SPDX-License-Identifier: GPL-2.0-or-later
/* terminal.c: pty setup in the container and the foreground copy loop. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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
#include "terminal.h"

int rt_tty_setup(const struct rt_process *p, struct dk_err *err)
{
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int slave, unlock = 0, n;
	char name[64];

	if (master < 0)
		return dk_err_sys(err, "terminal: opening /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0) {
		dk_err_sys(err, "terminal: unlocking the pty");
		goto fail;
	}
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		dk_err_sys(err, "terminal: opening %s", name);
		goto fail;
	}
	/* as runc: the process's user owns its terminal (the group stays the
	 * one devpts gave, tty with gid=5) */
	if (fchown(slave, p->uid, (gid_t)-1) < 0 && errno != EPERM && errno != EINVAL) {
		dk_err_sys(err, "terminal: chown %s to %u", name, p->uid);
		close(slave);
		goto fail;
	}
	/* as runc: no \n -> \r\n on output, so what the container prints
	 * reads the same through the pty as through a pipe */
	{
		struct termios t;
		if (tcgetattr(slave, &t) == 0) {
			t.c_oflag &= ~(tcflag_t)ONLCR;
			tcsetattr(slave, TCSANOW, &t);
		}
	}
	if (p->cons_h && p->cons_w) {
		struct winsize ws = {.ws_row = p->cons_h, .ws_col = p->cons_w};
		ioctl(slave, TIOCSWINSZ, &ws);
	}
	if ((getsid(0) != getpid() && setsid() < 0) || ioctl(slave, TIOCSCTTY, 0) < 0) {
		dk_err_sys(err, "terminal: making %s the controlling terminal", name);
		close(slave);
		goto fail;
	}
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0) {
			dk_err_sys(err, "terminal: dup2");
			close(slave);
			goto fail;
		}
	if (slave > 2)
		close(slave);
	return master;
fail:
	close(master);
	return -1;
}

int rt_console_connect(const char *path, struct dk_err *err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return dk_err_set(err, "console socket %s: path too long", path);
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return dk_err_sys(err, "console socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		dk_err_sys(err, "connecting to console socket %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

static volatile sig_atomic_t winch;
static void on_winch(int sig)
{
	(void)sig;
	winch = 1;
}

static bool copy(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EINTR;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, n - off);
		if (w < 0 && errno != EINTR)
			return false;
		off += w > 0 ? w : 0;
	}
	return true;
}

int rt_tty_proxy(int master, pid_t pid, int *wstatus)
{
	struct termios saved, raw;
	bool tty = tcgetattr(0, &saved) == 0;
	struct pollfd pf[2] = {{0, POLLIN, 0}, {master, POLLIN, 0}};
	struct winsize ws;

	signal(SIGWINCH, on_winch);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		if (ioctl(0, TIOCGWINSZ, &ws) == 0)
			ioctl(master, TIOCSWINSZ, &ws);
	}
	for (;;) {
		if (winch && tty && ioctl(0, TIOCGWINSZ, &ws) == 0)
			ioctl(master, TIOCSWINSZ, &ws);
		winch = 0;
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			break;
		if (pf[1].revents & (POLLIN | POLLHUP | POLLERR))
			if (!copy(master, 1))
				break;
		if (pf[0].revents & POLLIN) {
			if (!copy(0, master))
				pf[0].fd = -1;
		} else if (pf[0].revents & (POLLHUP | POLLERR)) {
			pf[0].fd = -1;
		}
	}
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
	while (waitpid(pid, wstatus, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}
