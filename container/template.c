// SPDX-License-Identifier: GPL-2.0-or-later
/* template.c: `container template TEMPLATE`: a JSON document on standard
 * input through a Go template (lib/gotmpl), as `docker version --format`
 * and `docker info --format` print their reports; dk's sh builds the
 * document, this runs the template. "json" prints the document. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "inspectfmt.h"
#include "json.h"
#include "container.h"

int ctr_cmd_template(int argc, char **argv)
{
	cleanup_free char *buf = NULL, *out = NULL;
	struct dk_json *v = NULL;
	struct dk_tmpl *t;
	struct dk_err err = {0};
	size_t len;
	int rc = DK_EXIT_FAIL;

	if (argc != 2)
		return ctr_usage("template", "\"template\" requires exactly 1 argument.");
	t = dk_inspect_tmpl(argv[1], &err);
	if (!t) {
		fprintf(stderr, "%s\n", err.msg[0] ? err.msg : "template: empty");
		return DK_EXIT_FAIL;
	}
	if (dk_read_fd(STDIN_FILENO, 1 << 20, &buf, &len, &err) == 0 &&
	    (v = dk_json_parse(buf, len, "standard input", &err)) &&
	    dk_tmpl_render(t, v, DK_TMPL_STRUCTS, &out, &err) == 0) {
		printf("%s\n", out);
		rc = 0;
	} else {
		fprintf(stderr, "%s\n", err.msg);
	}
	dk_json_free(v);
	dk_tmpl_free(t);
	return rc;
}
