// SPDX-License-Identifier: GPL-2.0-or-later
/* layers.c: the extracted-layer cache. Each layer of an image is extracted
 * once, with overlay whiteouts, into layers/<chain id>/fs; missing layers
 * are extracted in parallel threads, each into a temporary directory that
 * gets its "complete" marker last and is then renamed into place, so a
 * half-extracted layer is never used. Leftovers of a crash are removed by
 * the next run that finds no one else working (layers/.lock). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "fs.h"
#include "layer.h"
#include "snapshot.h"

#define MARKER	"complete"
#define TMP_TAG ".tmp-"

int snap_chain_ids(const struct dk_image *img, char ***chains, struct dk_err *err)
{
	size_t n = dk_strv_len(img->config.diff_ids);
	char **v = calloc(n + 1, sizeof(*v));
	struct dk_digest prev;

	if (!v)
		return dk_err_sys(err, "chain ids");
	for (size_t i = 0; i < n; i++) {
		struct dk_digest cur;
		char *buf = NULL;

		if (i == 0) {
			if (dk_digest_parse(img->config.diff_ids[0], &cur, err) < 0)
				goto fail;
		} else {
			if (asprintf(&buf, "%s %s", prev.str, img->config.diff_ids[i]) < 0)
				goto fail;
			int r = dk_digest_buf(DK_SHA256, buf, strlen(buf), &cur, err);
			free(buf);
			if (r < 0)
				goto fail;
		}
		prev = cur;
		if (!(v[i] = strdup(dk_digest_hex(&cur))))
			goto fail;
	}
	*chains = v;
	return 0;
fail:
	dk_strv_free(v);
	return dk_err_set(err, "computing chain ids");
}

static bool layer_complete(struct snap_root *r, const char *chain)
{
	char rel[160];

	snprintf(rel, sizeof(rel), "%s/" MARKER, chain);
	return faccessat(r->layers_fd, rel, F_OK, 0) == 0;
}

static bool is_tmp(const char *name)
{
	return strstr(name, TMP_TAG) != NULL;
}

/* Remove "<chain>.tmp-*" directories: only called with the exclusive lock,
 * when no extraction can be running. */
static void clean_tmp(struct snap_root *r)
{
	snap_remove_matching(r->layers_fd, is_tmp);
}

/* Shared lock for users of the cache (exclusive for prune). A run that can
 * get it exclusively first cleans up after crashed runs. Returns the fd. */
