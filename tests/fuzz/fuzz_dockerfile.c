// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_dockerfile.c: the Dockerfile parsers (line by line, and the whole
 * file as BuildKit reads it) and the flag check. */
#include "fuzz.h"
#include "../../lib/dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct dk_df_instr *v = NULL;
	size_t n = 0;
	struct dk_err err;

	struct dk_df_file f;

	if (s && dk_df_parse(s, &v, &n, &err) == 0)
		dk_df_instrs_free(v, n);
	/* directives, here-documents, escape characters, flags */
	if (s && dk_df_parse_file(s, &f, &err) == 0) {
		for (size_t i = 0; i < f.n; i++)
			dk_df_check_flags(&f.v[i], &err);
		dk_df_file_free(&f);
	}
	free(s);
	return 0;
}
