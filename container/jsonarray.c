// SPDX-License-Identifier: GPL-2.0-or-later
/* jsonarray.c: what docker's inspect commands print: one JSON array with
 * an object per argument found, or with -f/--format a template's result
 * per object; an argument not found is reported on stderr by the emitter
 * and makes the exit status 1, the others still print. */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "cleanup.h"
#include "inspectfmt.h"
#include "json.h"
#include "container.h"

static int print_all(int argc, char **argv, int first, const struct dk_tmpl *t,
		     int (*emit_one)(struct dk_jgen *g, const char *arg))
{
	struct dk_jgen *g = dk_jgen_new(t == NULL);
	struct dk_err err = {0};
	cleanup_free char *out = NULL;
	size_t len;
	int rc = 0;

	dk_jgen_array_open(g);
	for (int i = first; i < argc; i++)
		if (emit_one(g, argv[i]) < 0)
			rc = DK_EXIT_FAIL;
	dk_jgen_array_close(g);
	if (dk_jgen_finish_dup(g, &out, &len, &err) < 0)
		return dk_fail(&err);
	fflush(stdout);
	if (dk_inspect_print(t, out, len, stdout, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err.msg);
		rc = DK_EXIT_FAIL;
	}
	return rc;
}

/* cmd: the command's name in messages ("volume inspect") */
int ctr_print_array(const char *cmd, int argc, char **argv,
		    int (*emit_one)(struct dk_jgen *g, const char *arg))
{
	struct dk_err err = {0};
	struct dk_tmpl *t;
	char usage[64];
	int first, rc;

	snprintf(usage, sizeof(usage), "container %s [-f FORMAT] NAME...", cmd);
	rc = dk_inspect_begin(argc, argv, usage, &t, &first, &err);
	if (rc != 0)
		return rc == 1	  ? DK_EXIT_OK
		       : rc == -1 ? ctr_usage(cmd, "%s", err.msg)
				  : DK_EXIT_FAIL;
	rc = print_all(argc, argv, first, t, emit_one);
	dk_tmpl_free(t);
	return rc;
}
