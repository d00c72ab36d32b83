// SPDX-License-Identifier: GPL-2.0-or-later
/* refwalk.h: every descriptor the image store's tags reach, through
 * indexes, manifests, configs and layers. gc marks with it; check
 * verifies with it. */
#ifndef DK_REFWALK_H
#define DK_REFWALK_H

#include "store.h"

struct dk_blobref {
	const struct dk_descriptor *d;
	const char *tag;     /* the index.json entry it hangs off ("" if untagged) */
	const char *problem; /* its document could not be read or parsed, or NULL */
};

/* Return 0 to descend into r->d, 1 to skip it (seen), -1 to stop. */
typedef int (*dk_blobref_visit)(void *ctx, const struct dk_blobref *r, struct dk_err *err);

/* Visit every descriptor reachable from idx (index.json's entries). A
 * document that cannot be read or parsed is visited again with problem
 * set; the walk goes on if the visitor returns 0. */
int dk_refs_walk(struct dk_store *s, const struct dk_index *idx, dk_blobref_visit visit, void *ctx,
		 struct dk_err *err);

#endif
