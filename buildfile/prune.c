// SPDX-License-Identifier: GPL-2.0-or-later
/* prune.c: `buildfile prune` (docker builder prune): removes the build
 * cache under $DK_ROOT. Always: RUN --mount=type=cache directories
 * (buildcache-mounts), ADD URL downloads (buildcache-urls) and layer-cache
 * entries whose image is gone (buildcache); with --all also every
 * layer-cache entry, and then the store's unreferenced blobs (the step
 * images only the cache kept). --until leaves what changed more recently.
 * Builds hold buildcache.lock shared for their whole run; prune takes it
 * exclusively, so it never removes what a running build uses. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"

struct prune {
	const struct bf_prune_opts *o;
	char *root;
	struct dk_store store;
	bool have_store;
	long long reclaimed;
	size_t n_deleted;
};

static void deleted(struct prune *p, const char *id, long long bytes)
{
	if (p->n_deleted++ == 0)
		printf("Deleted build cache objects:\n");
	printf("%s\n", id);
	p->reclaimed += bytes;
}

/* Older than --until (or no --until). */
static bool old_enough(const struct prune *p, const struct stat *sb)
{
	return p->o->until <= 0 || sb->st_mtime < time(NULL) - p->o->until;
}

/* A layer-cache entry whose image is no longer complete in the store. */
static bool entry_dangling(struct prune *p, int dfd, const char *name)
{
	struct dk_digest d;

	if (!p->have_store || bf_cache_entry_read(dfd, name, &d) < 0)
		return true;
	return !bf_cache_image_complete(&p->store, &d);
}

static int sweep_entries(struct prune *p, int dfd, DIR *dir, struct dk_err *err)
{
	struct dirent *e;
	struct stat sb;

	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!old_enough(p, &sb) || !(p->o->all || entry_dangling(p, dfd, e->d_name)))
			continue;
		if (unlinkat(dfd, e->d_name, 0) < 0)
			return dk_err_sys(err, "buildcache/%s", e->d_name);
		deleted(p, e->d_name, sb.st_size);
	}
	return 0;
}

/* buildcache-mounts/<id> directories (and their .lock files). */
static int sweep_mounts(struct prune *p, int dfd, DIR *dir, struct dk_err *err)
{
	struct dirent *e;
	struct stat sb;

	while ((e = readdir(dir))) {
		cleanup_free char *path = NULL, *lock = NULL;

		if (e->d_name[0] == '.' || strchr(e->d_name, '.') ||
		    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(sb.st_mode) ||
		    !old_enough(p, &sb))
			continue;
		if (asprintf(&path, "%s/buildcache-mounts/%s", p->root, e->d_name) < 0 ||
		    asprintf(&lock, "%s.lock", e->d_name) < 0)
			return dk_err_sys(err, "buildcache-mounts");
		long long bytes = dk_tree_bytes(path);
		if (dk_rm_rf_at(dfd, e->d_name, err) < 0)
			return -1;
		unlinkat(dfd, lock, 0);
		deleted(p, e->d_name, bytes);
	}
	return 0;
}

/* buildcache-urls/<hex>.data and .meta, removed as a pair. */
static int sweep_urls(struct prune *p, int dfd, DIR *dir, struct dk_err *err)
{
	struct dirent *e;
	struct stat sb;

	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);
		cleanup_free char *meta = NULL, *id = NULL;

		if (n <= 5 || strcmp(e->d_name + n - 5, ".data") ||
		    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !old_enough(p, &sb))
			continue;
		if (!(id = strndup(e->d_name, n - 5)) || asprintf(&meta, "%s.meta", id) < 0)
			return dk_err_sys(err, "buildcache-urls");
		if (unlinkat(dfd, e->d_name, 0) < 0 ||
		    (unlinkat(dfd, meta, 0) < 0 && errno != ENOENT))
			return dk_err_sys(err, "buildcache-urls/%s", id);
		deleted(p, id, sb.st_size);
	}
	return 0;
}

static int sweep(struct prune *p, const char *sub,
		 int (*fn)(struct prune *, int, DIR *, struct dk_err *), struct dk_err *err)
{
	cleanup_free char *path = dk_path_join(p->root, sub);
	int dfd, ret;
	DIR *dir;

	if (!path)
		return dk_err_sys(err, "%s", sub);
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "%s", path);
	if (!(dir = fdopendir(dfd))) {
		close(dfd);
		return dk_err_sys(err, "%s", path);
	}
	ret = fn(p, dirfd(dir), dir, err);
	closedir(dir);
	return ret < 0 ? dk_err_wrap(err, "%s", path) : 0;
}

/* --all: the step images nothing references any more leave the store. */
static int collect_blobs(struct prune *p, struct dk_err *err)
{
	cleanup_free char *blobs = NULL;
	long long before;

	if (!p->have_store || !(blobs = dk_path_join(p->store.path, "blobs")))
		return p->have_store ? dk_err_sys(err, "gc") : 0;
	before = dk_tree_bytes(blobs);
	if (dk_store_gc(&p->store, NULL, err) < 0)
		return -1;
	p->reclaimed += before - dk_tree_bytes(blobs);
	return 0;
}

static int open_lock(const char *root, struct dk_err *err)
{
	cleanup_close int dfd = -1;
	int fd;

	/* a root nothing was made in yet has an empty cache */
	if (dk_mkdir_p(root, 0700, err) < 0)
		return -1;
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dk_err_sys(err, "%s", root);
	fd = openat(dfd, "buildcache.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	return fd < 0 ? dk_err_sys(err, "%s/buildcache.lock", root) : fd;
}

static int lock_wait(int fd, int how, const char *root, struct dk_err *err)
{
	while (flock(fd, how) < 0)
		if (errno != EINTR) {
			close(fd);
			return dk_err_sys(err, "%s/buildcache.lock", root);
		}
	return fd;
}

int bf_cache_lock_shared(const char *root, struct dk_err *err)
{
	int fd = open_lock(root, err);

	return fd < 0 ? -1 : lock_wait(fd, LOCK_SH, root, err);
}

/* Exclusive buildcache.lock: waits (saying so) for running builds. */
static int lock_out_builds(const char *root, struct dk_err *err)
{
	int fd = open_lock(root, err);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	fprintf(stderr, "buildfile: prune: waiting for running builds to finish\n");
	return lock_wait(fd, LOCK_EX, root, err);
}

int bf_prune(const struct bf_prune_opts *o, struct dk_err *err)
{
	struct prune p = {.o = o};
	cleanup_close int lock = -1;
	char total[32];
	int ret = -1;

	if (!(p.root = dk_default_root(o->root)))
		return dk_err_sys(err, "dk root");
	if ((lock = lock_out_builds(p.root, err)) < 0)
		goto out;
	p.have_store = dk_store_open_default(&p.store, o->root, false, err) == 0;
	if (sweep(&p, "buildcache", sweep_entries, err) < 0 ||
	    sweep(&p, "buildcache-mounts", sweep_mounts, err) < 0 ||
	    sweep(&p, "buildcache-urls", sweep_urls, err) < 0 ||
	    (o->all && collect_blobs(&p, err) < 0))
		goto out;
	dk_human_size(p.reclaimed, total, sizeof(total));
	printf("%sTotal reclaimed space: %s\n", p.n_deleted ? "\n" : "", total);
	ret = 0;
out:
	if (p.have_store)
		dk_store_close(&p.store);
	free(p.root);
	return ret;
}
