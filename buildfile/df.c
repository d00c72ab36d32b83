// SPDX-License-Identifier: GPL-2.0-or-later
/* df.c: `buildfile df [--root DIR] [--no-header]`, the Build Cache row of
 * docker system df: the layer-cache entries, RUN --mount=type=cache
 * directories and ADD URL downloads under $DK_ROOT, their count and
 * bytes, all reclaimable by `buildfile prune -a` (none is "active": a
 * running build holds buildcache.lock, not single entries). The step
 * images the layer cache points at are blobs in the store, counted by
 * neither row. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "cleanup.h"
#include "cli.h"
#include "fs.h"

static long entries(const char *dir)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *e;
	long n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	return n;
}

int bf_df_main(int argc, char **argv)
{
	static const char *const dirs[] = {"buildcache", "buildcache-mounts", "buildcache-urls"};
	const char *root_opt = NULL;
	bool header = true;
	char *root, size[32];
	long n = 0;
	long long bytes = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-header"))
			header = false;
		else if (!strcmp(argv[i], "--root") && i + 1 < argc)
			root_opt = argv[++i];
		else if (!strncmp(argv[i], "--root=", 7))
			root_opt = argv[i] + 7;
		else
			return dk_usage_error("df: unexpected argument \"%s\"", argv[i]);
	}
	if (!(root = dk_default_root(root_opt)))
		return dk_usage_error("df: root directory: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		cleanup_free char *dir = dk_path_join(root, dirs[i]);
		if (dir) {
			n += entries(dir);
			bytes += dk_tree_bytes(dir);
		}
	}
	free(root);
	dk_human_size(bytes, size, sizeof(size));
	if (header)
		printf("%-15s %-9s %-9s %-9s %s\n", "TYPE", "TOTAL", "ACTIVE", "SIZE",
		       "RECLAIMABLE");
	printf("%-15s %-9ld %-9d %-9s %s (%d%%)\n", "Build Cache", n, 0, size, size,
	       bytes ? 100 : 0);
	return DK_EXIT_OK;
}
