// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_stream.c: a layer's bytes as a tar reader, in one streaming pass.
 * An outer libarchive reader (format "raw", filters gzip/zstd sniffed from
 * the bytes) decompresses what a read callback hashes as stored; a second
 * reader parses tar from the outer one's data blocks, hashed on the way
 * (the diff_id). Nothing is held in memory beyond libarchive's buffers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "archive_dl.h"
#include "layer_int.h"

#define STREAM_BUF (256 * 1024)

static ssize_t outer_read(struct archive *a, void *arg, const void **out)
{
	struct dk_layer_stream *s = arg;
	ssize_t n;

	do
		n = read(s->fd, s->buf, s->bufsize);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "reading the layer: %s", strerror(errno));
		return -1;
	}
	if (s->zhash)
		dk_hasher_update(s->zhash, s->buf, (size_t)n);
	s->zbytes += (uint64_t)n;
	*out = s->buf;
	return n;
}

static ssize_t inner_read(struct archive *a, void *arg, const void **out)
{
	struct dk_layer_stream *s = arg;
	size_t size = 0;
	la_int64_t off;
	int r;

	if (s->empty)
		return 0;
	r = archive_read_data_block(s->outer, out, &size, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_OK) {
		archive_set_error(a, archive_errno(s->outer) > 0 ? archive_errno(s->outer) : EIO,
				  "decompressing: %s", archive_error_string(s->outer));
		return -1;
	}
	dk_hasher_update(s->thash, *out, size);
	s->tbytes += size;
	return (ssize_t)size;
}

static int open_outer(struct dk_layer_stream *s, struct dk_err *err)
{
	struct archive_entry *e;

	s->outer = archive_read_new();
	if (!s->outer)
		return dk_err_errno(err, ENOMEM, "libarchive");
	archive_read_support_filter_gzip(s->outer);
	archive_read_support_filter_zstd(s->outer);
	archive_read_support_format_raw(s->outer);
	if (archive_read_open2(s->outer, s, NULL, outer_read, NULL, NULL) ||
	    archive_read_next_header(s->outer, &e) < ARCHIVE_WARN) {
		if (s->zbytes == 0) {
			s->empty = true; /* no bytes: an empty layer */
			return 0;
		}
		return dk_err_set(err, "decompressing: %s", archive_error_string(s->outer));
	}
	return 0;
}

static int open_inner(struct dk_layer_stream *s, struct dk_err *err)
{
	s->inner = archive_read_new();
	if (!s->inner)
		return dk_err_errno(err, ENOMEM, "libarchive");
	archive_read_support_format_tar(s->inner);
	archive_read_support_format_empty(s->inner);
	if (archive_read_open2(s->inner, s, NULL, inner_read, NULL, NULL))
		return dk_err_set(err, "not a tar stream (plain, gzip or zstd): %s",
				  archive_error_string(s->inner));
	return 0;
}

int dk_layer_stream_open(struct dk_layer_stream *s, int fd, const struct dk_layer_opts *opts,
			 struct dk_err *err)
{
	enum dk_digest_alg talg = opts->diff_id ? opts->diff_id->alg : DK_SHA256;

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	if (dk_archive_load(err) < 0)
		return -1;
	s->bufsize = STREAM_BUF;
	s->buf = malloc(s->bufsize);
	if (!s->buf)
		return dk_err_sys(err, "reading the layer");
	s->zhash = dk_hasher_new(opts->digest ? opts->digest->alg : DK_SHA256, err);
	if (!s->zhash)
		return -1;
	s->thash = dk_hasher_new(talg, err);
	if (!s->thash)
		return -1;
	if (open_outer(s, err) < 0 || open_inner(s, err) < 0)
		return -1;
	return 0;
}

int dk_layer_stream_finish(struct dk_layer_stream *s, struct dk_digest *z, struct dk_digest *t,
			   struct dk_err *err)
{
	const void *p;
	ssize_t n;

	/* the tar reader stops at its end marker: hash the rest */
	while ((n = inner_read(s->inner, s, &p)) > 0)
		;
	if (n < 0)
		return dk_err_set(err, "%s", archive_error_string(s->inner));
	/* and whatever the decompressor left unread */
	while (!s->empty && (n = outer_read(s->outer, s, &p)) > 0)
		;
	if (n < 0)
		return dk_err_set(err, "%s", archive_error_string(s->outer));
	dk_hasher_final(s->zhash, z);
	dk_hasher_final(s->thash, t);
	return 0;
}

void dk_layer_stream_close(struct dk_layer_stream *s)
{
	if (s->inner)
		archive_read_free(s->inner);
	if (s->outer)
		archive_read_free(s->outer);
	dk_hasher_free(s->zhash);
	dk_hasher_free(s->thash);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}
