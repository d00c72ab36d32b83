// SPDX-License-Identifier: GPL-2.0-or-later
/* ignore.c: .dockerignore: one pattern a line ('#' comments, blank lines
 * skipped, "!" re-includes), matched against context-relative paths with
 * shell globbing ("**" crosses directories); a pattern that matches a
 * parent directory excludes everything below it; the last match wins. A
 * "!" pattern below an excluded directory still brings its files back. */
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"
#include "path.h"

struct bf_ignore {
	char **pats; /* cleaned, no leading "/" */
	bool *neg;
	size_t n;
};

static int add(struct bf_ignore *ig, const char *line, size_t len)
{
	char raw[4096], clean[4096];
	bool neg = false;

	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	if (!len || *line == '#')
		return 0;
	if (*line == '!') {
		neg = true;
		line++, len--;
	}
	if (len + 2 > sizeof(raw))
		return 0;
	raw[0] = '/';
	memcpy(raw + 1, line, len);
	raw[len + 1] = '\0';
	dk_path_clean(raw, clean, sizeof(clean));
	if (!clean[1])
		return 0;
	char **p = realloc(ig->pats, (ig->n + 1) * sizeof(*p));
	if (p)
		ig->pats = p;
	bool *nv = realloc(ig->neg, (ig->n + 1) * sizeof(*nv));
	if (nv)
		ig->neg = nv;
	if (!p || !nv || !(ig->pats[ig->n] = strdup(clean + 1)))
		return -1;
	ig->neg[ig->n++] = neg;
	return 0;
}

int bf_ignore_from(char *const *pats, struct bf_ignore **out, struct dk_err *err)
{
	struct bf_ignore *ig = calloc(1, sizeof(*ig));

	*out = NULL;
	if (!ig)
		return dk_err_sys(err, "--exclude");
	for (size_t i = 0; pats && pats[i]; i++)
		if (add(ig, pats[i], strlen(pats[i])) < 0) {
			bf_ignore_free(ig);
			return dk_err_sys(err, "--exclude");
		}
	*out = ig;
	return 0;
}

int bf_ignore_load(int ctxfd, struct bf_ignore **out, struct dk_err *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	struct dk_err nf;
	struct bf_ignore *ig = calloc(1, sizeof(*ig));

	*out = NULL;
	if (!ig)
		return dk_err_sys(err, ".dockerignore");
	if (dk_read_file_at(ctxfd, ".dockerignore", 1 << 20, &text, &len, &nf) == 0) {
		for (char *p = text; p && *p;) {
			char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);

			if (add(ig, p, n) < 0) {
				bf_ignore_free(ig);
				return dk_err_sys(err, ".dockerignore");
			}
			p = e ? e + 1 : NULL;
		}
	}
	*out = ig;
	return 0;
}

static bool match(const char *pat, const char *path)
{
	int flags = strstr(pat, "**") ? 0 : FNM_PATHNAME;

	return fnmatch(pat, path, flags) == 0;
}

/* pat matches path or one of its parent directories. */
static bool match_or_parent(const char *pat, const char *path)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, path, len + 1);
	for (;;) {
		if (match(pat, buf))
			return true;
		char *slash = strrchr(buf, '/');
		if (!slash)
			return false;
		*slash = '\0';
	}
}

bool bf_ignored(const struct bf_ignore *ig, const char *rel)
{
	bool out = false;

	for (size_t i = 0; ig && i < ig->n; i++)
		if (match_or_parent(ig->pats[i], rel))
			out = !ig->neg[i];
	return out;
}

bool bf_ignore_reincludes_below(const struct bf_ignore *ig, const char *rel)
{
	size_t n = strlen(rel);

	for (size_t i = 0; ig && i < ig->n; i++) {
		const char *p = ig->pats[i];
		size_t lit = strcspn(p, "*?[\\");

		if (!ig->neg[i])
			continue;
		/* the pattern's literal prefix is under rel, or rel is under
		 * a directory the pattern's wildcards may name */
		if ((lit > n && strncmp(p, rel, n) == 0 && p[n] == '/') ||
		    (lit <= n && strncmp(p, rel, lit) == 0))
			return true;
	}
	return false;
}

void bf_ignore_free(struct bf_ignore *ig)
{
	if (!ig)
		return;
	for (size_t i = 0; i < ig->n; i++)
		free(ig->pats[i]);
	free(ig->pats);
	free(ig->neg);
	free(ig);
}
