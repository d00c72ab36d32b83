// SPDX-License-Identifier: GPL-2.0-or-later
/* ports.c: host ports for -p, chosen under the networks lock: a given
 * port must be free both on the host (a test bind) and among the ports
 * dk's containers already publish (DNAT binds nothing); a random one is
 * what the kernel gives a bind to port 0. Docker's "port is already
 * allocated" otherwise. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "network.h"

/* Bind ip:port (port 0: any); returns the bound port, 0 when in use. */
static int try_bind(const char *ip, const char *proto, int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t len = sizeof(sa);
	int fd, one = 1;

	inet_pton(AF_INET, ip, &sa.sin_addr);
	fd = socket(AF_INET, (strcmp(proto, "udp") ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		close(fd);
		return 0;
	}
	close(fd);
	return ntohs(sa.sin_port);
}

static bool clash(const struct dk_port *a, const struct dk_port *b)
{
	return a->hport == b->hport && !strcmp(a->proto, b->proto) &&
	       (!strcmp(a->ip, b->ip) || !strcmp(a->ip, "0.0.0.0") || !strcmp(b->ip, "0.0.0.0"));
}

static bool clash_file(const char *path, const struct dk_port *p)
{
	cleanup_free char *buf = NULL;
	struct dk_json *v;
	struct dk_err e;
	struct dk_port q;
	bool hit = false;
	size_t len;

	if (dk_read_file_at(AT_FDCWD, path, 1 << 22, &buf, &len, &e) < 0 ||
	    !(v = dk_json_parse(buf, len, path, &e)))
		return false;
	const struct dk_json *ports = dk_json_get(v, "ports");
	for (size_t i = 0; i < dk_json_len(ports) && !hit; i++)
		hit = dk_port_parse(dk_json_str(dk_json_at(ports, i)), &q) == 0 && clash(p, &q);
	dk_json_free(v);
	return hit;
}

/* Is p published by a container attached now (ROOT/netns/ID.d/NET)? */
static bool taken(const struct dk_port *p)
{
	cleanup_free char *dir = dk_path_join(net_root, "netns");
	cleanup_dir DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e, *f;
	char sub[4200], path[8400];
	bool hit = false;

	while (d && !hit && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".d"))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		cleanup_dir DIR *s = opendir(sub);
		while (s && !hit && (f = readdir(s))) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
			hit = clash_file(path, p);
		}
	}
	return hit;
}

int net_ports_pick(char **ports, char ***out, struct dk_err *err)
{
	struct dk_port p;
	char one[128];

	for (; ports && *ports; ports++) {
		if (dk_port_parse(*ports, &p) < 0)
			return dk_err_set(err, "invalid published port \"%s\"", *ports);
		if (p.hport == 0) {
			for (int i = 0; i < 100 && (p.hport == 0 || taken(&p)); i++)
				p.hport = try_bind(p.ip, p.proto, 0);
		} else if (taken(&p) || try_bind(p.ip, p.proto, p.hport) != p.hport) {
			return dk_err_set(err, "Bind for %s:%d failed: port is already allocated",
					  p.ip, p.hport);
		}
		if (p.hport == 0)
			return dk_err_set(err, "no free host port for %s", *ports);
		snprintf(one, sizeof(one), "%s:%d:%d/%s", p.ip, p.hport, p.cport, p.proto);
		if (dk_strv_push(out, one) < 0)
			return dk_err_sys(err, "ports");
	}
	return 0;
}
