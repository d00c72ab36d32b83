// SPDX-License-Identifier: GPL-2.0-or-later
/* treetar.c: a directory tree written as tar entries; see treetar.h. The
 * walk (dirwalk.h) takes trees of any depth and opens each directory below
 * its parent with O_NOFOLLOW, so a tree that changes (a running
 * container's) cannot send it elsewhere. */
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "cleanup.h"
#include "dirwalk.h"
#include "treetar.h"

struct seen {
	dev_t dev;
	ino_t ino;
	char *path; /* the first name of a hard-linked file */
};

struct walk {
	struct dk_tar_writer *w;
	struct seen *v;
	size_t n;
};

/* A second name of a file already written: *linked set, e filled. */
static int hard_link(struct walk *k, const struct stat *sb, const char *path,
		     struct dk_tar_entry *e, bool *linked, struct dk_err *err)
{
	struct seen *v;

	*linked = false;
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].dev == sb->st_dev && k->v[i].ino == sb->st_ino) {
			e->type = DK_TAR_LINK;
			e->linkname = k->v[i].path;
			*linked = true;
			return 0;
		}
	v = realloc(k->v, (k->n + 1) * sizeof(*v));
	if (!v)
		return dk_err_sys(err, "tar");
	k->v = v;
	v[k->n] = (struct seen){.dev = sb->st_dev, .ino = sb->st_ino, .path = strdup(path)};
	return v[k->n++].path ? 0 : dk_err_sys(err, "tar");
}

/* Links, devices, fifos: a header alone; 1 for a socket (left out). */
static int special(int dirfd, const char *name, const struct stat *sb, struct dk_tar_entry *e,
		   char *target, size_t size, struct dk_err *err)
{
	if (S_ISLNK(sb->st_mode)) {
		ssize_t n = readlinkat(dirfd, name, target, size - 1);
		if (n < 0)
			return dk_err_sys(err, "%s", e->name);
		target[n] = '\0';
		e->type = DK_TAR_SYMLINK;
		e->linkname = target;
	} else if (S_ISCHR(sb->st_mode) || S_ISBLK(sb->st_mode)) {
		e->type = S_ISCHR(sb->st_mode) ? DK_TAR_CHR : DK_TAR_BLK;
		e->devmajor = major(sb->st_rdev);
		e->devminor = minor(sb->st_rdev);
	} else if (S_ISFIFO(sb->st_mode)) {
		e->type = DK_TAR_FIFO;
	} else {
		return 1;
	}
	return 0;
}

/* One entry (dk_dirwalk_fn): 1 for a directory, whose entries follow. */
static int entry(void *ctx, int dirfd, const char *name, const char *path, struct dk_err *err)
{
	struct walk *k = ctx;
	struct stat sb;
	char target[4096];
	struct dk_tar_entry e = {.name = path};
	bool linked = false;
	int ret;

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", path);
	e.mode = sb.st_mode & 07777;
	e.uid = sb.st_uid;
	e.gid = sb.st_gid;
	e.mtime = sb.st_mtime;
	if (S_ISDIR(sb.st_mode)) {
		e.type = DK_TAR_DIR;
		return dk_tar_write_header(k->w, &e, err) < 0 ? -1 : 1;
	}
	if (S_ISREG(sb.st_mode) && sb.st_nlink > 1 && hard_link(k, &sb, path, &e, &linked, err) < 0)
		return -1;
	if (S_ISREG(sb.st_mode) && !linked) {
		cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		e.type = DK_TAR_REG;
		e.size = sb.st_size;
		return fd < 0 ? dk_err_sys(err, "%s", path) : dk_tar_write_file(k->w, &e, fd, err);
	}
	if (!linked && (ret = special(dirfd, name, &sb, &e, target, sizeof(target), err)) != 0)
		return ret < 0 ? -1 : 0;
	return dk_tar_write_header(k->w, &e, err);
}

int dk_tar_tree(struct dk_tar_writer *w, int dirfd, const char *prefix, struct dk_err *err)
{
	struct walk k = {.w = w};
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	int ret = fd < 0 ? dk_err_sys(err, "%s", *prefix ? prefix : "/")
			 : dk_dirwalk(fd, prefix, entry, &k, err);

	for (size_t i = 0; i < k.n; i++)
		free(k.v[i].path);
	free(k.v);
	return ret;
}
