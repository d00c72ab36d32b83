// SPDX-License-Identifier: GPL-2.0-or-later
/* attach.c: `up` and `down`, a container joining and leaving networks.
 * up: the namespace file (loopback up), host ports picked under the
 * networks lock, the attachment written to ROOT/netns/ID.d/NET.json
 * (the conflist as used, the runtimeConfig, the CNI args) BEFORE the CNI
 * ADD, so that a crash at any point leaves what `down` needs to undo it;
 * then the ADD result added. down: CNI DEL of each attachment, the file,
 * and (leaving every network) the namespace. Both may run again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "network.h"

char *net_attach_dir(const char *id)
{
	char *p = NULL;

	return asprintf(&p, "%s/netns/%s.d", net_root, id) < 0 ? NULL : p;
}

int net_attached(const char *id)
{
	cleanup_free char *dir = net_attach_dir(id);
	cleanup_dir DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	return n;
}

static void rtconf(struct dk_jgen *g, const struct attach *a)
{
	struct dk_port p;

	dk_jgen_map_open(g);
	dk_jgen_str(g, "portMappings");
	dk_jgen_array_open(g);
	for (char **s = a->ports; s && *s; s++) {
		if (dk_port_parse(*s, &p) < 0)
			continue;
		dk_jgen_map_open(g);
		dk_jgen_kint(g, "hostPort", p.hport);
		dk_jgen_kint(g, "containerPort", p.cport);
		dk_jgen_kstr(g, "protocol", p.proto);
		if (strcmp(p.ip, "0.0.0.0"))
			dk_jgen_kstr(g, "hostIP", p.ip);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	dk_jgen_str(g, "aliases");
	dk_jgen_map_open(g);
	dk_jgen_str(g, a->net);
	dk_jgen_array_open(g);
	if (a->name)
		dk_jgen_str(g, a->name);
	for (char **s = a->aliases; s && *s; s++)
		dk_jgen_str(g, *s);
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
}

/* Write the attachment file (result NULL before the ADD). */
static int save(const struct attach *a, const char *result, struct dk_err *err)
{
	cleanup_free char *dir = net_attach_dir(a->id);
	cleanup_free char *json = NULL;
	char path[4300];
	struct dk_jgen *g = dk_jgen_new(true);
	struct dk_json *res = NULL;
	size_t len;

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "network", a->net);
	dk_jgen_kstr(g, "ifname", a->ifname);
	dk_jgen_kstr(g, "args", a->args);
	dk_jgen_str(g, "ports");
	dk_jgen_strv(g, a->ports);
	dk_jgen_str(g, "runtimeConfig");
	rtconf(g, a);
	dk_jgen_str(g, "conflist");
	dk_jgen_value(g, a->list);
	if (result && (res = dk_json_parse(result, strlen(result), "result", err))) {
		dk_jgen_str(g, "result");
		dk_jgen_value(g, res);
		dk_json_free(res);
	}
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &json, &len, err) < 0 || !dir || dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.json", dir, a->net);
	return dk_write_file_at(AT_FDCWD, path, json, len, 0600, err);
}

static struct dk_json *load(const char *path, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	if (dk_read_file_at(AT_FDCWD, path, 1 << 22, &buf, &len, err) < 0)
		return NULL;
	return dk_json_parse(buf, len, path, err);
}

/* CNI DEL of one attachment file, then the file. */
static int detach_file(const char *id, const char *path, struct dk_err *err)
{
	cleanup_free char *ns = dk_netns_path(net_root, id);
	cleanup_free char *result = NULL;
	struct dk_json *v = load(path, err);
	struct cni_call c = {"DEL", id, ns, "eth0", NULL};
	const struct dk_json *res;
	int rc;

	if (!v)
		return errno == ENOENT ? 0 : -1;
	c.ifname = dk_json_get_str(v, "ifname") ? dk_json_get_str(v, "ifname") : "eth0";
	c.args = dk_json_get_str(v, "args");
	if (access(ns, F_OK) < 0)
		c.netns = ""; /* gone: plugins still release what they hold */
	res = dk_json_get(v, "result");
	if (res) {
		struct dk_jgen *g = dk_jgen_new(false);
		size_t len;
		dk_jgen_value(g, res);
		dk_jgen_finish_dup(g, &result, &len, err);
	}
	rc = net_cni_list(dk_json_get(v, "conflist"), &c, dk_json_get(v, "runtimeConfig"), &result,
			  err);
	dk_json_free(v);
	if (rc < 0)
		return dk_err_wrap(err, "leaving network (%s)", path);
	return unlink(path) < 0 && errno != ENOENT ? dk_err_sys(err, "%s", path) : 0;
}

