// SPDX-License-Identifier: GPL-2.0-or-later
/* pages.c: walking a paginated registry list. */
#include <stdlib.h>
#include <string.h>
#include "pages.h"

#define MAX_PAGES 10000

static int one_page(struct fx_client *c, const char *scope, const char *url, const char *what,
		    fx_page_fn each, void *ctx, char **next, struct dk_err *err)
{
	struct dk_http_req req = {.url = url, .body_fd = -1, .accept = "application/json"};
	struct dk_http_resp resp = {0};
	struct dk_json *doc = NULL;
	int ret = -1;

	*next = NULL;
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		goto out;
	if (resp.status == 404) {
		dk_err_set(err, "%s: not found (404)", what);
		goto out;
	}
	if (resp.status != 200) {
		fx_client_fail(&resp, err, "%s", what);
		goto out;
	}
	doc = dk_json_parse(resp.body ? resp.body : "", resp.body_len, what, err);
	if (!doc)
		goto out;
	ret = each(ctx, doc, err);
	if (ret == 0)
		*next = fx_client_next_link(c, &resp);
out:
	dk_json_free(doc);
	dk_http_resp_free(&resp);
	return ret;
}

int fx_pages(struct fx_client *c, const char *scope, const char *url, const char *what,
	     fx_page_fn each, void *ctx, struct dk_err *err)
{
	char *cur = strdup(url);

	for (int i = 0; cur && i < MAX_PAGES; i++) {
		char *next = NULL;
		int r = one_page(c, scope, cur, what, each, ctx, &next, err);

		free(cur);
		cur = next;
		if (r != 0) {
			free(cur);
			return r < 0 ? -1 : 0;
		}
	}
	free(cur);
	return 0;
}
