// SPDX-License-Identifier: GPL-2.0-or-later
/* netconf.h: what `container`, `monitor` and `network` share about dk's
 * networks: where the files live ($DK_ROOT/networks/NAME.conflist, the
 * container's network namespace $DK_ROOT/netns/ID), a network's subnet
 * and gateway read back from its conflist, IPv4 CIDR arithmetic and
 * docker's -p syntax expanded into one canonical entry per port. */
#ifndef DK_NETCONF_H
#define DK_NETCONF_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"

/* What dk needs to know about a network (from its conflist). */
struct dk_net {
	char name[128], id[65], bridge[16];
	uint32_t subnet, gateway; /* host byte order */
	int prefix;
	bool internal, dns; /* dns: the dnsname plugin serves names */
};

/* A published port: "IP:HOSTPORT:PORT/PROTO", hport 0 = any free one. */
struct dk_port {
	char ip[46], proto[4];
	int hport, cport;
};

/* The special --network values that need no conflist (none, host,
 * container:X, slirp4netns[:...]). */
bool dk_net_special(const char *name);
/* ROOT/networks/NAME.conflist, ROOT/netns/ID (malloc'd). */
char *dk_net_conflist_path(const char *root, const char *name);
char *dk_netns_path(const char *root, const char *id);
/* Load network name's conflist into n; a missing one is docker's
 * "network NAME not found". */
int dk_net_load(const char *root, const char *name, struct dk_net *n, struct dk_err *err);
/* "A.B.C.D" -> address; "A.B.C.D/N" -> address and prefix. */
int dk_ip4_parse(const char *s, uint32_t *ip);
int dk_cidr_parse(const char *s, uint32_t *ip, int *prefix);
void dk_ip4_str(uint32_t ip, char *buf, size_t size);
uint32_t dk_cidr_mask(int prefix);
bool dk_cidr_contains(uint32_t net, int prefix, uint32_t ip);
bool dk_cidr_overlap(uint32_t a, int pa, uint32_t b, int pb);

/* Expand docker's -p [IP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp] into
 * canonical entries pushed onto *out ("0.0.0.0::80/tcp" for a random
 * host port). Returns -1 with err on bad input. */
int dk_ports_expand(const char *spec, char ***out, struct dk_err *err);
/* A canonical entry -> its parts. */
int dk_port_parse(const char *s, struct dk_port *p);

/* What shapes a container's resolv.conf (lib/resolvconf.c). */
struct dk_resolv_opts {
	const char *gateway; /* a user network's: dnsmasq answers there */
	char *const *dns, *const *search, *const *options; /* --dns... */
};
/* The resolv.conf for o, from the host's (see resolvconf.c), into *buf
 * (malloc'd, *len bytes). */
int dk_resolv_conf(const struct dk_resolv_opts *o, char **buf, size_t *len, struct dk_err *err);

/* Rootless networking through slirp4netns (lib/slirp.c): the mode
 * "slirp4netns[:allow_host_loopback=B,cidr=CIDR,mtu=N,...]" as podman
 * spells it. */
struct dk_slirp {
	bool host_loopback; /* default false: --disable-host-loopback */
	int mtu;	    /* default 65520 */
	uint32_t net;	    /* default 10.0.2.0/24 */
	int prefix;
	bool fwd_tcp; /* port_handler=slirp4netns: TCP -p through slirp too */
};
#define DK_SLIRP_GW    2   /* host part of the gateway */
#define DK_SLIRP_DNS   3   /* of slirp's DNS forwarder */
#define DK_SLIRP_GUEST 100 /* of the container */
bool dk_net_is_slirp(const char *mode);
/* Parse mode; an option dk does not support fails naming it. */
int dk_slirp_parse(const char *mode, struct dk_slirp *s, struct dk_err *err);
/* The address of host part `host` in s's subnet, as text. */
void dk_slirp_addr(const struct dk_slirp *s, int host, char *buf, size_t size);

/* Write DIR/hosts for a container: localhost, the --add-host entries
 * (NAME:IP; host-gateway is gw), then ip (when known) with hostname and
 * name. Temp + rename, so a rewrite before the start is atomic. */
int dk_net_write_hosts(const char *dir, const char *ip, const char *hostname, const char *name,
		       char *const *add_hosts, const char *gw, struct dk_err *err);

#endif
