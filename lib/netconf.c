// SPDX-License-Identifier: GPL-2.0-or-later
/* netconf.c: dk's networks as the container tool, the monitor and the
 * network tool all see them (see netconf.h). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"

bool dk_net_special(const char *name)
{
	return !strcmp(name, "none") || !strcmp(name, "host") || !strncmp(name, "container:", 10) ||
	       dk_net_is_slirp(name);
}

char *dk_net_conflist_path(const char *root, const char *name)
{
	char *p = NULL;

	return asprintf(&p, "%s/networks/%s.conflist", root, name) < 0 ? NULL : p;
}

char *dk_netns_path(const char *root, const char *id)
{
	char *p = NULL;

	return asprintf(&p, "%s/netns/%s", root, id) < 0 ? NULL : p;
}

int dk_ip4_parse(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

int dk_cidr_parse(const char *s, uint32_t *ip, int *prefix)
{
	char buf[64], *slash, *end;
	long n;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	n = strtol(slash + 1, &end, 10);
	if (*end || end == slash + 1 || n < 0 || n > 32 || dk_ip4_parse(buf, ip) < 0)
		return -1;
	*prefix = (int)n;
	return 0;
}

void dk_ip4_str(uint32_t ip, char *buf, size_t size)
{
	struct in_addr a = {htonl(ip)};

	inet_ntop(AF_INET, &a, buf, (socklen_t)size);
}

uint32_t dk_cidr_mask(int prefix)
{
	return prefix <= 0 ? 0 : 0xffffffffu << (32 - prefix);
}

bool dk_cidr_contains(uint32_t net, int prefix, uint32_t ip)
{
	return (net & dk_cidr_mask(prefix)) == (ip & dk_cidr_mask(prefix));
}

bool dk_cidr_overlap(uint32_t a, int pa, uint32_t b, int pb)
{
	int p = pa < pb ? pa : pb;

	return (a & dk_cidr_mask(p)) == (b & dk_cidr_mask(p));
}

static void load_bridge(const struct dk_json *pl, struct dk_net *n)
{
	const struct dk_json *r = dk_json_path(pl, "ipam", "ranges", NULL);
	const char *s;

	r = r ? dk_json_at(dk_json_at(r, 0), 0) : NULL;
	if ((s = dk_json_get_str(pl, "bridge")))
		snprintf(n->bridge, sizeof(n->bridge), "%s", s);
	if (r && (s = dk_json_get_str(r, "subnet")))
		dk_cidr_parse(s, &n->subnet, &n->prefix);
	if (r && (s = dk_json_get_str(r, "gateway")))
		dk_ip4_parse(s, &n->gateway);
}

int dk_net_load(const char *root, const char *name, struct dk_net *n, struct dk_err *err)
{
	cleanup_free char *path = dk_net_conflist_path(root, name);
	cleanup_free char *buf = NULL;
	struct dk_json *v, *pl;
	const char *s;
	size_t len;

	memset(n, 0, sizeof(*n));
	if (!path)
		return dk_err_sys(err, "network %s", name);
	if (strchr(name, '/') || dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, err) < 0)
		return dk_err_set(err, "network %s not found", name);
	v = dk_json_parse(buf, len, path, err);
	if (!v)
		return -1;
	snprintf(n->name, sizeof(n->name), "%s", name);
	if ((s = dk_json_get_str(dk_json_get(v, "dk"), "id")))
		snprintf(n->id, sizeof(n->id), "%s", s);
	n->internal = dk_json_is_true(dk_json_get(dk_json_get(v, "dk"), "internal"));
	pl = dk_json_get(v, "plugins");
	for (size_t i = 0; i < dk_json_len(pl); i++) {
		s = dk_json_get_str(dk_json_at(pl, i), "type");
		if (s && !strcmp(s, "bridge"))
			load_bridge(dk_json_at(pl, i), n);
		else if (s && !strcmp(s, "dnsname"))
			n->dns = true;
	}
	dk_json_free(v);
	return n->prefix ? 0
			 : dk_err_set(err, "network %s: no bridge with a subnet in %s", name, path);
}
