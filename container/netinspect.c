// SPDX-License-Identifier: GPL-2.0-or-later
/* netinspect.c: inspect's NetworkSettings: the address, gateway and MAC
 * the network gave the running container (containers/<id>/network.json,
 * written by the monitor) and the published ports. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

static void kstr(struct dk_jgen *g, const char *k, const char *v)
{
	dk_jgen_kstr(g, k, v ? v : "");
}

static void endpoint(struct dk_jgen *g, const struct dk_crec *r, const struct dk_json *v)
{
	int64_t prefix = 0;

	dk_json_int64(dk_json_get(v, "prefix"), &prefix);
	kstr(g, "IPAddress", dk_json_get_str(v, "ip"));
	dk_jgen_kint(g, "IPPrefixLen", prefix);
	kstr(g, "Gateway", dk_json_get_str(v, "gateway"));
	kstr(g, "MacAddress", dk_json_get_str(v, "mac"));
	(void)r;
}

static void ports(struct dk_jgen *g, const struct dk_crec *r)
{
	struct dk_port p;
	char key[64], hp[16];

	dk_jgen_str(g, "Ports");
	dk_jgen_map_open(g);
	for (char **s = r->o.ports; s && *s; s++) {
		if (dk_port_parse(*s, &p) < 0 || !p.hport)
			continue;
		snprintf(key, sizeof(key), "%d/%s", p.cport, p.proto);
		snprintf(hp, sizeof(hp), "%d", p.hport);
		dk_jgen_str(g, key);
		dk_jgen_array_open(g);
		dk_jgen_map_open(g);
		kstr(g, "HostIp", p.ip);
		kstr(g, "HostPort", hp);
		dk_jgen_map_close(g);
		dk_jgen_array_close(g);
	}
	dk_jgen_map_close(g);
}

void ctr_net_inspect(struct dk_jgen *g, const struct dk_crec *r)
{
	cleanup_free char *buf = NULL;
	struct dk_json *v = NULL;
	struct dk_err e;
	size_t len;

	if (!strcmp(r->status, "running") &&
	    dk_read_file_at(AT_FDCWD, ctr_path(r->id, "network.json"), 1 << 16, &buf, &len, &e) ==
		0)
		v = dk_json_parse(buf, len, "network.json", &e);
	dk_jgen_str(g, "NetworkSettings");
	dk_jgen_map_open(g);
	endpoint(g, r, v);
	ports(g, r);
	dk_jgen_str(g, "Networks");
	dk_jgen_map_open(g);
	if (r->o.network) {
		dk_jgen_str(g, r->o.network);
		dk_jgen_map_open(g);
		endpoint(g, r, v);
		dk_jgen_str(g, "Aliases");
		dk_jgen_strv(g, r->o.aliases ? r->o.aliases : (char *[]){NULL});
		dk_jgen_map_close(g);
	}
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	dk_json_free(v);
}
