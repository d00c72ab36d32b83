// SPDX-License-Identifier: GPL-2.0-or-later
/* digest.c: sha256/sha512 through OpenSSL EVP. The only file that includes
 * OpenSSL. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "digest.h"

struct dk_hasher {
	EVP_MD_CTX *ctx;
	enum dk_digest_alg alg;
};

static const struct {
	const char *name;
	size_t hexlen;
} algs[] = {
    [DK_SHA256] = {"sha256", 64},
    [DK_SHA512] = {"sha512", 128},
};

const char *dk_digest_alg_name(enum dk_digest_alg alg)
{
	return algs[alg].name;
}

static bool is_lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int dk_digest_parse(const char *s, struct dk_digest *out, struct dk_err *err)
{
	const char *colon = s ? strchr(s, ':') : NULL;

	if (!colon)
		return dk_err_set(err, "invalid digest \"%s\": missing algorithm", s ? s : "");
	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		size_t nl = strlen(algs[a].name);

		if ((size_t)(colon - s) != nl || strncmp(s, algs[a].name, nl))
			continue;
		if (strlen(colon + 1) != algs[a].hexlen || !is_lower_hex(colon + 1, algs[a].hexlen))
			return dk_err_set(err,
					  "invalid digest \"%s\": want %zu lowercase hex digits", s,
					  algs[a].hexlen);
		out->alg = a;
		memcpy(out->str, s, strlen(s) + 1);
		return 0;
	}
	return dk_err_set(err, "invalid digest \"%s\": unsupported algorithm", s);
}

const char *dk_digest_hex(const struct dk_digest *d)
{
	const char *c = strchr(d->str, ':');

	return c ? c + 1 : d->str;
}

void dk_digest_short(const struct dk_digest *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%.12s", dk_digest_alg_name(d->alg), dk_digest_hex(d));
}

bool dk_digest_equal(const struct dk_digest *a, const struct dk_digest *b)
{
	return strcmp(a->str, b->str) == 0;
}

struct dk_hasher *dk_hasher_new(enum dk_digest_alg alg, struct dk_err *err)
{
	struct dk_hasher *h = calloc(1, sizeof(*h));
	const EVP_MD *md = alg == DK_SHA512 ? EVP_sha512() : EVP_sha256();

	if (!h)
		return dk_err_sys(err, "allocating hasher"), NULL;
	h->alg = alg;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
		dk_hasher_free(h);
		dk_err_set(err, "initialising %s", algs[alg].name);
		return NULL;
	}
	return h;
}

void dk_hasher_update(struct dk_hasher *h, const void *buf, size_t len)
{
	EVP_DigestUpdate(h->ctx, buf, len);
}

void dk_hasher_final(struct dk_hasher *h, struct dk_digest *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t off;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	out->alg = h->alg;
	off = (size_t)snprintf(out->str, sizeof(out->str), "%s:", algs[h->alg].name);
	for (unsigned int i = 0; i < n && off + 2 < sizeof(out->str); i++) {
		out->str[off++] = hex[md[i] >> 4];
		out->str[off++] = hex[md[i] & 15];
	}
	out->str[off] = '\0';
}

void dk_hasher_free(struct dk_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

int dk_digest_buf(enum dk_digest_alg alg, const void *buf, size_t len, struct dk_digest *out,
		  struct dk_err *err)
{
	struct dk_hasher *h = dk_hasher_new(alg, err);

	if (!h)
		return -1;
	dk_hasher_update(h, buf, len);
	dk_hasher_final(h, out);
	dk_hasher_free(h);
	return 0;
}

int dk_digest_fd(enum dk_digest_alg alg, int fd, struct dk_digest *out, struct dk_err *err)
{
	struct dk_hasher *h = dk_hasher_new(alg, err);
	char buf[65536];
	ssize_t n;

	if (!h)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			dk_err_sys(err, "reading for digest");
			dk_hasher_free(h);
			return -1;
		}
		dk_hasher_update(h, buf, n);
	}
	dk_hasher_final(h, out);
	dk_hasher_free(h);
	return 0;
}
