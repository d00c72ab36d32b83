// SPDX-License-Identifier: GPL-2.0-or-later
/* digest.h: content digests ("sha256:<hex>", "sha512:<hex>") through
 * OpenSSL EVP, streaming, with parsing and validation. */
#ifndef DK_DIGEST_H
#define DK_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

#define DK_DIGEST_MAX 136 /* "sha512:" + 128 hex + NUL */

enum dk_digest_alg { DK_SHA256, DK_SHA512 };

struct dk_digest {
	enum dk_digest_alg alg;
	char str[DK_DIGEST_MAX]; /* "sha256:<hex>" */
};

/* Validate and parse "alg:hex": a known algorithm and exactly the right
 * number of lowercase hex digits. what names the input in errors. */
int dk_digest_parse(const char *s, struct dk_digest *out, struct dk_err *err);

/* The hex part of a digest string ("sha256:ab.." -> "ab.."). */
const char *dk_digest_hex(const struct dk_digest *d);
/* "sha256" or "sha512" */
const char *dk_digest_alg_name(enum dk_digest_alg alg);

/* Short form for messages: "sha256:0123456789ab". */
void dk_digest_short(const struct dk_digest *d, char *buf, size_t size);

struct dk_hasher;
struct dk_hasher *dk_hasher_new(enum dk_digest_alg alg, struct dk_err *err);
void dk_hasher_update(struct dk_hasher *h, const void *buf, size_t len);
/* Finish into out; the hasher may then be freed or reset. */
void dk_hasher_final(struct dk_hasher *h, struct dk_digest *out);
void dk_hasher_free(struct dk_hasher *h);

/* One-shot digest of a buffer. */
int dk_digest_buf(enum dk_digest_alg alg, const void *buf, size_t len, struct dk_digest *out,
		  struct dk_err *err);

/* Digest of everything read from fd (until EOF). */
int dk_digest_fd(enum dk_digest_alg alg, int fd, struct dk_digest *out, struct dk_err *err);

bool dk_digest_equal(const struct dk_digest *a, const struct dk_digest *b);

#endif
