// SPDX-License-Identifier: GPL-2.0-or-later
/* container: docker's container commands over records in
 * $DK_ROOT/containers, a monitor per container and the runtime: what
 * `dk run`, `dk ps`, `dk stop` and the other container commands run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include "cli.h"
#include "fs.h"
#include "container.h"

struct ctr_global ctr_g;

static const struct dk_cmd cmds[] = {
    {"create", ctr_cmd_create, "IMAGE [CMD...]: make a container, do not start it"},
    {"run", ctr_cmd_run, "IMAGE [CMD...]: create and start a container"},
    {"start", ctr_cmd_start, "CONTAINER...: start created or stopped containers"},
    {"ps", ctr_cmd_ps, "list containers"},
    {"ls", ctr_cmd_ps, "same as ps"},
    {"inspect", ctr_cmd_inspect, "CONTAINER...: details as JSON, docker's shape"},
    {"rm", ctr_cmd_rm, "CONTAINER...: remove containers"},
    {"stop", ctr_cmd_stop, "CONTAINER...: stop signal, then KILL after -t"},
    {"restart", ctr_cmd_restart, "CONTAINER...: stop, then start"},
    {"kill", ctr_cmd_kill, "CONTAINER...: send a signal (KILL)"},
    {"wait", ctr_cmd_wait, "CONTAINER...: wait for the end, print the status"},
    {"update", ctr_cmd_update, "CONTAINER...: new resource limits or restart policy"},
    {"rename", ctr_cmd_rename, "CONTAINER NEW: give a container another name"},
    {"pause", ctr_cmd_pause, "CONTAINER...: freeze the processes"},
    {"unpause", ctr_cmd_unpause, "CONTAINER...: thaw them"},
    {"logs", ctr_cmd_logs, "CONTAINER: the container's output"},
    {"exec", ctr_cmd_exec, "CONTAINER CMD...: run a command in a running container"},
    {"top", ctr_cmd_top, "CONTAINER: its processes"},
    {"port", ctr_cmd_port, "CONTAINER [PORT]: published ports"},
    {"prune", ctr_cmd_prune, "remove every stopped container"},
    {"attach", ctr_cmd_attach, "CONTAINER: connect to a running container's stdio"},
    {"diff", ctr_cmd_diff, "CONTAINER: changed files (A added, C changed, D deleted)"},
    {"stats", ctr_cmd_stats, "[CONTAINER...]: live CPU, memory, I/O, pids"},
    {"cp", ctr_cmd_cp, "SRC DEST: copy between a container (ID:PATH) and here"},
    {"export", ctr_cmd_export, "CONTAINER: its filesystem as a tar"},
    {"boot", ctr_cmd_boot, "start what restart policies want after a reboot"},
    {"events", ctr_cmd_events, "docker's event stream (--since, --until, -f K=V)"},
    {"template", ctr_cmd_template, "TEMPLATE: a JSON document on stdin through a Go template"},
    {"df", ctr_cmd_df, "the Images, Containers and Local Volumes rows of system df"},
    {"volume", ctr_cmd_volume, "create|ls|inspect|rm|prune: named volumes"},
    {NULL, NULL, NULL},
};

int main(int argc, char **argv)
{
	static const struct dk_tool tool = {
	    "container",
	    "Docker's container commands: records in $DK_ROOT/containers, one\n"
	    "monitor process per running container, the runtime below.\n",
	    cmds};
	int c = dk_tool_options(&tool, argc, argv, &ctr_g.root_opt);

	if (c >= 0)
		return c;
	ctr_g.root = dk_default_root(ctr_g.root_opt);
	ctr_g.cdir = ctr_g.root ? dk_crec_dir(ctr_g.root) : NULL;
	if (!ctr_g.cdir) {
		fprintf(stderr, "container: root directory: %s\n", strerror(errno));
		return DK_EXIT_FAIL;
	}
	c = dk_dispatch(cmds, argc - optind, argv + optind);
	free(ctr_g.root);
	free(ctr_g.cdir);
	return c;
}
