// SPDX-License-Identifier: GPL-2.0-or-later
/* volls.c: `volume ls [-q] [-f K=V]... [--format table|json]`, docker's
 * volume list and its filters: dangling=true|false (whether any container
 * mounts it), name=TEXT (a part of the name), label=KEY[=VALUE] and
 * driver=local. Several values of one filter are or-ed, filters and-ed. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "filterspec.h"
#include "json.h"
#include "volume.h"
#include "container.h"

struct vol_ls {
	bool quiet, json;
	char **dangling, **names, **labels, **drivers;
};

static int add_filter(struct vol_ls *o, const char *f)
{
	static const char *const keys[] = {"dangling", "name", "label", "driver", NULL};
	char ***lists[] = {&o->dangling, &o->names, &o->labels, &o->drivers};
	struct dk_err err;
	const char *v;
	int k = dk_filter_parse(f, keys, &v, &err);

	if (k == -1)
		return ctr_usage("volume ls", "%s", err.msg);
	if (k < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (k == 0 && strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "1") && strcmp(v, "0"))
		return ctr_usage("volume ls", "invalid filter 'dangling=%s'", v);
	return dk_strv_push(lists[k], v) < 0 ? DK_EXIT_FAIL : -1;
}

/* The volume's labels (meta.json's Labels object), or NULL. */
static struct dk_json *labels_of(const char *name, struct dk_json **meta)
{
	cleanup_free char *buf = NULL;
	char path[4200];
	struct dk_err err;
	size_t len;

	*meta = NULL;
	snprintf(path, sizeof(path), "%s/volumes/%s/meta.json", ctr_g.root, name);
	if (dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, &err) == 0)
		*meta = dk_json_parse(buf, len, path, &err);
	return dk_json_get(*meta, "Labels");
}

static bool label_ok(char *const *want, const struct dk_json *labels)
{
	for (char *const *w = want; w && *w; w++) {
		size_t n = strcspn(*w, "=");
		for (size_t i = 0; i < dk_json_len(labels); i++) {
			const char *k = dk_json_key_at(labels, i);
			const char *v = dk_json_str(dk_json_at(labels, i));
			if (strlen(k) == n && !strncmp(k, *w, n) &&
			    (!(*w)[n] || (v && !strcmp(v, *w + n + 1))))
				return true;
		}
	}
	return !want;
}

static bool wanted(const struct vol_ls *o, const char *name)
{
	struct dk_json *meta;
	struct dk_err err;
	bool ok = !o->names, in_use;

	for (char **n = o->names; n && *n && !ok; n++)
		ok = strstr(name, *n) != NULL;
	for (char **d = o->drivers; ok && d && *d; d++)
		ok = !strcmp(*d, "local");
	if (ok && o->labels) {
		ok = label_ok(o->labels, labels_of(name, &meta));
		dk_json_free(meta);
	}
	if (ok && o->dangling) {
		char **users = dk_vol_users(ctr_g.root, name, &err);
		bool want = !strcmp(o->dangling[0], "true") || !strcmp(o->dangling[0], "1");
		in_use = users && *users;
		dk_strv_free(users);
		ok = want != in_use;
	}
	return ok;
}

static void show(const struct vol_ls *o, const char *name)
{
	if (o->quiet)
		printf("%s\n", name);
	else if (o->json)
		printf("{\"Driver\":\"local\",\"Name\":\"%s\"}\n", name); /* names are [\w.-] */
	else
		printf("%-10s%s\n", "local", name);
}

static int parse(int argc, char **argv, struct vol_ls *o)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {"filter", required_argument, NULL, 'f'},
	    {"format", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = dk_getopt_long(argc, argv, "+qf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': o->quiet = true; break;
		case 'f':
			if ((rc = add_filter(o, ctr_optarg(argv))) >= 0)
				return rc;
			break;
		case 'F':
			if (strcmp(optarg, "json") && strcmp(optarg, "table"))
				return ctr_usage("volume ls",
						 "--format %s: not supported (table, json)",
						 optarg);
			o->json = !strcmp(optarg, "json");
			break;
		case 'h':
			printf(
			    "Usage: container volume ls [-q] [-f K=V]... [--format table|json]\n");
			return 0;
		default: return ctr_usage("volume ls", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ctr_usage("volume ls", "\"volume ls\" accepts no arguments.");
	return -1;
}

int ctr_volume_ls(int argc, char **argv)
{
	struct vol_ls o = {0};
	struct dk_err err = {0};
	int rc = parse(argc, argv, &o);
	char **v = rc < 0 ? dk_vol_list(ctr_g.root, &err) : NULL;

	if (rc < 0 && !v)
		rc = dk_fail(&err);
	if (rc < 0 && !o.quiet && !o.json)
		printf("%-10s%s\n", "DRIVER", "VOLUME NAME");
	for (char **n = v; rc < 0 && n && *n; n++)
		if (wanted(&o, *n))
			show(&o, *n);
	dk_strv_free(v);
	dk_strv_free(o.dangling);
	dk_strv_free(o.names);
	dk_strv_free(o.labels);
	dk_strv_free(o.drivers);
	return rc < 0 ? 0 : rc;
}
