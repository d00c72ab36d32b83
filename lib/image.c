// SPDX-License-Identifier: GPL-2.0-or-later
/* image.c: from what a user typed to a manifest and config in the store:
 * references, other tools' tag names, digests and image ids. */
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include "cleanup.h"
#include "ref.h"
#include "store.h"

#define DOC_MAX (8u << 20)

/* A descriptor for a blob known only by digest (kind found on reading). */
static int desc_from_digest(struct dk_store *s, const char *digest, struct dk_descriptor *out,
			    struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	if (dk_digest_parse(digest, &out->digest, err) < 0)
		return -1;
	if (!dk_store_has_blob(s, &out->digest))
		return dk_err_set(err, "no such image: %s", digest);
	return 0;
}

/* An image id as `images` shows it: the config digest's hex, whole or a
 * prefix of at least 12, with or without "sha256:". */
static bool id_like(const char *s)
{
	size_t n;

	if (strncmp(s, "sha256:", 7) == 0)
		s += 7;
	n = strspn(s, "0123456789abcdef");
	return n >= 12 && n <= 64 && s[n] == '\0';
}

/* The first index entry whose config digest starts with id. */
static int by_image_id(struct dk_store *s, const char *id, struct dk_descriptor *out, char **name,
		       struct dk_err *err)
{
	struct dk_index idx;
	const char *hex = strncmp(id, "sha256:", 7) ? id : id + 7;
	int rc = -1;

	if (dk_store_index(s, &idx, err) < 0)
		return -1;
	for (size_t i = 0; i < idx.n_manifests && rc < 0; i++) {
		struct dk_image img;
		struct dk_err e2;
		const char *ref = dk_descriptor_annotation(&idx.manifests[i],
							   "org.opencontainers.image.ref.name");
		if (dk_store_load_image_desc(s, &idx.manifests[i], ref, NULL, &img, &e2) < 0)
			continue;
		if (!strncmp(img.config_digest.str + 7, hex, strlen(hex)) &&
		    dk_descriptor_copy(out, &idx.manifests[i]) == 0) {
			*name = ref ? strdup(ref) : NULL;
			rc = 0;
		}
		dk_image_free(&img);
	}
	dk_index_free(&idx);
	return rc < 0 ? dk_err_set(err, "no such image: %s", id) : 0;
}

/* "sha256:..." names a manifest or an index; else, as docker's image ids
 * do, a config. */
static int by_digest(struct dk_store *s, const char *what, struct dk_descriptor *out, char **name,
		     struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	struct dk_err e2;
	size_t len;

	if (desc_from_digest(s, what, out, err) < 0)
		return id_like(what) ? by_image_id(s, what, out, name, err) : -1;
	if (dk_store_read_blob(s, &out->digest, DOC_MAX, &buf, &len, &e2) == 0 &&
	    dk_doc_sniff(buf, len, &e2) != DK_DOC_UNKNOWN)
		return 0;
	dk_descriptor_free(out);
	return id_like(what) ? by_image_id(s, what, out, name, err)
			     : desc_from_digest(s, what, out, err);
}

/* Resolve what to a descriptor, by tag first, then by digest. */
static int find_descriptor(struct dk_store *s, const char *what, struct dk_descriptor *out,
			   char **name, struct dk_err *err)
{
	struct dk_ref ref;
	char full[DK_REF_STR_MAX];
	struct dk_err perr;

	*name = NULL;
	if (strncmp(what, "sha256:", 7) == 0 || strncmp(what, "sha512:", 7) == 0)
		return by_digest(s, what, out, name, err);
	if (dk_ref_parse(what, &ref, &perr) == 0) {
		if (ref.digest[0])
			return desc_from_digest(s, ref.digest, out, err);
		dk_ref_format(&ref, full, sizeof(full));
		if (dk_store_resolve(s, full, out, err) == 0) {
			*name = strdup(full);
			return 0;
		}
	}
	/* names written by other tools, as given ("latest", "v1") */
	if (dk_store_resolve(s, what, out, err) == 0) {
		*name = strdup(what);
		return 0;
	}
	if (id_like(what))
		return by_image_id(s, what, out, name, err);
	return dk_err_set(err, "no such image: %s", what);
}

static int load_manifest(struct dk_store *s, struct dk_image *img, const struct dk_platform *want,
			 struct dk_err *err)
{
	for (int depth = 0; depth < 4; depth++) {
		cleanup_free char *buf = NULL;
		size_t len;
		struct dk_index idx;
		const struct dk_descriptor *pick;

		if (dk_store_read_blob(s, &img->desc.digest, DOC_MAX, &buf, &len, err) < 0)
			return -1;
		enum dk_doc_kind kind = dk_doc_sniff(buf, len, err);
		if (kind != DK_DOC_INDEX)
			return kind == DK_DOC_UNKNOWN
				   ? -1
				   : dk_manifest_parse(buf, len, &img->manifest, err);
		if (dk_index_parse(buf, len, &idx, err) < 0)
			return -1;
		pick = dk_index_pick(&idx, want, err);
		struct dk_descriptor next;
		int ret = pick ? dk_descriptor_copy(&next, pick) : -1;
		dk_index_free(&idx);
		if (ret < 0)
			return -1;
		dk_descriptor_free(&img->desc);
		img->desc = next;
	}
	return dk_err_set(err, "image indexes nested too deep");
}

static int load_config(struct dk_store *s, struct dk_image *img, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	img->config_digest = img->manifest.config.digest;
	if (dk_store_read_blob(s, &img->config_digest, DOC_MAX, &buf, &len, err) < 0)
		return -1;
	if (dk_image_config_parse(buf, len, &img->config, err) < 0)
		return -1;
	if (dk_strv_len(img->config.diff_ids) != img->manifest.n_layers)
		return dk_err_set(err, "config has %zu diff_ids for %zu layers",
				  dk_strv_len(img->config.diff_ids), img->manifest.n_layers);
	return 0;
}

static int load_from_desc(struct dk_store *s, const char *what, const struct dk_platform *want,
			  struct dk_image *out, struct dk_err *err)
{
	if (load_manifest(s, out, want, err) < 0 || load_config(s, out, err) < 0) {
		dk_image_free(out);
		return dk_err_wrap(err, "image %s", what);
	}
	return 0;
}

int dk_store_load_image(struct dk_store *s, const char *what, const struct dk_platform *want,
			struct dk_image *out, struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	if (find_descriptor(s, what, &out->desc, &out->name, err) < 0)
		return -1;
	return load_from_desc(s, what, want, out, err);
}

int dk_store_load_image_desc(struct dk_store *s, const struct dk_descriptor *desc, const char *name,
			     const struct dk_platform *want, struct dk_image *out,
			     struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	if (dk_descriptor_copy(&out->desc, desc) < 0 || (name && !(out->name = strdup(name)))) {
		dk_image_free(out);
		return dk_err_sys(err, "image %s", name ? name : desc->digest.str);
	}
	return load_from_desc(s, name ? name : desc->digest.str, want, out, err);
}

void dk_image_free(struct dk_image *img)
{
	dk_descriptor_free(&img->desc);
	dk_manifest_free(&img->manifest);
	dk_image_config_free(&img->config);
	free(img->name);
	memset(img, 0, sizeof(*img));
}
