// SPDX-License-Identifier: GPL-2.0-or-later
/* status.c: records kept truthful (a container whose monitor died is
 * killed and recorded as exited), docker's STATUS text and waiting for
 * an exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "json.h"
#include "container.h"

static bool live(const char *status)
{
	return !strcmp(status, "running") || !strcmp(status, "paused") ||
	       !strcmp(status, "restarting");
}

/* The monitor is gone: end what it left and say so (under the lock). */
static int orphaned(struct dk_crec *r, void *arg, struct dk_err *err)
{
	char *kill[] = {"kill", r->id, "KILL", NULL};
	char *del[] = {"delete", "--force", r->id, NULL};
	char now[64];

	(void)arg;
	if (!r->monitor_pid || dk_proc_same(r->monitor_pid, r->monitor_start))
		return 1; /* changed meanwhile: nothing to do */
	ctr_runtime(kill, true, err);
	ctr_runtime(del, true, err);
	dk_time_now(now, sizeof(now));
	if (live(r->status)) {
		free(r->status);
		r->status = strdup("exited");
		r->exit_code = 137;
		free(r->finished);
		r->finished = strdup(now);
	}
	free(r->error);
	r->error = strdup("the container's monitor died");
	r->monitor_pid = 0;
	r->pid = 0;
	return 0;
}

int ctr_load(const char *id, struct dk_crec *r, struct dk_err *err)
{
	if (dk_crec_load(ctr_g.cdir, id, r, err) < 0)
		return -1;
	if (!r->monitor_pid || dk_proc_same(r->monitor_pid, r->monitor_start))
		return 0;
	dk_crec_free(r);
	if (dk_crec_update(ctr_g.cdir, id, orphaned, NULL, err) < 0 && err->msg[0])
		return -1;
	struct dk_err ignore; /* its lease, veth and rules go now; rm retries */
	ctr_net_down(id, &ignore);
	return dk_crec_load(ctr_g.cdir, id, r, err);
}

int ctr_find(const char *what, struct dk_crec *r, struct dk_err *err)
{
	char id[65];

	if (dk_crec_resolve(ctr_g.cdir, what, id, err) < 0)
		return -1;
	return ctr_load(id, r, err);
}

void ctr_human_duration(double secs, char *buf, size_t size)
{
	long s = (long)secs, m = s / 60, h = (s + 1800) / 3600;

	if (s < 1)
		snprintf(buf, size, "Less than a second");
	else if (s == 1)
		snprintf(buf, size, "1 second");
	else if (s < 60)
		snprintf(buf, size, "%ld seconds", s);
	else if (m == 1)
		snprintf(buf, size, "About a minute");
	else if (m < 60)
		snprintf(buf, size, "%ld minutes", m);
	else if (h == 1)
		snprintf(buf, size, "About an hour");
	else if (h < 48)
		snprintf(buf, size, "%ld hours", h);
	else if (h < 24 * 7 * 2)
		snprintf(buf, size, "%ld days", h / 24);
	else if (h < 24 * 30 * 2)
		snprintf(buf, size, "%ld weeks", h / 24 / 7);
	else if (h < 24 * 365 * 2)
		snprintf(buf, size, "%ld months", h / 24 / 30);
	else
		snprintf(buf, size, "%ld years", h / 24 / 365);
}

static double since(const char *t)
{
	struct timespec now;
	double then = dk_time_parse(t);

	clock_gettime(CLOCK_REALTIME, &now);
	return then < 0 ? 0 : (double)now.tv_sec + now.tv_nsec / 1e9 - then;
}

void ctr_status_text(const struct dk_crec *r, char *buf, size_t size)
{
	char d[64];

	if (!strcmp(r->status, "running") || !strcmp(r->status, "paused")) {
		ctr_human_duration(since(r->started), d, sizeof(d));
		snprintf(buf, size, "Up %s%s%s", d, r->status[0] == 'p' ? " (Paused)" : "",
			 !r->health			  ? ""
			 : !strcmp(r->health, "starting") ? " (health: starting)"
			 : !strcmp(r->health, "healthy")  ? " (healthy)"
							  : " (unhealthy)");
	} else if (!strcmp(r->status, "restarting")) {
		ctr_human_duration(since(r->finished), d, sizeof(d));
		snprintf(buf, size, "Restarting (%d) %s ago", r->exit_code, d);
	} else if (!strcmp(r->status, "exited")) {
		ctr_human_duration(since(r->finished), d, sizeof(d));
		snprintf(buf, size, "Exited (%d) %s ago", r->exit_code, d);
	} else if (!strcmp(r->status, "removing")) {
		snprintf(buf, size, "Removal In Progress");
	} else {
		snprintf(buf, size, "Created");
	}
}

int ctr_wait_exit(const char *id, double timeout, struct dk_crec *r, struct dk_err *err)
{
	struct timespec step = {0, 10 * 1000 * 1000};

	for (double waited = 0;; waited += 0.01) {
		if (ctr_load(id, r, err) < 0)
			return -1;
		if (!live(r->status) && !(r->monitor_pid && !strcmp(r->status, "created")))
			return 0;
		dk_crec_free(r);
		if (timeout >= 0 && waited >= timeout)
			return 1;
		nanosleep(&step, NULL);
		if (waited > 1)
			step.tv_nsec = 50 * 1000 * 1000, waited += 0.04;
	}
}
