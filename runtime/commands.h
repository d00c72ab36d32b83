// SPDX-License-Identifier: GPL-2.0-or-later
/* commands.h: global options and the command functions of runtime. */
#ifndef RT_COMMANDS_H
#define RT_COMMANDS_H

#include <stdbool.h>
#include "err.h"
#include "../lib/cli.h"

struct rt_global {
	char *root;	 /* state root */
	const char *log; /* --log FILE */
	bool log_json, debug, systemd_cgroup;
	char **argv; /* as main got it (exec starts the copy with it again) */
};

extern struct rt_global rt_g;

/* Print "runtime: what: message" (and log it with --log); return 1. */
int rt_fail(const char *what, const struct dk_err *err);
/* Same with an explicit exit status. */
int rt_fail_status(int status, const char *what, const struct dk_err *err);

int cmd_create(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_exec(int argc, char **argv);
/* Whether this process is exec's child, started from the protected copy
 * with the runtime's own arguments (cmd_exec.c). */
bool rt_exec_entered(void);
int cmd_spec(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_events(int argc, char **argv);

/* Parse a signal name ("TERM", "SIGTERM", "15"); -1 if unknown. */
int rt_signal_parse(const char *s);

#endif
