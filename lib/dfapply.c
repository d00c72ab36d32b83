// SPDX-License-Identifier: GPL-2.0-or-later
/* dfapply.c: applying the config-changing Dockerfile instructions (CMD,
 * ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL,
 * ONBUILD) to an image's run config, as docker's dispatchers do. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cleanup.h"
#include "dockerfile.h"
#include "path.h"

static char *const default_shell[] = {"/bin/sh", "-c", NULL};

bool dk_df_commit_allowed(enum dk_df_cmd cmd)
{
	switch (cmd) {
	case DK_DF_CMD:
	case DK_DF_ENTRYPOINT:
	case DK_DF_ENV:
	case DK_DF_EXPOSE:
	case DK_DF_LABEL:
	case DK_DF_USER:
	case DK_DF_WORKDIR:
	case DK_DF_VOLUME:
	case DK_DF_STOPSIGNAL:
	case DK_DF_ONBUILD: return true;
	default: return false;
	}
}

/* The command vector of CMD / ENTRYPOINT: JSON as is, shell form wrapped. */
static char **command_of(const struct dk_df_instr *in, char *const *shell)
{
	char **v;

	if (in->json)
		return dk_strv_dup(in->args);
	v = dk_strv_dup(shell ? shell : default_shell);
	if (v && dk_strv_push(&v, in->args[0]) < 0) {
		dk_strv_free(v);
		v = NULL;
	}
	return v;
}

static int set_command(char ***dst, bool *has, const struct dk_df_instr *in, struct dk_df_state *st,
		       char *const *rc_shell, struct dk_err *err)
{
	char **v = command_of(in, st && st->shell ? st->shell : rc_shell);

	if (!v)
		return dk_err_sys(err, "%s", dk_df_cmd_name(in->cmd));
	dk_strv_free(*dst);
	*dst = v;
	*has = true;
	return 0;
}

static int env_set(char ***env, const char *key, const char *val)
{
	size_t klen = strlen(key);
	cleanup_free char *kv = NULL;

	if (asprintf(&kv, "%s=%s", key, val) < 0)
		return -1;
	for (size_t i = 0; *env && (*env)[i]; i++) {
		if (strncmp((*env)[i], key, klen) == 0 && (*env)[i][klen] == '=') {
			free((*env)[i]);
			(*env)[i] = steal_ptr(kv);
			return 0;
		}
	}
	return dk_strv_push(env, kv);
}

/* ENV and LABEL: every pair sees the environment from before the
 * instruction, as docker expands them. */
static int apply_kv(const struct dk_df_instr *in, struct dk_run_config *rc, char *const *view,
		    struct dk_err *err)
{
	char **env = dk_strv_dup(view);
	int ret = env ? 0 : dk_err_sys(err, "ENV");

	for (size_t i = 0; ret == 0 && in->kv[i]; i += 2) {
		cleanup_free char *k = dk_df_word_esc(in->kv[i], env, in->escape, err);
		cleanup_free char *v =
		    k ? dk_df_word_esc(in->kv[i + 1], env, in->escape, err) : NULL;

		if (!v)
			ret = -1;
		else if (!*k)
			ret = dk_err_set(err, "empty key");
		else if (in->cmd == DK_DF_ENV && strchr(k, '='))
			ret = dk_err_set(err, "\"%s\": a variable name cannot contain '='", k);
		else if (in->cmd == DK_DF_ENV ? env_set(&rc->env, k, v) < 0
					      : dk_kv_set(&rc->labels, k, v) < 0)
			ret = dk_err_sys(err, "%s", dk_df_cmd_name(in->cmd));
	}
	dk_strv_free(env);
	return ret;
}

static int port_num(const char *s, const char *end, long *out)
{
	char *e;

	if (s == end || !isdigit((unsigned char)*s))
		return -1;
	*out = strtol(s, &e, 10);
	return e == end && *out >= 1 && *out <= 65535 ? 0 : -1;
}

