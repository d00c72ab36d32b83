// SPDX-License-Identifier: GPL-2.0-or-later
/* http.h: the HTTP client fetch uses (the only wall around libcurl): one
 * request at a time, or a batch run concurrently with a bounded number of
 * transfers. Requests and responses are plain data. */
#ifndef FETCH_HTTP_H
#define FETCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define FX_MAX_BODY (8u << 20) /* bodies kept in memory (JSON, errors) */

/* Response body sink: return 0 to take the bytes, -1 to abort the transfer. */
typedef int (*fx_sink_fn)(void *ctx, long status, const char *buf, size_t len);

struct fx_req {
	const char *method; /* "GET" when NULL */
	const char *url;
	const char *auth;	   /* Authorization value, or NULL */
	const char *accept;	   /* Accept value, or NULL */
	const char *content_type;  /* for a body */
	const char *content_range; /* Content-Range for PATCH, or NULL */
	int64_t range_from;	   /* > 0: ask for bytes from here on */
	/* body: a buffer, or body_len bytes of body_fd from body_off */
	const void *body;
	int body_fd; /* -1 when the body is a buffer */
	int64_t body_off, body_len;
	bool has_body;
	bool follow; /* follow redirects (blobs) */
	/* TLS for this host (docker's certs.d); NULL for the defaults */
	const char *ca_file, *cert_file, *key_file;
	bool skip_verify; /* insecure registry over HTTPS */
	fx_sink_fn sink;  /* NULL: keep the body in resp->body */
	void *sink_ctx;
};

struct fx_resp {
	long status; /* 0 when the transfer failed */
	char *body;  /* NUL-terminated, when no sink */
	size_t body_len;
	char *www_auth, *location, *content_type, *digest, *link;
	char *content_range;
	long retry_after;	/* seconds, -1 when absent */
	int64_t content_length; /* -1 when absent */
	bool failed;		/* transport error (see error) */
	bool retryable;		/* reset, timeout, partial body */
	bool aborted;		/* the sink aborted it */
	char error[640];
};

void fx_resp_free(struct fx_resp *r);
/* Forget a response so the struct can take the next one. */
void fx_resp_reset(struct fx_resp *r);

struct fx_http;
struct fx_http *fx_http_new(bool verbose, struct dk_err *err);
void fx_http_free(struct fx_http *h);

/* Run one request. Returns 0 when an HTTP response arrived (any status),
 * -1 with resp->failed set for a transport error (err filled too). */
int fx_http_do(struct fx_http *h, const struct fx_req *req, struct fx_resp *resp,
	       struct dk_err *err);

/* A batch: next() hands out the next request (returns 1, and a slot id it
 * gets back in done()), 0 when none is ready now, -1 when all are handed
 * out; done() sees each finished response and returns -1 to stop the
 * batch (err filled). At most parallel transfers run at once. */
struct fx_batch {
	int (*next)(void *ctx, const struct fx_req **req, size_t *slot);
	int (*done)(void *ctx, size_t slot, struct fx_resp *resp, struct dk_err *err);
	bool (*pending)(void *ctx); /* anything left to hand out later? */
	void *ctx;
	size_t parallel;
};
int fx_http_batch(struct fx_http *h, const struct fx_batch *b, struct dk_err *err);

/* Percent-encode s for a query string (malloc'd). */
char *fx_http_escape(const char *s);

#endif
