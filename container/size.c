// SPDX-License-Identifier: GPL-2.0-or-later
/* size.c: `ps -s`'s SIZE: what the container wrote (its snapshot's upper
 * directory) and, as "virtual", that plus its image's layers, in docker's
 * decimal units ("12B (virtual 1.09MB)"). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "fs.h"
#include "store.h"
#include "container.h"

static long long image_size(const char *image_id)
{
	struct dk_store s;
	struct dk_image img;
	struct dk_err err;
	long long n = 0;

	if (dk_store_open_default(&s, ctr_g.root, false, &err) < 0)
		return 0;
	if (dk_store_load_image(&s, image_id, NULL, &img, &err) == 0) {
		for (size_t i = 0; i < img.manifest.n_layers; i++)
			n += img.manifest.layers[i].size;
		dk_image_free(&img);
	}
	dk_store_close(&s);
	return n;
}

void ctr_size_text(const struct dk_crec *r, char *buf, size_t size)
{
	char upper[4200], a[32], b[32];
	long long wrote;

	snprintf(upper, sizeof(upper), "%s/snapshots/%s/upper", ctr_g.root, r->id);
	wrote = dk_tree_bytes(upper);
	dk_human_size(wrote, a, sizeof(a));
	/* the bare hex: "sha256:..." would name a blob, not an image id */
	dk_human_size(wrote + image_size(r->image_id + strcspn(r->image_id, ":") + 1), b,
		      sizeof(b));
	snprintf(buf, size, "%s (virtual %s)", a, b);
}
