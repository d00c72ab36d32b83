// SPDX-License-Identifier: GPL-2.0-or-later
/* misc.c: `exec`, `top`, `port`, `rename` and `prune`: small commands
 * over the record and the runtime. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "netconf.h"
#include "container.h"

static int find_running(const char *what, struct dk_crec *r, struct dk_err *err)
{
	if (ctr_find(what, r, err) < 0)
		return -1;
	if (strcmp(r->status, "running")) {
		dk_err_set(err, "container %s is not running", r->id);
		dk_crec_free(r);
		return -1;
	}
	return 0;
}

enum { EXEC_ENV_FILE = 256, EXEC_PRIVILEGED };
static const struct option exec_opts[] = {
    {"detach", no_argument, NULL, 'd'},
    {"interactive", no_argument, NULL, 'i'},
    {"tty", no_argument, NULL, 't'},
    {"env", required_argument, NULL, 'e'},
    {"env-file", required_argument, NULL, EXEC_ENV_FILE},
    {"workdir", required_argument, NULL, 'w'},
    {"user", required_argument, NULL, 'u'},
    {"privileged", no_argument, NULL, EXEC_PRIVILEGED},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* --env-file: its K=V lines (K alone: from here) as the runtime's --env. */
static int exec_env_file(const char *file, char ***rt)
{
	char **env = NULL;
	int rc = ctr_flag_kvfile("exec", file, &env, true);

	for (char **e = env; rc < 0 && e && *e; e++)
		dk_strv_push(rt, "--env"), dk_strv_push(rt, *e);
	dk_strv_free(env);
	return rc;
}

/* --privileged: every capability, as docker's exec gives it (those this
 * process may give: its bounding set, as run --privileged). */
static void exec_privileged(char ***rt)
{
	const struct dk_hostcfg all = {.privileged = true};
	const char *caps[64];
	size_t n = ctr_caps_of(&all, caps, 64);

	for (size_t i = 0; i < n; i++)
		dk_strv_push(rt, "--cap"), dk_strv_push(rt, caps[i]);
}

