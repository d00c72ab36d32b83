// SPDX-License-Identifier: GPL-2.0-or-later
/* index.c: OCI image index / Docker manifest list (and index.json):
 * parse, emit, and choosing a platform's manifest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oci.h"
#include "kv.h"

static int parse_descriptors(const struct dk_json *arr, const char *what,
			     struct dk_descriptor **out, size_t *n, struct dk_err *err)
{
	size_t len = dk_json_len(arr);

	*n = 0;
	*out = NULL;
	if (arr && dk_json_type(arr) != DK_JSON_ARRAY)
		return dk_err_set(err, "%s is not an array", what);
	*out = calloc(len + 1, sizeof(**out));
	if (!*out)
		return dk_err_sys(err, "%s", what);
	for (size_t i = 0; i < len; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s[%zu]", what, i);
		if (dk_descriptor_parse(dk_json_at(arr, i), &(*out)[i], name, err) < 0)
			return -1;
		*n = i + 1;
	}
	return 0;
}

int dk_index_parse(const char *buf, size_t len, struct dk_index *out, struct dk_err *err)
{
	struct dk_json *doc = dk_json_parse(buf, len, "image index", err);
	int64_t sv = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!doc)
		return -1;
	if (dk_json_type(doc) != DK_JSON_OBJECT) {
		dk_err_set(err, "image index: not a JSON object");
		goto out;
	}
	if (dk_json_int64(dk_json_get(doc, "schemaVersion"), &sv) < 0 || sv != 2) {
		dk_err_set(err, "image index: schemaVersion must be 2");
		goto out;
	}
	out->schema_version = (int)sv;
	if (dk_json_get_str(doc, "mediaType"))
		out->media_type = strdup(dk_json_get_str(doc, "mediaType"));
	out->annotations =
	    dk_kv_from_json(dk_json_get(doc, "annotations"), "image index annotations", err);
	if (!out->annotations)
		goto out;
	ret = parse_descriptors(dk_json_get(doc, "manifests"), "manifests", &out->manifests,
				&out->n_manifests, err);
	if (ret < 0)
		dk_err_wrap(err, "image index");
out:
	dk_json_free(doc);
	if (ret < 0)
		dk_index_free(out);
	return ret;
}

int dk_index_emit(const struct dk_index *idx, char **buf, size_t *len, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(false);

	if (!g)
		return dk_err_sys(err, "generating image index");
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "schemaVersion", 2);
	if (idx->media_type)
		dk_jgen_kstr(g, "mediaType", idx->media_type);
	dk_jgen_str(g, "manifests");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < idx->n_manifests; i++)
		dk_descriptor_emit(g, &idx->manifests[i]);
	dk_jgen_array_close(g);
	if (idx->annotations && idx->annotations[0]) {
		dk_jgen_str(g, "annotations");
		dk_jgen_kv(g, idx->annotations);
	}
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, buf, len, err);
}

void dk_index_free(struct dk_index *idx)
{
	for (size_t i = 0; idx->manifests && i < idx->n_manifests; i++)
		dk_descriptor_free(&idx->manifests[i]);
	free(idx->manifests);
	free(idx->media_type);
	dk_strv_free(idx->annotations);
	memset(idx, 0, sizeof(*idx));
}

const struct dk_descriptor *dk_index_pick(const struct dk_index *idx,
					  const struct dk_platform *want, struct dk_err *err)
{
	struct dk_platform host;
	char have[1024] = "", one[128];
	size_t off = 0;

	if (!want) {
		dk_platform_host(&host);
		want = &host;
	}
	for (size_t i = 0; i < idx->n_manifests; i++)
		if (dk_platform_match(idx->manifests[i].platform, want))
			return &idx->manifests[i];
	for (size_t i = 0; i < idx->n_manifests && off < sizeof(have); i++) {
		if (!idx->manifests[i].platform)
			continue;
		dk_platform_format(idx->manifests[i].platform, one, sizeof(one));
		off += snprintf(have + off, sizeof(have) - off, "%s%s", off ? ", " : "", one);
	}
	dk_platform_format(want, one, sizeof(one));
	dk_err_set(err, "no manifest for platform %s (available: %s)", one,
		   have[0] ? have : "none");
	return NULL;
}
