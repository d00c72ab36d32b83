// SPDX-License-Identifier: GPL-2.0-or-later
/* token.c: the registry token flow (distribution's token auth): GET
 * realm?service=S&scope=A&scope=B, with Basic credentials when we have
 * them (anonymous otherwise); the answer's "token" or "access_token" is
 * sent as "Authorization: Bearer ...". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base64.h"
#include "cleanup.h"
#include "client.h"
#include "hosts.h"
#include "json.h"

static int append(char **url, const char *key, const char *value)
{
	cleanup_free char *esc = dk_http_escape(value);
	char *n = NULL;

	if (!esc || asprintf(&n, "%s%c%s=%s", *url, strchr(*url, '?') ? '&' : '?', key, esc) < 0)
		return -1;
	free(*url);
	*url = n;
	return 0;
}

/* realm plus service and each space-separated scope as query parameters */
static char *token_url(const struct fx_challenge *ch, const char *scope)
{
	char *url = strdup(ch->realm);
	cleanup_free char *copy = scope ? strdup(scope) : NULL;
	char *save = NULL;

	if (!url)
		return NULL;
	if (ch->service && append(&url, "service", ch->service) < 0)
		goto fail;
	for (char *s = copy ? strtok_r(copy, " ", &save) : NULL; s; s = strtok_r(NULL, " ", &save))
		if (append(&url, "scope", s) < 0)
			goto fail;
	return url;
fail:
	free(url);
	return NULL;
}

static int parse_token(const struct dk_http_resp *resp, char **header, struct dk_err *err)
{
	struct dk_json *doc =
	    dk_json_parse(resp->body ? resp->body : "", resp->body_len, "token response", err);
	const char *tok;

	if (!doc)
		return -1;
	tok = dk_json_get_str(doc, "token");
	if (!tok || !*tok)
		tok = dk_json_get_str(doc, "access_token");
	if (!tok || !*tok) {
		dk_json_free(doc);
		return dk_err_set(err, "token response without a token");
	}
	if (asprintf(header, "Bearer %s", tok) < 0)
		*header = NULL;
	dk_json_free(doc);
	return *header ? 0 : dk_err_sys(err, "token");
}

/* A registry we speak HTTPS to may not send us, with the user's
 * credentials, to a plain-HTTP token server elsewhere: only a realm on a
 * host docker would speak plain HTTP to anyway (loopback,
 * insecure-registries) may be http://. */
static bool realm_downgrades(const struct fx_client *c)
{
	const char *r = c->chal.realm;
	char host[256];
	size_t n;

	if (strncasecmp(c->host.base, "https://", 8) != 0 || strncasecmp(r, "http://", 7) != 0)
		return false;
	r += 7;
	n = strcspn(r, "/?#");
	if (n >= sizeof(host))
		return true;
	memcpy(host, r, n);
	host[n] = '\0';
	return !fx_host_insecure(host);
}

int fx_token_fetch(struct fx_client *c, const char *scope, char **header, struct dk_err *err)
{
	cleanup_free char *url = token_url(&c->chal, scope ? scope : c->chal.scope);
	cleanup_free char *plain = NULL, *b64 = NULL, *basic = NULL;
	struct dk_http_req req = {.body_fd = -1, .follow = true};
	struct dk_http_resp resp = {0};
	int ret;

	if (!url)
		return dk_err_sys(err, "token request");
	if (realm_downgrades(c))
		return dk_err_set(err,
				  "token server %s: a plain-HTTP realm for the HTTPS registry %s "
				  "(credentials would travel unencrypted)",
				  c->chal.realm, c->domain);
	req.url = url;
	if (c->creds_state == 0) {
		if (asprintf(&plain, "%s:%s", c->creds.user, c->creds.secret) < 0 ||
		    !(b64 = dk_base64_encode(plain, strlen(plain))) ||
		    asprintf(&basic, "Basic %s", b64) < 0)
			return dk_err_sys(err, "credentials");
		req.auth = basic;
	}
	ret = dk_http_do(c->http, &req, &resp, err);
	if (ret == 0 && resp.status == 401)
		ret = dk_err_set(err, "token server %s: %s", c->chal.realm,
				 c->creds_state == 0 ? "invalid username or password"
						     : "authentication required");
	else if (ret == 0 && resp.status != 200)
		ret = fx_client_fail(&resp, err, "token server %s", c->chal.realm);
	else if (ret == 0)
		ret = parse_token(&resp, header, err);
	dk_http_resp_free(&resp);
	if (ret < 0)
		return dk_err_wrap(err, "getting a token for %s", scope ? scope : c->domain);
	return 0;
}
