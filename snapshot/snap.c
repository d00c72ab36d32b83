// SPDX-License-Identifier: GPL-2.0-or-later
/* snap.c: the snapshot directories under $DK_ROOT/snapshots: keys, their
 * meta.json (written last: a directory without it is a crash leftover),
 * listing. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "snapshot.h"

#define META	"meta.json"
#define TMP_TAG ".tmp-"

static int open_dir(const char *root, const char *name, char **path, int *fd, struct dk_err *err)
{
	*path = dk_path_join(root, name);
	if (!*path)
		return dk_err_sys(err, "%s", name);
	if (dk_mkdir_p(*path, 0700, err) < 0)
		return -1;
	*fd = open(*path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return dk_err_sys(err, "%s", *path);
	return 0;
}

int snap_root_open(struct snap_root *r, const char *root_opt, struct dk_err *err)
{
	memset(r, 0, sizeof(*r));
	r->layers_fd = r->snaps_fd = -1;
	r->root = dk_default_root(root_opt);
	if (!r->root)
		return dk_err_sys(err, "state directory");
	if (open_dir(r->root, "layers", &r->layers_path, &r->layers_fd, err) < 0 ||
	    open_dir(r->root, "snapshots", &r->snaps_path, &r->snaps_fd, err) < 0) {
		snap_root_close(r);
		return -1;
	}
	return 0;
}

void snap_root_close(struct snap_root *r)
{
	if (r->layers_fd >= 0)
		close(r->layers_fd);
	if (r->snaps_fd >= 0)
		close(r->snaps_fd);
	free(r->root);
	free(r->layers_path);
	free(r->snaps_path);
	memset(r, 0, sizeof(*r));
	r->layers_fd = r->snaps_fd = -1;
}

int snap_key_check(const char *key, struct dk_err *err)
{
	size_t n = strlen(key);

	if (n == 0 || n > 128 || !isalnum((unsigned char)key[0]))
		return dk_err_set(
		    err,
		    "snapshot key \"%s\": must start with a letter or digit and have 1-128 characters",
		    key);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)key[i]) && !strchr("_.-", key[i]))
			return dk_err_set(
			    err,
			    "snapshot key \"%s\": only letters, digits, '_', '.' and '-' are allowed",
			    key);
	return 0;
}

char *snap_path(struct snap_root *r, const char *key, const char *part)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s%s%s", r->snaps_path, key, part ? "/" : "", part ? part : "") < 0)
		return NULL;
	return p;
}

static const char *driver_name(enum snap_driver d)
{
	return d == SNAP_COPY ? "copy" : "overlay";
}

static int meta_write(struct snap_root *r, const char *dir, const struct snap_meta *m,
		      struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *buf = NULL;
	size_t len;

	if (!g)
		return dk_err_sys(err, "meta.json");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "key", m->key);
	dk_jgen_kstr(g, "image", m->image);
	dk_jgen_kstr(g, "manifest", m->manifest);
	dk_jgen_kstr(g, "driver", driver_name(m->driver));
	dk_jgen_kstr(g, "created", m->created);
	dk_jgen_str(g, "layers");
	dk_jgen_strv(g, m->layers);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, err) < 0)
		return -1;
	cleanup_close int fd = openat(r->snaps_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "%s/%s", r->snaps_path, dir);
	return dk_write_file_at(fd, META, buf, len, 0600, err);
}

static char *dup_member(const struct dk_json *doc, const char *key)
{
	const char *s = dk_json_get_str(doc, key);

	return strdup(s ? s : "");
}

int snap_meta_load(struct snap_root *r, const char *key, struct snap_meta *m, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	char rel[200];
	size_t len;
	struct dk_json *doc;

	memset(m, 0, sizeof(*m));
	if (snap_key_check(key, err) < 0)
		return -1;
	snprintf(rel, sizeof(rel), "%s/" META, key);
	if (dk_read_file_at(r->snaps_fd, rel, 1 << 20, &buf, &len, err) < 0) {
		if (err->code == ENOENT)
			return dk_err_set(err, "no such snapshot: %s", key);
		return dk_err_wrap(err, "snapshot %s", key);
	}
	doc = dk_json_parse(buf, len, "meta.json", err);
	if (!doc)
		return dk_err_wrap(err, "snapshot %s", key);
	m->key = strdup(key);
	m->image = dup_member(doc, "image");
	m->manifest = dup_member(doc, "manifest");
	m->created = dup_member(doc, "created");
	m->driver = strcmp(dk_json_get_str(doc, "driver") ? dk_json_get_str(doc, "driver") : "",
			   "copy") == 0
			? SNAP_COPY
			: SNAP_OVERLAY;
	m->layers = dk_json_strv(dk_json_get(doc, "layers"), "layers", err);
	dk_json_free(doc);
	if (!m->layers) {
		snap_meta_free(m);
		return dk_err_wrap(err, "snapshot %s: meta.json", key);
	}
	return 0;
}

void snap_meta_free(struct snap_meta *m)
{
	free(m->key);
	free(m->image);
	free(m->manifest);
	free(m->created);
	dk_strv_free(m->layers);
	memset(m, 0, sizeof(*m));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keys: directories in snapshots/ with a meta.json. */
