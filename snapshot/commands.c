// SPDX-License-Identifier: GPL-2.0-or-later
/* commands.c: snapshot's subcommands: options, then calls into the layer
 * cache (layers.c), snapshots (snap.c), mounts (mount.c) and diffs. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "fs.h"
#include "snapshot.h"

const char *snap_root_opt;

struct sub {
	const char *usage; /* after "snapshot NAME " */
	int nargs;
	bool takes_format, takes_driver, takes_mountpoint;
	const char *format, *driver;
	char **mountpoints; /* diff --mountpoint PATH... */
	char **args;
};

enum { SUB_OK, SUB_HELP, SUB_USAGE };

static int parse_sub(int argc, char **argv, struct sub *s)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, 'r'},   {"format", required_argument, NULL, 'f'},
	    {"driver", required_argument, NULL, 'd'}, {"mountpoint", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0}};
	int c;

	while ((c = dk_getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'r') {
			snap_root_opt = optarg;
		} else if (c == 'f' && s->takes_format) {
			s->format = optarg;
		} else if (c == 'd' && s->takes_driver) {
			s->driver = optarg;
		} else if (c == 'm' && s->takes_mountpoint) {
			if (optarg[0] != '/' || dk_strv_push(&s->mountpoints, optarg) < 0) {
				dk_usage_error("%s: --mountpoint %s: want an absolute path",
					       argv[0], optarg);
				return SUB_USAGE;
			}
		} else if (c == 'h') {
			printf("Usage: snapshot %s %s\n", argv[0], s->usage);
			return SUB_HELP;
		} else {
			if (c == 'f' || c == 'd' || c == 'm')
				dk_usage_error("%s: unknown option", argv[0]);
			return SUB_USAGE;
		}
	}
	if (argc - optind != s->nargs) {
		dk_usage_error("%s: expected %s", argv[0], s->usage);
		return SUB_USAGE;
	}
	s->args = argv + optind;
	return SUB_OK;
}

static int sub_status(int r)
{
	return r == SUB_HELP ? DK_EXIT_OK : DK_EXIT_USAGE;
}

static char *now_string(void)
{
	char buf[64];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strdup(buf);
}

static int create_snapshot(struct snap_root *r, struct dk_store *s, struct dk_image *img,
			   struct snap_meta *m, struct dk_err *err)
{
	size_t extracted = 0;

	if (snap_chain_ids(img, &m->layers, err) < 0 ||
	    snap_layers_ensure(r, s, img, m->layers, &extracted, err) < 0)
		return -1;
	if (extracted && isatty(STDERR_FILENO))
		fprintf(stderr, "snapshot: extracted %zu of %zu layers\n", extracted,
			dk_strv_len(m->layers));
	m->image = strdup(img->name ? img->name : "");
	m->manifest = strdup(img->desc.digest.str);
	m->created = now_string();
	if (!m->image || !m->manifest || !m->created)
		return dk_err_sys(err, "snapshot %s", m->key);
	if (snap_create_dirs(r, m, err) < 0)
		return -1;
	if ((m->driver == SNAP_COPY ? snap_copy_populate(r, s, img, m->key, err)
				    : snap_mount(r, m, err)) < 0) {
		struct dk_err ignored;
		dk_rm_rf_at(r->snaps_fd, m->key, &ignored);
		return -1;
	}
	return 0;
}

static int prepare(const char *image, struct snap_meta *m, struct dk_err *err)
{
	struct snap_root r;
	struct dk_store s;
	struct dk_image img;
	int lock, ret = -1;

	if (snap_root_open(&r, snap_root_opt, err) < 0)
		return -1;
	if (dk_store_open_default(&s, snap_root_opt, false, err) < 0)
		goto out_root;
	snap_clean_leftovers(&r);
	if (dk_store_load_image(&s, image, NULL, &img, err) < 0)
		goto out_store;
	lock = snap_layers_lock(&r, false, err);
	if (lock >= 0) {
		ret = create_snapshot(&r, &s, &img, m, err);
		close(lock);
	}
	if (ret == 0) {
		cleanup_free char *rootfs = snap_path(&r, m->key, "rootfs");
		printf("%s\n", rootfs);
	}
	dk_image_free(&img);
out_store:
	dk_store_close(&s);
out_root:
	snap_root_close(&r);
	return ret;
}

