// SPDX-License-Identifier: GPL-2.0-or-later
/* cli.c: shared pieces of the tools' mains. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <getopt.h>
#include "cli.h"

#ifndef DK_VERSION
#define DK_VERSION "0.0.0"
#endif

const char *dk_tool_name = "dk";

int dk_fail(const struct dk_err *err)
{
	dk_err_print(dk_tool_name, err);
	return DK_EXIT_FAIL;
}

int dk_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", dk_tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", dk_tool_name);
	return DK_EXIT_USAGE;
}

int dk_print_version(void)
{
	printf("%s version %s\n", dk_tool_name, DK_VERSION);
	return DK_EXIT_OK;
}

int dk_dispatch(const struct dk_cmd *cmds, int argc, char **argv)
{
	if (argc < 1 || !argv[0])
		return dk_usage_error("missing command");
	for (const struct dk_cmd *c = cmds; c->name; c++)
		if (strcmp(c->name, argv[0]) == 0) {
			optind = 0; /* the command parses its own options */
			return c->run(argc, argv);
		}
	return dk_usage_error("unknown command \"%s\"", argv[0]);
}

void dk_print_commands(const struct dk_cmd *cmds)
{
	printf("Commands:\n");
	for (const struct dk_cmd *c = cmds; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary ? c->summary : "");
}

static void tool_usage(const struct dk_tool *t)
{
	printf("Usage: %s [--root DIR] COMMAND [ARGS...]\n\n%s\n", t->name, t->about);
	dk_print_commands(t->cmds);
	printf("\nOptions:\n"
	       "      --root DIR   dk root (default $DK_ROOT, /var/lib/dk for root)\n"
	       "  -h, --help       show this help ('%s COMMAND --help' per command)\n"
	       "  -V, --version    show the version\n",
	       t->name);
}

int dk_tool_options(const struct dk_tool *t, int argc, char **argv, const char **root)
{
	static const struct option opts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	dk_tool_name = t->name;
	*root = NULL;
	/* "+": stop at the command; its own options follow it */
	while ((c = dk_getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'r': *root = optarg; break;
		case 'h': tool_usage(t); return DK_EXIT_OK;
		case 'V': return dk_print_version();
		default: return dk_usage_error("unknown option");
		}
	}
	if (optind >= argc) {
		tool_usage(t);
		return DK_EXIT_USAGE;
	}
	return -1;
}
