// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect.c: fetch inspect REF: a remote image described as JSON (like
 * skopeo inspect), or with --raw the manifest as the registry sent it, or
 * with --config the image config of the chosen platform. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "kv.h"
#include "pull.h"
#include "remote.h"

struct target {
	struct fx_doc top, image;	/* image: the platform's manifest */
	struct dk_manifest m;
	char *config;
	size_t config_len;
	struct dk_image_config cfg;
};

/* From the top document down to the image manifest for the platform. */
static int pick_image(struct fx_client *c, const struct dk_ref *r,
		      const struct fx_opts *o, struct target *t,
		      struct dk_err *err)
{
	struct dk_index idx;
	struct dk_platform want = { 0 };
	const struct dk_descriptor *d;
	int ret;

	if (t->top.kind != DK_DOC_INDEX) {
		t->image = t->top;
		t->image.buf = malloc(t->top.len + 1);
		t->image.media_type = strdup(t->top.media_type);
		if (!t->image.buf || !t->image.media_type)
			return dk_err_sys(err, "inspect");
		memcpy(t->image.buf, t->top.buf, t->top.len);
		return 0;
	}
	if (dk_index_parse(t->top.buf, t->top.len, &idx, err) < 0)
		return -1;
	if (o->platform && dk_platform_parse(o->platform, &want, err) < 0) {
		dk_index_free(&idx);
		return -1;
	}
	d = dk_index_pick(&idx, o->platform ? &want : NULL, err);
	ret = d ? fx_get_manifest(c, r, d->digest.str, &t->image, err) : -1;
	dk_platform_free(&want);
	dk_index_free(&idx);
	return ret;
}

static int load_config(struct fx_client *c, const struct dk_ref *r,
		       struct target *t, struct dk_err *err)
{
	if (t->image.kind != DK_DOC_MANIFEST)
		return dk_err_set(err, "%s is not an image manifest", t->image.digest.str);
	if (dk_manifest_parse(t->image.buf, t->image.len, &t->m, err) < 0)
		return -1;
	if (fx_get_blob(c, r, &t->m.config.digest, &t->config, &t->config_len, err) < 0)
		return -1;
	if (!t->config)
		return dk_err_set(err, "config %s: empty", t->m.config.digest.str);
	return dk_image_config_parse(t->config, t->config_len, &t->cfg, err);
}

static void kstr_opt(struct dk_jgen *g, const char *k, const char *v)
{
	if (v)
		dk_jgen_kstr(g, k, v);
}

static int print_summary(const struct dk_ref *r, const struct target *t,
			 struct dk_err *err)
{
	char name[DK_REF_STR_MAX];
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *out = NULL;
	size_t len;

	dk_ref_format_name(r, name, sizeof(name));
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "Name", name);
	kstr_opt(g, "Tag", r->tag[0] ? r->tag : NULL);
	dk_jgen_kstr(g, "Digest", t->top.digest.str);
	dk_jgen_kstr(g, "MediaType", t->top.media_type);
	kstr_opt(g, "Created", t->cfg.created);
	kstr_opt(g, "Architecture", t->cfg.architecture);
	kstr_opt(g, "Os", t->cfg.os);
	kstr_opt(g, "Variant", t->cfg.variant);
	dk_jgen_str(g, "Layers");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < t->m.n_layers; i++)
		dk_jgen_str(g, t->m.layers[i].digest.str);
	dk_jgen_array_close(g);
	dk_jgen_str(g, "LayersData");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < t->m.n_layers; i++) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "MIMEType", t->m.layers[i].media_type);
		dk_jgen_kstr(g, "Digest", t->m.layers[i].digest.str);
		dk_jgen_kint(g, "Size", t->m.layers[i].size);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	dk_jgen_str(g, "Env");
	dk_jgen_strv(g, t->cfg.config.env);
	dk_jgen_str(g, "Labels");
	dk_jgen_kv(g, t->cfg.config.labels);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &out, &len, err) < 0)
		return -1;
	printf("%s\n", out);
	return 0;
}

static void target_free(struct target *t)
{
	fx_doc_free(&t->top);
	fx_doc_free(&t->image);
	dk_manifest_free(&t->m);
	dk_image_config_free(&t->cfg);
	free(t->config);
}

static int run(struct fx_client *c, const struct dk_ref *r,
	       const struct fx_opts *o, bool raw, bool config,
	       struct target *t, struct dk_err *err)
{
	if (fx_get_manifest(c, r, r->digest[0] ? r->digest : r->tag, &t->top, err) < 0)
		return -1;
	if (raw) {
		fwrite(t->top.buf, 1, t->top.len, stdout);
		return 0;
	}
	if (pick_image(c, r, o, t, err) < 0 || load_config(c, r, t, err) < 0)
		return -1;
	if (config) {
		fwrite(t->config, 1, t->config_len, stdout);
		putchar('\n');
		return 0;
	}
	return print_summary(r, t, err);
}

int fx_inspect(const struct fx_opts *o, const char *ref, bool raw,
	       bool config, struct dk_err *err)
{
	struct dk_ref r;
	struct target t = { 0 };
	struct fx_client *c;
	char name[DK_REF_STR_MAX];
	int ret = -1;

	if (dk_ref_parse(ref, &r, err) < 0)
		return -1;
	dk_ref_format(&r, name, sizeof(name));
	c = fx_client_new(r.domain, o, err);
	if (c)
		ret = run(c, &r, o, raw, config, &t, err);
	target_free(&t);
	fx_client_free(c);
	return ret < 0 ? dk_err_wrap(err, "inspecting %s", name) : 0;
}