char **snap_list_keys(struct snap_root *r, struct dk_err *err)
{
	int fd = openat(r->snaps_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **v = calloc(1, sizeof(*v));
	size_t n = 0;
	struct dirent *de;

	if (!d || !v) {
		if (fd >= 0 && !d)
			close(fd);
		free(v);
		return dk_err_sys(err, "%s", r->snaps_path), NULL;
	}
	while ((de = readdir(d))) {
		char rel[300];
		struct dk_err ignored;

		if (de->d_name[0] == '.' || snap_key_check(de->d_name, &ignored) < 0)
			continue;
		snprintf(rel, sizeof(rel), "%s/" META, de->d_name);
		if (faccessat(r->snaps_fd, rel, F_OK, 0) < 0)
			continue;
		char **nv = realloc(v, (n + 2) * sizeof(*nv));
		if (!nv || !(nv[n] = strdup(de->d_name))) {
			dk_strv_free(nv ? nv : v);
			return dk_err_sys(err, "listing snapshots"), NULL;
		}
		v = nv;
		v[++n] = NULL;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	return v;
}

/* ".KEY.tmp-PID": a snapshot being made by PID. */
static bool stale_tmp(const char *name)
{
	const char *t = strstr(name, TMP_TAG);
	char *end;
	long pid;

	if (name[0] != '.' || !t)
		return false;
	pid = strtol(t + strlen(TMP_TAG), &end, 10);
	return *end == '\0' && pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

void snap_remove_matching(int dirfd, bool (*match)(const char *name))
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	struct dk_err err;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)))
		if (match(de->d_name) && dk_rm_rf_at(dirfd, de->d_name, &err) < 0)
			fprintf(stderr, "snapshot: warning: %s\n", err.msg);
}

void snap_clean_leftovers(struct snap_root *r)
{
	snap_remove_matching(r->snaps_fd, stale_tmp);
}

int snap_create_dirs(struct snap_root *r, const struct snap_meta *m, struct dk_err *err)
{
	char tmp[200], rel[220];
	static const char *const parts[] = {"upper", "work", "rootfs"};

	snprintf(tmp, sizeof(tmp), ".%s" TMP_TAG "%d", m->key, (int)getpid());
	if (dk_rm_rf_at(r->snaps_fd, tmp, err) < 0)
		return -1;
	if (mkdirat(r->snaps_fd, tmp, 0700) < 0)
		return dk_err_sys(err, "creating %s/%s", r->snaps_path, tmp);
	for (size_t i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", tmp, parts[i]);
		if (mkdirat(r->snaps_fd, rel, 0755) < 0)
			return dk_err_sys(err, "creating %s/%s", r->snaps_path, rel);
	}
	if (meta_write(r, tmp, m, err) < 0)
		return -1;
	if (renameat(r->snaps_fd, tmp, r->snaps_fd, m->key) < 0) {
		int e = errno;
		struct dk_err ignored;

		dk_rm_rf_at(r->snaps_fd, tmp, &ignored);
		if (e == EEXIST || e == ENOTEMPTY)
			return dk_err_set(err, "snapshot %s already exists", m->key);
		return dk_err_errno(err, e, "creating snapshot %s", m->key);
	}
	return 0;
}
