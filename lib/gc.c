// SPDX-License-Identifier: GPL-2.0-or-later
/* gc.c: garbage collection of the image store: mark every blob reachable
 * from index.json (through indexes, manifests, configs, layers), then delete
 * the rest and stale temporary files. Holds the index lock throughout so no
 * tag appears mid-way; blob writers racing a gc keep their temp file names
 * until commit, and temp files younger than an hour are left alone. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "fs.h"
#include "refwalk.h"
#include "store.h"

struct mark_set {
	char **items;
	size_t n, cap;
};

static bool marked(const struct mark_set *m, const char *d)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->items[i], d) == 0)
			return true;
	return false;
}

static int mark(struct mark_set *m, const char *d)
{
	if (marked(m, d))
		return 0;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		char **items = realloc(m->items, cap * sizeof(*items));

		if (!items)
			return -1;
		m->items = items;
		m->cap = cap;
	}
	m->items[m->n] = strdup(d);
	return m->items[m->n++] ? 0 : -1;
}

/* gc's visitor: mark each blob once; a document we cannot read stops
 * the gc (deleting what it may reach would lose data) */
static int mark_ref(void *ctx, const struct dk_blobref *r, struct dk_err *err)
{
	struct mark_set *m = ctx;

	if (r->problem)
		return dk_err_set(err, "%s: %s", r->d->digest.str, r->problem);
	if (marked(m, r->d->digest.str))
		return 1;
	return mark(m, r->d->digest.str) < 0 ? dk_err_sys(err, "marking blobs") : 0;
}

struct sweep {
	const struct mark_set *m;
	const char *alg;
	size_t removed;
};

static int sweep_one(void *ctx, int dfd, const char *name, struct dk_err *err)
{
	struct sweep *w = ctx;
	char digest[320];

	(void)err;
	snprintf(digest, sizeof(digest), "%s:%s", w->alg, name);
	if (!marked(w->m, digest) && unlinkat(dfd, name, 0) == 0)
		w->removed++;
	return 0;
}

static int sweep_alg(struct dk_store *s, const char *alg, const struct mark_set *m, size_t *removed,
		     struct dk_err *err)
{
	struct sweep w = {m, alg, 0};
	int ret = dk_store_each_blob_file(s, alg, sweep_one, &w, err);

	*removed += w.removed;
	return ret;
}

int dk_store_each_blob_file(struct dk_store *s, const char *alg,
			    int (*fn)(void *ctx, int dfd, const char *name, struct dk_err *err),
			    void *ctx, struct dk_err *err)
{
	char dir[64];
	struct dirent *de;
	int dfd, ret = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "blobs/%s", alg);
	dfd = openat(s->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "opening %s", dir);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return dk_err_sys(err, "listing %s", dir);
	}
	while (ret == 0 && (de = readdir(d)))
		if (de->d_name[0] != '.')
			ret = fn(ctx, dirfd(d), de->d_name, err);
	closedir(d);
	return ret;
}

static void sweep_tmp(struct dk_store *s)
{
	int dfd = openat(s->dirfd, ".dk-tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	time_t now = time(NULL);
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' &&
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now - st.st_mtime > 3600)
			unlinkat(dfd, de->d_name, 0);
	closedir(d);
}

/* Wait until no writer holds gc.lock (ours, if held, is converted). */
static int exclude_writers(struct dk_store *s, struct dk_err *err)
{
	dk_store_hold_blobs(s);
	if (s->gc_lock < 0)
		return dk_err_sys(err, "opening gc.lock");
	while (flock(s->gc_lock, LOCK_EX) < 0)
		if (errno != EINTR)
			return dk_err_sys(err, "locking gc.lock");
	return 0;
}

/* Of candidates ("alg:hex"), delete the blobs no tag reaches. */
static int sweep_among(struct dk_store *s, char *const *candidates, const struct mark_set *m,
		       size_t *removed)
{
	for (char *const *c = candidates; *c; c++) {
		struct dk_digest d;
		cleanup_free char *path = NULL;
		struct dk_err ignored;
		if (marked(m, *c) || dk_digest_parse(*c, &d, &ignored) < 0)
			continue;
		path = dk_store_blob_path(s, &d);
		if (path && unlinkat(s->dirfd, path, 0) == 0)
			(*removed)++;
	}
	return 0;
}

/* Mark what the tags reach, then sweep: every blob and stale temporary
 * file, or only candidates when given. */
static int collect(struct dk_store *s, char *const *candidates, size_t *removed, struct dk_err *err)
{
	if (exclude_writers(s, err) < 0)
		return dk_err_wrap(err, "garbage collecting %s", s->path);
	cleanup_close int lock = dk_lock_at(s->dirfd, "index.json.lock", err);
	struct mark_set m = {0};
	struct dk_index idx;
	size_t count = 0;
	int ret = 0;

	if (lock < 0 || dk_store_index(s, &idx, err) < 0)
		return -1;
	ret = dk_refs_walk(s, &idx, mark_ref, &m, err);
	dk_index_free(&idx);
	if (ret == 0 && candidates)
		ret = sweep_among(s, candidates, &m, &count);
	if (ret == 0 && !candidates)
		ret = sweep_alg(s, "sha256", &m, &count, err);
	if (ret == 0 && !candidates)
		ret = sweep_alg(s, "sha512", &m, &count, err);
	if (ret == 0 && !candidates)
		sweep_tmp(s);
	for (size_t i = 0; i < m.n; i++)
		free(m.items[i]);
	free(m.items);
	if (removed)
		*removed = count;
	flock(s->gc_lock, LOCK_SH); /* a writer again, as before */
	return ret < 0 ? dk_err_wrap(err, "garbage collecting %s", s->path) : 0;
}

int dk_store_gc(struct dk_store *s, size_t *removed, struct dk_err *err)
{
	return collect(s, NULL, removed, err);
}

int dk_store_gc_among(struct dk_store *s, char *const *candidates, size_t *removed,
		      struct dk_err *err)
{
	return collect(s, candidates, removed, err);
}
