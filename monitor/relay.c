// SPDX-License-Identifier: GPL-2.0-or-later
/* relay.c: the monitor's loop: the container's output to the log, to the
 * foreground client (our own stdio) and to attached clients; input from
 * them to the container; ends when the container's init is reaped and
 * its output drained. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "monitor.h"

#define MAX_CLIENTS 16

struct relay {
	struct mon *m;
	int sfd, status;
	bool exited, fg_in, fg_out;
	int clients[MAX_CLIENTS];
	size_t n_clients;
	char keys[16]; /* detach keys of the foreground client (-t) */
	int nkeys, matched;
};

/* The foreground client typed the detach keys: let it go (it exits 0),
 * keep the container. Its terminal is not ours to hold any more. */
static void detach(struct relay *r)
{
	int null = open("/dev/null", O_RDWR);

	mon_say(r->m, "detached\n");
	r->fg_in = r->fg_out = false;
	dup2(null, 0), dup2(null, 1), dup2(null, 2);
	close(null);
}

/* Bytes from the foreground terminal minus the detach keys (a partial
 * match is held until it fails); returns the length to pass on. */
static size_t filter_keys(struct relay *r, char *buf, size_t n, bool *detached)
{
	char out[65536 + 16];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == r->keys[r->matched]) {
			if (++r->matched == r->nkeys) {
				*detached = true;
				break;
			}
			continue;
		}
		memcpy(out + len, r->keys, (size_t)r->matched); /* not the keys after all */
		len += (size_t)r->matched;
		r->matched = buf[i] == r->keys[0];
		if (!r->matched)
			out[len++] = buf[i];
	}
	memcpy(buf, out, len);
	return len;
}

static void to_client_fd(int *fd, const char *buf, size_t len)
{
	while (*fd >= 0 && len) {
		ssize_t n = write(*fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*fd = -1; /* gone: stop writing to it */
			return;
		}
		buf += n, len -= (size_t)n;
	}
}

static void output(struct relay *r, int fd, const char *stream)
{
	char buf[65536];
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (fd == r->m->master)
			r->m->master = -1;
		else if (fd == r->m->out_r)
			r->m->out_r = -1;
		else
			r->m->err_r = -1;
		close(fd);
		return;
	}
	mon_log_write(r->m->log, stream, buf, (size_t)n);
	if (r->fg_out) {
		int ofd = strcmp(stream, "stderr") ? 1 : 2;
		to_client_fd(&ofd, buf, (size_t)n);
		r->fg_out = ofd >= 0;
	}
	for (size_t i = 0; i < r->n_clients; i++)
		to_client_fd(&r->clients[i], buf, (size_t)n);
}

/* Input for the container from fd (our stdin or a client). */
static bool input(struct relay *r, int fd)
{
	struct mon *m = r->m;
	int to = m->master >= 0 ? m->master : m->in_w;
	char buf[65536];
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		/* end of a piped stdin closes the container's (docker run -i) */
		if (fd == 0 && m->in_w >= 0) {
			close(m->in_w);
			m->in_w = -1;
		}
		return false;
	}
	if (fd == 0 && r->nkeys > 0) {
		bool detached = false;
		n = (ssize_t)filter_keys(r, buf, (size_t)n, &detached);
		if (to >= 0)
			to_client_fd(&to, buf, (size_t)n);
		if (detached)
			detach(r);
		return !detached;
	}
	if (to >= 0)
		to_client_fd(&to, buf, (size_t)n);
	return true;
}

static void reap(struct relay *r)
{
	struct signalfd_siginfo si;
	pid_t pid;
	int ws;

	while (read(r->sfd, &si, sizeof(si)) > 0)
		;
	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
		if (pid == r->m->pid) {
			r->exited = true;
			r->status = ws;
		} else {
			mon_health_reaped(r->m, pid, ws);
		}
}

static void accept_client(struct relay *r)
{
	int c = accept4(r->m->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0)
		return;
	if (r->n_clients == MAX_CLIENTS) {
		close(c);
		return;
	}
	r->clients[r->n_clients++] = c;
}

/* The poll set; returns the number of fds. */
static nfds_t fill(struct relay *r, struct pollfd *p)
{
	struct mon *m = r->m;
	nfds_t n = 0;

	p[n++] = (struct pollfd){.fd = r->sfd, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = m->master, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = m->out_r, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = m->err_r, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = r->fg_in ? 0 : -1, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = r->exited ? -1 : m->listen_fd, .events = POLLIN};
	for (size_t i = 0; i < r->n_clients; i++)
		p[n++] = (struct pollfd){.fd = r->clients[i], .events = POLLIN};
	return n;
}

static void dispatch(struct relay *r, struct pollfd *p, nfds_t n)
{
	if (p[0].revents)
		reap(r);
	if (p[1].revents)
		output(r, p[1].fd, "stdout");
	if (p[2].revents)
		output(r, p[2].fd, "stdout");
	if (p[3].revents)
		output(r, p[3].fd, "stderr");
	if (p[4].revents && !input(r, 0))
		r->fg_in = false;
	if (p[5].revents)
		accept_client(r);
	for (nfds_t i = 6; i < n; i++)
		if (p[i].revents && !input(r, p[i].fd)) {
			close(p[i].fd);
			r->clients[i - 6] = -1;
		}
	/* forget closed clients */
	size_t k = 0;
	for (size_t i = 0; i < r->n_clients; i++)
		if (r->clients[i] >= 0)
			r->clients[k++] = r->clients[i];
	r->n_clients = k;
}

static bool outputs_open(const struct mon *m)
{
	return m->master >= 0 || m->out_r >= 0 || m->err_r >= 0;
}

int mon_relay(struct mon *m, int sfd)
{
	struct relay r = {
	    .m = m, .sfd = sfd, .fg_in = m->attach && m->rec.o.open_stdin, .fg_out = m->attach};
	struct pollfd p[6 + MAX_CLIENTS];

	if (m->rec.o.tty && r.fg_in)
		r.nkeys = dk_detach_keys_parse(m->rec.o.detach_keys, r.keys, sizeof(r.keys));
	struct timespec deadline = {0}, now;

	reap(&r); /* it may have ended already */
	for (;;) {
		nfds_t n = fill(&r, p);
		int timeout = r.exited ? -1 : mon_health_wait_ms(m);

		if (r.exited) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (!deadline.tv_sec)
				deadline = (struct timespec){now.tv_sec + 2, now.tv_nsec};
			if (!outputs_open(m) || now.tv_sec > deadline.tv_sec ||
			    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
				break;
			timeout = 100;
		}
		if (poll(p, n, timeout) < 0 && errno != EINTR)
			break;
		dispatch(&r, p, n);
		if (!r.exited)
			mon_health_tick(m);
	}
	mon_health_stop(m);
	for (size_t i = 0; i < r.n_clients; i++)
		close(r.clients[i]);
	mon_log_flush(m->log);
	return r.status;
}
