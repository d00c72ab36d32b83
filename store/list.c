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
	bool quiet, no_trunc, digests;
	struct store_filter filter;
	struct dk_rowfmt fmt;
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

/* The row for --format: docker's fields, as strings. */
static int emit_row(const struct list_opts *o, const struct list_row *r, struct dk_err *err)
{
	const char *v[11] = {NULL,	 r->created_raw ? r->created_raw : "",
			     r->created, r->digest,
			     r->id,	 r->repo,
			     NULL,	 r->size,
			     r->tag,	 NULL,
			     r->size};

	return store_fmt_row(&o->fmt, v, err);
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

static int list_images(struct dk_store *s, const struct list_opts *o, struct dk_err *err)
{
	struct dk_index idx;
	int ret = 0;

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
		if (show && !o->quiet && dk_rowfmt_custom(&o->fmt))
			ret = emit_row(o, &r, err) < 0 ? -1 : ret;
		else if (show)
			print_row(&r, o);
		dk_image_free(&img);
	}
	dk_index_free(&idx);
	return ret;
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
			dk_rowfmt_free(&o->fmt);
			if (dk_rowfmt_parse(optarg, &o->fmt, &err) < 0)
				return dk_fail(&err);
			break;
		case 'h':
			printf(
			    "Usage: store list [-q] [-a] [--no-trunc] [--digests] [--filter K=V]... "
			    "[--format table|json|TEMPLATE] [REPOSITORY[:TAG]]\n");
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
	int ret = parse_list_opts(argc, argv, &o);

	if (ret < 0 && store_open(&s, true, &err) < 0)
		ret = dk_fail(&err);
	else if (ret < 0 && store_filter_resolve(&o.filter, &s, &err) < 0)
		ret = dk_fail(&err), dk_store_close(&s);
	if (ret >= 0) {
		store_filter_free(&o.filter);
		dk_rowfmt_free(&o.fmt);
		return ret;
	}
	if (!o.quiet && !dk_rowfmt_custom(&o.fmt))
		print_header(&o);
	ret = (!o.quiet && store_fmt_header(&o.fmt, &err) < 0) ? -1 : list_images(&s, &o, &err);
	dk_store_close(&s);
	store_filter_free(&o.filter);
	dk_rowfmt_free(&o.fmt);
	return ret < 0 ? dk_fail(&err) : DK_EXIT_OK;
}
