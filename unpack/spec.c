// SPDX-License-Identifier: GPL-2.0-or-later
/* spec.c: config.json from an image config: process (Entrypoint + Cmd,
 * Env with a default PATH and HOME, WorkingDir, User), annotations from
 * ExposedPorts, Volumes, Labels, StopSignal and the image's own fields,
 * plus the defaults of spec_defaults.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "userspec.h"
#include "rtspec.h"
#include "path.h"
#include "unpack.h"

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static bool has_var(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return true;
	return false;
}

static void env(struct dk_jgen *g, const struct dk_run_config *rc, const struct dk_user *u)
{
	char home[300];

	dk_jgen_str(g, "env");
	dk_jgen_array_open(g);
	if (!has_var(rc->env, "PATH"))
		dk_jgen_str(g, DEFAULT_PATH);
	for (char **e = rc->env; e && *e; e++)
		dk_jgen_str(g, *e);
	if (!has_var(rc->env, "HOME")) {
		snprintf(home, sizeof(home), "HOME=%s", u->home);
		dk_jgen_str(g, home);
	}
	dk_jgen_array_close(g);
}

static void user(struct dk_jgen *g, const struct dk_user *u)
{
	dk_jgen_str(g, "user");
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "uid", u->uid);
	dk_jgen_kint(g, "gid", u->gid);
	if (u->n_groups) {
		dk_jgen_str(g, "additionalGids");
		dk_jgen_array_open(g);
		for (size_t i = 0; i < u->n_groups; i++)
			dk_jgen_uint(g, u->groups[i]);
		dk_jgen_array_close(g);
	}
	dk_jgen_map_close(g);
}

static void process(struct dk_jgen *g, const struct dk_run_config *rc, const struct dk_user *u)
{
	const char *wd = rc->working_dir && *rc->working_dir ? rc->working_dir : "/";
	char cwd[4096], raw[4096];

	/* cleaned, as docker does: ".." cannot walk through missing
	 * directories (the runtime also resolves cwd inside the root) */
	snprintf(raw, sizeof(raw), "%s%s", wd[0] == '/' ? "" : "/", wd);
	dk_path_clean(raw, cwd, sizeof(cwd));
	dk_jgen_str(g, "process");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "terminal", false);
	user(g, u);
	dk_jgen_str(g, "args");
	dk_jgen_array_open(g);
	for (char **a = rc->entrypoint; a && *a; a++)
		dk_jgen_str(g, *a);
	for (char **a = rc->cmd; a && *a; a++)
		dk_jgen_str(g, *a);
	dk_jgen_array_close(g);
	env(g, rc, u);
	dk_jgen_kstr(g, "cwd", cwd);
	dk_rtspec_caps(g);
	dk_rtspec_rlimits(g);
	dk_jgen_map_close(g);
}

/* "a,b,c" annotation from a vector, when not empty. */
static void joined(struct dk_jgen *g, const char *key, char *const *v)
{
	size_t n = 0;
	char *s;

	if (!v || !*v)
		return;
	for (char *const *p = v; *p; p++)
		n += strlen(*p) + 1;
	s = calloc(1, n + 1);
	if (!s)
		return;
	for (char *const *p = v; *p; p++) {
		if (p != v)
			strcat(s, ",");
		strcat(s, *p);
	}
	dk_jgen_kstr(g, key, s);
	free(s);
}

#define ANNOT "org.opencontainers.image."

static void annotations(struct dk_jgen *g, const struct dk_image *img)
{
	const struct dk_image_config *c = &img->config;
	const struct dk_run_config *rc = &c->config;
	const char *fields[][2] = {
	    {ANNOT "os", c->os},
	    {ANNOT "architecture", c->architecture},
	    {ANNOT "author", c->author},
	    {ANNOT "created", c->created},
	    {ANNOT "stopSignal", rc->stop_signal},
	    {ANNOT "ref.name", img->name},
	};

	dk_jgen_str(g, "annotations");
	dk_jgen_map_open(g);
	for (char **l = rc->labels; l && l[0] && l[1]; l += 2)
		dk_jgen_kstr(g, l[0], l[1]);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i][1] && *fields[i][1])
			dk_jgen_kstr(g, fields[i][0], fields[i][1]);
	joined(g, ANNOT "exposedPorts", rc->exposed_ports);
	joined(g, ANNOT "volumes", rc->volumes);
	dk_jgen_kstr(g, ANNOT "manifest.digest", img->desc.digest.str);
	dk_jgen_kstr(g, ANNOT "config.digest", img->config_digest.str);
	dk_jgen_map_close(g);
}

int unpack_spec(const struct dk_image *img, const struct dk_user *u, const struct unpack_opts *o,
		char **json, size_t *len, struct dk_err *err)
{
	const struct dk_run_config *rc = &img->config.config;
	struct dk_jgen *g = dk_jgen_new(true);

	if (!g)
		return dk_err_sys(err, "generating config.json");
	if (dk_strv_len(rc->entrypoint) + dk_strv_len(rc->cmd) == 0)
		fprintf(stderr,
			"%s: warning: the image has no Entrypoint or Cmd; "
			"process.args is empty\n",
			dk_tool_name);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ociVersion", "1.0.2");
	process(g, rc, u);
	dk_jgen_str(g, "root");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "path", "rootfs");
	dk_jgen_kbool(g, "readonly", false);
	dk_jgen_map_close(g);
	dk_jgen_kstr(g, "hostname", "dk");
	dk_rtspec_mounts(g, o->rootless, false);
	dk_rtspec_linux(g, &(struct dk_rtspec_ids){.rootless = o->rootless,
						   .uid_map = o->uid_map,
						   .gid_map = o->gid_map,
						   .n_uid_map = o->n_uid_map,
						   .n_gid_map = o->n_gid_map});
	annotations(g, img);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, json, len, err) < 0)
		return dk_err_wrap(err, "generating config.json");
	return 0;
}
