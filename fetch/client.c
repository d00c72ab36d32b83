// SPDX-License-Identifier: GPL-2.0-or-later
/* client.c: the registry session: credentials looked up lazily, the
 * challenge answered with Basic or a Bearer token, tokens cached per scope
 * for the run, retries with backoff for 5xx and dropped connections, and
 * 429 Retry-After honoured. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base64.h"
#include "cleanup.h"
#include "client.h"
#include "json.h"

#define MAX_ATTEMPTS	5
#define MAX_RETRY_AFTER 60

void fx_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0)
		;
}

static int probe(struct fx_client *c, struct dk_err *err);

struct fx_client *fx_client_new(const char *domain, const struct fx_opts *o, struct dk_err *err)
{
	struct fx_client *c = calloc(1, sizeof(*c));

	if (!c)
		return dk_err_sys(err, "registry client"), NULL;
	c->opts = o;
	c->creds_state = -2;
	c->domain = strdup(domain);
	c->http = dk_http_new(o->verbose, err);
	if (!c->domain || !c->http || fx_host_resolve(domain, o->insecure, &c->host, err) < 0 ||
	    (c->host.probe && probe(c, err) < 0)) {
		fx_client_free(c);
		return NULL;
	}
	return c;
}

void fx_client_free(struct fx_client *c)
{
	if (!c)
		return;
	dk_http_free(c->http);
	fx_host_free(&c->host);
	fx_creds_free(&c->creds);
	fx_challenge_free(&c->chal);
	for (size_t i = 0; i < c->n_tokens; i++) {
		free(c->tokens[i].scope);
		free(c->tokens[i].header);
	}
	free(c->tokens);
	free(c->basic);
	free(c->domain);
	free(c);
}

int fx_client_set_creds(struct fx_client *c, const char *user, const char *secret,
			struct dk_err *err)
{
	fx_creds_free(&c->creds);
	c->creds.user = strdup(user);
	c->creds.secret = strdup(secret);
	if (!c->creds.user || !c->creds.secret)
		return dk_err_sys(err, "credentials");
	c->creds_state = 0;
	return 0;
}

static int load_creds(struct fx_client *c, struct dk_err *err)
{
	if (c->creds_state == -2) {
		int r = fx_creds_get(c->domain, &c->creds, err);

		if (r < 0)
			return -1;
		c->creds_state = r;
	}
	return c->creds_state;
}

char *fx_client_url(const struct fx_client *c, const char *fmt, ...)
{
	char *path = NULL, *url = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&path, fmt, ap) < 0)
		path = NULL;
	va_end(ap);
	if (path && asprintf(&url, "%s%s", c->host.base, path) < 0)
		url = NULL;
	free(path);
	return url;
}

void fx_client_tls(const struct fx_client *c, struct dk_http_req *req)
{
	req->ca_file = c->host.ca_file;
	req->cert_file = c->host.cert_file;
	req->key_file = c->host.key_file;
	req->skip_verify = c->host.skip_verify;
}

/* GET /v2/ at base: does a registry answer there (200 or 401)? */
static bool answers(struct fx_client *c, const char *base)
{
	cleanup_free char *url = NULL;
	struct dk_http_req req = {.body_fd = -1};
	struct dk_http_resp resp = {0};
	struct dk_err ignore;
	bool yes;

	if (asprintf(&url, "%s/v2/", base) < 0)
		return false;
	req.url = url;
	fx_client_tls(c, &req);
	yes = dk_http_do(c->http, &req, &resp, &ignore) == 0 &&
	      (resp.status == 200 || resp.status == 401);
	dk_http_resp_free(&resp);
	return yes;
}

/* An insecure registry: HTTPS (unverified) when it speaks TLS, else plain
 * HTTP when a registry answers there; otherwise HTTPS stays, so errors
 * tell what went wrong with it (a missing client certificate, say). On
 * loopback plain HTTP is asked first, and HTTPS not at all: a TLS port does
 * not answer a plain request with 200 or 401, so the outcome is the same,
 * minus a handshake. */
static int probe(struct fx_client *c, struct dk_err *err)
{
	char *plain = NULL;

	if (!c->host.plain_first && answers(c, c->host.base))
		return 0;
	if (asprintf(&plain, "http://%s", c->host.base + strlen("https://")) < 0)
		return dk_err_sys(err, "registry url");
	if (!answers(c, plain)) {
		free(plain);
		return 0;
	}
	free(c->host.base);
	c->host.base = plain;
	c->host.plain_http = true;
	return 0;
}

static const char *cached_token(struct fx_client *c, const char *scope)
{
	for (size_t i = 0; i < c->n_tokens; i++)
		if (strcmp(c->tokens[i].scope, scope ? scope : "") == 0)
			return c->tokens[i].header;
	return NULL;
}

void fx_client_forget(struct fx_client *c, const char *scope)
{
	for (size_t i = 0; i < c->n_tokens; i++) {
		if (strcmp(c->tokens[i].scope, scope ? scope : "") != 0)
			continue;
		free(c->tokens[i].scope);
		free(c->tokens[i].header);
		c->tokens[i] = c->tokens[--c->n_tokens];
		return;
	}
}

static int add_token(struct fx_client *c, const char *scope, char *header, struct dk_err *err)
{
	struct fx_token *t = realloc(c->tokens, (c->n_tokens + 1) * sizeof(*t));

	if (!t) {
		free(header);
		return dk_err_sys(err, "token cache");
	}
	c->tokens = t;
	t[c->n_tokens].scope = strdup(scope ? scope : "");
	t[c->n_tokens].header = header;
	c->n_tokens++;
	return 0;
}

