// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_challenge.c: fetch's WWW-Authenticate parser (compiled in). */
#include "fuzz.h"
#include "../../fetch/challenge.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct fx_challenge c;
	struct dk_err err;

	if (s && fx_challenge_parse(s, &c, &err) == 0)
		fx_challenge_free(&c);
	free(s);
	return 0;
}
