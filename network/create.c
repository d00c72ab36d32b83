// SPDX-License-Identifier: GPL-2.0-or-later
/* create.c: making a network: a subnet given or the first free one of
 * dk's pools (172.17.0.0/16 for the default "bridge", then 172.18-31/16,
 * then 10.90-99.0.0/16) that overlaps neither another dk network nor a
 * route of this host; docker's errors for overlaps and names in use. The
 * conflist is written under ROOT/networks/.lock, temp + rename. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "crecord.h"
#include "events.h"
#include "network.h"

int net_lock(struct dk_err *err)
{
	cleanup_free char *dir = dk_path_join(net_root, "networks");

	cleanup_close int dfd = -1;

	if (!dir || dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dk_err_sys(err, "%s", dir);
	return dk_lock_at(dfd, ".lock", err);
}

/* Does subnet overlap a route of this host (/proc/net/route), other
 * than one through our own bridge own (left by an earlier dk root)? */
static bool host_route_overlaps(uint32_t net, int prefix, const char *own)
{
	cleanup_file FILE *f = fopen("/proc/net/route", "re");
	char line[512], ifn[64];
	unsigned dst, gw, flags, refs, use, metric, mask;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %x %x %x %u %u %u %x", ifn, &dst, &gw, &flags, &refs, &use,
			   &metric, &mask) != 8 ||
		    mask == 0 || (own && !strcmp(ifn, own)))
			continue;
		dst = ntohl(dst), mask = ntohl(mask);
		if (dk_cidr_overlap(net, prefix, dst, __builtin_popcount(mask)))
			return true;
	}
	return false;
}

/* The network whose subnet overlaps net/prefix, or NULL. */
static char *overlapping(uint32_t net, int prefix, struct dk_err *err)
{
	char **names = net_list(err);
	char *hit = NULL;
	struct dk_net n;

	for (char **p = names; p && *p && !hit; p++)
		if (dk_net_load(net_root, *p, &n, err) == 0 &&
		    dk_cidr_overlap(net, prefix, n.subnet, n.prefix))
			hit = strdup(*p);
	dk_strv_free(names);
	return hit;
}

static int pick_subnet(const struct net_spec *s, char *buf, struct dk_err *err)
{
	const char *env = getenv("DK_BRIDGE_SUBNET");
	cleanup_free char *hit = NULL;
	uint32_t net;

	if (!strcmp(s->name, "bridge") && env && *env) {
		snprintf(buf, 32, "%.31s", env);
		return 0;
	}
	for (int i = strcmp(s->name, "bridge") ? 1 : 0; i < 25; i++) {
		net = i < 15 ? (172u << 24 | (17u + i) << 16) : (10u << 24 | (90u + i - 15) << 16);
		free(hit);
		hit = overlapping(net, 16, err);
		if (!hit && !host_route_overlaps(net, 16, i ? NULL : "dk0")) {
			dk_ip4_str(net, buf, 32);
			strcat(buf, "/16");
			return 0;
		}
	}
	return dk_err_set(err, "could not find an available, non-overlapping IPv4 address pool "
			       "among the defaults to assign to the network");
}

/* subnet (given or picked) and gateway (given or .1) checked. */
static int addresses(struct net_spec *s, char *sub, char *gw, struct dk_err *err)
{
	cleanup_free char *hit = NULL;
	uint32_t net, ip;
	int prefix;

	if (!s->subnet && pick_subnet(s, sub, err) < 0)
		return -1;
	if (s->subnet)
		snprintf(sub, 32, "%.31s", s->subnet);
	if (dk_cidr_parse(sub, &net, &prefix) < 0 || prefix > 30)
		return dk_err_set(err, "invalid subnet %s: want an IPv4 CIDR up to /30", sub);
	net &= dk_cidr_mask(prefix);
	dk_ip4_str(net, sub, 32);
	sprintf(sub + strlen(sub), "/%d", prefix);
	if ((hit = overlapping(net, prefix, err)))
		return dk_err_set(err,
				  "Pool overlaps with other one on this address space "
				  "(network %s)",
				  hit);
	if (!s->gateway)
		dk_ip4_str(net + 1, gw, 32);
	else if (dk_ip4_parse(s->gateway, &ip) < 0 || !dk_cidr_contains(net, prefix, ip))
		return dk_err_set(err, "invalid gateway %s: not an address in %s", s->gateway, sub);
	else
		snprintf(gw, 32, "%.31s", s->gateway);
	s->subnet = sub, s->gateway = gw;
	return 0;
}

static int write_conflist(const struct net_spec *s, struct dk_err *err)
{
	cleanup_free char *path = dk_net_conflist_path(net_root, s->name);
	cleanup_free char *json = NULL;
	unsigned char b[32];
	char id[65];
	size_t len;

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		return dk_err_sys(err, "getrandom");
	for (int i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", b[i]);
	if (net_conflist(s, id, &json, &len, err) < 0)
		return -1;
	return dk_write_file_at(AT_FDCWD, path, json, len, 0600, err);
}

int net_create(const struct net_spec *spec, struct dk_net *n, struct dk_err *err)
{
	struct net_spec s = *spec;
	char sub[32], gw[32];
	cleanup_close int lock = -1;
	struct dk_err e;

	if (!dk_crec_valid_name(s.name) || dk_net_special(s.name))
		return dk_err_set(err, "invalid network name \"%s\"", s.name);
	lock = net_lock(err);
	if (lock < 0)
		return -1;
	if (dk_net_load(net_root, s.name, n, &e) == 0)
		return dk_err_set(err, "network with name %s already exists", s.name);
	if (addresses(&s, sub, gw, err) < 0 || write_conflist(&s, err) < 0 ||
	    dk_net_load(net_root, s.name, n, err) < 0)
		return -1;
	dk_event(net_root, "network", "create", n->id,
		 (const char *[]){"name", n->name, "type", "bridge", NULL});
	return 0;
}

int net_ensure_default(struct dk_err *err)
{
	struct net_spec s = {.name = "bridge"};
	struct dk_net n;
	struct dk_err e;

	if (dk_net_load(net_root, "bridge", &n, &e) == 0)
		return 0;
	if (net_create(&s, &n, err) == 0)
		return 0;
	/* another dk made it at the same time */
	return dk_net_load(net_root, "bridge", &n, &e) == 0 ? 0 : -1;
}
