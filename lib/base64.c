// SPDX-License-Identifier: GPL-2.0-or-later
/* base64.c: RFC 4648 base64 encoding and strict decoding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *dk_base64_encode(const void *buf, size_t len)
{
	const unsigned char *in = buf;
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t n = len - i;

		if (n > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (n > 2)
			v |= in[i + 2];
		*o++ = alphabet[v >> 18];
		*o++ = alphabet[(v >> 12) & 63];
		*o++ = n > 1 ? alphabet[(v >> 6) & 63] : '=';
		*o++ = n > 2 ? alphabet[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int sextet(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

int dk_base64_decode(const char *s, char **out, size_t *len,
		     struct dk_err *err)
{
	size_t n = strlen(s), o = 0;
	uint32_t acc = 0;
	int bits = 0;
	char *buf;

	while (n && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return dk_err_set(err, "invalid base64: wrong length");
	buf = malloc(n / 4 * 3 + 3);
	if (!buf)
		return dk_err_sys(err, "base64");
	for (size_t i = 0; i < n; i++) {
		int v = sextet(s[i]);

		if (v < 0) {
			free(buf);
			return dk_err_set(err, "invalid base64: unexpected character");
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	buf[o] = '\0';
	*out = buf;
	*len = o;
	return 0;
}