static int make_basic(struct fx_client *c, struct dk_err *err)
{
	cleanup_free char *plain = NULL, *b64 = NULL;

	if (asprintf(&plain, "%s:%s", c->creds.user, c->creds.secret) < 0)
		return dk_err_sys(err, "credentials");
	b64 = dk_base64_encode(plain, strlen(plain));
	free(c->basic);
	c->basic = NULL;
	if (!b64 || asprintf(&c->basic, "Basic %s", b64) < 0)
		return dk_err_sys(err, "credentials");
	return 0;
}

int fx_client_auth(struct fx_client *c, const char *scope, const char **hdr, struct dk_err *err)
{
	char *fresh = NULL;

	*hdr = NULL;
	if (!c->have_chal)
		return 0;
	if (strcmp(c->chal.scheme, "basic") == 0) {
		*hdr = c->basic;
		return 0;
	}
	if (strcmp(c->chal.scheme, "bearer") != 0)
		return 0;
	if ((*hdr = cached_token(c, scope)))
		return 0;
	if (fx_token_fetch(c, scope, &fresh, err) < 0 || add_token(c, scope, fresh, err) < 0)
		return -1;
	*hdr = cached_token(c, scope);
	return 0;
}

/* A 401 arrived: learn the challenge and get what it asks for. */
static int answer_challenge(struct fx_client *c, const struct dk_http_resp *resp,
			    struct dk_err *err)
{
	struct fx_challenge ch;

	if (!resp->www_auth)
		return dk_err_set(err, "401 Unauthorized without a WWW-Authenticate challenge");
	if (fx_challenge_parse(resp->www_auth, &ch, err) < 0)
		return -1;
	fx_challenge_free(&c->chal);
	c->chal = ch;
	c->have_chal = true;
	if (strcmp(ch.scheme, "basic") == 0) {
		int r = load_creds(c, err);

		if (r < 0)
			return -1;
		if (r == 1)
			return dk_err_set(
			    err,
			    "authentication required (no credentials for %s; try fetch login %s)",
			    c->domain, c->domain);
		return make_basic(c, err);
	}
	if (strcmp(ch.scheme, "bearer") != 0)
		return dk_err_set(err, "unsupported authentication scheme \"%s\"", ch.scheme);
	if (!ch.realm)
		return dk_err_set(err, "Bearer challenge without a realm");
	return load_creds(c, err) < 0 ? -1 : 0;
}

static long backoff_ms(int attempt, const struct dk_http_resp *resp)
{
	if (resp->status == 429) {
		long s = resp->retry_after < 0 ? 1 : resp->retry_after;

		return (s > MAX_RETRY_AFTER ? MAX_RETRY_AFTER : s) * 1000;
	}
	return 250L << attempt;
}

static bool should_retry(const struct dk_http_req *req, const struct dk_http_resp *resp)
{
	if (req->sink && (resp->failed || resp->status >= 500))
		return false; /* the sink has seen part of a body */
	return resp->retryable || resp->status == 429 ||
	       (resp->status >= 500 && resp->status != 501);
}

int fx_client_do(struct fx_client *c, const char *scope, struct dk_http_req *req,
		 struct dk_http_resp *resp, struct dk_err *err)
{
	bool answered = false;

	fx_client_tls(c, req);
	for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		if (fx_client_auth(c, scope, &req->auth, err) < 0)
			return -1;
		int r = dk_http_do(c->http, req, resp, err);

		if (r == 0 && resp->status == 401 && !answered) {
			answered = true;
			if (answer_challenge(c, resp, err) < 0)
				return -1;
			attempt--;
			continue;
		}
		if (attempt + 1 < MAX_ATTEMPTS && should_retry(req, resp)) {
			fx_sleep_ms(backoff_ms(attempt, resp));
			continue;
		}
		return r;
	}
	return 0;
}

static void registry_errors(const struct dk_http_resp *resp, char *buf, size_t size)
{
	struct dk_err ignore;
	struct dk_json *doc = resp->body && resp->body_len
				  ? dk_json_parse(resp->body, resp->body_len, "error", &ignore)
				  : NULL;
	const struct dk_json *e = dk_json_at(dk_json_get(doc, "errors"), 0);
	const char *code = dk_json_get_str(e, "code");
	const char *msg = dk_json_get_str(e, "message");

	buf[0] = '\0';
	if (code || msg)
		snprintf(buf, size, ": %s%s%s", code ? code : "", code && msg ? ": " : "",
			 msg ? msg : "");
	dk_json_free(doc);
}

int fx_client_fail(const struct dk_http_resp *resp, struct dk_err *err, const char *fmt, ...)
{
	char what[1024], detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (resp->failed)
		return dk_err_set(err, "%s: %s", what, resp->error);
	registry_errors(resp, detail, sizeof(detail));
	if (resp->status == 401)
		return dk_err_set(err, "%s: unauthorized (401)%s", what, detail);
	if (resp->status == 403)
		return dk_err_set(err, "%s: access denied (403)%s", what, detail);
	return dk_err_set(err, "%s: registry answered %ld%s", what, resp->status, detail);
}

char *fx_client_next_link(const struct fx_client *c, const struct dk_http_resp *resp)
{
	const char *l = resp->link, *lt, *gt;
	char *url = NULL;

	if (!l || !strstr(l, "rel=\"next\"") || !(lt = strchr(l, '<')) || !(gt = strchr(lt, '>')))
		return NULL;
	if (lt[1] == '/') {
		if (asprintf(&url, "%s%.*s", c->host.base, (int)(gt - lt - 1), lt + 1) < 0)
			url = NULL;
		return url;
	}
	return strndup(lt + 1, gt - lt - 1);
}
