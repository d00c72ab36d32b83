// SPDX-License-Identifier: GPL-2.0-or-later
/* image.c: the new image on top of the base: config (changes, diff_id,
 * history), a manifest of the base's family (OCI or Docker schema2), the
 * tag under its full normalised reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cleanup.h"
#include "commit.h"
#include "imgwrite.h"
#include "ref.h"

#define ANNOT_BASE_NAME	   "org.opencontainers.image.base.name"
#define ANNOT_BASE_DIGEST  "org.opencontainers.image.base.digest"
#define DOCKER_LAYER_PLAIN "application/vnd.docker.image.rootfs.diff.tar"

const char *commit_layer_media_type(const struct dk_image *base, enum dk_compression method,
				    struct dk_err *err)
{
	if (!dk_image_is_docker(base))
		return method == DK_COMP_GZIP	? DK_MT_OCI_LAYER_GZIP
		       : method == DK_COMP_ZSTD ? DK_MT_OCI_LAYER_ZSTD
						: DK_MT_OCI_LAYER;
	if (method == DK_COMP_ZSTD)
		return dk_err_set(
			   err,
			   "the base is a Docker schema2 image, which has no zstd layer type; use --compress gzip"),
		       NULL;
	return method == DK_COMP_GZIP ? DK_MT_DOCKER_LAYER : DOCKER_LAYER_PLAIN;
}

static void format_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "dk commit" plus the changes, for the history entry. */
static char *created_by(const struct commit_opts *o)
{
	size_t len = 16;
	char *s;

	for (size_t i = 0; i < o->n_changes; i++)
		len += strlen(o->changes[i].text) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, "dk commit");
	for (size_t i = 0; i < o->n_changes; i++) {
		strcat(s, i ? "; " : ": ");
		strcat(s, o->changes[i].text);
	}
	return s;
}

int commit_apply_changes(struct dk_image *base, const struct commit_opts *o, struct dk_err *err)
{
	struct dk_df_state st = {0};

	for (size_t i = 0; i < o->n_changes; i++)
		if (dk_df_apply(&o->changes[i], &base->config.config, &st, err) < 0)
			return dk_err_wrap(err, "--change");
	return 0;
}

static int tag_image(struct dk_store *s, const struct dk_image *base, struct dk_descriptor *d,
		     const char *tag, struct dk_err *err)
{
	struct dk_ref ref;
	char full[DK_REF_STR_MAX];
	struct dk_platform p = {
	    .os = base->config.os,
	    .architecture = base->config.architecture,
	    .variant = base->config.variant,
	};

	if (dk_ref_parse(tag, &ref, err) < 0)
		return dk_err_wrap(err, "--tag %s", tag);
	dk_ref_format(&ref, full, sizeof(full));
	if (p.os && p.architecture)
		d->platform = &p;
	int ret = dk_store_tag(s, full, d, err);
	d->platform = NULL;
	return ret;
}

int commit_image(struct dk_store *s, struct dk_image *base, const struct commit_layer *layer,
		 const struct commit_opts *o, struct dk_digest *out, struct dk_err *err)
{
	struct dk_descriptor manifest = {0};
	struct dk_new_layer nl = {0};
	cleanup_free char *by = created_by(o);
	char when[64];
	int ret;

	format_time(o->timestamp, when, sizeof(when));
	free(base->config.author);
	base->config.author = o->author ? strdup(o->author) : NULL;
	/* the new manifest names its base (OCI annotations) */
	dk_strv_free(base->manifest.annotations);
	base->manifest.annotations = calloc(1, sizeof(char *));
	if (!by || !base->manifest.annotations || (o->author && !base->config.author))
		return dk_err_sys(err, "config");
	if (!dk_image_is_docker(base) && base->name &&
	    (dk_kv_set(&base->manifest.annotations, ANNOT_BASE_NAME, base->name) < 0 ||
	     dk_kv_set(&base->manifest.annotations, ANNOT_BASE_DIGEST, base->desc.digest.str) < 0))
		return dk_err_sys(err, "manifest");
	if (layer->present) {
		const char *mt = commit_layer_media_type(base, o->method, err);

		if (!mt)
			return -1;
		nl.desc = (struct dk_descriptor){
		    .media_type = (char *)mt, .digest = layer->digest, .size = layer->size};
		nl.diff_id = layer->diff_id;
	}
	struct dk_history h = {
	    .created = when,
	    .created_by = by,
	    .author = (char *)o->author,
	    .comment = (char *)o->message,
	};
	ret = dk_image_write(s, base, layer->present ? &nl : NULL, &h, &manifest, err);
	if (ret == 0)
		ret = tag_image(s, base, &manifest, o->tag, err);
	if (ret == 0)
		*out = manifest.digest;
	dk_descriptor_free(&manifest);
	return ret;
}
