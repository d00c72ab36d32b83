// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_link.c: hardlink entries. The target is resolved inside the root
 * like any name (so "/etc/passwd" or "../../x" stay inside it) and may
 * come from an earlier layer; a directory target is refused. In overlay
 * mode a target found only in a lower layer directory is copied. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archive_dl.h"
#include "cleanup.h"
#include "layer_int.h"
#include "path.h"

/* Find target in dirfd: its parent fd and stat; 0 found, 1 absent. */
static int find_target(int dirfd, const char *tpath, const char **tbase, int *tpfd, struct stat *st,
		       struct dk_err *err)
{
	struct dk_err e2;

	*tpfd = dk_path_open_parent(dirfd, tpath, false, tbase, &e2);
	if (*tpfd < 0) {
		if (e2.code == ENOENT || e2.code == ENOTDIR)
			return 1;
		*err = e2;
		return dk_err_wrap(err, "hardlink target \"%s\"", tpath);
	}
	if (fstatat(*tpfd, *tbase, st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno != ENOENT && errno != ENOTDIR)
		return dk_err_sys(err, "hardlink target \"%s\"", tpath);
	close(*tpfd);
	*tpfd = -1;
	return 1;
}

static int copy_fd(int src, int dst, off_t size, struct dk_err *err)
{
	while (size > 0) {
		ssize_t n = sendfile(dst, src, NULL, (size_t)size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dk_err_sys(err, "copying the hardlink target");
		if (n == 0)
			break;
		size -= n;
	}
	return 0;
}

/* Overlay mode: copy the target from the topmost lower layer holding it. */
static int copy_from_lower(struct dk_layer_ctx *c, const char *tpath, int pfd, const char *base,
			   struct dk_err *err)
{
	for (size_t i = 0; i < c->opts->n_lower; i++) {
		cleanup_close int tpfd = -1, src = -1, dst = -1;
		const char *tbase;
		struct stat st;
		struct timespec ts[2];
		int r = find_target(c->opts->lower_fds[i], tpath, &tbase, &tpfd, &st, err);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (!S_ISREG(st.st_mode))
			return dk_err_set(err,
					  "hardlink target \"%s\" in a lower "
					  "layer is not a regular file",
					  tpath);
		src = openat(tpfd, tbase, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		dst = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (src < 0 || dst < 0)
			return dk_err_sys(err, "copying the hardlink target");
		if (copy_fd(src, dst, st.st_size, err) < 0)
			return -1;
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
		if (((!c->opts->rootless || c->opts->userns_root) &&
		     fchown(dst, st.st_uid, st.st_gid) < 0) ||
		    fchmod(dst, st.st_mode & 07777) < 0 || futimens(dst, ts) < 0)
			return dk_err_sys(err, "copying the hardlink target");
		return 0;
	}
	return dk_err_set(err, "hardlink target \"%s\" does not exist", tpath);
}

int dk_layer_write_hardlink(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
			    struct dk_err *err)
{
	cleanup_close int tpfd = -1, pfd = -1;
	const char *raw = archive_entry_hardlink(e), *tbase, *base;
	cleanup_free char *tpath = malloc(strlen(raw) + 2);
	struct stat st;
	bool is_dir;
	int r;

	if (!tpath)
		return dk_err_sys(err, "hardlink target");
	dk_path_clean(raw, tpath, strlen(raw) + 2);
	if (strcmp(tpath, path) == 0)
		return 0; /* a link to itself: nothing to do */
	if (strcmp(tpath, "/") == 0 || strcmp(path, "/") == 0)
		return dk_err_set(err, "hardlink to or as the root directory");
	r = find_target(c->rootfd, tpath, &tbase, &tpfd, &st, err);
	if (r < 0)
		return -1;
	if (r == 0 && S_ISDIR(st.st_mode))
		return dk_err_set(err, "hardlink to a directory (\"%s\")", tpath);
	if (r > 0 && c->opts->n_lower == 0)
		return dk_err_set(err, "hardlink target \"%s\" does not exist", tpath);
	pfd = dk_layer_open_slot(c, path, false, &base, &is_dir, err);
	if (pfd < 0)
		return -1;
	if (r > 0)
		return copy_from_lower(c, tpath, pfd, base, err);
	if (linkat(tpfd, tbase, pfd, base, 0) < 0)
		return dk_err_sys(err, "linking to \"%s\"", tpath);
	return 0;
}
