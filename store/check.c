// SPDX-License-Identifier: GPL-2.0-or-later
/* check.c: store check [--repair]: the image store's fsck. One line per
 * problem on stdout, a summary on stderr; exit 1 while a problem stays. */
#include <getopt.h>
#include <stdio.h>
#include "check.h"
#include "cli.h"
#include "store-cmds.h"

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
}

static int parse(int argc, char **argv, struct dk_check *c)
{
	static const struct option opts[] = {
	    {"repair", no_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	optind = 1;
	while ((ch = dk_getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': c->repair = true; break;
		case 'h':
			printf("Usage: store check [--repair]\n\n"
			       "Verify every blob against its digest and every tag's manifests,\n"
			       "configs and layers. --repair removes corrupt blobs and untags\n"
			       "images that cannot be read.\n");
			return DK_EXIT_OK;
		default: return DK_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return dk_usage_error("check: no arguments expected");
	return -1;
}

int store_cmd_check(int argc, char **argv)
{
	struct dk_check c = {.report = print_line};
	struct dk_store s;
	struct dk_err err;
	int ret = parse(argc, argv, &c);

	if (ret >= 0)
		return ret;
	if (store_open(&s, false, &err) < 0)
		return dk_fail(&err);
	ret = dk_store_check(&s, &c, &err);
	/* after repairs, what is left decides the exit status */
	struct dk_check again = {0};
	if (ret == 0 && c.repair && c.problems)
		ret = dk_store_check(&s, &again, &err);
	else
		again.problems = c.problems;
	dk_store_close(&s);
	if (ret < 0)
		return dk_fail(&err);
	fflush(stdout);
	fprintf(
	    stderr,
	    "store: checked %zu blobs and %zu tags: %zu problems, %zu repairs, %zu problems left\n",
	    c.blobs, c.tags, c.problems, c.repaired, again.problems);
	return again.problems ? DK_EXIT_FAIL : DK_EXIT_OK;
}
