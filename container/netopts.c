// SPDX-License-Identifier: GPL-2.0-or-later
/* netopts.c: the networking flags of `run` and `create`: --network
 * (--net), --ip, --network-alias, --dns, --dns-search, --dns-option,
 * --add-host, -p (docker's full syntax, expanded one entry per port) and
 * -P. Parsed into the options struct; checked against the networks at
 * create time (netprep.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

static int push(const char *cmd, char ***v, const char *a)
{
	return dk_strv_push(v, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
}

static int set(char **dst, const char *a)
{
	free(*dst);
	*dst = strdup(a);
	return -1;
}

/* --expose PORT[-END][/tcp|/udp]: checked as -p would take it, kept for
 * -P (which publishes it with the image's EXPOSE ports). */
static int expose(const char *cmd, const char *a, struct ctr_run *r)
{
	char **scratch = NULL;
	struct dk_err err;
	int rc = strchr(a, ':') ? -1 : dk_ports_expand(a, &scratch, &err);

	dk_strv_free(scratch);
	if (rc < 0)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--expose\" flag: want "
				 "PORT[-END][/tcp|/udp]",
				 a);
	return push(cmd, &r->expose, a);
}

static int add_host(const char *cmd, const char *a, struct dk_copts *o)
{
	const char *sep = strpbrk(a, ":=");
	uint32_t ip;

	if (!sep || sep == a ||
	    (strcmp(sep + 1, "host-gateway") && dk_ip4_parse(sep + 1, &ip) < 0 &&
	     !strchr(sep + 1, ':')))
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--add-host\" flag: "
				 "want HOST:IP",
				 a);
	return push(cmd, &o->add_hosts, a);
}

int ctr_netopt(const char *cmd, int c, const char *a, struct ctr_run *r)
{
	struct dk_copts *o = &r->o;
	struct dk_err err = {0};
	uint32_t ip;

	switch (c) {
	case CTR_OPT_NETWORK: return set(&o->network, a);
	case CTR_OPT_IP:
		if (dk_ip4_parse(a, &ip) < 0)
			return ctr_usage(cmd, "invalid argument \"%s\" for \"--ip\" flag", a);
		return set(&o->ip, a);
	case CTR_OPT_ALIAS: return push(cmd, &o->aliases, a);
	case CTR_OPT_DNS:
		if (dk_ip4_parse(a, &ip) < 0 && !strchr(a, ':'))
			return ctr_usage(cmd, "invalid argument \"%s\" for \"--dns\" flag", a);
		return push(cmd, &o->dns, a);
	case CTR_OPT_DNS_SEARCH: return push(cmd, &o->dns_search, a);
	case CTR_OPT_DNS_OPT: return push(cmd, &o->dns_opts, a);
	case CTR_OPT_ADD_HOST: return add_host(cmd, a, o);
	case 'P': r->publish_all = true; return -1;
	case CTR_OPT_EXPOSE: return expose(cmd, a, r);
	case 'p':
		if (dk_ports_expand(a, &o->ports, &err) < 0)
			return ctr_usage(cmd, "%s", err.msg);
		return -1;
	default: return ctr_usage(cmd, "unknown flag");
	}
}
