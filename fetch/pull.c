// SPDX-License-Identifier: GPL-2.0-or-later
/* pull.c: fetch pull: resolve the reference to a manifest or index, choose
 * the platform(s), download config and layers into the store, then store
 * the manifests (and index) and tag the top-level descriptor with the full
 * reference. Blobs land before the documents that name them, and the tag
 * last, so an interrupted pull leaves nothing that points at missing data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blobs.h"
#include "cleanup.h"
#include "pull.h"
#include "remote.h"
#include "store.h"

struct image {
	struct fx_doc doc;
	struct dk_manifest m;
	bool parsed;
};

struct pull_plan {
	struct fx_doc top;
	struct dk_index idx;
	bool is_index;
	struct image *images;
	size_t n_images;
	struct dk_descriptor *blobs; /* borrowed from the manifests */
	size_t n_blobs;
};

static void plan_free(struct pull_plan *pl)
{
	for (size_t i = 0; i < pl->n_images; i++) {
		fx_doc_free(&pl->images[i].doc);
		if (pl->images[i].parsed)
			dk_manifest_free(&pl->images[i].m);
	}
	free(pl->images);
	free(pl->blobs);
	if (pl->is_index)
		dk_index_free(&pl->idx);
	fx_doc_free(&pl->top);
}

static int add_image(struct pull_plan *pl, struct fx_doc *doc, struct dk_err *err)
{
	struct image *im = &pl->images[pl->n_images];

	if (doc->kind != DK_DOC_MANIFEST)
		return dk_err_set(err, "%s: expected an image manifest, got %s", doc->digest.str,
				  doc->media_type);
	im->doc = *doc;
	memset(doc, 0, sizeof(*doc));
	pl->n_images++;
	if (dk_manifest_parse(im->doc.buf, im->doc.len, &im->m, err) < 0)
		return dk_err_wrap(err, "manifest %s", im->doc.digest.str);
	im->parsed = true;
	return 0;
}

static bool wanted(const struct dk_descriptor *d, const struct fx_opts *o)
{
	if (dk_doc_kind(d->media_type) != DK_DOC_MANIFEST)
		return false; /* nested indexes, artifacts */
	return o->all_platforms;
}

static int plan_index(struct fx_client *c, const struct dk_ref *r, const struct fx_opts *o,
		      struct pull_plan *pl, struct dk_err *err)
{
	struct dk_platform want = {0};
	const struct dk_descriptor *pick = NULL;
	int ret = 0;

	if (dk_index_parse(pl->top.buf, pl->top.len, &pl->idx, err) < 0)
		return dk_err_wrap(err, "index %s", pl->top.digest.str);
	pl->is_index = true;
	pl->images = calloc(pl->idx.n_manifests + 1, sizeof(*pl->images));
	if (!pl->images)
		return dk_err_sys(err, "pull");
	if (!o->all_platforms) {
		if (o->platform && dk_platform_parse(o->platform, &want, err) < 0)
			return -1;
		pick = dk_index_pick(&pl->idx, o->platform ? &want : NULL, err);
		dk_platform_free(&want);
		if (!pick)
			return dk_err_wrap(err, "index %s", pl->top.digest.str);
	}
	for (size_t i = 0; i < pl->idx.n_manifests && ret == 0; i++) {
		const struct dk_descriptor *d = &pl->idx.manifests[i];
		struct fx_doc doc;

		if (d != pick && !wanted(d, o))
			continue;
		ret = fx_get_manifest(c, r, d->digest.str, &doc, err);
		if (ret == 0) {
			ret = add_image(pl, &doc, err);
			fx_doc_free(&doc);
		}
	}
	return ret;
}

