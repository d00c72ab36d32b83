// SPDX-License-Identifier: GPL-2.0-or-later
/* netfiles.c: a container's /etc/hostname, /etc/hosts and
 * /etc/resolv.conf, kept in its directory (containers/<id>/) and
 * bind-mounted; resolv.conf as lib/resolvconf.c makes it (with
 * slirp4netns, its forwarder 10.0.2.3 as the nameserver). With --network
 * host the host's files. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

static int resolv(const struct dk_crec *rec, const char *gw, struct dk_err *err)
{
	const struct dk_resolv_opts o = {gw, rec->o.dns, rec->o.dns_search, rec->o.dns_opts};
	cleanup_free char *buf = NULL;
	size_t len = 0;

	if (dk_resolv_conf(&o, &buf, &len, err) < 0)
		return -1;
	return dk_write_file_at(AT_FDCWD, ctr_path(rec->id, "resolv.conf"), buf, len, 0644, err);
}

/* slirp4netns: its DNS forwarder first, as podman has it, unless --dns
 * names the resolvers (then only those). */
static bool slirp_dns(const struct dk_crec *rec, char *buf, size_t size)
{
	struct dk_slirp s;
	struct dk_err e;

	if (!dk_net_is_slirp(rec->o.network) || (rec->o.dns && *rec->o.dns) ||
	    dk_slirp_parse(rec->o.network, &s, &e) < 0)
		return false;
	dk_slirp_addr(&s, DK_SLIRP_DNS, buf, size);
	return true;
}

/* The host's own file copied (--network host). */
static int copy_host(const char *id, const char *name, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	char src[64];
	size_t len = 0;

	snprintf(src, sizeof(src), "/etc/%s", name);
	if (dk_read_file_at(AT_FDCWD, src, 1 << 20, &buf, &len, err) < 0)
		return -1;
	return dk_write_file_at(AT_FDCWD, ctr_path(id, name), buf, len, 0644, err);
}

int ctr_net_files(const struct dk_crec *rec, struct dk_err *err)
{
	const char *m = rec->o.network ? rec->o.network : "none";
	char host[128], gwbuf[32], *gw = NULL;
	struct dk_net n;
	struct dk_err e;

	snprintf(host, sizeof(host), "%.12s", rec->id);
	if (rec->o.hostname)
		snprintf(host, sizeof(host), "%s", rec->o.hostname);
	if (!strcmp(m, "host")) {
		gethostname(host, sizeof(host));
		if (copy_host(rec->id, "hosts", err) < 0 ||
		    copy_host(rec->id, "resolv.conf", err) < 0)
			return -1;
	} else {
		if (!dk_net_special(m) && dk_net_load(ctr_g.root, m, &n, &e) == 0 && n.dns) {
			dk_ip4_str(n.gateway, gwbuf, sizeof(gwbuf));
			gw = gwbuf;
		}
		if (slirp_dns(rec, gwbuf, sizeof(gwbuf)))
			gw = gwbuf;
		if (dk_net_write_hosts(ctr_path(rec->id, ""), NULL, host, NULL, rec->o.add_hosts,
				       gw, err) < 0 ||
		    resolv(rec, gw, err) < 0)
			return -1;
	}
	strcat(host, "\n");
	return dk_write_file_at(AT_FDCWD, ctr_path(rec->id, "hostname"), host, strlen(host), 0644,
				err);
}
