// SPDX-License-Identifier: GPL-2.0-or-later
/* jsonarray.c: what docker's inspect commands print: one JSON array with
 * an object per argument found; an argument not found is reported on
 * stderr by the emitter and makes the exit status 1, the others still
 * print. */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "json.h"
#include "container.h"

int ctr_print_array(int argc, char **argv, int (*emit_one)(struct dk_jgen *g, const char *arg))
{
	struct dk_jgen *g = dk_jgen_new(true);
	struct dk_err err = {0};
	char *out = NULL;
	size_t len;
	int rc = 0;

	dk_jgen_array_open(g);
	for (int i = 1; i < argc; i++)
		if (emit_one(g, argv[i]) < 0)
			rc = DK_EXIT_FAIL;
	dk_jgen_array_close(g);
	if (dk_jgen_finish_dup(g, &out, &len, &err) < 0)
		return dk_fail(&err);
	printf("%s\n", out);
	free(out);
	return rc;
}
