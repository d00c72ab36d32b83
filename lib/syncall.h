// SPDX-License-Identifier: GPL-2.0-or-later
/* syncall.h: fsync several files at once, so that their flushes overlap
 * and share the filesystem's journal commits instead of paying one each. */
#ifndef DK_SYNCALL_H
#define DK_SYNCALL_H

#include <stddef.h>

/* fsync fds[0..n) on up to a few threads; errs[i] gets the errno of
 * fds[i]'s failure, 0 on success. Returns the number that failed. */
size_t dk_fsync_all(const int *fds, size_t n, int *errs);

#endif
