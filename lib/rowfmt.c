// SPDX-License-Identifier: GPL-2.0-or-later
/* rowfmt.c: a listing's --format, a row (JSON object) at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl.h"
#include "inspectfmt.h"
#include "json.h"
#include "rowfmt.h"

int dk_rowfmt_parse(const char *format, struct dk_rowfmt *f, struct dk_err *err)
{
	char *text;

	memset(f, 0, sizeof(*f));
	if (!strcmp(format, "table"))
		return 0;
	if (!strcmp(format, "json")) {
		f->json = true;
		return 0;
	}
	f->header = !strncmp(format, "table ", 6);
	text = dk_format_tabs(f->header ? format + 6 : format);
	if (!text)
		return dk_err_sys(err, "--format");
	f->t = dk_tmpl_parse(text, err);
	free(text);
	return f->t ? 0 : dk_err_wrap(err, "template parsing error");
}

bool dk_rowfmt_custom(const struct dk_rowfmt *f)
{
	return f->json || f->t;
}

static int run(const struct dk_rowfmt *f, const char *doc, size_t len, struct dk_err *err)
{
	struct dk_json *v = dk_json_parse(doc, len, "row", err);
	char *out = NULL;
	int rc = v ? dk_tmpl_render(f->t, v, DK_TMPL_STRUCTS, &out, err) : -1;

	if (rc == 0)
		printf("%s\n", out);
	free(out);
	dk_json_free(v);
	return rc;
}

int dk_rowfmt_header(const struct dk_rowfmt *f, const char *titles, size_t len, struct dk_err *err)
{
	return f->header ? run(f, titles, len, err) : 0;
}

int dk_rowfmt_row(const struct dk_rowfmt *f, const char *row, size_t len, struct dk_err *err)
{
	if (f->json) {
		printf("%.*s\n", (int)len, row);
		return 0;
	}
	return run(f, row, len, err);
}

void dk_rowfmt_free(struct dk_rowfmt *f)
{
	dk_tmpl_free(f->t);
	f->t = NULL;
}
