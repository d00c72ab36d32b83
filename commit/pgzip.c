// SPDX-License-Identifier: GPL-2.0-or-later
/* pgzip.c: the block pipeline behind pgzip.h. A ring of slots: the
 * caller's thread fills the slot of block `filling`, queues it, and
 * writes finished blocks (from `written` on) to the sink in order;
 * workers take queued blocks (`taken`) and compress them. One mutex and
 * two condition variables; the sink and the compression run unlocked. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pgzip.h"

#define BLOCK ((size_t)1 << 20)

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

struct slot {
	unsigned char *in, *out;
	size_t in_len, out_len, out_cap;
	enum slot_state state;
};

struct commit_pgzip;

struct worker {
	pthread_t tid;
	bool started;
	struct commit_deflater *d;
	struct commit_pgzip *p;
};

struct commit_pgzip {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct slot *slots;
	size_t n_slots;
	uint64_t filling, taken, written; /* block numbers */
	bool stop;
	struct worker *workers;
	size_t n_workers;
	commit_sink_fn sink;
	void *ctx;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct commit_pgzip *p = w->p;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->taken == p->filling)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		struct slot *s = &p->slots[p->taken++ % p->n_slots];

		pthread_mutex_unlock(&p->mu);
		s->out_len = commit_gzip_member(w->d, s->in, s->in_len, s->out, s->out_cap);
		pthread_mutex_lock(&p->mu);
		s->state = SLOT_DONE;
		pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int start_workers(struct commit_pgzip *p, int level, struct dk_err *err)
{
	for (size_t i = 0; i < p->n_workers; i++) {
		struct worker *w = &p->workers[i];

		w->p = p;
		w->d = commit_deflater_new(level, err);
		if (!w->d)
			return -1;
		int rc = pthread_create(&w->tid, NULL, worker_main, w);
		if (rc != 0)
			return dk_err_errno(err, rc, "gzip: starting worker thread %zu", i + 1);
		w->started = true;
	}
	return 0;
}

struct commit_pgzip *commit_pgzip_new(int level, int threads, commit_sink_fn sink, void *ctx,
				      struct dk_err *err)
{
	struct commit_pgzip *p = calloc(1, sizeof(*p));

	if (!p)
		return dk_err_sys(err, "gzip compressor"), NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->sink = sink;
	p->ctx = ctx;
	p->n_workers = threads < 1 ? 1 : (size_t)threads;
	/* room for every worker's block, as many finished ones waiting for
	 * an earlier block, and the one being filled */
	p->n_slots = 2 * p->n_workers + 1;
	p->workers = calloc(p->n_workers, sizeof(*p->workers));
	p->slots = calloc(p->n_slots, sizeof(*p->slots));
	if (!p->workers || !p->slots) {
		dk_err_sys(err, "gzip compressor");
		goto fail;
	}
	if (start_workers(p, level, err) < 0)
		goto fail;
	return p;
fail:
	commit_pgzip_free(p);
	return NULL;
}

/* Buffers are allocated on first use, so small layers stay small. */
static int slot_alloc(struct commit_pgzip *p, struct slot *s, struct dk_err *err)
{
	if (s->in)
		return 0;
	s->out_cap = commit_gzip_bound(p->workers[0].d, BLOCK);
	s->in = malloc(BLOCK);
	s->out = malloc(s->out_cap);
	if (!s->in || !s->out)
		return dk_err_sys(err, "gzip block buffers");
	return 0;
}

/* With the lock held: write finished blocks in order until the slot to
 * fill next is free (all: until every queued block is written). */
static int drain(struct commit_pgzip *p, bool all, struct dk_err *err)
{
	for (;;) {
		struct slot *head = &p->slots[p->written % p->n_slots];

		if (p->written < p->filling && head->state == SLOT_DONE) {
			pthread_mutex_unlock(&p->mu);
			int rc = head->out_len ? p->sink(p->ctx, head->out, head->out_len, err)
					       : dk_err_set(err, "gzip: compression failed");
			pthread_mutex_lock(&p->mu);
			if (rc < 0)
				return -1;
			head->state = SLOT_FREE;
			head->in_len = 0;
			p->written++;
			continue;
		}
		if (all ? p->written == p->filling
			: p->slots[p->filling % p->n_slots].state == SLOT_FREE)
			return 0;
		pthread_cond_wait(&p->done, &p->mu);
	}
}

static int submit(struct commit_pgzip *p, bool last, struct dk_err *err)
{
	int ret;

	pthread_mutex_lock(&p->mu);
	p->slots[p->filling % p->n_slots].state = SLOT_QUEUED;
	p->filling++;
	pthread_cond_signal(&p->work);
	ret = drain(p, last, err);
	pthread_mutex_unlock(&p->mu);
	return ret;
}

int commit_pgzip_write(struct commit_pgzip *p, const void *buf, size_t len, struct dk_err *err)
{
	const unsigned char *b = buf;

	while (len > 0) {
		struct slot *s = &p->slots[p->filling % p->n_slots];

		if (slot_alloc(p, s, err) < 0)
			return -1;
		size_t n = BLOCK - s->in_len < len ? BLOCK - s->in_len : len;

		memcpy(s->in + s->in_len, b, n);
		s->in_len += n;
		b += n;
		len -= n;
		if (s->in_len == BLOCK && submit(p, false, err) < 0)
			return -1;
	}
	return 0;
}

int commit_pgzip_finish(struct commit_pgzip *p, struct dk_err *err)
{
	struct slot *s = &p->slots[p->filling % p->n_slots];

	/* the last partial block; an empty input still gives one member */
	if (s->in_len > 0 || p->filling == 0) {
		if (slot_alloc(p, s, err) < 0)
			return -1;
		return submit(p, true, err);
	}
	pthread_mutex_lock(&p->mu);
	int ret = drain(p, true, err);
	pthread_mutex_unlock(&p->mu);
	return ret;
}

void commit_pgzip_free(struct commit_pgzip *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; p->workers && i < p->n_workers; i++) {
		if (p->workers[i].started)
			pthread_join(p->workers[i].tid, NULL);
		commit_deflater_free(p->workers[i].d);
	}
	for (size_t i = 0; p->slots && i < p->n_slots; i++) {
		free(p->slots[i].in);
		free(p->slots[i].out);
	}
	free(p->workers);
	free(p->slots);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
