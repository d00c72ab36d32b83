// SPDX-License-Identifier: GPL-2.0-or-later
/* tags.c: fetch tags REPO: the repository's tags, one a line. */
#include <stdio.h>
#include <stdlib.h>
#include "cleanup.h"
#include "pages.h"
#include "pull.h"
#include "remote.h"

static int print_tags(void *ctx, const struct dk_json *doc, struct dk_err *err)
{
	const struct dk_json *tags = dk_json_get(doc, "tags");

	(void)ctx;
	for (size_t i = 0; i < dk_json_len(tags); i++) {
		const char *t = dk_json_str(dk_json_at(tags, i));

		if (!t)
			return dk_err_set(err, "tags list: a tag is not a string");
		printf("%s\n", t);
	}
	return 0;
}

int fx_tags(const struct fx_opts *o, const char *repo, struct dk_err *err)
{
	struct dk_ref r;
	char scope[DK_REF_NAME_MAX + 32], name[DK_REF_STR_MAX];
	struct fx_client *c;
	cleanup_free char *url = NULL;
	int ret = -1;

	if (dk_ref_parse_name(repo, &r, err) < 0)
		return -1;
	if (r.tag[0] || r.digest[0])
		return dk_err_set(err, "tags: \"%s\": give a repository, without tag or digest", repo);
	dk_ref_format_name(&r, name, sizeof(name));
	fx_scope(&r, "pull", scope, sizeof(scope));
	c = fx_client_new(r.domain, o, err);
	if (c && (url = fx_client_url(c, "/v2/%s/tags/list?n=1000", r.path)))
		ret = fx_pages(c, scope, url, "repository", print_tags, NULL, err);
	fx_client_free(c);
	if (ret < 0)
		dk_err_wrap(err, "listing tags of %s", name);
	return ret;
}
