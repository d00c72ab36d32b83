// SPDX-License-Identifier: GPL-2.0-or-later
/* upload.h: putting one blob or manifest into a registry repository. */
#ifndef FETCH_UPLOAD_H
#define FETCH_UPLOAD_H

#include "client.h"
#include "ref.h"
#include "store.h"

#define FX_CHUNK_THRESHOLD (128L << 20)	/* chunked above this by default */
#define FX_CHUNK_DEFAULT (32L << 20)

/* Make the blob d (from s) exist in r's repository: skip it when the
 * registry has it, mount it from the repository from (same registry; may
 * be NULL), else upload it, monolithically or in chunk-sized PATCHes.
 * *how gets "exists", "mounted" or "pushed". */
int fx_upload_blob(struct fx_client *c, const struct dk_ref *r,
		   struct dk_store *s, const struct dk_descriptor *d,
		   const char *from, const char **how, struct dk_err *err);

/* PUT a manifest (bytes as stored) under reference (tag or digest). */
int fx_upload_manifest(struct fx_client *c, const struct dk_ref *r,
		       const char *reference, const char *media_type,
		       const char *buf, size_t len, struct dk_err *err);

#endif
