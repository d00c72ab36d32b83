// SPDX-License-Identifier: GPL-2.0-or-later
/* codec.c: the one file that talks to libdeflate and libzstd. libdeflate
 * was picked by measurement (see compress.c's header) for gzip: whole
 * buffers, level 6 at twice zlib's speed with the same ratio. */
#include <stdlib.h>
#include <libdeflate.h>
#include <zstd.h>
#include "codec.h"

#define ZSTD_OUT (256 * 1024)

struct commit_deflater {
	struct libdeflate_compressor *c;
};

struct commit_zstd {
	ZSTD_CCtx *zc;
	commit_sink_fn sink;
	void *ctx;
	unsigned char out[ZSTD_OUT];
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

int commit_level_default(enum dk_compression method)
{
	switch (method) {
	case DK_COMP_GZIP: return 6;
	case DK_COMP_ZSTD: return 3;
	default: return 0;
	}
}

struct commit_deflater *commit_deflater_new(int level, struct dk_err *err)
{
	struct commit_deflater *d = calloc(1, sizeof(*d));

	if (!d)
		return dk_err_sys(err, "gzip compressor"), NULL;
	d->c = libdeflate_alloc_compressor(level);
	if (!d->c) {
		free(d);
		return dk_err_set(err, "gzip: cannot create a level %d compressor", level), NULL;
	}
	return d;
}

size_t commit_gzip_bound(struct commit_deflater *d, size_t len)
{
	return libdeflate_gzip_compress_bound(d->c, len);
}

size_t commit_gzip_member(struct commit_deflater *d, const void *in, size_t len, void *out,
			  size_t cap)
{
	return libdeflate_gzip_compress(d->c, in, len, out, cap);
}

void commit_deflater_free(struct commit_deflater *d)
{
	if (!d)
		return;
	libdeflate_free_compressor(d->c);
	free(d);
}

static int zstd_set(ZSTD_CCtx *zc, ZSTD_cParameter p, int v, const char *what, struct dk_err *err)
{
	size_t r = ZSTD_CCtx_setParameter(zc, p, v);

	if (ZSTD_isError(r))
		return dk_err_set(err, "zstd: %s %d: %s", what, v, ZSTD_getErrorName(r));
	return 0;
}

struct commit_zstd *commit_zstd_new(int level, int threads, commit_sink_fn sink, void *ctx,
				    struct dk_err *err)
{
	struct commit_zstd *z = calloc(1, sizeof(*z));

	if (!z)
		return dk_err_sys(err, "zstd compressor"), NULL;
	z->sink = sink;
	z->ctx = ctx;
	z->zc = ZSTD_createCCtx();
	if (!z->zc) {
		dk_err_set(err, "zstd: cannot create a context");
		goto fail;
	}
	/* always at least one worker: the output is then the same for any
	 * number of them (single-threaded mode would differ) */
	if (zstd_set(z->zc, ZSTD_c_compressionLevel, level, "level", err) < 0 ||
	    zstd_set(z->zc, ZSTD_c_checksumFlag, 1, "checksum", err) < 0 ||
	    zstd_set(z->zc, ZSTD_c_nbWorkers, threads, "workers", err) < 0)
		goto fail;
	return z;
fail:
	commit_zstd_free(z);
	return NULL;
}

int commit_zstd_feed(struct commit_zstd *z, const void *buf, size_t len, bool end,
		     struct dk_err *err)
{
	ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
	ZSTD_inBuffer in = {buf, len, 0};
	size_t left;

	do {
		ZSTD_outBuffer out = {z->out, ZSTD_OUT, 0};

		left = ZSTD_compressStream2(z->zc, &out, &in, mode);
		if (ZSTD_isError(left))
			return dk_err_set(err, "zstd: %s", ZSTD_getErrorName(left));
		if (out.pos && z->sink(z->ctx, z->out, out.pos, err) < 0)
			return -1;
	} while (end ? left != 0 : in.pos < in.size);
	return 0;
}

void commit_zstd_free(struct commit_zstd *z)
{
	if (!z)
		return;
	ZSTD_freeCCtx(z->zc);
	free(z);
}
