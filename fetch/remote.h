// SPDX-License-Identifier: GPL-2.0-or-later
/* remote.h: reading manifests and small blobs from a registry: content
 * negotiation, digest verification, schema 1 refusal. */
#ifndef FETCH_REMOTE_H
#define FETCH_REMOTE_H

#include "client.h"
#include "oci.h"
#include "ref.h"

/* A manifest or index as the registry sent it. */
struct fx_doc {
	char *buf;
	size_t len;
	char *media_type;
	struct dk_digest digest;
	enum dk_doc_kind kind;
};
void fx_doc_free(struct fx_doc *d);

/* "repository:PATH:ACTIONS" into buf. */
void fx_scope(const struct dk_ref *r, const char *actions, char *buf,
	      size_t size);

/* GET the manifest named by reference (a tag or a digest) in r's
 * repository. A digest reference is verified; otherwise the computed
 * digest must match Docker-Content-Digest when the registry sends it.
 * Schema 1 manifests are refused. */
int fx_get_manifest(struct fx_client *c, const struct dk_ref *r,
		    const char *reference, struct fx_doc *out,
		    struct dk_err *err);

/* GET a small blob (an image config) into memory and verify it. */
int fx_get_blob(struct fx_client *c, const struct dk_ref *r,
		const struct dk_digest *d, char **buf, size_t *len,
		struct dk_err *err);

/* A descriptor for a fetched document. */
int fx_doc_descriptor(const struct fx_doc *d, struct dk_descriptor *out,
		      struct dk_err *err);

#endif
