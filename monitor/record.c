// SPDX-License-Identifier: GPL-2.0-or-later
/* record.c: what the monitor writes into the container's record: itself,
 * the start, the exit, a failed start; and the restart decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crecord.h"
#include "events.h"
#include "monitor.h"

struct change {
	const char *status, *error;
	int pid, exit_code;
	bool oom, started, finished, restart, monitor;
};

static void set_str(char **field, const char *v)
{
	free(*field);
	*field = v ? strdup(v) : NULL;
}

static int apply(struct dk_crec *r, void *arg, struct dk_err *err)
{
	const struct change *c = arg;
	char now[64];

	(void)err;
	dk_time_now(now, sizeof(now));
	if (c->status)
		set_str(&r->status, c->status);
	r->pid = c->pid;
	if (c->started) {
		set_str(&r->started, now);
		set_str(&r->error, NULL);
		r->oom_killed = false;
	}
	if (c->finished) {
		set_str(&r->finished, now);
		r->exit_code = c->exit_code;
		r->oom_killed = c->oom;
	}
	if (c->error)
		set_str(&r->error, c->error);
	if (c->restart)
		r->restart_count++;
	if (c->monitor) {
		r->monitor_pid = getpid();
		r->monitor_start = dk_proc_starttime(getpid());
		r->user_stopped = false;
	} else if (c->status && (!strcmp(c->status, "created") || !strcmp(c->status, "exited"))) {
		r->monitor_pid = 0;
		r->monitor_start = 0;
	}
	return 0;
}

static void update(struct mon *m, const struct change *c)
{
	struct dk_err err;

	if (dk_crec_update(m->cdir, m->id, apply, (void *)c, &err) < 0)
		fprintf(stderr, "monitor: %s\n", err.msg);
}

void mon_rec_starting(struct mon *m)
{
	update(m, &(struct change){.monitor = true});
}

/* The container's event, with docker's attributes (exitCode for die). */
static void event(struct mon *m, const char *action, const char *code)
{
	const char *attrs[] = {"image",	   m->rec.image ? m->rec.image : "",
			       "name",	   m->rec.name ? m->rec.name : "",
			       "exitCode", code,
			       NULL};

	dk_event(m->root, "container", action, m->id, attrs);
}

void mon_rec_running(struct mon *m, bool restart)
{
	update(m, &(struct change){
		      .status = "running", .pid = m->pid, .started = true, .restart = restart});
	event(m, "start", NULL);
}

void mon_rec_failed(struct mon *m, int status, const char *msg)
{
	update(m, &(struct change){
		      .status = "created", .exit_code = status, .finished = true, .error = msg});
}

void mon_rec_exited(struct mon *m, int code, bool oom, bool last)
{
	char num[16];

	update(m, &(struct change){.status = last ? "exited" : "restarting",
				   .exit_code = code,
				   .oom = oom,
				   .finished = true});
	snprintf(num, sizeof(num), "%d", code);
	if (oom)
		event(m, "oom", NULL);
	event(m, "die", num);
}

/* Whether the policy restarts a container that exited with code (stop and
 * kill through `container` set UserStopped, which no policy overrides).
 * The policy is read from the record now: `container update --restart`
 * may have changed it since the start. */
bool mon_should_restart(struct mon *m, int code)
{
	struct dk_crec now;
	struct dk_err err;
	bool again;
	const char *p;

	if (dk_crec_load(m->cdir, m->id, &now, &err) < 0)
		return false;
	p = now.o.restart;
	m->rec.restart_count = now.restart_count;
	if (!p || !strcmp(p, "no") || now.user_stopped)
		again = false;
	else if (!strcmp(p, "on-failure"))
		again =
		    code != 0 && (now.o.restart_max == 0 || now.restart_count < now.o.restart_max);
	else
		again = true; /* always, unless-stopped */
	dk_crec_free(&now);
	return again;
}
