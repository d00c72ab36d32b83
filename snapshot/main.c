// SPDX-License-Identifier: GPL-2.0-or-later
/* snapshot: copy-on-write container filesystems over the extracted-layer
 * cache: prepare, mount, umount, list, remove, prune, diff. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "commands.h"

static const struct dk_cmd cmds[] = {
    {"prepare", snap_cmd_prepare, "IMAGE KEY: extract layers, mount a writable rootfs"},
    {"mount", snap_cmd_mount, "KEY: mount the snapshot again, print its rootfs"},
    {"umount", snap_cmd_umount, "KEY: unmount the snapshot"},
    {"list", snap_cmd_list, "list snapshots [--format json]"},
    {"remove", snap_cmd_remove, "KEY: unmount and delete a snapshot"},
    {"prune", snap_cmd_prune, "delete cached layers no image or snapshot uses"},
    {"diff", snap_cmd_diff, "KEY: write the snapshot's changes as a layer tar"},
    {NULL, NULL, NULL}};

static void usage(void)
{
	printf("Usage: snapshot [--root DIR] COMMAND [OPTION]... [ARG]...\n"
	       "Copy-on-write container filesystems: image layers extracted once\n"
	       "into $DK_ROOT/layers, stacked by overlayfs under a writable layer.\n\n");
	dk_print_commands(cmds);
	printf("\nOptions (also after the command):\n"
	       "      --root DIR   dk state directory (default $DK_ROOT)\n"
	       "  -h, --help       show this help ('snapshot COMMAND --help' per command)\n"
	       "  -V, --version    show the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"root", required_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {"version", no_argument, NULL, 'V'},
					     {NULL, 0, NULL, 0}};
	int c;

	dk_tool_name = "snapshot";
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'r': snap_root_opt = optarg; break;
		case 'h': usage(); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return DK_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return dk_usage_error("missing command");
	argv += optind;
	argc -= optind;
	optind = 0; /* the command parses its own options */
	return dk_dispatch(cmds, argc, argv);
}
