// SPDX-License-Identifier: GPL-2.0-or-later
/* conflist.c: a new network's CNI configuration list: a Linux bridge
 * (gateway, masquerade unless --internal, hairpin) with host-local
 * addresses whose leases live under $DK_ROOT/networks/ipam (so they
 * survive crashes; the default network's under /run/dk/ipam, host-wide,
 * since every dk root on the host shares its bridge dk0), portmap for -p (DNAT, hairpin and host-loopback
 * SNAT), firewall (forwarding allowed for the container's address) and,
 * on user-defined networks, dnsname (dnsmasq on the gateway) so that
 * containers find each other by name and alias. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "crecord.h"
#include "network.h"

static void ipam(struct dk_jgen *g, const struct net_spec *s)
{
	cleanup_free char *data = NULL;

	/* dk0 is one bridge for every dk root on the host: one lease store
	 * too, or two roots hand out the same address on it */
	if (!strcmp(s->name, "bridge"))
		data = strdup(DK_SHARED_IPAM);
	else if (asprintf(&data, "%s/networks/ipam", net_root) < 0)
		data = NULL;
	dk_jgen_str(g, "ipam");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", "host-local");
	dk_jgen_kstr(g, "dataDir", data ? data : "/var/lib/dk/networks/ipam");
	dk_jgen_str(g, "ranges");
	dk_jgen_array_open(g);
	dk_jgen_array_open(g);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "subnet", s->subnet);
	dk_jgen_kstr(g, "gateway", s->gateway);
	dk_jgen_map_close(g);
	dk_jgen_array_close(g);
	dk_jgen_array_close(g);
	if (!s->internal) {
		dk_jgen_str(g, "routes");
		dk_jgen_array_open(g);
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "dst", "0.0.0.0/0");
		dk_jgen_map_close(g);
		dk_jgen_array_close(g);
	}
	dk_jgen_map_close(g);
}

static void bridge(struct dk_jgen *g, const struct net_spec *s, const char *id)
{
	char br[16];

	if (!strcmp(s->name, "bridge"))
		snprintf(br, sizeof(br), "dk0");
	else
		snprintf(br, sizeof(br), "br-%.12s", id);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", "bridge");
	dk_jgen_kstr(g, "bridge", br);
	dk_jgen_kbool(g, "isGateway", true);
	dk_jgen_kbool(g, "ipMasq", !s->internal);
	dk_jgen_kbool(g, "hairpinMode", true);
	ipam(g, s);
	dk_jgen_map_close(g);
}

static void capability_plugin(struct dk_jgen *g, const char *type, const char *cap)
{
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", type);
	if (!strcmp(type, "portmap"))
		dk_jgen_kbool(g, "snat", true);
	if (!strcmp(type, "dnsname"))
		dk_jgen_kstr(g, "domainName", "dk.internal");
	if (!strcmp(type, "firewall"))
		dk_jgen_kstr(g, "backend", "iptables");
	if (cap) {
		dk_jgen_str(g, "capabilities");
		dk_jgen_map_open(g);
		dk_jgen_kbool(g, cap, true);
		dk_jgen_map_close(g);
	}
	dk_jgen_map_close(g);
}

int net_conflist(const struct net_spec *s, const char *id, char **json, size_t *len,
		 struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	char now[64];

	dk_time_now(now, sizeof(now));
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "cniVersion", "1.0.0");
	dk_jgen_kstr(g, "name", s->name);
	dk_jgen_str(g, "dk");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "id", id);
	dk_jgen_kstr(g, "created", now);
	dk_jgen_kbool(g, "internal", s->internal);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "plugins");
	dk_jgen_array_open(g);
	bridge(g, s, id);
	capability_plugin(g, "portmap", "portMappings");
	capability_plugin(g, "firewall", NULL);
	if (strcmp(s->name, "bridge")) /* docker: no names on the default */
		capability_plugin(g, "dnsname", "aliases");
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, json, len, err);
}
