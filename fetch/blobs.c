// SPDX-License-Identifier: GPL-2.0-or-later
/* blobs.c: the download scheduler over dk_http_run_batch. Each job owns a
 * store blob writer; bytes go straight from the network into it (and its
 * hasher). A cut transfer asks for the rest with Range; a server that
 * answers 200 instead of 206 makes the job start over. Nothing becomes
 * visible in the store unless the digest matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cleanup.h"
#include "blobs.h"
#include "progress.h"

#define MAX_ATTEMPTS	 6
#define DEFAULT_PARALLEL 4

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct job {
	const struct dk_descriptor *desc;
	struct dk_blob_writer *w;
	struct dk_http_req req;
	char *url;
	enum job_state state;
	int attempts;
	long not_before;
	bool fresh;	    /* no body byte seen in this transfer */
	struct dk_err werr; /* why the sink gave up */
	size_t line;
	int auth_gen; /* of the token this transfer sent */
	struct pull *pull;
};

struct pull {
	struct fx_client *c;
	struct dk_store *s;
	struct job *jobs;
	size_t n;
	const char *auth;
	char scope[DK_REF_NAME_MAX + 32];
	int auth_gen; /* times the token was renewed */
	struct fx_progress prog;
	size_t *done_order; /* jobs by the time their transfer completed */
	size_t n_done;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int job_sink(void *ctx, long status, const char *buf, size_t len)
{
	struct job *j = ctx;
	struct dk_store *s = j->pull->s;

	if (j->fresh && status == 200 && j->w && dk_blob_writer_size(j->w) > 0) {
		dk_blob_writer_abort(j->w); /* no Range support: start over */
		j->w = NULL;
	}
	j->fresh = false;
	if (!j->w && !(j->w = dk_blob_writer_new(s, &j->desc->digest, DK_SHA256, &j->werr)))
		return dk_err_wrap(&j->werr, "blob %s", j->desc->digest.str);
	if (dk_blob_writer_size(j->w) + (int64_t)len > j->desc->size) {
		dk_err_set(&j->werr, "blob %s: more data than its size %lld", j->desc->digest.str,
			   (long long)j->desc->size);
		return -1;
	}
	if (dk_blob_write(j->w, buf, len, &j->werr) < 0)
		return dk_err_wrap(&j->werr, "blob %s", j->desc->digest.str);
	fx_progress_update(&j->pull->prog, j->line, dk_blob_writer_size(j->w), "Downloading");
	return 0;
}

static int next_job(void *ctx, const struct dk_http_req **req, size_t *slot)
{
	struct pull *p = ctx;
	long now = now_ms();
	bool queued = false;

	for (size_t i = 0; i < p->n; i++) {
		struct job *j = &p->jobs[i];

		if (j->state != JOB_QUEUED)
			continue;
		queued = true;
		if (j->not_before > now)
			continue;
		j->req = (struct dk_http_req){
		    .url = j->url,
		    .auth = p->auth,
		    .body_fd = -1,
		    .follow = true,
		    .sink = job_sink,
		    .sink_ctx = j,
		    .range_from = j->w ? dk_blob_writer_size(j->w) : 0,
		};
		fx_client_tls(p->c, &j->req);
		j->fresh = true;
		j->auth_gen = p->auth_gen;
		j->state = JOB_RUNNING;
		*req = &j->req;
		*slot = i;
		return 1;
	}
	return queued ? 0 : -1;
}

static bool jobs_pending(void *ctx)
{
	struct pull *p = ctx;

	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].state == JOB_QUEUED)
			return true;
	return false;
}

static int requeue(struct job *j, const struct dk_http_resp *resp, struct dk_err *err)
{
	if (++j->attempts >= MAX_ATTEMPTS)
		return fx_client_fail(resp, err, "blob %s (after %d attempts)", j->desc->digest.str,
				      j->attempts);
	long wait = 250L << (j->attempts - 1);
	if (resp->status == 429)
		wait = (resp->retry_after < 0	 ? 1
			: resp->retry_after > 60 ? 60
						 : resp->retry_after) *
		       1000L;
	j->not_before = now_ms() + wait;
	j->state = JOB_QUEUED;
	return 0;
}

/* A transfer is complete: its digest is checked now (a mismatch stops
 * the pull); the blob is queued for the store by store_done() once no
 * transfer runs any more (an fsync in the middle would stall the other
 * downloads: ext4 commits their data with it). The store syncs all queued
 * blobs and manifests together just before the tag (batch_commit). */
static int finish(struct job *j, struct dk_err *err)
{
	if (!j->w && !(j->w = dk_blob_writer_new(j->pull->s, &j->desc->digest, DK_SHA256, err)))
		return -1; /* an empty blob */
	j->state = JOB_DONE;
	if (dk_blob_writer_verify(j->w, err) < 0) {
		dk_blob_writer_abort(steal_ptr(j->w));
		return -1;
	}
	j->pull->done_order[j->pull->n_done++] = (size_t)(j - j->pull->jobs);
	fx_progress_update(&j->pull->prog, j->line, j->desc->size, "Download complete");
	return 0;
}

