// SPDX-License-Identifier: GPL-2.0-or-later
/* publish.c: after a build, what buildx's --push and --metadata-file ask:
 * every -t tag pushed to its registry (fetch push), and a JSON file with
 * the image's manifest and config digests and its names. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "build.h"
#include "fs.h"
#include "json.h"

static int push_tags(struct bf_build *b, struct dk_err *err)
{
	for (char **t = b->o->tags; t && *t; t++) {
		char *argv[] = {"fetch", "--root", b->root, "push", *t, NULL};
		int st = bf_tool(argv, -1, STDERR_FILENO, NULL, err);
		if (st < 0)
			return -1;
		if (st != 0)
			return dk_err_set(err, "--push: pushing %s failed (status %d)", *t, st);
	}
	return 0;
}

static int write_metadata(struct bf_build *b, const char *digest, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	struct dk_image img;
	char *names = NULL, *buf = NULL;
	size_t len = 0, n = 0;
	int rc;

	for (char **t = b->o->tags; t && *t; t++)
		n += strlen(*t) + 1;
	names = calloc(n + 1, 1);
	for (char **t = b->o->tags; names && t && *t; t++)
		strcat(strcat(names, *names ? "," : ""), *t);
	dk_jgen_map_open(g);
	if (dk_store_load_image(&b->store, digest, NULL, &img, err) == 0) {
		dk_jgen_kstr(g, "containerimage.config.digest", img.config_digest.str);
		dk_image_free(&img);
	}
	dk_jgen_kstr(g, "containerimage.digest", digest);
	if (names && *names)
		dk_jgen_kstr(g, "image.name", names);
	dk_jgen_map_close(g);
	free(names);
	rc = dk_jgen_finish_dup(g, &buf, &len, err);
	if (rc == 0)
		rc = dk_write_file_at(AT_FDCWD, b->o->metadata_file, buf, len, 0644, err);
	free(buf);
	return rc < 0 ? dk_err_wrap(err, "--metadata-file") : 0;
}

int bf_publish(struct bf_build *b, const char *digest, struct dk_err *err)
{
	if (b->o->push && push_tags(b, err) < 0)
		return -1;
	return b->o->metadata_file ? write_metadata(b, digest, err) : 0;
}
