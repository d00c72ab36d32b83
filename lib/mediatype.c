// SPDX-License-Identifier: GPL-2.0-or-later
/* mediatype.c: OCI and Docker media types, and telling documents apart. */
#include <string.h>
#include "oci.h"

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

enum dk_doc_kind dk_doc_kind(const char *mt)
{
	if (eq(mt, DK_MT_OCI_INDEX) || eq(mt, DK_MT_DOCKER_LIST))
		return DK_DOC_INDEX;
	if (eq(mt, DK_MT_OCI_MANIFEST) || eq(mt, DK_MT_DOCKER_MANIFEST))
		return DK_DOC_MANIFEST;
	if (eq(mt, DK_MT_DOCKER_SCHEMA1) || eq(mt, DK_MT_DOCKER_SCHEMA1_SIGNED))
		return DK_DOC_SCHEMA1;
	return DK_DOC_UNKNOWN;
}

bool dk_mt_is_nondistributable(const char *mt)
{
	return mt && (strstr(mt, ".nondistributable.") || eq(mt, DK_MT_DOCKER_LAYER_FOREIGN));
}

enum dk_compression dk_mt_compression(const char *mt)
{
	if (!mt)
		return DK_COMP_UNKNOWN;
	if (eq(mt, DK_MT_DOCKER_LAYER) || eq(mt, DK_MT_DOCKER_LAYER_FOREIGN))
		return DK_COMP_GZIP;
	size_t n = strlen(mt);
	if (n > 5 && strcmp(mt + n - 5, "+gzip") == 0)
		return DK_COMP_GZIP;
	if (n > 5 && strcmp(mt + n - 5, "+zstd") == 0)
		return DK_COMP_ZSTD;
	if (n > 4 && strcmp(mt + n - 4, ".tar") == 0)
		return DK_COMP_NONE;
	return DK_COMP_UNKNOWN;
}

bool dk_mt_is_layer(const char *mt)
{
	return mt && (strncmp(mt, "application/vnd.oci.image.layer.", 32) == 0 ||
		      strncmp(mt, "application/vnd.docker.image.rootfs.", 36) == 0);
}

enum dk_doc_kind dk_doc_kind_of(const struct dk_json *doc)
{
	enum dk_doc_kind k = dk_doc_kind(dk_json_get_str(doc, "mediaType"));
	int64_t sv = 0;

	if (k != DK_DOC_UNKNOWN)
		return k;
	if (dk_json_int64(dk_json_get(doc, "schemaVersion"), &sv) == 0 && sv == 1)
		return DK_DOC_SCHEMA1;
	if (dk_json_get(doc, "manifests"))
		return DK_DOC_INDEX;
	if (dk_json_get(doc, "config") && dk_json_get(doc, "layers"))
		return DK_DOC_MANIFEST;
	return DK_DOC_UNKNOWN;
}

enum dk_doc_kind dk_doc_sniff(const char *buf, size_t len, struct dk_err *err)
{
	struct dk_json *doc = dk_json_parse(buf, len, "manifest", err);
	enum dk_doc_kind k;

	if (!doc)
		return DK_DOC_UNKNOWN;
	k = dk_doc_kind_of(doc);
	dk_json_free(doc);
	if (k == DK_DOC_UNKNOWN)
		dk_err_set(err, "manifest: neither an image index nor a manifest");
	return k;
}
