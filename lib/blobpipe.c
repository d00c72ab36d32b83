// SPDX-License-Identifier: GPL-2.0-or-later
/* blobpipe.c: a blob's writer thread (see blobpipe.h). The producer fills
 * the chunk slots of a ring in turn and hands each over full; the thread
 * takes them in the same order. Only the counts of chunks handed over and
 * done are shared, under one mutex: a slot belongs to the producer until
 * handed over and to the thread until done, so its bytes need no lock.
 * One wake-up per chunk (not per 16 KiB append) keeps the futex and
 * context-switch cost small. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "blobpipe.h"
#include "fs.h"

#define CHUNK ((size_t)1 << 20)
#define SLOTS 3

struct slot {
	char *buf;
	size_t len;
};

struct dk_blobpipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, room;
	int fd;
	struct dk_hasher *h;
	int64_t offset;		    /* of the next chunk the thread writes */
	unsigned long handed, done; /* chunks, counted since the start */
	bool writeback;
	bool finishing, cancel, failed;
	struct dk_err err; /* why the thread stopped writing */
	struct slot slots[SLOTS];
};

/* The next chunk to write, after waiting for one; NULL when finished. */
static struct slot *next_chunk(struct dk_blobpipe *p)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&p->mu);
	while (!p->cancel && !p->finishing && p->done == p->handed)
		pthread_cond_wait(&p->work, &p->mu);
	if (!p->cancel && !p->failed && p->done < p->handed)
		s = &p->slots[p->done % SLOTS];
	pthread_mutex_unlock(&p->mu);
	return s;
}

/* Hash and write one chunk, then hand its range to the disk (a hint: a
 * failure of that writeback shows in the fsync before the rename). */
static void write_chunk(struct dk_blobpipe *p, struct slot *s)
{
	struct dk_err err;
	bool ok;

	dk_hasher_update(p->h, s->buf, s->len);
	ok = dk_write_all(p->fd, s->buf, s->len, &err) == 0;
	if (ok && p->writeback)
		sync_file_range(p->fd, p->offset, (off_t)s->len, SYNC_FILE_RANGE_WRITE);
	p->offset += (int64_t)s->len;
	pthread_mutex_lock(&p->mu);
	if (!ok) {
		p->err = err;
		p->failed = true;
	}
	p->done++;
	pthread_cond_signal(&p->room);
	pthread_mutex_unlock(&p->mu);
}

static void *run(void *arg)
{
	struct dk_blobpipe *p = arg;
	struct slot *s;

	while ((s = next_chunk(p)))
		write_chunk(p, s);
	pthread_mutex_lock(&p->mu);
	pthread_cond_signal(&p->room); /* a producer may wait for a slot */
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void free_pipe(struct dk_blobpipe *p)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (p->slots[i].buf)
			munmap(p->slots[i].buf, CHUNK);
	free(p);
}

/* Populated at once: faulting the pages in one at a time, as a malloc'd
 * buffer's first memcpy does, costs a visible share of a download on a
 * virtual machine. */
static char *new_chunk(void)
{
	void *b = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return b == MAP_FAILED ? NULL : b;
}

struct dk_blobpipe *dk_blobpipe_start(int fd, struct dk_hasher *h, int64_t from, bool writeback,
				      struct dk_err *err)
{
	struct dk_blobpipe *p = calloc(1, sizeof(*p));
	int e;

	for (size_t i = 0; p && i < SLOTS; i++)
		if (!(p->slots[i].buf = new_chunk())) {
			free_pipe(p);
			p = NULL;
		}
	if (!p)
		return dk_err_sys(err, "blob writer thread"), NULL;
	p->fd = fd;
	p->h = h;
	p->offset = from;
	p->writeback = writeback;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->room, NULL);
	e = pthread_create(&p->thread, NULL, run, p);
	if (e) {
		free_pipe(p);
		return dk_err_errno(err, e, "starting a blob writer thread"), NULL;
	}
	return p;
}

/* Hand the slot being filled to the thread and wait until the next one is
 * free. Fails with the thread's error. */
static int hand_over(struct dk_blobpipe *p, struct dk_err *err)
{
	int ret = 0;

	pthread_mutex_lock(&p->mu);
	p->handed++;
	pthread_cond_signal(&p->work);
	while (!p->failed && p->handed - p->done >= SLOTS)
		pthread_cond_wait(&p->room, &p->mu);
	if (p->failed) {
		*err = p->err;
		ret = -1;
	}
	pthread_mutex_unlock(&p->mu);
	if (ret == 0)
		p->slots[p->handed % SLOTS].len = 0;
	return ret;
}

int dk_blobpipe_put(struct dk_blobpipe *p, const void *buf, size_t len, struct dk_err *err)
{
	const char *b = buf;

	while (len > 0) {
		struct slot *s = &p->slots[p->handed % SLOTS];
		size_t n = CHUNK - s->len < len ? CHUNK - s->len : len;

		memcpy(s->buf + s->len, b, n);
		s->len += n;
		b += n;
		len -= n;
		if (s->len == CHUNK && hand_over(p, err) < 0)
			return -1;
	}
	return 0;
}

static void stop(struct dk_blobpipe *p, bool cancel)
{
	pthread_mutex_lock(&p->mu);
	p->finishing = true;
	p->cancel = cancel;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->room);
}

int dk_blobpipe_finish(struct dk_blobpipe *p, struct dk_err *err)
{
	int ret = 0;

	if (p->slots[p->handed % SLOTS].len > 0 && hand_over(p, err) < 0)
		ret = -1;
	stop(p, ret < 0);
	if (ret == 0 && p->failed) {
		*err = p->err;
		ret = -1;
	}
	free_pipe(p);
	return ret;
}

void dk_blobpipe_cancel(struct dk_blobpipe *p)
{
	if (!p)
		return;
	stop(p, true);
	free_pipe(p);
}
