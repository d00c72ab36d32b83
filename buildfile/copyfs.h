// SPDX-License-Identifier: GPL-2.0-or-later
/* copyfs.h: file trees from a source root (build context or a --from
 * rootfs) into a rootfs, destinations resolved inside it; and the digest
 * of what a COPY would copy, for the layer cache. */
#ifndef BUILDFILE_COPYFS_H
#define BUILDFILE_COPYFS_H

#include <stdbool.h>
#include <sys/types.h>
#include "build.h"

struct bf_copyfs_opts {
	uid_t uid;
	gid_t gid;
	bool keep_owner; /* the source's owners (COPY --from) */
	bool set_mode;	 /* --chmod */
	mode_t mode;
	const struct bf_ignore *ignore; /* NULL: nothing excluded */
};

/* Digest (into out, DK_DIGEST_MAX) of the sources (paths relative to
 * srcroot): names, types, modes, sizes, contents, link targets; with
 * image set (COPY --from), of the image digest and the paths only. */
int bf_copyfs_digest(int srcroot, char *const *srcs, const struct bf_ignore *ig, const char *image,
		     char *out, struct dk_err *err);

/* Copy source rel (relative to srcroot) to dest in the rootfs rfd
 * (rootfs: its host path). A directory's contents go into dest; a file
 * goes to dest, or into it when into_dir or dest is a directory. With
 * add, a tar archive is extracted into dest instead. */
int bf_copyfs_one(int srcroot, const char *rel, int rfd, const char *rootfs, const char *dest,
		  bool into_dir, bool add, const struct bf_copyfs_opts *o, struct dk_err *err);

#endif
