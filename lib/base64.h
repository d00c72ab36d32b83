// SPDX-License-Identifier: GPL-2.0-or-later
/* base64.h: standard base64 (RFC 4648, with padding), as docker's
 * config.json "auth" fields and HTTP Basic credentials use it. */
#ifndef DK_BASE64_H
#define DK_BASE64_H

#include <stddef.h>
#include "err.h"

/* Encode len bytes into a malloc'd NUL-terminated string. */
char *dk_base64_encode(const void *buf, size_t len);

/* Decode s (whitespace not allowed, padding optional) into a malloc'd
 * buffer, NUL-terminated for convenience; *len gets its size. */
int dk_base64_decode(const char *s, char **out, size_t *len,
		     struct dk_err *err);

#endif
