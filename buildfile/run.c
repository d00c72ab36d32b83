// SPDX-License-Identifier: GPL-2.0-or-later
/* run.c: RUN (and the directory WORKDIR creates): a working snapshot of the
 * stage's image (`snapshot prepare`), its runtime config from `unpack
 * config` with the command, build args and rootfs filled in, `runtime run`
 * (no network: a namespace with loopback only), then the snapshot's
 * changes as a layer. Snapshot, container and bundle go in every case. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "mount.h"
#include "runnet.h"
#include "path.h"

/* The command: exec form as is, shell form under the image's SHELL. */
static char **run_argv(struct bf_build *b, const struct bf_stage *st, const struct dk_df_instr *in,
		       struct dk_err *err)
{
	static char *const sh[] = {"/bin/sh", "-c", NULL};
	struct dk_image img;
	char **v;
	size_t n;

	if (in->json || in->heredoc_script) {
		char *script[] = {"/dev/pipes/", NULL};
		cleanup_free char *path = NULL;

		if (in->heredoc_script &&
		    asprintf(&path, "/dev/pipes/%s", in->heredocs[0].name) >= 0)
			script[0] = path;
		v = dk_strv_dup(in->heredoc_script ? script : in->args);
		return v ? v : (dk_err_sys(err, "RUN"), NULL);
	}
	if (dk_store_load_image(&b->store, st->digest, NULL, &img, err) < 0)
		return NULL;
	v = dk_strv_dup(img.config.config.shell ? img.config.config.shell : sh);
	dk_image_free(&img);
	n = dk_strv_len(v);
	char **nv = v ? realloc(v, (n + 2) * sizeof(*v)) : NULL;
	if (!nv) {
		dk_strv_free(v);
		return dk_err_sys(err, "RUN"), NULL;
	}
	nv[n] = strdup(in->args[0]);
	nv[n + 1] = NULL;
	return nv;
}

static char *joined(char *const *v)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; v[i]; i++)
		len += strlen(v[i]) + 1;
	if (!(s = calloc(1, len)))
		return NULL;
	for (size_t i = 0; v[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, v[i]);
	}
	return s;
}

static bool env_has(const struct dk_json *env, const char *kv)
{
	size_t n = strcspn(kv, "=");

	for (size_t i = 0; i < dk_json_len(env); i++) {
		const char *e = dk_json_str(dk_json_at(env, i));

		if (e && strncmp(e, kv, n) == 0 && e[n] == '=')
			return true;
	}
	return false;
}

static void emit_process(struct dk_jgen *g, const struct dk_json *proc, const struct bf_stage *st,
			 char *const *argv, char *const *extra_env)
{
	static const char *const skip[] = {"args", "env", "terminal", NULL};
	const struct dk_json *env = dk_json_get(proc, "env");

	dk_jgen_str(g, "process");
	dk_jgen_map_open(g);
	dk_jgen_members_except(g, proc, skip);
	dk_jgen_kbool(g, "terminal", false);
	dk_jgen_str(g, "args");
	dk_jgen_strv(g, argv);
	dk_jgen_str(g, "env");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < dk_json_len(env); i++)
		dk_jgen_value(g, dk_json_at(env, i));
	for (size_t i = 0; st->args && st->args[i]; i++)
		if (!env_has(env, st->args[i]))
			dk_jgen_str(g, st->args[i]);
	for (size_t i = 0; extra_env && extra_env[i]; i++)
		dk_jgen_str(g, extra_env[i]);
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
}

/* unpack config's config.json, adjusted for this RUN. */
static void emit_mounts(struct dk_jgen *g, const struct dk_json *doc, const struct bf_mounts *m)
{
	const struct dk_json *have = dk_json_get(doc, "mounts");

	dk_jgen_str(g, "mounts");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < dk_json_len(have); i++)
		dk_jgen_value(g, dk_json_at(have, i));
	for (size_t i = 0; i < m->n; i++) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "destination", m->v[i].dest);
		dk_jgen_kstr(g, "type", m->v[i].type);
		dk_jgen_kstr(g, "source", m->v[i].source);
		dk_jgen_str(g, "options");
		dk_jgen_strv(g, m->v[i].options);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
}

