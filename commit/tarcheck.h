// SPDX-License-Identifier: GPL-2.0-or-later
/* tarcheck.h: a streaming check that bytes form a tar archive (ustar, pax,
 * GNU): header checksums, sizes (octal, base-256, pax size=), the end
 * marker. It reads nothing twice and keeps no entry data. */
#ifndef COMMIT_TARCHECK_H
#define COMMIT_TARCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct commit_tarcheck {
	unsigned char hdr[512];
	size_t hdr_fill;
	uint64_t skip;	  /* data + padding bytes still to pass */
	uint64_t offset;  /* bytes seen */
	uint64_t hdr_off; /* where the current header starts */
	uint64_t entries;
	bool in_pax; /* reading a pax header's records */
	char *pax;   /* its records */
	size_t pax_len, pax_cap;
	int64_t pax_size; /* size= for the next entry, -1 if none */
	bool ended;	  /* end-of-archive block seen */
};

void commit_tarcheck_init(struct commit_tarcheck *t);
int commit_tarcheck_feed(struct commit_tarcheck *t, const unsigned char *buf, size_t len,
			 struct dk_err *err);
/* At end of input: the archive must be complete. */
int commit_tarcheck_finish(struct commit_tarcheck *t, struct dk_err *err);
void commit_tarcheck_free(struct commit_tarcheck *t);

#endif