/* down ID [NETWORK]: leave one network, or all and drop the namespace. */
int net_down(const char *id, const char *net, struct dk_err *err)
{
	cleanup_free char *dir = net_attach_dir(id);
	cleanup_free char *ns = dk_netns_path(net_root, id);
	char path[4300];
	struct dirent *e;
	int rc = 0;

	if (!dir || !ns)
		return dk_err_sys(err, "down");
	if (net && dk_net_is_slirp(net))
		return net_slirp_down(dir, err);
	if (net) {
		snprintf(path, sizeof(path), "%s/%s.json", dir, net);
		return detach_file(id, path, err);
	}
	if (net_slirp_down(dir, err) < 0)
		return -1;
	cleanup_dir DIR *d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (detach_file(id, path, err) < 0)
			rc = -1;
	}
	if (rc < 0)
		return -1;
	if (rmdir(dir) < 0 && errno != ENOENT)
		return dk_err_sys(err, "removing %s", dir);
	return net_netns_remove(ns, err);
}

/* Bring the namespace's loopback up (the CNI loopback plugin). */
static int loopback(const char *id, const char *ns, struct dk_err *err)
{
	static const char conf[] =
	    "{\"cniVersion\":\"1.0.0\",\"name\":\"lo\",\"type\":\"loopback\"}";
	struct cni_call c = {"ADD", id, ns, "lo", NULL};

	return net_cni_exec("loopback", &c, conf, sizeof(conf) - 1, NULL, err);
}

static int add(struct attach *a, const char *ns, char **result, struct dk_err *err)
{
	struct cni_call c = {"ADD", a->id, ns, a->ifname, a->args};
	cleanup_free char *rc_json = NULL;
	struct dk_json *rt;
	struct dk_jgen *g = dk_jgen_new(false);
	size_t len;
	int rc;

	rtconf(g, a);
	if (dk_jgen_finish_dup(g, &rc_json, &len, err) < 0 ||
	    !(rt = dk_json_parse(rc_json, len, "runtimeConfig", err)))
		return -1;
	rc = net_cni_list(a->list, &c, rt, result, err);
	dk_json_free(rt);
	return rc;
}

int net_up(struct attach *a, char **result, struct dk_err *err)
{
	cleanup_free char *ns = dk_netns_path(net_root, a->id);
	cleanup_close int lock = -1;
	char **picked = calloc(1, sizeof(char *));
	struct dk_err e;

	cleanup_free char *dir = net_attach_dir(a->id);
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s.json", dir ? dir : "", a->net);
	if (access(path, F_OK) == 0) {
		dk_strv_free(picked);
		return dk_err_set(err, "endpoint with name %s already exists in network %s",
				  a->name ? a->name : a->id, a->net);
	}
	if (!ns || !picked || net_netns_make(ns, err) < 0 || loopback(a->id, ns, err) < 0)
		goto fail;
	lock = net_lock(err);
	if (lock < 0 || net_ports_pick(a->ports, &picked, err) < 0)
		goto fail;
	dk_strv_free(a->ports);
	a->ports = picked, picked = NULL;
	if (save(a, NULL, err) < 0)
		return -1;
	/* the plugins run under the lock too: the firewall plugin's first
	 * "iptables -N CNI-FORWARD" fails with "File exists" when two ADDs
	 * create the chain at once (podman serializes them the same way) */
	if (add(a, ns, result, err) < 0 || save(a, *result, err) < 0) {
		close(lock), lock = -1;
		net_down(a->id, a->net, &e);
		return -1;
	}
	return 0;
fail:
	dk_strv_free(picked);
	return -1;
}
