// SPDX-License-Identifier: GPL-2.0-or-later
/* run.c: `create`, `run` and `start`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "json.h"
#include "container.h"

int ctr_cmd_create(int argc, char **argv)
{
	struct ctr_run r = {0};
	struct dk_err err = {0};
	char id[65];
	int status, rc = ctr_parse_run("create", argc, argv, &r);

	if (rc < 0) {
		rc = ctr_create(&r, id, &status, &err) < 0 ? ctr_daemon_error(status, &err)
							   : (printf("%s\n", id), DK_EXIT_OK);
	}
	ctr_run_free(&r);
	return rc;
}

int ctr_cmd_run(int argc, char **argv)
{
	struct ctr_run r = {0};
	struct dk_err err = {0};
	bool rm, in;
	char id[65];
	int status, rc = ctr_parse_run("run", argc, argv, &r);

	if (rc >= 0) {
		ctr_run_free(&r);
		return rc;
	}
	rm = r.o.auto_remove; /* create moves the options into the record */
	in = r.o.open_stdin;
	rc = ctr_create(&r, id, &status, &err);
	ctr_run_free(&r);
	if (rc < 0)
		return ctr_daemon_error(status, &err);
	rc = ctr_start(id, !r.detach, in, &err);
	if (rc < 0) {
		/* docker leaves a container that did not start, except with
		 * --rm (which its monitor saw to, unless it never ran) */
		struct dk_err ignore;
		if (rm && access(ctr_path(id, ""), F_OK) == 0)
			ctr_remove(id, &ignore);
		return ctr_daemon_error(-rc, &err);
	}
	if (r.detach)
		printf("%s\n", id);
	return rc;
}

/* start one: running is fine; created or exited starts it. */
static int start_one(const char *what, bool attach, bool interactive)
{
	struct dk_crec r;
	struct dk_err err = {0};
	int rc;

	if (ctr_find(what, &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (!strcmp(r.status, "running") || !strcmp(r.status, "paused")) {
		dk_crec_free(&r);
		if (!attach)
			printf("%s\n", what);
		return DK_EXIT_OK;
	}
	rc = ctr_start(r.id, attach, interactive || (attach && r.o.open_stdin), &err);
	dk_crec_free(&r);
	if (rc < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (!attach)
		printf("%s\n", what);
	return rc;
}

int ctr_cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"attach", no_argument, NULL, 'a'},
	    {"interactive", no_argument, NULL, 'i'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool attach = false, interactive = false;
	int c, rc = 0;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+ai", opts, NULL)) != -1) {
		switch (c) {
		case 'a': attach = true; break;
		case 'i': interactive = attach = true; break;
		case 'h': printf("Usage: container start [-a] [-i] CONTAINER...\n"); return 0;
		default: return ctr_usage("start", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ctr_usage("start", "\"start\" requires at least 1 argument.");
	if (attach && argc - optind > 1)
		return ctr_usage("start",
				 "you cannot start and attach multiple containers at once");
	for (int i = optind; i < argc; i++) {
		int one = start_one(argv[i], attach, interactive);
		if (attach)
			return one;
		if (one)
			rc = one;
	}
	return rc;
}

/* What a reboot (docker: a daemon restart) starts again: "always", and
 * "unless-stopped" unless stopped by the user. */
static bool boot_wanted(const struct dk_crec *r)
{
	const char *p = r->o.restart ? r->o.restart : "no";

	if (!strcmp(r->status, "running") || !strcmp(r->status, "paused"))
		return false;
	return !strcmp(p, "always") || (!strcmp(p, "unless-stopped") && !r->user_stopped);
}

int ctr_cmd_boot(int argc, char **argv)
{
	struct dk_err err = {0};
	char **ids;
	int rc = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return printf("Usage: container boot\n"), 0;
	if (argc > 1)
		return ctr_usage("boot", "\"boot\" accepts no arguments.");
	ids = dk_crec_list(ctr_g.cdir, &err);
	if (!ids)
		return dk_fail(&err);
	for (char **i = ids; *i; i++) {
		struct dk_crec r;
		if (ctr_load(*i, &r, &err) < 0)
			continue; /* removed meanwhile */
		if (boot_wanted(&r) && start_one(r.id, false, false) != 0)
			rc = DK_EXIT_FAIL;
		dk_crec_free(&r);
	}
	dk_strv_free(ids);
	return rc;
}
