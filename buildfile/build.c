// SPDX-License-Identifier: GPL-2.0-or-later
/* build.c: a whole build: read and parse the Dockerfile (nothing runs
 * before it parsed), check its shape, then each stage from FROM (with its
 * base's ONBUILD triggers) through its instructions; tag the last stage's
 * (or --target's) image. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"
#include "ref.h"

int bf_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The value of NAME in a "K=V" vector (the last one), or NULL. */
static const char *lookup(char *const *v, const char *name, size_t n)
{
	const char *found = NULL;

	for (size_t i = 0; v && v[i]; i++)
		if (strncmp(v[i], name, n) == 0 && v[i][n] == '=')
			found = v[i] + n + 1;
	return found;
}

/* --build-arg NAME=V, or NAME alone: from our environment. */
static const char *build_arg(struct bf_build *b, const char *name, size_t n)
{
	char *const *v = b->o->build_args;

	for (size_t i = 0; v && v[i]; i++) {
		if (strncmp(v[i], name, n) != 0)
			continue;
		if (v[i][n] == '=')
			return v[i] + n + 1;
		if (v[i][n] == '\0') {
			char env[256];

			snprintf(env, sizeof(env), "%.*s", (int)n, name);
			return getenv(env);
		}
	}
	return NULL;
}

static int set_arg(char ***args, const char *name, size_t n, const char *val)
{
	cleanup_free char *kv = NULL;

	if (asprintf(&kv, "%.*s=%s", (int)n, name, val) < 0)
		return -1;
	return dk_strv_push(args, kv);
}

int bf_arg_apply(struct bf_build *b, char ***args, char *const *global,
		 const struct dk_df_instr *in, struct dk_err *err)
{
	for (size_t i = 0; in->args[i]; i++) {
		const char *w = in->args[i], *eq = strchr(w, '=');
		size_t n = eq ? (size_t)(eq - w) : strlen(w);
		const char *val = build_arg(b, w, n);
		cleanup_free char *def = NULL;

		if (n == 0)
			return dk_err_set(err, "line %d: ARG: empty name", in->line);
		if (val && dk_strv_push(&b->used_args, w) < 0)
			return dk_err_sys(err, "ARG");
		if (!val && eq) {
			if (!(def = dk_df_word(eq + 1, *args, err)))
				return dk_err_wrap(err, "line %d: ARG", in->line);
			val = def;
		}
		if (!val && global != *args)
			val = lookup(global, w, n);
		if (val && set_arg(args, w, n, val) < 0)
			return dk_err_sys(err, "ARG");
	}
	return 0;
}

/* --target names a stage ("FROM x AS NAME")? */
static bool has_stage(const struct dk_df_instr *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].cmd == DK_DF_FROM && dk_strv_len(v[i].args) == 3 &&
		    strcasecmp(v[i].args[2], name) == 0)
			return true;
	return false;
}

/* The automatic platform ARGs (BUILDPLATFORM, TARGETOS, ...): dk builds
 * for the host's platform only. */
static int platform_args(struct bf_build *b, struct dk_err *err)
{
	static const char *const kinds[] = {"BUILD", "TARGET"};
	struct dk_platform p;
	char plat[128];

	dk_platform_host(&p);
	dk_platform_format(&p, plat, sizeof(plat));
	for (size_t i = 0; i < 2; i++) {
		char kv[4][192];

		snprintf(kv[0], sizeof(kv[0]), "%sPLATFORM=%s", kinds[i], plat);
		snprintf(kv[1], sizeof(kv[1]), "%sOS=%s", kinds[i], p.os);
		snprintf(kv[2], sizeof(kv[2]), "%sARCH=%s", kinds[i], p.architecture);
		snprintf(kv[3], sizeof(kv[3]), "%sVARIANT=%s", kinds[i],
			 p.variant ? p.variant : "");
		for (size_t k = 0; k < 4; k++)
			if (dk_strv_push(&b->global_args, kv[k]) < 0)
				return dk_err_sys(err, "platform args");
	}
	return 0;
}

