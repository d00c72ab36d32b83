// SPDX-License-Identifier: GPL-2.0-or-later
/* relay.c: the listening socket is made in the caller's network namespace;
 * then the process enters the container's, so every connecting socket made
 * afterwards lives there. Each accepted connection gets a child that
 * splices bytes both ways until both sides are done. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "cleanup.h"
#include "fs.h"
#include "proxy.h"

int proxy_parse_addr(const char *s, const char *def, struct sockaddr_in *out, struct dk_err *err)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	char *end;
	long port;

	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - s) : 0, s);
	if (!colon)
		snprintf(host, sizeof(host), "%s", def);
	port = strtol(colon ? colon + 1 : s, &end, 10);
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	if (*end || end == (colon ? colon + 1 : s) || port < 0 || port > 65535)
		return dk_err_set(err, "invalid port in \"%s\"", s);
	if (inet_pton(AF_INET, host, &out->sin_addr) != 1)
		return dk_err_set(err, "invalid IPv4 address in \"%s\"", s);
	out->sin_port = htons((uint16_t)port);
	return 0;
}

static int open_listener(const struct sockaddr_in *a, struct dk_err *err)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return dk_err_sys(err, "socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)a, sizeof(*a)) < 0 || listen(fd, 128) < 0) {
		dk_err_sys(err, "listening on %s:%d", inet_ntoa(a->sin_addr), ntohs(a->sin_port));
		close(fd);
		return -1;
	}
	return fd;
}

static int enter_netns(const char *path, struct dk_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "network namespace %s", path);
	if (setns(fd, CLONE_NEWNET) < 0)
		return dk_err_sys(err, "entering network namespace %s", path);
	return 0;
}

/* Copy what is readable from one side to the other; 0 at EOF. */
static ssize_t pump(int from, int to)
{
	char buf[65536];
	ssize_t n = read(from, buf, sizeof(buf));
	struct dk_err err;

	if (n > 0 && dk_write_all(to, buf, n, &err) < 0)
		return -1;
	return n;
}

static void relay(int a, int b)
{
	struct pollfd p[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
	int open_dirs = 2;

	while (open_dirs > 0 && poll(p, 2, -1) > 0) {
		for (int i = 0; i < 2; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = pump(p[i].fd, p[1 - i].fd);
			if (n < 0)
				return;
			if (n == 0) { /* half-close: pass EOF on */
				shutdown(p[1 - i].fd, SHUT_WR);
				p[i].fd = -1;
				open_dirs--;
			}
		}
	}
}

static void serve_one(int client, const struct sockaddr_in *to)
{
	int up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (up < 0 || connect(up, (const struct sockaddr *)to, sizeof(*to)) < 0) {
		fprintf(stderr, "proxy: connecting to %s:%d in the container: %s\n",
			inet_ntoa(to->sin_addr), ntohs(to->sin_port), strerror(errno));
		_exit(1);
	}
	relay(client, up);
	_exit(0);
}

static int write_ready(const struct proxy_opts *o, int lfd, struct dk_err *err)
{
	struct sockaddr_in got;
	socklen_t len = sizeof(got);
	char pid[32];

	if (getsockname(lfd, (struct sockaddr *)&got, &len) == 0)
		printf("%d\n", ntohs(got.sin_port));
	fflush(stdout);
	if (!o->pid_file)
		return 0;
	int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	return dk_write_file_at(AT_FDCWD, o->pid_file, pid, n, 0644, err);
}

int proxy_run(const struct proxy_opts *o, struct dk_err *err)
{
	cleanup_close int lfd = open_listener(&o->listen, err);

	if (lfd < 0 || enter_netns(o->netns, err) < 0)
		return -1;
	if (write_ready(o, lfd, err) < 0)
		return -1;
	signal(SIGCHLD, SIG_IGN); /* children reap themselves */
	for (;;) {
		int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return dk_err_sys(err, "accepting");
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(lfd);
			serve_one(c, &o->to);
		}
		close(c);
	}
}
