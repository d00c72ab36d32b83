// SPDX-License-Identifier: GPL-2.0-or-later
/* commands.h: snapshot's subcommands (argv[0] is the command name). */
#ifndef SNAPSHOT_COMMANDS_H
#define SNAPSHOT_COMMANDS_H

extern const char *snap_root_opt; /* --root before the command */

int snap_cmd_prepare(int argc, char **argv);
int snap_cmd_mount(int argc, char **argv);
int snap_cmd_umount(int argc, char **argv);
int snap_cmd_list(int argc, char **argv);
int snap_cmd_remove(int argc, char **argv);
int snap_cmd_prune(int argc, char **argv);
int snap_cmd_diff(int argc, char **argv);

#endif
