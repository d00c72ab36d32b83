// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_events.c: events, as runc's: a stats record every --interval
 * (default 5s) and an "oom" record whenever the container's memory cgroup
 * runs out of memory, until the container stops; --stats prints one stats
 * record. One poll(2) waits for all three (the timer, init's pidfd, the
 * OOM notification): no busy loop. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "duration.h"
#include "oom.h"
#include "state.h"

struct events_opts {
	bool stats;
	int64_t interval_ns;
};

static int parse(int argc, char **argv, struct events_opts *o)
{
	static const struct option opts[] = {{"stats", no_argument, NULL, 's'},
					     {"interval", required_argument, NULL, 'i'},
					     {NULL, 0, NULL, 0}};
	int c;

	*o = (struct events_opts){.interval_ns = 5000000000LL};
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's') {
			o->stats = true;
		} else if (c == 'i') {
			o->interval_ns = dk_parse_duration(optarg);
			if (o->interval_ns <= 0)
				return dk_usage_error("events: --interval \"%s\" is not a positive "
						      "duration (such as 5s, 500ms, 1m)",
						      optarg);
		} else {
			return dk_usage_error("events: unknown option");
		}
	}
	if (optind != argc - 1)
		return dk_usage_error("events: expected one container id");
	return 0;
}

/* One record: {"type":TYPE,"id":ID[,"data":STATS]}. */
static void print_record(const struct rt_state *st, const char *type)
{
	struct dk_jgen *g = dk_jgen_new(false);
	const char *buf;
	size_t len;
	struct dk_err err;

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", type);
	dk_jgen_kstr(g, "id", st->id);
	if (!strcmp(type, "stats")) {
		dk_jgen_str(g, "data");
		rt_cgroup_stats(st->cgroups, g);
	}
	dk_jgen_map_close(g);
	if (dk_jgen_finish(g, &buf, &len, &err) == 0) {
		printf("%.*s\n", (int)len, buf);
		fflush(stdout);
	}
	dk_jgen_free(g);
}

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Records until init's pidfd says it exited. */
static int stream(const struct rt_state *st, int pidfd, int64_t interval, struct dk_err *err)
{
	struct rt_oom oom;
	int64_t next = now_ns() + interval;

	if (rt_oom_open(st->cgroups, &oom, err) < 0)
		return -1;
	for (;;) {
		struct pollfd p[2] = {{.fd = pidfd, .events = POLLIN},
				      {.fd = oom.fd, .events = oom.events}};
		int64_t left = (next - now_ns() + 999999) / 1000000; /* ms */
		int n = poll(p, oom.fd >= 0 ? 2 : 1,
			     left <= 0 ? 0 : (int)(left < INT_MAX ? left : INT_MAX));
		if (n < 0 && errno != EINTR) {
			rt_oom_close(&oom);
			return dk_err_sys(err, "poll");
		}
		if (n > 0 && (p[1].revents & (oom.events | POLLERR)) && rt_oom_fired(&oom))
			print_record(st, "oom");
		if (n > 0 && p[0].revents) {
			/* killed for lack of memory: the counter may have
			 * risen without a wakeup we saw yet */
			if (oom.fd >= 0 && rt_oom_fired(&oom))
				print_record(st, "oom");
			break;
		}
		if (n == 0) {
			print_record(st, "stats");
			next += interval;
		}
	}
	rt_oom_close(&oom);
	return 0;
}

/* A pidfd of the container's init, checked to be that process (not a
 * reuse of its pid); -1 with err when the container is not running. */
static int open_init(int dirfd, const struct rt_state *st, struct dk_err *err)
{
	int fd;

	if (!strcmp(rt_state_status(dirfd, st), "stopped"))
		return dk_err_set(err, "container \"%s\" is not running", st->id);
	fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	if (fd < 0)
		return dk_err_sys(err, "opening init %d", st->pid);
	if (!strcmp(rt_state_status(dirfd, st), "stopped")) {
		close(fd);
		return dk_err_set(err, "container \"%s\" is not running", st->id);
	}
	return fd;
}

int cmd_events(int argc, char **argv)
{
	struct events_opts o;
	struct rt_state st;
	struct dk_err err;
	int fd, pidfd, rc = 0;

	if ((rc = parse(argc, argv, &o)) != 0)
		return rc;
	fd = rt_state_open(rt_g.root, argv[optind], &err);
	if (fd < 0 || rt_state_read(fd, &st, &err) < 0) {
		if (fd >= 0)
			close(fd);
		return rt_fail("events", &err);
	}
	if (o.stats) {
		print_record(&st, "stats");
		close(fd);
		rt_state_clear(&st);
		return 0;
	}
	pidfd = open_init(fd, &st, &err);
	close(fd); /* the state lock: kill and delete go on while we watch */
	if (pidfd < 0 || stream(&st, pidfd, o.interval_ns, &err) < 0)
		rc = rt_fail("events", &err);
	if (pidfd >= 0)
		close(pidfd);
	rt_state_clear(&st);
	return rc;
}
