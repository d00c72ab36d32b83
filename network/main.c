// SPDX-License-Identifier: GPL-2.0-or-later
/* network: dk's container networks through CNI plugins. Owns the
 * conflists in $DK_ROOT/networks/ (docker's network commands) and joins
 * containers to them: `up` makes the container's namespace file
 * $DK_ROOT/netns/ID and runs the plugins' ADD, `down` their DEL. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "fs.h"
#include "network.h"

char *net_root;

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
    {"create", net_cmd_create, "[--subnet CIDR] [--gateway IP] [--internal] NAME"},
    {"ls", net_cmd_ls, "[-q] [--format json]: list networks"},
    {"inspect", net_cmd_inspect, "NAME...: networks as JSON"},
    {"rm", net_cmd_rm, "NAME...: remove networks no container uses"},
    {"prune", net_cmd_prune, "[-f]: remove every unused user network"},
    {"up", net_cmd_up, "[--ip IP] [--alias A]... [--name N] [-p PORT]... ID NETWORK"},
    {"down", net_cmd_down, "[--network NETWORK] ID: leave one or every network"},
};

static void usage(void)
{
	printf("Usage: network [--root DIR] COMMAND [ARGS...]\n\n"
	       "dk's container networks, driven through CNI plugins ($DK_CNI_PATH,\n"
	       "default /usr/lib/cni).\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		printf("  %-8s %s\n", cmds[i].name, cmds[i].help);
	printf("\nOptions:\n  --root DIR  dk root (default $DK_ROOT, /var/lib/dk for root)\n"
	       "  --help      this help\n  --version   the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *root = NULL;
	int c;

	dk_tool_name = "network";
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'h': usage(); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	if (optind >= argc)
		return dk_usage_error("want a command");
	net_root = dk_default_root(root);
	if (!net_root)
		return dk_usage_error("no dk root");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[optind], cmds[i].name))
			continue;
		argc -= optind, argv += optind;
		optind = 1;
		c = cmds[i].fn(argc, argv);
		free(net_root);
		return c;
	}
	return dk_usage_error("unknown command \"%s\"", argv[optind]);
}
