// SPDX-License-Identifier: GPL-2.0-or-later
/* challenge.h: WWW-Authenticate challenges (RFC 7235) as registries send
 * them: Bearer realm="...",service="...",scope="..." or Basic realm="...". */
#ifndef FETCH_CHALLENGE_H
#define FETCH_CHALLENGE_H

#include "err.h"

struct fx_challenge {
	char scheme[16];	/* lowercased: "bearer", "basic" */
	char *realm, *service, *scope, *error;
};

/* Parse the first challenge of a header value. */
int fx_challenge_parse(const char *hdr, struct fx_challenge *out,
		       struct dk_err *err);
void fx_challenge_free(struct fx_challenge *c);

#endif
