// SPDX-License-Identifier: GPL-2.0-or-later
/* list.c: `store list`: the tagged images, as `docker images` shows them,
 * or as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "store-cmds.h"

struct list_opts {
	bool quiet, json, no_trunc, digests;
	struct store_filter filter;
};

struct list_row {
	char repo[300], tag[140], id[80], created[64], size[32];
	const char *digest, *created_raw;
	int64_t bytes;
};

static int64_t image_size(const struct dk_image *img)
{
	int64_t n = img->manifest.config.size;

	for (size_t i = 0; i < img->manifest.n_layers; i++)
		n += img->manifest.layers[i].size;
	return n;
}

static void fill_row(const char *name, const struct dk_image *img, const struct list_opts *o,
		     struct list_row *r)
{
	store_split_name(name, r->repo, sizeof(r->repo), r->tag, sizeof(r->tag));
	snprintf(r->id, sizeof(r->id), "%.*s", o->no_trunc ? 80 : 12,
		 o->no_trunc ? img->config_digest.str : dk_digest_hex(&img->config_digest));
	store_ago(img->config.created, r->created, sizeof(r->created));
	r->bytes = image_size(img);
	store_human_size(r->bytes, r->size, sizeof(r->size));
	r->digest = img->desc.digest.str;
	r->created_raw = img->config.created;
}

static void emit_json_row(struct dk_jgen *g, const struct list_row *r)
{
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Repository", r->repo);
	dk_jgen_kstr(g, "Tag", r->tag);
	dk_jgen_kstr(g, "ID", r->id);
	dk_jgen_kstr(g, "Digest", r->digest);
	dk_jgen_kstr(g, "CreatedAt", r->created_raw ? r->created_raw : "");
	dk_jgen_kstr(g, "CreatedSince", r->created);
	dk_jgen_kint(g, "Size", r->bytes);
	dk_jgen_map_close(g);
}

static void print_row(const struct list_row *r, const struct list_opts *o)
{
	if (o->quiet)
		printf("%s\n", r->id);
	else if (o->digests)
		printf("%-40s %-16s %-72s %-14s %-20s %s\n", r->repo, r->tag, r->digest, r->id,
		       r->created, r->size);
	else
		printf("%-40s %-16s %-14s %-20s %s\n", r->repo, r->tag, r->id, r->created, r->size);
}

static void print_header(const struct list_opts *o)
{
	if (o->digests)
		printf("%-40s %-16s %-72s %-14s %-20s %s\n", "REPOSITORY", "TAG", "DIGEST",
		       "IMAGE ID", "CREATED", "SIZE");
	else
		printf("%-40s %-16s %-14s %-20s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED",
		       "SIZE");
}

static int list_images(struct dk_store *s, const struct list_opts *o, struct dk_jgen *g,
		       struct dk_err *err)
{
	struct dk_index idx;

	if (dk_store_index(s, &idx, err) < 0)
		return -1;
	for (size_t i = 0; i < idx.n_manifests; i++) {
		const char *name = dk_descriptor_annotation(&idx.manifests[i], DK_ANNOT_REF_NAME);
		struct dk_image img;
		struct list_row r;
		struct dk_err ierr;
		bool show;

		if (!name ||
		    dk_store_load_image_desc(s, &idx.manifests[i], name, NULL, &img, &ierr) < 0)
			continue; /* other platforms, artifacts */
		fill_row(name, &img, o, &r);
		show = store_filter_match(&o->filter, r.repo, r.tag, &img);
		if (show && g)
			emit_json_row(g, &r);
		else if (show)
			print_row(&r, o);
		dk_image_free(&img);
	}
	dk_index_free(&idx);
	return 0;
}

/* -1 to go on, else the exit status (help, usage error) */
static int parse_list_opts(int argc, char **argv, struct list_opts *o)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},	      {"format", required_argument, NULL, 'o'},
	    {"no-trunc", no_argument, NULL, 'n'},     {"digests", no_argument, NULL, 'D'},
	    {"filter", required_argument, NULL, 'f'}, {"all", no_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	struct dk_err err;
	int c;

	while ((c = dk_getopt_long(argc, argv, "qhaf:", opts, NULL)) != -1) {
		switch (c) {
		case 'q': o->quiet = true; break;
		case 'n': o->no_trunc = true; break;
		case 'D': o->digests = true; break;
		case 'a': break; /* no intermediate images here: all are listed */
		case 'f':
			if (store_filter_add(&o->filter, optarg, &err) < 0)
				return dk_fail(&err);
			break;
		case 'o':
			if (strcmp(optarg, "json") && strcmp(optarg, "table"))
				return dk_usage_error("--format: want json or table, not \"%s\"",
						      optarg);
			o->json = strcmp(optarg, "json") == 0;
			break;
		case 'h':
			printf(
			    "Usage: store list [-q] [-a] [--no-trunc] [--digests] [--filter K=V]... "
			    "[--format table|json] [REPOSITORY[:TAG]]\n");
			return DK_EXIT_OK;
		default: return dk_usage_error("list: bad option");
		}
	}
	if (argc - optind > 1)
		return dk_usage_error("list: unexpected argument \"%s\"", argv[optind + 1]);
	/* docker images REPOSITORY[:TAG]: a reference filter */
	if (optind < argc && dk_strv_push(&o->filter.refs, argv[optind]) < 0)
		return dk_usage_error("out of memory");
	return -1;
}

int store_cmd_list(int argc, char **argv)
{
	struct list_opts o = {.filter.dangling = -1};
	struct dk_store s;
	struct dk_err err;
	struct dk_jgen *g = NULL;
	int ret = parse_list_opts(argc, argv, &o);

	if (ret >= 0) {
		store_filter_free(&o.filter);
		return ret;
	}
	if (store_open(&s, true, &err) < 0) {
		store_filter_free(&o.filter);
		return dk_fail(&err);
	}
	if (store_filter_resolve(&o.filter, &s, &err) < 0) {
		dk_store_close(&s);
		store_filter_free(&o.filter);
		return dk_fail(&err);
	}
	if (o.json) {
		g = dk_jgen_new(true);
		dk_jgen_array_open(g);
	} else if (!o.quiet) {
		print_header(&o);
	}
	ret = list_images(&s, &o, g, &err);
	dk_store_close(&s);
	if (ret == 0 && g) {
		char *buf = NULL;
		size_t len;

		dk_jgen_array_close(g);
		ret = dk_jgen_finish_dup(g, &buf, &len, &err);
		if (ret == 0)
			printf("%s\n", buf);
		free(buf);
	} else {
		dk_jgen_free(g);
	}
	store_filter_free(&o.filter);
	return ret < 0 ? dk_fail(&err) : DK_EXIT_OK;
}
