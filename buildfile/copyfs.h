// SPDX-License-Identifier: GPL-2.0-or-later
/* copyfs.h: file trees from a source root (build context or a --from
 * rootfs) into a rootfs, destinations resolved inside it; and the digest
 * of what a COPY would copy, for the layer cache. */
#ifndef BUILDFILE_COPYFS_H
#define BUILDFILE_COPYFS_H

#include <stdbool.h>
#include <sys/types.h>
#include "build.h"

/* --chmod: octal, or symbolic clauses applied to each entry's mode. */
struct bf_chmod {
	bool octal;
	mode_t mode;
	char symbolic[128];
};
int bf_chmod_parse(const char *spec, struct bf_chmod *out, struct dk_err *err);
mode_t bf_chmod_apply(const struct bf_chmod *c, mode_t mode, bool dir);

/* Files already copied, by source (device, inode): a second name of the
 * same file becomes a hard link to the first copy. */
struct bf_links {
	struct bf_link {
		dev_t dev;
		ino_t ino;
		char *dest;
	} * v;
	size_t n;
};
void bf_links_free(struct bf_links *l);

struct bf_copyfs_opts {
	uid_t uid;
	gid_t gid;
	bool keep_owner;		/* the source's owners (COPY --from) */
	const struct bf_chmod *chmod;	/* NULL: the source's modes */
	const struct bf_ignore *ignore; /* NULL: nothing excluded */
	/* --exclude patterns, matched against paths relative to the copied
	 * source (its first top_len bytes dropped); NULL: none */
	const struct bf_ignore *exclude;
	size_t top_len;
	struct bf_links *links; /* NULL: hard links are not kept */
	bool chown_given;	/* --chown: also for what ADD extracts */
	const char *tmpdir;	/* ADD: archives are extracted here first */
};

/* Digest (into out, DK_DIGEST_MAX) of the sources (paths relative to
 * srcroot): names, types, modes, sizes, contents, link targets; with
 * image set (COPY --from), of the image digest and the paths only. */
int bf_copyfs_digest(int srcroot, char *const *srcs, const struct bf_ignore *ig, const char *image,
		     char *out, struct dk_err *err);

/* Copy source rel (relative to srcroot) to dest in the rootfs rfd. A
 * directory's contents go into dest; a file goes to dest, or into it when
 * into_dir or dest is a directory. With add (and o->tmpdir), a tar
 * archive is extracted into dest instead. */
int bf_copyfs_one(int srcroot, const char *rel, int rfd, const char *dest, bool into_dir, bool add,
		  const struct bf_copyfs_opts *o, struct dk_err *err);

#endif
