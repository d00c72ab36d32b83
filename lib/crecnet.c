// SPDX-License-Identifier: GPL-2.0-or-later
/* crecnet.c: the networking options of a container record (--network,
 * --ip, --network-alias, --dns, --dns-search, --dns-option, --add-host),
 * kept apart from crecord.c's own fields. */
#include <stdlib.h>
#include <string.h>
#include "crecord.h"
#include "json.h"

static char *str(const struct dk_json *v, const char *key)
{
	const char *s = dk_json_get_str(v, key);

	return s ? strdup(s) : NULL;
}

static char **strv(const struct dk_json *v, const char *key)
{
	struct dk_err e;
	const struct dk_json *a = dk_json_get(v, key);

	return a ? dk_json_strv(a, key, &e) : NULL;
}

void dk_copts_load_net(const struct dk_json *v, struct dk_copts *o)
{
	o->network = str(v, "NetworkMode");
	o->ip = str(v, "IPAddress");
	o->aliases = strv(v, "Aliases");
	o->dns = strv(v, "Dns");
	o->dns_search = strv(v, "DnsSearch");
	o->dns_opts = strv(v, "DnsOptions");
	o->add_hosts = strv(v, "ExtraHosts");
}

static void kstrv(struct dk_jgen *g, const char *key, char **v)
{
	if (!v || !*v)
		return;
	dk_jgen_str(g, key);
	dk_jgen_strv(g, v);
}

void dk_copts_save_net(struct dk_jgen *g, const struct dk_copts *o)
{
	if (o->network)
		dk_jgen_kstr(g, "NetworkMode", o->network);
	if (o->ip)
		dk_jgen_kstr(g, "IPAddress", o->ip);
	kstrv(g, "Aliases", o->aliases);
	kstrv(g, "Dns", o->dns);
	kstrv(g, "DnsSearch", o->dns_search);
	kstrv(g, "DnsOptions", o->dns_opts);
	kstrv(g, "ExtraHosts", o->add_hosts);
}

void dk_copts_free_net(struct dk_copts *o)
{
	free(o->network);
	free(o->ip);
	dk_strv_free(o->aliases);
	dk_strv_free(o->dns);
	dk_strv_free(o->dns_search);
	dk_strv_free(o->dns_opts);
	dk_strv_free(o->add_hosts);
	o->network = o->ip = NULL;
	o->aliases = o->dns = o->dns_search = o->dns_opts = o->add_hosts = NULL;
}
