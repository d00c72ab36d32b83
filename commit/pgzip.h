// SPDX-License-Identifier: GPL-2.0-or-later
/* pgzip.h: parallel gzip. The input is cut into fixed 1 MiB blocks, each
 * compressed by one of N worker threads into a complete gzip member, and
 * the members are written to the sink in input order. The cut depends
 * only on byte offsets, so the output is the same for any N and any way
 * the input arrives; concatenated members are one valid gzip file. */
#ifndef COMMIT_PGZIP_H
#define COMMIT_PGZIP_H

#include "codec.h"

#define COMMIT_MAX_THREADS 64

struct commit_pgzip;

struct commit_pgzip *commit_pgzip_new(int level, int threads, commit_sink_fn sink, void *ctx,
				      struct dk_err *err);
int commit_pgzip_write(struct commit_pgzip *p, const void *buf, size_t len, struct dk_err *err);
/* Compress what is left and write every member; call once, last. */
int commit_pgzip_finish(struct commit_pgzip *p, struct dk_err *err);
/* Stops the workers (also after a failure) and frees everything. */
void commit_pgzip_free(struct commit_pgzip *p);

#endif
