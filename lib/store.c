// SPDX-License-Identifier: GPL-2.0-or-later
/* store.c: opening the image layout and its blobs: the streaming writer that
 * verifies a digest before the blob becomes visible, reads, paths. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "fs.h"
#include "store.h"
#include "syncall.h"
#include "blobpipe.h"
#include "unsynced.h"

#define OCI_LAYOUT  "{\"imageLayoutVersion\":\"1.0.0\"}"
#define EMPTY_INDEX "{\"schemaVersion\":2,\"manifests\":[]}"
#define TMP_DIR	    ".dk-tmp"

struct dk_blob_writer {
	struct dk_store *store;
	struct dk_hasher *hasher;
	struct dk_digest expected;
	bool has_expected;
	int fd;
	int64_t size;
	int64_t flushed;	  /* bytes handed to writeback already */
	bool final;		  /* the hash is finished: got */
	struct dk_blobpipe *pipe; /* writing on its own thread, or NULL */
	struct dk_digest got;
	char tmp[64]; /* name inside TMP_DIR */
};

static int ensure_file(int dirfd, const char *name, const char *content, struct dk_err *err)
{
	if (faccessat(dirfd, name, F_OK, 0) == 0)
		return 0;
	return dk_write_file_at(dirfd, name, content, strlen(content), 0644, err);
}

static int init_layout(int dirfd, struct dk_err *err)
{
	if (mkdirat(dirfd, "blobs", 0755) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating blobs");
	if (mkdirat(dirfd, "blobs/sha256", 0755) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating blobs/sha256");
	if (ensure_file(dirfd, "oci-layout", OCI_LAYOUT, err) < 0)
		return -1;
	return ensure_file(dirfd, "index.json", EMPTY_INDEX, err);
}

/* A file in a directory nobody sees yet: no temporary name needed, and
 * the one fsync of that directory before it is renamed into place makes
 * the names durable. Its writeback starts now, and both files are synced
 * together, so that one journal commit holds the whole new layout.
 * Returns the open fd. */
static int write_new(int dirfd, const char *name, const char *content, struct dk_err *err)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		return dk_err_sys(err, "creating %s", name);
	if (dk_write_all(fd, content, strlen(content), err) < 0) {
		close(fd);
		return dk_err_wrap(err, "%s", name);
	}
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	return fd;
}

static int fill_new_layout(int dirfd, struct dk_err *err)
{
	cleanup_close int layout = -1, index = -1;

	if (mkdirat(dirfd, "blobs", 0755) < 0 || mkdirat(dirfd, "blobs/sha256", 0755) < 0)
		return dk_err_sys(err, "creating blobs/sha256");
	if ((layout = write_new(dirfd, "oci-layout", OCI_LAYOUT, err)) < 0 ||
	    (index = write_new(dirfd, "index.json", EMPTY_INDEX, err)) < 0)
		return -1;
	int fds[2] = {layout, index}, errs[2];

	if (dk_fsync_all(fds, 2, errs) > 0)
		return dk_err_errno(err, errs[0] ? errs[0] : errs[1], "writing the new layout");
	return 0;
}

/* A new layout appears whole: built in "DIR.tmp-PID" and renamed into
 * place (over nothing, or over an empty directory), so a process killed
 * while creating it never leaves a directory readers cannot open. Losing
 * the race to another creator is fine: theirs is used. */
static int create_layout(const char *dir, struct dk_err *err)
{
	cleanup_free char *copy = strdup(dir), *tmp = NULL;
	cleanup_close int fd = -1;
	struct dk_err ignore;
	char *slash;
	int rc = 0;

	if (!copy)
		return dk_err_sys(err, "image store %s", dir);
	if (access(dir, F_OK) == 0)
		return 0;
	slash = strrchr(copy, '/');
	if (slash && slash != copy) {
		*slash = '\0';
		if (dk_mkdir_p(copy, 0755, err) < 0)
			return -1;
	}
	if (asprintf(&tmp, "%s.tmp-%d", dir, (int)getpid()) < 0)
		return dk_err_sys(err, "image store %s", dir);
	dk_rm_rf_at(AT_FDCWD, tmp, &ignore); /* left by a killed process with our pid */
	if (mkdir(tmp, 0755) < 0)
		return dk_err_sys(err, "creating %s", tmp);
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		rc = dk_err_sys(err, "creating %s", tmp);
	else if (fill_new_layout(fd, err) < 0)
		rc = -1;
	else if (fsync(fd) < 0)
		rc = dk_err_sys(err, "creating %s", tmp);
	else if (rename(tmp, dir) < 0 && errno != EEXIST && errno != ENOTEMPTY)
		rc = dk_err_sys(err, "creating %s", dir);
	/* gone if renamed; ours to remove if we lost the race or failed */
	dk_rm_rf_at(AT_FDCWD, tmp, &ignore);
	return rc;
}

int dk_store_open(struct dk_store *s, const char *dir, bool create, struct dk_err *err)
{
	s->dirfd = s->gc_lock = -1;
	s->path = NULL;
	s->lazy_blob_sync = s->blobs_unsynced = s->hash_behind = s->batch_commit = false;
	s->defer_data_sync = false;
	s->pending = NULL;
	s->n_pending = 0;
	if (create && create_layout(dir, err) < 0)
		return dk_err_wrap(err, "image store %s", dir);
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0)
		return dk_err_sys(err, "image store %s", dir);
	if (create && init_layout(s->dirfd, err) < 0) {
		dk_store_close(s);
		return dk_err_wrap(err, "image store %s", dir);
	}
	if (faccessat(s->dirfd, "oci-layout", F_OK, 0) < 0) {
		dk_err_sys(err, "image store %s: not an OCI image layout (oci-layout)", dir);
		dk_store_close(s);
		return -1;
	}
	s->path = strdup(dir);
	dk_unsynced_recover(s->dirfd);
	return 0;
}

