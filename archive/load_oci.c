// SPDX-License-Identifier: GPL-2.0-or-later
/* load_oci.c: an archive that is an OCI image layout (docker save since
 * v25, podman and skopeo oci-archive): every blob index.json reaches is
 * copied into the store, verified; names come from docker's manifest.json
 * (RepoTags), else containerd's io.containerd.image.name, else a ref.name
 * that is a whole reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "json.h"
#include "load.h"

/* blobs/ALG/HEX of the archive into the store, checked against d. */
static int import_blob(struct load *l, const struct dk_digest *d, struct dk_err *err)
{
	char name[200];
	int fd, ret;

	if (dk_store_has_blob(&l->store, d))
		return 0;
	snprintf(name, sizeof(name), "blobs/%s/%s", dk_digest_alg_name(d->alg), dk_digest_hex(d));
	fd = load_open_member(l, name, err);
	if (fd < 0)
		return -1;
	ret = dk_store_put_fd(&l->store, fd, d, NULL, NULL, err);
	close(fd);
	return ret < 0 ? dk_err_wrap(err, "blob %s", d->str) : 0;
}

static int import_blob_json(struct load *l, const struct dk_digest *d, char **buf, size_t *len,
			    struct dk_err *err)
{
	if (import_blob(l, d, err) < 0)
		return -1;
	return dk_store_read_blob(&l->store, d, 8 << 20, buf, len, err);
}

static int import_manifest(struct load *l, const struct dk_digest *d, struct dk_digest *config,
			   struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	struct dk_manifest m;
	size_t len;
	int ret;

	if (import_blob_json(l, d, &buf, &len, err) < 0 || dk_manifest_parse(buf, len, &m, err) < 0)
		return dk_err_wrap(err, "manifest %s", d->str);
	ret = import_blob(l, &m.config.digest, err);
	for (size_t i = 0; ret == 0 && i < m.n_layers; i++)
		ret = import_blob(l, &m.layers[i].digest, err);
	*config = m.config.digest;
	dk_manifest_free(&m);
	return ret;
}

/* An index: every manifest it lists that the archive holds (a save of
 * one platform keeps only that one); at least one must be there. */
static int import_index(struct load *l, const struct dk_digest *d, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	struct dk_index idx;
	struct dk_digest config;
	size_t len, got = 0;
	int ret = 0;

	if (import_blob_json(l, d, &buf, &len, err) < 0 || dk_index_parse(buf, len, &idx, err) < 0)
		return dk_err_wrap(err, "index %s", d->str);
	for (size_t i = 0; ret == 0 && i < idx.n_manifests; i++) {
		char name[200];
		const struct dk_digest *m = &idx.manifests[i].digest;
		snprintf(name, sizeof(name), "blobs/%s/%s", dk_digest_alg_name(m->alg),
			 dk_digest_hex(m));
		if (!load_has_member(l, name))
			continue;
		ret = import_manifest(l, m, &config, err);
		got++;
	}
	dk_index_free(&idx);
	if (ret == 0 && !got)
		ret = dk_err_set(err, "index %s: none of its manifests is in the archive", d->str);
	return ret;
}

/* docker's RepoTags for the image whose Config is blobs/ALG/HEX. */
static char **repo_tags(const struct dk_json *docker, const struct dk_digest *config)
{
	char path[200];

	snprintf(path, sizeof(path), "blobs/%s/%s", dk_digest_alg_name(config->alg),
		 dk_digest_hex(config));
	for (size_t i = 0; docker && i < dk_json_len(docker); i++) {
		const struct dk_json *e = dk_json_at(docker, i);
		const char *c = dk_json_get_str(e, "Config");
		struct dk_err ignored;
		if (c && !strcmp(c, path))
			return dk_json_strv(dk_json_get(e, "RepoTags"), "RepoTags", &ignored);
	}
	return NULL;
}

/* The names an index.json entry gives its image. */
static char **entry_names(const struct dk_descriptor *d, const struct dk_json *docker,
			  const struct dk_digest *config)
{
	char **names = config ? repo_tags(docker, config) : NULL;
	const char *a = dk_descriptor_annotation(d, "io.containerd.image.name");
	const char *r = dk_descriptor_annotation(d, DK_ANNOT_REF_NAME);

	if (names && names[0])
		return names;
	dk_strv_free(names);
	names = NULL;
	if (a)
		dk_strv_push(&names, a);
	else if (r && strpbrk(r, ":/")) /* "latest" alone names no repository */
		dk_strv_push(&names, r);
	return names;
}

static int load_entry(struct load *l, const struct dk_descriptor *d, const struct dk_json *docker,
		      struct dk_err *err)
{
	struct dk_digest config;
	bool is_index = dk_doc_kind(d->media_type) == DK_DOC_INDEX;
	char **names;
	int ret = is_index ? import_index(l, &d->digest, err)
			   : import_manifest(l, &d->digest, &config, err);

	if (ret < 0)
		return -1;
	names = entry_names(d, docker, is_index ? NULL : &config);
	for (char **n = names; ret == 0 && n && *n; n++)
		if ((ret = load_tag(l, *n, d, err)) == 0)
			load_announce(l, *n, NULL);
	if (ret == 0 && (!names || !names[0]))
		load_announce(l, NULL, is_index ? &d->digest : &config);
	dk_strv_free(names);
	return ret;
}

int load_oci(struct load *l, struct dk_err *err)
{
	cleanup_free char *buf = NULL, *dbuf = NULL;
	struct dk_json *docker = NULL;
	struct dk_index idx;
	size_t len;
	int ret = 0;

	if (load_read_member(l, "index.json", &buf, &len, err) < 0 ||
	    dk_index_parse(buf, len, &idx, err) < 0)
		return dk_err_wrap(err, "index.json");
	if (load_has_member(l, "manifest.json")) {
		if (load_read_member(l, "manifest.json", &dbuf, &len, err) < 0 ||
		    !(docker = dk_json_parse(dbuf, len, "manifest.json", err)))
			ret = -1;
	}
	for (size_t i = 0; ret == 0 && i < idx.n_manifests; i++)
		ret = load_entry(l, &idx.manifests[i], docker, err);
	dk_json_free(docker);
	dk_index_free(&idx);
	return ret;
}
