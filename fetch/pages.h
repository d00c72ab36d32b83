// SPDX-License-Identifier: GPL-2.0-or-later
/* pages.h: paginated JSON lists (tags/list, _catalog) following the Link
 * header's rel="next". */
#ifndef FETCH_PAGES_H
#define FETCH_PAGES_H

#include "client.h"
#include "json.h"

typedef int (*fx_page_fn)(void *ctx, const struct dk_json *doc,
			  struct dk_err *err);

/* GET url and each next page; each() sees every parsed page and may
 * return 1 to stop early. A 404 gives an error "what: not found". */
int fx_pages(struct fx_client *c, const char *scope, const char *url,
	     const char *what, fx_page_fn each, void *ctx, struct dk_err *err);

#endif
