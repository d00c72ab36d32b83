// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor: one per running container, in the role conmon plays for
 * podman. Started detached by `container start` (double fork, own
 * session), it starts the container through the runtime, relays and logs
 * its output, serves attach, records the exit and applies the restart
 * policy; with --rm it removes the container. Reports to its starter on
 * --sync-fd: "ok PID", "err STATUS MESSAGE", then "exit STATUS". */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "fs.h"
#include "volume.h"
#include "monitor.h"

static void usage(void)
{
	printf("Usage: monitor [--root DIR] [--sync-fd N] [--attach] ID\n\n"
	       "Start container ID (created by `container create`) and watch it:\n"
	       "log its output, serve attach, record its exit, restart it as its\n"
	       "policy says, remove it when it was created with --rm.\n\n"
	       "Options:\n"
	       "  --root DIR     dk root (default $DK_ROOT, /var/lib/dk for root)\n"
	       "  --sync-fd N    report \"ok PID\" / \"err STATUS MSG\" / \"exit STATUS\"\n"
	       "  --attach       our stdin/stdout/stderr are the container's client\n"
	       "  --help         show this help\n"
	       "  --version      show the version\n");
}

void mon_say(struct mon *m, const char *fmt, ...)
{
	char buf[DK_ERR_MSG_MAX + 64];
	struct dk_err err;
	va_list ap;
	int n;

	if (m->sync_fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || dk_write_all(m->sync_fd, buf, strlen(buf), &err) < 0) {
		close(m->sync_fd);
		m->sync_fd = -1;
	}
}

static int attach_listen(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "attach.sock"};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	unlink(sa.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0)
		return -1;
	return fd;
}

static int exit_code(int ws)
{
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static void backoff(int n)
{
	long ms = 100L << (n < 8 ? n : 8);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* --rm: `snapshot remove` (started beside the runtime's delete), then the
 * name and the record. A snapshot that would not go keeps the record, for
 * `container rm` to try again. */
static pid_t remove_start(struct mon *m)
{
	char *args[] = {"remove", (char *)m->id, NULL};

	return mon_tool_start("snapshot", m->root, args, -1, -1, 2);
}

static void remove_finish(struct mon *m, pid_t snap)
{
	struct dk_err err;

	if (mon_wait(snap) != 0)
		return;
	if (dk_crec_remove(m->cdir, m->id, m->rec.name, &err) < 0)
		fprintf(stderr, "monitor: %s\n", err.msg);
	else /* docker's --rm also removes the container's anonymous volumes */
		dk_vol_remove_anonymous(m->root, m->rec.o.hc.mounts, m->id);
}

/* Start, watch, record; again while the policy says so. Returns the last
 * exit code, or -1 when the container did not start. */
static int lifecycle(struct mon *m, int sfd)
{
	int status, code = -1;
	struct dk_err err = {0};

	for (int round = 0;; round++) {
		status = DK_EXIT_RUN_FAIL;
		if (mon_net_up(m, &err) < 0 || mon_spawn(m, &status, &err) < 0) {
			mon_net_down(m);
			mon_rec_failed(m, status, err.msg);
			mon_say(m, "err %d %s\n", status, err.msg);
			return -1;
		}
		mon_rec_running(m, round > 0);
		if (round == 0)
			mon_say(m, "ok %d\n", m->pid);
		mon_memcg(m);
		mon_health_init(m);
		mon_proxies_start(m);
		code = exit_code(mon_relay(m, sfd));
		bool oom = mon_oom_killed(m);
		pid_t del = mon_cleanup_start(m);
		bool again = mon_should_restart(m, code);
		/* --rm: the snapshot goes while the runtime deletes its part */
		pid_t snap = !again && m->rec.o.auto_remove ? remove_start(m) : -1;
		mon_wait(del);
		mon_net_down(m);
		mon_rec_exited(m, code, oom, !again);
		if (!again) {
			if (snap > 0)
				remove_finish(m, snap);
			return code;
		}
		backoff(round);
	}
}

static int run(struct mon *m)
{
	sigset_t chld;
	struct dk_err err;
	int sfd, code;

	if (chdir(m->dir) < 0 || dk_crec_load(m->cdir, m->id, &m->rec, &err) < 0) {
		mon_say(m, "err 125 container %s: %s\n", m->id, err.msg);
		return 1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	mon_rec_starting(m);
	m->log = m->rec.o.log_none
		     ? NULL
		     : mon_log_open(m->dir, m->rec.o.log_max_size, m->rec.o.log_max_file);
	m->listen_fd = attach_listen();
	code = lifecycle(m, sfd);
	mon_log_close(m->log);
	unlink("attach.sock");
	if (code < 0 && m->rec.o.auto_remove) { /* it never started */
		mon_wait(mon_cleanup_start(m));
		remove_finish(m, remove_start(m));
	}
	if (code >= 0)
		mon_say(m, "exit %d\n", code);
	dk_crec_free(&m->rec);
	free(m->proxies);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, 'r'}, {"sync-fd", required_argument, NULL, 's'},
	    {"attach", no_argument, NULL, 'a'},	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0},
	};
	struct mon m = {.sync_fd = -1, .listen_fd = -1, .check_out = -1, .slirp_exit = -1};
	const char *root = NULL;
	int c;

	dk_tool_name = "monitor";
	while ((c = dk_getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 's': m.sync_fd = atoi(optarg); break;
		case 'a': m.attach = true; break;
		case 'h': usage(); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	if (optind + 1 != argc)
		return dk_usage_error("want exactly one container ID");
	m.id = argv[optind];
	m.root = dk_default_root(root);
	if (!m.root)
		return dk_usage_error("root directory: %s", strerror(errno));
	m.cdir = m.root ? dk_crec_dir(m.root) : NULL;
	m.dir = m.cdir ? dk_path_join(m.cdir, m.id) : NULL;
	if (!m.dir || strchr(m.id, '/'))
		return dk_usage_error("bad container ID \"%s\"", m.id);
	c = run(&m);
	free(m.root);
	free(m.cdir);
	free(m.dir);
	return c;
}
