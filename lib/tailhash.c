// SPDX-License-Identifier: GPL-2.0-or-later
/* tailhash.c: a hasher thread that follows a file as it grows (see
 * tailhash.h). The writer publishes its size under a mutex; the thread
 * reads the new bytes back with pread in chunks and hashes them. The
 * writer wakes the thread only when it sleeps and WAKE_MIN bytes wait
 * (a download appends 16 KiB at a time: a wake-up per append cost two
 * futex calls and a context switch each, a third of fetch's system
 * time). Every SYNC_EVERY bytes hashed, the thread also makes them
 * durable with fdatasync, so the writer's final fsync finds only the
 * last stretch left to flush. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include "tailhash.h"

#define CHUNK	   (1 << 20)
#define WAKE_MIN   ((int64_t)256 << 10)
#define SYNC_EVERY ((int64_t)8 << 20)

struct dk_tailhash {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;
	struct dk_hasher *h;
	int64_t hashed, size, synced;
	bool done, cancel, sleeping;
	int error;	/* errno of a failed read, 0 if none */
	int sync_error; /* errno of a failed fdatasync, 0 if none */
	char *buf;
};

/* How many bytes to hash next, after waiting for some; 0 when finished. */
static size_t next_span(struct dk_tailhash *t)
{
	size_t n = 0;

	pthread_mutex_lock(&t->mu);
	while (!t->cancel && !t->done && t->hashed == t->size) {
		t->sleeping = true;
		pthread_cond_wait(&t->cv, &t->mu);
		t->sleeping = false;
	}
	if (!t->cancel && !t->error && t->hashed < t->size)
		n = t->size - t->hashed > CHUNK ? CHUNK : (size_t)(t->size - t->hashed);
	pthread_mutex_unlock(&t->mu);
	return n;
}

/* fdatasync here, not in the writer: a failure is kept to be reported by
 * dk_tailhash_finish, since the kernel reports a writeback error to one
 * sync call on the file only. */
static void sync_behind(struct dk_tailhash *t)
{
	if (t->hashed - t->synced < SYNC_EVERY || t->sync_error)
		return;
	if (fdatasync(t->fd) < 0)
		t->sync_error = errno;
	t->synced = t->hashed;
}

static void *run(void *arg)
{
	struct dk_tailhash *t = arg;
	size_t n;

	while ((n = next_span(t)) > 0) {
		ssize_t got = pread(t->fd, t->buf, n, t->hashed);
		int e = got < 0 ? errno : got == 0 ? EIO : 0;

		if (e == EINTR)
			continue;
		if (got > 0)
			dk_hasher_update(t->h, t->buf, got);
		pthread_mutex_lock(&t->mu);
		t->error = e;
		if (got > 0)
			t->hashed += got;
		pthread_mutex_unlock(&t->mu);
		sync_behind(t);
	}
	return NULL;
}

struct dk_tailhash *dk_tailhash_start(int fd, struct dk_hasher *h, int64_t from, struct dk_err *err)
{
	struct dk_tailhash *t = calloc(1, sizeof(*t));
	int e;

	if (!t || !(t->buf = malloc(CHUNK))) {
		free(t);
		return dk_err_sys(err, "hasher thread"), NULL;
	}
	t->fd = fd;
	t->h = h;
	t->hashed = t->size = t->synced = from;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	e = pthread_create(&t->thread, NULL, run, t);
	if (e) {
		free(t->buf);
		free(t);
		return dk_err_errno(err, e, "starting a hasher thread"), NULL;
	}
	return t;
}

void dk_tailhash_advance(struct dk_tailhash *t, int64_t size)
{
	pthread_mutex_lock(&t->mu);
	t->size = size;
	if (t->sleeping && t->size - t->hashed >= WAKE_MIN)
		pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static void stop(struct dk_tailhash *t, bool cancel)
{
	pthread_mutex_lock(&t->mu);
	t->done = true;
	t->cancel = cancel;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t->buf);
}

int dk_tailhash_finish(struct dk_tailhash *t, struct dk_err *err)
{
	int e, se;

	stop(t, false);
	e = t->error;
	se = t->sync_error;
	free(t);
	if (e)
		return dk_err_errno(err, e, "reading back the data to hash");
	if (se)
		return dk_err_errno(err, se, "syncing the data to the disk");
	return 0;
}

void dk_tailhash_cancel(struct dk_tailhash *t)
{
	if (!t)
		return;
	stop(t, true);
	free(t);
}
