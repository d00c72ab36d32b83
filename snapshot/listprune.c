// SPDX-License-Identifier: GPL-2.0-or-later
/* listprune.c: `snapshot list` (table or JSON) and `snapshot prune` (cached
 * layers that no image in the store and no snapshot uses). */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "fs.h"
#include "json.h"
#include "snapshot.h"

static void emit_json(struct dk_jgen *g, struct snap_root *r, const struct snap_meta *m)
{
	cleanup_free char *rootfs = snap_path(r, m->key, "rootfs");

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "key", m->key);
	dk_jgen_kstr(g, "image", m->image);
	dk_jgen_kstr(g, "manifest", m->manifest);
	dk_jgen_kstr(g, "driver", m->driver == SNAP_COPY ? "copy" : "overlay");
	dk_jgen_kstr(g, "created", m->created);
	dk_jgen_kbool(g, "mounted", m->driver == SNAP_COPY || snap_is_mounted(r, m->key));
	dk_jgen_kstr(g, "rootfs", rootfs ? rootfs : "");
	dk_jgen_kint(g, "layers", (int64_t)dk_strv_len(m->layers));
	dk_jgen_map_close(g);
}

static int list(struct snap_root *r, bool json, struct dk_err *err)
{
	char **keys = snap_list_keys(r, err);
	struct dk_jgen *g = json ? dk_jgen_new(false) : NULL;
	const char *buf;
	size_t len;
	int ret = 0;

	if (!keys || (json && !g)) {
		dk_strv_free(keys);
		dk_jgen_free(g);
		return keys ? dk_err_sys(err, "listing") : -1;
	}
	if (g)
		dk_jgen_array_open(g);
	else
		printf("%-20s %-40s %-8s %s\n", "KEY", "IMAGE", "DRIVER", "MOUNTED");
	for (size_t i = 0; keys[i]; i++) {
		struct snap_meta m;
		struct dk_err e;

		if (snap_meta_load(r, keys[i], &m, &e) < 0) {
			fprintf(stderr, "snapshot: warning: %s\n", e.msg);
			continue;
		}
		if (g)
			emit_json(g, r, &m);
		else
			printf("%-20s %-40s %-8s %s\n", m.key, m.image,
			       m.driver == SNAP_COPY ? "copy" : "overlay",
			       m.driver == SNAP_COPY || snap_is_mounted(r, m.key) ? "yes" : "no");
		snap_meta_free(&m);
	}
	if (g) {
		dk_jgen_array_close(g);
		ret = dk_jgen_finish(g, &buf, &len, err);
		if (ret == 0)
			printf("%.*s\n", (int)len, buf);
		dk_jgen_free(g);
	}
	dk_strv_free(keys);
	return ret;
}

int snap_cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {{"root", required_argument, NULL, 'r'},
					     {"format", required_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *format = "table";
	struct snap_root r;
	struct dk_err err;
	int c, ret;

	while ((c = dk_getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': snap_root_opt = optarg; break;
		case 'f': format = optarg; break;
		case 'h': printf("Usage: snapshot list [--format table|json]\n"); return 0;
		default: return DK_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return dk_usage_error("list takes no arguments");
	if (strcmp(format, "json") && strcmp(format, "table"))
		return dk_usage_error("--format %s: want table or json", format);
	if (snap_root_open(&r, snap_root_opt, &err) < 0)
		return dk_fail(&err);
	ret = list(&r, strcmp(format, "json") == 0, &err) < 0 ? dk_fail(&err) : 0;
	snap_root_close(&r);
	return ret;
}

/* Chain ids used by the store's images and by snapshots. */
static int used_layers(struct snap_root *r, struct dk_store *s, char ***keep, struct dk_err *err)
{
	struct dk_index idx;
	char **keys;

	if (dk_store_index(s, &idx, err) < 0)
		return -1;
	for (size_t i = 0; i < idx.n_manifests; i++) {
		struct dk_image img;
		char **chains = NULL;

		if (dk_store_load_image(s, idx.manifests[i].digest.str, NULL, &img, err) < 0)
			continue; /* other platforms, broken entries */
		if (snap_chain_ids(&img, &chains, err) == 0)
			for (size_t j = 0; chains[j]; j++)
				dk_strv_push(keep, chains[j]);
		dk_strv_free(chains);
		dk_image_free(&img);
	}
	dk_index_free(&idx);
	if (!(keys = snap_list_keys(r, err)))
		return -1;
	for (size_t i = 0; keys[i]; i++) {
		struct snap_meta m;

		if (snap_meta_load(r, keys[i], &m, err) < 0)
			return -1; /* unreadable: keep everything */
		for (size_t j = 0; m.layers[j]; j++)
			dk_strv_push(keep, m.layers[j]);
		snap_meta_free(&m);
	}
	dk_strv_free(keys);
	return 0;
}

static bool is_chain_name(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Short links whose layer is gone. */
static void prune_links(struct snap_root *r)
{
	int fd = openat(r->layers_fd, "l", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && faccessat(fd, de->d_name, F_OK, 0) < 0)
			unlinkat(fd, de->d_name, 0);
}

static int prune(struct snap_root *r, struct dk_store *s, struct dk_err *err)
{
	int fd = openat(r->layers_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **keep = calloc(1, sizeof(char *));
	struct dirent *de;
	int ret = 0;

	if (!d || !keep || used_layers(r, s, &keep, err) < 0) {
		if (fd >= 0 && !d)
			close(fd);
		dk_strv_free(keep);
		return d && keep ? dk_err_wrap(err, "prune") : dk_err_sys(err, "prune");
	}
	while (ret == 0 && (de = readdir(d))) {
		if (!is_chain_name(de->d_name) || dk_strv_contains(keep, de->d_name))
			continue;
		ret = dk_rm_rf_at(r->layers_fd, de->d_name, err);
		if (ret == 0)
			printf("%s\n", de->d_name);
	}
	prune_links(r);
	dk_strv_free(keep);
	return ret;
}

int snap_cmd_prune(int argc, char **argv)
{
	static const struct option opts[] = {{"root", required_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct snap_root r;
	struct dk_store s;
	struct dk_err err;
	int c, lock, ret = DK_EXIT_FAIL;

	while ((c = dk_getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': snap_root_opt = optarg; break;
		case 'h': printf("Usage: snapshot prune\n"); return DK_EXIT_OK;
		default: return DK_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return dk_usage_error("prune takes no arguments");
	if (snap_root_open(&r, snap_root_opt, &err) < 0)
		return dk_fail(&err);
	if (dk_store_open_default(&s, snap_root_opt, true, &err) < 0) {
		snap_root_close(&r);
		return dk_fail(&err);
	}
	lock = snap_layers_lock(&r, true, &err);
	if (lock >= 0 && prune(&r, &s, &err) == 0)
		ret = DK_EXIT_OK;
	else
		dk_fail(&err);
	if (lock >= 0)
		close(lock);
	dk_store_close(&s);
	snap_root_close(&r);
	return ret;
}
