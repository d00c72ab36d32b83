// SPDX-License-Identifier: GPL-2.0-or-later
/* pathdescend.c: going down a relative path of any length below a
 * directory, following no symbolic link (see path.h). The kernel takes at
 * most PATH_MAX bytes per lookup: the path is taken in pieces cut at a
 * "/", each one lookup (openat2 with RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS,
 * so nothing it meets can lead out), or a component at a time where the
 * kernel has no openat2 or directories are to be made. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "path.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define PIECE 3072 /* bytes per lookup, well under PATH_MAX */

static const int DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

/* One component: opened (made first with mkdirs) without following it. */
static int one(int dirfd, const char *name, bool mkdirs, mode_t mode)
{
	int fd = openat(dirfd, name, DIR_FLAGS);

	if (fd < 0 && errno == ENOENT && mkdirs) {
		if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
			return -1;
		fd = openat(dirfd, name, DIR_FLAGS);
	}
	return fd;
}

/* The piece (NUL-terminated, no leading "/") a component at a time. */
static int by_components(int dirfd, char *piece, bool mkdirs, mode_t mode)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	char *save = NULL;

	for (char *c = strtok_r(piece, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		int next = one(fd, c, mkdirs, mode);
		int e = errno;

		close(fd);
		fd = next;
		errno = e;
	}
	return fd;
}

static int by_openat2(int dirfd, const char *piece)
{
	struct open_how how = {.flags = (unsigned)DIR_FLAGS,
			       .resolve =
				   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};

	return (int)syscall(SYS_openat2, dirfd, piece, &how, sizeof(how));
}

/* Where the next piece of rel (from at, len bytes in all) ends. */
static size_t piece_end(const char *rel, size_t at, size_t len)
{
	size_t end = at + PIECE < len ? at + PIECE : len;

	while (end < len && end > at && rel[end] != '/')
		end--;
	return end > at ? end : (at + PIECE < len ? at + PIECE : len);
}

/* The last long path resolved, to start from when the next one goes on
 * below it: unpacking a deep tree goes one level down per entry, and each
 * would otherwise look up every name above it again. Used only in the
 * same root and while still linked (a directory removed since, with what
 * was below it, has no links). One per thread. */
static _Thread_local struct {
	dev_t dev;
	ino_t ino;
	char *path;
	size_t len;
	int fd;
} last = {.fd = -1};

/* path is an ancestor of the cached one: up through "..", as many
 * levels as it has names fewer. */
static int cache_up(size_t len)
{
	int fd = fcntl(last.fd, F_DUPFD_CLOEXEC, 0);

	for (size_t i = len; fd >= 0 && i < last.len; i++) {
		if (last.path[i] != '/')
			continue;
		int up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		close(fd);
		fd = up;
	}
	return fd;
}

int dk_path_cache_find(int rootfd, const char *path, size_t len, bool up, size_t *used)
{
	struct stat root, st;
	size_t common = len < last.len ? len : last.len;

	if (last.fd < 0 || memcmp(path, last.path, common) != 0 || fstat(rootfd, &root) < 0 ||
	    root.st_dev != last.dev || root.st_ino != last.ino || fstat(last.fd, &st) < 0 ||
	    st.st_nlink == 0)
		return -1;
	if (len >= last.len && (len == last.len || path[last.len] == '/')) {
		*used = last.len;
		return fcntl(last.fd, F_DUPFD_CLOEXEC, 0);
	}
	if (!up || len > last.len || last.path[len] != '/')
		return -1;
	*used = len;
	return cache_up(len);
}

static void cache_drop(void)
{
	if (last.fd >= 0)
		close(last.fd);
	free(last.path);
	last.fd = -1;
	last.path = NULL;
	last.len = 0;
}

/* On between dk_path_cache_begin and dk_path_cache_end only. */
static _Thread_local bool caching;

void dk_path_cache_begin(void)
{
	caching = true;
}

void dk_path_cache_end(void)
{
	caching = false;
	cache_drop();
}

void dk_path_cache_keep(int rootfd, const char *path, size_t len, int fd)
{
	struct stat root;
	char *copy = caching && fstat(rootfd, &root) == 0 ? malloc(len + 1) : NULL;
	int keep = copy ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;

	if (keep < 0) {
		free(copy);
		return;
	}
	memcpy(copy, path, len);
	copy[len] = '\0';
	cache_drop();
	last.fd = keep;
	last.path = copy;
	last.len = len;
	last.dev = root.st_dev;
	last.ino = root.st_ino;
}

int dk_path_descend(int dirfd, const char *rel, size_t len, bool mkdirs, mode_t mode,
		    struct dk_err *err)
{
	char piece[PIECE + 1];
	size_t at = 0;
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);

	while (at < len && rel[at] == '/')
		at++;
	while (fd >= 0 && at < len) {
		size_t end = piece_end(rel, at, len);
		int next;

		memcpy(piece, rel + at, end - at);
		piece[end - at] = '\0';
		next = by_openat2(fd, piece);
		if (next < 0 && ((errno == ENOENT && mkdirs) || errno == ENOSYS || errno == EINVAL))
			next = by_components(fd, piece, mkdirs, mode);
		if (next < 0) {
			int e = errno == EXDEV ? ELOOP : errno;

			close(fd);
			if (e == ELOOP || e == ENOTDIR)
				return dk_err_errno(
				    err, e,
				    "a name more than 3 KiB into a path is a symbolic "
				    "link or no directory (links there are not "
				    "followed)");
			return dk_err_errno(err, e, "a directory more than 3 KiB into a path");
		}
		close(fd);
		fd = next;
		at = end;
		while (at < len && rel[at] == '/')
			at++;
	}
	return fd < 0 ? dk_err_sys(err, "resolving a path") : fd;
}
