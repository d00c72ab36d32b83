// SPDX-License-Identifier: GPL-2.0-or-later
/* imgarchive.c: writing images as docker's save format (an OCI layout
 * plus manifest.json); see imgarchive.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "imgarchive.h"
#include "ref.h"
#include "json.h"

int dk_archive_image_name(struct dk_archive_image *a, const char *ref_text)
{
	struct dk_ref ref;
	struct dk_err ignored;
	char buf[1024];

	if (dk_ref_is_image_id(ref_text) || !strncmp(ref_text, "sha256:", 7) ||
	    strchr(ref_text, '@') || dk_ref_parse(ref_text, &ref, &ignored) < 0 || !ref.tag[0])
		return 0;
	free(a->full_name);
	free(a->repo_tag);
	free(a->ref_name);
	dk_ref_format(&ref, buf, sizeof(buf));
	a->full_name = strdup(buf);
	dk_ref_format_familiar(&ref, buf, sizeof(buf));
	a->repo_tag = strdup(buf);
	a->ref_name = strdup(ref.tag);
	return a->full_name && a->repo_tag && a->ref_name ? 0 : -1;
}

int dk_archive_image_load(struct dk_store *s, const char *what, struct dk_archive_image *a,
			  struct dk_err *err)
{
	memset(a, 0, sizeof(*a));
	if (dk_store_load_image(s, what, NULL, &a->img, err) < 0)
		return -1;
	if (dk_archive_image_name(a, what) < 0) {
		dk_archive_image_free(a);
		return dk_err_sys(err, "%s", what);
	}
	return 0;
}

void dk_archive_image_free(struct dk_archive_image *a)
{
	dk_image_free(&a->img);
	free(a->full_name);
	free(a->repo_tag);
	free(a->ref_name);
	memset(a, 0, sizeof(*a));
}

static int put_bytes(struct dk_tar_writer *w, const char *name, const char *buf, size_t len,
		     int64_t mtime, struct dk_err *err)
{
	struct dk_tar_entry e = {
	    .name = name, .type = DK_TAR_REG, .mode = 0644, .size = (int64_t)len, .mtime = mtime};

	if (dk_tar_write_header(w, &e, err) < 0)
		return -1;
	return dk_tar_write_data(w, buf, len, err);
}

static int put_dir(struct dk_tar_writer *w, const char *name, int64_t mtime, struct dk_err *err)
{
	struct dk_tar_entry e = {.name = name, .type = DK_TAR_DIR, .mode = 0755, .mtime = mtime};

	return dk_tar_write_header(w, &e, err);
}

/* blobs/sha256/HEX, once per archive (done: the digests written). */
static int put_blob(struct dk_store *s, struct dk_tar_writer *w, const struct dk_digest *d,
		    char ***done, int64_t mtime, struct dk_err *err)
{
	cleanup_free char *path = NULL;
	char name[160];
	struct stat sb;
	cleanup_close int fd = -1;

	if (dk_strv_contains(*done, d->str))
		return 0;
	path = dk_store_blob_path(s, d);
	fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0 || fstat(fd, &sb) < 0)
		return dk_err_sys(err, "blob %s", d->str);
	snprintf(name, sizeof(name), "blobs/sha256/%s", dk_digest_hex(d));
	struct dk_tar_entry e = {
	    .name = name, .type = DK_TAR_REG, .mode = 0644, .size = sb.st_size, .mtime = mtime};
	if (dk_tar_write_file(w, &e, fd, err) < 0)
		return -1;
	return dk_strv_push(done, d->str) < 0 ? dk_err_sys(err, "blob %s", d->str) : 0;
}

