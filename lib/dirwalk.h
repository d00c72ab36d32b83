// SPDX-License-Identifier: GPL-2.0-or-later
/* dirwalk.h: a walk of a directory tree of any depth, parents before
 * children and siblings in name order. A container decides how deep its
 * tree goes, so the walk keeps its levels on the heap, not on the C stack,
 * and only the deepest levels keep a descriptor open (see dirwalk.c);
 * paths are built on the heap, of any length. Each directory is opened
 * below its parent with O_NOFOLLOW, so a tree that changes meanwhile (a
 * running container's) cannot send the walk elsewhere; a directory gone
 * before it is entered is skipped. */
#ifndef DK_DIRWALK_H
#define DK_DIRWALK_H

#include "err.h"

/* Called for each entry: dfd is its directory, name its name there, path
 * the walk's prefix and the names down to it. Returns 1 to enter it (a
 * directory: its entries follow, with path + "/" as their prefix), 0 to go
 * on, -1 to stop the walk with err set. */
typedef int (*dk_dirwalk_fn)(void *ctx, int dfd, const char *name, const char *path,
			     struct dk_err *err);

/* Called after the last entry of a directory that fn entered: pfd and
 * name as fn had them, the directory itself (fd, open) and its path; -1
 * stops the walk. */
typedef int (*dk_dirwalk_leave_fn)(void *ctx, int pfd, const char *name, int fd, const char *path,
				   struct dk_err *err);

/* Walk the entries below the directory dfd (taken, closed whatever
 * happens), each path starting with prefix. */
int dk_dirwalk(int dfd, const char *prefix, dk_dirwalk_fn fn, void *ctx, struct dk_err *err);
/* The same, calling leave (if not NULL) as each entered directory ends. */
int dk_dirwalk_post(int dfd, const char *prefix, dk_dirwalk_fn fn, dk_dirwalk_leave_fn leave,
		    void *ctx, struct dk_err *err);

#endif
