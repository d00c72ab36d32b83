// SPDX-License-Identifier: GPL-2.0-or-later
/* layer.c: the one pass over commit's input: tar check, diff_id hash,
 * compression, and the store's verified blob writer (which hashes the
 * compressed bytes for the blob digest). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "commit.h"
#include "compress.h"
#include "tarcheck.h"

#define IN_SIZE (256 * 1024)

struct pass {
	struct commit_tarcheck check;
	struct dk_hasher *diff;
	struct commit_compressor *comp;
	struct dk_blob_writer *blob;
};

static int to_blob(void *ctx, const void *buf, size_t len, struct dk_err *err)
{
	return dk_blob_write(ctx, buf, len, err);
}

static int refuse_compressed(const unsigned char *b, size_t n, struct dk_err *err)
{
	static const unsigned char gz[] = {0x1f, 0x8b};
	static const unsigned char zst[] = {0x28, 0xb5, 0x2f, 0xfd};

	if ((n >= 2 && memcmp(b, gz, 2) == 0) || (n >= 4 && memcmp(b, zst, 4) == 0))
		return dk_err_set(
		    err,
		    "input is compressed; commit takes an uncompressed tar (decompress it first)");
	return 0;
}

static int feed(struct pass *p, const unsigned char *buf, size_t n, struct dk_err *err)
{
	if (commit_tarcheck_feed(&p->check, buf, n, err) < 0)
		return -1;
	dk_hasher_update(p->diff, buf, n);
	return commit_compress(p->comp, buf, n, err);
}

static int pump(struct pass *p, int fd, unsigned char *buf, size_t first, struct dk_err *err)
{
	ssize_t n = (ssize_t)first;

	do {
		if (n > 0 && feed(p, buf, (size_t)n, err) < 0)
			return -1;
		n = read(fd, buf, IN_SIZE);
		if (n < 0 && errno != EINTR)
			return dk_err_sys(err, "reading");
	} while (n != 0);
	if (commit_tarcheck_finish(&p->check, err) < 0)
		return -1;
	return commit_compress_finish(p->comp, err);
}

/* First bytes: empty input means no layer. */
static ssize_t read_first(int fd, unsigned char *buf, struct dk_err *err)
{
	ssize_t n;

	do
		n = read(fd, buf, IN_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return dk_err_sys(err, "reading");
	return n;
}

static int run_pass(struct dk_store *s, int fd, unsigned char *buf, size_t first,
		    const struct commit_opts *o, struct commit_layer *out, struct dk_err *err)
{
	struct pass p = {0};
	int ret = -1;

	commit_tarcheck_init(&p.check);
	p.diff = dk_hasher_new(DK_SHA256, err);
	p.blob = p.diff ? dk_blob_writer_new(s, NULL, DK_SHA256, err) : NULL;
	p.comp = p.blob
		     ? commit_compressor_new(o->method, o->level, o->threads, to_blob, p.blob, err)
		     : NULL;
	if (p.comp && pump(&p, fd, buf, first, err) == 0) {
		dk_hasher_final(p.diff, &out->diff_id);
		out->entries = p.check.entries;
		ret = dk_blob_writer_commit(steal_ptr(p.blob), &out->digest, &out->size, err);
	}
	dk_blob_writer_abort(p.blob);
	commit_compressor_free(p.comp);
	dk_hasher_free(p.diff);
	commit_tarcheck_free(&p.check);
	out->present = ret == 0;
	return ret;
}

int commit_write_layer(struct dk_store *s, int fd, const char *what, const struct commit_opts *o,
		       struct commit_layer *out, struct dk_err *err)
{
	static unsigned char buf[IN_SIZE];
	ssize_t first = read_first(fd, buf, err);

	memset(out, 0, sizeof(*out));
	if (first < 0)
		return dk_err_wrap(err, "layer %s", what);
	if (first == 0 && o->require_layer)
		return dk_err_set(err, "layer %s: no input (did the producer fail?)", what);
	if (first == 0)
		return 0;
	if (refuse_compressed(buf, (size_t)first, err) < 0 ||
	    run_pass(s, fd, buf, (size_t)first, o, out, err) < 0)
		return dk_err_wrap(err, "layer %s", what);
	return 0;
}
