// SPDX-License-Identifier: GPL-2.0-or-later
/* progress.h: per-layer progress lines on stderr, like docker pull's,
 * drawn only when stderr is a terminal (and not -q). */
#ifndef FETCH_PROGRESS_H
#define FETCH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fx_progress_line {
	char id[16];
	const char *state;
	int64_t done, total;
};

struct fx_progress {
	bool on;
	struct fx_progress_line *lines;
	size_t n, drawn;
	long last_ms;
};

void fx_progress_init(struct fx_progress *p, bool quiet, size_t n);
/* Line i shows digest's short id. */
void fx_progress_set(struct fx_progress *p, size_t i, const char *digest,
		     int64_t total, const char *state);
void fx_progress_update(struct fx_progress *p, size_t i, int64_t done,
			const char *state);
/* Redraw now and release. */
void fx_progress_end(struct fx_progress *p);

#endif
