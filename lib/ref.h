// SPDX-License-Identifier: GPL-2.0-or-later
/* ref.h: image references, parsed and normalised as docker does
 * (busybox -> docker.io/library/busybox:latest). */
#ifndef DK_REF_H
#define DK_REF_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

#define DK_REF_NAME_MAX	  255 /* domain + "/" + path, as docker */
#define DK_REF_TAG_MAX	  128
#define DK_REF_DIGEST_MAX 160 /* "sha512:" + 128 hex + NUL, with room */
#define DK_REF_STR_MAX	  (DK_REF_NAME_MAX + 1 + DK_REF_TAG_MAX + 1 + DK_REF_DIGEST_MAX + 1)

struct dk_ref {
	char domain[DK_REF_NAME_MAX + 1]; /* "docker.io", "host:5000" */
	char path[DK_REF_NAME_MAX + 1];	  /* "library/busybox" */
	char tag[DK_REF_TAG_MAX + 1];	  /* "" when none */
	char digest[DK_REF_DIGEST_MAX];	  /* "sha256:..." or "" */
};

/* Parse and normalise s as docker's ParseNormalizedNamed does, then add the
 * default tag "latest" when neither tag nor digest is given. */
int dk_ref_parse(const char *s, struct dk_ref *out, struct dk_err *err);

/* Parse without adding the default tag (for "fetch tags REPO" and such). */
int dk_ref_parse_name(const char *s, struct dk_ref *out, struct dk_err *err);

/* Full normalised form: "docker.io/library/busybox:latest",
 * "host:5000/a/b@sha256:...", "d/p:tag@sha256:...". */
void dk_ref_format(const struct dk_ref *r, char *buf, size_t size);

/* Repository name only: "docker.io/library/busybox". */
void dk_ref_format_name(const struct dk_ref *r, char *buf, size_t size);

/* Short form as docker prints it: "busybox:latest", "me/app:v1",
 * "host:5000/a/b:tag". */
void dk_ref_format_familiar(const struct dk_ref *r, char *buf, size_t size);

/* True when s looks like a bare 64-hex image id or "sha256:<64 hex>". */
bool dk_ref_is_image_id(const char *s);

#endif
