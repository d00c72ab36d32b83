// SPDX-License-Identifier: GPL-2.0-or-later
/* network: dk's container networks through CNI plugins. Owns the
 * conflists in $DK_ROOT/networks/ (docker's network commands) and joins
 * containers to them: `up` makes the container's namespace file
 * $DK_ROOT/netns/ID and runs the plugins' ADD, `down` their DEL. */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "fs.h"
#include "network.h"

char *net_root;

static const struct dk_cmd cmds[] = {
    {"create", net_cmd_create, "[--subnet CIDR] [--gateway IP] [--internal] NAME"},
    {"ls", net_cmd_ls, "[-q] [-f K=V]... [--format table|json]: list networks"},
    {"inspect", net_cmd_inspect, "NAME...: networks as JSON"},
    {"rm", net_cmd_rm, "NAME...: remove networks no container uses"},
    {"prune", net_cmd_prune, "[-f]: remove every unused user network"},
    {"up", net_cmd_up, "[--ip IP] [--alias A]... [--name N] [-p PORT]... ID NETWORK"},
    {"down", net_cmd_down, "[--network NETWORK] ID: leave one or every network"},
    {NULL, NULL, NULL},
};

int main(int argc, char **argv)
{
	static const struct dk_tool tool = {
	    "network",
	    "dk's container networks, driven through CNI plugins ($DK_CNI_PATH,\n"
	    "default /usr/lib/cni).\n",
	    cmds};
	const char *root;
	int c = dk_tool_options(&tool, argc, argv, &root);

	if (c >= 0)
		return c;
	signal(SIGPIPE, SIG_IGN);
	net_root = dk_default_root(root);
	if (!net_root)
		return dk_usage_error("root directory: %s", strerror(errno));
	c = dk_dispatch(cmds, argc - optind, argv + optind);
	free(net_root);
	return c;
}
