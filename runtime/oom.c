// SPDX-License-Identifier: GPL-2.0-or-later
/* oom.c: OOM notifications of a container's memory cgroup, for the
 * `events` stream: v1's memory.oom_control eventfd, v2's memory.events
 * (kernfs wakes a POLLPRI poller when it changes). Both files carry
 * counters (oom, oom_kill) that tell a real OOM from the wakeup a v1
 * eventfd also gets when its cgroup is removed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "oom.h"

/* The sum of the "oom" and "oom_kill" lines of file; -1 if it has none. */
static long long read_count(int file)
{
	char buf[1024];
	ssize_t n = pread(file, buf, sizeof(buf) - 1, 0);
	long long sum = -1;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!strncmp(l, "oom ", 4))
			sum = (sum < 0 ? 0 : sum) + strtoll(l + 4, NULL, 10);
		else if (!strncmp(l, "oom_kill ", 9))
			sum = (sum < 0 ? 0 : sum) + strtoll(l + 9, NULL, 10);
	}
	return sum;
}

static int open_v1(struct rt_oom *o, struct dk_err *err)
{
	char p[1100], line[64];
	cleanup_close int ctl = -1;
	int n;

	snprintf(p, sizeof(p), "%s/memory.oom_control", o->dir);
	o->file = open(p, O_RDONLY | O_CLOEXEC);
	if (o->file < 0)
		return dk_err_sys(err, "opening %s", p);
	o->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (o->fd < 0)
		return dk_err_sys(err, "eventfd");
	snprintf(p, sizeof(p), "%s/cgroup.event_control", o->dir);
	ctl = open(p, O_WRONLY | O_CLOEXEC);
	n = snprintf(line, sizeof(line), "%d %d", o->fd, o->file);
	if (ctl < 0 || write(ctl, line, (size_t)n) != n)
		return dk_err_sys(err, "registering for OOM events in %s", p);
	o->events = POLLIN;
	return 0;
}

static int open_v2(struct rt_oom *o, struct dk_err *err)
{
	char p[1100];

	snprintf(p, sizeof(p), "%s/memory.events", o->dir);
	o->file = open(p, O_RDONLY | O_CLOEXEC);
	if (o->file < 0) {
		if (errno == ENOENT) /* no memory controller in this cgroup */
			return 0;
		return dk_err_sys(err, "opening %s", p);
	}
	o->fd = o->file;
	o->events = POLLPRI;
	return 0;
}

int rt_oom_open(char *const *paths, struct rt_oom *o, struct dk_err *err)
{
	const char *dir = rt_cgroup_dir(paths, "memory", &o->v2);
	int rc;

	o->fd = o->file = -1;
	o->count = -1;
	if (!dir)
		return 0;
	if (snprintf(o->dir, sizeof(o->dir), "%s", dir) >= (int)sizeof(o->dir))
		return dk_err_set(err, "cgroup path %s too long", dir);
	rc = o->v2 ? open_v2(o, err) : open_v1(o, err);
	if (rc < 0) {
		rt_oom_close(o);
		return dk_err_wrap(err, "watching for OOM");
	}
	if (o->file >= 0)
		o->count = read_count(o->file);
	return 0;
}

bool rt_oom_fired(struct rt_oom *o)
{
	uint64_t v = 0;
	bool woke = !o->v2 && read(o->fd, &v, sizeof(v)) == sizeof(v) && v > 0;
	long long now = read_count(o->file);
	char p[1100];

	if (now > o->count) {
		o->count = now;
		return true;
	}
	if (now >= 0 || !woke)
		return false;
	/* a v1 kernel without the oom_kill counter: the eventfd also fires
	 * when the cgroup goes away */
	snprintf(p, sizeof(p), "%s/cgroup.event_control", o->dir);
	return access(p, F_OK) == 0;
}

void rt_oom_close(struct rt_oom *o)
{
	if (o->fd >= 0 && o->fd != o->file)
		close(o->fd);
	if (o->file >= 0)
		close(o->file);
	o->fd = o->file = -1;
}
