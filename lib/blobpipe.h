// SPDX-License-Identifier: GPL-2.0-or-later
/* blobpipe.h: writing a blob on a thread of its own. The producer (a
 * download, whose library hands over 16 KiB at a time) only copies its
 * bytes into chunk buffers; the thread hashes each full chunk from memory,
 * writes it with one write(2) and starts its writeback at once. The
 * producer's thread pays a memcpy and the bytes are read once. */
#ifndef DK_BLOBPIPE_H
#define DK_BLOBPIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "digest.h"

struct dk_blobpipe;
/* Start a thread appending to fd at offset from (the file has from bytes
 * already, and h holds their hash); h stays the caller's but must not be
 * touched until dk_blobpipe_finish returns. With writeback, each chunk
 * written is handed to the disk at once. */
struct dk_blobpipe *dk_blobpipe_start(int fd, struct dk_hasher *h, int64_t from, bool writeback,
				      struct dk_err *err);
/* Queue len more bytes (copied). Fails when the thread could not write an
 * earlier chunk: the error (ENOSPC...) is reported here or at finish. */
int dk_blobpipe_put(struct dk_blobpipe *p, const void *buf, size_t len, struct dk_err *err);
/* No more bytes: write what is queued, wait for the thread and free p.
 * h then holds the hash of the whole file. */
int dk_blobpipe_finish(struct dk_blobpipe *p, struct dk_err *err);
/* Stop at once and free p (the file and h hold a prefix). NULL is fine. */
void dk_blobpipe_cancel(struct dk_blobpipe *p);

#endif
