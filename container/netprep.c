// SPDX-License-Identifier: GPL-2.0-or-later
/* netprep.c: the network side of `create`: the network mode (--network,
 * else $DK_DEFAULT_NETWORK, else docker's "bridge") checked against the
 * networks, -P expanded from the image's EXPOSE, and the container's
 * hostname, hosts and resolv.conf files, bind-mounted over the rootfs's
 * by config.json. The monitor rewrites hosts once the address is known. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "netconf.h"
#include "rtspec.h"
#include "container.h"

static int expose_all(struct dk_crec *rec, const struct ctr_run *r, const struct dk_image *img,
		      struct dk_err *err)
{
	for (char *const *e = r->expose; e && *e; e++)
		if (dk_ports_expand(*e, &rec->o.ports, err) < 0)
			return -1;
	for (char *const *e = img->config.config.exposed_ports; e && *e; e++) {
		char spec[64];
		snprintf(spec, sizeof(spec), "%.30s%s", *e, strchr(*e, '/') ? "" : "/tcp");
		if (dk_ports_expand(spec, &rec->o.ports, err) < 0)
			return -1;
	}
	return 0;
}

/* What --network host|none|container: rule out. */
static int special(const struct dk_crec *rec, struct dk_err *err)
{
	const char *m = rec->o.network;
	struct dk_crec other;

	struct dk_port p;

	if (rec->o.ports && *rec->o.ports && strcmp(m, "none") && !dk_net_is_slirp(m))
		return dk_err_set(err, "published ports are not supported with --network %s", m);
	for (char **s = rec->o.ports; !strcmp(m, "none") && s && *s; s++)
		if (dk_port_parse(*s, &p) < 0 || !p.hport || strcmp(p.proto, "tcp"))
			return dk_err_set(err,
					  "publish %s is not supported with --network none "
					  "(its relay takes TCP to a given host port)",
					  *s);
	if (rec->o.ip)
		return dk_err_set(err, "user specified IP address is supported on user defined "
				       "networks only");
	if (rec->o.aliases && *rec->o.aliases)
		return dk_err_set(err, "network-scoped alias is supported only for containers in "
				       "user defined networks");
	if (strncmp(m, "container:", 10))
		return 0;
	if (ctr_find(m + 10, &other, err) < 0)
		return -1;
	int rc = strcmp(other.status, "running")
		     ? dk_err_set(err, "cannot join network of a non running container: %s", m + 10)
		     : 0;
	dk_crec_free(&other);
	return rc;
}

/* What the mode itself rules out, whoever asks. */
static int ctr_net_mode_check(const char *m, struct dk_err *err)
{
	struct dk_slirp s;

	if (!strcmp(m, "pasta") || !strncmp(m, "pasta:", 6))
		return dk_err_set(err,
				  "network %s is not supported: use slirp4netns (Debian 12's "
				  "pasta needs a host interface with a default route)",
				  m);
	if (dk_net_is_slirp(m))
		return dk_slirp_parse(m, &s, err);
	if (dk_rootless() && !dk_net_special(m))
		return dk_err_set(err,
				  "network %s: bridge networks need root; rootless containers "
				  "support --network slirp4netns (the default), none, host and "
				  "container:NAME",
				  m);
	return 0;
}

int ctr_net_check(struct dk_crec *rec, const struct ctr_run *r, const struct dk_image *img,
		  struct dk_err *err)
{
	const char *def = getenv("DK_DEFAULT_NETWORK");
	struct dk_net n;

	/* rootless: no bridge can be made; slirp4netns gives the way out
	 * (as rootless podman's default) */
	if (!rec->o.network)
		rec->o.network = strdup(def && *def	? def
					: dk_rootless() ? "slirp4netns"
							: "bridge");
	if (!rec->o.network)
		return dk_err_sys(err, "network");
	if (ctr_net_mode_check(rec->o.network, err) < 0)
		return -1;
	if (r->publish_all && expose_all(rec, r, img, err) < 0)
		return -1;
	if (dk_net_special(rec->o.network))
		return special(rec, err);
	if (!strcmp(rec->o.network, "bridge")) {
		if (rec->o.ip || (rec->o.aliases && *rec->o.aliases))
			return special(rec, err);
		return 0; /* the monitor makes the default network if need be */
	}
	if (dk_net_load(ctr_g.root, rec->o.network, &n, err) < 0)
		return -1;
	uint32_t ip;
	if (rec->o.ip && (dk_ip4_parse(rec->o.ip, &ip) < 0 ||
			  !dk_cidr_contains(n.subnet, n.prefix, ip) || ip == n.gateway))
		return dk_err_set(err,
				  "invalid --ip %s: not an available address in network "
				  "%s's subnet",
				  rec->o.ip, n.name);
	return 0;
}

const char *ctr_net_ns(const char *mode, const char *id, char *buf, size_t size)
{
	const char *m = mode ? mode : "none";
	struct dk_crec other;
	struct dk_err err;
	char *p;

	if (!strcmp(m, "none"))
		return NULL;
	if (!strcmp(m, "host"))
		return "host";
	if (!strncmp(m, "container:", 10)) {
		if (ctr_find(m + 10, &other, &err) < 0)
			return NULL;
		p = dk_netns_path(ctr_g.root, other.id);
		if (p && access(p, F_OK) == 0)
			snprintf(buf, size, "%s", p);
		else
			snprintf(buf, size, "/proc/%d/ns/net", other.pid);
		free(p);
		dk_crec_free(&other);
		return buf;
	}
	p = dk_netns_path(ctr_g.root, id);
	snprintf(buf, size, "%s", p ? p : "");
	free(p);
	return buf;
}

static void bind(struct dk_jgen *g, const char *dest, const char *src)
{
	static const char *const opts[] = {"rbind", "rprivate", NULL};

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "destination", dest);
	dk_jgen_kstr(g, "type", "bind");
	dk_jgen_kstr(g, "source", src);
	dk_jgen_str(g, "options");
	dk_jgen_strv(g, (char *const *)opts);
	dk_jgen_map_close(g);
}

void ctr_net_mounts(struct dk_jgen *g, const char *id)
{
	static const char *const files[] = {"hosts", "hostname", "resolv.conf", NULL};
	char dest[64], src[4200];

	for (const char *const *f = files; *f; f++) {
		snprintf(src, sizeof(src), "%s", ctr_path(id, *f));
		snprintf(dest, sizeof(dest), "/etc/%s", *f);
		bind(g, dest, src);
	}
}

int ctr_net_down(const char *id, struct dk_err *err)
{
	char *args[] = {"down", (char *)id, NULL};
	cleanup_free char *ns = dk_netns_path(ctr_g.root, id);
	char dir[4300];
	int rc;

	snprintf(dir, sizeof(dir), "%s.d", ns ? ns : "");
	if (ns && access(ns, F_OK) < 0 && access(dir, F_OK) < 0)
		return 0; /* never joined a network */
	rc = ctr_tool("network", args, NULL, err);
	return rc == 0 ? 0 : rc < 0 ? -1 : dk_err_set(err, "leaving the networks of %s failed", id);
}
