// SPDX-License-Identifier: GPL-2.0-or-later
/* progress.c: progress lines redrawn in place (cursor up, clear line),
 * at most ten times a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void fx_progress_init(struct fx_progress *p, bool quiet, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->on = !quiet && isatty(2) && n > 0;
	if (p->on)
		p->lines = calloc(n, sizeof(*p->lines));
	if (!p->lines)
		p->on = false;
	p->n = n;
}

static void human(int64_t v, char *buf, size_t size)
{
	if (v >= 1000000)
		snprintf(buf, size, "%.1fMB", v / 1e6);
	else
		snprintf(buf, size, "%.1fkB", v / 1e3);
}

static void draw(struct fx_progress *p)
{
	char a[32], b[32];

	if (p->drawn)
		fprintf(stderr, "\033[%zuA", p->drawn);
	for (size_t i = 0; i < p->n; i++) {
		struct fx_progress_line *l = &p->lines[i];

		fprintf(stderr, "\033[2K%s: %s", l->id, l->state ? l->state : "Waiting");
		if (l->state && strcmp(l->state, "Downloading") == 0) {
			human(l->done, a, sizeof(a));
			human(l->total, b, sizeof(b));
			fprintf(stderr, " %s/%s", a, b);
		}
		fputc('\n', stderr);
	}
	p->drawn = p->n;
	p->last_ms = now_ms();
}

void fx_progress_set(struct fx_progress *p, size_t i, const char *digest,
		     int64_t total, const char *state)
{
	const char *colon = strchr(digest, ':');

	if (!p->on || i >= p->n)
		return;
	snprintf(p->lines[i].id, sizeof(p->lines[i].id), "%.12s",
		 colon ? colon + 1 : digest);
	p->lines[i].total = total;
	p->lines[i].state = state;
}

void fx_progress_update(struct fx_progress *p, size_t i, int64_t done,
			const char *state)
{
	if (!p->on || i >= p->n)
		return;
	bool changed = state != p->lines[i].state;

	p->lines[i].done = done;
	p->lines[i].state = state;
	if (changed || now_ms() - p->last_ms >= 100)
		draw(p);
}

void fx_progress_end(struct fx_progress *p)
{
	if (p->on)
		draw(p);
	free(p->lines);
	p->lines = NULL;
	p->on = false;
}
