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

int unpack_cmd_layer(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "overlay", no_argument, NULL, 'o' },
		{ "rootless", no_argument, NULL, 'R' },
		{ "uid-map", required_argument, NULL, 'u' },
		{ "gid-map", required_argument, NULL, 'g' },
		{ "digest", required_argument, NULL, 'd' },
		{ "diff-id", required_argument, NULL, 'D' },
		{ "lower", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dk_layer_opts lo = { .what = "layer from stdin" };
	struct unpack_opts o = { 0 };
	struct dk_digest digest, diff_id;
	struct dk_layer_stats st;
	struct dk_err err = { 0 };
	cleanup_close int dirfd = -1;
	int lower[16], c, r;
	size_t n_lower = 0;

	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'r': break;	/* no store needed */
		case 'o': lo.whiteouts = DK_WHITEOUT_OVERLAY; break;
		case 'R': lo.rootless = true; break;
		case 'u':
		case 'g':
			if (unpack_parse_idmap(&o, c == 'u', optarg, &err) < 0)
				return dk_usage_error("%s", err.msg);
			break;
		case 'd':
		case 'D':
			if (dk_digest_parse(optarg, c == 'd' ? &digest : &diff_id,
					    &err) < 0)
				return dk_usage_error("%s", err.msg);
			if (c == 'd')
				lo.digest = &digest;
			else
				lo.diff_id = &diff_id;
			break;
		case 'l':
			if (n_lower == sizeof(lower) / sizeof(lower[0]))
				return dk_usage_error("too many --lower");
			lower[n_lower] = open(optarg, O_RDONLY | O_DIRECTORY |
					      O_CLOEXEC);
			if (lower[n_lower] < 0) {
				dk_err_sys(&err, "lower layer %s", optarg);
				return dk_fail(&err);
			}
			n_lower++;
			break;
		case 'h': usage(); return DK_EXIT_OK;
		default: return dk_usage_error("unknown option");
		}
	}
	if (optind + 1 != argc)
		return dk_usage_error("layer: want exactly one DIR");
	lo.uid_map = o.uid_map;
	lo.n_uid_map = o.n_uid_map;
	lo.gid_map = o.gid_map;
	lo.n_gid_map = o.n_gid_map;
	lo.lower_fds = lower;
	lo.n_lower = n_lower;
	dirfd = open(argv[optind], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		dk_err_sys(&err, "%s", argv[optind]);
		return dk_fail(&err);
	}
	r = dk_layer_apply(dirfd, STDIN_FILENO, &lo, &st, &err);
	for (size_t i = 0; i < n_lower; i++)
		close(lower[i]);
	if (r < 0)
		return dk_fail(&err);
	printf("%s\n", st.diff_id.str);
	return DK_EXIT_OK;
}
