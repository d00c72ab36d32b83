// SPDX-License-Identifier: GPL-2.0-or-later
/* compress.h: streaming layer compression (gzip, zstd or none) into a sink,
 * on several threads. Output depends only on the input, the method and
 * the level, never on the number of threads: gzip is written as 1 MiB
 * members (pgzip.h), zstd by libzstd's workers (same bytes for any
 * count). */
#ifndef COMMIT_COMPRESS_H
#define COMMIT_COMPRESS_H

#include <stddef.h>
#include "codec.h"

struct commit_compressor;

/* level < 0: the method's default; threads: workers (>= 1). */
struct commit_compressor *commit_compressor_new(enum dk_compression method, int level, int threads,
						commit_sink_fn sink, void *ctx, struct dk_err *err);
int commit_compress(struct commit_compressor *c, const void *buf, size_t len, struct dk_err *err);
/* Flush everything into the sink; call once at the end. */
int commit_compress_finish(struct commit_compressor *c, struct dk_err *err);
void commit_compressor_free(struct commit_compressor *c);

/* The number of threads by default: the CPUs this process may use. */
int commit_default_threads(void);

#endif
