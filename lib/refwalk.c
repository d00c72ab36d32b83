// SPDX-License-Identifier: GPL-2.0-or-later
/* refwalk.c: the walk from index.json to every blob it reaches. */
#include <stdlib.h>
#include "cleanup.h"
#include "refwalk.h"

#define DOC_MAX	  (8u << 20)
#define DEPTH_MAX 8 /* an index of indexes of ...: no deeper */

struct walk {
	struct dk_store *s;
	dk_blobref_visit visit;
	void *ctx;
	const char *tag;
	struct dk_err *err;
};

static int walk_desc(struct walk *w, const struct dk_descriptor *d, int depth);

static int broken(struct walk *w, const struct dk_descriptor *d, const char *why)
{
	struct dk_blobref r = {d, w->tag, why};

	return w->visit(w->ctx, &r, w->err) < 0 ? -1 : 0;
}

static int walk_index(struct walk *w, const struct dk_descriptor *d, const char *buf, size_t len,
		      int depth)
{
	struct dk_index idx;
	struct dk_err perr;
	int ret = 0;

	if (dk_index_parse(buf, len, &idx, &perr) < 0)
		return broken(w, d, perr.msg);
	for (size_t i = 0; ret == 0 && i < idx.n_manifests; i++)
		ret = walk_desc(w, &idx.manifests[i], depth + 1);
	dk_index_free(&idx);
	return ret;
}

static int walk_manifest(struct walk *w, const struct dk_descriptor *d, const char *buf, size_t len,
			 int depth)
{
	struct dk_manifest man;
	struct dk_err perr;
	int ret;

	if (dk_manifest_parse(buf, len, &man, &perr) < 0)
		return broken(w, d, perr.msg);
	ret = walk_desc(w, &man.config, depth + 1);
	for (size_t i = 0; ret == 0 && i < man.n_layers; i++)
		ret = walk_desc(w, &man.layers[i], depth + 1);
	dk_manifest_free(&man);
	return ret;
}

static int walk_desc(struct walk *w, const struct dk_descriptor *d, int depth)
{
	struct dk_blobref r = {d, w->tag, NULL};
	cleanup_free char *buf = NULL;
	struct dk_err rerr, ignored;
	size_t len;
	int v = w->visit(w->ctx, &r, w->err);

	if (v != 0)
		return v < 0 ? -1 : 0;
	if (depth > DEPTH_MAX || !dk_store_has_blob(w->s, &d->digest))
		return 0;
	if (d->size > (int64_t)DOC_MAX || dk_mt_is_layer(d->media_type))
		return 0;
	if (dk_store_read_blob(w->s, &d->digest, DOC_MAX, &buf, &len, &rerr) < 0)
		return broken(w, d, rerr.msg);
	switch (dk_doc_sniff(buf, len, &ignored)) {
	case DK_DOC_INDEX: return walk_index(w, d, buf, len, depth);
	case DK_DOC_MANIFEST: return walk_manifest(w, d, buf, len, depth);
	default: return 0; /* a config, or an artifact we do not know */
	}
}

int dk_refs_walk(struct dk_store *s, const struct dk_index *idx, dk_blobref_visit visit, void *ctx,
		 struct dk_err *err)
{
	struct walk w = {s, visit, ctx, "", err};
	int ret = 0;

	for (size_t i = 0; ret == 0 && i < idx->n_manifests; i++) {
		const char *t = dk_descriptor_annotation(&idx->manifests[i], DK_ANNOT_REF_NAME);
		w.tag = t ? t : "";
		ret = walk_desc(&w, &idx->manifests[i], 0);
	}
	return ret;
}
