// SPDX-License-Identifier: GPL-2.0-or-later
/* cli.h: what every tool's main shares: exit statuses, error and usage
 * reporting, --version, and {name, function} subcommand dispatch. */
#ifndef DK_CLI_H
#define DK_CLI_H

#include "err.h"

enum {
	DK_EXIT_OK = 0,
	DK_EXIT_FAIL = 1,
	DK_EXIT_USAGE = 2,
	DK_EXIT_RUN_FAIL = 125, /* could not start the container */
	DK_EXIT_NOEXEC = 126,
	DK_EXIT_NOTFOUND = 127,
};

/* Name used in messages ("fetch"); set once by main. */
extern const char *dk_tool_name;

/* Print "tool: message" and return DK_EXIT_FAIL. */
int dk_fail(const struct dk_err *err);

/* Print "tool: message" and "Try 'tool --help'." and return DK_EXIT_USAGE. */
int dk_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt_long that refuses abbreviated long options ("--pid" for
 * "--pids-limit"): '?' with optopt 0 and argv[optind - 1] the flag. */
struct option;
int dk_getopt_long(int argc, char *const *argv, const char *shorts, const struct option *opts,
		   int *longindex);

/* Print "tool version X" on stdout and return DK_EXIT_OK. */
int dk_print_version(void);

struct dk_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	const char *summary;
};

/* Run the command named argv[0] from the NULL-name-terminated table; an
 * unknown or missing command is a usage error. */
int dk_dispatch(const struct dk_cmd *cmds, int argc, char **argv);

/* A tool made of subcommands: `NAME [--root DIR] COMMAND [ARGS...]`. */
struct dk_tool {
	const char *name;  /* "store": dk_tool_name, usage line */
	const char *about; /* what --help says before the commands */
	const struct dk_cmd *cmds;
};

/* The global options every such tool takes (--root DIR, -h/--help,
 * -V/--version); *root gets --root's value (NULL: not given), optind the
 * command's index. Returns -1 to go on with the command, else the status
 * to exit with (help, version, a usage error or no command). */
int dk_tool_options(const struct dk_tool *t, int argc, char **argv, const char **root);

/* Print "Commands:" and the table's summaries (for --help). */
void dk_print_commands(const struct dk_cmd *cmds);

#endif
