// SPDX-License-Identifier: GPL-2.0-or-later
/* search.c: fetch search. A plain TERM asks Docker Hub's search API
 * (index.docker.io/v1/search). HOST/TERM asks that registry's v1 search
 * when it has one, else filters its /v2/_catalog by TERM. Results print
 * as docker's table (NAME, DESCRIPTION, STARS, OFFICIAL, AUTOMATED) or as
 * a JSON array with --format json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"
#include "cleanup.h"
#include "pages.h"
#include "pull.h"

#define HUB_SEARCH "https://index.docker.io/v1/search"
#define DESC_MAX   45

struct result {
	char *name, *desc;
	long stars;
	bool official, automated;
};

struct results {
	struct result *v;
	size_t n;
	long limit;
	const char *term, *prefix; /* catalog: filter and display prefix */
};

static int add(struct results *rs, const char *name, const char *desc, long stars, bool official,
	       bool automated)
{
	struct result *v = realloc(rs->v, (rs->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	rs->v = v;
	v[rs->n] =
	    (struct result){strdup(name), strdup(desc ? desc : ""), stars, official, automated};
	rs->n++;
	return 0;
}

static int hub_page(void *ctx, const struct dk_json *doc, struct dk_err *err)
{
	struct results *rs = ctx;
	const struct dk_json *list = dk_json_get(doc, "results");
	int64_t stars = 0;

	for (size_t i = 0; i < dk_json_len(list) && (long)rs->n < rs->limit; i++) {
		const struct dk_json *e = dk_json_at(list, i);
		const char *name = dk_json_get_str(e, "name");

		if (!name)
			return dk_err_set(err, "search result without a name");
		stars = 0;
		dk_json_int64(dk_json_get(e, "star_count"), &stars);
		if (add(rs, name, dk_json_get_str(e, "description"), (long)stars,
			dk_json_is_true(dk_json_get(e, "is_official")),
			dk_json_is_true(dk_json_get(e, "is_automated"))) < 0)
			return dk_err_sys(err, "search");
	}
	return 1; /* one page of up to limit results, as docker */
}

static int catalog_page(void *ctx, const struct dk_json *doc, struct dk_err *err)
{
	struct results *rs = ctx;
	const struct dk_json *list = dk_json_get(doc, "repositories");
	char name[1024];

	for (size_t i = 0; i < dk_json_len(list); i++) {
		const char *repo = dk_json_str(dk_json_at(list, i));

		if (!repo)
			return dk_err_set(err, "catalog: a repository is not a string");
		if (!strstr(repo, rs->term))
			continue;
		if ((long)rs->n >= rs->limit)
			return 1;
		if (dk_fmt(name, sizeof(name), err, "%s/%s", rs->prefix, repo) < 0)
			return dk_err_wrap(err, "catalog: repository name");
		if (add(rs, name, "", 0, false, false) < 0)
			return dk_err_sys(err, "search");
	}
	return 0;
}

static void print_table(const struct results *rs)
{
	size_t w = 4;
	char desc[DESC_MAX + 4];

	for (size_t i = 0; i < rs->n; i++)
		if (strlen(rs->v[i].name) > w)
			w = strlen(rs->v[i].name);
	printf("%-*s   %-*s   %s   %s   %s\n", (int)w, "NAME", DESC_MAX, "DESCRIPTION", "STARS",
	       "OFFICIAL", "AUTOMATED");
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = &rs->v[i];

		if (strlen(r->desc) > DESC_MAX)
			snprintf(desc, sizeof(desc), "%.*s...", DESC_MAX - 3, r->desc);
		else
			snprintf(desc, sizeof(desc), "%s", r->desc);
		for (char *p = desc; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		printf("%-*s   %-*s   %-5ld   %-8s   %s\n", (int)w, r->name, DESC_MAX, desc,
		       r->stars, r->official ? "[OK]" : "", r->automated ? "[OK]" : "");
	}
}

static int print_json(const struct results *rs, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(false);
	cleanup_free char *out = NULL;
	size_t len;

	dk_jgen_array_open(g);
	for (size_t i = 0; i < rs->n; i++) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "name", rs->v[i].name);
		dk_jgen_kstr(g, "description", rs->v[i].desc);
		dk_jgen_kint(g, "star_count", rs->v[i].stars);
		dk_jgen_kbool(g, "is_official", rs->v[i].official);
		dk_jgen_kbool(g, "is_automated", rs->v[i].automated);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	if (dk_jgen_finish_dup(g, &out, &len, err) < 0)
		return -1;
	printf("%s\n", out);
	return 0;
}

/* "host:5000/term" -> host "host:5000", term "term"; "term" -> no host */
static void split_term(const char *in, char *host, size_t size, const char **term)
{
	const char *slash = strchr(in, '/');
	size_t n = slash ? (size_t)(slash - in) : 0;

	host[0] = '\0';
	*term = in;
	if (!slash || !(memchr(in, '.', n) || memchr(in, ':', n) ||
			(n == 9 && strncmp(in, "localhost", 9) == 0)))
		return;
	snprintf(host, size, "%.*s", (int)n, in);
	*term = slash + 1;
}

static char *v1_search_url(struct fx_client *c, bool hub, const char *term, long limit)
{
	cleanup_free char *q = dk_http_escape(term);
	char *url = NULL;

	if (!q)
		return NULL;
	if (hub && asprintf(&url, HUB_SEARCH "?q=%s&n=%ld", q, limit) < 0)
		return NULL;
	if (!hub)
		url = fx_client_url(c, "/v1/search?q=%s&n=%ld", q, limit);
	return url;
}

static int search(struct fx_client *c, const char *host, struct results *rs, struct dk_err *err)
{
	bool hub =
	    !host[0] || strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0;
	cleanup_free char *url = v1_search_url(c, hub, rs->term, rs->limit);
	cleanup_free char *cat = NULL;
	struct dk_err v1err;

	if (!url)
		return dk_err_sys(err, "search url");
	if (fx_pages(c, NULL, url, "search", hub_page, rs, hub ? err : &v1err) == 0)
		return 0;
	if (hub)
		return -1;
	cat = fx_client_url(c, "/v2/_catalog?n=1000");
	if (!cat)
		return dk_err_sys(err, "catalog url");
	return fx_pages(c, NULL, cat, "catalog", catalog_page, rs, err);
}

int fx_search(const struct fx_opts *o, const char *in, long limit, bool json, struct dk_err *err)
{
	char host[256];
	struct results rs = {.limit = limit};
	struct fx_client *c;
	int ret = -1;

	split_term(in, host, sizeof(host), &rs.term);
	rs.prefix = host;
	c = fx_client_new(host[0] ? host : "docker.io", o, err);
	if (c && search(c, host, &rs, err) == 0)
		ret = json ? print_json(&rs, err) : (print_table(&rs), 0);
	for (size_t i = 0; i < rs.n; i++) {
		free(rs.v[i].name);
		free(rs.v[i].desc);
	}
	free(rs.v);
	fx_client_free(c);
	return ret < 0 ? dk_err_wrap(err, "searching %s", in) : 0;
}
