// SPDX-License-Identifier: GPL-2.0-or-later
/* spec.c: the runtime config.json of a container, straight from the
 * image config in the store and the run options: nothing is extracted;
 * a user name is looked up in the prepared rootfs's /etc/passwd only when
 * the user is given by name. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "json.h"
#include "rtspec.h"
#include "userspec.h"
#include "container.h"

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

char **ctr_args(const struct dk_image *img, const struct ctr_run *r)
{
	const struct dk_run_config *rc = &img->config.config;
	char **v = calloc(1, sizeof(*v));
	char *const *ep = rc->entrypoint, *const *cmd = r->args;

	if (!v)
		return NULL;
	if (r->has_entrypoint)
		ep = r->o.entrypoint && *r->o.entrypoint ? (char *const[]){r->o.entrypoint, NULL}
							 : NULL;
	/* docker: --entrypoint drops the image's Cmd; no COMMAND keeps it */
	if (!cmd || !*cmd)
		cmd = r->has_entrypoint ? NULL : rc->cmd;
	for (; ep && *ep; ep++)
		if (dk_strv_push(&v, *ep) < 0)
			goto fail;
	for (; cmd && *cmd; cmd++)
		if (dk_strv_push(&v, *cmd) < 0)
			goto fail;
	return v;
fail:
	dk_strv_free(v);
	return NULL;
}

static bool has_var(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return true;
	return false;
}

