// SPDX-License-Identifier: GPL-2.0-or-later
/* userfs.c: a User spec resolved against a rootfs's /etc/passwd and
 * /etc/group, both opened inside the rootfs (a symlinked /etc/passwd
 * cannot point at the host's). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include "cleanup.h"
#include "fs.h"
#include "path.h"
#include "userspec.h"

#define MAX_FILE (4 << 20)

/* The file's contents, or NULL (and 0) when it does not exist. */
static int read_etc(int rootfd, const char *path, char **out, struct dk_err *err)
{
	cleanup_close int fd = -1;
	struct dk_err e2;
	size_t len;

	*out = NULL;
	if (rootfd < 0)
		return 0;
	fd = dk_path_open(rootfd, path, O_RDONLY | O_CLOEXEC, 0, &e2);
	if (fd < 0) {
		if (e2.code == ENOENT || e2.code == ENOTDIR)
			return 0;
		*err = e2;
		return -1;
	}
	if (dk_read_fd(fd, MAX_FILE, out, &len, err) < 0)
		return dk_err_wrap(err, "%s", path);
	return 0;
}

int dk_user_resolve_at(const char *spec, int rootfd, struct dk_user *u, struct dk_err *err)
{
	cleanup_free char *passwd = NULL;
	cleanup_free char *group = NULL;

	if (read_etc(rootfd, "/etc/passwd", &passwd, err) < 0 ||
	    read_etc(rootfd, "/etc/group", &group, err) < 0)
		return -1;
	return dk_user_resolve(spec ? spec : "", passwd, group, u, err);
}
