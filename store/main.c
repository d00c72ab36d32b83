// SPDX-License-Identifier: GPL-2.0-or-later
/* store: manage the local image store (list, tag, rm, inspect, history, gc):
 * what `dk images`, `dk tag`, `dk rmi`, `dk inspect` and `dk history` run. */
#include <stdio.h>
#include <unistd.h>
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

int main(int argc, char **argv)
{
	static const struct dk_tool tool = {
	    "store", "Manage the dk image store ($DK_ROOT/images, an OCI image layout).\n", cmds};
	int rc = dk_tool_options(&tool, argc, argv, &store_root_opt);

	return rc >= 0 ? rc : dk_dispatch(cmds, argc - optind, argv + optind);
}
