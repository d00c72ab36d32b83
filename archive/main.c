// SPDX-License-Identifier: GPL-2.0-or-later
/* archive: images of the store to and from tar files, as docker save and
 * docker load: what `dk save` and `dk load` run. */
#include <stdio.h>
#include <unistd.h>
#include "cli.h"
#include "archive.h"

static const struct dk_cmd cmds[] = {
    {"save", archive_cmd_save, "[-o FILE] IMAGE...: images as one tar (docker save)"},
    {"load", archive_cmd_load, "[-i FILE] [-q]: images from a docker or OCI archive"},
    {NULL, NULL, NULL},
};

const char *archive_root_opt;

int main(int argc, char **argv)
{
	static const struct dk_tool tool = {
	    "archive", "Images of the dk image store to and from tar files.\n", cmds};
	int rc = dk_tool_options(&tool, argc, argv, &archive_root_opt);

	return rc >= 0 ? rc : dk_dispatch(cmds, argc - optind, argv + optind);
}
