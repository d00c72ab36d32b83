// SPDX-License-Identifier: GPL-2.0-or-later
/* image_cmd.c: `unpack IMAGE BUNDLE` and `unpack config IMAGE`: option
 * parsing, loading the image from the store, then bundle.c or spec.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "fmt.h"
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "userspec.h"
#include "unpack.h"

static void usage(void)
{
	printf("Usage: unpack [OPTIONS] IMAGE BUNDLE\n"
	       "       unpack [--root DIR] config [--rootless] [--rootfs DIR] IMAGE\n"
	       "       unpack layer [--overlay] [--rootless] DIR < LAYER\n\n"
	       "Unpack an image from the store into an OCI runtime bundle\n"
	       "(BUNDLE/rootfs and BUNDLE/config.json).\n\n"
	       "Options:\n"
	       "  --root DIR         dk root (default $DK_ROOT, /var/lib/dk for root)\n"
	       "  --platform P       os/arch[/variant] to pick from an index\n"
	       "  --rootless         for an unprivileged runtime: no chown, no\n"
	       "                     devices, a user namespace mapping the caller\n"
	       "  --uid-map C:H:N    store container uids C.. as host uids H..\n"
	       "  --gid-map C:H:N    the same for gids (both add a user namespace)\n"
	       "  --force            replace a non-empty BUNDLE\n"
	       "  --rootfs DIR       (config) resolve the user in this rootfs\n"
	       "  --help             show this help\n"
	       "  --version          show the version\n\n");
	printf("Commands:\n"
	       "  layer   apply one layer tar from stdin into DIR\n"
	       "  config  print the config.json the image would get\n");
}

static const struct option image_opts[] = {
    {"root", required_argument, NULL, 'r'},    {"platform", required_argument, NULL, 'p'},
    {"rootless", no_argument, NULL, 'R'},      {"uid-map", required_argument, NULL, 'u'},
    {"gid-map", required_argument, NULL, 'g'}, {"force", no_argument, NULL, 'f'},
    {"rootfs", required_argument, NULL, 'F'},  {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
};

/* Parse the options; returns -1 to go on, else an exit status. */
static int parse(int argc, char **argv, struct unpack_opts *o)
{
	struct dk_err err = {0};
	int c;

	while ((c = dk_getopt_long(argc, argv, "h", image_opts, NULL)) != -1) {
		switch (c) {
		case 'r': unpack_global.root = optarg; break;
		case 'p': o->platform = optarg; break;
		case 'R': o->rootless = true; break;
		case 'f': o->force = true; break;
		case 'F': o->rootfs = optarg; break;
		case 'u':
		case 'g':
			if (unpack_parse_idmap(o, c == 'u', optarg, &err) < 0)
				return dk_usage_error("%s", err.msg);
			break;
		case 'h': usage(); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	return -1;
}

static int load(struct dk_store *s, struct dk_image *img, const struct unpack_opts *o,
		struct dk_err *err)
{
	struct dk_platform want = {0};
	int r;

	if (o->platform && dk_platform_parse(o->platform, &want, err) < 0)
		return -1;
	if (dk_store_open_default(s, unpack_global.root, false, err) < 0) {
		dk_platform_free(&want);
		return -1;
	}
	/* "@sha256:..." names a manifest by digest, as "sha256:..." does */
	r = dk_store_load_image(s, o->image + (o->image[0] == '@'), o->platform ? &want : NULL, img,
				err);
	if (r == 0 && o->platform) {
		/* a plain manifest is not checked against the wanted platform
		 * by the store: its config says what it is */
		struct dk_platform have = {
		    .os = img->config.os,
		    .architecture = img->config.architecture,
		    .variant = img->config.variant,
		};
		char buf[128];

		if (!dk_platform_match(&have, &want)) {
			dk_platform_format(&have, buf, sizeof(buf));
			r = dk_err_set(err, "image %s is for %s, not %s", o->image, buf,
				       o->platform);
			dk_image_free(img);
		}
	}
	dk_platform_free(&want);
	if (r < 0)
		dk_store_close(s);
	return r;
}

int unpack_cmd_image(int argc, char **argv)
{
	struct unpack_opts o = {0};
	struct dk_err err = {0};
	struct dk_store s;
	struct dk_image img;
	int r = parse(argc, argv, &o);

	if (r >= 0)
		return r;
	if (optind + 2 != argc)
		return dk_usage_error("want IMAGE and BUNDLE");
	o.image = argv[optind];
	o.bundle = argv[optind + 1];
	if (load(&s, &img, &o, &err) < 0)
		return dk_fail(&err);
	r = unpack_bundle(&s, &img, &o, &err);
	if (r < 0)
		dk_err_wrap(&err, "unpacking %s into %s", o.image, o.bundle);
	dk_image_free(&img);
	dk_store_close(&s);
	return r < 0 ? dk_fail(&err) : DK_EXIT_OK;
}

/* The user of img, from a scratch unpack when names need the files. */
static int config_user(struct dk_store *s, const struct dk_image *img, const struct unpack_opts *o,
		       struct dk_user *u, struct dk_err *err)
{
	const char *spec = img->config.config.user ? img->config.config.user : "";
	const char *tmpdir = getenv("TMPDIR");
	char dir[4096];
	cleanup_close int rootfd = -1;
	struct dk_err ignore;
	struct unpack_opts scratch = *o;
	int r;

	if (o->rootfs) {
		rootfd = open(o->rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			return dk_err_sys(err, "rootfs %s", o->rootfs);
		return unpack_resolve_user(img, rootfd, u, err);
	}
	if (!dk_user_needs_files(spec) || img->manifest.n_layers == 0)
		return dk_user_resolve(spec, NULL, NULL, u, err);
	if (dk_fmt(dir, sizeof(dir), err, "%s/dk-unpack-XXXXXX",
		   tmpdir && *tmpdir ? tmpdir : "/tmp") < 0)
		return dk_err_wrap(err, "TMPDIR");
	if (!mkdtemp(dir))
		return dk_err_sys(err, "creating %s", dir);
	scratch.rootless = true; /* only /etc matters: no devices */
	rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = rootfd < 0 ? dk_err_sys(err, "%s", dir) : unpack_layers(s, img, rootfd, &scratch, err);
	if (r == 0)
		r = unpack_resolve_user(img, rootfd, u, err);
	dk_rm_rf_at(AT_FDCWD, dir, &ignore);
	return r;
}

int unpack_cmd_config(int argc, char **argv)
{
	struct unpack_opts o = {0};
	struct dk_err err = {0};
	struct dk_store s;
	struct dk_image img;
	struct dk_user u;
	cleanup_free char *json = NULL;
	size_t len;
	int r = parse(argc, argv, &o);

	if (r >= 0)
		return r;
	if (optind + 1 != argc)
		return dk_usage_error("config: want exactly one IMAGE");
	o.image = argv[optind];
	if (load(&s, &img, &o, &err) < 0)
		return dk_fail(&err);
	r = config_user(&s, &img, &o, &u, &err);
	if (r == 0)
		r = unpack_spec(&img, &u, &o, &json, &len, &err);
	dk_image_free(&img);
	dk_store_close(&s);
	if (r < 0)
		return dk_fail(&err);
	fwrite(json, 1, len, stdout);
	putchar('\n');
	return DK_EXIT_OK;
}