static void env(struct dk_jgen *g, const struct dk_image *img, const struct ctr_run *r)
{
	char *const *ie = img->config.config.env;

	dk_jgen_str(g, "env");
	dk_jgen_array_open(g);
	if (!has_var(ie, "PATH") && !has_var(r->o.env, "PATH"))
		dk_jgen_str(g, DEFAULT_PATH);
	for (char *const *e = ie; e && *e; e++)
		dk_jgen_str(g, *e);
	/* the runtime keeps the last of a repeated variable */
	for (char *const *e = r->o.env; e && *e; e++)
		dk_jgen_str(g, *e);
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

static void process(struct dk_jgen *g, const struct dk_image *img, const struct ctr_run *r,
		    char *const *args, const struct dk_user *u)
{
	const char *wd = r->o.workdir ? r->o.workdir : img->config.config.working_dir;
	char cwd[4096];

	if (!wd || !*wd)
		wd = "/";
	snprintf(cwd, sizeof(cwd), "%s%s", wd[0] == '/' ? "" : "/", wd);
	dk_jgen_str(g, "process");
	dk_jgen_map_open(g);
	dk_jgen_kbool(g, "terminal", r->o.tty);
	user(g, u);
	dk_jgen_str(g, "args");
	dk_jgen_strv(g, args);
	env(g, img, r);
	dk_jgen_kstr(g, "cwd", cwd);
	ctr_spec_caps(g, &r->o.hc);
	ctr_spec_rlimits(g, &r->o.hc);
	if (r->o.hc.no_new_privs)
		dk_jgen_kbool(g, "noNewPrivileges", true);
	if (r->o.hc.oom_score_adj)
		dk_jgen_kint(g, "oomScoreAdj", r->o.hc.oom_score_adj);
	dk_jgen_map_close(g);
}

static void annotations(struct dk_jgen *g, const struct dk_image *img, const struct ctr_run *r)
{
	const char *sig = r->o.stop_signal ? r->o.stop_signal : img->config.config.stop_signal;

	dk_jgen_str(g, "annotations");
	dk_jgen_map_open(g);
	if (sig && *sig)
		dk_jgen_kstr(g, "org.opencontainers.image.stopSignal", sig);
	if (img->name)
		dk_jgen_kstr(g, "org.opencontainers.image.ref.name", img->name);
	dk_jgen_kstr(g, "org.opencontainers.image.manifest.digest", img->desc.digest.str);
	for (char **kv = r->o.hc.annotations; kv && *kv; kv++) {
		size_t n = strcspn(*kv, "=");
		dk_jgen_strn(g, *kv, n);
		dk_jgen_str(g, *kv + n + 1);
	}
	dk_jgen_map_close(g);
}

/* The user: numeric ids need no files; names are looked up in rootfs. */
static int resolve_user(const struct dk_image *img, const struct ctr_run *r, const char *rootfs,
			struct dk_user *u, struct dk_err *err)
{
	const char *spec = r->o.user ? r->o.user : img->config.config.user;
	cleanup_close int rootfd = -1;

	if (!spec || !dk_user_needs_files(spec))
		return dk_user_resolve(spec ? spec : "", NULL, NULL, u, err);
	rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return dk_err_sys(err, "rootfs %s", rootfs);
	return dk_user_resolve_at(spec, rootfd, u, err);
}

/* --group-add: gids, or group names looked up in rootfs's /etc/group. */
static int add_groups(const struct ctr_run *r, const char *rootfs, struct dk_user *u,
		      struct dk_err *err)
{
	cleanup_close int rootfd = -1;

	for (char **gr = r->o.hc.group_add; gr && *gr; gr++) {
		struct dk_user tmp;
		char spec[300];
		if (u->n_groups >= DK_USER_MAX_GROUPS)
			return dk_err_set(err, "--group-add: more than %d groups",
					  DK_USER_MAX_GROUPS);
		snprintf(spec, sizeof(spec), "0:%s", *gr);
		if (!dk_user_needs_files(spec)) {
			if (dk_user_resolve(spec, NULL, NULL, &tmp, err) < 0)
				return -1;
		} else {
			if (rootfd < 0)
				rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (rootfd < 0)
				return dk_err_sys(err, "rootfs %s", rootfs);
			if (strlen(*gr) > 256 || dk_user_resolve_at(spec, rootfd, &tmp, err) < 0)
				return dk_err_set(err,
						  "Unable to find group %s: no matching "
						  "entries in group file",
						  *gr);
		}
		u->groups[u->n_groups++] = tmp.gid;
	}
	return 0;
}

/* docker's words for a user or group the image does not have */
static int user_error(const char *spec, struct dk_err *err)
{
	char user[256];

	snprintf(user, sizeof(user), "%.*s", (int)strcspn(spec, ":"), spec);
	if (strstr(err->msg, "no such user"))
		return dk_err_set(err, "unable to find user %s: no matching entries in passwd file",
				  user);
	if (strstr(err->msg, "no such group"))
		return dk_err_set(err, "unable to find group %s: no matching entries in group file",
				  strchr(spec, ':') ? strchr(spec, ':') + 1 : spec);
	return dk_err_wrap(err, "unable to find user %s", user);
}

int ctr_spec(const struct dk_image *img, const struct ctr_run *r, const char *id,
	     const char *rootfs, char **json, size_t *len, struct dk_err *err)
{
	char host[13], nsbuf[4200], pidns[64];
	struct dk_user u;
	char **args = ctr_args(img, r);
	struct dk_jgen *g;

	if (!args)
		return dk_err_sys(err, "generating config.json");
	if (!*args) {
		dk_strv_free(args);
		return dk_err_set(err, "no command specified");
	}
	if (r->o.hc.init && ctr_init_args(&args) < 0)
		return dk_err_sys(err, "generating config.json");
	if (resolve_user(img, r, rootfs, &u, err) < 0) {
		dk_strv_free(args);
		return user_error(r->o.user ? r->o.user : img->config.config.user, err);
	}
	if (add_groups(r, rootfs, &u, err) < 0 ||
	    ctr_pid_ns(&r->o.hc, pidns, sizeof(pidns), err) < 0) {
		dk_strv_free(args);
		return -1;
	}
	snprintf(host, sizeof(host), "%s", id);
	g = dk_jgen_new(true);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ociVersion", "1.0.2");
	process(g, img, r, args, &u);
	dk_jgen_str(g, "root");
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "path", rootfs);
	dk_jgen_kbool(g, "readonly", r->o.hc.read_only);
	dk_jgen_map_close(g);
	if (!r->o.hc.uts_mode) /* --uts host: the host's name */
		dk_jgen_kstr(g, "hostname", r->o.hostname ? r->o.hostname : host);
	if (r->o.domainname)
		dk_jgen_kstr(g, "domainname", r->o.domainname);
	ctr_spec_mounts(g, &r->o.hc, ctr_g.root, id);
	ctr_spec_linux(g, &r->o.hc, ctr_net_ns(r->o.network, id, nsbuf, sizeof(nsbuf)),
		       *pidns ? pidns : NULL);
	annotations(g, img, r);
	dk_jgen_map_close(g);
	dk_strv_free(args);
	return dk_jgen_finish_dup(g, json, len, err);
}