int dk_store_open_default(struct dk_store *s, const char *root_opt, bool create, struct dk_err *err)
{
	cleanup_free char *root = dk_default_root(root_opt);
	cleanup_free char *dir = root ? dk_path_join(root, "images") : NULL;

	if (!dir)
		return dk_err_sys(err, "image store");
	return dk_store_open(s, dir, create, err);
}

void dk_store_hold_blobs(struct dk_store *s)
{
	if (s->gc_lock >= 0)
		return;
	s->gc_lock = openat(s->dirfd, "gc.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	while (s->gc_lock >= 0 && flock(s->gc_lock, LOCK_SH) < 0 && errno == EINTR)
		;
}

void dk_store_close(struct dk_store *s)
{
	for (size_t i = 0; i < s->n_pending; i++)
		dk_blob_writer_abort(s->pending[i]);
	free(s->pending);
	s->pending = NULL;
	s->n_pending = 0;
	dk_closep(&s->gc_lock);
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
	free(s->path);
	s->path = NULL;
}

static void blob_rel(const struct dk_digest *d, char *buf, size_t size)
{
	snprintf(buf, size, "blobs/%s/%s", dk_digest_alg_name(d->alg), dk_digest_hex(d));
}

char *dk_store_blob_path(struct dk_store *s, const struct dk_digest *d)
{
	char rel[256];

	blob_rel(d, rel, sizeof(rel));
	return dk_path_join(s->path, rel);
}

bool dk_store_has_blob(struct dk_store *s, const struct dk_digest *d)
{
	char rel[256];

	dk_store_hold_blobs(s); /* "present" must stay true until we tag */
	blob_rel(d, rel, sizeof(rel));
	return faccessat(s->dirfd, rel, F_OK, 0) == 0;
}

int dk_store_open_blob(struct dk_store *s, const struct dk_digest *d, struct dk_err *err)
{
	char rel[256];
	int fd;

	blob_rel(d, rel, sizeof(rel));
	fd = openat(s->dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "blob %s", d->str);
	return fd;
}

int dk_store_read_blob(struct dk_store *s, const struct dk_digest *d, size_t max, char **buf,
		       size_t *len, struct dk_err *err)
{
	cleanup_close int fd = dk_store_open_blob(s, d, err);
	struct dk_digest got;

	if (fd < 0)
		return -1;
	if (dk_read_fd(fd, max, buf, len, err) < 0)
		return dk_err_wrap(err, "blob %s", d->str);
	if (dk_digest_buf(d->alg, *buf, *len, &got, err) < 0 || !dk_digest_equal(&got, d)) {
		free(*buf);
		*buf = NULL;
		return dk_err_set(
		    err, "blob %s: content does not match its digest (store corrupted?)", d->str);
	}
	return 0;
}

static int open_tmp(struct dk_store *s, char *name, size_t size, struct dk_err *err)
{
	unsigned int rnd;

	if (mkdirat(s->dirfd, TMP_DIR, 0700) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating %s/%s", s->path, TMP_DIR);
	for (int tries = 0; tries < 100; tries++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = (unsigned int)rand();
		snprintf(name, size, TMP_DIR "/blob-%d-%08x", (int)getpid(), rnd);
		int fd = openat(s->dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? dk_err_sys(err, "creating %s", name) : fd;
	}
	return dk_err_set(err, "creating a temporary blob: no free name");
}

struct dk_blob_writer *dk_blob_writer_new(struct dk_store *s, const struct dk_digest *expected,
					  enum dk_digest_alg alg, struct dk_err *err)
{
	struct dk_blob_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return dk_err_sys(err, "blob writer"), NULL;
	dk_store_hold_blobs(s);
	w->store = s;
	w->fd = -1;
	if (expected) {
		w->expected = *expected;
		w->has_expected = true;
		alg = expected->alg;
	}
	w->hasher = dk_hasher_new(alg, err);
	if (!w->hasher)
		goto fail;
	w->fd = open_tmp(s, w->tmp, sizeof(w->tmp), err);
	if (w->fd < 0)
		goto fail;
	return w;
fail:
	dk_blob_writer_abort(w);
	return NULL;
}

/* Writeback as the blob grows: each full WRITEBACK chunk is handed to the
 * disk at once, so the fsync before the rename waits for the tail only,
 * not the whole blob. Hints: a failure shows in that fsync. Not under
 * defer_data_sync: blocks allocated by an early writeback join ext4's
 * running transaction as ordered data, and the next fsync of anything
 * (the journal, index.json) would wait for all of them after all. */
#define WRITEBACK ((int64_t)1 << 20)

static void start_writeback(struct dk_blob_writer *w, int64_t min)
{
	if (w->store->defer_data_sync)
		return;
	if (w->size - w->flushed < min || w->size == w->flushed)
		return;
	sync_file_range(w->fd, w->flushed, w->size - w->flushed, SYNC_FILE_RANGE_WRITE);
	w->flushed = w->size;
}

/* Under hash_behind, a blob that grows past PIPE_MIN is written and
 * hashed on a thread of its own from there on (see blobpipe.h). */
#define PIPE_MIN ((int64_t)1 << 20)

static int write_here(struct dk_blob_writer *w, const void *buf, size_t len, struct dk_err *err)
{
	if (dk_write_all(w->fd, buf, len, err) < 0)
		return -1;
	dk_hasher_update(w->hasher, buf, len);
	w->size += len;
	start_writeback(w, WRITEBACK);
	return 0;
}

int dk_blob_write(struct dk_blob_writer *w, const void *buf, size_t len, struct dk_err *err)
{
	if (!w->pipe && w->store->hash_behind && w->size + (int64_t)len >= PIPE_MIN) {
		start_writeback(w, 0);
		w->pipe =
		    dk_blobpipe_start(w->fd, w->hasher, w->size, !w->store->defer_data_sync, err);
		if (!w->pipe)
			return -1;
	}
	if (w->pipe ? dk_blobpipe_put(w->pipe, buf, len, err) < 0
		    : write_here(w, buf, len, err) < 0)
		return dk_err_wrap(err, "writing blob");
	if (w->pipe)
		w->size += len;
	return 0;
}

int64_t dk_blob_writer_size(const struct dk_blob_writer *w)
{
	return w->size;
}

void dk_blob_writer_abort(struct dk_blob_writer *w)
{
	if (!w)
		return;
	dk_blobpipe_cancel(w->pipe);
	if (w->fd >= 0) {
		close(w->fd);
		unlinkat(w->store->dirfd, w->tmp, 0);
	}
	dk_hasher_free(w->hasher);
	free(w);
}

/* Rename a synced blob into place. */
static int blob_place(struct dk_blob_writer *w, const struct dk_digest *d, struct dk_err *err)
{
	char rel[256], dir[64];

	snprintf(dir, sizeof(dir), "blobs/%s", dk_digest_alg_name(d->alg));
	if (mkdirat(w->store->dirfd, dir, 0755) < 0 && errno != EEXIST)
		return dk_err_sys(err, "creating %s", dir);
	blob_rel(d, rel, sizeof(rel));
	if (renameat(w->store->dirfd, w->tmp, w->store->dirfd, rel) < 0)
		return dk_err_sys(err, "storing blob %s", d->str);
	if (w->store->lazy_blob_sync && d->alg == DK_SHA256) {
		w->store->blobs_unsynced = true;
		return 0;
	}
	cleanup_close int dfd = openat(w->store->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0 && dk_fsync_dir(dfd, err) < 0)
		return -1;
	return 0;
}

static int blob_install(struct dk_blob_writer *w, const struct dk_digest *d, struct dk_err *err)
{
	if (fsync(w->fd) < 0)
		return dk_err_sys(err, "syncing blob %s", d->str);
	return blob_place(w, d, err);
}

/* One queued blob: synced already (e == 0) or not; placed and freed. */
static int place_pending(struct dk_blob_writer *w, int e, struct dk_err *err)
{
	int ret;

	if (e)
		ret = dk_err_errno(err, e, "syncing blob %s", w->got.str);
	else
		ret = blob_place(w, &w->got, err);
	if (ret == 0) {
		close(w->fd);
		w->fd = -1;
	}
	dk_blob_writer_abort(w);
	return ret;
}

/* Under defer_data_sync: record the blobs in a journal of this boot
 * instead of waiting for their data (see unsynced.h). False when that
 * cannot be done: the caller syncs them as usual. */
static bool defer_sync(struct dk_store *s, struct dk_blob_writer **ws, size_t n)
{
	cleanup_free const struct dk_digest **d = calloc(n, sizeof(*d));
	struct dk_err e;

	if (!s->defer_data_sync || !d)
		return false;
	for (size_t i = 0; i < n; i++)
		d[i] = &ws[i]->got;
	return dk_unsynced_record(s->dirfd, d, n, &e) == 0;
}

/* Durability is unchanged by batching: each blob is on the disk before
 * its name is (fsync, then rename), as in containerd's content store
 * (docker's own pull does not fsync layers at all); only the waiting for
 * the disk is shared by all blobs of a pull instead of paid per blob.
 * Under defer_data_sync the journal takes the fsync's place. */
int dk_store_commit_pending(struct dk_store *s, struct dk_err *err)
{
	size_t n = s->n_pending;
	cleanup_free struct dk_blob_writer **ws = steal_ptr(s->pending);
	cleanup_free int *fds = n ? calloc(n, sizeof(int)) : NULL;
	cleanup_free int *errs = n ? calloc(n, sizeof(int)) : NULL;
	bool together = fds && errs, deferred;
	struct dk_err e2;
	int ret = 0;

	s->n_pending = 0;
	deferred = n > 0 && defer_sync(s, ws, n);
	for (size_t i = 0; together && !deferred && i < n; i++)
		fds[i] = ws[i]->fd;
	if (together && !deferred)
		dk_fsync_all(fds, n, errs);
	for (size_t i = 0; i < n; i++) {
		int e = deferred ? 0 : together ? errs[i] : fsync(ws[i]->fd) < 0 ? errno : 0;

		if (place_pending(ws[i], e, ret < 0 ? &e2 : err) < 0)
			ret = -1;
	}
	return ret;
}

/* Under batch_commit: w is verified; keep it for dk_store_commit_pending. */
static int queue_pending(struct dk_blob_writer *w, struct dk_err *err)
{
	struct dk_store *s = w->store;
	struct dk_blob_writer **p = realloc(s->pending, (s->n_pending + 1) * sizeof(*p));

	if (!p) {
		dk_blob_writer_abort(w);
		return dk_err_sys(err, "storing a blob");
	}
	s->pending = p;
	s->pending[s->n_pending++] = w;
	return 0;
}

int dk_blob_writer_verify(struct dk_blob_writer *w, struct dk_err *err)
{
	if (!w->final) {
		if (w->pipe) {
			w->flushed = w->size; /* the thread started its writeback */
			if (dk_blobpipe_finish(steal_ptr(w->pipe), err) < 0)
				return dk_err_wrap(err, "writing blob");
		}
		dk_hasher_final(w->hasher, &w->got);
		w->final = true;
		/* the blob is complete: its tail goes to the disk now, so
		 * its blocks are allocated before the next journal commit
		 * and a later fsync finds little left to do */
		start_writeback(w, 0);
	}
	if (w->has_expected && !dk_digest_equal(&w->got, &w->expected))
		return dk_err_set(err,
				  "blob %s: content has digest %s (%lld bytes): digest mismatch",
				  w->expected.str, w->got.str, (long long)w->size);
	return 0;
}

int dk_blob_writer_commit(struct dk_blob_writer *w, struct dk_digest *out, int64_t *size,
			  struct dk_err *err)
{
	int ret = dk_blob_writer_verify(w, err);

	if (ret == 0 && w->store->batch_commit) {
		if (out)
			*out = w->got;
		if (size)
			*size = w->size;
		return queue_pending(w, err);
	}
	if (ret == 0)
		ret = blob_install(w, &w->got, err);
	if (ret == 0) {
		if (out)
			*out = w->got;
		if (size)
			*size = w->size;
		close(w->fd);
		w->fd = -1;
	}
	dk_blob_writer_abort(w);
	return ret;
}

int dk_store_put_buf(struct dk_store *s, const void *buf, size_t len,
		     const struct dk_digest *expected, struct dk_digest *out, struct dk_err *err)
{
	struct dk_blob_writer *w = dk_blob_writer_new(s, expected, DK_SHA256, err);

	if (!w)
		return -1;
	if (dk_blob_write(w, buf, len, err) < 0) {
		dk_blob_writer_abort(w);
		return -1;
	}
	return dk_blob_writer_commit(w, out, NULL, err);
}

int dk_store_put_fd(struct dk_store *s, int fd, const struct dk_digest *expected,
		    struct dk_digest *out, int64_t *size, struct dk_err *err)
{
	struct dk_blob_writer *w = dk_blob_writer_new(s, expected, DK_SHA256, err);
	char buf[65536];
	ssize_t n;

	if (!w)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || dk_blob_write(w, buf, n, err) < 0) {
			if (n < 0)
				dk_err_sys(err, "reading blob data");
			dk_blob_writer_abort(w);
			return -1;
		}
	}
	return dk_blob_writer_commit(w, out, size, err);
}