/* FROM --platform=P: only the host's platform is built. */
static int check_platform(struct bf_build *b, const struct dk_df_instr *in, struct dk_err *err)
{
	const char *flag = dk_df_flag(in, "platform");
	cleanup_free char *want = NULL;
	struct dk_platform host, p;
	char h[128];

	if (!flag)
		return 0;
	if (!(want = dk_df_word_esc(flag, b->global_args, in->escape, err)))
		return -1;
	dk_platform_host(&host);
	dk_platform_format(&host, h, sizeof(h));
	if (dk_platform_parse(want, &p, err) < 0)
		return dk_err_wrap(err, "--platform=%s", want);
	bool ok = dk_platform_match(&host, &p);
	dk_platform_free(&p);
	if (!ok)
		return dk_err_set(err, "--platform=%s: not supported by dk (it builds for %s only)",
				  want, h);
	return 0;
}

/* FROM IMAGE [AS NAME]: the base's manifest digest into st. */
static int from_base(struct bf_build *b, struct bf_stage *stages, size_t n, struct bf_stage *st,
		     const struct dk_df_instr *in, struct dk_err *err)
{
	cleanup_free char *image = dk_df_word(in->args[0], b->global_args, err);
	struct dk_image img;
	struct dk_descriptor d;

	if (!image || check_platform(b, in, err) < 0)
		return -1;
	if (in->args[1] && (strcasecmp(in->args[1], "AS") || !in->args[2] || in->args[3]))
		return dk_err_set(err, "want FROM IMAGE [AS NAME]");
	if (in->args[1] && !(st->name = strdup(in->args[2])))
		return dk_err_sys(err, "FROM");
	for (size_t i = 0; i < n; i++)
		if (stages[i].name && strcasecmp(stages[i].name, image) == 0) {
			snprintf(st->digest, sizeof(st->digest), "%s", stages[i].digest);
			return 0;
		}
	if (strcmp(image, "scratch") == 0) {
		if (dk_image_write_scratch(&b->store, &d, err) < 0)
			return -1;
		snprintf(st->digest, sizeof(st->digest), "%s", d.digest.str);
		dk_descriptor_free(&d);
		return 0;
	}
	if (bf_image_load(b, image, &img, err) < 0)
		return -1;
	snprintf(st->digest, sizeof(st->digest), "%s", img.desc.digest.str);
	dk_image_free(&img);
	return 0;
}

/* The base's ONBUILD triggers run right after FROM. */
static int onbuild(struct bf_build *b, struct bf_stage *stages, size_t n, struct bf_stage *st,
		   int line, struct dk_err *err)
{
	struct dk_image img;
	char **triggers;
	int ret = 0;

	if (dk_store_load_image(&b->store, st->digest, NULL, &img, err) < 0)
		return -1;
	triggers = dk_strv_dup(img.config.config.onbuild);
	dk_image_free(&img);
	if (!triggers)
		return dk_err_sys(err, "ONBUILD");
	for (size_t i = 0; ret == 0 && triggers[i]; i++) {
		struct dk_df_instr in;

		bf_progress(b, "# Executing ONBUILD trigger: %s\n", triggers[i]);
		st->drop_onbuild = true;
		if (dk_df_parse_line(triggers[i], line, &in, err) < 0)
			ret = dk_err_wrap(err, "ONBUILD trigger");
		else {
			ret = bf_step(b, st, stages, n, &in, err);
			dk_df_instr_free(&in);
		}
	}
	dk_strv_free(triggers);
	return ret;
}

static int check_shape(const struct dk_df_instr *v, size_t n, const char *file, struct dk_err *err)
{
	size_t i = 0;

	if (n == 0)
		return dk_err_set(err, "%s: the Dockerfile is empty (no instructions)", file);
	while (i < n && v[i].cmd == DK_DF_ARG)
		i++;
	if (i == n)
		return dk_err_set(err, "%s: no FROM instruction", file);
	if (v[i].cmd != DK_DF_FROM)
		return dk_err_set(
		    err, "%s: line %d: %s before the first FROM (only ARG may come before it)",
		    file, v[i].line, dk_df_cmd_name(v[i].cmd));
	return 0;
}

