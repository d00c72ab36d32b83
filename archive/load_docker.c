// SPDX-License-Identifier: GPL-2.0-or-later
/* load_docker.c: the docker archive before docker 25 (and skopeo's
 * docker-archive:): manifest.json lists, per image, a config file, its
 * RepoTags and one tar per layer. Each becomes an OCI image in the store:
 * the config and layer files as blobs (an uncompressed layer must match
 * the config's diff_id), and a new OCI manifest over them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "json.h"
#include "load.h"

/* The media type of a layer file from its first bytes. */
static const char *layer_type(int fd)
{
	unsigned char m[4] = {0};

	if (pread(fd, m, sizeof(m), 0) < 2)
		return DK_MT_OCI_LAYER;
	if (m[0] == 0x1f && m[1] == 0x8b)
		return DK_MT_OCI_LAYER_GZIP;
	if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return DK_MT_OCI_LAYER_ZSTD;
	return DK_MT_OCI_LAYER;
}

static int put_layer(struct load *l, const char *path, const char *diff_id, struct dk_descriptor *d,
		     struct dk_err *err)
{
	int fd = load_open_member(l, path, err);
	int ret;

	if (fd < 0)
		return -1;
	d->media_type = strdup(layer_type(fd));
	ret = dk_store_put_fd(&l->store, fd, NULL, &d->digest, &d->size, err);
	close(fd);
	if (ret < 0)
		return dk_err_wrap(err, "layer %s", path);
	if (!strcmp(d->media_type, DK_MT_OCI_LAYER) && strcmp(d->digest.str, diff_id))
		return dk_err_set(err, "layer %s is %s, but the config says %s", path,
				  d->digest.str, diff_id);
	return 0;
}

static int put_config(struct load *l, const char *path, struct dk_descriptor *d,
		      struct dk_image_config *cfg, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	if (load_read_member(l, path, &buf, &len, err) < 0 ||
	    dk_image_config_parse(buf, len, cfg, err) < 0)
		return dk_err_wrap(err, "config %s", path);
	d->media_type = strdup(DK_MT_OCI_CONFIG);
	d->size = (int64_t)len;
	return dk_store_put_buf(&l->store, buf, len, NULL, &d->digest, err);
}

static int put_layers(struct load *l, char *const *paths, const struct dk_image_config *cfg,
		      struct dk_manifest *m, struct dk_err *err)
{
	size_t n = dk_strv_len(paths);

	if (n != dk_strv_len(cfg->diff_ids))
		return dk_err_set(err, "%zu layers, but the config lists %zu", n,
				  dk_strv_len(cfg->diff_ids));
	m->layers = calloc(n ? n : 1, sizeof(*m->layers));
	if (!m->layers)
		return dk_err_sys(err, "layers");
	for (; m->n_layers < n; m->n_layers++)
		if (put_layer(l, paths[m->n_layers], cfg->diff_ids[m->n_layers],
			      &m->layers[m->n_layers], err) < 0)
			return -1;
	return 0;
}

/* One manifest.json entry into the store; *desc: its new manifest. */
static int put_image(struct load *l, const struct dk_json *e, struct dk_descriptor *desc,
		     struct dk_digest *config, struct dk_err *err)
{
	struct dk_manifest m = {.schema_version = 2};
	struct dk_image_config cfg = {0};
	const char *cpath = dk_json_get_str(e, "Config");
	char **layers = dk_json_strv(dk_json_get(e, "Layers"), "Layers", err);
	cleanup_free char *buf = NULL;
	size_t len;
	int ret = cpath && layers ? 0 : dk_err_set(err, "an entry without Config or Layers");

	m.media_type = strdup(DK_MT_OCI_MANIFEST);
	if (ret == 0)
		ret = put_config(l, cpath, &m.config, &cfg, err);
	if (ret == 0)
		ret = put_layers(l, layers, &cfg, &m, err);
	if (ret == 0)
		ret = dk_manifest_emit(&m, &buf, &len, err);
	if (ret == 0)
		ret = dk_store_put_buf(&l->store, buf, len, NULL, &desc->digest, err);
	desc->media_type = strdup(DK_MT_OCI_MANIFEST);
	desc->size = (int64_t)len;
	*config = m.config.digest;
	dk_strv_free(layers);
	dk_manifest_free(&m);
	dk_image_config_free(&cfg);
	return ret;
}

static int load_one(struct load *l, const struct dk_json *e, struct dk_err *err)
{
	struct dk_descriptor desc = {0};
	struct dk_digest config;
	struct dk_err ignored;
	char **tags;
	int ret = put_image(l, e, &desc, &config, err);

	if (ret < 0) {
		dk_descriptor_free(&desc);
		return -1;
	}
	tags = dk_json_strv(dk_json_get(e, "RepoTags"), "RepoTags", &ignored);
	for (char **t = tags; ret == 0 && t && *t; t++)
		if ((ret = load_tag(l, *t, &desc, err)) == 0)
			load_announce(l, *t, NULL);
	if (ret == 0 && (!tags || !tags[0]))
		load_announce(l, NULL, &config);
	dk_strv_free(tags);
	dk_descriptor_free(&desc);
	return ret;
}

int load_docker(struct load *l, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	struct dk_json *v;
	size_t len;
	int ret = 0;

	if (load_read_member(l, "manifest.json", &buf, &len, err) < 0 ||
	    !(v = dk_json_parse(buf, len, "manifest.json", err)))
		return -1;
	if (dk_json_type(v) != DK_JSON_ARRAY)
		ret = dk_err_set(err, "manifest.json: not an array");
	for (size_t i = 0; ret == 0 && i < dk_json_len(v); i++)
		ret = load_one(l, dk_json_at(v, i), err);
	dk_json_free(v);
	return ret < 0 ? dk_err_wrap(err, "manifest.json") : 0;
}
