// SPDX-License-Identifier: GPL-2.0-or-later
/* store.h: the image store, an OCI image layout (oci-layout, index.json,
 * blobs/<alg>/<hex>). Blobs become visible only once verified and synced;
 * index.json is replaced under an exclusive lock. See man/dk-store.5. */
#ifndef DK_STORE_H
#define DK_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "oci.h"

struct dk_store {
	int dirfd; /* the layout directory */
	char *path;
	int gc_lock; /* gc.lock, held shared once we check or write blobs */
	/* Set by a caller that writes index.json after its blobs (fetch
	 * pull): renamed blobs then share one directory fsync, done with
	 * the new index.json's before its rename, instead of one each. */
	bool lazy_blob_sync;
	bool blobs_unsynced; /* a blob rename waits for that fsync */
	/* Large blobs are hashed on a thread of their own, not by the
	 * thread writing them (fetch pull: the download goes on meanwhile). */
	bool hash_behind;
	/* Set by a caller that commits several blobs before it tags (fetch
	 * pull): a commit verifies the blob and queues it; the queued blobs'
	 * fsyncs then run together (one journal commit, not one each) and
	 * their renames follow in commit order, at dk_store_commit_pending
	 * or at the next tag (dk_store_tag), which calls it first. */
	bool batch_commit;
	/* With batch_commit (fetch pull): the queued blobs are published
	 * without waiting for their data to reach the disk, after a durable
	 * journal names them; a crash before the kernel wrote them back is
	 * found at the next open, which removes the torn ones (unsynced.h). */
	bool defer_data_sync;
	struct dk_blob_writer **pending;
	size_t n_pending;
};

/* Open the layout at dir; with create, make it (and missing parents). */
int dk_store_open(struct dk_store *s, const char *dir, bool create, struct dk_err *err);
/* Open $DK_ROOT/images (root from --root opt, DK_ROOT or the default). */
int dk_store_open_default(struct dk_store *s, const char *root_opt, bool create,
			  struct dk_err *err);
void dk_store_close(struct dk_store *s);
/* Sync and rename the blobs queued under batch_commit, in commit order;
 * each whose fsync failed is dropped. Returns the first error. */
int dk_store_commit_pending(struct dk_store *s, struct dk_err *err);

/* Streaming blob writer. expected may be NULL (digest computed with alg). */
struct dk_blob_writer;
struct dk_blob_writer *dk_blob_writer_new(struct dk_store *s, const struct dk_digest *expected,
					  enum dk_digest_alg alg, struct dk_err *err);
int dk_blob_write(struct dk_blob_writer *w, const void *buf, size_t len, struct dk_err *err);
/* Bytes written so far. */
int64_t dk_blob_writer_size(const struct dk_blob_writer *w);
/* Finish the hash and check it against the expected digest; no more
 * writes after it. commit (which verifies too) may follow. */
int dk_blob_writer_verify(struct dk_blob_writer *w, struct dk_err *err);
/* Verify the digest, fsync, rename into place (under batch_commit: verify
 * and queue); frees w in all cases. On mismatch nothing becomes visible.
 * out and size may be NULL. */
int dk_blob_writer_commit(struct dk_blob_writer *w, struct dk_digest *out, int64_t *size,
			  struct dk_err *err);
/* Drop the partial blob and free w. NULL is fine. */
void dk_blob_writer_abort(struct dk_blob_writer *w);

int dk_store_put_buf(struct dk_store *s, const void *buf, size_t len,
		     const struct dk_digest *expected, struct dk_digest *out, struct dk_err *err);
int dk_store_put_fd(struct dk_store *s, int fd, const struct dk_digest *expected,
		    struct dk_digest *out, int64_t *size, struct dk_err *err);
bool dk_store_has_blob(struct dk_store *s, const struct dk_digest *d);
/* Open a blob for reading; returns an fd or -1. */
int dk_store_open_blob(struct dk_store *s, const struct dk_digest *d, struct dk_err *err);
/* Read a small blob (manifest, config) and verify its digest. */
int dk_store_read_blob(struct dk_store *s, const struct dk_digest *d, size_t max, char **buf,
		       size_t *len, struct dk_err *err);
/* Path of a blob, malloc'd. */
char *dk_store_blob_path(struct dk_store *s, const struct dk_digest *d);

/* Tags: index.json entries annotated with org.opencontainers.image.ref.name.
 * name is stored as given (callers pass the full normalised reference). */
int dk_store_tag(struct dk_store *s, const char *name, const struct dk_descriptor *desc,
		 struct dk_err *err);
int dk_store_untag(struct dk_store *s, const char *name, struct dk_err *err);
/* Find the entry named name; fills out (caller frees). */
int dk_store_resolve(struct dk_store *s, const char *name, struct dk_descriptor *out,
		     struct dk_err *err);
/* index.json as parsed (caller frees with dk_index_free). */
int dk_store_index(struct dk_store *s, struct dk_index *out, struct dk_err *err);

/* Remove blobs no index entry reaches (and stale temporary files).
 * *removed (may be NULL) gets the number of blobs removed. */
/* Remove the blobs no tag reaches. Writers hold gc.lock shared from their
 * first blob check or write until they close the store; gc takes it
 * exclusively, so it waits for them and never sweeps a blob a writer is
 * about to reference. */
int dk_store_gc(struct dk_store *s, size_t *removed, struct dk_err *err);
/* The same, deleting only those of candidates ("alg:hex" digests) no tag
 * reaches: what `rmi` frees, leaving other unreferenced blobs (the build
 * cache's step images) alone. */
int dk_store_gc_among(struct dk_store *s, char *const *candidates, size_t *removed,
		      struct dk_err *err);

/* Take gc.lock shared (once; a store we cannot lock is read-only to us
 * anyway). Called by the blob checks and writers. */
void dk_store_hold_blobs(struct dk_store *s);

/* Call fn for each file in blobs/ALG (dfd is that directory); a missing
 * directory has none. fn returning -1 stops with its error. */
int dk_store_each_blob_file(struct dk_store *s, const char *alg,
			    int (*fn)(void *ctx, int dfd, const char *name, struct dk_err *err),
			    void *ctx, struct dk_err *err);

/* A resolved image: the manifest chosen for a platform and its config. */
struct dk_image {
	struct dk_descriptor desc; /* of the manifest */
	struct dk_manifest manifest;
	struct dk_image_config config;
	struct dk_digest config_digest;
	char *name; /* the tag it was found by, or NULL */
};

/* Resolve what a user typed: a reference ("busybox", normalised as docker
 * does), a tag name as written by other tools ("latest"), a manifest digest
 * ("name@sha256:..." or "sha256:..."), or an image id (config digest, full
 * or a unique hex prefix of at least 12). Index entries pick want (host
 * when NULL). */
int dk_store_load_image(struct dk_store *s, const char *what, const struct dk_platform *want,
			struct dk_image *out, struct dk_err *err);
/* The same from an index.json entry (or any descriptor); name may be NULL. */
int dk_store_load_image_desc(struct dk_store *s, const struct dk_descriptor *desc, const char *name,
			     const struct dk_platform *want, struct dk_image *out,
			     struct dk_err *err);
void dk_image_free(struct dk_image *img);

#endif
