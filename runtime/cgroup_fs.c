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

bool rt_cg_mountinfo(char *line, struct rt_mountinfo *m)
{
	char *dash = strstr(line, " - "), *f[6], *save = NULL;
	int n = 0;

	if (!dash)
		return false;
	*dash = 0; /* the optional fields end there */
	for (char *w = strtok_r(line, " ", &save); w && n < 6; w = strtok_r(NULL, " ", &save))
		f[n++] = w;
	if (n < 6 || sscanf(f[2], "%u:%u", &m->maj, &m->min) != 2)
		return false;
	m->root = f[3];
	m->point = f[4];
	m->opts = f[5];
	save = NULL;
	m->fstype = strtok_r(dash + 3, " ", &save);
	m->super = m->fstype && strtok_r(NULL, " ", &save) ? strtok_r(NULL, " \n", &save) : NULL;
	return m->super != NULL;
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