static size_t count_from(const struct dk_df_instr *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += v[i].cmd == DK_DF_FROM;
	return k;
}

/* FROM: a new stage on its base, whose ONBUILD triggers run. */
int bf_from_step(struct bf_build *b, struct bf_stage *stages, size_t *n_stages,
		 struct bf_stage **stp, const struct dk_df_instr *in, struct dk_err *err)
{
	struct bf_stage *st = &stages[(*n_stages)++];

	*stp = st;
	st->index = (int)(*n_stages - 1);
	if (from_base(b, stages, *n_stages - 1, st, in, err) < 0 ||
	    onbuild(b, stages, *n_stages, st, in->line, err) < 0)
		return dk_err_wrap(err, "line %d: FROM", in->line);
	bf_progress(b, " ---> %.19s\n", st->digest);
	return 0;
}

/* The index of the last stage built: the --target stage, else the last. */
static size_t last_stage(const struct dk_df_instr *v, size_t n, const char *target)
{
	size_t k = 0, last = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].cmd != DK_DF_FROM)
			continue;
		last = k++;
		if (target && v[i].args[1] && v[i].args[2] && !strcasecmp(v[i].args[2], target))
			return last;
	}
	return last;
}

/* Run the stages; *last gets the index of the final one built. */
static int run_stages(struct bf_build *b, const struct dk_df_instr *v, size_t n,
		      struct bf_stage *stages, size_t *n_stages, struct dk_err *err)
{
	struct bf_stage *st = NULL;
	size_t i = 0;

