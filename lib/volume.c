// SPDX-License-Identifier: GPL-2.0-or-later
/* volume.c: named volumes on disk. A volume is made complete in a
 * temporary directory and renamed into place, so a name is either a whole
 * volume or nothing; removal renames it away first. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "crecord.h"
#include "fs.h"
#include "json.h"
#include "events.h"
#include "volume.h"

char *dk_vol_data(const char *root, const char *name)
{
	char *s = NULL;

	return asprintf(&s, "%s/volumes/%s/_data", root, name) < 0 ? NULL : s;
}

bool dk_vol_exists(const char *root, const char *name)
{
	cleanup_free char *d = NULL;

	if (!dk_crec_valid_name(name)) /* no "..", no "/": stays in volumes/ */
		return false;
	d = dk_vol_data(root, name);
	return d && access(d, F_OK) == 0;
}

static int write_meta(const char *dir, const char *name, bool anonymous, char *const *labels,
		      struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *buf = NULL, *path = dk_path_join(dir, "meta.json");
	char now[64];
	size_t len;

	dk_time_now(now, sizeof(now));
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Name", name);
	dk_jgen_kstr(g, "CreatedAt", now);
	dk_jgen_kbool(g, "Anonymous", anonymous);
	dk_jgen_str(g, "Labels");
	dk_jgen_map_open(g);
	for (; labels && *labels; labels++) {
		const char *eq = strchr(*labels, '=');
		dk_jgen_strn(g, *labels, eq ? (size_t)(eq - *labels) : strlen(*labels));
		dk_jgen_str(g, eq ? eq + 1 : "");
	}
	dk_jgen_map_close(g);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, err) < 0 || !path)
		return -1;
	return dk_write_file_at(AT_FDCWD, path, buf, len, 0600, err);
}

int dk_vol_create(const char *root, const char *name, bool anonymous, char *const *labels,
		  bool *created, struct dk_err *err)
{
	char dir[4200], tmp[4300], data[4400];
	unsigned r = 0;

	*created = false;
	if (!dk_crec_valid_name(name))
		return dk_err_set(err,
				  "volume name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] "
				  "are allowed",
				  name);
	snprintf(dir, sizeof(dir), "%s/volumes", root);
	if (dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/volumes/%s", root, name);
	if (access(dir, F_OK) == 0)
		return 0;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned)getpid();
	snprintf(tmp, sizeof(tmp), "%s/volumes/.new-%08x", root, r);
	snprintf(data, sizeof(data), "%s/_data", tmp);
	if (mkdir(tmp, 0700) < 0 || mkdir(data, 0755) < 0)
		return dk_err_sys(err, "volume %s: creating %s", name, tmp);
	if (write_meta(tmp, name, anonymous, labels, err) < 0 || rename(tmp, dir) < 0) {
		int e = errno;
		struct dk_err ignore;
		dk_rm_rf_at(AT_FDCWD, tmp, &ignore);
		if (e == EEXIST || e == ENOTEMPTY)
			return 0; /* made by someone else meanwhile */
		return err->msg[0] ? -1 : dk_err_errno(err, e, "volume %s", name);
	}
	*created = true;
	dk_event(root, "volume", "create", name, (const char *[]){"driver", "local", NULL});
	return 0;
}

int dk_vol_remove(const char *root, const char *name, struct dk_err *err)
{
	char dir[4200], gone[4300];
	unsigned r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned)getpid();
	snprintf(dir, sizeof(dir), "%s/volumes/%s", root, name);
	snprintf(gone, sizeof(gone), "%s/volumes/.rm-%08x", root, r);
	if (rename(dir, gone) < 0)
		return dk_err_sys(err, "get %s: no such volume", name);
	dk_event(root, "volume", "destroy", name, (const char *[]){"driver", "local", NULL});
	return dk_rm_rf_at(AT_FDCWD, gone, err);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dk_vol_list(const char *root, struct dk_err *err)
{
	cleanup_free char *dir = dk_path_join(root, "volumes");
	cleanup_dir DIR *d = dir ? opendir(dir) : NULL;
	char **v = calloc(1, sizeof(*v));
	struct dirent *e;

	if (!v)
		return dk_err_sys(err, "volumes"), NULL;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && dk_strv_push(&v, e->d_name) < 0) {
			dk_strv_free(v);
			return dk_err_sys(err, "volumes"), NULL;
		}
	qsort(v, dk_strv_len(v), sizeof(*v), cmp);
	return v;
}
