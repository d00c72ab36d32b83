// SPDX-License-Identifier: GPL-2.0-or-later
/* tailhash.h: hashing a file on a thread of its own while its writer is
 * still appending to it, so the writer's thread (a download) does not pay
 * for the digest. The thread reads back what was written (from the page
 * cache) and follows the writer until told the file is complete. Behind
 * the hashing it flushes the file to the disk (fdatasync every few MiB),
 * so that the writer's fsync before making the file visible is short. */
#ifndef DK_TAILHASH_H
#define DK_TAILHASH_H

#include <stdint.h>
#include "digest.h"

struct dk_tailhash;
/* Start hashing fd (readable, with pread) from offset from into h, which
 * must already hold the hash of the bytes before from; h stays the
 * caller's but must not be touched until dk_tailhash_finish returns. */
struct dk_tailhash *dk_tailhash_start(int fd, struct dk_hasher *h, int64_t from,
				      struct dk_err *err);
/* The file now has size bytes that may be hashed. */
void dk_tailhash_advance(struct dk_tailhash *t, int64_t size);
/* No more bytes come: wait until all are hashed (h then holds the hash of
 * the whole file) and free t. Fails on a read error, or when a flush
 * behind the hashing failed (the caller's own fsync might not see it). */
int dk_tailhash_finish(struct dk_tailhash *t, struct dk_err *err);
/* Stop at once and free t (h holds a partial hash). NULL is fine. */
void dk_tailhash_cancel(struct dk_tailhash *t);

#endif
