// SPDX-License-Identifier: GPL-2.0-or-later
/* slirp.c: rootless networking, as rootless podman has it: `up ID
 * slirp4netns[:OPTS]` makes the namespace file, starts slirp4netns on it
 * (a tap0 with 10.0.2.100, its gateway .2 and DNS forwarder .3, user-mode
 * NAT out through the host's sockets) and publishes UDP -p through its
 * API (add_hostfwd); TCP -p goes through the monitor's relay (`proxy`),
 * which moved 480 MB/s against slirp4netns's 190 MB/s here. slirp4netns
 * exits when the fd given as --exit-fd (the monitor holds the other end)
 * closes, so it dies with the monitor; `down`
 * stops it by pid (checked against its start time). The attachment file
 * (ROOT/netns/ID.d/slirp4netns.json) holds the pid and the ports. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "crecord.h"
#include "fs.h"
#include "network.h"

#define SLIRP_FILE "slirp4netns.json"
#define API_SOCK   ".slirp.sock" /* relative: a socket path holds 108 bytes */
#define LOG_FILE   ".slirp.log"

static void child(const struct dk_slirp *s, const char *ns, int exit_fd, int ready, int log)
{
	char mtu[32], cidr[40], net[20];
	char *argv[16] = {"slirp4netns", "--configure", mtu, cidr};
	int n = 4;

	snprintf(mtu, sizeof(mtu), "--mtu=%d", s->mtu);
	dk_ip4_str(s->net, net, sizeof(net));
	snprintf(cidr, sizeof(cidr), "--cidr=%s/%d", net, s->prefix);
	if (!s->host_loopback)
		argv[n++] = "--disable-host-loopback";
	argv[n++] = "--enable-sandbox";
	argv[n++] = "--enable-seccomp";
	argv[n++] = "--netns-type=path";
	argv[n++] = "--exit-fd=3";
	argv[n++] = "--ready-fd=4";
	argv[n++] = "--api-socket=" API_SOCK;
	argv[n++] = (char *)ns;
	argv[n++] = "tap0";
	int fds[3] = {fcntl(exit_fd, F_DUPFD, 10), fcntl(ready, F_DUPFD, 10), log};
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0), dup2(null, 1), dup2(fds[2], 2);
	dup2(fds[0], 3), dup2(fds[1], 4);
	/* nothing else: an inherited copy of our stdout would keep the
	 * monitor reading our result until slirp4netns exits */
	close_range(5, ~0U, 0);
	setpgid(0, 0); /* a ^C to the starter is not its */
	execvp(argv[0], argv);
	fprintf(stderr, "cannot run slirp4netns: %s\n", strerror(errno));
	_exit(127);
}

/* The first line of slirp4netns's log that is not a warning. */
static void first_error(char *log, char *out, size_t size)
{
	for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
		if (strncmp(l, "WARNING", 7)) {
			snprintf(out, size, "%s", l);
			return;
		}
	snprintf(out, size, "it did not start");
}

/* Wait for slirp4netns's "1" on the ready fd; its log names a failure. */
static int wait_ready(int fd, int dirfd, struct dk_err *err)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	cleanup_free char *log = NULL;
	char c = 0, line[256];
	size_t len;
	struct dk_err e;

	if (poll(&p, 1, 10000) == 1 && read(fd, &c, 1) == 1 && c == '1')
		return 0;
	if (dk_read_file_at(dirfd, LOG_FILE, 1 << 16, &log, &len, &e) < 0)
		return dk_err_set(err, "slirp4netns did not start");
	first_error(log, line, sizeof(line));
	return dk_err_set(err, "slirp4netns failed: %s%s", line,
			  strstr(line, "/dev/net/tun")
			      ? " (rootless networking needs /dev/net/tun open to every user, "
				"mode 0666; or use --network none)"
			      : "");
}

/* One request to the API socket (in dirfd); its reply's error, if any. */
static int api_call(int dirfd, const char *req, struct dk_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cleanup_free char *reply = NULL;
	size_t len;
	const char *desc;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/" API_SOCK, dirfd);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return dk_err_sys(err, "connecting to slirp4netns's API socket");
	if (dk_write_all(fd, req, strlen(req), err) < 0)
		return -1;
	shutdown(fd, SHUT_WR);
	if (dk_read_fd(fd, 1 << 16, &reply, &len, err) < 0)
		return -1;
	struct dk_json *v = dk_json_parse(reply, len, "slirp4netns's reply", err);
	if (!v)
		return -1;
	desc = dk_json_get_str(dk_json_get(v, "error"), "desc");
	int rc = dk_json_get(v, "return")
		     ? 0
		     : dk_err_set(err, "slirp4netns: %s", desc ? desc : "add_hostfwd failed");
	dk_json_free(v);
	return rc;
}

static int publish(int dirfd, const struct dk_slirp *s, char **ports, struct dk_err *err)
{
	char req[512], guest[20];
	struct dk_port p;

	dk_slirp_addr(s, DK_SLIRP_GUEST, guest, sizeof(guest));
	for (; ports && *ports; ports++) {
		if (dk_port_parse(*ports, &p) < 0)
			return dk_err_set(err, "invalid published port \"%s\"", *ports);
		if (strcmp(p.proto, "udp") && !s->fwd_tcp)
			continue; /* TCP: the monitor's relay, 2.5x faster */
		snprintf(req, sizeof(req),
			 "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"%s\","
			 "\"host_addr\":\"%s\",\"host_port\":%d,\"guest_addr\":\"%s\","
			 "\"guest_port\":%d}}",
			 p.proto, p.ip, p.hport, guest, p.cport);
		if (api_call(dirfd, req, err) < 0)
			return dk_err_wrap(err, "publishing %s", *ports);
	}
	return 0;
}

