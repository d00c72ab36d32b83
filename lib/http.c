// SPDX-License-Identifier: GPL-2.0-or-later
/* http.c: the HTTP client over libcurl (the only file that includes
 * it): request setup, response headers and bodies, single requests on a
 * reused handle and concurrent batches on a multi handle. Redirects are
 * followed only when asked (blob downloads); libcurl does not send our
 * Authorization header to another host on a redirect. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <curl/curl.h>
#include "cleanup.h"
#include "http.h"

#define SINK_BUFFER (512 * 1024)

struct dk_http {
	CURL *easy;
	CURLM *multi;
	CURLSH *share;
	struct xfer *active; /* transfers of the running batch */
	bool verbose;
};

struct xfer {
	CURL *e;
	struct curl_slist *hdrs;
	const struct dk_http_req *req;
	struct dk_http_resp *resp;
	size_t slot;
	int64_t up_pos;
	long status; /* of the response being read */
	size_t cap;
	char errbuf[CURL_ERROR_SIZE]; /* libcurl's detail for a failure */
	struct xfer *next;
};

void dk_http_resp_free(struct dk_http_resp *r)
{
	free(r->body);
	free(r->www_auth);
	free(r->location);
	free(r->content_type);
	free(r->digest);
	free(r->link);
	free(r->content_range);
	free(r->etag);
	free(r->last_modified);
	free(r->content_disposition);
}

static void headers_reset(struct dk_http_resp *r)
{
	dk_http_resp_free(r);
	r->body = r->www_auth = r->location = r->content_type = NULL;
	r->digest = r->link = r->content_range = NULL;
	r->etag = r->last_modified = r->content_disposition = NULL;
	r->body_len = 0;
	r->retry_after = -1;
	r->content_length = -1;
}

void dk_http_resp_reset(struct dk_http_resp *r)
{
	headers_reset(r);
	r->status = 0;
	r->failed = r->retryable = r->aborted = false;
	r->error[0] = '\0';
}

static char *trimdup(const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v))
		v++, n--;
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	return strndup(v, n);
}

static void set_header(char **slot, const char *v, size_t n)
{
	free(*slot);
	*slot = trimdup(v, n);
}

static size_t on_header(char *buf, size_t sz, size_t n, void *p)
{
	struct xfer *x = p;
	struct dk_http_resp *r = x->resp;
	size_t len = sz * n;
	const char *colon = memchr(buf, ':', len);

	if (len > 5 && strncmp(buf, "HTTP/", 5) == 0) {
		const char *sp = memchr(buf, ' ', len);

		headers_reset(r); /* a new response (redirect, 100) */
		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		return len;
	}
	if (!colon)
		return len;
	size_t k = colon - buf;
	const char *v = colon + 1;
	size_t vn = len - k - 1;
#define IS(name) (k == strlen(name) && strncasecmp(buf, name, k) == 0)
	if (IS("www-authenticate"))
		set_header(&r->www_auth, v, vn);
	else if (IS("location"))
		set_header(&r->location, v, vn);
	else if (IS("content-type"))
		set_header(&r->content_type, v, vn);
	else if (IS("docker-content-digest"))
		set_header(&r->digest, v, vn);
	else if (IS("link"))
		set_header(&r->link, v, vn);
	else if (IS("content-range"))
		set_header(&r->content_range, v, vn);
	else if (IS("etag"))
		set_header(&r->etag, v, vn);
	else if (IS("last-modified"))
		set_header(&r->last_modified, v, vn);
	else if (IS("content-disposition"))
		set_header(&r->content_disposition, v, vn);
	else if (IS("retry-after"))
		r->retry_after = strtol(v, NULL, 10);
	else if (IS("content-length"))
		r->content_length = strtoll(v, NULL, 10);
#undef IS
	return len;
}

static int keep_body(struct xfer *x, const char *buf, size_t len)
{
	struct dk_http_resp *r = x->resp;

	if (r->body_len + len > DK_HTTP_MAX_BODY)
		return -1;
	if (r->body_len + len + 1 > x->cap) {
		size_t cap = (r->body_len + len + 1) * 2;
		char *nb = realloc(r->body, cap);

		if (!nb)
			return -1;
		r->body = nb;
		x->cap = cap;
	}
	memcpy(r->body + r->body_len, buf, len);
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return 0;
}

static size_t on_body(char *buf, size_t sz, size_t n, void *p)
{
	struct xfer *x = p;
	size_t len = sz * n;

	if (x->req->follow && x->status >= 300 && x->status < 400)
		return len; /* body of a redirect we follow */
	if (x->req->sink && x->status >= 200 && x->status < 300) {
		if (x->req->sink(x->req->sink_ctx, x->status, buf, len) < 0) {
			x->resp->aborted = true;
			return 0;
		}
		return len;
	}
	/* error bodies with a sink are kept small, for messages */
	if (x->req->sink && x->resp->body_len > 65536)
		return len;
	return keep_body(x, buf, len) < 0 ? 0 : len;
}

