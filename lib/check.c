// SPDX-License-Identifier: GPL-2.0-or-later
/* check.c: the image store's fsck. Pass one hashes every blob and compares
 * it with its name; pass two walks every tag (refwalk.c) and checks each
 * document parses and each blob it names is there with the size the
 * descriptor gives. Both run under the index lock, so no tag changes
 * meanwhile. With repair, corrupt blobs are removed and tags whose image
 * cannot be read are untagged (after the lock is released: untag takes it). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "check.h"
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "refwalk.h"

struct run {
	struct dk_store *s;
	struct dk_check *c;
	const char *alg; /* the blobs/ directory being hashed */
	char **broken;	 /* tags to untag on repair */
};

static void say(struct dk_check *c, bool problem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(struct dk_check *c, bool problem, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (problem)
		c->problems++;
	if (c->report)
		c->report(c->ctx, line);
}

/* One file of blobs/ALG: its content must hash to its name. */
static int check_blob(void *ctx, int dfd, const char *name, struct dk_err *err)
{
	struct run *r = ctx;
	cleanup_close int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char want[300];
	struct dk_digest got, d;
	struct dk_err e;
	struct stat st;

	(void)err;
	snprintf(want, sizeof(want), "%s:%s", r->alg, name);
	if (dk_digest_parse(want, &d, &e) < 0 || fd < 0 || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode)) {
		say(r->c, true, "blobs/%s/%s: not a blob", r->alg, name);
	} else {
		r->c->blobs++;
		if (dk_digest_fd(d.alg, fd, &got, &e) < 0)
			say(r->c, true, "blob %s: unreadable: %s", want, e.msg);
		else if (!dk_digest_equal(&got, &d))
			say(r->c, true, "blob %s: corrupt: its content is %s", want, got.str);
		else
			return 0;
	}
	if (r->c->repair && unlinkat(dfd, name, 0) == 0) {
		say(r->c, false, "repaired: removed blobs/%s/%s", r->alg, name);
		r->c->repaired++;
	}
	return 0;
}

static int check_blobs(struct run *r, const char *alg, struct dk_err *err)
{
	r->alg = alg;
	return dk_store_each_blob_file(r->s, alg, check_blob, r, err);
}

static void mark_broken(struct run *r, const char *tag)
{
	for (size_t i = 0; r->broken && r->broken[i]; i++)
		if (!strcmp(r->broken[i], tag))
			return;
	if (*tag)
		dk_strv_push(&r->broken, tag);
}

/* refwalk visitor: the blob is there, with the descriptor's size */
static int check_ref(void *ctx, const struct dk_blobref *ref, struct dk_err *err)
{
	struct run *r = ctx;
	const char *dg = ref->d->digest.str, *tag = *ref->tag ? ref->tag : "(untagged)";
	cleanup_free char *path = dk_store_blob_path(r->s, &ref->d->digest);
	struct stat st;

	(void)err;
	if (ref->problem) {
		say(r->c, true, "%s: %s: cannot be read: %s", tag, dg, ref->problem);
	} else if (!path || stat(path, &st) < 0) {
		say(r->c, true, "%s: %s (%s) is missing", tag, dg,
		    ref->d->media_type ? ref->d->media_type : "blob");
	} else if (st.st_size != ref->d->size) {
		say(r->c, true, "%s: %s has %lld bytes, its descriptor says %lld", tag, dg,
		    (long long)st.st_size, (long long)ref->d->size);
	} else {
		return 0;
	}
	mark_broken(r, ref->tag);
	return 1;
}

static void untag_broken(struct run *r)
{
	for (size_t i = 0; r->broken && r->broken[i]; i++) {
		struct dk_err e;
		if (dk_store_untag(r->s, r->broken[i], &e) == 0) {
			say(r->c, false, "repaired: untagged %s", r->broken[i]);
			r->c->repaired++;
		} else {
			say(r->c, false, "could not untag %s: %s", r->broken[i], e.msg);
		}
	}
}

int dk_store_check(struct dk_store *s, struct dk_check *c, struct dk_err *err)
{
	struct run r = {s, c, NULL, NULL};
	struct dk_index idx;
	int lock = dk_lock_at(s->dirfd, "index.json.lock", err);
	int ret = lock < 0 ? -1 : 0;

	if (ret == 0)
		ret = check_blobs(&r, "sha256", err);
	if (ret == 0)
		ret = check_blobs(&r, "sha512", err);
	if (ret == 0 && (ret = dk_store_index(s, &idx, err)) == 0) {
		c->tags = idx.n_manifests;
		ret = dk_refs_walk(s, &idx, check_ref, &r, err);
		dk_index_free(&idx);
	}
	if (lock >= 0)
		close(lock);
	if (ret == 0 && c->repair)
		untag_broken(&r);
	dk_strv_free(r.broken);
	return ret < 0 ? dk_err_wrap(err, "checking %s", s->path) : 0;
}
