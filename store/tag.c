// SPDX-License-Identifier: GPL-2.0-or-later
/* tag.c: naming and unnaming: `store tag`, `store rm`, `store resolve`,
 * `store gc`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "events.h"
#include "fs.h"
#include "json.h"
#include "ref.h"
#include "refwalk.h"
#include "store-cmds.h"

/* Subcommands without options of their own but --help. Returns -1 to go
 * on, else the exit status. */
static int simple_opts(int argc, char **argv, const char *usage, int min, int max)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"force", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = dk_getopt_long(argc, argv, "hf", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage: store %s\n", usage);
			return DK_EXIT_OK;
		}
		if (c != 'f')
			return dk_usage_error("%s: bad option", argv[0]);
	}
	int n = argc - optind;
	if (n < min || (max >= 0 && n > max))
		return dk_usage_error("usage: store %s", usage);
	return -1;
}

/* An image event named as docker names images ("busybox:latest"). */
static void image_event(const char *action, const char *id, const char *name)
{
	char repo[300], tag[140], familiar[450];

	store_split_name(name, repo, sizeof(repo), tag, sizeof(tag));
	snprintf(familiar, sizeof(familiar), "%s:%s", repo, tag);
	dk_event(store_root_opt, "image", action, id, (const char *[]){"name", familiar, NULL});
}

int store_cmd_tag(int argc, char **argv)
{
	int ret = simple_opts(argc, argv, "tag SOURCE TARGET", 2, 2);
	struct dk_store s;
	struct dk_image img;
	struct dk_ref target;
	struct dk_err err;
	char full[DK_REF_STR_MAX];

	if (ret >= 0)
		return ret;
	if (dk_ref_parse(argv[optind + 1], &target, &err) < 0)
		return dk_fail(&err);
	if (target.digest[0])
		return dk_usage_error("tag: target \"%s\" must not have a digest",
				      argv[optind + 1]);
	dk_ref_format(&target, full, sizeof(full));
	if (store_open(&s, true, &err) < 0)
		return dk_fail(&err);
	ret = dk_store_load_image(&s, argv[optind], NULL, &img, &err);
	if (ret == 0) {
		/* tag what the source name points to: the index, if it is one */
		struct dk_descriptor top;

		ret = img.name ? dk_store_resolve(&s, img.name, &top, &err)
			       : dk_descriptor_copy(&top, &img.desc);
		if (ret == 0) {
			dk_strv_free(top.annotations);
			top.annotations = NULL;
			ret = dk_store_tag(&s, full, &top, &err);
			dk_descriptor_free(&top);
		}
		if (ret == 0)
			image_event("tag", img.config_digest.str, full);
		dk_image_free(&img);
	}
	dk_store_close(&s);
	return ret < 0 ? dk_fail(&err) : DK_EXIT_OK;
}

/* refwalk's visitor: every blob the removed name reached */
static int note_blob(void *ctx, const struct dk_blobref *r, struct dk_err *err)
{
	(void)err;
	if (r->problem || dk_strv_contains(*(char ***)ctx, r->d->digest.str))
		return 1;
	dk_strv_push(ctx, r->d->digest.str);
	return 0;
}

/* The blobs name reaches, added to *blobs (the candidates rm frees). */
static int name_blobs(struct dk_store *s, const char *name, char ***blobs, struct dk_err *err)
{
	struct dk_descriptor top;
	int ret;

	if (dk_store_resolve(s, name, &top, err) < 0)
		return -1;
	ret = dk_refs_walk(s, &(struct dk_index){.manifests = &top, .n_manifests = 1}, note_blob,
			   blobs, err);
	dk_descriptor_free(&top);
	return ret;
}

static int remove_name(struct dk_store *s, const char *what, char ***blobs, struct dk_err *err)
{
	struct dk_image img;

	if (dk_store_load_image(s, what, NULL, &img, err) < 0)
		return -1;
	if (!img.name) {
		dk_image_free(&img);
		return dk_err_set(err, "%s: remove it by name, not by digest", what);
	}
	if (name_blobs(s, img.name, blobs, err) < 0) {
		dk_image_free(&img);
		return -1;
	}
	int ret = dk_store_untag(s, img.name, err);
	if (ret == 0) {
		printf("Untagged: %s\n", img.name);
		image_event("untag", img.config_digest.str, img.name);
	}
	dk_image_free(&img);
	return ret;
}

int store_cmd_rm(int argc, char **argv)
{
	int ret = simple_opts(argc, argv, "rm [-f] NAME...", 1, -1);
	int status = DK_EXIT_OK;
	struct dk_store s;
	struct dk_err err;
	size_t removed = 0;
	char **blobs = NULL;

	if (ret >= 0)
		return ret;
	if (store_open(&s, true, &err) < 0)
		return dk_fail(&err);
	for (int i = optind; i < argc; i++)
		if (remove_name(&s, argv[i], &blobs, &err) < 0)
			status = dk_fail(&err);
	if (blobs && dk_store_gc_among(&s, blobs, &removed, &err) < 0)
		status = dk_fail(&err);
	else if (removed)
		printf("Deleted: %zu blobs\n", removed);
	dk_strv_free(blobs);
	dk_store_close(&s);
	return status;
}

int store_cmd_resolve(int argc, char **argv)
{
	int ret = simple_opts(argc, argv, "resolve NAME", 1, 1);
	struct dk_store s;
	struct dk_image img;
	struct dk_err err;

	if (ret >= 0)
		return ret;
	if (store_open(&s, true, &err) < 0)
		return dk_fail(&err);
	ret = dk_store_load_image(&s, argv[optind], NULL, &img, &err);
	dk_store_close(&s);
	if (ret < 0)
		return dk_fail(&err);
	printf("%s\n", img.desc.digest.str);
	dk_image_free(&img);
	return DK_EXIT_OK;
}

/* gc [--reclaimed]: the number of blobs removed, or with --reclaimed
 * docker's "Total reclaimed space: SIZE" (what docker image prune ends
 * with). */
int store_cmd_gc(int argc, char **argv)
{
	bool reclaimed = argc == 2 && !strcmp(argv[1], "--reclaimed");
	int ret = reclaimed ? -1 : simple_opts(argc, argv, "gc [--reclaimed]", 0, 0);
	struct dk_store s;
	struct dk_err err;
	size_t removed = 0;
	long long before;
	char *blobs, size[32];

	if (ret >= 0)
		return ret;
	if (store_open(&s, true, &err) < 0)
		return dk_fail(&err);
	blobs = dk_path_join(s.path, "blobs");
	before = blobs ? dk_tree_bytes(blobs) : 0;
	ret = dk_store_gc(&s, &removed, &err);
	dk_store_close(&s);
	if (ret < 0) {
		free(blobs);
		return dk_fail(&err);
	}
	dk_human_size(before - (blobs ? dk_tree_bytes(blobs) : 0), size, sizeof(size));
	free(blobs);
	if (reclaimed)
		printf("Total reclaimed space: %s\n", size);
	else
		printf("%zu\n", removed);
	return DK_EXIT_OK;
}