	for (; i < n && v[i].cmd == DK_DF_ARG; i++) {
		bf_step_begin(b, i + 1, n, v[i].text);
		int r = bf_arg_apply(b, &b->global_args, b->global_args, &v[i], err);
		bf_step_end(b, r == 0);
		if (r < 0)
			return -1;
	}
	bf_warm_stages(b, v, i, n, last_stage(v, n, b->o->target));
	for (; i < n; i++) {
		if (bf_interrupted)
			return dk_err_set(err, "interrupted (signal %d)", (int)bf_interrupted);
		if (v[i].cmd == DK_DF_FROM && st && b->o->target && st->name &&
		    strcasecmp(st->name, b->o->target) == 0)
			return 0;
		bf_step_begin(b, i + 1, n, v[i].text);
		int r = v[i].cmd == DK_DF_FROM ? bf_from_step(b, stages, n_stages, &st, &v[i], err)
					       : bf_step(b, st, stages, *n_stages, &v[i], err);
		bf_step_end(b, r == 0);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* The tag names this descriptor already: index.json stays as it is. */
static bool tagged_already(struct bf_build *b, const char *name, const struct dk_descriptor *d)
{
	struct dk_descriptor have;
	struct dk_err ignored;
	bool same;

	if (dk_store_resolve(&b->store, name, &have, &ignored) < 0)
		return false;
	same = !strcmp(have.digest.str, d->digest.str) && have.size == d->size &&
	       !have.platform == !d->platform &&
	       (!d->platform || dk_platform_match(have.platform, d->platform));
	dk_descriptor_free(&have);
	return same;
}

static int tag_all(struct bf_build *b, const char *digest, struct dk_err *err)
{
	struct dk_image img;
	cleanup_free char *buf = NULL;
	size_t len;
	int ret = 0;

	if (dk_store_load_image(&b->store, digest, NULL, &img, err) < 0)
		return -1;
	/* a full descriptor (media type, size), as umoci and skopeo want */
	if (dk_store_read_blob(&b->store, &img.desc.digest, 8 << 20, &buf, &len, err) < 0) {
		dk_image_free(&img);
		return -1;
	}
	img.desc.size = (int64_t)len;
	free(img.desc.media_type);
	img.desc.media_type =
	    strdup(img.manifest.media_type ? img.manifest.media_type : DK_MT_OCI_MANIFEST);
	struct dk_platform p = {
	    .os = img.config.os,
	    .architecture = img.config.architecture,
	    .variant = img.config.variant,
	};
	if (p.os && p.architecture)
		img.desc.platform = &p;
	for (size_t i = 0; ret == 0 && b->o->tags && b->o->tags[i]; i++) {
		struct dk_ref ref;
		char full[DK_REF_STR_MAX];

		if (dk_ref_parse(b->o->tags[i], &ref, err) < 0)
			ret = dk_err_wrap(err, "-t %s", b->o->tags[i]);
		else {
			dk_ref_format(&ref, full, sizeof(full));
			ret = tagged_already(b, full, &img.desc)
				  ? 0
				  : dk_store_tag(&b->store, full, &img.desc, err);
			if (ret == 0)
				bf_progress(b, "Successfully tagged %s\n", full);
		}
	}
	img.desc.platform = NULL;
	dk_image_free(&img);
	return ret;
}

static int read_dockerfile(const struct bf_opts *o, struct dk_df_file *df, char **file,
			   struct dk_err *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	bool in = o->file && strcmp(o->file, "-") == 0;

	*file = o->file ? strdup(in ? "standard input" : o->file)
			: dk_path_join(o->context, "Dockerfile");
	if (!*file)
		return dk_err_sys(err, "Dockerfile");
	if ((in ? dk_read_fd(STDIN_FILENO, 1 << 22, &text, &len, err)
		: dk_read_file_at(AT_FDCWD, *file, 1 << 22, &text, &len, err)) < 0)
		return dk_err_wrap(err, "Dockerfile");
	if (memchr(text, '\0', len))
		return dk_err_set(err, "%s: not a text file", *file);
	if (dk_df_parse_file(text, df, err) < 0)
		return dk_err_wrap(err, "%s", *file);
	return 0;
}

static void warn_unused_args(struct bf_build *b)
{
	char *const *v = b->o->build_args;

	for (size_t i = 0; v && v[i]; i++) {
		size_t n = strcspn(v[i], "=");
		bool used = false;

		for (size_t j = 0; b->used_args && b->used_args[j]; j++)
			used = used || (strncmp(b->used_args[j], v[i], n) == 0 &&
					(b->used_args[j][n] == '=' || !b->used_args[j][n]));
		if (!used)
			fprintf(
			    stderr,
			    "buildfile: warning: build arg %.*s was not consumed (no ARG declares it)\n",
			    (int)n, v[i]);
	}
}

/* 'v' with ' as '\'': one literal word */
static char *quoted(const char *v)
{
	size_t n = 3;
	char *q, *p;

	for (const char *s = v; *s; s++)
		n += *s == '\'' ? 4 : 1;
	if (!(q = p = malloc(n)))
		return NULL;
	*p++ = '\'';
	for (; *v; v++) {
		if (*v == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *v;
		}
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

/* --label K=V: one LABEL step on the final stage. */
static int add_labels(struct bf_build *b, struct bf_stage *stages, size_t n, struct dk_err *err)
{
	cleanup_free char *text = strdup("LABEL");
	struct dk_df_instr in;
	int ret;

	for (size_t i = 0; text && b->o->labels[i]; i++) {
		const char *kv = b->o->labels[i], *eq = strchr(kv, '=');
		cleanup_free char *k = strndup(kv, eq - kv);
		cleanup_free char *qk = k ? quoted(k) : NULL, *qv = quoted(eq + 1);
		char *t = NULL;

		if (!qk || !qv || asprintf(&t, "%s %s=%s", text, qk, qv) < 0) {
			t = NULL;
		}
		free(text);
		text = t;
	}
	if (!text)
		return dk_err_sys(err, "--label");
	if (dk_df_parse_line(text, 0, &in, err) < 0)
		return dk_err_wrap(err, "--label");
	bf_step_begin(b, 0, 0, text);
	ret = bf_step(b, &stages[n - 1], stages, n, &in, err);
	bf_step_end(b, ret == 0);
	dk_df_instr_free(&in);
	return ret;
}

/* Tags, --iidfile, -o, the digest on stdout (unless -o wrote there). */
static int finish(struct bf_build *b, const char *digest, struct dk_err *err)
{
	const struct bf_output *o = &b->o->output;
	char line[DK_DIGEST_MAX + 2];

	if (tag_all(b, digest, err) < 0)
		return -1;
	if (b->o->iidfile) {
		snprintf(line, sizeof(line), "%s", digest);
		if (dk_write_file_at(AT_FDCWD, b->o->iidfile, line, strlen(line), 0644, err) < 0)
			return dk_err_wrap(err, "--iidfile");
	}
	if (o->type != BF_OUT_NONE && bf_output_write(b, digest, err) < 0)
		return -1;
	if (bf_publish(b, digest, err) < 0)
		return -1;
	warn_unused_args(b);
	if (!(o->type != BF_OUT_NONE && !strcmp(o->dest, "-")))
		printf("%s\n", digest);
	return 0;
}

static int build(struct bf_build *b, const struct dk_df_instr *v, size_t n, struct dk_err *err)
{
	size_t n_stages = 0, k = count_from(v, n);
	struct bf_stage *stages = calloc(k ? k : 1, sizeof(*stages));
	int ret;

	if (!stages)
		return dk_err_sys(err, "build");
	ret = run_stages(b, v, n, stages, &n_stages, err);
	if (ret == 0 && n_stages == 0)
		ret = dk_err_set(err, "no stage was built");
	if (ret == 0 && b->o->labels)
		ret = add_labels(b, stages, n_stages, err);
	if (ret == 0)
		ret = finish(b, stages[n_stages - 1].digest, err);
	for (size_t i = 0; i < n_stages; i++) {
		free(stages[i].name);
		dk_strv_free(stages[i].args);
	}
	free(stages);
	return ret;
}

static int open_context(const char *dir, struct dk_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "context %s", dir);
	return fd;
}

int bf_run_build(const struct bf_opts *o, struct dk_err *err)
{
	struct bf_build b = {.o = o, .ctxfd = -1, .warm_fd = -1, .cache_lock = -1};
	struct dk_df_file df = {0};
	cleanup_free char *file = NULL;
	int ret = -1;

	snprintf(b.prefix, sizeof(b.prefix), "dk-build-%d", (int)getpid());
	if ((b.ctxfd = open_context(o->context, err)) < 0 ||
	    read_dockerfile(o, &df, &file, err) < 0 || check_shape(df.v, df.n, file, err) < 0)
		goto out;
	if (bf_check(df.v, df.n, err) < 0) {
		dk_err_wrap(err, "%s", file);
		goto out;
	}
	b.df = &df;
	if (o->target && !has_stage(df.v, df.n, o->target)) {
		dk_err_set(err, "--target %s: no stage of that name in %s", o->target, file);
		goto out;
	}
	if (o->print) {
		if (platform_args(&b, err) == 0)
			ret = bf_plan_print(&b, &df, file, err);
		goto out;
	}
	if (bf_ignore_load(b.ctxfd, &b.ignore, err) < 0)
		goto out;
	if (!(b.root = dk_default_root(o->root))) {
		dk_err_sys(err, "dk root");
		goto out;
	}
	if (dk_mkdir_p(b.root, 0755, err) < 0 ||
	    (b.cache_lock = bf_cache_lock_shared(b.root, err)) < 0 ||
	    dk_store_open_default(&b.store, o->root, true, err) < 0)
		goto out;
	if (platform_args(&b, err) < 0) {
		dk_store_close(&b.store);
		goto out;
	}
	if (bf_ssh_agents_start(&b, err) == 0)
		ret = build(&b, df.v, df.n, err);
	bf_ssh_agents_stop(&b);
	dk_store_close(&b.store);
out:
	dk_df_file_free(&df);
	bf_ignore_free(b.ignore);
	dk_strv_free(b.used_args);
	dk_strv_free(b.warm_keys);
	dk_strv_free(b.global_args);
	free(b.root);
	if (b.ctxfd >= 0)
		close(b.ctxfd);
	if (b.cache_lock >= 0)
		close(b.cache_lock);
	return ret;
}