/* "80", "80/udp", "8000-8002/tcp" -> "80/tcp" ... added to ports. */
static int add_port_spec(char ***ports, const char *spec, struct dk_err *err)
{
	const char *slash = strchr(spec, '/'), *end = slash ? slash : spec + strlen(spec);
	const char *dash = memchr(spec, '-', end - spec);
	char proto[8] = "tcp";
	long lo, hi;

	if (slash && (strlen(slash + 1) >= sizeof(proto) ||
		      (strcasecmp(slash + 1, "tcp") && strcasecmp(slash + 1, "udp") &&
		       strcasecmp(slash + 1, "sctp"))))
		return dk_err_set(err, "\"%s\": protocol must be tcp, udp or sctp", spec);
	for (size_t i = 0; slash && slash[1 + i]; i++)
		proto[i] = tolower((unsigned char)slash[1 + i]), proto[i + 1] = 0;
	if (port_num(spec, dash ? dash : end, &lo) < 0 ||
	    (dash && port_num(dash + 1, end, &hi) < 0))
		return dk_err_set(err, "\"%s\": not a port (1-65535) or range", spec);
	if (!dash)
		hi = lo;
	if (hi < lo)
		return dk_err_set(err, "\"%s\": range ends before it starts", spec);
	for (long p = lo; p <= hi; p++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%ld/%s", p, proto);
		if (!dk_strv_contains(*ports, buf) && dk_strv_push(ports, buf) < 0)
			return dk_err_sys(err, "EXPOSE");
	}
	return 0;
}

/* Each word expanded, then handed to add (EXPOSE, VOLUME). */
static int apply_list(const struct dk_df_instr *in, struct dk_run_config *rc, char *const *view,
		      struct dk_err *err)
{
	for (size_t i = 0; in->args[i]; i++) {
		cleanup_free char *w = in->json
					   ? strdup(in->args[i])
					   : dk_df_word_esc(in->args[i], view, in->escape, err);
		if (!w)
			return in->json ? dk_err_sys(err, "VOLUME") : -1;
		if (in->cmd == DK_DF_EXPOSE) {
			if (add_port_spec(&rc->exposed_ports, w, err) < 0)
				return -1;
		} else if (!*w) {
			return dk_err_set(err, "empty volume path");
		} else if (!dk_strv_contains(rc->volumes, w) && dk_strv_push(&rc->volumes, w) < 0) {
			return dk_err_sys(err, "VOLUME");
		}
	}
	return 0;
}

static int set_string(char **dst, char *val)
{
	free(*dst);
	*dst = val;
	return 0;
}

static int apply_workdir(struct dk_run_config *rc, const char *w, struct dk_err *err)
{
	char out[4096];
	cleanup_free char *joined = NULL;

	if (w[0] != '/' &&
	    asprintf(&joined, "%s/%s", rc->working_dir ? rc->working_dir : "", w) < 0)
		return dk_err_sys(err, "WORKDIR");
	if (strlen(joined ? joined : w) >= sizeof(out))
		return dk_err_set(err, "path too long");
	dk_path_clean(joined ? joined : w, out, sizeof(out));
	return set_string(&rc->working_dir, strdup(out));
}

static const char *const signals[] = {"HUP",  "INT",	"QUIT", "ILL",	"TRAP",	  "ABRT", "BUS",
				      "FPE",  "KILL",	"USR1", "SEGV", "USR2",	  "PIPE", "ALRM",
				      "TERM", "STKFLT", "CHLD", "CONT", "STOP",	  "TSTP", "TTIN",
				      "TTOU", "URG",	"XCPU", "XFSZ", "VTALRM", "PROF", "WINCH",
				      "IO",   "PWR",	"SYS",	"IOT",	"POLL",	  NULL};

