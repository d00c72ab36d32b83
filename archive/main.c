// SPDX-License-Identifier: GPL-2.0-or-later
/* archive: images of the store to and from tar files, as docker save and
 * docker load: what `dk save` and `dk load` run. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "archive.h"

static const struct dk_cmd cmds[] = {
    {"save", archive_cmd_save, "[-o FILE] IMAGE...: images as one tar (docker save)"},
    {"load", archive_cmd_load, "[-i FILE] [-q]: images from a docker or OCI archive"},
    {NULL, NULL, NULL},
};

const char *archive_root_opt;

static void usage(void)
{
	printf("Usage: archive [--root DIR] COMMAND [ARGS...]\n\n"
	       "Images of the dk image store to and from tar files.\n\n");
	dk_print_commands(cmds);
	printf("\nOptions:\n"
	       "  --root DIR   dk root (default $DK_ROOT, /var/lib/dk for root)\n"
	       "  --help       show this help\n"
	       "  --version    show the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	dk_tool_name = "archive";
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': archive_root_opt = optarg; break;
		case 'h': usage(); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	if (optind >= argc) {
		usage();
		return DK_EXIT_USAGE;
	}
	return dk_dispatch(cmds, argc - optind, argv + optind);
}
