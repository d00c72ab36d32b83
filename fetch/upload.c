// SPDX-License-Identifier: GPL-2.0-or-later
/* upload.c: the distribution push protocol for one blob: HEAD to skip,
 * POST ?mount=&from= to mount across repositories, POST to open an upload
 * session, then PUT ?digest= (monolithic) or PATCHes with Content-Range
 * followed by a closing PUT. Upload locations may be relative. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "remote.h"
#include "upload.h"

#define OCTETS "application/octet-stream"

static char *absolute(const struct fx_client *c, const char *loc)
{
	char *url = NULL;

	if (strncmp(loc, "http://", 7) == 0 || strncmp(loc, "https://", 8) == 0)
		return strdup(loc);
	if (asprintf(&url, "%s%s%s", c->host.base, loc[0] == '/' ? "" : "/", loc) < 0)
		return NULL;
	return url;
}

static int blob_exists(struct fx_client *c, const char *scope, const struct dk_ref *r,
		       const struct dk_digest *d, bool *yes, struct dk_err *err)
{
	cleanup_free char *url = fx_client_url(c, "/v2/%s/blobs/%s", r->path, d->str);
	struct dk_http_req req = {.method = "HEAD", .url = url, .body_fd = -1};
	struct dk_http_resp resp = {0};
	int ret = 0;

	if (!url)
		return dk_err_sys(err, "blob url");
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		ret = -1;
	else if (resp.status == 200)
		*yes = true;
	else if (resp.status == 404)
		*yes = false;
	else
		ret = fx_client_fail(&resp, err, "checking blob %s", d->str);
	dk_http_resp_free(&resp);
	return ret;
}

/* POST an upload (or a mount). *loc gets the session URL, or NULL when
 * the mount succeeded (201). */
static int start_upload(struct fx_client *c, const char *scope, const struct dk_ref *r,
			const struct dk_digest *d, const char *from, char **loc, struct dk_err *err)
{
	cleanup_free char *url =
	    from ? fx_client_url(c, "/v2/%s/blobs/uploads/?mount=%s&from=%s", r->path, d->str, from)
		 : fx_client_url(c, "/v2/%s/blobs/uploads/", r->path);
	struct dk_http_req req = {.method = "POST", .url = url, .body_fd = -1, .has_body = true};
	struct dk_http_resp resp = {0};
	int ret = 0;

	*loc = NULL;
	if (!url)
		return dk_err_sys(err, "upload url");
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		ret = -1;
	else if (from && resp.status == 201)
		ret = 0;
	else if (resp.status != 202 || !resp.location)
		ret = fx_client_fail(&resp, err, "starting the upload of %s", d->str);
	else if (!(*loc = absolute(c, resp.location)))
		ret = dk_err_sys(err, "upload location");
	dk_http_resp_free(&resp);
	return ret;
}

static char *with_digest(const char *loc, const struct dk_digest *d)
{
	char *url = NULL;
	cleanup_free char *esc = dk_http_escape(d->str);

	if (!esc || asprintf(&url, "%s%cdigest=%s", loc, strchr(loc, '?') ? '&' : '?', esc) < 0)
		return NULL;
	return url;
}

/* PATCH [off, off+len) of fd to *loc; *loc moves to the next location. */
static int send_chunk(struct fx_client *c, const char *scope, char **loc, int fd, int64_t off,
		      int64_t len, struct dk_err *err)
{
	char range[64];
	struct dk_http_req req = {.method = "PATCH",
				  .url = *loc,
				  .body_fd = fd,
				  .body_off = off,
				  .body_len = len,
				  .has_body = true,
				  .content_type = OCTETS,
				  .content_range = range};
	struct dk_http_resp resp = {0};
	int ret = 0;

	snprintf(range, sizeof(range), "%lld-%lld", (long long)off, (long long)(off + len - 1));
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		ret = -1;
	else if (resp.status != 202 || !resp.location)
		ret = fx_client_fail(&resp, err, "uploading bytes %s", range);
	else {
		char *next = absolute(c, resp.location);

		if (!next)
			ret = dk_err_sys(err, "upload location");
		free(*loc);
		*loc = next;
	}
	dk_http_resp_free(&resp);
	return ret;
}

