// SPDX-License-Identifier: GPL-2.0-or-later
/* xattrs.c: reading an entry's xattrs (through /proc/self/fd, so symlinks
 * are read without following them) for a layer tar. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include "xattrs.h"

static bool is_overlay(const char *name)
{
	return strncmp(name, "trusted.overlay.", 16) == 0 ||
	       strncmp(name, "user.overlay.", 13) == 0;
}

static int cmp_xattr(const void *a, const void *b)
{
	return strcmp(((const struct dk_tar_xattr *)a)->name,
		      ((const struct dk_tar_xattr *)b)->name);
}

static bool opaque_value(const char *path, const char *attr)
{
	char v[4];
	ssize_t n = lgetxattr(path, attr, v, sizeof(v));

	return n == 1 && v[0] == 'y';
}

static int list_names(const char *path, char **names, ssize_t *len, struct dk_err *err)
{
	*names = NULL;
	*len = llistxattr(path, NULL, 0);
	if (*len < 0)
		return errno == ENOTSUP ? (*len = 0, 0) : dk_err_sys(err, "listing xattrs");
	if (*len == 0)
		return 0;
	*names = malloc((size_t)*len);
	if (!*names)
		return dk_err_sys(err, "xattrs");
	*len = llistxattr(path, *names, (size_t)*len);
	if (*len < 0)
		return dk_err_sys(err, "listing xattrs");
	return 0;
}

static int read_value(const char *path, struct dk_tar_xattr *x, struct dk_err *err)
{
	ssize_t n = lgetxattr(path, x->name, NULL, 0);
	void *v;

	if (n < 0)
		return dk_err_sys(err, "xattr %s", x->name);
	v = malloc((size_t)n + 1);
	if (!v)
		return dk_err_sys(err, "xattr %s", x->name);
	n = lgetxattr(path, x->name, v, (size_t)n);
	if (n < 0) {
		free(v);
		return dk_err_sys(err, "xattr %s", x->name);
	}
	x->value = v;
	x->len = (size_t)n;
	return 0;
}

int snap_xattrs_read(int dfd, const char *name, struct snap_xattrs *out, struct dk_err *err)
{
	char path[4200];
	ssize_t len;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dfd, name);
	if (list_names(path, &out->names, &len, err) < 0)
		return -1;
	out->opaque = opaque_value(path, "trusted.overlay.opaque") ||
		      opaque_value(path, "user.overlay.opaque");
	for (char *p = out->names; p && p < out->names + len; p += strlen(p) + 1) {
		if (is_overlay(p))
			continue;
		struct dk_tar_xattr *nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
		if (!nv)
			return dk_err_sys(err, "xattrs");
		out->v = nv;
		nv[out->n] = (struct dk_tar_xattr){.name = p};
		if (read_value(path, &nv[out->n], err) < 0) {
			snap_xattrs_free(out);
			return -1;
		}
		out->n++;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_xattr);
	return 0;
}

void snap_xattrs_free(struct snap_xattrs *x)
{
	for (size_t i = 0; i < x->n; i++)
		free((void *)x->v[i].value);
	free(x->v);
	free(x->names);
	memset(x, 0, sizeof(*x));
}