static int put_image_blobs(struct dk_store *s, struct dk_tar_writer *w, const struct dk_image *img,
			   char ***done, int64_t mtime, struct dk_err *err)
{
	int ret = put_blob(s, w, &img->desc.digest, done, mtime, err);

	if (ret == 0)
		ret = put_blob(s, w, &img->manifest.config.digest, done, mtime, err);
	for (size_t i = 0; ret == 0 && i < img->manifest.n_layers; i++)
		ret = put_blob(s, w, &img->manifest.layers[i].digest, done, mtime, err);
	return ret;
}

static void blob_path(struct dk_jgen *g, const struct dk_digest *d)
{
	char name[160];

	snprintf(name, sizeof(name), "blobs/sha256/%s", dk_digest_hex(d));
	dk_jgen_str(g, name);
}

/* docker's manifest.json: [{"Config", "RepoTags", "Layers"}, ...]. */
static void docker_manifest(struct dk_jgen *g, const struct dk_archive_image *v, size_t n)
{
	dk_jgen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		const struct dk_manifest *m = &v[i].img.manifest;
		dk_jgen_map_open(g);
		dk_jgen_str(g, "Config");
		blob_path(g, &m->config.digest);
		dk_jgen_str(g, "RepoTags");
		dk_jgen_array_open(g);
		if (v[i].repo_tag)
			dk_jgen_str(g, v[i].repo_tag);
		dk_jgen_array_close(g);
		dk_jgen_str(g, "Layers");
		dk_jgen_array_open(g);
		for (size_t l = 0; l < m->n_layers; l++)
			blob_path(g, &m->layers[l].digest);
		dk_jgen_array_close(g);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

/* index.json: each manifest, named as containerd and docker name them. */
static void oci_index(struct dk_jgen *g, const struct dk_archive_image *v, size_t n)
{
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "schemaVersion", 2);
	dk_jgen_kstr(g, "mediaType", DK_MT_OCI_INDEX);
	dk_jgen_str(g, "manifests");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		const struct dk_descriptor *d = &v[i].img.desc;
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "mediaType", d->media_type ? d->media_type : DK_MT_OCI_MANIFEST);
		dk_jgen_kstr(g, "digest", d->digest.str);
		dk_jgen_kint(g, "size", d->size);
		if (v[i].full_name) {
			dk_jgen_str(g, "annotations");
			dk_jgen_map_open(g);
			dk_jgen_kstr(g, "io.containerd.image.name", v[i].full_name);
			dk_jgen_kstr(g, DK_ANNOT_REF_NAME, v[i].ref_name);
			dk_jgen_map_close(g);
		}
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
}

static int put_json(struct dk_tar_writer *w, const char *name, struct dk_jgen *g, int64_t mtime,
		    struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int ret = dk_jgen_finish_dup(g, &buf, &len, err); /* frees g */

	return ret < 0 ? -1 : put_bytes(w, name, buf, len, mtime, err);
}

int dk_archive_write(struct dk_store *s, struct dk_tar_writer *w, const struct dk_archive_image *v,
		     size_t n, int64_t mtime, struct dk_err *err)
{
	static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	char **done = calloc(1, sizeof(*done));
	struct dk_jgen *g;
	int ret = done ? 0 : dk_err_sys(err, "archive");

	if (ret == 0)
		ret = put_dir(w, "blobs", mtime, err) < 0 ||
			      put_dir(w, "blobs/sha256", mtime, err) < 0
			  ? -1
			  : 0;
	for (size_t i = 0; ret == 0 && i < n; i++)
		ret = put_image_blobs(s, w, &v[i].img, &done, mtime, err);
	dk_strv_free(done);
	if (ret == 0)
		ret = put_bytes(w, "oci-layout", layout, sizeof(layout) - 1, mtime, err);
	if (ret == 0 && (g = dk_jgen_new(false))) {
		oci_index(g, v, n);
		ret = put_json(w, "index.json", g, mtime, err);
	}
	if (ret == 0 && (g = dk_jgen_new(false))) {
		docker_manifest(g, v, n);
		ret = put_json(w, "manifest.json", g, mtime, err);
	}
	return ret;
}
