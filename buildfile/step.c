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

char **bf_env_view(struct bf_build *b, struct bf_stage *st, struct dk_err *err)
{
	struct dk_image img;
	char **view;

	if (dk_store_load_image(&b->store, st->digest, NULL, &img, err) < 0)
		return NULL;
	view = dk_strv_dup(st->args);
	for (size_t i = 0; view && img.config.config.env && img.config.config.env[i]; i++)
		if (dk_strv_push(&view, img.config.config.env[i]) < 0) {
			dk_strv_free(view);
			view = NULL;
		}
	dk_image_free(&img);
	if (!view)
		return dk_err_sys(err, "expanding"), NULL;
	return view;
}

char *bf_expand(struct bf_build *b, struct bf_stage *st, const char *raw, struct dk_err *err)
{
	char **view = bf_env_view(b, st, err);
	char *out = view ? dk_df_word_esc(raw, view, b->df ? b->df->escape : '\\', err) : NULL;

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

	if (in->cmd == DK_DF_ARG && bf_arg_apply(b, &st->args, b->global_args, in, err) < 0)
		return -1;
	if (execute(b, st, stages, n_stages, in, &out, err) < 0)
		return dk_err_wrap(err, "line %d: %s", in->line, dk_df_cmd_name(in->cmd));
	snprintf(st->digest, sizeof(st->digest), "%s", out.str);
	bf_progress(b, " ---> %.19s\n", out.str);
	return 0;
}

/* --no-cache-filter names this stage (by name or index)? */
static bool no_cache_for(const struct bf_build *b, const struct bf_stage *st)
{
	char idx[24];

	snprintf(idx, sizeof(idx), "%d", st->index);
	for (size_t i = 0; b->o->no_cache_filter && b->o->no_cache_filter[i]; i++) {
		const char *p = b->o->no_cache_filter[i];

		while (*p) {
			size_t n = strcspn(p, ",");

			if ((st->name && strlen(st->name) == n && !strncasecmp(p, st->name, n)) ||
			    (strlen(idx) == n && !strncmp(p, idx, n)))
				return true;
			p += n + (p[n] == ',');
		}
	}
	return false;
}

static int cached(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		  const char *extra, struct dk_digest *key, struct dk_digest *out)
{
	bf_cache_key(st, in, extra, key);
	if ((no_cache_for(b, st) && !bf_cache_warmed(b, key)) || !bf_cache_get(b, key, out))
		return 0;
	bf_progress(b, " ---> Using cache\n");
	b->cached = true;
	if (in->cmd == DK_DF_CMD)
		st->cmd_set = true;
	st->drop_onbuild = false;
	return 1;
}

int bf_stage_image(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n,
		   const char *name, char digest[DK_DIGEST_MAX], struct dk_err *err)
{
	char *end;
	long idx = strtol(name, &end, 10);
	struct dk_image img;

	if (*name && !*end && idx >= 0 && (size_t)idx < n && &stages[idx] != st) {
		snprintf(digest, DK_DIGEST_MAX, "%s", stages[idx].digest);
		return 0;
	}
	for (size_t i = 0; i < n && &stages[i] != st; i++)
		if (stages[i].name && strcasecmp(stages[i].name, name) == 0) {
			snprintf(digest, DK_DIGEST_MAX, "%s", stages[i].digest);
			return 0;
		}
	if (bf_image_load(b, name, &img, err) < 0)
		return -1;
	snprintf(digest, DK_DIGEST_MAX, "%s", img.desc.digest.str);
	dk_image_free(&img);
	return 0;
}

static int copy_step(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		     size_t n_stages, const struct dk_df_instr *in, struct dk_digest *out,
		     struct dk_err *err)
{
	const char *from = dk_df_flag(in, "from");
	struct bf_copy *c;
	struct dk_digest key;
	char digest[DK_DIGEST_MAX];
	int ret;

	if (from && in->cmd == DK_DF_ADD)
		return dk_err_set(err, "ADD has no --from (use COPY --from)");
	if (from && bf_stage_image(b, st, stages, n_stages, from, digest, err) < 0)
		return dk_err_wrap(err, "--from");
	if (!(c = bf_copy_prepare(b, st, in, from ? digest : NULL, err)))
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

/* ARG: a history entry, no config change. */
static int arg_step(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		    struct dk_digest *out, struct dk_err *err)
{
	cleanup_free char *by = bf_nop_created_by(in);

	if (!by)
		return dk_err_sys(err, "history");
	return bf_write_image(b, st, NULL, NULL, by, out, err);
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
		ret = bf_run_step(b, st, stages, n_stages, in, out, err);
	else if (in->cmd == DK_DF_WORKDIR)
		ret = bf_workdir_step(b, st, in, out, err);
	else if (in->cmd == DK_DF_ARG)
		ret = arg_step(b, st, in, out, err);
	else
		ret = bf_config_step(b, st, in, out, err);
	if (ret == 0)
		bf_cache_put(b, &key, out);
	return ret;
}
