// SPDX-License-Identifier: GPL-2.0-or-later
/* compress.c: the one file that talks to zlib and libzstd: streaming gzip
 * (deterministic header) and zstd compression of a layer into a sink. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include "compress.h"

#define OUT_SIZE (256 * 1024)

struct commit_compressor {
	enum dk_compression method;
	commit_sink_fn sink;
	void *ctx;
	z_stream z;
	gz_header gzh; /* zlib keeps a pointer to it until the header is out */
	bool z_init;
	ZSTD_CCtx *zc;
	unsigned char out[OUT_SIZE];
};

void commit_level_range(enum dk_compression method, int *lo, int *hi)
{
	switch (method) {
	case DK_COMP_GZIP:
		*lo = 1;
		*hi = 9;
		break;
	case DK_COMP_ZSTD:
		*lo = 1;
		*hi = ZSTD_maxCLevel();
		break;
	default:
		*lo = 0;
		*hi = 0;
		break;
	}
}

static int gzip_init(struct commit_compressor *c, int level, struct dk_err *err)
{
	/* 15 window bits + 16: a gzip wrapper instead of zlib's */
	if (deflateInit2(&c->z, level < 0 ? 6 : level, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return dk_err_set(err, "gzip: cannot initialise zlib");
	c->z_init = true;
	/* no name, no comment, mtime 0, OS "unknown": the same bytes on
	 * every system */
	c->gzh.os = 255;
	if (deflateSetHeader(&c->z, &c->gzh) != Z_OK)
		return dk_err_set(err, "gzip: cannot set the header");
	return 0;
}

static int zstd_init(struct commit_compressor *c, int level, struct dk_err *err)
{
	c->zc = ZSTD_createCCtx();
	if (!c->zc)
		return dk_err_set(err, "zstd: cannot create a context");
	if (ZSTD_isError(
		ZSTD_CCtx_setParameter(c->zc, ZSTD_c_compressionLevel, level < 0 ? 3 : level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c->zc, ZSTD_c_checksumFlag, 1)))
		return dk_err_set(err, "zstd: bad compression level %d", level);
	return 0;
}

struct commit_compressor *commit_compressor_new(enum dk_compression method, int level,
						commit_sink_fn sink, void *ctx, struct dk_err *err)
{
	struct commit_compressor *c = calloc(1, sizeof(*c));
	int ret = 0;

	if (!c)
		return dk_err_sys(err, "compressor"), NULL;
	c->method = method;
	c->sink = sink;
	c->ctx = ctx;
	if (method == DK_COMP_GZIP)
		ret = gzip_init(c, level, err);
	else if (method == DK_COMP_ZSTD)
		ret = zstd_init(c, level, err);
	if (ret < 0) {
		commit_compressor_free(c);
		return NULL;
	}
	return c;
}

static int gzip_run(struct commit_compressor *c, const void *buf, size_t len, int flush,
		    struct dk_err *err)
{
	int zr;

	c->z.next_in = (unsigned char *)buf;
	c->z.avail_in = len;
	do {
		c->z.next_out = c->out;
		c->z.avail_out = OUT_SIZE;
		zr = deflate(&c->z, flush);
		if (zr == Z_STREAM_ERROR)
			return dk_err_set(err, "gzip: compression failed");
		size_t n = OUT_SIZE - c->z.avail_out;
		if (n && c->sink(c->ctx, c->out, n, err) < 0)
			return -1;
	} while (c->z.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

static int zstd_run(struct commit_compressor *c, const void *buf, size_t len, ZSTD_EndDirective end,
		    struct dk_err *err)
{
	ZSTD_inBuffer in = {buf, len, 0};
	size_t left;

	do {
		ZSTD_outBuffer out = {c->out, OUT_SIZE, 0};

		left = ZSTD_compressStream2(c->zc, &out, &in, end);
		if (ZSTD_isError(left))
			return dk_err_set(err, "zstd: %s", ZSTD_getErrorName(left));
		if (out.pos && c->sink(c->ctx, c->out, out.pos, err) < 0)
			return -1;
	} while (end == ZSTD_e_end ? left != 0 : in.pos < in.size);
	return 0;
}

int commit_compress(struct commit_compressor *c, const void *buf, size_t len, struct dk_err *err)
{
	switch (c->method) {
	case DK_COMP_GZIP: return gzip_run(c, buf, len, Z_NO_FLUSH, err);
	case DK_COMP_ZSTD: return zstd_run(c, buf, len, ZSTD_e_continue, err);
	default: return c->sink(c->ctx, buf, len, err);
	}
}

int commit_compress_finish(struct commit_compressor *c, struct dk_err *err)
{
	switch (c->method) {
	case DK_COMP_GZIP: return gzip_run(c, NULL, 0, Z_FINISH, err);
	case DK_COMP_ZSTD: return zstd_run(c, NULL, 0, ZSTD_e_end, err);
	default: return 0;
	}
}

void commit_compressor_free(struct commit_compressor *c)
{
	if (!c)
		return;
	if (c->z_init)
		deflateEnd(&c->z);
	ZSTD_freeCCtx(c->zc);
	free(c);
}
