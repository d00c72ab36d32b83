// SPDX-License-Identifier: GPL-2.0-or-later
/* sync.c: the runtime <-> container sync socket. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "sync.h"

static int send_msg(int sock, const void *buf, size_t len, int fd, struct dk_err *err)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return dk_err_sys(err, "sending to the sync socket");
	return 0;
}

int rt_sync_send(int sock, int type, const char *text, int fd, struct dk_err *err)
{
	struct rt_msg m = {.type = type};

	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	return send_msg(sock, &m, offsetof(struct rt_msg, text) + strlen(m.text) + 1, fd, err);
}

void rt_sync_send_err(int sock, int status, const struct dk_err *e)
{
	struct rt_msg m = {.type = RT_MSG_ERROR, .status = status, .code = e->code};
	struct dk_err ign;

	snprintf(m.text, sizeof(m.text), "%s", e->msg);
	send_msg(sock, &m, offsetof(struct rt_msg, text) + strlen(m.text) + 1, -1, &ign);
}

int rt_sync_recv(int sock, struct rt_msg *m, int *fd, struct dk_err *err)
{
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	ssize_t n;

	if (fd)
		*fd = -1;
	memset(m, 0, sizeof(*m));
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	/* a peer that exits with our messages unread leaves ECONNRESET
	 * pending, reported before what it sent last (its error): reading
	 * the error clears it, so read once more */
	if (n < 0 && errno == ECONNRESET)
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return dk_err_sys(err, "reading the sync socket");
	if (n == 0)
		return dk_err_set(err, "container process exited during setup");
	m->text[sizeof(m->text) - 1] = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_type == SCM_RIGHTS && fd)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

int rt_sync_expect(int sock, int type, int *fd, int *status, struct dk_err *err)
{
	struct rt_msg m;

	if (rt_sync_recv(sock, &m, fd, err) < 0)
		return -1;
	if (m.type == RT_MSG_ERROR) {
		if (status)
			*status = m.status;
		err->code = m.code;
		snprintf(err->msg, sizeof(err->msg), "%s", m.text);
		return -1;
	}
	if (m.type != type)
		return dk_err_set(err, "sync: expected message %d, got %d", type, m.type);
	return 0;
}

void rt_sync_take_error(int sock, int *status, struct dk_err *err)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};
	struct rt_msg m;
	struct dk_err e;

	if (poll(&p, 1, 100) != 1 || rt_sync_recv(sock, &m, NULL, &e) < 0 || m.type != RT_MSG_ERROR)
		return;
	*status = m.status;
	err->code = m.code;
	snprintf(err->msg, sizeof(err->msg), "%s", m.text);
}

int rt_send_fd(int sock, int fd, const char *name, struct dk_err *err)
{
	if (send_msg(sock, name, strlen(name), fd, err) < 0)
		return dk_err_wrap(err, "console socket");
	return 0;
}
