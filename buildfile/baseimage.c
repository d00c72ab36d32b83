// SPDX-License-Identifier: GPL-2.0-or-later
/* baseimage.c: the images a build names (FROM, COPY --from=IMAGE), from
 * the store, pulled first with fetch when the store lacks them or --pull
 * asks, as docker build does. fetch's report goes to stderr: the build's
 * stdout is its digest. */
#include <stdio.h>
#include <unistd.h>
#include "build.h"

int bf_image_load(struct bf_build *b, const char *image, struct dk_image *img, struct dk_err *err)
{
	char *argv[] = {"fetch", "--root", b->root, "pull", (char *)image, NULL, NULL};
	int st;

	if (!b->o->pull && dk_store_load_image(&b->store, image, NULL, img, err) == 0)
		return 0;
	if (b->o->quiet)
		argv[4] = "-q", argv[5] = (char *)image;
	st = bf_tool(argv, -1, STDERR_FILENO, NULL, err);
	if (st < 0)
		return -1;
	if (st != 0)
		return dk_err_set(err, "image %s: pulling it failed (status %d)", image, st);
	if (dk_store_load_image(&b->store, image, NULL, img, err) < 0)
		return dk_err_wrap(err, "image %s", image);
	return 0;
}
