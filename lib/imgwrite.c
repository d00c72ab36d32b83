// SPDX-License-Identifier: GPL-2.0-or-later
/* imgwrite.c: a loaded image plus an optional layer and a history entry ->
 * new config and manifest blobs in the store (see imgwrite.h). */
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "imgwrite.h"

bool dk_image_is_docker(const struct dk_image *img)
{
	const char *mt = img->manifest.media_type;
	const char *cmt = img->manifest.config.media_type;

	return (mt && strcmp(mt, DK_MT_DOCKER_MANIFEST) == 0) ||
	       (cmt && strcmp(cmt, DK_MT_DOCKER_CONFIG) == 0);
}

static int put_doc(struct dk_store *s, char *buf, size_t len, const char *mt,
		   struct dk_descriptor *d, struct dk_err *err)
{
	int ret = dk_store_put_buf(s, buf, len, NULL, &d->digest, err);

	free(buf);
	d->size = (int64_t)len;
	d->media_type = strdup(mt);
	if (ret == 0 && !d->media_type)
		ret = dk_err_sys(err, "image");
	return ret;
}

static int add_diff_id(struct dk_image_config *c, const struct dk_digest *d)
{
	size_t n = dk_strv_len(c->diff_ids);
	char **v = realloc(c->diff_ids, (n + 2) * sizeof(*v));

	if (!v)
		return -1;
	c->diff_ids = v;
	v[n] = strdup(d->str);
	v[n + 1] = NULL;
	return v[n] ? 0 : -1;
}

static int update_config(struct dk_image_config *c, const struct dk_new_layer *layer,
			 const struct dk_history *h, struct dk_err *err)
{
	struct dk_history entry = *h;

	entry.empty_layer = !layer;
	if (h->created) {
		free(c->created);
		if (!(c->created = strdup(h->created)))
			return dk_err_sys(err, "config");
	}
	if ((layer && add_diff_id(c, &layer->diff_id) < 0) ||
	    dk_image_config_add_history(c, &entry) < 0)
		return dk_err_sys(err, "config");
	return 0;
}

static int add_layer(struct dk_manifest *m, const struct dk_new_layer *layer)
{
	struct dk_descriptor *v = realloc(m->layers, (m->n_layers + 1) * sizeof(*v));

	if (!v)
		return -1;
	m->layers = v;
	if (dk_descriptor_copy(&v[m->n_layers], &layer->desc) < 0)
		return -1;
	m->n_layers++;
	return 0;
}

int dk_image_write(struct dk_store *s, struct dk_image *img, const struct dk_new_layer *layer,
		   const struct dk_history *h, struct dk_descriptor *out, struct dk_err *err)
{
	bool docker = dk_image_is_docker(img);
	struct dk_manifest *m = &img->manifest;
	struct dk_descriptor config = {0};
	char *buf;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (update_config(&img->config, layer, h, err) < 0 ||
	    dk_image_config_emit(&img->config, &buf, &len, err) < 0 ||
	    put_doc(s, buf, len, docker ? DK_MT_DOCKER_CONFIG : DK_MT_OCI_CONFIG, &config, err) <
		0) {
		dk_descriptor_free(&config);
		return -1;
	}
	dk_descriptor_free(&m->config);
	m->config = config;
	img->config_digest = config.digest;
	free(m->media_type);
	m->media_type = strdup(docker ? DK_MT_DOCKER_MANIFEST : DK_MT_OCI_MANIFEST);
	if (!m->media_type || (layer && add_layer(m, layer) < 0))
		return dk_err_sys(err, "manifest");
	if (dk_manifest_emit(m, &buf, &len, err) < 0)
		return -1;
	return put_doc(s, buf, len, m->media_type, out, err);
}

int dk_image_write_scratch(struct dk_store *s, struct dk_descriptor *out, struct dk_err *err)
{
	struct dk_platform host;
	cleanup_free char *cfg = NULL;
	char *man;
	struct dk_descriptor c = {0};
	size_t len;
	int ret;

	dk_platform_host(&host);
	if (asprintf(&cfg,
		     "{\"architecture\":\"%s\",\"os\":\"%s\",\"config\":{},"
		     "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
		     host.architecture, host.os) < 0)
		return dk_err_sys(err, "scratch");
	if (dk_store_put_buf(s, cfg, strlen(cfg), NULL, &c.digest, err) < 0)
		return -1;
	len = (size_t)asprintf(&man,
			       "{\"schemaVersion\":2,\"mediaType\":\"%s\","
			       "\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu},"
			       "\"layers\":[]}",
			       DK_MT_OCI_MANIFEST, DK_MT_OCI_CONFIG, c.digest.str, strlen(cfg));
	if ((int)len < 0)
		return dk_err_sys(err, "scratch");
	memset(out, 0, sizeof(*out));
	ret = put_doc(s, man, len, DK_MT_OCI_MANIFEST, out, err);
	return ret;
}
