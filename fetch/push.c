// SPDX-License-Identifier: GPL-2.0-or-later
/* push.c: fetch push: send an image of the store to a registry. For each
 * manifest: its config and layers (skipped, mounted or uploaded), then the
 * manifest by digest; the top document last, under the tag. An index whose
 * manifests are not all in the store is pushed as the one platform we have
 * (host, or --platform), as docker does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "mount.h"
#include "pull.h"
#include "remote.h"
#include "store.h"
#include "upload.h"

#define MAX_DOC (4u << 20)

struct push {
	struct fx_client *c;
	struct dk_store *s;
	const struct dk_ref *r;
	struct fx_mounts mounts;
	bool quiet;
};

static int push_blob(struct push *p, const struct dk_descriptor *d,
		     struct dk_err *err)
{
	const char *how = NULL;
	const char *from = fx_mounts_find(&p->mounts, &d->digest);

	if (fx_upload_blob(p->c, p->r, p->s, d, from, &how, err) < 0)
		return -1;
	if (!p->quiet)
		fprintf(stderr, "%.12s: %s\n", dk_digest_hex(&d->digest),
			strcmp(how, "exists") == 0 ? "Layer already exists"
			: strcmp(how, "mounted") == 0 ? "Mounted" : "Pushed");
	return 0;
}

/* Blobs of one manifest, then the manifest under reference. */
static int push_manifest(struct push *p, const struct dk_descriptor *d,
			 const char *reference, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	struct dk_manifest m;
	size_t len;
	int ret = 0;

	if (dk_store_read_blob(p->s, &d->digest, MAX_DOC, &buf, &len, err) < 0)
		return -1;
	if (dk_manifest_parse(buf, len, &m, err) < 0)
		return dk_err_wrap(err, "manifest %s", d->digest.str);
	ret = push_blob(p, &m.config, err);
	for (size_t i = 0; i < m.n_layers && ret == 0; i++)
		if (!dk_mt_is_nondistributable(m.layers[i].media_type) ||
		    !m.layers[i].urls || !m.layers[i].urls[0])
			ret = push_blob(p, &m.layers[i], err);
	if (ret == 0)
		ret = fx_upload_manifest(p->c, p->r, reference, d->media_type, buf,
					 len, err);
	dk_manifest_free(&m);
	return ret;
}

static bool all_present(struct dk_store *s, const struct dk_index *idx)
{
	for (size_t i = 0; i < idx->n_manifests; i++)
		if (!dk_store_has_blob(s, &idx->manifests[i].digest))
			return false;
	return true;
}

/* Push an index: all of it, or the one platform we have. *top is the
 * descriptor that ends up tagged. */
static int push_index(struct push *p, const struct dk_descriptor *d,
		      const char *reference, const struct fx_opts *o,
		      struct dk_digest *top, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	struct dk_platform want = { 0 };
	struct dk_index idx;
	size_t len;
	int ret = 0;

	if (dk_store_read_blob(p->s, &d->digest, MAX_DOC, &buf, &len, err) < 0 ||
	    dk_index_parse(buf, len, &idx, err) < 0)
		return dk_err_wrap(err, "index %s", d->digest.str);
	if (all_present(p->s, &idx)) {
		for (size_t i = 0; i < idx.n_manifests && ret == 0; i++)
			if (dk_doc_kind(idx.manifests[i].media_type) == DK_DOC_MANIFEST)
				ret = push_manifest(p, &idx.manifests[i],
						    idx.manifests[i].digest.str, err);
		if (ret == 0)
			ret = fx_upload_manifest(p->c, p->r, reference, d->media_type,
						 buf, len, err);
		*top = d->digest;
	} else if (o->platform && dk_platform_parse(o->platform, &want, err) < 0) {
		ret = -1;
	} else {
		const struct dk_descriptor *pick =
			dk_index_pick(&idx, o->platform ? &want : NULL, err);

		ret = pick ? push_manifest(p, pick, reference, err) : -1;
		if (pick)
			*top = pick->digest;
		dk_platform_free(&want);
	}
	dk_index_free(&idx);
	return ret;
}

static int push_top(struct push *p, const char *local, const struct fx_opts *o,
		    struct dk_digest *top, struct dk_err *err)
{
	struct dk_descriptor d;
	const char *reference = p->r->tag[0] ? p->r->tag : p->r->digest;
	int ret;

	if (dk_store_resolve(p->s, local, &d, err) < 0)
		return dk_err_set(err, "image %s: not in the store", local);
	if (dk_doc_kind(d.media_type) == DK_DOC_INDEX) {
		ret = push_index(p, &d, reference, o, top, err);
	} else {
		ret = push_manifest(p, &d, reference, err);
		*top = d.digest;
	}
	dk_descriptor_free(&d);
	return ret;
}

int fx_push(const struct fx_opts *o, const char *local, const char *remote,
	    struct dk_err *err)
{
	struct dk_ref lr, rr;
	char lname[DK_REF_STR_MAX], rname[DK_REF_STR_MAX];
	struct dk_store s;
	struct push p = { .s = &s, .r = &rr, .quiet = o->quiet || !isatty(2) };
	struct dk_digest top;
	int ret = -1;

	if (dk_ref_parse(local, &lr, err) < 0 ||
	    dk_ref_parse(remote ? remote : local, &rr, err) < 0)
		return -1;
	dk_ref_format(&lr, lname, sizeof(lname));
	dk_ref_format(&rr, rname, sizeof(rname));
	if (rr.digest[0] && rr.tag[0])
		return dk_err_set(err, "pushing to %s: give a tag or a digest, not both", rname);
	if (dk_store_open_default(&s, o->root, false, err) < 0)
		return err->code == ENOENT
			? dk_err_set(err, "pushing %s: image %s: not in the store (no image store)",
				     lname, lname)
			: -1;
	p.c = fx_client_new(rr.domain, o, err);
	if (p.c && fx_mounts_load(&p.mounts, &s, &rr, err) == 0 &&
	    push_top(&p, lname, o, &top, err) == 0) {
		printf("%s\n", top.str);
		ret = 0;
	}
	if (ret < 0)
		dk_err_wrap(err, "pushing %s to %s", lname, rname);
	fx_mounts_free(&p.mounts);
	fx_client_free(p.c);
	dk_store_close(&s);
	return ret;
}
