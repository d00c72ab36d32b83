// SPDX-License-Identifier: GPL-2.0-or-later
/* xattrs.h: an entry's extended attributes for a layer tar: sorted, without
 * overlayfs' own (trusted.overlay.*, user.overlay.*), whose opaque marker
 * is reported separately. */
#ifndef SNAPSHOT_XATTRS_H
#define SNAPSHOT_XATTRS_H

#include <stdbool.h>
#include "tarwrite.h"

struct snap_xattrs {
	struct dk_tar_xattr *v;
	size_t n;
	bool opaque; /* overlay opaque directory */
	char *names; /* storage */
};

/* Read the xattrs of name in dfd (not following a symlink). Filesystems
 * without xattr support give none. */
int snap_xattrs_read(int dfd, const char *name, struct snap_xattrs *out, struct dk_err *err);
void snap_xattrs_free(struct snap_xattrs *x);

#endif
