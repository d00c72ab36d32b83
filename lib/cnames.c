// SPDX-License-Identifier: GPL-2.0-or-later
/* cnames.c: finding containers: record locks, unique names (symlinks
 * names/NAME -> ID made under the containers directory's lock), id prefix
 * resolution and the list of ids. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "crecord.h"
#include "fs.h"
#include "json.h"

int dk_crec_lock(const char *cdir, const char *id, struct dk_err *err)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s/lock", cdir, id);
	return dk_lock_at(AT_FDCWD, path, err);
}

int dk_crec_update(const char *cdir, const char *id,
		   int (*fn)(struct dk_crec *r, void *arg, struct dk_err *err), void *arg,
		   struct dk_err *err)
{
	cleanup_close int lock = dk_crec_lock(cdir, id, err);
	struct dk_crec r;
	int rc;

	if (lock < 0 || dk_crec_load(cdir, id, &r, err) < 0)
		return -1;
	rc = fn(&r, arg, err);
	if (rc == 0)
		rc = dk_crec_save(cdir, &r, err);
	dk_crec_free(&r);
	return rc;
}

static bool record_exists(const char *cdir, const char *id)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s/record.json", cdir, id);
	return access(path, F_OK) == 0;
}

static int claim_locked(const char *cdir, const char *link, const char *id, char *owner,
			struct dk_err *err)
{
	ssize_t n;

	if (symlink(id, link) == 0)
		return 0;
	if (errno != EEXIST)
		return dk_err_sys(err, "claiming %s", link);
	n = readlink(link, owner, 64);
	if (n < 0)
		return dk_err_sys(err, "reading %s", link);
	owner[n] = '\0';
	if (record_exists(cdir, owner))
		return 1;
	/* left by a container that is gone: take it over */
	if (unlink(link) < 0 || symlink(id, link) < 0)
		return dk_err_sys(err, "claiming %s", link);
	return 0;
}

bool dk_crec_valid_name(const char *s)
{
	static const char alnum[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = strlen(s);

	return n >= 2 && n <= 255 && s[0] && strchr(alnum, s[0]) &&
	       strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
		   n - 1;
}

int dk_crec_claim_name(const char *cdir, const char *name, const char *id, char *owner,
		       struct dk_err *err)
{
	char path[4200];
	cleanup_close int lock = -1;

	if (!dk_crec_valid_name(name))
		return dk_err_set(err,
				  "Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
				  "allowed",
				  name);
	snprintf(path, sizeof(path), "%s/names", cdir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating %s", path);
	snprintf(path, sizeof(path), "%s/.names.lock", cdir);
	lock = dk_lock_at(AT_FDCWD, path, err);
	if (lock < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/names/%s", cdir, name);
	return claim_locked(cdir, path, id, owner, err);
}

void dk_crec_release_name(const char *cdir, const char *name, const char *id)
{
	char path[4200], target[80];
	ssize_t n;

	if (!name || !*name || strchr(name, '/'))
		return;
	snprintf(path, sizeof(path), "%s/names/%s", cdir, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	if (strcmp(target, id) == 0)
		unlink(path);
}

static bool is_id(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 64 && s[n] == '\0';
}

/* The id a name points at, when its record exists. */
static int by_name(const char *cdir, const char *what, char *id)
{
	char path[4200];
	ssize_t n;

	/* no name is longer: a path cut short could be another name's */
	if (strchr(what, '/') || what[0] == '.' || strlen(what) > 255)
		return -1;
	snprintf(path, sizeof(path), "%s/names/%s", cdir, what);
	n = readlink(path, id, 64);
	if (n != 64)
		return -1;
	id[64] = '\0';
	return record_exists(cdir, id) ? 0 : -1;
}

int dk_crec_resolve(const char *cdir, const char *what, char *id, struct dk_err *err)
{
	cleanup_free char **ids = NULL;
	size_t len = strlen(what), found = 0;
	struct dk_err e2;

	if (*what == '/')
		what++, len--;
	if (len && by_name(cdir, what, id) == 0)
		return 0;
	if (len && len <= 64 && strspn(what, "0123456789abcdef") == len) {
		char **all = dk_crec_list(cdir, &e2);

		for (size_t i = 0; all && all[i]; i++)
			if (strncmp(all[i], what, len) == 0 && found++ == 0)
				snprintf(id, 65, "%s", all[i]);
		dk_strv_free(all);
	}
	if (found == 1)
		return 0;
	if (found > 1)
		return dk_err_set(err, "multiple containers found with provided prefix: %s", what);
	dk_err_set(err, "No such container: %s", what);
	err->code = ENOENT;
	return -1;
}

/* Oldest first: the lock file is made at creation and never written. */
static const char *g_cdir;
static int by_ctime(const void *a, const void *b)
{
	char pa[4200], pb[4200];
	struct stat sa = {0}, sb = {0};

	snprintf(pa, sizeof(pa), "%s/%s/lock", g_cdir, *(char *const *)a);
	snprintf(pb, sizeof(pb), "%s/%s/lock", g_cdir, *(char *const *)b);
	stat(pa, &sa);
	stat(pb, &sb);
	if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec)
		return sa.st_mtim.tv_sec < sb.st_mtim.tv_sec ? -1 : 1;
	if (sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec)
		return sa.st_mtim.tv_nsec < sb.st_mtim.tv_nsec ? -1 : 1;
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dk_crec_list(const char *cdir, struct dk_err *err)
{
	cleanup_dir DIR *d = opendir(cdir);
	char **v = calloc(1, sizeof(*v));
	struct dirent *e;

	if (!v)
		return dk_err_sys(err, "listing containers"), NULL;
	if (!d)
		return v; /* no containers yet */
	while ((e = readdir(d)))
		if (is_id(e->d_name) && dk_strv_push(&v, e->d_name) < 0) {
			dk_strv_free(v);
			return dk_err_sys(err, "listing containers"), NULL;
		}
	g_cdir = cdir;
	qsort(v, dk_strv_len(v), sizeof(*v), by_ctime);
	return v;
}

int dk_crec_remove(const char *cdir, const char *id, const char *name, struct dk_err *err)
{
	char path[4200];

	dk_crec_release_name(cdir, name, id);
	snprintf(path, sizeof(path), "%s/%s", cdir, id);
	return dk_rm_rf_at(AT_FDCWD, path, err);
}
