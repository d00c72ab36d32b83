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