/* The attachment: mode, pid and start time, ports. */
static int save(int dirfd, const struct attach *a, pid_t pid, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *json = NULL;
	size_t len;

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "network", a->net);
	dk_jgen_str(g, "ports");
	dk_jgen_strv(g, a->ports);
	dk_jgen_kint(g, "slirp_pid", pid);
	dk_jgen_kint(g, "slirp_start", (int64_t)dk_proc_starttime(pid));
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &json, &len, err) < 0)
		return -1;
	return dk_write_file_at(dirfd, SLIRP_FILE, json, len, 0600, err);
}

static void print_result(const struct dk_slirp *s, char **ports, pid_t pid)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char ip[20], gw[20];
	const char *out;
	size_t len;
	struct dk_err e;

	dk_slirp_addr(s, DK_SLIRP_GUEST, ip, sizeof(ip));
	dk_slirp_addr(s, DK_SLIRP_GW, gw, sizeof(gw));
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ip", ip);
	dk_jgen_kint(g, "prefix", s->prefix);
	dk_jgen_kstr(g, "gateway", gw);
	dk_jgen_str(g, "ports");
	dk_jgen_strv(g, ports ? ports : (char *[]){NULL});
	dk_jgen_kint(g, "slirp_pid", pid);
	dk_jgen_map_close(g);
	if (dk_jgen_finish(g, &out, &len, &e) == 0)
		printf("%.*s\n", (int)len, out);
	dk_jgen_free(g);
}

/* Start slirp4netns on ns; its pid, or -1. */
static pid_t start(const struct dk_slirp *s, const char *ns, int dirfd, int exit_fd,
		   struct dk_err *err)
{
	int ready[2];
	cleanup_close int log =
	    openat(dirfd, LOG_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid_t pid;

	if (log < 0 || pipe2(ready, O_CLOEXEC) < 0)
		return dk_err_sys(err, "starting slirp4netns");
	pid = fork();
	if (pid == 0) {
		if (fchdir(dirfd) < 0)
			_exit(126);
		child(s, ns, exit_fd, ready[1], log);
	}
	close(ready[1]);
	if (pid < 0) {
		close(ready[0]);
		return dk_err_sys(err, "fork");
	}
	int rc = wait_ready(ready[0], dirfd, err);
	close(ready[0]);
	if (rc < 0) {
		kill(pid, SIGKILL);
		return -1;
	}
	return pid;
}

int net_slirp_up(struct attach *a, int exit_fd, struct dk_err *err)
{
	cleanup_free char *ns = dk_netns_path(net_root, a->id);
	cleanup_free char *dir = net_attach_dir(a->id);
	cleanup_close int lock = -1, dirfd = -1;
	char **picked = NULL;
	struct dk_slirp s;
	struct dk_err e;
	pid_t pid;

	if (dk_slirp_parse(a->net, &s, err) < 0)
		return -1;
	if (!ns || !dir || dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return dk_err_sys(err, "%s", dir);
	if (faccessat(dirfd, SLIRP_FILE, F_OK, 0) == 0)
		return dk_err_set(err, "container %s already has its slirp4netns network", a->id);
	if (net_netns_make(ns, err) < 0 || (lock = net_lock(err)) < 0 ||
	    net_ports_pick(a->ports, &picked, err) < 0)
		goto fail;
	dk_strv_free(a->ports);
	a->ports = picked, picked = NULL;
	pid = start(&s, ns, dirfd, exit_fd, err);
	if (pid < 0 || save(dirfd, a, pid, err) < 0 || publish(dirfd, &s, a->ports, err) < 0) {
		if (pid > 0)
			kill(pid, SIGKILL);
		goto fail;
	}
	print_result(&s, a->ports, pid);
	return 0;
fail:
	dk_strv_free(picked);
	close(lock), lock = -1;
	net_down(a->id, NULL, &e);
	return -1;
}

/* Stop the slirp4netns of attachment v: TERM, then KILL after a second;
 * ended when gone or a zombie (its reaper is the monitor). */
static void stop(pid_t pid, uint64_t start)
{
	struct timespec ts = {0, 2 * 1000000L};

	if (pid <= 1 || !dk_proc_same(pid, start))
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 500 && dk_proc_same(pid, start); i++)
		nanosleep(&ts, NULL);
	if (dk_proc_same(pid, start))
		kill(pid, SIGKILL);
}

int net_slirp_down(const char *dir, struct dk_err *err)
{
	cleanup_close int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *buf = NULL;
	struct dk_json *v;
	int64_t pid = 0, st = 0;
	size_t len;

	if (dirfd < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "%s", dir);
	if (dk_read_file_at(dirfd, SLIRP_FILE, 1 << 20, &buf, &len, err) == 0 &&
	    (v = dk_json_parse(buf, len, SLIRP_FILE, err))) {
		dk_json_int64(dk_json_get(v, "slirp_pid"), &pid);
		dk_json_int64(dk_json_get(v, "slirp_start"), &st);
		dk_json_free(v);
		stop((pid_t)pid, (uint64_t)st);
	}
	unlinkat(dirfd, API_SOCK, 0);
	unlinkat(dirfd, LOG_FILE, 0);
	if (unlinkat(dirfd, SLIRP_FILE, 0) < 0 && errno != ENOENT)
		return dk_err_sys(err, "removing %s/%s", dir, SLIRP_FILE);
	return 0;
}
