// SPDX-License-Identifier: GPL-2.0-or-later
/* blobs.h: downloading blobs into the store, several at once, each
 * streamed through its digest check; interrupted transfers resume with
 * Range (or start over), 5xx and 429 are retried with backoff. */
#ifndef FETCH_BLOBS_H
#define FETCH_BLOBS_H

#include "client.h"
#include "ref.h"
#include "store.h"

/* Fetch the blobs of descs (n of them) from r's repository into s,
 * skipping those the store has. */
int fx_pull_blobs(struct fx_client *c, struct dk_store *s,
		  const struct dk_ref *r, const struct dk_descriptor *descs,
		  size_t n, struct dk_err *err);

#endif