/* RUN --network=host: no network namespace of its own; the bridge: the
 * namespace the network tool made (netns). */
static void emit_linux(struct dk_jgen *g, const struct dk_json *lx, bool host_net,
		       const char *netns)
{
	static const char *const skip[] = {"namespaces", NULL};
	const struct dk_json *ns = dk_json_get(lx, "namespaces");

	dk_jgen_str(g, "linux");
	dk_jgen_map_open(g);
	dk_jgen_members_except(g, lx, skip);
	dk_jgen_str(g, "namespaces");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < dk_json_len(ns); i++) {
		const char *t = dk_json_get_str(dk_json_at(ns, i), "type");

		if (netns && t && !strcmp(t, "network")) {
			dk_jgen_map_open(g);
			dk_jgen_kstr(g, "type", "network");
			dk_jgen_kstr(g, "path", netns);
			dk_jgen_map_close(g);
		} else if (!(host_net && t && strcmp(t, "network") == 0)) {
			dk_jgen_value(g, dk_json_at(ns, i));
		}
	}
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
}

struct run_env {
	char *const *argv;
	const struct bf_mounts *mounts;
	bool host_net;
	const char *netns; /* the bridge network's namespace, or NULL */
};

static int bundle_config(struct bf_build *b, const struct bf_stage *st, const struct run_env *re,
			 const char *rootfs, char **out, size_t *len, struct dk_err *err)
{
	static const char *const skip[] = {"root", "process", "mounts", "linux", NULL};

	char *cmd[] = {"unpack", "--root", b->root, "config", (char *)st->digest, NULL};
	cleanup_free char *text = NULL;
	struct dk_json *doc;
	struct dk_jgen *g;
	int rc = bf_tool(cmd, -1, -1, &text, err);

	if (rc != 0)
		return rc < 0
			   ? -1
			   : dk_err_set(err, "unpack config %s failed (status %d)", st->digest, rc);
	if (!(doc = dk_json_parse(text, strlen(text), "config.json", err)))
		return -1;
	g = dk_jgen_new(false);
	dk_jgen_map_open(g);
	dk_jgen_members_except(g, doc, skip);
	dk_jgen_str(g, "root");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "path", rootfs);
	dk_jgen_kbool(g, "readonly", false);
	dk_jgen_map_close(g);
	emit_process(g, dk_json_get(doc, "process"), st, re->argv, re->mounts->env);
	emit_mounts(g, doc, re->mounts);
	emit_linux(g, dk_json_get(doc, "linux"), re->host_net, re->netns);
	dk_jgen_map_close(g);
	rc = dk_jgen_finish_dup(g, out, len, err);
	/* the working directory must exist, as docker makes it */
	const char *cwd = dk_json_get_str(dk_json_get(doc, "process"), "cwd");
	int rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rc == 0 && cwd && rfd >= 0) {
		int d = dk_path_mkdir_all(rfd, cwd, 0755, err);

		rc = d < 0 ? dk_err_wrap(err, "working directory %s", cwd) : 0;
		if (d >= 0)
			close(d);
	}
	if (rfd >= 0)
		close(rfd);
	dk_json_free(doc);
	return rc;
}

static int write_bundle(struct bf_build *b, const char *dir, const char *buf, size_t len,
			struct dk_err *err)
{
	cleanup_close int fd = -1;

