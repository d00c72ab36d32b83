// SPDX-License-Identifier: GPL-2.0-or-later
/* fs.h: small filesystem helpers: whole-file read, crash-safe replace,
 * mkdir -p, rm -rf, locks. */
#ifndef DK_FS_H
#define DK_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/* write(2) all of buf, retrying on EINTR and short writes. */
int dk_write_all(int fd, const void *buf, size_t len, struct dk_err *err);

/* Read all of name (relative to dirfd, or AT_FDCWD) into a NUL-terminated
 * malloc'd buffer; refuse files over max bytes. */
int dk_read_file_at(int dirfd, const char *name, size_t max, char **buf, size_t *len,
		    struct dk_err *err);

/* Read everything from fd (up to max bytes) into a malloc'd buffer. */
int dk_read_fd(int fd, size_t max, char **buf, size_t *len, struct dk_err *err);

/* Replace name in dirfd crash-safely: write a temporary file, fsync it,
 * rename it over name, fsync the directory. */
int dk_write_file_at(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
		     struct dk_err *err);
/* The same; also_fd (a file or directory, or -1) is fsynced together with
 * the new content before the rename, sharing its journal commit. */
int dk_write_file_at_with(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
			  int also_fd, struct dk_err *err);

/* mkdir -p (on the host, no root confinement). */
int dk_mkdir_p(const char *path, mode_t mode, struct dk_err *err);

/* rm -rf of name in dirfd; missing is fine. Never follows symlinks and
 * stays on the file systems it walks. Any depth, with a bounded number of
 * open files (rmtree.c). */
int dk_rm_rf_at(int dirfd, const char *name, struct dk_err *err);

/* Open (creating) name in dirfd and take an exclusive flock on it; returns
 * the fd, closing it releases the lock. */
int dk_lock_at(int dirfd, const char *name, struct dk_err *err);

/* fsync a directory so renames in it are durable. */
int dk_fsync_dir(int dirfd, struct dk_err *err);

/* True when this process is in a user namespace other than the initial
 * one (its uid_map is not the identity map of all ids). */
bool dk_in_userns(void);

/* True for an unprivileged user, and for root of a user namespace (the
 * one `dk` enters for a non-root user): overlayfs with userxattr,
 * user.overlay.* xattrs, no device nodes, no host cgroups. */
bool dk_rootless(void);

/* $DK_ROOT, or /var/lib/dk for root (outside a user namespace), else $XDG_DATA_HOME/dk or
 * ~/.local/share/dk. opt (from --root) wins when not NULL. The result is
 * malloc'd; NULL with errno set on failure: ENAMETOOLONG for a root
 * longer than DK_ROOT_MAX, which keeps every path the tools build below
 * it (a root, a 64-hex id or a name of at most 255 bytes, a few fixed
 * parts) inside PATH_MAX. */
#define DK_ROOT_MAX 2048
char *dk_default_root(const char *opt);

/* Concatenate path parts with "/" into a malloc'd string. */
char *dk_path_join(const char *a, const char *b);

/* The path of tool name next to the running tool (whose own name is
 * self), with the running binary's program prefix (sibling.c). */
char *dk_tool_sibling(const char *self, const char *name);

/* du.c: the bytes of the files and links under path (not crossing
 * mounts); a size in docker's decimal units ("12B", "1.09MB"). */
long long dk_tree_bytes(const char *path);
void dk_human_size(long long bytes, char *buf, size_t size);

/* closefds.c: close every fd >= from except keep[0..n) (at most 8). */
int dk_close_fds_except(unsigned from, const int *keep, size_t n, struct dk_err *err);

#endif
