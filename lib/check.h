// SPDX-License-Identifier: GPL-2.0-or-later
/* check.h: fsck for the image store. */
#ifndef DK_CHECK_H
#define DK_CHECK_H

#include <stdbool.h>
#include "store.h"

struct dk_check {
	bool repair; /* remove corrupt blobs, untag images that cannot be read */
	/* called with one line per problem (and per repair) */
	void (*report)(void *ctx, const char *line);
	void *ctx;
	/* results */
	size_t blobs, tags, problems, repaired;
};

/* Verify every blob's content against its digest and that every tag
 * reaches readable documents and present blobs of the right size.
 * Returns 0 when it could look (problems are counted, not errors). */
int dk_store_check(struct dk_store *s, struct dk_check *c, struct dk_err *err);

#endif