int snap_cmd_prepare(int argc, char **argv)
{
	struct sub s = {.usage = "[--driver overlay|copy] IMAGE KEY",
			.nargs = 2,
			.takes_driver = true,
			.driver = "overlay"};
	struct snap_meta m = {0};
	struct dk_err err;
	int r = parse_sub(argc, argv, &s), ret;

	if (r != SUB_OK)
		return sub_status(r);
	if (strcmp(s.driver, "overlay") && strcmp(s.driver, "copy"))
		return dk_usage_error("--driver %s: want overlay or copy", s.driver);
	if (snap_key_check(s.args[1], &err) < 0)
		return dk_usage_error("%s", err.msg);
	m.key = strdup(s.args[1]);
	m.driver = strcmp(s.driver, "copy") == 0 ? SNAP_COPY : SNAP_OVERLAY;
	ret = prepare(s.args[0], &m, &err) < 0 ? dk_fail(&err) : DK_EXIT_OK;
	snap_meta_free(&m);
	return ret;
}

/* Open the root and load KEY's metadata; 0 or an exit status. */
static int open_key(const char *key, struct snap_root *r, struct snap_meta *m)
{
	struct dk_err err;

	if (snap_root_open(r, snap_root_opt, &err) < 0)
		return dk_fail(&err);
	if (snap_meta_load(r, key, m, &err) < 0) {
		snap_root_close(r);
		return dk_fail(&err);
	}
	return 0;
}

/* A command on one snapshot KEY: s gives the usage and which options
 * it takes; fn gets them parsed. */
static int keyed(int argc, char **argv, struct sub s,
		 int (*fn)(struct snap_root *, struct snap_meta *, const struct sub *,
			   struct dk_err *))
{
	struct snap_root r;
	struct snap_meta m;
	struct dk_err err;
	int parsed = parse_sub(argc, argv, &s), ret;

	if (parsed != SUB_OK)
		ret = sub_status(parsed);
	else if ((ret = open_key(s.args[0], &r, &m)) == 0) {
		ret = fn(&r, &m, &s, &err) < 0 ? dk_fail(&err) : DK_EXIT_OK;
		snap_meta_free(&m);
		snap_root_close(&r);
	}
	dk_strv_free(s.mountpoints);
	return ret;
}

static int do_mount(struct snap_root *r, struct snap_meta *m, const struct sub *s,
		    struct dk_err *err)
{
	(void)s;
	cleanup_free char *rootfs = snap_path(r, m->key, "rootfs");

	if (snap_mount(r, m, err) < 0)
		return -1;
	printf("%s\n", rootfs);
	return 0;
}

static int do_umount(struct snap_root *r, struct snap_meta *m, const struct sub *s,
		     struct dk_err *err)
{
	(void)s;
	return snap_umount(r, m->key, err);
}

/* Unmount, move out of sight (".KEY.tmp-PID"), then delete. */
static int do_remove(struct snap_root *r, struct snap_meta *m, const struct sub *s,
		     struct dk_err *err)
{
	(void)s;
	char tmp[200];

	if (snap_umount(r, m->key, err) < 0)
		return dk_err_wrap(err, "removing snapshot %s", m->key);
	snprintf(tmp, sizeof(tmp), ".%s.tmp-%d", m->key, (int)getpid());
	if (renameat(r->snaps_fd, m->key, r->snaps_fd, tmp) < 0)
		return dk_err_sys(err, "removing snapshot %s", m->key);
	return dk_rm_rf_at(r->snaps_fd, tmp, err);
}

static int do_diff(struct snap_root *r, struct snap_meta *m, const struct sub *s,
		   struct dk_err *err)
{
	if (isatty(STDOUT_FILENO))
		return dk_err_set(
		    err, "diff %s: refusing to write a tar to a terminal (redirect or pipe it)",
		    m->key);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct snap_diff_opts o = {.clamp = -1, .mountpoints = s->mountpoints};

	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);

		if (*end || v < 0)
			return dk_err_set(err, "SOURCE_DATE_EPOCH \"%s\": not a number of seconds",
					  sde);
		o.clamp = v;
	}
	return snap_diff(r, m, STDOUT_FILENO, &o, err);
}

int snap_cmd_mount(int argc, char **argv)
{
	return keyed(argc, argv, (struct sub){.usage = "KEY", .nargs = 1}, do_mount);
}

int snap_cmd_umount(int argc, char **argv)
{
	return keyed(argc, argv, (struct sub){.usage = "KEY", .nargs = 1}, do_umount);
}

int snap_cmd_remove(int argc, char **argv)
{
	return keyed(argc, argv, (struct sub){.usage = "KEY", .nargs = 1}, do_remove);
}

int snap_cmd_diff(int argc, char **argv)
{
	struct sub s = {.usage = "[--mountpoint PATH]... KEY > layer.tar",
			.nargs = 1,
			.takes_mountpoint = true};

	return keyed(argc, argv, s, do_diff);
}
