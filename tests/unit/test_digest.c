// SPDX-License-Identifier: GPL-2.0-or-later
/* test_digest.c: digests of known vectors, streaming, parse/validate. */
#include "test.h"
#include "digest.h"

static void test_known_vectors(void)
{
	struct dk_err err;
	struct dk_digest d;

	CHECK_INT(dk_digest_buf(DK_SHA256, "", 0, &d, &err), 0);
	CHECK_STR(d.str, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_INT(dk_digest_buf(DK_SHA256, "abc", 3, &d, &err), 0);
	CHECK_STR(d.str, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(dk_digest_buf(DK_SHA512, "abc", 3, &d, &err), 0);
	CHECK_STR(
	    d.str,
	    "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	CHECK_STR(dk_digest_hex(&d), d.str + 7);
}

static void test_streaming(void)
{
	struct dk_err err;
	struct dk_digest a, b;
	struct dk_hasher *h = dk_hasher_new(DK_SHA256, &err);
	const char *msg = "the quick brown fox jumps over the lazy dog";

	for (const char *p = msg; *p; p++)
		dk_hasher_update(h, p, 1);
	dk_hasher_final(h, &a);
	dk_hasher_free(h);
	dk_digest_buf(DK_SHA256, msg, strlen(msg), &b, &err);
	CHECK(dk_digest_equal(&a, &b));
}

static void test_parse(void)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
	    {"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 1},
	    {"sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", 0},
	    {"sha256:e3b0", 0},
	    {"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550", 0},
	    {"sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0},
	    {"md5:d41d8cd98f00b204e9800998ecf8427e", 0},
	    {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0},
	    {"sha256:", 0},
	    {":abc", 0},
	    {"sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	     1},
	    {"sha512:ddaf35a193617aba", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dk_err err = {0};
		struct dk_digest d;
		int r = dk_digest_parse(cases[i].in, &d, &err);

		CHECK_MSG((r == 0) == cases[i].ok, "%s -> %d (%s)", cases[i].in, r, err.msg);
		if (!cases[i].ok)
			CHECK_MSG(strstr(err.msg, "invalid digest") != NULL, "%s", err.msg);
	}
}

static void test_short(void)
{
	struct dk_err err;
	struct dk_digest d;
	char buf[32];

	dk_digest_buf(DK_SHA256, "", 0, &d, &err);
	dk_digest_short(&d, buf, sizeof(buf));
	CHECK_STR(buf, "sha256:e3b0c44298fc");
}

T_MAIN(T(test_known_vectors), T(test_streaming), T(test_parse), T(test_short))
