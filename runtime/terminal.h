// SPDX-License-Identifier: GPL-2.0-or-later
/* terminal.h: the container's pty, and the foreground proxy for it. */
#ifndef RT_TERMINAL_H
#define RT_TERMINAL_H

#include <sys/types.h>
#include "spec.h"

/* In the container: open a pty from /dev/ptmx, size it, make the slave
 * the controlling terminal and stdio. Returns the master fd or -1. */
int rt_tty_setup(const struct rt_process *p, struct dk_err *err);

/* Connect to a console socket (runc's --console-socket). */
int rt_console_connect(const char *path, struct dk_err *err);

/* Foreground: copy between our stdin/stdout and master (raw mode when
 * stdin is a terminal) until pid exits; returns its wait status. */
int rt_tty_proxy(int master, pid_t pid, int *wstatus);

#endif
