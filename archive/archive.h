// SPDX-License-Identifier: GPL-2.0-or-later
/* archive.h: the archive tool's commands (docker save and load). */
#ifndef ARCHIVE_H
#define ARCHIVE_H

extern const char *archive_root_opt;

int archive_cmd_save(int argc, char **argv);
int archive_cmd_load(int argc, char **argv);

#endif
