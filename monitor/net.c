// SPDX-License-Identifier: GPL-2.0-or-later
/* net.c: the monitor's part in networking. Before each start of a
 * container on a CNI network (bridge or user-defined): `network up`
 * (namespace file, address, routes, NAT, published ports), then the
 * picked host ports saved in the record and the address in the
 * container's hosts file and network.json (for inspect, ps, port). After
 * each exit: `network down`. With slirp4netns (rootless) the monitor
 * holds the write end of its --exit-fd pipe, so it cannot outlive us,
 * and reaps it after the down. A failed up is docker's 125 with the
 * network tool's message ("port is already allocated"). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "monitor.h"

static bool on_net(const struct mon *m)
{
	const char *n = m->rec.o.network;

	return n && (!dk_net_special(n) || dk_net_is_slirp(n));
}

static char **up_args(const struct mon *m)
{
	char **v = NULL;

	dk_strv_push(&v, "up");
	if (dk_net_is_slirp(m->rec.o.network))
		dk_strv_push(&v, "--exit-fd"), dk_strv_push(&v, "0");
	dk_strv_push(&v, "--name");
	dk_strv_push(&v, m->rec.name);
	if (m->rec.o.ip)
		dk_strv_push(&v, "--ip"), dk_strv_push(&v, m->rec.o.ip);
	for (char **a = m->rec.o.aliases; a && *a; a++)
		dk_strv_push(&v, "--alias"), dk_strv_push(&v, *a);
	for (char **p = m->rec.o.ports; p && *p; p++)
		dk_strv_push(&v, "-p"), dk_strv_push(&v, *p);
	dk_strv_push(&v, m->id);
	dk_strv_push(&v, m->rec.o.network);
	return v;
}

/* Run `network ARGS` (stdin in, -1: none), its stdout into *out, its
 * stderr into err. */
static int run_network(struct mon *m, char **args, int in, char **out, struct dk_err *err)
{
	int o[2], e[2], rc;
	size_t len;
	cleanup_free char *msg = NULL;
	pid_t pid;

	if (pipe2(o, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	pid = mon_tool_start("network", m->root, args, in, o[1], e[1]);
	close(o[1]), close(e[1]);
	dk_read_fd(o[0], 1 << 20, out, &len, err);
	dk_read_fd(e[0], 1 << 16, &msg, &len, err);
	close(o[0]), close(e[0]);
	rc = mon_wait(pid);
	if (rc == 0)
		return 0;
	if (msg)
		msg[strcspn(msg, "\n")] = '\0';
	return dk_err_set(err, "%s",
			  msg && *msg ? (strncmp(msg, "network: ", 9) ? msg : msg + 9)
				      : "joining the network failed");
}

static int set_ports(struct dk_crec *r, void *arg, struct dk_err *err)
{
	char **ports = dk_strv_dup(arg);

	if (!ports)
		return dk_err_sys(err, "ports");
	dk_strv_free(r->o.ports);
	r->o.ports = ports;
	return 0;
}

/* The result of up: ports into the record, address into hosts. */
static int apply(struct mon *m, const char *out, struct dk_err *err)
{
	struct dk_json *v = dk_json_parse(out, strlen(out), "network up", err);
	char **ports;
	int rc;

	if (!v)
		return -1;
	int64_t slirp = 0;
	if (dk_json_int64(dk_json_get(v, "slirp_pid"), &slirp) == 0)
		m->slirp_pid = (pid_t)slirp;
	ports = dk_json_strv(dk_json_get(v, "ports"), "ports", err);
	char host[128];
	snprintf(host, sizeof(host), "%.12s", m->id);
	rc = ports && dk_crec_update(m->cdir, m->id, set_ports, ports, err) == 0 ? 0 : -1;
	if (rc == 0) {
		dk_strv_free(m->rec.o.ports);
		m->rec.o.ports = ports, ports = NULL;
		rc = dk_net_write_hosts(m->dir, dk_json_get_str(v, "ip"),
					m->rec.o.hostname ? m->rec.o.hostname : host, m->rec.name,
					m->rec.o.add_hosts, dk_json_get_str(v, "gateway"), err);
	}
	if (rc == 0) {
		cleanup_free char *path = dk_path_join(m->dir, "network.json");
		rc = path ? dk_write_file_at(AT_FDCWD, path, out, strlen(out), 0644, err) : -1;
	}
	dk_strv_free(ports);
	dk_json_free(v);
	return rc;
}

int mon_net_up(struct mon *m, struct dk_err *err)
{
	cleanup_free char *out = NULL;
	char **args;
	int rc, exit_p[2] = {-1, -1};

	if (!on_net(m))
		return 0;
	/* slirp4netns gets the read end: it exits when we do */
	if (dk_net_is_slirp(m->rec.o.network) && pipe2(exit_p, O_CLOEXEC) < 0)
		return dk_err_sys(err, "pipe");
	m->slirp_exit = exit_p[1];
	args = up_args(m);
	if (!args)
		return dk_err_sys(err, "network up");
	rc = run_network(m, args, exit_p[0], &out, err);
	if (exit_p[0] >= 0)
		close(exit_p[0]);
	dk_strv_free(args);
	if (rc == 0 && apply(m, out ? out : "", err) < 0) {
		mon_net_down(m);
		rc = -1;
	}
	return rc;
}

void mon_net_down(struct mon *m)
{
	char *args[] = {"down", (char *)m->id, NULL};
	cleanup_free char *out = NULL;
	struct dk_err err;

	if (!on_net(m))
		return;
	unlink("network.json");
	if (run_network(m, args, -1, &out, &err) < 0)
		fprintf(stderr, "monitor: %s\n", err.msg);
	if (m->slirp_exit >= 0) /* slirp4netns is gone (or goes now) */
		close(m->slirp_exit), m->slirp_exit = -1;
	if (m->slirp_pid > 0) /* reparented to us (a subreaper): reap it */
		mon_wait(m->slirp_pid), m->slirp_pid = 0;
}
