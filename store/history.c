// SPDX-License-Identifier: GPL-2.0-or-later
/* history.c: `store history [-q] [--no-trunc] [-H=false] [--format
 * table|json] NAME`, docker history: the image's history newest first,
 * each step with the size of the layer it made. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "store-cmds.h"

struct hist_opts {
	bool quiet, no_trunc, json, bytes;
};

static void print_json(const struct dk_history *h, const char *id, int64_t size)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char ago[64];
	const char *out;
	size_t len;
	struct dk_err err;

	store_ago(h->created, ago, sizeof(ago));
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Comment", h->comment ? h->comment : "");
	dk_jgen_kstr(g, "CreatedAt", h->created ? h->created : "");
	dk_jgen_kstr(g, "CreatedBy", h->created_by ? h->created_by : "");
	dk_jgen_kstr(g, "CreatedSince", ago);
	dk_jgen_kstr(g, "ID", id);
	dk_jgen_kint(g, "Size", size);
	dk_jgen_map_close(g);
	if (dk_jgen_finish(g, &out, &len, &err) == 0)
		printf("%.*s\n", (int)len, out);
	dk_jgen_free(g);
}

static void print_row(const struct dk_history *h, const char *id, int64_t size,
		      const struct hist_opts *o)
{
	char ago[64], sz[32], by[64];
	const char *cb = h->created_by ? h->created_by : "";

	if (o->quiet) {
		printf("%s\n", id);
		return;
	}
	if (o->json) {
		print_json(h, id, size);
		return;
	}
	store_ago(h->created, ago, sizeof(ago));
	if (o->bytes)
		snprintf(sz, sizeof(sz), "%lld", (long long)size);
	else
		store_human_size(size, sz, sizeof(sz));
	if (!o->no_trunc && strlen(cb) > 45)
		snprintf(by, sizeof(by), "%.44s…", cb);
	else
		snprintf(by, sizeof(by), "%.63s", cb);
	printf("%-14s %-24s %-47s %-8s %s\n", id, ago, o->no_trunc ? cb : by, sz,
	       h->comment ? h->comment : "");
}

static void print_history(const struct dk_image *img, const struct hist_opts *o)
{
	size_t layer = img->manifest.n_layers;
	char id[sizeof(((struct dk_digest *)0)->str)];

	if (!o->quiet && !o->json)
		printf("%-14s %-24s %-47s %-8s %s\n", "IMAGE", "CREATED", "CREATED BY", "SIZE",
		       "COMMENT");
	/* newest first; non-empty entries map to layers in order */
	for (size_t i = img->config.n_history; i-- > 0;) {
		const struct dk_history *h = &img->config.history[i];
		int64_t size = 0;

		if (!h->empty_layer && layer > 0)
			size = img->manifest.layers[--layer].size;
		snprintf(id, sizeof(id), "%s",
			 i + 1 == img->config.n_history
			     ? (o->no_trunc ? img->config_digest.str
					    : dk_digest_hex(&img->config_digest))
			     : "<missing>");
		if (!o->no_trunc && i + 1 == img->config.n_history)
			id[12] = '\0';
		print_row(h, id, size, o);
	}
}

static int parse(int argc, char **argv, struct hist_opts *o)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},	     {"no-trunc", no_argument, NULL, 'n'},
	    {"human", optional_argument, NULL, 'H'}, {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = dk_getopt_long(argc, argv, "qH::h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': o->quiet = true; break;
		case 'n': o->no_trunc = true; break;
		case 'H':
			o->bytes =
			    optarg && (!strcmp(optarg, "false") || !strcmp(optarg, "=false"));
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "table"))
				return dk_usage_error(
				    "history: --format %s: not supported (table, json)", optarg);
			o->json = !strcmp(optarg, "json");
			break;
		case 'h':
			printf(
			    "Usage: store history [-q] [--no-trunc] [-H=false] [--format table|json] "
			    "NAME\n");
			return DK_EXIT_OK;
		default: return dk_usage_error("history: bad option");
		}
	}
	return argc - optind == 1 ? -1
				  : dk_usage_error("usage: store history [-q] [--no-trunc] NAME");
}

int store_cmd_history(int argc, char **argv)
{
	struct hist_opts o = {0};
	struct dk_store s;
	struct dk_image img;
	struct dk_err err;
	int rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (store_open(&s, true, &err) < 0)
		return dk_fail(&err);
	if (dk_store_load_image(&s, argv[optind], NULL, &img, &err) < 0) {
		dk_store_close(&s);
		return dk_fail(&err);
	}
	print_history(&img, &o);
	dk_image_free(&img);
	dk_store_close(&s);
	return DK_EXIT_OK;
}
