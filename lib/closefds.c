// SPDX-License-Identifier: GPL-2.0-or-later
/* closefds.c: closing every inherited descriptor from some number up but
 * a few, with close_range(2) over the gaps: what a process about to run
 * untrusted or long-lived code does so that it holds nothing it should
 * not (a container's init, a build's agent watchdog). */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fs.h"

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int dk_close_fds_except(unsigned from, const int *keep, size_t n, struct dk_err *err)
{
	int sorted[8];

	n = n > 8 ? 8 : n;
	memcpy(sorted, keep, n * sizeof(int));
	qsort(sorted, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (sorted[i] < (int)from)
			continue;
		if ((unsigned)sorted[i] > from &&
		    syscall(SYS_close_range, from, (unsigned)sorted[i] - 1, 0) < 0)
			return dk_err_sys(err, "closing inherited fds");
		from = (unsigned)sorted[i] + 1;
	}
	if (syscall(SYS_close_range, from, ~0U, 0) < 0)
		return dk_err_sys(err, "closing inherited fds");
	return 0;
}
