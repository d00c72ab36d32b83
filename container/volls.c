// SPDX-License-Identifier: GPL-2.0-or-later
/* volls.c: `volume ls [-q] [-f K=V]... [--format F]`, docker's
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
#include "rowfmt.h"
#include "volume.h"
#include "container.h"

struct vol_ls {
	bool quiet;
	char **dangling, **names, **labels, **drivers;
	struct dk_rowfmt fmt;
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

/* A row for --format: docker volume ls's fields (titles when name is
 * NULL), as strings. */
static char *row(const char *name, size_t *len)
{
	cleanup_free char *data = name ? dk_vol_data(ctr_g.root, name) : NULL;
	struct dk_json *meta = NULL;
	const struct dk_json *labels = name ? labels_of(name, &meta) : NULL;
	struct dk_jgen *g = dk_jgen_new(false);
	char lab[1024] = "", *buf = NULL;
	struct dk_err err;

	for (size_t i = 0, n = 0; i < dk_json_len(labels) && n < sizeof(lab); i++)
		n += (size_t)snprintf(lab + n, sizeof(lab) - n, "%s%s=%s", i ? "," : "",
				      dk_json_key_at(labels, i),
				      dk_json_str(dk_json_at(labels, i)) ?: "");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Driver", name ? "local" : "DRIVER");
	dk_jgen_kstr(g, "Labels", name ? lab : "LABELS");
	dk_jgen_kstr(g, "Links", name ? "N/A" : "LINKS");
	dk_jgen_kstr(g, "Mountpoint", name ? (data ? data : "") : "MOUNTPOINT");
	dk_jgen_kstr(g, "Name", name ? name : "VOLUME NAME");
	dk_jgen_kstr(g, "Scope", name ? "local" : "SCOPE");
	dk_jgen_kstr(g, "Size", name ? "N/A" : "SIZE");
	dk_jgen_map_close(g);
	dk_json_free(meta);
	return dk_jgen_finish_dup(g, &buf, len, &err) == 0 ? buf : NULL;
}

static int show(const struct vol_ls *o, const char *name, struct dk_err *err)
{
	cleanup_free char *doc = NULL;
	size_t len;

	if (o->quiet || !dk_rowfmt_custom(&o->fmt))
		return printf(o->quiet ? "%s\n" : "local     %s\n", name), 0;
	doc = row(name, &len);
	if (!doc)
		return dk_err_sys(err, "volume ls");
	return name ? dk_rowfmt_row(&o->fmt, doc, len, err)
		    : dk_rowfmt_header(&o->fmt, doc, len, err);
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
	struct dk_err err;
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
			dk_rowfmt_free(&o->fmt);
			if (dk_rowfmt_parse(optarg, &o->fmt, &err) < 0)
				return ctr_daemon_error(DK_EXIT_FAIL, &err);
			break;
		case 'h':
			printf(
			    "Usage: container volume ls [-q] [-f K=V]... [--format table|json|TEMPLATE]\n");
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
	if (rc < 0 && !o.quiet && !dk_rowfmt_custom(&o.fmt))
		printf("%-10s%s\n", "DRIVER", "VOLUME NAME");
	else if (rc < 0 && !o.quiet && show(&o, NULL, &err) < 0)
		rc = ctr_daemon_error(DK_EXIT_FAIL, &err);
	for (char **n = v; rc < 0 && n && *n; n++)
		if (wanted(&o, *n) && show(&o, *n, &err) < 0)
			rc = ctr_daemon_error(DK_EXIT_FAIL, &err);
	dk_strv_free(v);
	dk_rowfmt_free(&o.fmt);
	dk_strv_free(o.dangling);
	dk_strv_free(o.names);
	dk_strv_free(o.labels);
	dk_strv_free(o.drivers);
	return rc < 0 ? 0 : rc;
}
