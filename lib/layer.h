// SPDX-License-Identifier: GPL-2.0-or-later
/* layer.h: applying one image layer (a tar stream, plain, gzip or zstd,
 * detected from its bytes) to a directory, every path resolved inside it.
 * Shared by unpack (bundles) and snapshot (the layer cache). */
#ifndef DK_LAYER_H
#define DK_LAYER_H

#include <stdbool.h>
#include <stdint.h>
#include "digest.h"

enum dk_whiteout_mode {
	DK_WHITEOUT_APPLY,	/* .wh. entries delete from the directory */
	DK_WHITEOUT_OVERLAY,	/* become overlayfs whiteouts / opaque dirs */
};

struct dk_layer_opts {
	enum dk_whiteout_mode whiteouts;
	bool rootless;		/* no devices (warn), no chown to other ids,
				   user.overlay.* xattrs */
	/* When set, the bytes read (compressed, as stored) and the
	 * uncompressed tar must hash to these; a mismatch fails the apply. */
	const struct dk_digest *digest;
	const struct dk_digest *diff_id;
	const char *what;	/* names the layer in errors */
};

struct dk_layer_stats {
	uint64_t entries, bytes;	/* entries applied, file bytes written */
	struct dk_digest diff_id;	/* sha256 of the uncompressed tar */
};

/* Apply the layer read from fd to the directory rootfd. stats may be NULL. */
int dk_layer_apply(int rootfd, int fd, const struct dk_layer_opts *opts,
		   struct dk_layer_stats *stats, struct dk_err *err);

#endif
