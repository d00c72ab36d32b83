// SPDX-License-Identifier: GPL-2.0-or-later
/* proxy: publish a container's port (dk run -p): accept TCP connections on
 * a host address and relay each to a port inside the container's network
 * namespace. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "proxy.h"

static void usage(void)
{
	printf("Usage: proxy --netns PATH --listen [ADDR:]PORT --to [ADDR:]PORT [--ready-fd N]\n\n"
	       "Accept TCP connections on ADDR:PORT (default 0.0.0.0) in this network\n"
	       "namespace and relay each to ADDR:PORT (default 127.0.0.1) inside the\n"
	       "network namespace PATH (e.g. /proc/PID/ns/net).\n\n"
	       "Options:\n"
	       "  --netns PATH     the target network namespace\n"
	       "  --listen A:P     where to accept (port 0 picks a free one, printed)\n"
	       "  --to A:P         where to connect inside the namespace\n"
	       "  --pid-file F     write the proxy's pid to F once listening\n"
	       "  --help, --version\n");
}

static int parse_opts(int argc, char **argv, struct proxy_opts *o)
{
	static const struct option opts[] = {
	    {"netns", required_argument, NULL, 'n'},
	    {"listen", required_argument, NULL, 'l'},
	    {"to", required_argument, NULL, 't'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *listen = NULL, *to = NULL;
	struct dk_err err;
	int c;

	while ((c = dk_getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o->netns = optarg; break;
		case 'l': listen = optarg; break;
		case 't': to = optarg; break;
		case 'p': o->pid_file = optarg; break;
		case 'h': usage(); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	if (!o->netns || !listen || !to || optind < argc)
		return dk_usage_error("--netns, --listen and --to are required");
	if (proxy_parse_addr(listen, "0.0.0.0", &o->listen, &err) < 0 ||
	    proxy_parse_addr(to, "127.0.0.1", &o->to, &err) < 0)
		return dk_usage_error("%s", err.msg);
	return -1;
}

int main(int argc, char **argv)
{
	struct proxy_opts o = {0};
	struct dk_err err;
	int ret;

	dk_tool_name = "proxy";
	ret = parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (proxy_run(&o, &err) < 0)
		return dk_fail(&err);
	return DK_EXIT_OK;
}
