// SPDX-License-Identifier: GPL-2.0-or-later
/* remote.c: manifests with content negotiation (OCI index and manifest,
 * Docker list and schema 2), verified against the digest they were asked
 * by or the one the registry reports; small blobs read into memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "remote.h"

#define ACCEPT \
	DK_MT_OCI_INDEX ", " DK_MT_DOCKER_LIST ", " DK_MT_OCI_MANIFEST ", " DK_MT_DOCKER_MANIFEST
#define MAX_MANIFEST (4u << 20)
#define MAX_CONFIG   (8u << 20)

void fx_doc_free(struct fx_doc *d)
{
	free(d->buf);
	free(d->media_type);
	d->buf = d->media_type = NULL;
}

void fx_scope(const struct dk_ref *r, const char *actions, char *buf, size_t size)
{
	snprintf(buf, size, "repository:%s:%s", r->path, actions);
}

static char *plain_type(const char *ct)
{
	return ct ? strndup(ct, strcspn(ct, "; ")) : NULL;
}

static int classify(struct fx_doc *d, const struct dk_http_resp *resp, struct dk_err *err)
{
	d->media_type = plain_type(resp->content_type);
	d->kind = dk_doc_kind(d->media_type);
	if (d->kind == DK_DOC_UNKNOWN) {
		d->kind = dk_doc_sniff(d->buf, d->len, err);
		if (d->kind == DK_DOC_UNKNOWN)
			return -1;
		free(d->media_type);
		d->media_type =
		    strdup(d->kind == DK_DOC_INDEX ? DK_MT_OCI_INDEX : DK_MT_OCI_MANIFEST);
		struct dk_json *j = dk_json_parse(d->buf, d->len, "manifest", err);
		const char *mt = dk_json_get_str(j, "mediaType");
		if (mt && dk_doc_kind(mt) != DK_DOC_UNKNOWN) {
			free(d->media_type);
			d->media_type = strdup(mt);
		}
		dk_json_free(j);
	}
	if (d->kind == DK_DOC_SCHEMA1)
		return dk_err_set(
		    err,
		    "image manifest schema 1 (%s) is not supported: it is deprecated; push the image again with a current client",
		    d->media_type ? d->media_type : "schemaVersion 1");
	return 0;
}

static int verify(struct fx_doc *d, const char *reference, const struct dk_http_resp *resp,
		  struct dk_err *err)
{
	struct dk_digest want;
	bool pinned = strchr(reference, ':') != NULL;
	enum dk_digest_alg alg = DK_SHA256;

	if (pinned && dk_digest_parse(reference, &want, err) < 0)
		return -1;
	if (!pinned && resp->digest && dk_digest_parse(resp->digest, &want, err) < 0)
		return dk_err_wrap(err, "Docker-Content-Digest");
	if (pinned || resp->digest)
		alg = want.alg;
	if (dk_digest_buf(alg, d->buf, d->len, &d->digest, err) < 0)
		return -1;
	if ((pinned || resp->digest) && !dk_digest_equal(&want, &d->digest))
		return dk_err_set(err, "manifest has digest %s, expected %s: digest mismatch",
				  d->digest.str, want.str);
	return 0;
}

int fx_get_manifest(struct fx_client *c, const struct dk_ref *r, const char *reference,
		    struct fx_doc *out, struct dk_err *err)
{
	char scope[DK_REF_NAME_MAX + 32];
	cleanup_free char *url = fx_client_url(c, "/v2/%s/manifests/%s", r->path, reference);
	struct dk_http_req req = {.url = url, .accept = ACCEPT, .body_fd = -1};
	struct dk_http_resp resp = {0};
	int ret = -1;

	memset(out, 0, sizeof(*out));
	fx_scope(r, "pull", scope, sizeof(scope));
	if (!url)
		return dk_err_sys(err, "manifest");
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		goto out;
	if (resp.status == 404) {
		dk_err_set(err, "manifest unknown: %s%s%s not found in %s", r->path,
			   strchr(reference, ':') ? "@" : ":", reference, r->domain);
		goto out;
	}
	if (resp.status != 200) {
		fx_client_fail(&resp, err, "manifest %s", reference);
		goto out;
	}
	if (resp.body_len > MAX_MANIFEST) {
		dk_err_set(err, "manifest %s: larger than %u bytes", reference, MAX_MANIFEST);
		goto out;
	}
	out->buf = steal_ptr(resp.body);
	out->len = resp.body_len;
	if (!out->buf)
		out->buf = strdup("");
	ret = classify(out, &resp, err);
	if (ret == 0)
		ret = verify(out, reference, &resp, err);
out:
	dk_http_resp_free(&resp);
	if (ret < 0)
		fx_doc_free(out);
	return ret;
}

int fx_get_blob(struct fx_client *c, const struct dk_ref *r, const struct dk_digest *d, char **buf,
		size_t *len, struct dk_err *err)
{
	char scope[DK_REF_NAME_MAX + 32];
	cleanup_free char *url = fx_client_url(c, "/v2/%s/blobs/%s", r->path, d->str);
	struct dk_http_req req = {.url = url, .body_fd = -1, .follow = true};
	struct dk_http_resp resp = {0};
	struct dk_digest got;
	int ret = -1;

	fx_scope(r, "pull", scope, sizeof(scope));
	if (!url)
		return dk_err_sys(err, "blob");
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		goto out;
	if (resp.status != 200) {
		fx_client_fail(&resp, err, "blob %s", d->str);
		goto out;
	}
	if (resp.body_len > MAX_CONFIG ||
	    dk_digest_buf(d->alg, resp.body ? resp.body : "", resp.body_len, &got, err) < 0) {
		dk_err_set(err, "blob %s: too large", d->str);
		goto out;
	}
	if (!dk_digest_equal(&got, d)) {
		dk_err_set(err, "blob %s: content has digest %s: digest mismatch", d->str, got.str);
		goto out;
	}
	*buf = steal_ptr(resp.body);
	*len = resp.body_len;
	ret = 0;
out:
	dk_http_resp_free(&resp);
	return ret;
}

int fx_doc_descriptor(const struct fx_doc *d, struct dk_descriptor *out, struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	out->media_type = strdup(d->media_type);
	out->digest = d->digest;
	out->size = (int64_t)d->len;
	if (!out->media_type)
		return dk_err_sys(err, "descriptor");
	return 0;
}
