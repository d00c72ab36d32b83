// SPDX-License-Identifier: GPL-2.0-or-later
/* listfmt.c: the rows of `store list --format` (lib/rowfmt.c): docker
 * images' fields, all strings as docker's formatter gives them. */
#include <stdio.h>
#include <stdlib.h>
#include "json.h"
#include "store-cmds.h"

/* docker images' fields and their column titles */
static const char *const fields[][2] = {
    {"Containers", "CONTAINERS"},
    {"CreatedAt", "CREATED AT"},
    {"CreatedSince", "CREATED"},
    {"Digest", "DIGEST"},
    {"ID", "IMAGE ID"},
    {"Repository", "REPOSITORY"},
    {"SharedSize", "SHARED SIZE"},
    {"Size", "SIZE"},
    {"Tag", "TAG"},
    {"UniqueSize", "UNIQUE SIZE"},
    {"VirtualSize", "SIZE"},
};
#define N_FIELDS (sizeof(fields) / sizeof(*fields))

static char *row_json(const char *const values[N_FIELDS], size_t *len)
{
	struct dk_jgen *g = dk_jgen_new(false);
	struct dk_err err;
	char *buf = NULL;

	dk_jgen_map_open(g);
	for (size_t i = 0; i < N_FIELDS; i++)
		dk_jgen_kstr(g, fields[i][0], values[i] ? values[i] : "N/A");
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, &buf, len, &err) == 0 ? buf : NULL;
}

int store_fmt_header(const struct dk_rowfmt *f, struct dk_err *err)
{
	const char *titles[N_FIELDS];
	size_t len;
	char *doc;
	int rc;

	for (size_t i = 0; i < N_FIELDS; i++)
		titles[i] = fields[i][1];
	doc = row_json(titles, &len);
	rc = doc ? dk_rowfmt_header(f, doc, len, err) : dk_err_sys(err, "--format");
	free(doc);
	return rc;
}

int store_fmt_row(const struct dk_rowfmt *f, const char *const values[11], struct dk_err *err)
{
	size_t len;
	char *doc = row_json(values, &len);
	int rc = doc ? dk_rowfmt_row(f, doc, len, err) : dk_err_sys(err, "--format");

	free(doc);
	return rc;
}
