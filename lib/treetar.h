// SPDX-License-Identifier: GPL-2.0-or-later
/* treetar.h: a directory tree as tar entries (dk export, buildfile -o
 * type=tar): names sorted, owners, modes and times kept, hard links as
 * links, symbolic links never followed, sockets left out. */
#ifndef DK_TREETAR_H
#define DK_TREETAR_H

#include "tarwrite.h"

/* Every entry below the directory dirfd, named PREFIX + its path ("" for
 * paths relative to the top). */
int dk_tar_tree(struct dk_tar_writer *w, int dirfd, const char *prefix, struct dk_err *err);

#endif
