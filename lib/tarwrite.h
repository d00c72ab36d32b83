// SPDX-License-Identifier: GPL-2.0-or-later
/* tarwrite.h: writing tar archives (POSIX pax) whose bytes depend only on
 * the entries: ustar headers with numeric ids, no user/group names, whole
 * second mtimes, and pax records only when an entry needs them (long
 * names, big sizes or ids, xattrs), written in a fixed order. Used for
 * layer tars (snapshot diff) and by tests. */
#ifndef DK_TARWRITE_H
#define DK_TARWRITE_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

enum {
	DK_TAR_REG = '0',
	DK_TAR_LINK = '1',
	DK_TAR_SYMLINK = '2',
	DK_TAR_CHR = '3',
	DK_TAR_BLK = '4',
	DK_TAR_DIR = '5',
	DK_TAR_FIFO = '6',
};

struct dk_tar_xattr {
	const char *name;
	const void *value;
	size_t len;
};

struct dk_tar_entry {
	const char *name;  /* relative, no leading "/"; a "/" is added to dirs */
	char type;	   /* DK_TAR_* */
	unsigned int mode; /* 07777 bits */
	uint64_t uid, gid;
	int64_t size;	      /* regular files: bytes of data that follow */
	int64_t mtime;	      /* seconds */
	const char *linkname; /* symlink target, hardlink's first name */
	unsigned int devmajor, devminor;
	const struct dk_tar_xattr *xattrs; /* sorted by the caller */
	size_t n_xattrs;
};

struct dk_tar_writer;

/* A writer to fd (buffered; nothing is closed). */
struct dk_tar_writer *dk_tar_writer_new(int fd, struct dk_err *err);
/* Write an entry's header (and pax record); for DK_TAR_REG exactly size
 * bytes of data must follow through dk_tar_write_data. */
int dk_tar_write_header(struct dk_tar_writer *w, const struct dk_tar_entry *e, struct dk_err *err);
int dk_tar_write_data(struct dk_tar_writer *w, const void *buf, size_t len, struct dk_err *err);
/* Header plus e->size bytes copied from fd; a file that changed size while
 * being read is an error. */
int dk_tar_write_file(struct dk_tar_writer *w, const struct dk_tar_entry *e, int fd,
		      struct dk_err *err);
/* End-of-archive blocks and a final flush. */
int dk_tar_writer_finish(struct dk_tar_writer *w, struct dk_err *err);
void dk_tar_writer_free(struct dk_tar_writer *w);

/* Bytes written so far. */
uint64_t dk_tar_writer_offset(const struct dk_tar_writer *w);

#endif
