// SPDX-License-Identifier: GPL-2.0-or-later
/* store: manage the local image store (list, tag, rm, inspect, history, gc):
 * what `dk images`, `dk tag`, `dk rmi`, `dk inspect` and `dk history` run. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "store-cmds.h"

static const struct dk_cmd cmds[] = {
    {"list", store_cmd_list, "list tagged images (docker images)"},
    {"ls", store_cmd_list, "same as list"},
    {"tag", store_cmd_tag, "SOURCE TARGET: give an image another name"},
    {"rm", store_cmd_rm, "NAME...: remove names, then unreferenced blobs"},
    {"inspect", store_cmd_inspect, "NAME...: image details as JSON"},
    {"history", store_cmd_history, "NAME: the image's layer history"},
    {"resolve", store_cmd_resolve, "NAME: print the manifest digest"},
    {"gc", store_cmd_gc, "remove blobs no name reaches"},
    {"check", store_cmd_check, "[--repair]: verify every blob and every tag (fsck)"},
    {NULL, NULL, NULL},
};

const char *store_root_opt;

static void usage(void)
{
	printf("Usage: store [--root DIR] COMMAND [ARGS...]\n\n"
	       "Manage the dk image store ($DK_ROOT/images, an OCI image layout).\n\n");
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

	dk_tool_name = "store";
	/* "+": stop at the command; its own options follow it */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': store_root_opt = optarg; break;
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
