// SPDX-License-Identifier: GPL-2.0-or-later
/* snapshot: copy-on-write container filesystems over the extracted-layer
 * cache: prepare, mount, umount, list, remove, prune, diff. */
#include <stdio.h>
#include <unistd.h>
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

int main(int argc, char **argv)
{
	static const struct dk_tool tool = {
	    "snapshot",
	    "Copy-on-write container filesystems: image layers extracted once\n"
	    "into $DK_ROOT/layers, stacked by overlayfs under a writable layer.\n",
	    cmds};
	int rc = dk_tool_options(&tool, argc, argv, &snap_root_opt);

	return rc >= 0 ? rc : dk_dispatch(cmds, argc - optind, argv + optind);
}