/* exec's options become the runtime's, argument by argument. */
static int exec_parse(int argc, char **argv, char ***rt)
{
	int c;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+dite:w:u:", exec_opts, NULL)) != -1) {
		const char *a = optarg ? ctr_optarg(argv) : NULL;
		switch (c) {
		case 'd': dk_strv_push(rt, "--detach"); break;
		case 'i': break; /* the runtime passes stdin through */
		case 't': dk_strv_push(rt, "--tty"); break;
		case 'e': dk_strv_push(rt, "--env"), dk_strv_push(rt, a); break;
		case 'w': dk_strv_push(rt, "--cwd"), dk_strv_push(rt, a); break;
		case 'u': dk_strv_push(rt, "--user"), dk_strv_push(rt, a); break;
		case EXEC_PRIVILEGED: exec_privileged(rt); break;
		case EXEC_ENV_FILE:
			if ((c = exec_env_file(a, rt)) >= 0)
				return c;
			break;
		case 'h':
			printf(
			    "Usage: container exec [-d] [-i] [-t] [-e K=V] [--env-file FILE] [-w DIR] "
			    "[-u UID[:GID]] [--privileged] CONTAINER COMMAND [ARG...]\n");
			return 0;
		default: return ctr_usage("exec", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return ctr_usage("exec", "\"exec\" requires at least 2 arguments.");
	return -1;
}

int ctr_cmd_exec(int argc, char **argv)
{
	char **rt = NULL;
	struct dk_crec r;
	struct dk_err err = {0};
	int rc;

	dk_strv_push(&rt, "exec");
	rc = exec_parse(argc, argv, &rt);
	if (rc < 0 && find_running(argv[optind], &r, &err) < 0)
		rc = ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (rc >= 0) {
		dk_strv_free(rt);
		return rc;
	}
	dk_strv_push(&rt, r.id);
	for (int i = optind + 1; i < argc; i++)
		dk_strv_push(&rt, argv[i]);
	dk_crec_free(&r);
	rc = ctr_runtime(rt, false, &err);
	dk_strv_free(rt);
	if (rc < 0)
		return ctr_daemon_error(126, &err);
	return rc == 255 ? 126 : rc; /* 255: the runtime could not exec it */
}

int ctr_cmd_top(int argc, char **argv)
{
	struct dk_crec r;
	struct dk_err err = {0};
	char *args[] = {"ps", NULL, "-ef", NULL};
	int rc;

	if (argc < 2)
		return ctr_usage("top", "\"top\" requires at least 1 argument.");
	if (find_running(argv[1], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	args[1] = r.id;
	rc = ctr_runtime(args, false, &err);
	dk_crec_free(&r);
	return rc == 0 ? 0 : DK_EXIT_FAIL;
}

int ctr_cmd_port(int argc, char **argv)
{
	struct dk_crec r;
	struct dk_err err = {0};
	struct dk_port p;
	char key[64], want[64] = "";

	if (argc < 2 || argc > 3)
		return ctr_usage("port", "\"port\" requires 1 or 2 arguments.");
	if (ctr_find(argv[1], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (argc == 3)
		snprintf(want, sizeof(want), "%.50s%s", argv[2],
			 strchr(argv[2], '/') ? "" : "/tcp");
	for (char **s = r.o.ports; *s; s++) {
		if (dk_port_parse(*s, &p) < 0 || !p.hport)
			continue;
		snprintf(key, sizeof(key), "%d/%s", p.cport, p.proto);
		if (argc == 3 && !strcmp(want, key))
			printf("%s:%d\n", p.ip, p.hport);
		else if (argc == 2)
			printf("%s -> %s:%d\n", key, p.ip, p.hport);
	}
	dk_crec_free(&r);
	return 0;
}

static int set_name(struct dk_crec *r, void *arg, struct dk_err *err)
{
	(void)err;
	free(r->name);
	r->name = strdup(arg);
	return r->name ? 0 : -1;
}

int ctr_cmd_rename(int argc, char **argv)
{
	struct dk_crec r;
	struct dk_err err = {0};
	char owner[65];
	int rc;

	if (argc != 3)
		return ctr_usage("rename", "\"rename\" requires exactly 2 arguments.");
	if (ctr_find(argv[1], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	rc = dk_crec_claim_name(ctr_g.cdir, argv[2], r.id, owner, &err);
	if (rc == 1)
		dk_err_set(&err,
			   "Conflict. The container name \"/%s\" is already in use by container "
			   "\"%s\". You have to remove (or rename) that container to be able to "
			   "reuse that name.",
			   argv[2], owner);
	if (rc == 0 && dk_crec_update(ctr_g.cdir, r.id, set_name, argv[2], &err) == 0) {
		dk_crec_release_name(ctr_g.cdir, r.name, r.id);
		struct dk_crec renamed = r; /* a view: r keeps ownership */
		renamed.name = argv[2];
		ctr_event(&renamed, "rename", "oldName", r.name);
	} else
		rc = -1;
	dk_crec_free(&r);
	return rc ? ctr_daemon_error(DK_EXIT_FAIL, &err) : 0;
}

int ctr_cmd_prune(int argc, char **argv)
{
	struct dk_err err = {0};
	char **ids = NULL;
	int rc = 0;

	if (argc < 2 || (strcmp(argv[1], "-f") && strcmp(argv[1], "--force")))
		return ctr_usage("prune", "prune removes every stopped container: confirm with -f");
	ids = dk_crec_list(ctr_g.cdir, &err);
	if (!ids)
		return dk_fail(&err);
	printf("Deleted Containers:\n");
	for (char **id = ids; *id; id++) {
		struct dk_crec r;
		if (ctr_load(*id, &r, &err) < 0)
			continue;
		bool dead =
		    !strcmp(r.status, "exited") || (!strcmp(r.status, "created") && !r.monitor_pid);
		dk_crec_free(&r);
		if (!dead)
			continue;
		if (ctr_remove(*id, &err) == 0)
			printf("%s\n", *id);
		else
			rc = ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	dk_strv_free(ids);
	return rc;
}
