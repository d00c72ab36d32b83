// SPDX-License-Identifier: GPL-2.0-or-later
/* copy.c: the copy driver, for where overlayfs cannot be used: the rootfs
 * is a full copy made by applying every layer in turn; its diff compares
 * the rootfs with the cached layers (copydiff.c). Also snap_diff, which
 * picks the walk for the snapshot's driver. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "layer.h"
#include "snapshot.h"

static int apply_layer(struct dk_store *s, const struct dk_image *img, size_t i, int rootfd,
		       struct dk_err *err)
{
	const struct dk_descriptor *d = &img->manifest.layers[i];
	cleanup_close int blob = dk_store_open_blob(s, &d->digest, err);
	struct dk_digest diff_id;
	struct dk_layer_opts o = {
	    .whiteouts = DK_WHITEOUT_APPLY,
	    .rootless = dk_rootless(),
	    .userns_root = geteuid() == 0,
	    .digest = &d->digest,
	    .diff_id = &diff_id,
	    .what = d->digest.str,
	};

	if (blob < 0 || dk_digest_parse(img->config.diff_ids[i], &diff_id, err) < 0)
		return -1;
	return dk_layer_apply(rootfd, blob, &o, NULL, err);
}

int snap_copy_populate(struct snap_root *r, struct dk_store *s, const struct dk_image *img,
		       const char *key, struct dk_err *err)
{
	char rel[200];
	cleanup_close int rootfd = -1;

	snprintf(rel, sizeof(rel), "%s/rootfs", key);
	rootfd = openat(r->snaps_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return dk_err_sys(err, "%s/%s", r->snaps_path, rel);
	for (size_t i = 0; i < img->manifest.n_layers; i++)
		if (apply_layer(s, img, i, rootfd, err) < 0)
			return dk_err_wrap(err, "copying layer %zu", i + 1);
	return 0;
}

int snap_diff(struct snap_root *r, const struct snap_meta *m, int fd,
	      const struct snap_diff_opts *o, struct dk_err *err)
{
	char rel[200];
	cleanup_close int dfd = -1;

	snprintf(rel, sizeof(rel), "%s/%s", m->key, m->driver == SNAP_COPY ? "rootfs" : "upper");
	dfd = openat(r->snaps_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dk_err_sys(err, "%s/%s", r->snaps_path, rel);
	if (m->driver == SNAP_COPY)
		return snap_diff_copy(r, m, dfd, fd, o, err);
	return snap_diff_upper(dfd, fd, o, err);
}
