// SPDX-License-Identifier: GPL-2.0-or-later
/* unsynced.h: blobs published before their data is known to be on the
 * disk. Writing 50 MB to this kind of disk takes longer than downloading
 * it, so fetch pull does not wait for it: it first records the blobs'
 * digests durably in a journal of this boot (unsynced/BOOT-PID-RAND in
 * the layout), then renames them into blobs/. A journal of an earlier
 * boot means the machine went down before the kernel wrote them back:
 * every blob it names is hashed again and removed if torn (a pull gets it
 * again). A journal of this boot is retired once old enough for the
 * kernel's writeback, after an fsync of its blobs. */
#ifndef DK_UNSYNCED_H
#define DK_UNSYNCED_H

#include <stddef.h>
#include "digest.h"

/* Write a journal naming d[0..n) and make it durable (file and name). */
int dk_unsynced_record(int dirfd, const struct dk_digest *const *d, size_t n, struct dk_err *err);
/* Check (earlier boot) or retire (this boot, older than a minute) the
 * journals of the layout at dirfd. Best effort: a blob that cannot be
 * checked is removed; nothing here fails the caller. */
void dk_unsynced_recover(int dirfd);

#endif
