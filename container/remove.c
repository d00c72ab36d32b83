// SPDX-License-Identifier: GPL-2.0-or-later
/* remove.c: removing a container: its processes (through the monitor if
 * one lives, else the runtime), the runtime's state and cgroups, the
 * snapshot and its mount, the name, the record. Every step may run
 * again after a crash. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "container.h"

static int mark_stopped(struct dk_crec *r, void *arg, struct dk_err *err)
{
	(void)arg, (void)err;
	r->user_stopped = true;
	return 0;
}

/* End the container and let its monitor record that (at most ~5 s). */
static void stop_monitor(const struct dk_crec *r)
{
	char *kill_args[] = {"kill", (char *)r->id, "KILL", NULL};
	struct timespec step = {0, 10 * 1000 * 1000};
	struct dk_err err;

	if (!r->monitor_pid || !dk_proc_same(r->monitor_pid, r->monitor_start))
		return;
	dk_crec_update(ctr_g.cdir, r->id, mark_stopped, NULL, &err);
	ctr_runtime(kill_args, true, &err);
	for (int i = 0; i < 500 && dk_proc_same(r->monitor_pid, r->monitor_start); i++)
		nanosleep(&step, NULL);
	if (dk_proc_same(r->monitor_pid, r->monitor_start))
		kill(r->monitor_pid, SIGKILL);
}

int ctr_remove(const char *id, struct dk_err *err)
{
	char *del[] = {"delete", "--force", (char *)id, NULL};
	char *snap[] = {"snapshot", "remove", (char *)id, NULL};
	char path[4200];
	struct dk_crec r;
	bool have = dk_crec_load(ctr_g.cdir, id, &r, err) == 0;
	int rc;

	if (have)
		stop_monitor(&r);
	/* an exited container's runtime state went with its monitor */
	if (!have || strcmp(r.status, "exited"))
		ctr_runtime(del, true, err);
	if (ctr_net_down(id, err) < 0) {
		if (have)
			dk_crec_free(&r);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/snapshots/%s", ctr_g.root, id);
	rc = access(path, F_OK) == 0 ? ctr_tool(snap[0], snap + 1, NULL, err) : 0;
	if (rc != 0) {
		if (have)
			dk_crec_free(&r);
		return rc < 0 ? -1 : dk_err_set(err, "removing the filesystem of %s failed", id);
	}
	rc = dk_crec_remove(ctr_g.cdir, id, have ? r.name : NULL, err);
	if (have && rc == 0)
		ctr_event(&r, "destroy", NULL, NULL);
	if (have)
		dk_crec_free(&r);
	return rc;
}
