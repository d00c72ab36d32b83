// SPDX-License-Identifier: GPL-2.0-or-later
/* remote.c: ADD of an http(s) URL, downloaded by the builder (never inside
 * the container). $DK_ROOT/buildcache-urls/<sha256 of the URL>.{data,meta}
 * keep the last download; the next build revalidates it with its ETag and
 * Last-Modified and reuses it on 304. --checksum is verified on whatever
 * is used. The file is named as BuildKit does (Content-Disposition, else
 * the URL path's last part, else "download"), mode 0600, its mtime the
 * Last-Modified time when the server sent one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "digest.h"
#include "fs.h"
#include "http.h"

/* What the cache keeps about a download: one header per line. */
struct url_meta {
	char etag[512], modified[128], disposition[512];
	char digest[DK_DIGEST_MAX]; /* sha256 of the data file */
};

struct sink {
	int fd;
	struct dk_hasher *h;
	struct dk_err *err;
	int failed;
};

static int sink_write(void *ctx, long status, const char *buf, size_t len)
{
	struct sink *s = ctx;

	(void)status;
	dk_hasher_update(s->h, buf, len);
	if (dk_write_all(s->fd, buf, len, s->err) < 0)
		return s->failed = -1;
	return 0;
}

static void meta_line(char *dst, size_t size, const char *v)
{
	snprintf(dst, size, "%s", v ? v : "");
	dst[strcspn(dst, "\r\n")] = '\0';
}

static void meta_read(const char *path, struct url_meta *m)
{
	cleanup_free char *buf = NULL;
	struct dk_err ignored;
	char *save = NULL;
	size_t len;
	char *f[4] = {0};

	memset(m, 0, sizeof(*m));
	if (dk_read_file_at(AT_FDCWD, path, 8192, &buf, &len, &ignored) < 0)
		return;
	f[0] = strtok_r(buf, "\n", &save);
	for (int i = 1; f[i - 1] && i < 4; i++)
		f[i] = strtok_r(NULL, "\n", &save);
	if (!f[3] || strncmp(f[3], "sha256:", 7) != 0)
		return;
	meta_line(m->etag, sizeof(m->etag), strcmp(f[0], "-") ? f[0] : "");
	meta_line(m->modified, sizeof(m->modified), strcmp(f[1], "-") ? f[1] : "");
	meta_line(m->disposition, sizeof(m->disposition), strcmp(f[2], "-") ? f[2] : "");
	meta_line(m->digest, sizeof(m->digest), f[3]);
}

static int meta_write(const char *path, const struct url_meta *m, struct dk_err *err)
{
	char buf[2048];
	int n = snprintf(buf, sizeof(buf), "%s\n%s\n%s\n%s\n", m->etag[0] ? m->etag : "-",
			 m->modified[0] ? m->modified : "-",
			 m->disposition[0] ? m->disposition : "-", m->digest);

	return dk_write_file_at(AT_FDCWD, path, buf, (size_t)n, 0600, err);
}

/* The cached data still is what its meta says (else download afresh). */
static bool cache_valid(const char *data, const struct url_meta *m)
{
	cleanup_close int fd = open(data, O_RDONLY | O_CLOEXEC);
	struct dk_digest d;
	struct dk_err ignored;

	return m->digest[0] && fd >= 0 && dk_digest_fd(DK_SHA256, fd, &d, &ignored) == 0 &&
	       strcmp(d.str, m->digest) == 0;
}

static int http_error(const char *url, const struct dk_http_resp *r, struct dk_err *err)
{
	if (r->failed)
		return dk_err_set(err, "%s: %s", url, r->error);
	return dk_err_set(err, "%s: the server answered HTTP %ld", url, r->status);
}