/* Queue every completely downloaded blob for the store, in the order the
 * transfers completed (also after another failed: fx_pull then stores
 * them, so a retry does not download them again); the first error wins. */
static int store_done(struct pull *p, int ret, struct dk_err *err)
{
	struct dk_err e2;

	for (size_t i = 0; i < p->n_done; i++) {
		struct job *j = &p->jobs[p->done_order[i]];

		if (!j->w)
			continue;
		if (dk_blob_writer_commit(steal_ptr(j->w), NULL, NULL, ret < 0 ? &e2 : err) < 0)
			ret = -1;
		else
			fx_progress_update(&p->prog, j->line, j->desc->size, "Pull complete");
	}
	return ret;
}

static int job_done(void *ctx, size_t slot, struct dk_http_resp *resp, struct dk_err *err)
{
	struct pull *p = ctx;
	struct job *j = &p->jobs[slot];
	int64_t have = j->w ? dk_blob_writer_size(j->w) : 0;

	if (resp->aborted) {
		*err = j->werr;
		return -1;
	}
	if (!resp->failed && (resp->status == 200 || resp->status == 206))
		return finish(j, err); /* complete: the digest decides */
	if (resp->failed && have == j->desc->size)
		return finish(j, err);
	if (resp->retryable || resp->status == 429 || resp->status >= 500)
		return requeue(j, resp, err); /* cut or busy: ask for the rest */
	if (resp->status == 401 && p->auth && (j->auth_gen != p->auth_gen || p->auth_gen == 0)) {
		if (j->auth_gen == p->auth_gen) { /* the token expired: renew it once */
			p->auth_gen++;
			fx_client_forget(p->c, p->scope);
			if (fx_client_auth(p->c, p->scope, &p->auth, err) < 0)
				return -1;
		}
		j->state = JOB_QUEUED;
		return 0;
	}
	if (resp->status == 404)
		return dk_err_set(err, "blob %s: not found in %s (404)", j->desc->digest.str,
				  p->c->domain);
	return fx_client_fail(resp, err, "blob %s", j->desc->digest.str);
}

static bool seen_before(const struct dk_descriptor *descs, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (dk_digest_equal(&descs[k].digest, &descs[i].digest))
			return true;
	return false;
}

static int add_jobs(struct pull *p, const struct dk_ref *r, const struct dk_descriptor *descs,
		    size_t n, struct dk_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (seen_before(descs, i) || dk_store_has_blob(p->s, &descs[i].digest))
			continue;
		if (descs[i].size < 0)
			return dk_err_set(err, "blob %s: negative size", descs[i].digest.str);
		struct job *j = &p->jobs[p->n];

		j->desc = &descs[i];
		j->pull = p;
		j->line = p->n;
		j->url = fx_client_url(p->c, "/v2/%s/blobs/%s", r->path, descs[i].digest.str);
		if (!j->url)
			return dk_err_sys(err, "blob url");
		p->n++;
	}
	return 0;
}

static void free_jobs(struct pull *p)
{
	for (size_t i = 0; i < p->n; i++) {
		dk_blob_writer_abort(p->jobs[i].w);
		free(p->jobs[i].url);
	}
	free(p->jobs);
	free(p->done_order);
}

int fx_pull_blobs(struct fx_client *c, struct dk_store *s, const struct dk_ref *r,
		  const struct dk_descriptor *descs, size_t n, struct dk_err *err)
{
	struct pull p = {.c = c,
			 .s = s,
			 .jobs = calloc(n + 1, sizeof(struct job)),
			 .done_order = calloc(n + 1, sizeof(size_t))};
	struct dk_http_batch b = {
	    .next = next_job, .done = job_done, .pending = jobs_pending, .ctx = &p};
	int ret = -1;

	if (!p.jobs || !p.done_order) {
		free(p.jobs);
		free(p.done_order);
		return dk_err_sys(err, "blob jobs");
	}
	snprintf(p.scope, sizeof(p.scope), "repository:%s:pull", r->path);
	b.parallel = c->opts->parallel > 0 ? (size_t)c->opts->parallel : DEFAULT_PARALLEL;
	if (add_jobs(&p, r, descs, n, err) < 0 || fx_client_auth(c, p.scope, &p.auth, err) < 0)
		goto out;
	fx_progress_init(&p.prog, c->opts->quiet, p.n);
	for (size_t i = 0; i < p.n; i++)
		fx_progress_set(&p.prog, i, p.jobs[i].desc->digest.str, p.jobs[i].desc->size,
				"Waiting");
	ret = store_done(&p, dk_http_run_batch(c->http, &b, err), err);
	fx_progress_end(&p.prog);
out:
	free_jobs(&p);
	return ret;
}