static int collect_blobs(struct pull_plan *pl, struct dk_err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < pl->n_images; i++)
		n += 1 + pl->images[i].m.n_layers;
	pl->blobs = calloc(n + 1, sizeof(*pl->blobs));
	if (!pl->blobs)
		return dk_err_sys(err, "pull");
	for (size_t i = 0; i < pl->n_images; i++) {
		const struct dk_manifest *m = &pl->images[i].m;

		pl->blobs[pl->n_blobs++] = m->config;
		for (size_t k = 0; k < m->n_layers; k++) {
			if (dk_mt_is_nondistributable(m->layers[k].media_type) &&
			    m->layers[k].urls && m->layers[k].urls[0])
				continue; /* foreign layers stay where they are */
			pl->blobs[pl->n_blobs++] = m->layers[k];
		}
	}
	return 0;
}

static int plan(struct fx_client *c, const struct dk_ref *r, const struct fx_opts *o,
		struct pull_plan *pl, struct dk_err *err)
{
	const char *reference = r->digest[0] ? r->digest : r->tag;

	if (fx_get_manifest(c, r, reference, &pl->top, err) < 0)
		return -1;
	if (pl->top.kind == DK_DOC_INDEX) {
		if (plan_index(c, r, o, pl, err) < 0)
			return -1;
	} else {
		pl->images = calloc(1, sizeof(*pl->images));
		if (!pl->images)
			return dk_err_sys(err, "pull");
		struct fx_doc copy = pl->top;

		copy.buf = malloc(pl->top.len + 1);
		copy.media_type = strdup(pl->top.media_type);
		if (!copy.buf || !copy.media_type) {
			fx_doc_free(&copy);
			return dk_err_sys(err, "pull");
		}
		memcpy(copy.buf, pl->top.buf, pl->top.len);
		int ret = add_image(pl, &copy, err);
		fx_doc_free(&copy);
		if (ret < 0)
			return -1;
	}
	return collect_blobs(pl, err);
}

static int store_docs(struct dk_store *s, struct pull_plan *pl, const char *name,
		      struct dk_err *err)
{
	struct dk_descriptor top;
	int ret;

	for (size_t i = 0; i < pl->n_images; i++) {
		const struct fx_doc *d = &pl->images[i].doc;

		if (dk_store_put_buf(s, d->buf, d->len, &d->digest, NULL, err) < 0)
			return -1;
	}
	if (pl->is_index &&
	    dk_store_put_buf(s, pl->top.buf, pl->top.len, &pl->top.digest, NULL, err) < 0)
		return -1;
	if (fx_doc_descriptor(&pl->top, &top, err) < 0)
		return -1;
	ret = dk_store_tag(s, name, &top, err);
	dk_descriptor_free(&top);
	return ret;
}

int fx_pull(const struct fx_opts *o, const char *refstr, struct dk_err *err)
{
	struct dk_ref r;
	struct dk_store s;
	struct fx_client *c;
	struct pull_plan pl = {0};
	char name[DK_REF_STR_MAX];
	int ret = -1;

	if (dk_ref_parse(refstr, &r, err) < 0)
		return -1;
	dk_ref_format(&r, name, sizeof(name));
	if (dk_store_open_default(&s, o->root, true, err) < 0)
		return -1;
	s.lazy_blob_sync = true;  /* the tag, written last, syncs the blobs */
	s.hash_behind = true;	  /* downloads do not wait for sha256 */
	s.batch_commit = true;	  /* blobs and manifests synced together */
	s.defer_data_sync = true; /* a journal, not a wait for the disk */
	c = fx_client_new(r.domain, o, err);
	if (c && plan(c, &r, o, &pl, err) == 0 &&
	    fx_pull_blobs(c, &s, &r, pl.blobs, pl.n_blobs, err) == 0 &&
	    store_docs(&s, &pl, name, err) == 0) {
		printf("%s\n", pl.top.digest.str);
		ret = 0;
	}
	if (ret < 0) {
		struct dk_err ignore;

		/* what was downloaded whole is kept for the next try */
		dk_store_commit_pending(&s, &ignore);
		dk_err_wrap(err, "pulling %s", name);
	}
	plan_free(&pl);
	fx_client_free(c);
	dk_store_close(&s);
	return ret;
}
