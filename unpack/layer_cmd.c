// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_cmd.c: `unpack layer [--overlay] [--rootless] DIR`: apply one
 * layer tar (plain, gzip or zstd) read from stdin into DIR. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "unpack.h"

static void usage(void)
{
	printf("Usage: unpack layer [--overlay] [--rootless] [--uid-map C:H:N]\n"
	       "                    [--gid-map C:H:N] [--diff-id DIGEST]\n"
	       "                    [--lower DIR]... DIR < LAYER\n\n"
	       "Apply one layer tar (plain, gzip or zstd) from stdin into DIR.\n\n"
	       "  --overlay        turn whiteouts into overlayfs whiteouts\n"
	       "  --rootless       no device nodes, no chown, user.overlay.* xattrs\n"
	       "  --uid-map C:H:N  store container uid C as host uid H (N ids)\n"
	       "  --gid-map C:H:N  the same for gids\n"
	       "  --digest D       refuse the layer unless its bytes hash to D\n"
	       "  --diff-id D      refuse it unless the uncompressed tar hashes to D\n"
	       "  --lower DIR      (--overlay) a lower layer, topmost first, where\n"
	       "                   hardlink targets missing from DIR are copied from\n");
}

struct layer_cmd {
	struct dk_layer_opts lo;
	struct unpack_opts o; /* the id maps */
	struct dk_digest digest, diff_id;
	int lower[16];
	size_t n_lower;
};

static const struct option lopts[] = {
    {"root", required_argument, NULL, 'r'},    {"overlay", no_argument, NULL, 'o'},
    {"rootless", no_argument, NULL, 'R'},      {"uid-map", required_argument, NULL, 'u'},
    {"gid-map", required_argument, NULL, 'g'}, {"digest", required_argument, NULL, 'd'},
    {"diff-id", required_argument, NULL, 'D'}, {"lower", required_argument, NULL, 'l'},
    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0},
};

static int add_lower(struct layer_cmd *l, const char *dir)
{
	struct dk_err err;

	if (l->n_lower == sizeof(l->lower) / sizeof(l->lower[0]))
		return dk_usage_error("too many --lower");
	l->lower[l->n_lower] = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->lower[l->n_lower] < 0) {
		dk_err_sys(&err, "lower layer %s", dir);
		return dk_fail(&err);
	}
	l->n_lower++;
	return -1;
}

/* One option; -1 to go on, else an exit status. */
static int option(struct layer_cmd *l, int c, const char *arg)
{
	struct dk_err err = {0};

	switch (c) {
	case 'r': return -1; /* no store needed */
	case 'o': l->lo.whiteouts = DK_WHITEOUT_OVERLAY; return -1;
	case 'R': l->lo.rootless = true; return -1;
	case 'u':
	case 'g':
		if (unpack_parse_idmap(&l->o, c == 'u', arg, &err) < 0)
			return dk_usage_error("%s", err.msg);
		return -1;
	case 'd':
	case 'D':
		if (dk_digest_parse(arg, c == 'd' ? &l->digest : &l->diff_id, &err) < 0)
			return dk_usage_error("%s", err.msg);
		if (c == 'd')
			l->lo.digest = &l->digest;
		else
			l->lo.diff_id = &l->diff_id;
		return -1;
	case 'l': return add_lower(l, arg);
	case 'h': usage(); return DK_EXIT_OK;
	default: return dk_usage_error("unknown option");
	}
}

static int apply(struct layer_cmd *l, const char *dir)
{
	struct dk_layer_stats st;
	struct dk_err err = {0};
	cleanup_close int dirfd = -1;

	l->lo.what = "layer from stdin";
	l->lo.uid_map = l->o.uid_map;
	l->lo.n_uid_map = l->o.n_uid_map;
	l->lo.gid_map = l->o.gid_map;
	l->lo.n_gid_map = l->o.n_gid_map;
	l->lo.lower_fds = l->lower;
	l->lo.n_lower = l->n_lower;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		dk_err_sys(&err, "%s", dir);
		return dk_fail(&err);
	}
	if (dk_layer_apply(dirfd, STDIN_FILENO, &l->lo, &st, &err) < 0)
		return dk_fail(&err);
	printf("%s\n", st.diff_id.str);
	return DK_EXIT_OK;
}

int unpack_cmd_layer(int argc, char **argv)
{
	struct layer_cmd l = {0};
	int c, r = -1;

	while (r < 0 && (c = dk_getopt_long(argc, argv, "h", lopts, NULL)) != -1)
		r = option(&l, c, optarg);
	if (r < 0 && optind + 1 != argc)
		r = dk_usage_error("layer: want exactly one DIR");
	if (r < 0)
		r = apply(&l, argv[optind]);
	for (size_t i = 0; i < l.n_lower; i++)
		close(l.lower[i]);
	return r;
}
