// SPDX-License-Identifier: GPL-2.0-or-later
/* syncall.c: concurrent fsync of a set of files (see syncall.h). Workers
 * take the next file from a shared counter; the calling thread works too.
 * On ext4 (and xfs) fsyncs that run together are served by one journal
 * commit and one disk cache flush: n files cost about one fsync. */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include "syncall.h"

#define MAX_THREADS 8

struct sync_set {
	const int *fds;
	int *errs;
	size_t n;
	size_t next; /* taken with __atomic_fetch_add */
};

static void *worker(void *arg)
{
	struct sync_set *s = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED)) < s->n)
		s->errs[i] = fsync(s->fds[i]) < 0 ? errno : 0;
	return NULL;
}

size_t dk_fsync_all(const int *fds, size_t n, int *errs)
{
	struct sync_set s = {.fds = fds, .errs = errs, .n = n};
	pthread_t th[MAX_THREADS];
	size_t started = 0, failed = 0;

	/* a thread that cannot start leaves its share to the others */
	while (started + 1 < n && started < MAX_THREADS &&
	       pthread_create(&th[started], NULL, worker, &s) == 0)
		started++;
	worker(&s);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; i < n; i++)
		failed += errs[i] != 0;
	return failed;
}
