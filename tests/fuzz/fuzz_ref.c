// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_ref.c: image references (docker's normalisation). */
#include "fuzz.h"
#include "../../lib/ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct dk_ref r;
	struct dk_err err;

	char out[1024];

	/* what parses must also format, and format to something that parses */
	if (s && dk_ref_parse(s, &r, &err) == 0) {
		dk_ref_format(&r, out, sizeof(out));
		if (dk_ref_parse(out, &r, &err) < 0)
			abort();
	}
	if (s)
		dk_ref_parse_name(s, &r, &err);
	free(s);
	return 0;
}