static size_t on_read(char *buf, size_t sz, size_t n, void *p)
{
	struct xfer *x = p;
	const struct dk_http_req *q = x->req;
	size_t want = sz * n;
	int64_t left = q->body_len - x->up_pos;

	if (left <= 0)
		return 0;
	if ((int64_t)want > left)
		want = left;
	if (q->body_fd < 0) {
		memcpy(buf, (const char *)q->body + x->up_pos, want);
	} else {
		ssize_t got = pread(q->body_fd, buf, want, q->body_off + x->up_pos);

		if (got < 0)
			return CURL_READFUNC_ABORT;
		want = got;
	}
	x->up_pos += want;
	return want;
}

/* libcurl rewinds an upload to resend it (reused connection gone, auth). */
static int on_seek(void *p, curl_off_t offset, int origin)
{
	struct xfer *x = p;

	if (origin != SEEK_SET || offset < 0)
		return CURL_SEEKFUNC_CANTSEEK;
	x->up_pos = offset;
	return CURL_SEEKFUNC_OK;
}

static int add_header(struct xfer *x, const char *name, const char *v)
{
	char line[8192];
	struct curl_slist *l;

	snprintf(line, sizeof(line), *v ? "%s: %s" : "%s:%s", name, v);
	l = curl_slist_append(x->hdrs, line);
	if (!l)
		return -1;
	x->hdrs = l;
	return 0;
}

static int build_headers(struct xfer *x)
{
	const struct dk_http_req *q = x->req;
	char range[64];
	int rc = 0;

	if (q->auth)
		rc |= add_header(x, "Authorization", q->auth);
	if (q->accept)
		rc |= add_header(x, "Accept", q->accept);
	if (q->content_type)
		rc |= add_header(x, "Content-Type", q->content_type);
	else if (q->method && strcmp(q->method, "GET") && strcmp(q->method, "HEAD"))
		rc |= add_header(x, "Content-Type", ""); /* none, not a form */
	if (q->content_range)
		rc |= add_header(x, "Content-Range", q->content_range);
	if (q->if_none_match)
		rc |= add_header(x, "If-None-Match", q->if_none_match);
	if (q->if_modified_since)
		rc |= add_header(x, "If-Modified-Since", q->if_modified_since);
	if (q->range_from > 0) {
		snprintf(range, sizeof(range), "bytes=%lld-", (long long)q->range_from);
		rc |= add_header(x, "Range", range);
	}
	rc |= add_header(x, "Expect", "");
	return rc;
}

static void set_body(CURL *e, struct xfer *x)
{
	const struct dk_http_req *q = x->req;

	if (!q->has_body || q->body_len == 0) {
		/* an empty body: Content-Length: 0, not a chunked upload */
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
		return;
	}
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)q->body_len);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(e, CURLOPT_READDATA, x);
	curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, on_seek);
	curl_easy_setopt(e, CURLOPT_SEEKDATA, x);
}

static int xfer_setup(struct dk_http *h, CURL *e, struct xfer *x, struct dk_err *err)
{
	const struct dk_http_req *q = x->req;
	const char *m = q->method ? q->method : "GET";

	curl_easy_reset(e);
	if (build_headers(x) < 0)
		return dk_err_set(err, "%s %s: out of memory", m, q->url);
	curl_easy_setopt(e, CURLOPT_URL, q->url);
	curl_easy_setopt(e, CURLOPT_SHARE, h->share);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "dk-fetch/" DK_VERSION);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_VERBOSE, h->verbose ? 1L : 0L);
	if (q->follow) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
	}
	if (q->skip_verify) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
		/* nothing is verified: do not load the CA bundle either */
		curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	if (q->sink) /* large reads: fewer calls per byte of a blob */
		curl_easy_setopt(e, CURLOPT_BUFFERSIZE, (long)SINK_BUFFER);
	if (q->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, q->ca_file);
	if (q->cert_file)
		curl_easy_setopt(e, CURLOPT_SSLCERT, q->cert_file);
	if (q->key_file)
		curl_easy_setopt(e, CURLOPT_SSLKEY, q->key_file);
	if (strcmp(m, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") != 0) {
		set_body(e, x);
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	}
	return 0;
}

static void xfer_finish(struct xfer *x, CURLcode rc)
{
	struct dk_http_resp *r = x->resp;

	r->status = x->status;
	if (rc == CURLE_OK)
		return;
	r->failed = true;
	r->status = 0;
	if (x->errbuf[0])
		snprintf(r->error, sizeof(r->error), "%s (%s)", curl_easy_strerror(rc), x->errbuf);
	else
		snprintf(r->error, sizeof(r->error), "%s", curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_HTTP2_STREAM: r->retryable = true; break;
	default: break;
	}
}