/* GET url into tmp (revalidating m); *fresh: a new body was stored. */
static int download(const char *url, const char *tmp, struct url_meta *m, bool *fresh,
		    struct dk_err *err)
{
	struct dk_http *h = dk_http_new(false, err);
	struct sink s = {.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600),
			 .h = dk_hasher_new(DK_SHA256, err),
			 .err = err};
	struct dk_http_req q = {
	    .url = url, .follow = true, .body_fd = -1, .sink = sink_write, .sink_ctx = &s};
	struct dk_http_resp r = {0};
	struct dk_digest d;
	int ret = -1;

	if (m->digest[0]) {
		q.if_none_match = m->etag[0] ? m->etag : NULL;
		q.if_modified_since = m->modified[0] ? m->modified : NULL;
	}
	if (!h || !s.h || s.fd < 0)
		ret = s.fd < 0 ? dk_err_sys(err, "%s", tmp) : -1;
	else if (dk_http_do(h, &q, &r, err) < 0 || s.failed)
		ret = s.failed ? -1 : http_error(url, &r, err);
	else if (r.status == 304 && m->digest[0]) {
		*fresh = false; /* the cached copy is current */
		ret = 0;
	} else if (r.status < 200 || r.status >= 300)
		ret = http_error(url, &r, err);
	else {
		dk_hasher_final(s.h, &d);
		meta_line(m->etag, sizeof(m->etag), r.etag);
		meta_line(m->modified, sizeof(m->modified), r.last_modified);
		meta_line(m->disposition, sizeof(m->disposition), r.content_disposition);
		snprintf(m->digest, sizeof(m->digest), "%s", d.str);
		*fresh = true;
		ret = 0;
	}
	if (s.fd >= 0)
		close(s.fd);
	dk_hasher_free(s.h);
	dk_http_resp_free(&r);
	dk_http_free(h);
	return ret;
}

/* The download for url in the cache: data path into *data, meta into m. */
static int cached_download(struct bf_build *b, const char *url, char **data, struct url_meta *m,
			   struct dk_err *err)
{
	cleanup_free char *dir = NULL, *meta = NULL, *tmp = NULL;
	struct dk_digest k;
	bool fresh = false;

	if (dk_digest_buf(DK_SHA256, url, strlen(url), &k, err) < 0 ||
	    asprintf(&dir, "%s/buildcache-urls", b->root) < 0 ||
	    asprintf(data, "%s/%s.data", dir, dk_digest_hex(&k)) < 0 ||
	    asprintf(&meta, "%s/%s.meta", dir, dk_digest_hex(&k)) < 0 ||
	    asprintf(&tmp, "%s/%s.%d", dir, dk_digest_hex(&k), (int)getpid()) < 0)
		return dk_err_sys(err, "%s", url);
	if (dk_mkdir_p(dir, 0700, err) < 0)
		return -1;
	meta_read(meta, m);
	if (m->digest[0] && !cache_valid(*data, m))
		memset(m, 0, sizeof(*m));
	int ret = download(url, tmp, m, &fresh, err);
	if (ret == 0 && fresh && rename(tmp, *data) < 0)
		ret = dk_err_sys(err, "%s", *data);
	if (ret == 0 && fresh)
		ret = meta_write(meta, m, err);
	unlink(tmp);
	return ret;
}

/* filename="x" of a Content-Disposition, its last path part. */
static void disposition_name(const char *v, char *out, size_t size)
{
	const char *p = strstr(v, "filename=");
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	p += 9;
	if (*p == '"')
		p++;
	n = strcspn(p, "\";");
	if (n && p[n - 1] != '/') {
		snprintf(out, size, "%.*s", (int)n, p);
		char *slash = strrchr(out, '/');
		if (slash)
			memmove(out, slash + 1, strlen(slash));
	}
}

static void url_name(const char *url, const struct url_meta *m, char *out, size_t size)
{
	const char *path = strstr(url, "://"), *end, *last;

	disposition_name(m->disposition, out, size);
	if (!out[0] && path && (path = strchr(path + 3, '/'))) {
		end = path + strcspn(path, "?#");
		while (end > path && end[-1] == '/')
			end--;
		for (last = end; last > path && last[-1] != '/';)
			last--;
		snprintf(out, size, "%.*s", (int)(end - last), last);
	}
	if (!out[0] || !strcmp(out, ".") || !strcmp(out, ".."))
		snprintf(out, size, "download");
}

