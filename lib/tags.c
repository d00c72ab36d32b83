// SPDX-License-Identifier: GPL-2.0-or-later
/* tags.c: names in the store: index.json entries annotated with
 * org.opencontainers.image.ref.name, changed under an exclusive lock and
 * replaced with write-temp-then-rename so readers never see a torn index. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "store.h"

#define INDEX_MAX (64u << 20)
#define LOCK_NAME "index.json.lock"

int dk_store_index(struct dk_store *s, struct dk_index *out, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	if (dk_read_file_at(s->dirfd, "index.json", INDEX_MAX, &buf, &len, err) < 0)
		return dk_err_wrap(err, "image store %s", s->path);
	if (dk_index_parse(buf, len, out, err) < 0)
		return dk_err_wrap(err, "image store %s: index.json", s->path);
	return 0;
}

/* Blobs renamed under lazy_blob_sync become durable before index.json
 * names them: blobs/sha256 is fsynced together with the new index's
 * content, before the rename that publishes it. */
static int write_index(struct dk_store *s, const struct dk_index *idx, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	cleanup_close int blobs = -1;
	size_t len;

	if (dk_index_emit(idx, &buf, &len, err) < 0 || dk_store_commit_pending(s, err) < 0)
		return -1;
	if (s->blobs_unsynced)
		blobs = openat(s->dirfd, "blobs/sha256", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dk_write_file_at_with(s->dirfd, "index.json", buf, len, 0644, blobs, err) < 0)
		return -1;
	if (blobs >= 0)
		s->blobs_unsynced = false;
	return 0;
}

static const char *ref_name(const struct dk_descriptor *d)
{
	return dk_descriptor_annotation(d, DK_ANNOT_REF_NAME);
}

/* Drop every entry named name; returns how many went. */
static size_t index_remove(struct dk_index *idx, const char *name)
{
	size_t kept = 0, removed = 0;

	for (size_t i = 0; i < idx->n_manifests; i++) {
		const char *n = ref_name(&idx->manifests[i]);

		if (n && strcmp(n, name) == 0) {
			dk_descriptor_free(&idx->manifests[i]);
			removed++;
			continue;
		}
		idx->manifests[kept++] = idx->manifests[i];
	}
	idx->n_manifests = kept;
	return removed;
}

static int index_append(struct dk_index *idx, const char *name, const struct dk_descriptor *desc)
{
	struct dk_descriptor *m = realloc(idx->manifests, (idx->n_manifests + 1) * sizeof(*m));
	struct dk_descriptor *d;

	if (!m)
		return -1;
	idx->manifests = m;
	d = &m[idx->n_manifests];
	if (dk_descriptor_copy(d, desc) < 0)
		return -1;
	if (dk_descriptor_annotate(d, DK_ANNOT_REF_NAME, name) < 0) {
		dk_descriptor_free(d);
		return -1;
	}
	idx->n_manifests++;
	return 0;
}

/* Run change on index.json under the lock and write the result back. */
static int index_update(struct dk_store *s, const char *name, const struct dk_descriptor *desc,
			struct dk_err *err)
{
	cleanup_close int lock = dk_lock_at(s->dirfd, LOCK_NAME, err);
	struct dk_index idx;
	int ret;

	if (lock < 0)
		return -1;
	if (dk_store_index(s, &idx, err) < 0)
		return -1;
	size_t removed = index_remove(&idx, name);
	if (desc) {
		ret = index_append(&idx, name, desc);
		if (ret < 0)
			dk_err_sys(err, "tagging %s", name);
	} else {
		ret = removed ? 0 : dk_err_set(err, "no such image: %s", name);
	}
	if (ret == 0)
		ret = write_index(s, &idx, err);
	dk_index_free(&idx);
	return ret;
}

int dk_store_tag(struct dk_store *s, const char *name, const struct dk_descriptor *desc,
		 struct dk_err *err)
{
	if (!desc->digest.str[0])
		return dk_err_set(err, "tagging %s: descriptor without digest", name);
	if (dk_store_commit_pending(s, err) < 0) /* outside the lock */
		return dk_err_wrap(err, "tagging %s", name);
	if (!dk_store_has_blob(s, &desc->digest))
		return dk_err_set(err, "tagging %s: blob %s is not in the store", name,
				  desc->digest.str);
	return index_update(s, name, desc, err);
}

int dk_store_untag(struct dk_store *s, const char *name, struct dk_err *err)
{
	return index_update(s, name, NULL, err);
}

int dk_store_resolve(struct dk_store *s, const char *name, struct dk_descriptor *out,
		     struct dk_err *err)
{
	struct dk_index idx;
	bool found = false;
	int ret = -1;

	if (dk_store_index(s, &idx, err) < 0)
		return -1;
	/* the last entry wins, as a later tag replaces an earlier one */
	for (size_t i = idx.n_manifests; i-- > 0;) {
		const char *n = ref_name(&idx.manifests[i]);

		if (n && strcmp(n, name) == 0) {
			found = true;
			ret = dk_descriptor_copy(out, &idx.manifests[i]);
			if (ret < 0)
				dk_err_sys(err, "resolving %s", name);
			break;
		}
	}
	if (!found)
		dk_err_set(err, "no such image: %s", name);
	dk_index_free(&idx);
	return ret;
}
