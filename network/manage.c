// SPDX-License-Identifier: GPL-2.0-or-later
/* manage.c: `create`, `ls`, `inspect`, `rm` and `prune`: the networks
 * as docker lists them. A network in use (a container attached) is not
 * removed: docker's "has active endpoints". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "events.h"
#include "inspectfmt.h"
#include "network.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **net_list(struct dk_err *err)
{
	cleanup_free char *dir = dk_path_join(net_root, "networks");
	cleanup_dir DIR *d = dir ? opendir(dir) : NULL;
	char **v = calloc(1, sizeof(char *));
	struct dirent *e;

	while (v && d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 10 || strcmp(e->d_name + n - 9, ".conflist"))
			continue;
		e->d_name[n - 9] = '\0';
		if (dk_strv_push(&v, e->d_name) < 0)
			break;
	}
	if (!v)
		dk_err_sys(err, "listing networks");
	else
		qsort(v, dk_strv_len(v), sizeof(char *), cmp);
	return v;
}

int net_users(const char *name, char ***ids)
{
	cleanup_free char *dir = dk_path_join(net_root, "netns");
	cleanup_dir DIR *d = dir ? opendir(dir) : NULL;
	char path[8400];
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 3 || strcmp(e->d_name + len - 2, ".d"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s.json", dir, e->d_name, name);
		if (access(path, F_OK) < 0)
			continue;
		n++;
		e->d_name[len - 2] = '\0';
		if (ids)
			dk_strv_push(ids, e->d_name);
	}
	return n;
}

int net_cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"subnet", required_argument, NULL, 's'}, {"gateway", required_argument, NULL, 'g'},
	    {"internal", no_argument, NULL, 'i'},     {"driver", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	struct net_spec s = {0};
	struct dk_err err = {0};
	struct dk_net n;
	int c;

	while ((c = dk_getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("Usage: network create [--subnet CIDR] [--gateway IP] [--internal] "
			       "[-d bridge] NAME\n");
			return DK_EXIT_OK;
		case 's': s.subnet = optarg; break;
		case 'g': s.gateway = optarg; break;
		case 'i': s.internal = true; break;
		case 'd':
			if (strcmp(optarg, "bridge"))
				return dk_usage_error("driver \"%s\" is not supported (bridge)",
						      optarg);
			break;
		default: return dk_usage_error("create: unknown option");
		}
	}
	if (optind + 1 != argc)
		return dk_usage_error("create: want exactly one NAME");
	s.name = argv[optind];
	if (net_create(&s, &n, &err) < 0)
		return dk_fail(&err);
	printf("%s\n", n.id);
	return 0;
}

static void one_json(struct dk_jgen *g, const struct dk_net *n)
{
	char sub[32], gw[32];
	char **ids = calloc(1, sizeof(char *));

	dk_ip4_str(n->subnet, sub, sizeof(sub));
	sprintf(sub + strlen(sub), "/%d", n->prefix);
	dk_ip4_str(n->gateway, gw, sizeof(gw));
	net_users(n->name, &ids);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Name", n->name);
	dk_jgen_kstr(g, "Id", n->id);
	dk_jgen_kstr(g, "Driver", "bridge");
	dk_jgen_kstr(g, "Scope", "local");
	dk_jgen_kbool(g, "Internal", n->internal);
	dk_jgen_str(g, "IPAM");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Driver", "host-local");
	dk_jgen_str(g, "Config");
	dk_jgen_array_open(g);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Subnet", sub);
	dk_jgen_kstr(g, "Gateway", gw);
	dk_jgen_map_close(g);
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "Options");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "com.docker.network.bridge.name", n->bridge);
	dk_jgen_map_close(g);
	dk_jgen_str(g, "Containers");
	dk_jgen_strv(g, ids);
	dk_jgen_map_close(g);
	dk_strv_free(ids);
}

/* the networks' inspect array, or t run on each (t may be NULL) */
static int print_json(char **names, const struct dk_tmpl *t, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(t == NULL);
	struct dk_net n;
	const char *out;
	size_t len;
	int rc = 0;

	dk_jgen_array_open(g);
	for (char **p = names; p && *p; p++) {
		if (dk_net_load(net_root, *p, &n, err) < 0) {
			dk_err_print("network", err);
			rc = DK_EXIT_FAIL;
			continue;
		}
		one_json(g, &n);
	}
	dk_jgen_array_close(g);
	if (dk_jgen_finish(g, &out, &len, err) == 0 &&
	    dk_inspect_print(t, out, len, stdout, err) < 0) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err->msg);
		rc = DK_EXIT_FAIL;
	}
	dk_jgen_free(g);
	return rc;
}

int net_cmd_inspect(int argc, char **argv)
{
	struct dk_err err = {0};
	struct dk_tmpl *t;
	int first, rc;

	rc = dk_inspect_begin(argc, argv, "network inspect [-f FORMAT] NAME...", &t, &first, &err);
	if (rc != 0)
		return rc == 1	  ? DK_EXIT_OK
		       : rc == -1 ? dk_usage_error("inspect: %s", err.msg)
				  : DK_EXIT_FAIL;
	rc = print_json(argv + first, t, &err);
	dk_tmpl_free(t);
	return rc;
}

/* Remove network name unless a container uses it. */
static int remove_one(const char *name, struct dk_err *err)
{
	cleanup_free char *path = dk_net_conflist_path(net_root, name);
	cleanup_close int lock = net_lock(err);
	struct dk_net n;

	if (lock < 0 || dk_net_load(net_root, name, &n, err) < 0)
		return -1;
	if (net_users(name, NULL) > 0)
		return dk_err_set(err,
				  "error while removing network: network %s id %s has active "
				  "endpoints",
				  name, n.id);
	if (net_teardown(&n, err) < 0)
		return -1;
	if (unlink(path) < 0)
		return dk_err_sys(err, "removing %s", path);
	dk_event(net_root, "network", "destroy", n.id,
		 (const char *[]){"name", n.name, "type", "bridge", NULL});
	return 0;
}

int net_cmd_rm(int argc, char **argv)
{
	struct dk_err err = {0};
	int rc = 0;

	if (argc < 2)
		return dk_usage_error("rm: want NAME...");
	for (int i = 1; i < argc; i++) {
		if (remove_one(argv[i], &err) < 0) {
			dk_err_print("network", &err);
			rc = DK_EXIT_FAIL;
		} else {
			printf("%s\n", argv[i]);
		}
	}
	return rc;
}

int net_cmd_prune(int argc, char **argv)
{
	struct dk_err err = {0};
	char **names = net_list(&err);
	bool said = false;

	if (argc > 1 && strcmp(argv[1], "-f") && strcmp(argv[1], "--force"))
		return dk_usage_error("prune: want [-f]");
	if (!names)
		return dk_fail(&err);
	for (char **p = names; *p; p++)
		if (strcmp(*p, "bridge") && net_users(*p, NULL) == 0 && remove_one(*p, &err) == 0) {
			printf("%s%s\n", said ? "" : "Deleted Networks:\n", *p);
			said = true;
		}
	dk_strv_free(names);
	return 0;
}
