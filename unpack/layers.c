// SPDX-License-Identifier: GPL-2.0-or-later
/* layers.c: applying an image's layers from the store in order, each
 * verified against its descriptor digest and the config's diff_id. */
#include <stdio.h>
#include <unistd.h>
#include "cleanup.h"
#include "unpack.h"

static int check_layer(struct dk_store *s, const struct dk_descriptor *d, const char *what,
		       struct dk_err *err)
{
	if (!dk_mt_is_layer(d->media_type))
		return dk_err_set(err, "%s: unsupported media type %s", what,
				  d->media_type ? d->media_type : "(none)");
	if (dk_mt_compression(d->media_type) == DK_COMP_UNKNOWN)
		return dk_err_set(err, "%s: unsupported compression in %s", what, d->media_type);
	if (dk_store_has_blob(s, &d->digest))
		return 0;
	if (dk_mt_is_nondistributable(d->media_type))
		return dk_err_set(err,
				  "%s: non-distributable layer (%s) is not "
				  "in the store; fetch it from its source "
				  "first",
				  what, d->media_type);
	return dk_err_set(err, "%s: blob not in the store", what);
}

static int apply_one(struct dk_store *s, const struct dk_descriptor *d, const char *diff_id,
		     int rootfd, const struct unpack_opts *o, const char *what, struct dk_err *err)
{
	struct dk_layer_opts lo = {
	    .whiteouts = DK_WHITEOUT_APPLY,
	    .rootless = o->rootless,
	    .digest = &d->digest,
	    .what = what,
	    .uid_map = o->uid_map,
	    .n_uid_map = o->n_uid_map,
	    .gid_map = o->gid_map,
	    .n_gid_map = o->n_gid_map,
	};
	struct dk_digest want;
	cleanup_close int fd = -1;

	if (dk_digest_parse(diff_id, &want, err) < 0)
		return dk_err_wrap(err, "%s: diff_id", what);
	lo.diff_id = &want;
	if (check_layer(s, d, what, err) < 0)
		return -1;
	fd = dk_store_open_blob(s, &d->digest, err);
	if (fd < 0)
		return dk_err_wrap(err, "%s", what);
	return dk_layer_apply(rootfd, fd, &lo, NULL, err);
}

int unpack_layers(struct dk_store *s, const struct dk_image *img, int rootfd,
		  const struct unpack_opts *o, struct dk_err *err)
{
	const struct dk_manifest *m = &img->manifest;
	char *const *diff_ids = img->config.diff_ids;
	size_t n = dk_strv_len(diff_ids);

	if (n != m->n_layers)
		return dk_err_set(err,
				  "the config lists %zu diff_ids for %zu "
				  "layers",
				  n, m->n_layers);
	for (size_t i = 0; i < m->n_layers; i++) {
		char what[64], sh[32];

		dk_digest_short(&m->layers[i].digest, sh, sizeof(sh));
		snprintf(what, sizeof(what), "layer %s", sh);
		if (apply_one(s, &m->layers[i], diff_ids[i], rootfd, o, what, err) < 0)
			return -1;
	}
	return 0;
}
