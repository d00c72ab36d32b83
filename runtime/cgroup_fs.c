// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup_fs.c: entries of the state's cgroup list, controller lists, and
 * cgroup file reads and writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cgroup_fs.h"
#include "cleanup.h"
#include "fs.h"

bool rt_cg_split(const char *e, struct rt_cg_entry *out)
{
	const char *colon = strchr(e, ':');

	if (*e == '?' || *e == '@' || !colon || (size_t)(colon - e) >= sizeof(out->ctrls))
		return false;
	memcpy(out->ctrls, e, colon - e);
	out->ctrls[colon - e] = 0;
	out->dir = colon + 1;
	return true;
}

bool rt_cg_has_word_sep(const char *list, const char *w, char sep)
{
	size_t n = strlen(w);

	for (const char *p = list; p && *p;) {
		if (!strncmp(p, w, n) && (p[n] == sep || !p[n] || p[n] == '\n'))
			return true;
		p = strchr(p, sep);
		p = p ? p + 1 : NULL;
	}
	return false;
}

bool rt_cg_has_word(const char *list, const char *w)
{
	return rt_cg_has_word_sep(list, w, ',');
}

bool rt_cg_fits(int n, size_t size)
{
	return n >= 0 && (size_t)n < size;
}

int rt_cg_write(const char *dir, const char *file, const char *val, struct dk_err *err)
{
	char p[1024];
	cleanup_close int fd = -1;
	size_t len = strlen(val);

	if (!rt_cg_fits(snprintf(p, sizeof(p), "%s/%s", dir, file), sizeof(p)))
		return dk_err_errno(err, ENAMETOOLONG, "cgroup file %s/%s", dir, file);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening %s", p);
	if (write(fd, val, len) != (ssize_t)len)
		return dk_err_sys(err, "writing \"%s\" to %s", val, p);
	return 0;
}

char *rt_cg_read(const char *dir, const char *file)
{
	char p[1024];
	char *buf = NULL;
	size_t len;
	struct dk_err e;

	if (!rt_cg_fits(snprintf(p, sizeof(p), "%s/%s", dir, file), sizeof(p)))
		return NULL;
	if (dk_read_file_at(AT_FDCWD, p, 1 << 20, &buf, &len, &e) < 0)
		return NULL;
	while (len && buf[len - 1] == '\n')
		buf[--len] = 0;
	return buf;
}
