// SPDX-License-Identifier: GPL-2.0-or-later
/* compress.h: streaming layer compression (gzip, zstd or none) into a sink.
 * Output depends only on the input, the method and the level: the gzip
 * header carries no name and mtime 0, zstd runs single-threaded. */
#ifndef COMMIT_COMPRESS_H
#define COMMIT_COMPRESS_H

#include <stddef.h>
#include "err.h"
#include "oci.h"

typedef int (*commit_sink_fn)(void *ctx, const void *buf, size_t len, struct dk_err *err);

struct commit_compressor;

/* level < 0: the method's default. */
struct commit_compressor *commit_compressor_new(enum dk_compression method, int level,
						commit_sink_fn sink, void *ctx, struct dk_err *err);
int commit_compress(struct commit_compressor *c, const void *buf, size_t len, struct dk_err *err);
/* Flush everything into the sink; call once at the end. */
int commit_compress_finish(struct commit_compressor *c, struct dk_err *err);
void commit_compressor_free(struct commit_compressor *c);

/* Valid level range of a method (none: 0..0). */
void commit_level_range(enum dk_compression method, int *lo, int *hi);

#endif
