// SPDX-License-Identifier: GPL-2.0-or-later
/* http.h: the HTTP client of fetch and buildfile's ADD (the only wall
 * around libcurl): one
 * request at a time, or a batch run concurrently with a bounded number of
 * transfers. Requests and responses are plain data. */
#ifndef DK_HTTP_H
#define DK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define DK_HTTP_MAX_BODY (8u << 20) /* bodies kept in memory (JSON, errors) */

/* Response body sink: return 0 to take the bytes, -1 to abort the transfer. */
typedef int (*dk_http_sink_fn)(void *ctx, long status, const char *buf, size_t len);

struct dk_http_req {
	const char *method; /* "GET" when NULL */
	const char *url;
	const char *auth;	       /* Authorization value, or NULL */
	const char *accept;	       /* Accept value, or NULL */
	const char *content_type;      /* for a body */
	const char *content_range;     /* Content-Range for PATCH, or NULL */
	const char *if_none_match;     /* a cached ETag to revalidate, or NULL */
	const char *if_modified_since; /* a cached Last-Modified, or NULL */
	int64_t range_from;	       /* > 0: ask for bytes from here on */
	/* body: a buffer, or body_len bytes of body_fd from body_off */
	const void *body;
	int body_fd; /* -1 when the body is a buffer */
	int64_t body_off, body_len;
	bool has_body;
	bool follow; /* follow redirects (blobs) */
	/* TLS for this host (docker's certs.d); NULL for the defaults */
	const char *ca_file, *cert_file, *key_file;
	bool skip_verify;     /* insecure registry over HTTPS */
	dk_http_sink_fn sink; /* NULL: keep the body in resp->body */
	void *sink_ctx;
};

struct dk_http_resp {
	long status; /* 0 when the transfer failed */
	char *body;  /* NUL-terminated, when no sink */
	size_t body_len;
	char *www_auth, *location, *content_type, *digest, *link;
	char *content_range;
	char *etag, *last_modified, *content_disposition;
	long retry_after;	/* seconds, -1 when absent */
	int64_t content_length; /* -1 when absent */
	bool failed;		/* transport error (see error) */
	bool retryable;		/* reset, timeout, partial body */
	bool aborted;		/* the sink aborted it */
	char error[640];
};

void dk_http_resp_free(struct dk_http_resp *r);
/* Forget a response so the struct can take the next one. */
void dk_http_resp_reset(struct dk_http_resp *r);

struct dk_http;
struct dk_http *dk_http_new(bool verbose, struct dk_err *err);
void dk_http_free(struct dk_http *h);

/* Run one request. Returns 0 when an HTTP response arrived (any status),
 * -1 with resp->failed set for a transport error (err filled too). */
int dk_http_do(struct dk_http *h, const struct dk_http_req *req, struct dk_http_resp *resp,
	       struct dk_err *err);

/* A batch: next() hands out the next request (returns 1, and a slot id it
 * gets back in done()), 0 when none is ready now, -1 when all are handed
 * out; done() sees each finished response and returns -1 to stop the
 * batch (err filled). At most parallel transfers run at once. */
struct dk_http_batch {
	int (*next)(void *ctx, const struct dk_http_req **req, size_t *slot);
	int (*done)(void *ctx, size_t slot, struct dk_http_resp *resp, struct dk_err *err);
	bool (*pending)(void *ctx); /* anything left to hand out later? */
	void *ctx;
	size_t parallel;
};
int dk_http_run_batch(struct dk_http *h, const struct dk_http_batch *b, struct dk_err *err);

/* Percent-encode s for a query string (malloc'd). */
char *dk_http_escape(const char *s);

#endif
