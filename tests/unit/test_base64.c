// SPDX-License-Identifier: GPL-2.0-or-later
/* test_base64.c: RFC 4648 vectors, round trips and bad input. */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "base64.h"

static const struct { const char *plain, *enc; } vectors[] = {
	{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	{ "user:p@ss:word", "dXNlcjpwQHNzOndvcmQ=" },
};

static void test_vectors(void)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct dk_err err;
		char *e = dk_base64_encode(vectors[i].plain, strlen(vectors[i].plain));
		char *d = NULL;
		size_t n = 0;

		CHECK_STR(e, vectors[i].enc);
		CHECK_INT(dk_base64_decode(vectors[i].enc, &d, &n, &err), 0);
		CHECK_INT((long)n, (long)strlen(vectors[i].plain));
		CHECK_STR(d, vectors[i].plain);
		free(e);
		free(d);
	}
}

static void test_bad(void)
{
	struct dk_err err;
	char *d = NULL;
	size_t n;

	CHECK_INT(dk_base64_decode("Zm9v!", &d, &n, &err), -1);
	CHECK_INT(dk_base64_decode("Z", &d, &n, &err), -1);
	CHECK_INT(dk_base64_decode("Zm 9v", &d, &n, &err), -1);
	CHECK(d == NULL);
}

static void test_binary(void)
{
	unsigned char raw[256];
	struct dk_err err;
	char *d;
	size_t n;

	for (int i = 0; i < 256; i++)
		raw[i] = (unsigned char)i;
	char *e = dk_base64_encode(raw, sizeof(raw));
	CHECK_INT(dk_base64_decode(e, &d, &n, &err), 0);
	CHECK_INT((long)n, 256);
	CHECK(memcmp(d, raw, 256) == 0);
	free(e);
	free(d);
}

T_MAIN(T(test_vectors), T(test_bad), T(test_binary))