static bool valid_signal(const char *s)
{
	char *e;
	long n = strtol(s, &e, 10);

	if (*s && !*e)
		return n >= 1 && n <= 64;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0)
		return true;
	for (size_t i = 0; signals[i]; i++)
		if (strcasecmp(s, signals[i]) == 0)
			return true;
	return false;
}

/* USER, WORKDIR, STOPSIGNAL: one expanded string. */
static int apply_string(const struct dk_df_instr *in, struct dk_run_config *rc, char *const *view,
			struct dk_err *err)
{
	cleanup_free char *w = dk_df_word_esc(in->args[0], view, in->escape, err);

	if (!w)
		return -1;
	if (!*w)
		return dk_err_set(err, "empty value");
	if (in->cmd == DK_DF_WORKDIR)
		return apply_workdir(rc, w, err);
	if (in->cmd == DK_DF_STOPSIGNAL) {
		if (!valid_signal(w))
			return dk_err_set(err, "\"%s\" is not a signal", w);
		return set_string(&rc->stop_signal, steal_ptr(w));
	}
	return set_string(&rc->user, steal_ptr(w));
}

static int apply_one(const struct dk_df_instr *in, struct dk_run_config *rc, struct dk_df_state *st,
		     char *const *view, struct dk_err *err)
{
	switch (in->cmd) {
	case DK_DF_CMD:
		if (st)
			st->cmd_set = true;
		return set_command(&rc->cmd, &rc->has_cmd, in, st, rc->shell, err);
	case DK_DF_ENTRYPOINT:
		if (!st || !st->cmd_set) {
			dk_strv_free(rc->cmd);
			rc->cmd = NULL;
			rc->has_cmd = false;
		}
		return set_command(&rc->entrypoint, &rc->has_entrypoint, in, st, rc->shell, err);
	case DK_DF_ENV:
	case DK_DF_LABEL: return apply_kv(in, rc, view, err);
	case DK_DF_EXPOSE:
	case DK_DF_VOLUME: return apply_list(in, rc, view, err);
	case DK_DF_USER:
	case DK_DF_WORKDIR:
	case DK_DF_STOPSIGNAL: return apply_string(in, rc, view, err);
	case DK_DF_ONBUILD:
		if (dk_strv_push(&rc->onbuild, in->args[0]) < 0)
			return dk_err_sys(err, "ONBUILD");
		return 0;
	case DK_DF_SHELL: {
		char **v = dk_strv_dup(in->args);

		if (!v)
			return dk_err_sys(err, "SHELL");
		dk_strv_free(rc->shell);
		rc->shell = v;
		return 0;
	}
	case DK_DF_HEALTHCHECK: {
		struct dk_healthcheck *hc;

		if (dk_df_healthcheck(in, &hc, err) < 0)
			return -1;
		dk_healthcheck_free(rc->healthcheck);
		rc->healthcheck = hc;
		return 0;
	}
	default: return dk_err_set(err, "does not change the image config");
	}
}

/* What expansion sees: the build args, then the config's env (which wins,
 * the last definition being the one looked up). */
static char **env_view(const struct dk_run_config *rc, const struct dk_df_state *st)
{
	char **v = dk_strv_dup(st && st->args ? st->args : NULL);

	for (size_t i = 0; v && rc->env && rc->env[i]; i++)
		if (dk_strv_push(&v, rc->env[i]) < 0) {
			dk_strv_free(v);
			return NULL;
		}
	return v;
}

int dk_df_apply(const struct dk_df_instr *in, struct dk_run_config *rc, struct dk_df_state *st,
		struct dk_err *err)
{
	char **view = env_view(rc, st);
	int ret;

	if (!view)
		return dk_err_sys(err, "line %d: %s", in->line, dk_df_cmd_name(in->cmd));
	ret = apply_one(in, rc, st, view, err);
	dk_strv_free(view);
	if (ret < 0)
		return dk_err_wrap(err, "line %d: %s", in->line, dk_df_cmd_name(in->cmd));
	return 0;
}
