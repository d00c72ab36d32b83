// SPDX-License-Identifier: GPL-2.0-or-later
/* client.h: a session with one registry: endpoint, credentials, the auth
 * scheme learnt from its challenge, bearer tokens cached per scope, and
 * requests retried on 401 (once, after authenticating), 429 and 5xx. */
#ifndef FETCH_CLIENT_H
#define FETCH_CLIENT_H

#include <stdbool.h>
#include "challenge.h"
#include "creds.h"
#include "hosts.h"
#include "http.h"

struct fx_opts {
	const char *root;
	const char *platform;
	bool all_platforms, insecure, quiet, verbose;
	int parallel;
	long chunk_size;
};

struct fx_token {
	char *scope;
	char *header; /* "Bearer ..." */
};

struct fx_client {
	struct dk_http *http;
	char *domain;
	struct fx_host host;
	struct fx_creds creds;
	int creds_state;	  /* -2 not looked up, 0 have, 1 none */
	struct fx_challenge chal; /* the registry's, once seen */
	bool have_chal;
	char *basic; /* "Basic ..." once chosen */
	struct fx_token *tokens;
	size_t n_tokens;
	const struct fx_opts *opts;
};

struct fx_client *fx_client_new(const char *domain, const struct fx_opts *o, struct dk_err *err);
void fx_client_free(struct fx_client *c);

/* Use these credentials instead of the auth file's (login). */
int fx_client_set_creds(struct fx_client *c, const char *user, const char *secret,
			struct dk_err *err);

/* base + path, malloc'd; path starts with "/". */
char *fx_client_url(const struct fx_client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fill req's TLS fields from the host's certs.d files. */
void fx_client_tls(const struct fx_client *c, struct dk_http_req *req);

/* The Authorization value for scope ("repository:a/b:pull", several
 * separated by spaces; NULL for none): cached, fetched when the registry
 * is known to want a token, or NULL when it wants nothing so far. */
int fx_client_auth(struct fx_client *c, const char *scope, const char **hdr, struct dk_err *err);

/* Drop the cached token for scope (it expired); the next
 * fx_client_auth fetches a new one. */
void fx_client_forget(struct fx_client *c, const char *scope);

/* Send req with auth for scope; retries as described above. Returns 0
 * when a final HTTP response is in resp (any status). */
int fx_client_do(struct fx_client *c, const char *scope, struct dk_http_req *req,
		 struct dk_http_resp *resp, struct dk_err *err);

/* Error for an unexpected response: "STATUS: CODE: message" from the
 * registry's JSON errors, set into err with what as context. */
int fx_client_fail(const struct dk_http_resp *resp, struct dk_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Token flow (token.c): get a bearer token for scope from chal's realm. */
int fx_token_fetch(struct fx_client *c, const char *scope, char **header, struct dk_err *err);

/* The rel="next" URL of a Link header (pagination), malloc'd, or NULL. */
char *fx_client_next_link(const struct fx_client *c, const struct dk_http_resp *resp);

/* Sleep ms milliseconds. */
void fx_sleep_ms(long ms);

#endif
