// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor.h: the per-container monitor (conmon's role): it starts the
 * container through the runtime, holds its pty or stdio, writes the
 * json-file log, serves attach, records the exit and applies the
 * restart policy. */
#ifndef MONITOR_H
#define MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "crecord.h"

struct mon_log;

struct mon {
	char *root;
	const char *id;
	char *cdir, *dir;	/* containers dir, this container's dir */
	struct dk_crec rec;	/* as loaded at start (options) */
	int sync_fd;		/* to the starting `container`, -1 when gone */
	bool attach;		/* our stdio is the client's (foreground run) */
	pid_t pid;		/* the container's init */
	int master;		/* pty master (-t), else -1 */
	int in_w, out_r, err_r; /* pipes to the container (non-tty) */
	int listen_fd;		/* attach.sock */
	struct mon_log *log;
	int slirp_exit;	 /* write end of slirp4netns's --exit-fd, or -1 */
	pid_t slirp_pid; /* slirp4netns, reparented to us */
	pid_t *proxies;
	size_t n_proxies;
	char memcg[512];			     /* the container's memory cgroup, for OOM */
	pid_t check_pid;			     /* a running health check */
	double started_mono, check_due, check_began; /* CLOCK_MONOTONIC */
	char check_begin[64];
	int check_out; /* memfd: the running check's stdout and stderr, or -1 */
};

/* Start the container (runtime run -d); sets pid and the stdio fds. On
 * failure *status is docker's (125, 126, 127) and err the runtime's
 * message. */
int mon_spawn(struct mon *m, int *status, struct dk_err *err);
/* Move bytes until the container's init exits (reaped through the
 * signalfd sfd) and its output is drained; returns its wait status. */
int mon_relay(struct mon *m, int sfd);
/* Note the container's memory cgroup while it runs; after its exit, tell
 * whether the OOM killer struck in it. */
void mon_memcg(struct mon *m);
bool mon_oom_killed(struct mon *m);
/* After the exit: proxies stopped, `runtime delete` started (its pid). */
pid_t mon_cleanup_start(struct mon *m);
/* Start `proxy` for each published port; stop them. */
void mon_proxies_start(struct mon *m);
void mon_proxies_stop(struct mon *m);

/* Networking (net.c): join the container's network before a start
 * (a failure: docker's 125), leave it after the exit. */
int mon_net_up(struct mon *m, struct dk_err *err);
void mon_net_down(struct mon *m);
/* Record updates (record.c): the monitor took over; the container runs
 * (restart: one more restart); it could not start; it exited (last: no
 * restart follows). */
void mon_rec_starting(struct mon *m);
void mon_rec_running(struct mon *m, bool restart);
void mon_rec_failed(struct mon *m, int status, const char *msg);
void mon_rec_exited(struct mon *m, int code, bool oom, bool last);
bool mon_should_restart(struct mon *m, int code);

/* The image's health check (health.c): start counting at the start;
 * milliseconds until the next thing to do (-1: no check); start or time
 * out a check; record a reaped check (false: pid was not one); kill a
 * running check. */
void mon_health_init(struct mon *m);
int mon_health_wait_ms(const struct mon *m);
void mon_health_tick(struct mon *m);
bool mon_health_reaped(struct mon *m, pid_t pid, int ws);
void mon_health_stop(struct mon *m);

/* json-file log in dir (json.log, rotated json.log.1...). */
struct mon_log *mon_log_open(const char *dir, int64_t max_size, int max_file);
void mon_log_write(struct mon_log *l, const char *stream, const char *buf, size_t len);
void mon_log_flush(struct mon_log *l);
void mon_log_close(struct mon_log *l);

/* A line to the starter on --sync-fd ("ok PID", "detached", ...). */
void mon_say(struct mon *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Path of sibling tool name (next to this binary, same prefix). */
char *mon_tool_path(const char *name);
/* Start sibling tool with --root root and args, stdio as given (-1:
 * /dev/null); the pid or -1. Wait for one: its exit status or -1. */
pid_t mon_tool_start(const char *tool, const char *root, char *const *args, int in, int out,
		     int errfd);
int mon_wait(pid_t pid);
/* Run the runtime with args, stdio as given (-1: /dev/null); returns the
 * exit status or -1. */
int mon_runtime(struct mon *m, char *const *args, int in, int out, int errfd);

#endif