	if (dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return dk_err_sys(err, "%s", dir);
	(void)b;
	return dk_write_file_at(fd, "config.json", buf, len, 0600, err);
}

/* runtime run; the command's output goes to our stderr (stdout carries
 * the result). Returns the command's status. */
static int run_container(struct bf_build *b, const char *bundle, const char *id, struct dk_err *err)
{
	cleanup_free char *state = dk_path_join(b->root, "run");
	char *run[] = {"runtime",  "--root",	   state,      "run",
		       "--bundle", (char *)bundle, (char *)id, NULL};
	char *del[] = {"runtime", "--root", state, "delete", "--force", (char *)id, NULL};
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int out = bf_run_output(b);
	int st;

	if (out < 0) /* never our stdout: it carries the result */
		out = null >= 0 ? dup(null) : -1;

	char *kill[] = {"runtime", "--root", state, "kill", (char *)id, "KILL", NULL};

	bf_on_interrupt = kill;
	st = bf_tool(run, null, out, NULL, err);
	bf_on_interrupt = NULL;
	bf_tool_silent(del); /* run removes it; not when it failed early */
	if (out >= 0)
		bf_run_output_done(b, out, st != 0);
	if (null >= 0)
		close(null);
	return st;
}

static int run_in(struct bf_build *b, struct bf_stage *st, const char *key, const char *bundle,
		  struct run_env *re, const char *netns, const char *what, struct dk_err *err)
{
	cleanup_free char *rootfs = NULL, *cfg = NULL;
	cleanup_close int rfd = -1;
	size_t len;
	int rc;

