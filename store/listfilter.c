// SPDX-License-Identifier: GPL-2.0-or-later
/* listfilter.c: docker images' --filter (dangling, reference, label,
 * before, since) and its REPOSITORY[:TAG] operand, for `store list`. The
 * store keeps no untagged image, so nothing is dangling. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filterspec.h"
#include "json.h"
#include "oci.h"
#include "store-cmds.h"

static int bool_value(const char *key, const char *v, int *out, struct dk_err *err)
{
	if (!strcmp(v, "true") || !strcmp(v, "1"))
		return *out = 1, 0;
	if (!strcmp(v, "false") || !strcmp(v, "0"))
		return *out = 0, 0;
	return dk_err_set(err, "invalid filter '%s=%s': want true or false", key, v);
}

int store_filter_add(struct store_filter *f, const char *spec, struct dk_err *err)
{
	static const char *const keys[] = {"dangling", "reference", "label",
					   "before",   "since",	    NULL};
	const char *v;

	switch (dk_filter_parse(spec, keys, &v, err)) {
	case 0: return bool_value(keys[0], v, &f->dangling, err);
	case 1: return dk_strv_push(&f->refs, v) < 0 ? dk_err_sys(err, "filter") : 0;
	case 2: return dk_strv_push(&f->labels, v) < 0 ? dk_err_sys(err, "filter") : 0;
	case 3: return f->before = v, 0;
	case 4: return f->since = v, 0;
	default: return -1;
	}
}

static int created_of(struct dk_store *s, const char *name, time_t *t, struct dk_err *err)
{
	struct dk_image img;

	if (dk_store_load_image(s, name, NULL, &img, err) < 0)
		return dk_err_set(err, "No such image: %s", name);
	*t = store_created_time(img.config.created);
	dk_image_free(&img);
	return 0;
}

int store_filter_resolve(struct store_filter *f, struct dk_store *s, struct dk_err *err)
{
	if (f->before && created_of(s, f->before, &f->before_t, err) < 0)
		return -1;
	if (f->since && created_of(s, f->since, &f->since_t, err) < 0)
		return -1;
	return 0;
}

/* docker's reference match: the pattern against "repo:tag" and, without
 * a tag in the pattern, against the repository alone ('*' stops at '/'). */
static bool ref_match(const char *pattern, const char *repo, const char *tag)
{
	char full[512];

	snprintf(full, sizeof(full), "%s:%s", repo, tag);
	if (fnmatch(pattern, full, FNM_PATHNAME) == 0)
		return true;
	return !strchr(pattern, ':') && fnmatch(pattern, repo, FNM_PATHNAME) == 0;
}

static bool label_match(const char *want, char *const *labels)
{
	size_t n = strcspn(want, "=");
	char key[256];
	const char *v;

	snprintf(key, sizeof(key), "%.*s", (int)n, want);
	v = dk_kv_get(labels, key);
	return v && (!want[n] || !strcmp(v, want + n + 1));
}

bool store_filter_match(const struct store_filter *f, const char *repo, const char *tag,
			const struct dk_image *img)
{
	time_t t = store_created_time(img->config.created);
	bool any_ref = !f->refs;

	if (f->dangling == 1)
		return false; /* every image here has a name */
	for (char **r = f->refs; r && *r && !any_ref; r++)
		any_ref = ref_match(*r, repo, tag);
	if (!any_ref)
		return false;
	for (char **l = f->labels; l && *l; l++)
		if (!label_match(*l, img->config.config.labels))
			return false;
	if (f->before && !(t < f->before_t))
		return false;
	return !f->since || t > f->since_t;
}

void store_filter_free(struct store_filter *f)
{
	dk_strv_free(f->refs);
	dk_strv_free(f->labels);
	f->refs = f->labels = NULL;
}
