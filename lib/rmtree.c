// SPDX-License-Identifier: GPL-2.0-or-later
/* rmtree.c: rm -rf of a tree of any depth (dk_rm_rf_at, see fs.h). A
 * container decides how deep its tree goes, and removing it must not fail
 * for lack of file descriptors or stack: the walk is dirwalk.h's, which
 * keeps its levels on the heap and few descriptors open. Files go as they
 * are met, each directory once it is empty. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dirwalk.h"
#include "fs.h"

/* Remove name unless it is a directory: 1 for a directory (st filled),
 * 0 when gone (or absent), -1 on an error. */
static int unlink_file(int dirfd, const char *name, const char *path, struct stat *st,
		       struct dk_err *err)
{
	if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "removing %s", path);
	if (S_ISDIR(st->st_mode))
		return 1;
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return dk_err_sys(err, "removing %s", path);
	return 0;
}

/* One entry (dk_dirwalk_fn): a file goes, a directory is entered (made
 * writable for us: a 0555 directory of a layer still goes). */
static int rm_entry(void *ctx, int dirfd, const char *name, const char *path, struct dk_err *err)
{
	const dev_t *dev = ctx;
	struct stat st;
	int r = unlink_file(dirfd, name, path, &st, err);

	if (r <= 0)
		return r;
	if (st.st_dev != *dev)
		return dk_err_set(err, "%s: a mount point, not removing", path);
	if (!(st.st_mode & S_IWUSR) && fchmodat(dirfd, name, st.st_mode | S_IRWXU, 0) < 0)
		return dk_err_sys(err, "removing %s: making it writable", path);
	return 1;
}

/* A directory whose entries are gone (dk_dirwalk_leave_fn). */
static int rm_dir(void *ctx, int pfd, const char *name, int fd, const char *path,
		  struct dk_err *err)
{
	(void)ctx;
	(void)fd;
	if (unlinkat(pfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return dk_err_sys(err, "removing %s", path);
	return 0;
}

int dk_rm_rf_at(int dirfd, const char *name, struct dk_err *err)
{
	struct stat st;
	int fd, r = unlink_file(dirfd, name, name, &st, err);

	if (r <= 0)
		return r;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening %s", name);
	if (!(st.st_mode & S_IWUSR))
		fchmod(fd, st.st_mode | S_IRWXU);
	if (dk_dirwalk_post(fd, "", rm_entry, rm_dir, &st.st_dev, err) < 0)
		return dk_err_wrap(err, "removing %s", name);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return dk_err_sys(err, "removing %s", name);
	return 0;
}
