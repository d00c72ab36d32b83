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
#include "ref.h"

#define ANNOT_BASE_NAME	   "org.opencontainers.image.base.name"
#define ANNOT_BASE_DIGEST  "org.opencontainers.image.base.digest"
#define DOCKER_LAYER_PLAIN "application/vnd.docker.image.rootfs.diff.tar"

static bool is_docker(const struct dk_image *base)
{
	const char *mt = base->manifest.media_type;
	const char *cmt = base->manifest.config.media_type;

	return (mt && strcmp(mt, DK_MT_DOCKER_MANIFEST) == 0) ||
	       (cmt && strcmp(cmt, DK_MT_DOCKER_CONFIG) == 0);
}

const char *commit_layer_media_type(const struct dk_image *base, enum dk_compression method,
				    struct dk_err *err)
{
	if (!is_docker(base))
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

static int update_config(struct dk_image_config *c, const struct commit_layer *layer,
			 const struct commit_opts *o, struct dk_err *err)
{
	char when[64];
	cleanup_free char *by = created_by(o);
	size_t n = dk_strv_len(c->diff_ids);

	format_time(o->timestamp, when, sizeof(when));
	free(c->created);
	free(c->author);
	c->created = strdup(when);
	c->author = o->author ? strdup(o->author) : NULL;
	if (layer->present) {
		char **v = realloc(c->diff_ids, (n + 2) * sizeof(*v));

		if (!v)
			return dk_err_sys(err, "config");
		c->diff_ids = v;
		v[n] = strdup(layer->diff_id.str);
		v[n + 1] = NULL;
	}
	struct dk_history h = {
	    .created = when,
	    .created_by = by,
	    .author = (char *)o->author,
	    .comment = (char *)o->message,
	    .empty_layer = !layer->present,
	};
	if (!by || !c->created || dk_image_config_add_history(c, &h) < 0)
		return dk_err_sys(err, "config");
	return 0;
}

static int put_doc(struct dk_store *s, char *buf, size_t len, struct dk_descriptor *d,
		   const char *mt, struct dk_err *err)
{
	int ret = dk_store_put_buf(s, buf, len, NULL, &d->digest, err);

	free(buf);
	d->size = (int64_t)len;
	d->media_type = strdup(mt);
	return ret;
}

static int write_config(struct dk_store *s, struct dk_image *base, const struct commit_layer *layer,
			const struct commit_opts *o, struct dk_descriptor *d, struct dk_err *err)
{
	char *buf;
	size_t len;

	if (update_config(&base->config, layer, o, err) < 0 ||
	    dk_image_config_emit(&base->config, &buf, &len, err) < 0)
		return -1;
	return put_doc(s, buf, len, d, is_docker(base) ? DK_MT_DOCKER_CONFIG : DK_MT_OCI_CONFIG,
		       err);
}

static int add_layer(struct dk_manifest *m, const struct dk_image *base,
		     const struct commit_layer *layer, const struct commit_opts *o,
		     struct dk_err *err)
{
	const char *mt = commit_layer_media_type(base, o->method, err);
	struct dk_descriptor *v;

	if (!mt)
		return -1;
	v = realloc(m->layers, (m->n_layers + 1) * sizeof(*v));
	if (!v)
		return dk_err_sys(err, "manifest");
	m->layers = v;
	v[m->n_layers] = (struct dk_descriptor){
	    .media_type = strdup(mt),
	    .digest = layer->digest,
	    .size = layer->size,
	};
	m->n_layers++;
	return 0;
}

/* The manifest: the base's layers (+ the new one), the new config. */
static int write_manifest(struct dk_store *s, struct dk_image *base,
			  const struct commit_layer *layer, const struct commit_opts *o,
			  struct dk_descriptor *config, struct dk_descriptor *out,
			  struct dk_err *err)
{
	struct dk_manifest *m = &base->manifest;
	const char *mt = is_docker(base) ? DK_MT_DOCKER_MANIFEST : DK_MT_OCI_MANIFEST;
	char *buf;
	size_t len;

	dk_descriptor_free(&m->config);
	m->config = *config;
	memset(config, 0, sizeof(*config));
	free(m->media_type);
	m->media_type = strdup(mt);
	dk_strv_free(m->annotations);
	m->annotations = calloc(1, sizeof(char *));
	if (!m->media_type || !m->annotations)
		return dk_err_sys(err, "manifest");
	if (!is_docker(base) && base->name &&
	    (dk_kv_set(&m->annotations, ANNOT_BASE_NAME, base->name) < 0 ||
	     dk_kv_set(&m->annotations, ANNOT_BASE_DIGEST, base->desc.digest.str) < 0))
		return dk_err_sys(err, "manifest");
	if (layer->present && add_layer(m, base, layer, o, err) < 0)
		return -1;
	if (dk_manifest_emit(m, &buf, &len, err) < 0)
		return -1;
	return put_doc(s, buf, len, out, mt, err);
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
	struct dk_descriptor config = {0}, manifest = {0};
	int ret;

	ret = write_config(s, base, layer, o, &config, err);
	if (ret == 0)
		ret = write_manifest(s, base, layer, o, &config, &manifest, err);
	if (ret == 0)
		ret = tag_image(s, base, &manifest, o->tag, err);
	if (ret == 0)
		*out = manifest.digest;
	dk_descriptor_free(&config);
	dk_descriptor_free(&manifest);
	return ret;
}
