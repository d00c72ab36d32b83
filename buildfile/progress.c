// SPDX-License-Identifier: GPL-2.0-or-later
/* progress.c: what a build says on stderr. plain (the default): docker's
 * classic "Step N/M : ..." lines, " ---> ..." results and the output of
 * every RUN. tty: one line per step ending in CACHED or DONE and its time;
 * a RUN's output is kept aside and shown only when the step fails. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "build.h"

void bf_progress(const struct bf_build *b, const char *fmt, ...)
{
	va_list ap;

	if (b->o->quiet || b->o->tty)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bf_step_begin(struct bf_build *b, size_t i, size_t n, const char *text)
{
	size_t len = strcspn(text, "\n");

	b->cached = false;
	b->step_start = now();
	if (b->o->quiet)
		return;
	if (!b->o->tty) {
		fprintf(stderr, "Step %zu/%zu : %s\n", i, n, text);
		return;
	}
	fprintf(stderr, "[%zu/%zu] %.*s%s", i, n, (int)(len > 64 ? 61 : len), text,
		len > 64 ? "..." : "");
	fflush(stderr);
}

void bf_step_end(struct bf_build *b, bool ok)
{
	if (b->o->quiet || !b->o->tty)
		return;
	if (!ok)
		fprintf(stderr, "  ERROR %.2fs\n", now() - b->step_start);
	else if (b->cached)
		fprintf(stderr, "  CACHED\n");
	else
		fprintf(stderr, "  DONE %.2fs\n", now() - b->step_start);
}

int bf_run_output(struct bf_build *b)
{
	if (b->o->quiet)
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (!b->o->tty)
		return dup(STDERR_FILENO);
	return open(b->root, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

void bf_run_output_done(struct bf_build *b, int fd, bool failed)
{
	char buf[65536];
	ssize_t n;

	if (b->o->tty && !b->o->quiet && failed && lseek(fd, 0, SEEK_SET) == 0) {
		fputs("\n", stderr);
		fflush(stderr);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(STDERR_FILENO, buf, (size_t)n) < 0)
				break;
	}
	close(fd);
}
