// SPDX-License-Identifier: GPL-2.0-or-later
/* descriptor.c: OCI content descriptors: parse, emit, copy, free. */
#include <stdlib.h>
#include <string.h>
#include "oci.h"
#include "kv.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int parse_platform(const struct dk_json *v, struct dk_descriptor *d, const char *what,
			  struct dk_err *err)
{
	if (!v)
		return 0;
	if (dk_json_type(v) != DK_JSON_OBJECT)
		return dk_err_set(err, "%s: platform is not an object", what);
	d->platform = calloc(1, sizeof(*d->platform));
	if (!d->platform)
		return dk_err_sys(err, "%s", what);
	d->platform->os = dup_or_null(dk_json_get_str(v, "os"));
	d->platform->architecture = dup_or_null(dk_json_get_str(v, "architecture"));
	d->platform->variant = dup_or_null(dk_json_get_str(v, "variant"));
	d->platform->os_version = dup_or_null(dk_json_get_str(v, "os.version"));
	return 0;
}

int dk_descriptor_parse(const struct dk_json *v, struct dk_descriptor *d, const char *what,
			struct dk_err *err)
{
	const char *digest = dk_json_get_str(v, "digest");

	memset(d, 0, sizeof(*d));
	if (dk_json_type(v) != DK_JSON_OBJECT)
		return dk_err_set(err, "%s: descriptor is not an object", what);
	if (!digest)
		return dk_err_set(err, "%s: descriptor without digest", what);
	if (dk_digest_parse(digest, &d->digest, err) < 0)
		return dk_err_wrap(err, "%s", what);
	if (dk_json_int64(dk_json_get(v, "size"), &d->size) < 0 || d->size < 0)
		return dk_err_set(err, "%s: descriptor %s: missing or invalid size", what, digest);
	d->media_type = dup_or_null(dk_json_get_str(v, "mediaType"));
	d->artifact_type = dup_or_null(dk_json_get_str(v, "artifactType"));
	d->annotations = dk_kv_from_json(dk_json_get(v, "annotations"), what, err);
	if (!d->annotations)
		goto fail;
	d->urls = dk_json_strv(dk_json_get(v, "urls"), what, err);
	if (!d->urls)
		goto fail;
	if (parse_platform(dk_json_get(v, "platform"), d, what, err) < 0)
		goto fail;
	return 0;
fail:
	dk_descriptor_free(d);
	return -1;
}

static void emit_platform(struct dk_jgen *g, const struct dk_platform *p)
{
	dk_jgen_str(g, "platform");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "architecture", p->architecture ? p->architecture : "");
	dk_jgen_kstr(g, "os", p->os ? p->os : "");
	if (p->os_version)
		dk_jgen_kstr(g, "os.version", p->os_version);
	if (p->variant)
		dk_jgen_kstr(g, "variant", p->variant);
	dk_jgen_map_close(g);
}

void dk_descriptor_emit(struct dk_jgen *g, const struct dk_descriptor *d)
{
	dk_jgen_map_open(g);
	if (d->media_type)
		dk_jgen_kstr(g, "mediaType", d->media_type);
	if (d->artifact_type)
		dk_jgen_kstr(g, "artifactType", d->artifact_type);
	dk_jgen_kstr(g, "digest", d->digest.str);
	dk_jgen_kint(g, "size", d->size);
	if (d->urls && d->urls[0]) {
		dk_jgen_str(g, "urls");
		dk_jgen_strv(g, d->urls);
	}
	if (d->annotations && d->annotations[0]) {
		dk_jgen_str(g, "annotations");
		dk_jgen_kv(g, d->annotations);
	}
	if (d->platform)
		emit_platform(g, d->platform);
	dk_jgen_map_close(g);
}

void dk_platform_free(struct dk_platform *p)
{
	if (!p)
		return;
	free(p->os);
	free(p->architecture);
	free(p->variant);
	free(p->os_version);
	memset(p, 0, sizeof(*p));
}

void dk_descriptor_free(struct dk_descriptor *d)
{
	free(d->media_type);
	free(d->artifact_type);
	dk_strv_free(d->annotations);
	dk_strv_free(d->urls);
	if (d->platform) {
		dk_platform_free(d->platform);
		free(d->platform);
	}
	memset(d, 0, sizeof(*d));
}

int dk_descriptor_copy(struct dk_descriptor *dst, const struct dk_descriptor *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->digest = src->digest;
	dst->size = src->size;
	dst->media_type = dup_or_null(src->media_type);
	dst->artifact_type = dup_or_null(src->artifact_type);
	dst->annotations = dk_strv_dup(src->annotations ? src->annotations : (char *[]){NULL});
	dst->urls = dk_strv_dup(src->urls ? src->urls : (char *[]){NULL});
	if (src->platform) {
		dst->platform = calloc(1, sizeof(*dst->platform));
		if (!dst->platform)
			goto fail;
		dst->platform->os = dup_or_null(src->platform->os);
		dst->platform->architecture = dup_or_null(src->platform->architecture);
		dst->platform->variant = dup_or_null(src->platform->variant);
		dst->platform->os_version = dup_or_null(src->platform->os_version);
	}
	if (!dst->annotations || !dst->urls || (src->media_type && !dst->media_type))
		goto fail;
	return 0;
fail:
	dk_descriptor_free(dst);
	return -1;
}

const char *dk_descriptor_annotation(const struct dk_descriptor *d, const char *key)
{
	return dk_kv_get(d->annotations, key);
}

int dk_descriptor_annotate(struct dk_descriptor *d, const char *key, const char *value)
{
	return dk_kv_set(&d->annotations, key, value);
}
