// SPDX-License-Identifier: GPL-2.0-or-later
/* commit.h: commit's pieces: the layer (input tar -> compressed blob, digest
 * and diff_id in one pass) and the image (config, manifest, tag). */
#ifndef COMMIT_COMMIT_H
#define COMMIT_COMMIT_H

#include <stdbool.h>
#include <stdint.h>
#include "dockerfile.h"
#include "store.h"

struct commit_opts {
	const char *root, *base, *tag, *message, *author, *input;
	struct dk_df_instr *changes;
	size_t n_changes;
	enum dk_compression method;
	int level;	    /* -1: default */
	int threads;	    /* compression workers */
	int64_t timestamp;  /* seconds since the epoch, -1: now */
	bool require_layer; /* empty input is an error */
};

struct commit_layer {
	bool present; /* false: empty input, no layer */
	struct dk_digest digest, diff_id;
	int64_t size;
	uint64_t entries;
};

/* Read the tar from fd (checking it is one), compress it with o's method,
 * level and threads and store the blob; digest and diff_id come from the
 * same pass. what names the input. */
int commit_write_layer(struct dk_store *s, int fd, const char *what, const struct commit_opts *o,
		       struct commit_layer *out, struct dk_err *err);

/* Apply the --change instructions to base's config (before anything is
 * written, so a bad change leaves the store as it was). */
int commit_apply_changes(struct dk_image *base, const struct commit_opts *o, struct dk_err *err);

/* Write the new config and manifest on top of base, tag them with o->tag;
 * out gets the manifest digest. */
int commit_image(struct dk_store *s, struct dk_image *base, const struct commit_layer *layer,
		 const struct commit_opts *o, struct dk_digest *out, struct dk_err *err);

/* The layer media type for base's manifest family and method, or NULL with
 * err when the family has none (zstd in Docker schema2). */
const char *commit_layer_media_type(const struct dk_image *base, enum dk_compression method,
				    struct dk_err *err);

#endif
