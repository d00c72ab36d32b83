// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_dockerfile.c: the Dockerfile parser. */
#include "fuzz.h"
#include "../../lib/dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct dk_df_instr *v = NULL;
	size_t n = 0;
	struct dk_err err;

	if (s && dk_df_parse(s, &v, &n, &err) == 0)
		dk_df_instrs_free(v, n);
	free(s);
	return 0;
}
