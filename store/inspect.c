// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect.c: `store inspect` (docker image inspect's JSON) and `store
 * history` (docker history's table). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "ref.h"
#include "inspectfmt.h"
#include "store-cmds.h"

/* RepoTags: every name in the store that leads to the same top-level
 * descriptor as the one this image was found by. */
static void emit_repo_tags(struct dk_jgen *g, struct dk_store *s, const struct dk_image *img)
{
	struct dk_descriptor top;
	struct dk_index idx;
	struct dk_err err;

	dk_jgen_str(g, "RepoTags");
	dk_jgen_array_open(g);
	if (!img->name || dk_store_resolve(s, img->name, &top, &err) < 0)
		goto out;
	if (dk_store_index(s, &idx, &err) == 0) {
		for (size_t i = 0; i < idx.n_manifests; i++) {
			const char *n =
			    dk_descriptor_annotation(&idx.manifests[i], DK_ANNOT_REF_NAME);
			char repo[300], tag[140], fam[450];

			if (!n || !dk_digest_equal(&idx.manifests[i].digest, &top.digest))
				continue;
			store_split_name(n, repo, sizeof(repo), tag, sizeof(tag));
			if (strcmp(tag, "<none>") == 0)
				snprintf(fam, sizeof(fam), "%s", repo);
			else
				snprintf(fam, sizeof(fam), "%s:%s", repo, tag);
			dk_jgen_str(g, fam);
		}
		dk_index_free(&idx);
	}
	dk_descriptor_free(&top);
out:
	dk_jgen_array_close(g);
}

static void emit_image(struct dk_jgen *g, struct dk_store *s, const struct dk_image *img)
{
	const struct dk_image_config *c = &img->config;
	int64_t size = 0;

	for (size_t i = 0; i < img->manifest.n_layers; i++)
		size += img->manifest.layers[i].size;
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Id", img->config_digest.str);
	emit_repo_tags(g, s, img);
	dk_jgen_kstr(g, "Digest", img->desc.digest.str);
	dk_jgen_kstr(g, "MediaType",
		     img->manifest.media_type ? img->manifest.media_type : DK_MT_OCI_MANIFEST);
	dk_jgen_kstr(g, "Created", c->created ? c->created : "");
	dk_jgen_kstr(g, "Author", c->author ? c->author : "");
	dk_jgen_kstr(g, "Architecture", c->architecture ? c->architecture : "");
	dk_jgen_kstr(g, "Os", c->os ? c->os : "");
	if (c->variant)
		dk_jgen_kstr(g, "Variant", c->variant);
	dk_jgen_str(g, "Config");
	dk_jgen_value(g, dk_json_get(c->raw, "config"));
	dk_jgen_str(g, "RootFS");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Type", "layers");
	dk_jgen_str(g, "Layers");
	dk_jgen_strv(g, c->diff_ids);
	dk_jgen_map_close(g);
	dk_jgen_kint(g, "Size", size);
	dk_jgen_map_close(g);
}

static int print_inspect(struct dk_store *s, int argc, char **argv, int first,
			 const struct dk_tmpl *t)
{
	struct dk_err err;
	struct dk_jgen *g = dk_jgen_new(t == NULL);
	int status = DK_EXIT_OK;
	char *buf = NULL;
	size_t len;

	dk_jgen_array_open(g);
	for (int i = first; i < argc; i++) {
		struct dk_image img;

		if (dk_store_load_image(s, argv[i], NULL, &img, &err) < 0) {
			status = dk_fail(&err);
			continue;
		}
		emit_image(g, s, &img);
		dk_image_free(&img);
	}
	dk_jgen_array_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, &err) < 0)
		status = dk_fail(&err);
	else if (dk_inspect_print(t, buf, len, stdout, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err.msg);
		status = DK_EXIT_FAIL;
	}
	free(buf);
	return status;
}

int store_cmd_inspect(int argc, char **argv)
{
	struct dk_store s;
	struct dk_err err;
	struct dk_tmpl *t;
	int first, status;

	status =
	    dk_inspect_begin(argc, argv, "store inspect [-f FORMAT] NAME...", &t, &first, &err);
	if (status != 0)
		return status == 1    ? DK_EXIT_OK
		       : status == -1 ? dk_usage_error("inspect: %s", err.msg)
				      : DK_EXIT_FAIL;
	if (store_open(&s, true, &err) < 0) {
		dk_tmpl_free(t);
		return dk_fail(&err);
	}
	status = print_inspect(&s, argc, argv, first, t);
	dk_tmpl_free(t);
	dk_store_close(&s);
	return status;
}

static void print_history_row(const struct dk_history *h, const char *id, int64_t size,
			      bool no_trunc)
{
	char ago[64], sz[32], by[64];
	const char *cb = h->created_by ? h->created_by : "";

	store_ago(h->created, ago, sizeof(ago));
	store_human_size(size, sz, sizeof(sz));
	if (!no_trunc && strlen(cb) > 45)
		snprintf(by, sizeof(by), "%.44s…", cb);
	else
		snprintf(by, sizeof(by), "%.63s", cb);
	printf("%-14s %-24s %-47s %-8s %s\n", id, ago, no_trunc ? cb : by, sz,
	       h->comment ? h->comment : "");
}

int store_cmd_history(int argc, char **argv)
{
	bool no_trunc = argc > 2 && strcmp(argv[1], "--no-trunc") == 0;
	const char *name = argv[no_trunc ? 2 : 1];
	struct dk_store s;
	struct dk_image img;
	struct dk_err err;
	char id[80];

	if (argc != 2 + no_trunc)
		return dk_usage_error("usage: store history [--no-trunc] NAME");
	if (store_open(&s, true, &err) < 0)
		return dk_fail(&err);
	if (dk_store_load_image(&s, name, NULL, &img, &err) < 0) {
		dk_store_close(&s);
		return dk_fail(&err);
	}
	printf("%-14s %-24s %-47s %-8s %s\n", "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
	/* newest first; non-empty entries map to layers in order */
	size_t layer = img.manifest.n_layers;
	for (size_t i = img.config.n_history; i-- > 0;) {
		const struct dk_history *h = &img.config.history[i];
		int64_t size = 0;

		if (!h->empty_layer && layer > 0)
			size = img.manifest.layers[--layer].size;
		snprintf(id, sizeof(id), "%s",
			 i + 1 == img.config.n_history ? dk_digest_hex(&img.config_digest)
						       : "<missing>");
		if (!no_trunc)
			id[12] = '\0';
		print_history_row(h, id, size, no_trunc);
	}
	dk_image_free(&img);
	dk_store_close(&s);
	return DK_EXIT_OK;
}
