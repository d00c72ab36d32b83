// SPDX-License-Identifier: GPL-2.0-or-later
/* step.c: one Dockerfile instruction of a stage: the layer cache around
 * it, the config-only instructions (a new image with an empty_layer
 * history entry), ARG and SHELL state, and the dispatch to RUN, COPY/ADD
 * and WORKDIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "build.h"
#include "cleanup.h"

char *bf_expand(struct bf_build *b, struct bf_stage *st, const char *raw, struct dk_err *err)
{
	struct dk_image img;
	char **view;
	char *out;

	if (dk_store_load_image(&b->store, st->digest, NULL, &img, err) < 0)
		return NULL;
	view = dk_strv_dup(st->args);
	for (size_t i = 0; view && img.config.config.env && img.config.config.env[i]; i++) {
		char **nv = realloc(view, (dk_strv_len(view) + 2) * sizeof(*nv));

		if (!nv)
			break;
		view = nv;
		size_t n = dk_strv_len(view);
		view[n] = strdup(img.config.config.env[i]);
		view[n + 1] = NULL;
	}
	dk_image_free(&img);
	if (!view)
		return dk_err_sys(err, "expanding"), NULL;
	out = dk_df_word(raw, view, err);
	dk_strv_free(view);
	return out;
}

static void now_string(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (sde && *sde)
		t = (time_t)strtoll(sde, NULL, 10);
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int bf_write_image(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *apply,
		   const struct dk_new_layer *layer, const char *created_by, struct dk_digest *out,
		   struct dk_err *err)
{
	struct dk_image img;
	struct dk_descriptor d;
	char when[32];
	int ret;

	if (dk_store_load_image(&b->store, st->digest, NULL, &img, err) < 0)
		return -1;
	dk_strv_free(img.manifest.annotations); /* they were the base's */
	img.manifest.annotations = NULL;
	if (st->drop_onbuild) {
		dk_strv_free(img.config.config.onbuild);
		img.config.config.onbuild = NULL;
	}
	ret = 0;
	if (apply && apply->cmd == DK_DF_MAINTAINER) {
		free(img.config.author);
		img.config.author = strdup(apply->args[0]);
		ret = img.config.author ? 0 : dk_err_sys(err, "MAINTAINER");
	} else if (apply) {
		struct dk_df_state ds = {.cmd_set = st->cmd_set, .args = st->args};

		ret = dk_df_apply(apply, &img.config.config, &ds, err);
		st->cmd_set = ds.cmd_set;
	}
	now_string(when, sizeof(when));
	struct dk_history h = {.created = when, .created_by = (char *)created_by};
	if (ret == 0)
		ret = dk_image_write(&b->store, &img, layer, &h, &d, err);
	dk_image_free(&img);
	if (ret < 0)
		return -1;
	st->drop_onbuild = false;
	*out = d.digest;
	dk_descriptor_free(&d);
	return 0;
}

char *bf_nop_created_by(const struct dk_df_instr *in)
{
	char *by = NULL;

	if (asprintf(&by, "/bin/sh -c #(nop) %s%s",
		     in->cmd == DK_DF_WORKDIR || in->cmd == DK_DF_COPY || in->cmd == DK_DF_ADD
			 ? ""
			 : " ",
		     in->text) < 0)
		return NULL;
	return by;
}

int bf_config_step(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		   struct dk_digest *out, struct dk_err *err)
{
	cleanup_free char *by = bf_nop_created_by(in);

	if (!by)
		return dk_err_sys(err, "history");
	return bf_write_image(b, st, in, NULL, by, out, err);
}

static int execute(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		   size_t n_stages, const struct dk_df_instr *in, struct dk_digest *out,
		   struct dk_err *err);

int bf_step(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n_stages,
	    const struct dk_df_instr *in, struct dk_err *err)
{
	struct dk_digest out;

	if (in->cmd == DK_DF_ARG)
		return bf_arg_apply(b, &st->args, b->global_args, in, err);
	if (execute(b, st, stages, n_stages, in, &out, err) < 0)
		return dk_err_wrap(err, "line %d: %s", in->line, dk_df_cmd_name(in->cmd));
	snprintf(st->digest, sizeof(st->digest), "%s", out.str);
	bf_progress(b, " ---> %.19s\n", out.str);
	return 0;
}

static int cached(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		  const char *extra, struct dk_digest *key, struct dk_digest *out)
{
	bf_cache_key(st, in, extra, key);
	if (!bf_cache_get(b, key, out))
		return 0;
	bf_progress(b, " ---> Using cache\n");
	if (in->cmd == DK_DF_CMD)
		st->cmd_set = true;
	st->drop_onbuild = false;
	return 1;
}

static const char *copy_from(const struct dk_df_instr *in)
{
	for (size_t i = 0; in->flags && in->flags[i]; i += 2)
		if (strcmp(in->flags[i], "from") == 0)
			return in->flags[i + 1];
	return NULL;
}

/* COPY --from=NAME: an earlier stage (by name or index), else an image. */
static const char *from_image(struct bf_stage *st, struct bf_stage *stages, size_t n,
			      const char *name)
{
	char *end;
	long idx = strtol(name, &end, 10);

	if (*name && !*end && idx >= 0 && (size_t)idx < n && &stages[idx] != st)
		return stages[idx].digest;
	for (size_t i = 0; i < n && &stages[i] != st; i++)
		if (stages[i].name && strcasecmp(stages[i].name, name) == 0)
			return stages[i].digest;
	return name;
}

static int copy_step(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		     size_t n_stages, const struct dk_df_instr *in, struct dk_digest *out,
		     struct dk_err *err)
{
	const char *from = copy_from(in);
	const char *src = from ? from_image(st, stages, n_stages, from) : NULL;
	struct bf_copy *c;
	struct dk_digest key;
	struct dk_image img;
	char digest[DK_DIGEST_MAX];
	int ret;

	if (from && in->cmd == DK_DF_ADD)
		return dk_err_set(err, "ADD has no --from (use COPY --from)");
	if (src && src == from) { /* an image: by digest, for the cache */
		if (dk_store_load_image(&b->store, from, NULL, &img, err) < 0)
			return dk_err_wrap(err, "--from");
		snprintf(digest, sizeof(digest), "%s", img.desc.digest.str);
		dk_image_free(&img);
		src = digest;
	}
	if (!(c = bf_copy_prepare(b, st, in, src, err)))
		return -1;
	if (cached(b, st, in, bf_copy_digest(c), &key, out)) {
		bf_copy_free(c);
		return 0;
	}
	ret = bf_copy_run(b, st, c, in, out, err);
	bf_copy_free(c);
	if (ret == 0)
		bf_cache_put(b, &key, out);
	return ret;
}

static int execute(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		   size_t n_stages, const struct dk_df_instr *in, struct dk_digest *out,
		   struct dk_err *err)
{
	struct dk_digest key;
	int ret;

	if (in->cmd == DK_DF_COPY || in->cmd == DK_DF_ADD)
		return copy_step(b, st, stages, n_stages, in, out, err);
	if (in->cmd == DK_DF_FROM)
		return dk_err_set(err, "FROM inside a stage");
	if (cached(b, st, in, NULL, &key, out))
		return 0;
	if (in->cmd == DK_DF_RUN)
		ret = bf_run_step(b, st, in, out, err);
	else if (in->cmd == DK_DF_WORKDIR)
		ret = bf_workdir_step(b, st, in, out, err);
	else
		ret = bf_config_step(b, st, in, out, err);
	if (ret == 0)
		bf_cache_put(b, &key, out);
	return ret;
}
