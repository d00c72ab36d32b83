// SPDX-License-Identifier: GPL-2.0-or-later
/* imgwrite.h: writing a derived image: the caller edits a loaded image's
 * run config, names an optional new layer and a history entry; the config
 * and manifest blobs (same family as the base: OCI or Docker schema2) are
 * written to the store, untagged. Used by the Dockerfile builder. */
#ifndef DK_IMGWRITE_H
#define DK_IMGWRITE_H

#include <stdbool.h>
#include "store.h"

/* True when img is a Docker schema2 image (manifest or config type). */
bool dk_image_is_docker(const struct dk_image *img);

/* A layer already in the store: its (compressed) blob and its diff_id. */
struct dk_new_layer {
	struct dk_descriptor desc;
	struct dk_digest diff_id;
};

/* Turn img into the next image: append layer (NULL: none, the history
 * entry is then an empty_layer one) and history entry h (h->created, when
 * set, also becomes the config's created), write config and manifest.
 * The manifest keeps the annotations the caller left in img->manifest
 * (clear the base's first). out gets the manifest descriptor
 * (caller frees). img is changed in place and must be freed as usual. */
int dk_image_write(struct dk_store *s, struct dk_image *img, const struct dk_new_layer *layer,
		   const struct dk_history *h, struct dk_descriptor *out, struct dk_err *err);

/* An empty image (no layers, no history) for the host platform: what
 * "FROM scratch" starts from. Written to the store; out as above. */
int dk_image_write_scratch(struct dk_store *s, struct dk_descriptor *out, struct dk_err *err);

#endif
