// SPDX-License-Identifier: GPL-2.0-or-later
/* lifecycle.c: `stop`, `kill`, `restart`, `wait`, `rm`, `pause`,
 * `unpause`, `rename`, `prune`, with docker's messages and statuses. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "volume.h"
#include "container.h"

static bool running(const struct dk_crec *r)
{
	return !strcmp(r->status, "running") || !strcmp(r->status, "paused") ||
	       !strcmp(r->status, "restarting");
}

static int set_stopped(struct dk_crec *r, void *arg, struct dk_err *err)
{
	(void)err;
	r->user_stopped = arg != NULL;
	return 0;
}

static int set_status(struct dk_crec *r, void *arg, struct dk_err *err)
{
	(void)err;
	if (!running(r))
		return 1;
	free(r->status);
	r->status = strdup(arg);
	return 0;
}

static int signal_ok(const char *s)
{
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *n = sigabbrev_np(i);
		if (n && !strcasecmp(n, s))
			return i;
	}
	return atoi(s) > 0 && atoi(s) < NSIG ? atoi(s) : 0;
}

static int stop_quiet(const char *what, int timeout)
{
	struct dk_crec r;
	struct dk_err err = {0};
	const char *sig;
	int t;

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (running(&r)) {
		char *resume[] = {"resume", r.id, NULL};
		char *kill1[] = {"kill", r.id, NULL, NULL};
		char *kill9[] = {"kill", r.id, "KILL", NULL};
		struct dk_crec done;

		dk_crec_update(ctr_g.cdir, r.id, set_stopped, "", &err);
		if (!strcmp(r.status, "paused"))
			ctr_runtime(resume, true, &err);
		sig = r.o.stop_signal ? r.o.stop_signal : "TERM";
		kill1[2] = (char *)sig;
		t = timeout >= 0 ? timeout : r.o.stop_timeout >= 0 ? r.o.stop_timeout : 10;
		ctr_runtime(kill1, true, &err);
		if (ctr_wait_exit(r.id, t, &done, &err) != 0) {
			ctr_runtime(kill9, true, &err);
			if (ctr_wait_exit(r.id, -1, &done, &err) == 0)
				dk_crec_free(&done);
		} else {
			dk_crec_free(&done);
		}
		ctr_event(&r, "stop", NULL, NULL);
	}
	dk_crec_free(&r);
	return 0;
}

static int stop_one(const char *what, int timeout)
{
	int rc = stop_quiet(what, timeout);

	if (rc == 0)
		printf("%s\n", what);
	return rc;
}

typedef int (*each_fn)(const char *what, int arg);

static int each(int argc, char **argv, each_fn fn, int arg)
{
	int rc = 0;

	for (int i = optind; i < argc; i++)
		if (fn(argv[i], arg))
			rc = DK_EXIT_FAIL;
	return rc;
}

static int parse_time(const char *cmd, int argc, char **argv, int *timeout)
{
	static const struct option opts[] = {
	    {"time", required_argument, NULL, 't'},
	    {"timeout", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	opterr = 0;
	*timeout = -1;
	while ((c = dk_getopt_long(argc, argv, "+t:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			*timeout = (int)strtol(ctr_optarg(argv), &end, 10);
			if (*end || *timeout < 0)
				return ctr_usage(cmd, "invalid -t \"%s\": want seconds", optarg);
			break;
		case 'h': printf("Usage: container %s [-t SECONDS] CONTAINER...\n", cmd); return 0;
		default: return ctr_usage(cmd, "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ctr_usage(cmd, "\"%s\" requires at least 1 argument.", cmd);
	return -1;
}

int ctr_cmd_stop(int argc, char **argv)
{
	int timeout, rc = parse_time("stop", argc, argv, &timeout);

	return rc >= 0 ? rc : each(argc, argv, stop_one, timeout);
}

static int restart_one(const char *what, int timeout)
{
	struct dk_crec r;
	struct dk_err err = {0};
	int rc;

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (running(&r))
		stop_quiet(r.id, timeout);
	rc = ctr_start(r.id, false, false, &err);
	dk_crec_free(&r);
	if (rc < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	printf("%s\n", what);
	return 0;
}

int ctr_cmd_restart(int argc, char **argv)
{
	int timeout, rc = parse_time("restart", argc, argv, &timeout);

	return rc >= 0 ? rc : each(argc, argv, restart_one, timeout);
}

static int kill_one(const char *what, int sig)
{
	struct dk_crec r;
	struct dk_err err = {0};
	char num[16];
	char *args[] = {"kill", NULL, num, NULL};

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (!running(&r)) {
		dk_err_set(&err, "cannot kill container: %s: container %s is not running", what,
			   r.id);
		dk_crec_free(&r);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	if (sig == SIGKILL || sig == SIGTERM || sig == SIGINT)
		dk_crec_update(ctr_g.cdir, r.id, set_stopped, "", &err);
	snprintf(num, sizeof(num), "%d", sig);
	args[1] = r.id;
	if (ctr_runtime(args, false, &err) != 0) {
		dk_crec_free(&r);
		return DK_EXIT_FAIL;
	}
	ctr_event(&r, "kill", "signal", num);
	dk_crec_free(&r);
	printf("%s\n", what);
	return 0;
}

int ctr_cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"signal", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, sig = SIGKILL;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+s:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sig = signal_ok(ctr_optarg(argv));
			if (!sig)
				return ctr_usage("kill", "invalid signal: %s", optarg);
			break;
		case 'h': printf("Usage: container kill [-s SIGNAL] CONTAINER...\n"); return 0;
		default: return ctr_usage("kill", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ctr_usage("kill", "\"kill\" requires at least 1 argument.");
	return each(argc, argv, kill_one, sig);
}

static int wait_one(const char *what, int unused)
{
	struct dk_crec r;
	struct dk_err err = {0};
	char id[65];

	(void)unused;
	if (dk_crec_resolve(ctr_g.cdir, what, id, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (ctr_wait_exit(id, -1, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	printf("%d\n", r.exit_code);
	dk_crec_free(&r);
	return 0;
}

int ctr_cmd_wait(int argc, char **argv)
{
	if (argc < 2)
		return ctr_usage("wait", "\"wait\" requires at least 1 argument.");
	optind = 1;
	return each(argc, argv, wait_one, 0);
}

/* flags: 1 force, 2 also the container's anonymous volumes (-v) */
static int rm_one(const char *what, int flags)
{
	bool force = flags & 1;
	struct dk_crec r;
	struct dk_err err = {0};

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (running(&r) && !force) {
		dk_err_set(&err,
			   "cannot remove container \"/%s\": container is %s: stop the container "
			   "before removing or force remove",
			   r.name, r.status);
		dk_crec_free(&r);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	if (ctr_remove(r.id, &err) < 0) {
		dk_crec_free(&r);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	if (flags & 2)
		dk_vol_remove_anonymous(ctr_g.root, r.o.hc.mounts, r.id);
	dk_crec_free(&r);
	printf("%s\n", what);
	return 0;
}

int ctr_cmd_rm(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'f'},
	    {"volumes", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, force = 0;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+fv", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force |= 1; break;
		case 'v': force |= 2; break;
		case 'h': printf("Usage: container rm [-f] [-v] CONTAINER...\n"); return 0;
		default: return ctr_usage("rm", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ctr_usage("rm", "\"rm\" requires at least 1 argument.");
	return each(argc, argv, rm_one, force);
}

static int pause_one(const char *what, int pause)
{
	struct dk_crec r;
	struct dk_err err = {0};
	char *args[] = {pause ? "pause" : "resume", NULL, NULL};
	bool ok = false;

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	args[1] = r.id;
	if (strcmp(r.status, pause ? "running" : "paused"))
		dk_err_set(&err, "container %s is %s", what, pause ? "not running" : "not paused");
	else if (ctr_runtime(args, false, &err) == 0)
		ok = dk_crec_update(ctr_g.cdir, r.id, set_status, pause ? "paused" : "running",
				    &err) == 0;
	if (ok)
		ctr_event(&r, pause ? "pause" : "unpause", NULL, NULL);
	dk_crec_free(&r);
	if (!ok)
		return err.msg[0] ? ctr_daemon_error(DK_EXIT_FAIL, &err) : DK_EXIT_FAIL;
	printf("%s\n", what);
	return 0;
}

int ctr_cmd_pause(int argc, char **argv)
{
	if (argc < 2)
		return ctr_usage("pause", "\"pause\" requires at least 1 argument.");
	optind = 1;
	return each(argc, argv, pause_one, 1);
}

int ctr_cmd_unpause(int argc, char **argv)
{
	if (argc < 2)
		return ctr_usage("unpause", "\"unpause\" requires at least 1 argument.");
	optind = 1;
	return each(argc, argv, pause_one, 0);
}
