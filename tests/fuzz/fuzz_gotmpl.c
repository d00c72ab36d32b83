// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_gotmpl.c: Go templates (lib/gotmpl.c): the input is a template,
 * or "JSON\0TEMPLATE" to vary the value it runs against too. */
#include <stdio.h>
#include "fuzz.h"
#include "../../lib/gotmpl.h"

static const char fixed[] = "{\"Name\":\"/c\",\"Args\":[\"a\",\"b\"],\"N\":3,\"F\":1.5,"
			    "\"State\":{\"Running\":true,\"Pid\":7,\"H\":null},"
			    "\"Labels\":{\"x\":\"1\",\"y\":\"2\"},\"M\":[{\"S\":\"/s\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	const char *doc = fixed;
	size_t doclen = sizeof(fixed) - 1;
	struct dk_err err;
	struct dk_json *v;
	struct dk_tmpl *t;
	char *tmpl, *out = NULL;

	if (nul) {
		doc = (const char *)data;
		doclen = (size_t)(nul - data);
		size -= doclen + 1;
		data = nul + 1;
	}
	if (!(tmpl = fuzz_cstr(data, size)))
		return 0;
	v = dk_json_parse(doc, doclen, "fuzz", &err);
	t = dk_tmpl_parse(tmpl, &err);
	for (int flags = 0; t && flags <= DK_TMPL_STRUCTS; flags++) {
		if (dk_tmpl_render(t, v, flags, &out, &err) == 0)
			free(out);
	}
	dk_tmpl_free(t);
	dk_json_free(v);
	free(tmpl);
	return 0;
}
