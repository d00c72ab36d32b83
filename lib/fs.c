// SPDX-License-Identifier: GPL-2.0-or-later
/* fs.c: whole-file I/O, crash-safe replace, mkdir -p, rm -rf, locks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "fs.h"
#include "syncall.h"

int dk_write_all(int fd, const void *buf, size_t len, struct dk_err *err)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dk_err_sys(err, "writing");
		p += n;
		len -= n;
	}
	return 0;
}

int dk_read_fd(int fd, size_t max, char **buf, size_t *len, struct dk_err *err)
{
	size_t cap = 4096, n = 0;
	cleanup_free char *b = malloc(cap + 1);

	if (!b)
		return dk_err_sys(err, "reading");
	for (;;) {
		if (n == cap) {
			char *nb;

			if (cap > max)
				return dk_err_set(err, "file larger than %zu bytes", max);
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb)
				return dk_err_sys(err, "reading");
			b = nb;
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return dk_err_sys(err, "reading");
		if (r == 0)
			break;
		n += r;
	}
	if (n > max)
		return dk_err_set(err, "file larger than %zu bytes", max);
	b[n] = '\0';
	*len = n;
	*buf = steal_ptr(b);
	return 0;
}

int dk_read_file_at(int dirfd, const char *name, size_t max, char **buf, size_t *len,
		    struct dk_err *err)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "opening %s", name);
	if (dk_read_fd(fd, max, buf, len, err) < 0)
		return dk_err_wrap(err, "%s", name);
	return 0;
}

int dk_fsync_dir(int dirfd, struct dk_err *err)
{
	if (fsync(dirfd) < 0 && errno != EINVAL)
		return dk_err_sys(err, "syncing directory");
	return 0;
}

int dk_write_file_at(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
		     struct dk_err *err)
{
	return dk_write_file_at_with(dirfd, name, buf, len, mode, -1, err);
}

/* fsync fd, and also_fd (>= 0) at the same time; EINVAL from also_fd (a
 * directory on a filesystem that cannot sync one) is no error. */
static int sync_with(int fd, int also_fd)
{
	int fds[2] = {fd, also_fd}, errs[2];

	if (also_fd < 0)
		return fsync(fd);
	dk_fsync_all(fds, 2, errs);
	if (errs[1] == EINVAL)
		errs[1] = 0;
	errno = errs[0] ? errs[0] : errs[1];
	return errno ? -1 : 0;
}

int dk_write_file_at_with(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
			  int also_fd, struct dk_err *err)
{
	const char *slash = strrchr(name, '/');
	int dirlen = slash ? (int)(slash - name + 1) : 0;
	char tmp[4096];
	cleanup_close int fd = -1;

	/* the temporary file sits next to name: "dir/.base.tmp-PID" */
	snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp-%d", dirlen, name, name + dirlen, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return dk_err_sys(err, "creating %s", tmp);
	if (dk_write_all(fd, buf, len, err) < 0 || sync_with(fd, also_fd) < 0) {
		if (!err->msg[0] || err->code == 0)
			dk_err_sys(err, "writing %s", tmp);
		unlinkat(dirfd, tmp, 0);
		return dk_err_wrap(err, "%s", name);
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		dk_err_sys(err, "renaming %s to %s", tmp, name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (!slash)
		return dk_fsync_dir(dirfd, err);
	char dir[4096];
	snprintf(dir, sizeof(dir), "%.*s", dirlen, name);
	cleanup_close int dfd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dfd < 0 ? dk_err_sys(err, "opening %s", dir) : dk_fsync_dir(dfd, err);
}

int dk_mkdir_p(const char *path, mode_t mode, struct dk_err *err)
{
	cleanup_free char *p = strdup(path);

	if (!p)
		return dk_err_sys(err, "mkdir %s", path);
	/* the parents usually exist (a cgroup per hierarchy, a state dir per
	 * container): one mkdir, and the walk from / only when one is missing */
	if (mkdir(p, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return dk_err_sys(err, "creating directory %s", p);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return dk_err_sys(err, "creating directory %s", p);
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating directory %s", p);
	return 0;
}

int dk_lock_at(int dirfd, const char *name, struct dk_err *err)
{
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return dk_err_sys(err, "opening lock %s", name);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		dk_err_sys(err, "locking %s", name);
		close(fd);
		return -1;
	}
	return fd;
}

char *dk_path_join(const char *a, const char *b)
{
	char *s = NULL;
	size_t la = strlen(a);
	bool slash = la > 0 && a[la - 1] == '/';

	if (asprintf(&s, "%s%s%s", a, slash ? "" : "/", b) < 0)
		return NULL;
	return s;
}

static char *pick_root(const char *opt)
{
	const char *env = getenv("DK_ROOT");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *s = NULL;

	if (opt && *opt)
		return strdup(opt);
	if (env && *env)
		return strdup(env);
	if (geteuid() == 0 && !dk_in_userns())
		return strdup("/var/lib/dk");
	if (xdg && *xdg)
		return dk_path_join(xdg, "dk");
	if (asprintf(&s, "%s/.local/share/dk", home ? home : "/tmp") < 0)
		return NULL;
	return s;
}

char *dk_default_root(const char *opt)
{
	char *s = pick_root(opt);

	if (s && strlen(s) > DK_ROOT_MAX) {
		free(s);
		errno = ENAMETOOLONG;
		return NULL;
	}
	return s;
}
