// SPDX-License-Identifier: GPL-2.0-or-later
/* network.h: the network tool's commands and shared pieces. */
#ifndef NETWORK_H
#define NETWORK_H

#include <stdbool.h>
#include "err.h"
#include "json.h"
#include "netconf.h"

/* The lease store of the default network (bridge dk0), shared by every
 * dk root on the host. */
#define DK_SHARED_IPAM "/run/dk/ipam"

/* Set by main: the dk root. */
extern char *net_root;

int net_cmd_create(int argc, char **argv);
int net_cmd_ls(int argc, char **argv);
int net_cmd_inspect(int argc, char **argv);
int net_cmd_rm(int argc, char **argv);
int net_cmd_prune(int argc, char **argv);
int net_cmd_up(int argc, char **argv);
int net_cmd_down(int argc, char **argv);

/* What a new network is made of. */
struct net_spec {
	const char *name, *subnet, *gateway;
	bool internal;
};

/* The conflist of a new network (bridge, host-local, portmap, firewall,
 * dnsname for user networks), malloc'd JSON. */
int net_conflist(const struct net_spec *s, const char *id, char **json, size_t *len,
		 struct dk_err *err);
/* Make network s (under the networks lock); fills n. */
int net_create(const struct net_spec *s, struct dk_net *n, struct dk_err *err);
/* Make the default "bridge" network when it does not exist yet. */
int net_ensure_default(struct dk_err *err);
/* Lock ROOT/networks/.lock (exclusive); returns the fd, close it to
 * release. */
int net_lock(struct dk_err *err);
/* The names of every network (sorted, NULL-terminated). */
char **net_list(struct dk_err *err);
/* How many containers are attached to network name. */
int net_users(const char *name, char ***ids);

/* CNI: run plugin type's command (ADD, DEL, CHECK) with conf on stdin;
 * the result JSON (ADD) in *out. A plugin's error JSON becomes err. */
struct cni_call {
	const char *command, *id, *netns, *ifname, *args;
};
int net_cni_exec(const char *type, const struct cni_call *c, const char *conf, size_t len,
		 char **out, struct dk_err *err);
/* Run a conflist (JSON parsed) for c: ADD through every plugin (each
 * gets the previous result), DEL in reverse. rtconf: the runtimeConfig
 * JSON members to pass to plugins with matching capabilities. */
int net_cni_list(const struct dk_json *list, const struct cni_call *c, const struct dk_json *rtconf,
		 char **result, struct dk_err *err);

/* The network namespace file of container id: made (bind mount of a new
 * namespace, loopback up) when missing; removed (unmounted) by down. */
int net_netns_make(const char *path, struct dk_err *err);
int net_netns_remove(const char *path, struct dk_err *err);

/* Canonical -p entries with a host port each (random ones picked), or
 * docker's "port is already allocated". Call under net_lock. */
int net_ports_pick(char **ports, char ***out, struct dk_err *err);

/* A container joining a network (up) as the command line asked. */
struct attach {
	const char *id, *name, *ip, *ifname, *net;
	char **aliases, **ports;
	char *args;
	struct dk_json *list;
};
/* Join: namespace, ports, attachment file, CNI ADD; *result: the last
 * plugin's result. a->ports becomes the picked ports. */
int net_up(struct attach *a, char **result, struct dk_err *err);
/* Leave net (NULL: every network, then the namespace goes). */
int net_down(const char *id, const char *net, struct dk_err *err);

/* slirp4netns (slirp.c): up starts it on the container's namespace and
 * publishes a->ports through it, printing the result; it exits when
 * exit_fd's other end closes. down stops it and removes its files from
 * dir (ROOT/netns/ID.d). */
int net_slirp_up(struct attach *a, int exit_fd, struct dk_err *err);
int net_slirp_down(const char *dir, struct dk_err *err);

/* Remove what a network leaves besides its conflist (bridge, dnsmasq,
 * address store). */
int net_teardown(const struct dk_net *n, struct dk_err *err);
/* How many networks container id has joined. */
int net_attached(const char *id);
/* ROOT/netns/ID.d: the attachments of container id, one file per
 * network (malloc'd path). */
char *net_attach_dir(const char *id);

#endif
