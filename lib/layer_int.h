// SPDX-License-Identifier: GPL-2.0-or-later
/* layer_int.h: the pieces of lib/layer*.c shared between its files (not
 * for tools): the decompressing, hashing stream, the set of paths a layer
 * added, and the entry writers. */
#ifndef DK_LAYER_INT_H
#define DK_LAYER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "layer.h"

struct archive;
struct archive_entry;

/* A set of paths with a small flag each (open addressing, grows). */
enum { DK_PS_ADDED = 1, DK_PS_ANCESTOR = 2 };
struct dk_pathset {
	char **keys;
	unsigned char *flags;
	size_t cap, n;
};
/* Add path with flag (or-ed into an existing entry); -1 on ENOMEM. */
int dk_pathset_add(struct dk_pathset *s, const char *path, unsigned flag);
/* Flags of path, 0 when absent. */
unsigned dk_pathset_get(const struct dk_pathset *s, const char *path);
/* Add path as DK_PS_ADDED and its ancestors as DK_PS_ANCESTOR. */
int dk_pathset_add_tree(struct dk_pathset *s, const char *path);
void dk_pathset_free(struct dk_pathset *s);

/* The layer read from an fd: decompressed (gzip, zstd or none, sniffed)
 * by one libarchive reader, parsed as tar by a second one, both digests
 * computed on the way. */
struct dk_layer_stream {
	int fd;
	struct archive *outer, *inner;
	struct dk_hasher *zhash, *thash;
	unsigned char *buf;
	size_t bufsize;
	uint64_t zbytes, tbytes;
	bool empty;	    /* zero bytes in: an empty layer */
	struct dk_err *err; /* where read callbacks leave their cause */
};

int dk_layer_stream_open(struct dk_layer_stream *s, int fd, const struct dk_layer_opts *opts,
			 struct dk_err *err);
/* Read both streams to their end and finish the digests. */
int dk_layer_stream_finish(struct dk_layer_stream *s, struct dk_digest *z, struct dk_digest *t,
			   struct dk_err *err);
void dk_layer_stream_close(struct dk_layer_stream *s);

/* Deferred directory metadata, applied once all entries are written. */
struct dk_layer_dir {
	char *path;
	mode_t mode;
	struct timespec times[2];
};

/* The state of one dk_layer_apply call. */
struct dk_layer_ctx {
	int rootfd;
	const struct dk_layer_opts *opts;
	struct archive *ar;
	struct dk_pathset added;
	struct dk_layer_dir *dirs;
	size_t n_dirs, cap_dirs;
	struct dk_layer_stats *stats;
};

void dk_layer_warn(struct dk_layer_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Write one non-whiteout entry at its cleaned absolute path. */
int dk_layer_write_entry(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
			 struct dk_err *err);
/* Open the parent of path (creating missing directories) and clear the
 * place: an existing entry is removed unless both it and the new one are
 * directories (*is_dir is then set). Returns the parent fd. */
int dk_layer_open_slot(struct dk_layer_ctx *c, const char *path, bool want_dir, const char **base,
		       bool *is_dir, struct dk_err *err);
/* A hardlink entry (lib/layer_link.c). */
int dk_layer_write_hardlink(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
			    struct dk_err *err);
/* Apply a whiteout of kind for target (lib/layer_whiteout.c). */
int dk_layer_whiteout(struct dk_layer_ctx *c, enum dk_wh_kind kind, const char *target,
		      struct dk_err *err);
/* Set the deferred directory modes and times. */
int dk_layer_finish_dirs(struct dk_layer_ctx *c, struct dk_err *err);

#endif
