// SPDX-License-Identifier: GPL-2.0-or-later
/* attach.c: `attach [--detach-keys K] CONTAINER`: our stdio to the
 * monitor's attach socket; ctrl-p ctrl-q (or --detach-keys) detaches. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "container.h"

static int connect_to(const char *id, struct dk_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	cleanup_close int dir = open(ctr_path(id, ""), O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	/* through /proc/self/fd: the path may be longer than sun_path */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach.sock", dir);
	if (dir < 0 || fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		dk_err_sys(err, "attaching to %s", id);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Relay until the container ends (socket EOF) or the keys are typed. */
static void relay(int sock, const char *keys, int nkeys)
{
	struct pollfd p[2] = {{.fd = 0, .events = POLLIN}, {.fd = sock, .events = POLLIN}};
	char buf[65536];
	int matched = 0;
	struct dk_err err;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return;
		if (p[1].revents) {
			ssize_t n = read(sock, buf, sizeof(buf));
			if (n <= 0 || dk_write_all(1, buf, (size_t)n, &err) < 0)
				return;
		}
		if (p[0].revents) {
			ssize_t n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				p[0].fd = -1;
				continue;
			}
			for (ssize_t i = 0; i < n; i++) {
				matched = buf[i] == keys[matched] ? matched + 1 : 0;
				if (nkeys && matched == nkeys)
					return;
			}
			dk_write_all(sock, buf, (size_t)n, &err);
		}
	}
}

int ctr_cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"detach-keys", required_argument, NULL, 'k'},
	    {"no-stdin", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char keys[16];
	const char *spec = NULL;
	int nkeys, c, sock;
	struct dk_crec r;
	struct dk_err err = {0};
	struct termios saved, raw;
	bool restore = false;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			spec = ctr_optarg(argv);
			if (dk_detach_keys_parse(spec, keys, sizeof(keys)) < 0)
				return ctr_usage("attach", "invalid --detach-keys \"%s\"", optarg);
			break;
		case 'n': close(0), open("/dev/null", O_RDONLY); break;
		case 'h': printf("Usage: container attach [--detach-keys K] CONTAINER\n"); return 0;
		default: return ctr_usage("attach", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return ctr_usage("attach", "\"attach\" requires exactly 1 argument.");
	if (ctr_find(argv[optind], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (strcmp(r.status, "running")) {
		dk_err_set(&err, "You cannot attach to a stopped container, start it first");
		dk_crec_free(&r);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	nkeys = dk_detach_keys_parse(spec ? spec : r.o.detach_keys, keys, sizeof(keys));
	sock = connect_to(r.id, &err);
	if (sock < 0) {
		dk_crec_free(&r);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	if (r.o.tty && isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		restore = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	relay(sock, keys, nkeys);
	if (restore)
		tcsetattr(0, TCSANOW, &saved);
	close(sock);
	char id[65];
	snprintf(id, sizeof(id), "%s", r.id);
	dk_crec_free(&r);
	c = 0;
	if (ctr_wait_exit(id, 0.2, &r, &err) == 0) {
		c = r.exit_code;
		dk_crec_free(&r);
	}
	return c;
}
