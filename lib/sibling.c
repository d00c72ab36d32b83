// SPDX-License-Identifier: GPL-2.0-or-later
/* sibling.c: finding the other dk tools next to the running one, with
 * the same program prefix ("dk-container" finds "dk-runtime"). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"

char *dk_tool_sibling(const char *self, const char *name)
{
	char exe[PATH_MAX], *slash, *out = NULL;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t prefix = 0;
	const char *base;

	if (n <= 0)
		return strdup(name);
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return strdup(name);
	base = slash + 1;
	if (strlen(base) > strlen(self) && !strcmp(base + strlen(base) - strlen(self), self))
		prefix = strlen(base) - strlen(self);
	*slash = '\0';
	if (asprintf(&out, "%s/%.*s%s", exe, (int)prefix, base, name) < 0)
		return NULL;
	if (prefix && access(out, X_OK) < 0) {
		free(out);
		if (asprintf(&out, "%s/%s", exe, name) < 0)
			return NULL;
	}
	return out;
}
