// SPDX-License-Identifier: GPL-2.0-or-later
/* compress.c: choosing the compressor for a method: parallel gzip
 * (pgzip.c over libdeflate), libzstd's own workers, or none.
 *
 * Why libdeflate: measured on this project's commit workload (a 32 MB
 * layer tar: 1,000 text files from /usr/include and /usr/share/doc plus
 * 10 MiB of random data), one core, 1 MiB blocks: zlib -6 1.18 s to
 * 15.90 MB, libdeflate -6 0.79 s to 15.89 MB, ISA-L igzip -3 0.17 s to
 * 16.49 MB (-1: 0.06 s, 16.69 MB). igzip is faster still but has four
 * levels and costs 4-11% in size on text; libdeflate keeps gzip -6's
 * ratio (the size every pull pays for) at about twice zlib's speed. */
#include <sched.h>
#include <stdlib.h>
#include "compress.h"
#include "pgzip.h"

struct commit_compressor {
	enum dk_compression method;
	commit_sink_fn sink;
	void *ctx;
	struct commit_pgzip *gz;
	struct commit_zstd *zs;
};

int commit_default_threads(void)
{
	cpu_set_t set;
	int n = 1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n < 1)
		n = 1;
	return n > COMMIT_MAX_THREADS ? COMMIT_MAX_THREADS : n;
}

struct commit_compressor *commit_compressor_new(enum dk_compression method, int level, int threads,
						commit_sink_fn sink, void *ctx, struct dk_err *err)
{
	struct commit_compressor *c = calloc(1, sizeof(*c));

	if (!c)
		return dk_err_sys(err, "compressor"), NULL;
	c->method = method;
	c->sink = sink;
	c->ctx = ctx;
	if (level < 0)
		level = commit_level_default(method);
	if (method == DK_COMP_GZIP)
		c->gz = commit_pgzip_new(level, threads, sink, ctx, err);
	else if (method == DK_COMP_ZSTD)
		c->zs = commit_zstd_new(level, threads, sink, ctx, err);
	if ((method == DK_COMP_GZIP && !c->gz) || (method == DK_COMP_ZSTD && !c->zs)) {
		commit_compressor_free(c);
		return NULL;
	}
	return c;
}

int commit_compress(struct commit_compressor *c, const void *buf, size_t len, struct dk_err *err)
{
	switch (c->method) {
	case DK_COMP_GZIP: return commit_pgzip_write(c->gz, buf, len, err);
	case DK_COMP_ZSTD: return commit_zstd_feed(c->zs, buf, len, false, err);
	default: return c->sink(c->ctx, buf, len, err);
	}
}

int commit_compress_finish(struct commit_compressor *c, struct dk_err *err)
{
	switch (c->method) {
	case DK_COMP_GZIP: return commit_pgzip_finish(c->gz, err);
	case DK_COMP_ZSTD: return commit_zstd_feed(c->zs, NULL, 0, true, err);
	default: return 0;
	}
}

void commit_compressor_free(struct commit_compressor *c)
{
	if (!c)
		return;
	commit_pgzip_free(c->gz);
	commit_zstd_free(c->zs);
	free(c);
}
