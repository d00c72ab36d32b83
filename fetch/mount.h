// SPDX-License-Identifier: GPL-2.0-or-later
/* mount.h: where a blob could be mounted from: other repositories of the
 * same registry that the store has images of (found through its tags). */
#ifndef FETCH_MOUNT_H
#define FETCH_MOUNT_H

#include "ref.h"
#include "store.h"

struct fx_mount {
	struct dk_digest digest;
	char *repo;	/* path in the registry, "library/busybox" */
};

struct fx_mounts {
	struct fx_mount *v;
	size_t n;
};

/* Index the blobs of every tag in s on target's registry but in another
 * repository. */
int fx_mounts_load(struct fx_mounts *m, struct dk_store *s,
		   const struct dk_ref *target, struct dk_err *err);
/* A repository d can be mounted from, or NULL. */
const char *fx_mounts_find(const struct fx_mounts *m, const struct dk_digest *d);
void fx_mounts_free(struct fx_mounts *m);

#endif
