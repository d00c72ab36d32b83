// SPDX-License-Identifier: GPL-2.0-or-later
/* slirp.c: the rootless network mode as podman spells it,
 * "slirp4netns[:OPT=VALUE,...]", parsed into the settings dk starts
 * slirp4netns with, and the addresses slirp4netns gives out in its
 * subnet (gateway .2, DNS forwarder .3, the container .100). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netconf.h"

bool dk_net_is_slirp(const char *mode)
{
	return mode && (!strcmp(mode, "slirp4netns") || !strncmp(mode, "slirp4netns:", 12));
}

static int bool_opt(const char *key, const char *val, bool *out, struct dk_err *err)
{
	if (!strcmp(val, "true") || !strcmp(val, "false")) {
		*out = !strcmp(val, "true");
		return 0;
	}
	return dk_err_set(err, "network slirp4netns: %s=%s: want true or false", key, val);
}

static int cidr_opt(const char *val, struct dk_slirp *s, struct dk_err *err)
{
	if (dk_cidr_parse(val, &s->net, &s->prefix) < 0 || s->prefix < 1 || s->prefix > 25)
		return dk_err_set(err,
				  "network slirp4netns: cidr=%s: want an IPv4 subnet of /25 or "
				  "larger",
				  val);
	s->net &= dk_cidr_mask(s->prefix);
	return 0;
}

static int one_opt(char *kv, struct dk_slirp *s, struct dk_err *err)
{
	char *val = strchr(kv, '='), *end;
	bool b;

	if (!val)
		return dk_err_set(err, "network slirp4netns: option \"%s\": want KEY=VALUE", kv);
	*val++ = '\0';
	if (!strcmp(kv, "allow_host_loopback"))
		return bool_opt(kv, val, &s->host_loopback, err);
	if (!strcmp(kv, "cidr"))
		return cidr_opt(val, s, err);
	if (!strcmp(kv, "mtu")) {
		s->mtu = (int)strtol(val, &end, 10);
		if (*end || end == val || s->mtu < 68 || s->mtu > 65521)
			return dk_err_set(err, "network slirp4netns: mtu=%s: want 68 to 65521",
					  val);
		return 0;
	}
	if (!strcmp(kv, "enable_ipv6") && bool_opt(kv, val, &b, err) == 0 && !b)
		return 0;
	if (!strcmp(kv, "port_handler") && !strcmp(val, "slirp4netns")) {
		s->fwd_tcp = true;
		return 0;
	}
	return dk_err_set(err,
			  "network slirp4netns: option \"%s=%s\" is not supported (dk supports "
			  "allow_host_loopback, cidr, mtu, port_handler=slirp4netns and "
			  "enable_ipv6=false)",
			  kv, val);
}

int dk_slirp_parse(const char *mode, struct dk_slirp *s, struct dk_err *err)
{
	char buf[512], *save = NULL;

	*s = (struct dk_slirp){.mtu = 65520, .net = 0x0a000200, .prefix = 24};
	if (!dk_net_is_slirp(mode))
		return dk_err_set(err, "network %s is not slirp4netns", mode);
	if (!mode[11] || !mode[12])
		return 0;
	if (strlen(mode + 12) >= sizeof(buf))
		return dk_err_set(err, "network slirp4netns: options too long");
	snprintf(buf, sizeof(buf), "%s", mode + 12);
	for (char *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save))
		if (one_opt(o, s, err) < 0)
			return -1;
	return 0;
}

void dk_slirp_addr(const struct dk_slirp *s, int host, char *buf, size_t size)
{
	dk_ip4_str(s->net + (uint32_t)host, buf, size);
}
