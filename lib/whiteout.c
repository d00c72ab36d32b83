// SPDX-License-Identifier: GPL-2.0-or-later
/* whiteout.c: OCI whiteout names and their overlayfs counterparts (pure). */
#include <stdio.h>
#include <string.h>
#include "layer.h"

enum dk_wh_kind dk_whiteout_parse(const char *path, char *target, size_t size)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) : 0;
	const char *name;
	int n;

	if (strncmp(base, DK_WH_PREFIX, strlen(DK_WH_PREFIX)) != 0)
		return DK_WH_NONE;
	if (strcmp(base, DK_WH_OPAQUE_NAME) == 0) {
		n = snprintf(target, size, "%.*s", (int)dirlen, path);
		if (dirlen == 0)
			n = snprintf(target, size, "/");
		return n < 0 || (size_t)n >= size ? DK_WH_INVALID : DK_WH_OPAQUE;
	}
	name = base + strlen(DK_WH_PREFIX);
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return DK_WH_INVALID;
	n = snprintf(target, size, "%.*s/%s", (int)dirlen, path, name);
	if (n < 0 || (size_t)n >= size)
		return DK_WH_INVALID;
	return DK_WH_FILE;
}

int dk_whiteout_name(const char *name, char *out, size_t size)
{
	int n;

	if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -1;
	n = snprintf(out, size, "%s%s", DK_WH_PREFIX, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

const char *dk_overlay_opaque_xattr(bool rootless)
{
	return rootless ? "user.overlay.opaque" : "trusted.overlay.opaque";
}

bool dk_overlay_xattr_reserved(const char *name)
{
	return strncmp(name, "trusted.overlay.", 16) == 0 ||
	       strncmp(name, "user.overlay.", 13) == 0;
}
