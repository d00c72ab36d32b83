// SPDX-License-Identifier: GPL-2.0-or-later
/* manifest.c: OCI image manifest / Docker schema2 manifest: parse, emit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oci.h"
#include "kv.h"

static int parse_layers(const struct dk_json *arr, struct dk_manifest *m, struct dk_err *err)
{
	size_t len = dk_json_len(arr);

	if (dk_json_type(arr) != DK_JSON_ARRAY)
		return dk_err_set(err, "layers is missing or not an array");
	m->layers = calloc(len + 1, sizeof(*m->layers));
	if (!m->layers)
		return dk_err_sys(err, "layers");
	for (size_t i = 0; i < len; i++) {
		char name[32];

		snprintf(name, sizeof(name), "layers[%zu]", i);
		if (dk_descriptor_parse(dk_json_at(arr, i), &m->layers[i], name, err) < 0)
			return -1;
		m->n_layers = i + 1;
	}
	return 0;
}

static int parse_manifest_doc(const struct dk_json *doc, struct dk_manifest *m, struct dk_err *err)
{
	int64_t sv = 0;

	switch (dk_doc_kind_of(doc)) {
	case DK_DOC_MANIFEST: break;
	case DK_DOC_SCHEMA1:
		return dk_err_set(
		    err,
		    "Docker schema1 manifests are not supported (deprecated); push the image again with a current client");
	case DK_DOC_INDEX: return dk_err_set(err, "an image index, not a manifest");
	default: return dk_err_set(err, "not an image manifest");
	}
	if (dk_json_int64(dk_json_get(doc, "schemaVersion"), &sv) < 0 || sv != 2)
		return dk_err_set(err, "schemaVersion must be 2");
	m->schema_version = 2;
	if (dk_json_get_str(doc, "mediaType"))
		m->media_type = strdup(dk_json_get_str(doc, "mediaType"));
	if (dk_descriptor_parse(dk_json_get(doc, "config"), &m->config, "config", err) < 0)
		return -1;
	m->annotations = dk_kv_from_json(dk_json_get(doc, "annotations"), "annotations", err);
	if (!m->annotations)
		return -1;
	return parse_layers(dk_json_get(doc, "layers"), m, err);
}

int dk_manifest_parse(const char *buf, size_t len, struct dk_manifest *out, struct dk_err *err)
{
	struct dk_json *doc = dk_json_parse(buf, len, "image manifest", err);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!doc)
		return -1;
	ret = parse_manifest_doc(doc, out, err);
	dk_json_free(doc);
	if (ret < 0) {
		dk_manifest_free(out);
		dk_err_wrap(err, "image manifest");
	}
	return ret;
}

int dk_manifest_emit(const struct dk_manifest *m, char **buf, size_t *len, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(false);

	if (!g)
		return dk_err_sys(err, "generating manifest");
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "schemaVersion", 2);
	if (m->media_type)
		dk_jgen_kstr(g, "mediaType", m->media_type);
	dk_jgen_str(g, "config");
	dk_descriptor_emit(g, &m->config);
	dk_jgen_str(g, "layers");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < m->n_layers; i++)
		dk_descriptor_emit(g, &m->layers[i]);
	dk_jgen_array_close(g);
	if (m->annotations && m->annotations[0]) {
		dk_jgen_str(g, "annotations");
		dk_jgen_kv(g, m->annotations);
	}
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, buf, len, err);
}

void dk_manifest_free(struct dk_manifest *m)
{
	dk_descriptor_free(&m->config);
	for (size_t i = 0; m->layers && i < m->n_layers; i++)
		dk_descriptor_free(&m->layers[i]);
	free(m->layers);
	free(m->media_type);
	dk_strv_free(m->annotations);
	memset(m, 0, sizeof(*m));
}
