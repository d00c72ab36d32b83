// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd_prune.c: the command line of `buildfile prune` (docker builder
 * prune's): -a/--all, -f/--force (there is never a prompt to skip),
 * --filter until=DURATION, --root. Other filters and --keep-storage are
 * refused as not supported. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "build.h"
#include "cli.h"
#include "duration.h"

static const char usage_text[] =
    "Usage: buildfile prune [OPTION]...\n"
    "Remove the build cache: RUN --mount=type=cache directories, ADD URL\n"
    "downloads and layer-cache entries whose image is gone.\n"
    "  -a, --all               every layer-cache entry too, and the step\n"
    "                          images only the cache kept\n"
    "      --filter until=DURATION  only what is older (e.g. 24h)\n"
    "  -f, --force             do not prompt (buildfile never does)\n"
    "      --root DIR          dk state directory (default $DK_ROOT)\n"
    "  -h, --help              show this help\n";

enum { OPT_FILTER = 256, OPT_ROOT, OPT_KEEP };

static const struct option prune_opts[] = {{"all", no_argument, NULL, 'a'},
					   {"force", no_argument, NULL, 'f'},
					   {"filter", required_argument, NULL, OPT_FILTER},
					   {"keep-storage", required_argument, NULL, OPT_KEEP},
					   {"root", required_argument, NULL, OPT_ROOT},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};

static int parse_filter(const char *f, struct bf_prune_opts *o)
{
	int64_t ns;

	if (strncmp(f, "until=", 6))
		return dk_usage_error("prune: --filter %s: not supported (until=DURATION)", f);
	if ((ns = dk_parse_duration(f + 6)) <= 0)
		return dk_usage_error("prune: --filter %s: want a duration such as 24h", f);
	o->until = (long)(ns / 1000000000);
	return 0;
}

int bf_prune_main(int argc, char **argv)
{
	struct bf_prune_opts o = {0};
	struct dk_err err;
	int c, r;

	optind = 1;
	while ((c = dk_getopt_long(argc, argv, "afh", prune_opts, NULL)) != -1) {
		switch (c) {
		case 'a': o.all = true; break;
		case 'f': break;
		case OPT_FILTER:
			if ((r = parse_filter(optarg, &o)) != 0)
				return r;
			break;
		case OPT_KEEP: return dk_usage_error("prune: --keep-storage: not supported");
		case OPT_ROOT: o.root = optarg; break;
		case 'h': fputs(usage_text, stdout); return DK_EXIT_OK;
		default: return DK_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return dk_usage_error("prune: unexpected argument \"%s\"", argv[optind]);
	return bf_prune(&o, &err) < 0 ? dk_fail(&err) : DK_EXIT_OK;
}