int snap_layers_lock(struct snap_root *r, bool exclusive, struct dk_err *err)
{
	int fd = openat(r->layers_fd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return dk_err_sys(err, "%s/.lock", r->layers_path);
	if (flock(fd, LOCK_EX | (exclusive ? 0 : LOCK_NB)) == 0) {
		clean_tmp(r);
		if (exclusive || flock(fd, LOCK_SH) == 0)
			return fd;
	} else if (flock(fd, LOCK_SH) == 0) {
		return fd;
	}
	dk_err_sys(err, "locking %s", r->layers_path);
	close(fd);
	return -1;
}

struct job {
	const char *chain;
	const struct dk_descriptor *desc;
	struct dk_digest diff_id;
	size_t index; /* layer index in the image */
	int ret;
	struct dk_err err;
};

struct pool {
	struct snap_root *r;
	struct dk_store *s;
	struct job *jobs;
	size_t n;
	atomic_size_t next;
	char *const *chains;
};

static int open_lowers(struct pool *p, size_t index, int *fds, struct dk_err *err)
{
	for (size_t j = 0; j < index; j++) {
		char rel[160];

		snprintf(rel, sizeof(rel), "%s/fs", p->chains[index - 1 - j]);
		fds[j] = openat(p->r->layers_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fds[j] < 0)
			return dk_err_sys(err, "lower layer %s", rel);
	}
	return 0;
}

static int apply_into(struct pool *p, struct job *j, int fsfd, bool lowers)
{
	cleanup_close int blob = dk_store_open_blob(p->s, &j->desc->digest, &j->err);
	int *fds = lowers ? calloc(j->index + 1, sizeof(int)) : NULL;
	struct dk_layer_opts o = {
	    .whiteouts = DK_WHITEOUT_OVERLAY,
	    .rootless = dk_rootless(),
	    .userns_root = geteuid() == 0,
	    .digest = &j->desc->digest,
	    .diff_id = &j->diff_id,
	    .what = j->desc->digest.str,
	    .lower_fds = fds,
	    .n_lower = lowers ? j->index : 0,
	};
	int ret = -1;

	for (size_t i = 0; fds && i < j->index; i++)
		fds[i] = -1;
	if (blob >= 0 && (!lowers || (fds && open_lowers(p, j->index, fds, &j->err) == 0)))
		ret = dk_layer_apply(fsfd, blob, &o, NULL, &j->err);
	for (size_t i = 0; fds && i < j->index; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return ret;
}

/* The marker, written (and synced) last: the layer is complete. */
static int write_marker(int dfd, const char *dir, const struct dk_digest *d, struct dk_err *err)
{
	cleanup_close int fd = openat(dfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "%s", dir);
	return dk_write_file_at(fd, MARKER, d->str, strlen(d->str), 0644, err);
}

/* Extract into "<chain>.tmp-<pid>-<tid>", mark complete, rename. */
static int extract(struct pool *p, struct job *j, bool lowers)
{
	char tmp[200], rel[220];
	int dfd = p->r->layers_fd;
	cleanup_close int fsfd = -1;

	snprintf(tmp, sizeof(tmp), "%s" TMP_TAG "%d-%zu", j->chain, (int)getpid(), j->index);
	snprintf(rel, sizeof(rel), "%s/fs", tmp);
	if (dk_rm_rf_at(dfd, tmp, &j->err) < 0)
		return -1;
	if (mkdirat(dfd, tmp, 0700) < 0 || mkdirat(dfd, rel, 0755) < 0)
		return dk_err_sys(&j->err, "creating %s/%s", p->r->layers_path, rel);
	fsfd = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fsfd < 0)
		dk_err_sys(&j->err, "opening %s/%s", p->r->layers_path, rel);
	if (fsfd < 0 || apply_into(p, j, fsfd, lowers) < 0 ||
	    write_marker(dfd, tmp, &j->diff_id, &j->err) < 0)
		goto fail;
	if (renameat(dfd, tmp, dfd, j->chain) < 0) {
		if (errno != EEXIST && errno != ENOTEMPTY)
			return dk_err_sys(&j->err, "installing layer %s", j->chain);
		struct dk_err ignored; /* someone else was faster */

		dk_rm_rf_at(dfd, tmp, &ignored);
	}
	return 0;
fail : {
	struct dk_err ignored;

	dk_rm_rf_at(dfd, tmp, &ignored);
	return -1;
}
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
		p->jobs[i].ret = extract(p, &p->jobs[i], false);
	return NULL;
}

static int run_pool(struct pool *p)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = ncpu > 0 ? (size_t)ncpu : 1;
	pthread_t tids[64];
	size_t started = 0;

	if (nthreads > p->n)
		nthreads = p->n;
	if (nthreads > 64)
		nthreads = 64;
	for (; started + 1 < nthreads; started++)
		if (pthread_create(&tids[started], NULL, worker, p) != 0)
			break;
	worker(p);
	for (size_t t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	/* A hardlink to a file of a lower layer needs that layer in place:
	 * what failed is tried once more, bottom up, with its lowers. */
	for (size_t i = 0; i < p->n; i++) {
		struct job *j = &p->jobs[i];

		if (j->ret < 0 && (j->ret = extract(p, j, true)) < 0)
			return -1;
	}
	return 0;
}

static int plan(struct snap_root *r, const struct dk_image *img, char *const *chains,
		struct job *jobs, size_t *n, struct dk_err *err)
{
	*n = 0;
	for (size_t i = 0; i < img->manifest.n_layers; i++) {
		if (layer_complete(r, chains[i]))
			continue;
		struct job *j = &jobs[(*n)++];
		j->chain = chains[i];
		j->desc = &img->manifest.layers[i];
		j->index = i;
		if (dk_digest_parse(img->config.diff_ids[i], &j->diff_id, err) < 0)
			return -1;
	}
	return 0;
}

int snap_layers_ensure(struct snap_root *r, struct dk_store *s, const struct dk_image *img,
		       char *const *chains, size_t *extracted, struct dk_err *err)
{
	cleanup_free struct job *jobs = calloc(img->manifest.n_layers + 1, sizeof(*jobs));
	struct pool p = {.r = r, .s = s, .jobs = jobs, .chains = chains};

	if (!jobs)
		return dk_err_sys(err, "layers");
	if (plan(r, img, chains, jobs, &p.n, err) < 0)
		return -1;
	if (extracted)
		*extracted = p.n;
	if (p.n && run_pool(&p) < 0) {
		for (size_t i = 0; i < p.n; i++)
			if (jobs[i].ret < 0) {
				*err = jobs[i].err;
				return dk_err_wrap(err, "extracting layer %zu", jobs[i].index + 1);
			}
	}
	return 0;
}
