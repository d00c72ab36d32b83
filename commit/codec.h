// SPDX-License-Identifier: GPL-2.0-or-later
/* codec.h: the compression libraries behind one wall: a gzip member of
 * one block (libdeflate) and a multi-threaded zstd stream (libzstd).
 * Output depends only on the input, the level and (gzip) the block
 * boundaries; zstd output is the same for any number of workers. */
#ifndef COMMIT_CODEC_H
#define COMMIT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"
#include "oci.h"

typedef int (*commit_sink_fn)(void *ctx, const void *buf, size_t len, struct dk_err *err);

/* Valid level range of a method (none: 0..0) and its default. */
void commit_level_range(enum dk_compression method, int *lo, int *hi);
int commit_level_default(enum dk_compression method);

/* One gzip compressor per thread: not shared between threads. */
struct commit_deflater;
struct commit_deflater *commit_deflater_new(int level, struct dk_err *err);
/* Room a member of len input bytes may need. */
size_t commit_gzip_bound(struct commit_deflater *d, size_t len);
/* in as one complete gzip member (no name, mtime 0, OS unknown) into out;
 * returns its length, 0 when it does not fit in cap. */
size_t commit_gzip_member(struct commit_deflater *d, const void *in, size_t len, void *out,
			  size_t cap);
void commit_deflater_free(struct commit_deflater *d);

/* A zstd stream with its checksum, compressed by threads workers. */
struct commit_zstd;
struct commit_zstd *commit_zstd_new(int level, int threads, commit_sink_fn sink, void *ctx,
				    struct dk_err *err);
/* Feed len bytes; end: flush and close the frame (once, last). */
int commit_zstd_feed(struct commit_zstd *z, const void *buf, size_t len, bool end,
		     struct dk_err *err);
void commit_zstd_free(struct commit_zstd *z);

#endif