static int check_sum(const char *url, const char *data, const char *want, struct dk_err *err)
{
	cleanup_close int fd = open(data, O_RDONLY | O_CLOEXEC);
	struct dk_digest w, got;

	if (dk_digest_parse(want, &w, err) < 0)
		return dk_err_wrap(err, "--checksum=%s", want);
	if (fd < 0 || dk_digest_fd(w.alg, fd, &got, err) < 0)
		return fd < 0 ? dk_err_sys(err, "%s", data) : -1;
	if (!dk_digest_equal(&w, &got))
		return dk_err_set(err, "%s: checksum mismatch: expected %s, got %s", url, w.str,
				  got.str);
	return 0;
}

/* A copy of the data, 0600, its mtime the Last-Modified time. */
static int place(const char *data, const struct url_meta *m, int dirfd, const char *name,
		 struct dk_err *err)
{
	cleanup_close int in = open(data, O_RDONLY | O_CLOEXEC);
	cleanup_close int out = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	struct tm tm = {0};
	ssize_t n;

	if (in < 0 || out < 0)
		return dk_err_sys(err, "%s", name);
	while ((n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0)) > 0)
		;
	if (n < 0)
		return dk_err_sys(err, "%s", name);
	if (m->modified[0] && strptime(m->modified, "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
		struct timespec ts[2] = {{.tv_sec = timegm(&tm)}, {.tv_sec = timegm(&tm)}};

		if (futimens(out, ts) < 0)
			return dk_err_sys(err, "%s", name);
	}
	return 0;
}

int bf_url_fetch(struct bf_build *b, const char *url, const char *checksum, int dirfd, char **name,
		 struct dk_err *err)
{
	cleanup_free char *data = NULL;
	struct url_meta m;
	char fname[256];

	bf_progress(b, " ---> downloading %s\n", url);
	if (cached_download(b, url, &data, &m, err) < 0)
		return -1;
	if (checksum && check_sum(url, data, checksum, err) < 0)
		return -1;
	url_name(url, &m, fname, sizeof(fname));
	if (place(data, &m, dirfd, fname, err) < 0)
		return dk_err_wrap(err, "%s", url);
	*name = strdup(fname);
	return *name ? 0 : dk_err_sys(err, "%s", url);
}

/* 2: a git repository (git@..., git://, ssh://, an http(s) URL whose path
 * ends in .git), 1: an http(s) file, 0: a local source. */
int bf_remote_word(const char *w)
{
	size_t n = strcspn(w, "#");

	if (!strncmp(w, "git@", 4) || !strncmp(w, "git://", 6) || !strncmp(w, "ssh://", 6))
		return 2;
	if (strncmp(w, "http://", 7) && strncmp(w, "https://", 8))
		return 0;
	while (n > 0 && w[n - 1] == '/')
		n--;
	return n > 4 && !strncmp(w + n - 4, ".git", 4) ? 2 : 1;
}

int bf_remote_fetch(struct bf_build *b, const struct dk_df_instr *in, const char *w,
		    const char *checksum, int dirfd, char **name, struct dk_err *err)
{
	const char *keep = dk_df_flag(in, "keep-git-dir");

	if (bf_remote_word(w) == 2) {
		if (keep && strcmp(keep, "true") && strcmp(keep, "false"))
			return dk_err_set(err, "--keep-git-dir=%s: true or false", keep);
		return bf_git_fetch(b, w, checksum, keep && !strcmp(keep, "true"), dirfd, name,
				    err);
	}
	if (keep)
		return dk_err_set(err, "%s: --keep-git-dir is only for a git source", w);
	return bf_url_fetch(b, w, checksum, dirfd, name, err);
}
