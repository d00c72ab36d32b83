// SPDX-License-Identifier: GPL-2.0-or-later
/* rowfmt.h: a listing command's --format (images, volume ls, network
 * ls): "table" (the command's own table), "json" (one object per line),
 * a Go template on each row's object, or "table TEMPLATE" (the same with
 * a header: the template run on an object of the columns' titles). */
#ifndef DK_ROWFMT_H
#define DK_ROWFMT_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

struct dk_tmpl;
struct dk_rowfmt {
	bool json, header;
	struct dk_tmpl *t; /* NULL: table or json */
};

/* 0, or -1 with "template parsing error: ..." in err. */
int dk_rowfmt_parse(const char *format, struct dk_rowfmt *f, struct dk_err *err);
/* Whether rows go through dk_rowfmt_row (json or a template). */
bool dk_rowfmt_custom(const struct dk_rowfmt *f);
/* The header line of "table TEMPLATE": the template on titles, a JSON
 * object of the columns' titles; nothing otherwise. */
int dk_rowfmt_header(const struct dk_rowfmt *f, const char *titles, size_t len, struct dk_err *err);
/* One row (a JSON object) as json or through the template. */
int dk_rowfmt_row(const struct dk_rowfmt *f, const char *row, size_t len, struct dk_err *err);
void dk_rowfmt_free(struct dk_rowfmt *f);

#endif
