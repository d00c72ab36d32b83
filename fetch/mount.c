// SPDX-License-Identifier: GPL-2.0-or-later
/* mount.c: candidates for cross-repository blob mounts, read from the
 * store's own tags: a blob of an image tagged host/other/repo:tag is known
 * to exist in other/repo on host. */
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "mount.h"

#define MAX_DOC (4u << 20)

static int add(struct fx_mounts *m, const struct dk_digest *d, const char *repo)
{
	struct fx_mount *v = realloc(m->v, (m->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	m->v = v;
	v[m->n].digest = *d;
	v[m->n].repo = strdup(repo);
	if (!v[m->n].repo)
		return -1;
	m->n++;
	return 0;
}

static void add_manifest(struct fx_mounts *m, struct dk_store *s,
			 const struct dk_digest *d, const char *repo)
{
	cleanup_free char *buf = NULL;
	struct dk_manifest man;
	struct dk_err err;
	size_t len;

	if (dk_store_read_blob(s, d, MAX_DOC, &buf, &len, &err) < 0 ||
	    dk_manifest_parse(buf, len, &man, &err) < 0)
		return;
	for (size_t i = 0; i < man.n_layers; i++)
		add(m, &man.layers[i].digest, repo);
	add(m, &man.config.digest, repo);
	dk_manifest_free(&man);
}

static void add_entry(struct fx_mounts *m, struct dk_store *s,
		      const struct dk_descriptor *d, const char *repo)
{
	cleanup_free char *buf = NULL;
	struct dk_index idx;
	struct dk_err err;
	size_t len;

	if (dk_doc_kind(d->media_type) == DK_DOC_MANIFEST) {
		add_manifest(m, s, &d->digest, repo);
		return;
	}
	if (dk_doc_kind(d->media_type) != DK_DOC_INDEX ||
	    dk_store_read_blob(s, &d->digest, MAX_DOC, &buf, &len, &err) < 0 ||
	    dk_index_parse(buf, len, &idx, &err) < 0)
		return;
	for (size_t i = 0; i < idx.n_manifests; i++)
		if (dk_store_has_blob(s, &idx.manifests[i].digest))
			add_manifest(m, s, &idx.manifests[i].digest, repo);
	dk_index_free(&idx);
}

int fx_mounts_load(struct fx_mounts *m, struct dk_store *s,
		   const struct dk_ref *target, struct dk_err *err)
{
	struct dk_index idx;

	m->v = NULL;
	m->n = 0;
	if (dk_store_index(s, &idx, err) < 0)
		return -1;
	for (size_t i = 0; i < idx.n_manifests; i++) {
		const char *name = dk_descriptor_annotation(&idx.manifests[i],
							    DK_ANNOT_REF_NAME);
		struct dk_ref r;
		struct dk_err ignore;

		if (!name || dk_ref_parse(name, &r, &ignore) < 0 ||
		    strcmp(r.domain, target->domain) != 0 ||
		    strcmp(r.path, target->path) == 0)
			continue;
		add_entry(m, s, &idx.manifests[i], r.path);
	}
	dk_index_free(&idx);
	return 0;
}

const char *fx_mounts_find(const struct fx_mounts *m, const struct dk_digest *d)
{
	for (size_t i = 0; i < m->n; i++)
		if (dk_digest_equal(&m->v[i].digest, d))
			return m->v[i].repo;
	return NULL;
}

void fx_mounts_free(struct fx_mounts *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].repo);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}
