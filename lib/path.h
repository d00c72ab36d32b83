// SPDX-License-Identifier: GPL-2.0-or-later
/* path.h: safe path resolution inside a root directory. Every lookup treats
 * rootfd as "/": ".." at the root stays at the root, absolute symlinks are
 * resolved from the root, so nothing resolved here can leave it. Uses
 * openat2(RESOLVE_IN_ROOT) where the kernel has it, a component walk
 * otherwise. Paths of any length: the part past the first few KiB is
 * followed without symbolic links (a link there is an error, ELOOP).
 * Shared by unpack, snapshot and runtime. */
#ifndef DK_PATH_H
#define DK_PATH_H

#include <stdbool.h>
#include <sys/types.h>
#include "err.h"

/* Open path (absolute or relative, both taken from the root) inside rootfd.
 * flags are open(2) flags; O_CREAT creates the final component (never
 * through a dangling symlink outside the root). O_NOFOLLOW applies to the
 * last component only. Returns an fd or -1. */
int dk_path_open(int rootfd, const char *path, int flags, mode_t mode, struct dk_err *err);

/* Resolve every component of path but the last inside rootfd and open that
 * parent directory (O_DIRECTORY). With mkdirs, missing directories are
 * created with mode 0755. *base points into path at the last component
 * ("" or "." when path names the root itself). Returns an fd or -1. */
int dk_path_open_parent(int rootfd, const char *path, bool mkdirs, const char **base,
			struct dk_err *err);

/* mkdir -p inside rootfd; returns an O_DIRECTORY fd of the result or -1. */
int dk_path_mkdir_all(int rootfd, const char *path, mode_t mode, struct dk_err *err);

/* Resolve path inside the root and write the resolved path, relative to the
 * root and starting with "/", into out. Components that do not exist are
 * kept as given (lexically cleaned). Returns 0 or -1. */
int dk_path_resolve(int rootfd, const char *path, char *out, size_t size, struct dk_err *err);

/* Lexically clean a path: collapse "//", drop ".", apply ".." without going
 * above "/"; the result is absolute. Pure; for tests and for names. */
void dk_path_clean(const char *path, char *out, size_t size);

/* Open the directory rel (its first len bytes: plain names separated by
 * "/", no "." or "..", any length) below the directory dirfd, following
 * no symbolic link (one is an error, ELOOP); with mkdirs, missing
 * directories are made with mode. For paths longer than one lookup takes
 * (pathdescend.c). Returns an fd or -1. */
int dk_path_descend(int dirfd, const char *rel, size_t len, bool mkdirs, mode_t mode,
		    struct dk_err *err);

/* The cache of the last long directory path resolved in a root (the
 * cleaned absolute path, len bytes, and its fd): find returns a dup of
 * the cached directory when path goes on below it (*used: the cached
 * path's length), or with up, of its ancestor path reached through ".."
 * (*used = len: only for names the cached path reached without following
 * a link), else -1; keep replaces it. */
int dk_path_cache_find(int rootfd, const char *path, size_t len, bool up, size_t *used);
void dk_path_cache_keep(int rootfd, const char *path, size_t len, int fd);
/* The cache works between begin and end only, around walks that resolve
 * many paths in one tree (unpacking a layer, COPY): its directory keeps
 * the tree's mount busy. end closes it. */
void dk_path_cache_begin(void);
void dk_path_cache_end(void);

/* For tests: force the component walk even where openat2 exists. */
void dk_path_force_walk(bool on);

#endif
