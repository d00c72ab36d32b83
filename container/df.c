// SPDX-License-Identifier: GPL-2.0-or-later
/* df.c: `container df`, the Images, Containers and Local Volumes rows of
 * docker system df (TYPE TOTAL ACTIVE SIZE RECLAIMABLE). Images: the
 * tagged images, active when a container was made from them; their size
 * counts each blob once (shared layers are not counted twice) and the
 * reclaimable part is the blobs no active image uses. Containers: what
 * each wrote (its snapshot's upper directory); reclaimable unless it
 * runs. Volumes: their data; reclaimable when no container mounts them.
 * `buildfile df` prints the Build Cache row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "json.h"
#include "store.h"
#include "volume.h"
#include "container.h"

struct df_row {
	const char *type;
	long total, active;
	long long size, reclaimable;
};

/* A blob's digest and size, and whether an active image uses it. */
struct blob {
	char digest[sizeof(((struct dk_digest *)0)->str)];
	long long size;
	bool active;
};

struct blobs {
	struct blob *v;
	size_t n;
};

static void add_blob(struct blobs *b, const struct dk_descriptor *d, bool active)
{
	struct blob *n;

	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].digest, d->digest.str)) {
			b->v[i].active |= active;
			return;
		}
	n = realloc(b->v, (b->n + 1) * sizeof(*b->v));
	if (!n)
		return;
	b->v = n;
	n = &b->v[b->n++];
	snprintf(n->digest, sizeof(n->digest), "%s", d->digest.str);
	n->size = d->size;
	n->active = active;
}

static bool image_in_use(char *const *used, const char *config_digest)
{
	return dk_strv_contains(used, config_digest);
}

static void image_blobs(const struct dk_image *img, bool active, struct blobs *b)
{
	add_blob(b, &img->desc, active);
	add_blob(b, &img->manifest.config, active);
	for (size_t i = 0; i < img->manifest.n_layers; i++)
		add_blob(b, &img->manifest.layers[i], active);
}

static void images_row(char *const *used, struct df_row *row)
{
	struct blobs b = {0};
	struct dk_store s;
	struct dk_index idx;
	struct dk_err err;

	if (dk_store_open_default(&s, ctr_g.root, false, &err) < 0)
		return;
	if (dk_store_index(&s, &idx, &err) == 0) {
		for (size_t i = 0; i < idx.n_manifests; i++) {
			const char *name =
			    dk_descriptor_annotation(&idx.manifests[i], DK_ANNOT_REF_NAME);
			struct dk_image img;
			bool active;
			if (!name || dk_store_load_image_desc(&s, &idx.manifests[i], name, NULL,
							      &img, &err) < 0)
				continue;
			active = image_in_use(used, img.config_digest.str);
			row->total++;
			row->active += active;
			image_blobs(&img, active, &b);
			dk_image_free(&img);
		}
		dk_index_free(&idx);
	}
	dk_store_close(&s);
	for (size_t i = 0; i < b.n; i++) {
		row->size += b.v[i].size;
		row->reclaimable += b.v[i].active ? 0 : b.v[i].size;
	}
	free(b.v);
}

/* Containers' row; the image ids they were made from into *used. */
static void containers_row(struct df_row *row, char ***used)
{
	struct dk_err err;
	char **ids = dk_crec_list(ctr_g.cdir, &err);

	for (char **id = ids; id && *id; id++) {
		struct dk_crec r;
		char upper[4200];
		long long bytes;
		bool live;
		if (ctr_load(*id, &r, &err) < 0)
			continue;
		snprintf(upper, sizeof(upper), "%s/snapshots/%s/upper", ctr_g.root, r.id);
		bytes = dk_tree_bytes(upper);
		live = !strcmp(r.status, "running") || !strcmp(r.status, "paused");
		row->total++;
		row->active += live;
		row->size += bytes;
		row->reclaimable += live ? 0 : bytes;
		if (!dk_strv_contains(*used, r.image_id))
			dk_strv_push(used, r.image_id);
		dk_crec_free(&r);
	}
	dk_strv_free(ids);
}

static void volumes_row(struct df_row *row)
{
	struct dk_err err;
	char **names = dk_vol_list(ctr_g.root, &err);

	for (char **n = names; n && *n; n++) {
		char *data = dk_vol_data(ctr_g.root, *n);
		char **users = dk_vol_users(ctr_g.root, *n, &err);
		long long bytes = data ? dk_tree_bytes(data) : 0;
		bool used = users && *users;
		row->total++;
		row->active += used;
		row->size += bytes;
		row->reclaimable += used ? 0 : bytes;
		dk_strv_free(users);
		free(data);
	}
	dk_strv_free(names);
}

static void print_row(const struct df_row *r)
{
	char size[32], recl[32];

	dk_human_size(r->size, size, sizeof(size));
	dk_human_size(r->reclaimable, recl, sizeof(recl));
	printf("%-15s %-9ld %-9ld %-9s %s (%lld%%)\n", r->type, r->total, r->active, size, recl,
	       r->size ? r->reclaimable * 100 / r->size : 0);
}

int ctr_cmd_df(int argc, char **argv)
{
	struct df_row rows[] = {
	    {.type = "Images"}, {.type = "Containers"}, {.type = "Local Volumes"}};
	char **used = calloc(1, sizeof(char *));

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: container df [--no-header]\n");
		free(used);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--no-header")) {
		free(used);
		return ctr_usage("df", "%s: not supported (--no-header is)", argv[1]);
	}
	containers_row(&rows[1], &used);
	images_row(used, &rows[0]);
	volumes_row(&rows[2]);
	if (argc == 1)
		printf("%-15s %-9s %-9s %-9s %s\n", "TYPE", "TOTAL", "ACTIVE", "SIZE",
		       "RECLAIMABLE");
	for (size_t i = 0; i < 3; i++)
		print_row(&rows[i]);
	dk_strv_free(used);
	return 0;
}