	re->netns = netns;
	if (bf_snap_prepare(b, st->digest, key, &rootfs, err) < 0 ||
	    bundle_config(b, st, re, rootfs, &cfg, &len, err) < 0 ||
	    write_bundle(b, bundle, cfg, len, err) < 0)
		return -1;
	if ((rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return dk_err_sys(err, "%s", rootfs);
	if (bf_mounts_note_stubs((struct bf_mounts *)re->mounts, rfd, err) < 0)
		return -1;
	rc = run_container(b, bundle, key, err);
	bf_mounts_remove_stubs(re->mounts, rfd);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return dk_err_set(err, "the command '%s' returned a non-zero code: %d", what, rc);
	return 0;
}

/* "|2 A=1 B=2 ": the build args in effect (not overridden by the image's
 * env), sorted, as docker prefixes a RUN's history; "" without any. */
static char *args_prefix(struct bf_build *b, const struct bf_stage *st)
{
	struct dk_image img;
	struct dk_err ignored;
	char **v = NULL, *out = NULL;
	size_t n = 0;

	if (dk_store_load_image(&b->store, st->digest, NULL, &img, &ignored) < 0)
		return NULL;
	for (size_t i = dk_strv_len(st->args); i-- > 0;) {
		size_t k = strcspn(st->args[i], "=") + 1;
		bool seen = false;

		for (size_t j = 0; v && v[j]; j++)
			seen = seen || strncmp(v[j], st->args[i], k) == 0;
		for (size_t j = 0; img.config.config.env && img.config.config.env[j]; j++)
			seen = seen || strncmp(img.config.config.env[j], st->args[i], k) == 0;
		if (!seen && dk_strv_push(&v, st->args[i]) == 0)
			n++;
	}
	dk_image_free(&img);
	if (n)
		qsort(v, n, sizeof(*v), bf_strcmp);
	cleanup_free char *list = v ? joined(v) : NULL;
	if (!n)
		out = strdup("");
	else if (asprintf(&out, "|%zu %s ", n, list ? list : "") < 0)
		out = NULL;
	dk_strv_free(v);
	return out;
}

static char *history_of(struct bf_build *b, const struct bf_stage *st, const struct dk_df_instr *in,
			char *const *argv)
{
	cleanup_free char *prefix = args_prefix(b, st), *cmd = joined(argv);
	char *by = NULL;

	if (!prefix || !cmd)
		return NULL;
	if (in->heredoc_script) {
		if (asprintf(&by, "%s%s <<%s\n%s%s", prefix, cmd, in->heredocs[0].name, in->args[0],
			     in->heredocs[0].name) < 0)
			return NULL;
		return by;
	}
	return asprintf(&by, "%s%s", prefix, cmd) < 0 ? NULL : by;
}

static int run_mounts(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		      size_t n_stages, const struct dk_df_instr *in, const char *key,
		      struct bf_mounts *m, struct dk_err *err)
{
	cleanup_free char *dest = NULL;

	if (bf_mounts_prepare(b, st, stages, n_stages, in, key, m, err) < 0)
		return -1;
	if (!in->heredoc_script)
		return 0;
	if (asprintf(&dest, "/dev/pipes/%s", in->heredocs[0].name) < 0)
		return dk_err_sys(err, "RUN");
	return bf_mounts_add_file(b, m, key, in->heredocs[0].name, in->args[0], dest, err);
}

int bf_run_step(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages, size_t n_stages,
		const struct dk_df_instr *in, struct dk_digest *out, struct dk_err *err)
{
	char key[80];
	cleanup_free char *bundle = NULL, *by = NULL, *what = NULL, *netns = NULL, *netdir = NULL;
	char **argv = run_argv(b, st, in, err);
	struct dk_new_layer layer = {0};
	struct bf_mounts m = {0};
	const char *net = bf_step_network(b, in);
	struct run_env re = {.argv = argv, .mounts = &m, .host_net = !strcmp(net, "host")};
	struct dk_err ignored;
	int ret = -1, exit_fd = -1;

	if (!argv)
		return -1;
	snprintf(key, sizeof(key), "%s-%u", b->prefix, b->seq++);
	if (!(by = history_of(b, st, in, argv)) || !(what = joined(argv)) ||
	    asprintf(&bundle, "%s/build/%s", b->root, key) < 0 ||
	    asprintf(&netdir, "%s/build/%s-net", b->root, key) < 0) {
		dk_strv_free(argv);
		return dk_err_sys(err, "RUN");
	}
	bf_progress(b, " ---> Running in %s\n", key);
	if (run_mounts(b, st, stages, n_stages, in, key, &m, err) == 0 &&
	    bf_net_up(b, net, key, netdir, &m, &netns, &exit_fd, err) == 0 &&
	    run_in(b, st, key, bundle, &re, netns, what, err) == 0 &&
	    bf_snap_layer(b, st, key, &layer, err) == 0)
		ret = bf_write_image(b, st, NULL, &layer, by, out, err);
	bf_net_down(b, net, key, exit_fd);
	dk_rm_rf_at(AT_FDCWD, netdir, &ignored);
	dk_descriptor_free(&layer.desc);
	bf_snap_remove(b, key);
	bf_mounts_release(b, &m);
	dk_rm_rf_at(AT_FDCWD, bundle, &ignored);
	dk_strv_free(argv);
	return ret;
}

/* Does dir exist in the image? A snapshot says, and makes it if not. */
int bf_workdir_step(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		    struct dk_digest *out, struct dk_err *err)
{
	struct dk_digest cfg;
	struct dk_image img;
	cleanup_free char *rootfs = NULL;
	char key[80];
	int rfd = -1, d, ret = -1;
	struct dk_new_layer layer = {0};
	char parent[sizeof(st->digest)];

	memcpy(parent, st->digest, sizeof(parent));
	if (bf_config_step(b, st, in, &cfg, err) < 0)
		return -1;
	snprintf(st->digest, sizeof(st->digest), "%s", cfg.str);
	if (dk_store_load_image(&b->store, cfg.str, NULL, &img, err) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s-%u", b->prefix, b->seq++);
	if (bf_snap_prepare(b, cfg.str, key, &rootfs, err) == 0 &&
	    (rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		const char *w = img.config.config.working_dir;

		d = dk_path_open(rfd, w, O_RDONLY | O_DIRECTORY, 0, err);
		if (d >= 0) { /* there already: the config change is all */
			close(d);
			*out = cfg;
			ret = 0;
		} else if ((d = dk_path_mkdir_all(rfd, w, 0755, err)) >= 0) {
			close(d);
			/* the layer goes under the WORKDIR history entry */
			ret = bf_snap_layer(b, st, key, &layer, err);
		}
	} else if (rootfs) {
		dk_err_sys(err, "%s", rootfs);
	}
	if (rfd >= 0)
		close(rfd);
	dk_image_free(&img);
	bf_snap_remove(b, key);
	memcpy(st->digest, parent, sizeof(parent));
	if (ret == 0 && layer.desc.media_type) {
		cleanup_free char *by = bf_nop_created_by(in);

		ret = by ? bf_write_image(b, st, in, &layer, by, out, err)
			 : dk_err_sys(err, "WORKDIR");
	}
	dk_descriptor_free(&layer.desc);
	return ret;
}