struct dk_http *dk_http_new(bool verbose, struct dk_err *err)
{
	static bool inited;
	struct dk_http *h;

	if (!inited && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return dk_err_set(err, "initialising libcurl"), NULL;
	inited = true;
	h = calloc(1, sizeof(*h));
	if (!h)
		return dk_err_sys(err, "http client"), NULL;
	h->verbose = verbose;
	h->easy = curl_easy_init();
	h->multi = curl_multi_init();
	h->share = curl_share_init();
	if (!h->easy || !h->multi || !h->share) {
		dk_http_free(h);
		return dk_err_set(err, "initialising libcurl handles"), NULL;
	}
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	return h;
}

void dk_http_free(struct dk_http *h)
{
	if (!h)
		return;
	if (h->easy)
		curl_easy_cleanup(h->easy);
	if (h->multi)
		curl_multi_cleanup(h->multi);
	if (h->share)
		curl_share_cleanup(h->share);
	free(h);
}

int dk_http_do(struct dk_http *h, const struct dk_http_req *req, struct dk_http_resp *resp,
	       struct dk_err *err)
{
	struct xfer x = {.req = req, .resp = resp};
	CURLcode rc;

	dk_http_resp_reset(resp);
	if (xfer_setup(h, h->easy, &x, err) < 0) {
		curl_slist_free_all(x.hdrs);
		return -1;
	}
	rc = curl_easy_perform(h->easy);
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h->easy, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(x.hdrs);
	xfer_finish(&x, rc);
	if (resp->failed)
		return dk_err_set(err, "%s %s: %s", req->method ? req->method : "GET", req->url,
				  resp->error);
	return 0;
}

static int batch_start(struct dk_http *h, const struct dk_http_batch *b, size_t *running,
		       struct dk_err *err)
{
	while (*running < b->parallel) {
		const struct dk_http_req *q;
		size_t slot;
		int r = b->next(b->ctx, &q, &slot);

		if (r <= 0)
			return 0;
		struct xfer *x = calloc(1, sizeof(*x));
		struct dk_http_resp *resp = calloc(1, sizeof(*resp));

		if (!x || !resp || !(x->e = curl_easy_init())) {
			free(x), free(resp);
			return dk_err_sys(err, "starting a transfer");
		}
		x->req = q, x->resp = resp, x->slot = slot;
		dk_http_resp_reset(resp);
		if (xfer_setup(h, x->e, x, err) < 0 ||
		    curl_multi_add_handle(h->multi, x->e) != CURLM_OK) {
			curl_easy_cleanup(x->e);
			curl_slist_free_all(x->hdrs);
			free(x), free(resp);
			return dk_err_set(err, "starting %s", q->url);
		}
		x->next = h->active;
		h->active = x;
		(*running)++;
	}
	return 0;
}

static void unlink_xfer(struct dk_http *h, struct xfer *x)
{
	for (struct xfer **p = &h->active; *p; p = &(*p)->next)
		if (*p == x) {
			*p = x->next;
			return;
		}
}

static int batch_reap(struct dk_http *h, const struct dk_http_batch *b, size_t *running,
		      struct dk_err *err)
{
	CURLMsg *m;
	int left, ret = 0;

	while ((m = curl_multi_info_read(h->multi, &left))) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		xfer_finish(x, m->data.result);
		unlink_xfer(h, x);
		curl_multi_remove_handle(h->multi, x->e);
		curl_easy_cleanup(x->e);
		curl_slist_free_all(x->hdrs);
		(*running)--;
		if (ret == 0 && b->done(b->ctx, x->slot, x->resp, err) < 0)
			ret = -1;
		dk_http_resp_free(x->resp);
		free(x->resp);
		free(x);
	}
	return ret;
}

static void batch_cancel(struct dk_http *h)
{
	while (h->active) {
		struct xfer *x = h->active;

		h->active = x->next;
		curl_multi_remove_handle(h->multi, x->e);
		curl_easy_cleanup(x->e);
		curl_slist_free_all(x->hdrs);
		dk_http_resp_free(x->resp);
		free(x->resp);
		free(x);
	}
}

int dk_http_run_batch(struct dk_http *h, const struct dk_http_batch *b, struct dk_err *err)
{
	size_t running = 0, before;
	int still;

	for (;;) {
		if (batch_start(h, b, &running, err) < 0)
			break;
		if (running == 0 && !b->pending(b->ctx))
			return 0;
		if (curl_multi_perform(h->multi, &still) != CURLM_OK) {
			dk_err_set(err, "running transfers failed");
			break;
		}
		before = running;
		if (batch_reap(h, b, &running, err) < 0)
			break;
		if (running == before) /* nothing finished: wait for news */
			curl_multi_poll(h->multi, NULL, 0, 100, NULL);
	}
	batch_cancel(h);
	return -1;
}

char *dk_http_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *r = e ? strdup(e) : NULL;

	curl_free(e);
	return r;
}