static int finish_upload(struct fx_client *c, const char *scope, const char *loc,
			 const struct dk_digest *d, int fd, int64_t off, int64_t len,
			 struct dk_err *err)
{
	cleanup_free char *url = with_digest(loc, d);
	struct dk_http_req req = {.method = "PUT",
				  .url = url,
				  .body_fd = fd,
				  .body_off = off,
				  .body_len = len,
				  .has_body = true,
				  .content_type = OCTETS};
	struct dk_http_resp resp = {0};
	int ret = 0;

	if (!url)
		return dk_err_sys(err, "upload url");
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		ret = -1;
	else if (resp.status != 201)
		ret = fx_client_fail(&resp, err, "completing the upload");
	dk_http_resp_free(&resp);
	return ret;
}

static int send_blob(struct fx_client *c, const char *scope, char **loc, struct dk_store *s,
		     const struct dk_digest *d, struct dk_err *err)
{
	cleanup_close int fd = dk_store_open_blob(s, d, err);
	long chunk = c->opts->chunk_size;
	struct stat st;
	int64_t off = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return dk_err_sys(err, "blob %s", d->str);
	if (chunk <= 0)
		chunk = st.st_size > FX_CHUNK_THRESHOLD ? FX_CHUNK_DEFAULT : 0;
	if (chunk > 0) {
		while (off < st.st_size) {
			int64_t n = st.st_size - off < chunk ? st.st_size - off : chunk;

			if (send_chunk(c, scope, loc, fd, off, n, err) < 0)
				return -1;
			off += n;
		}
	}
	return finish_upload(c, scope, *loc, d, fd, off, st.st_size - off, err);
}

int fx_upload_blob(struct fx_client *c, const struct dk_ref *r, struct dk_store *s,
		   const struct dk_descriptor *d, const char *from, const char **how,
		   struct dk_err *err)
{
	char scope[2 * DK_REF_NAME_MAX + 64];
	cleanup_free char *loc = NULL;
	bool exists = false;
	int ret;

	fx_scope(r, "pull,push", scope, sizeof(scope));
	if (blob_exists(c, scope, r, &d->digest, &exists, err) < 0)
		return dk_err_wrap(err, "blob %s", d->digest.str);
	*how = "exists";
	if (exists)
		return 0;
	if (!dk_store_has_blob(s, &d->digest))
		return dk_err_set(err, "blob %s: not in the local store", d->digest.str);
	if (from) {
		size_t n = strlen(scope);
		snprintf(scope + n, sizeof(scope) - n, " repository:%s:pull", from);
	}
	if (start_upload(c, scope, r, &d->digest, from, &loc, err) < 0)
		return dk_err_wrap(err, "blob %s", d->digest.str);
	*how = "mounted";
	if (!loc)
		return 0;
	fx_scope(r, "pull,push", scope, sizeof(scope));
	*how = "pushed";
	ret = send_blob(c, scope, &loc, s, &d->digest, err);
	return ret < 0 ? dk_err_wrap(err, "blob %s", d->digest.str) : 0;
}

int fx_upload_manifest(struct fx_client *c, const struct dk_ref *r, const char *reference,
		       const char *media_type, const char *buf, size_t len, struct dk_err *err)
{
	char scope[DK_REF_NAME_MAX + 32];
	cleanup_free char *url = fx_client_url(c, "/v2/%s/manifests/%s", r->path, reference);
	struct dk_http_req req = {.method = "PUT",
				  .url = url,
				  .body = buf,
				  .body_fd = -1,
				  .body_len = (int64_t)len,
				  .has_body = true,
				  .content_type = media_type};
	struct dk_http_resp resp = {0};
	int ret = 0;

	fx_scope(r, "pull,push", scope, sizeof(scope));
	if (!url)
		return dk_err_sys(err, "manifest url");
	if (fx_client_do(c, scope, &req, &resp, err) < 0)
		ret = -1;
	else if (resp.status != 201)
		ret = fx_client_fail(&resp, err, "manifest %s", reference);
	dk_http_resp_free(&resp);
	return ret;
}
