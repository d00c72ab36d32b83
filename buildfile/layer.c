// SPDX-License-Identifier: GPL-2.0-or-later
/* layer.c: a working snapshot's changes as a layer: `snapshot diff | commit`
 * under a temporary tag (removed at once), then the new layer is taken
 * from the committed image so the builder writes its own config and
 * history on top of the stage's image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "cleanup.h"
#include "ref.h"

static int take_layer(struct bf_build *b, const char *digest, struct dk_new_layer *out,
		      struct dk_err *err)
{
	struct dk_image img;
	struct dk_digest d;
	size_t n;
	int ret = -1;

	if (dk_store_load_image(&b->store, digest, NULL, &img, err) < 0)
		return -1;
	n = dk_strv_len(img.config.diff_ids);
	if (img.manifest.n_layers == 0 || n == 0)
		dk_err_set(err, "committed image %s has no layer", digest);
	else if (dk_digest_parse(img.config.diff_ids[n - 1], &d, err) == 0 &&
		 dk_descriptor_copy(&out->desc, &img.manifest.layers[img.manifest.n_layers - 1]) ==
		     0) {
		out->diff_id = d;
		ret = 0;
	}
	dk_image_free(&img);
	return ret;
}

int bf_snap_layer(struct bf_build *b, struct bf_stage *st, const char *key,
		  struct dk_new_layer *out, struct dk_err *err)
{
	char tag[128], full[DK_REF_STR_MAX];
	cleanup_free char *digest = NULL;
	struct dk_ref ref;
	struct dk_err ignored;
	int ret;

	memset(out, 0, sizeof(*out));
	snprintf(tag, sizeof(tag), "localhost/dk-build-tmp:%s-%u", b->prefix + 9, b->seq++);
	if (dk_ref_parse(tag, &ref, err) < 0)
		return -1;
	dk_ref_format(&ref, full, sizeof(full));
	ret = bf_diff_commit(b, key, st->digest, full, &digest, err);
	dk_store_untag(&b->store, full, &ignored);
	if (ret < 0)
		return -1;
	return take_layer(b, digest, out, err);
}
