// SPDX-License-Identifier: GPL-2.0-or-later
/* pathset.c: a set of path strings with a flag each, used to remember what
 * a layer added so its own whiteouts never remove it. */
#include <stdlib.h>
#include <string.h>
#include "layer_int.h"

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t slot(char *const *keys, size_t cap, const char *path)
{
	size_t i = hash(path) & (cap - 1);

	while (keys[i] && strcmp(keys[i], path) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static int grow(struct dk_pathset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	char **keys = calloc(cap, sizeof(*keys));
	unsigned char *flags = calloc(cap, 1);

	if (!keys || !flags) {
		free(keys);
		free(flags);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		size_t j = slot(keys, cap, s->keys[i]);
		keys[j] = s->keys[i];
		flags[j] = s->flags[i];
	}
	free(s->keys);
	free(s->flags);
	s->keys = keys;
	s->flags = flags;
	s->cap = cap;
	return 0;
}

int dk_pathset_add(struct dk_pathset *s, const char *path, unsigned flag)
{
	size_t i;

	if ((s->n + 1) * 4 > s->cap * 3 && grow(s) < 0)
		return -1;
	i = slot(s->keys, s->cap, path);
	if (!s->keys[i]) {
		s->keys[i] = strdup(path);
		if (!s->keys[i])
			return -1;
		s->n++;
	}
	s->flags[i] |= flag;
	return 0;
}

unsigned dk_pathset_get(const struct dk_pathset *s, const char *path)
{
	size_t i;

	if (!s->cap)
		return 0;
	i = slot(s->keys, s->cap, path);
	return s->keys[i] ? s->flags[i] : 0;
}

int dk_pathset_add_tree(struct dk_pathset *s, const char *path)
{
	size_t len = strlen(path);
	char *p;

	if (dk_pathset_add(s, path, DK_PS_ADDED) < 0)
		return -1;
	p = malloc(len + 1);
	if (!p)
		return -1;
	memcpy(p, path, len + 1);
	for (char *slash = strrchr(p, '/'); slash && slash != p; slash = strrchr(p, '/')) {
		*slash = '\0';
		if (dk_pathset_get(s, p) & DK_PS_ANCESTOR)
			break;
		if (dk_pathset_add(s, p, DK_PS_ANCESTOR) < 0) {
			free(p);
			return -1;
		}
	}
	free(p);
	return 0;
}

void dk_pathset_free(struct dk_pathset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->flags);
	memset(s, 0, sizeof(*s));
}
