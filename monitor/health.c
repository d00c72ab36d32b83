// SPDX-License-Identifier: GPL-2.0-or-later
/* health.c: the image's HEALTHCHECK, run by the monitor while the
 * container runs: `runtime exec` of the test every interval, killed after
 * the timeout; retries failures in a row (after the start period) make the
 * container unhealthy. The result goes into the record (State.Health). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fs.h"
#include "json.h"
#include "monitor.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct result {
	int code;
	bool counts; /* a failure outside the start period */
	const char *begin;
	char output[DK_HEALTH_OUTPUT + 1];
};

static int apply(struct dk_crec *r, void *arg, struct dk_err *err)
{
	const struct result *res = arg;
	char now[64];

	(void)err;
	dk_time_now(now, sizeof(now));
	dk_crec_health_push(r, res->begin, now, res->code, res->output);
	if (res->code == 0)
		r->health_streak = 0;
	else if (res->counts)
		r->health_streak++;
	/* decided before r->health is freed: "healthy" stays until retries */
	const char *now_status = "starting";
	if (res->code == 0 || (r->health && !strcmp(r->health, "healthy")))
		now_status = "healthy";
	if (res->code != 0 && r->health_streak >= r->o.health_retries)
		now_status = "unhealthy";
	char *status = strdup(now_status);

	free(r->health);
	r->health = status;
	return 0;
}

static int reset(struct dk_crec *r, void *arg, struct dk_err *err)
{
	(void)arg, (void)err;
	free(r->health);
	r->health = strdup("starting");
	r->health_streak = 0;
	return 0;
}

void mon_health_init(struct mon *m)
{
	struct dk_err err;

	if (!m->rec.o.health_test)
		return;
	m->started_mono = mono();
	m->check_due = m->started_mono + m->rec.o.health_interval / 1e9;
	dk_crec_update(m->cdir, m->id, reset, NULL, &err);
}

int mon_health_wait_ms(const struct mon *m)
{
	double until;

	if (!m->rec.o.health_test)
		return -1;
	until = m->check_pid > 0 ? m->check_began + m->rec.o.health_timeout / 1e9 : m->check_due;
	until -= mono();
	return until <= 0 ? 0 : (int)(until * 1000) + 1;
}

static void spawn(struct mon *m)
{
	char *path = mon_tool_path("runtime"), *state = dk_path_join(m->root, "run");
	char *const *t = m->rec.o.health_test;
	char **argv = NULL;

	dk_strv_push(&argv, path);
	dk_strv_push(&argv, "--root");
	dk_strv_push(&argv, state);
	dk_strv_push(&argv, "exec");
	dk_strv_push(&argv, m->id);
	if (!strcmp(t[0], "CMD-SHELL") && t[1]) {
		dk_strv_push(&argv, "/bin/sh");
		dk_strv_push(&argv, "-c");
		dk_strv_push(&argv, t[1]);
	} else {
		for (t += !strcmp(t[0], "CMD"); *t; t++)
			dk_strv_push(&argv, *t);
	}
	/* the output, kept as docker keeps it, goes to a memfd read on reap */
	m->check_out = memfd_create("health-output", MFD_CLOEXEC);
	m->check_pid = fork();
	if (m->check_pid == 0) {
		int null = open("/dev/null", O_RDWR);
		int out = m->check_out >= 0 ? m->check_out : null;
		dup2(null, 0), dup2(out, 1), dup2(out, 2);
		execv(path, argv);
		_exit(127);
	}
	m->check_began = mono();
	dk_time_now(m->check_begin, sizeof(m->check_begin));
	dk_strv_free(argv);
	free(path);
	free(state);
}

void mon_health_tick(struct mon *m)
{
	if (!m->rec.o.health_test)
		return;
	if (m->check_pid > 0 && mono() >= m->check_began + m->rec.o.health_timeout / 1e9)
		kill(m->check_pid, SIGKILL); /* counted as a failure when reaped */
	else if (m->check_pid <= 0 && mono() >= m->check_due)
		spawn(m);
}

/* The first DK_HEALTH_OUTPUT bytes the check wrote, into buf. */
static void take_output(struct mon *m, char *buf)
{
	ssize_t n = m->check_out >= 0 ? pread(m->check_out, buf, DK_HEALTH_OUTPUT, 0) : 0;

	buf[n > 0 ? n : 0] = '\0';
	if (m->check_out >= 0)
		close(m->check_out);
	m->check_out = -1;
}

bool mon_health_reaped(struct mon *m, pid_t pid, int ws)
{
	struct result res;
	struct dk_err err;

	if (pid != m->check_pid || pid <= 0)
		return false;
	take_output(m, res.output);
	if (WIFSIGNALED(ws) && mono() >= m->check_began + m->rec.o.health_timeout / 1e9)
		snprintf(res.output, sizeof(res.output), "Health check exceeded timeout (%gs)",
			 m->rec.o.health_timeout / 1e9);
	res.code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	res.counts = mono() - m->started_mono >= m->rec.o.health_start / 1e9;
	res.begin = m->check_begin;
	dk_crec_update(m->cdir, m->id, apply, &res, &err);
	m->check_pid = 0;
	m->check_due = mono() + m->rec.o.health_interval / 1e9;
	return true;
}

void mon_health_stop(struct mon *m)
{
	if (m->check_pid > 0) {
		kill(m->check_pid, SIGKILL);
		waitpid(m->check_pid, NULL, 0);
		m->check_pid = 0;
	}
	if (m->check_out >= 0)
		close(m->check_out);
	m->check_out = -1;
}
