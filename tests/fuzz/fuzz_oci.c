// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_oci.c: the JSON wall and the OCI documents on it: index,
 * manifest, image config, from the same bytes. */
#include "fuzz.h"
#include "../../lib/json.h"
#include "../../lib/oci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct dk_index idx;
	struct dk_manifest man;
	struct dk_image_config cfg;
	struct dk_json *j;
	struct dk_err err;

	j = dk_json_parse(buf, size, "fuzz", &err);
	dk_json_free(j);
	if (dk_index_parse(buf, size, &idx, &err) == 0)
		dk_index_free(&idx);
	if (dk_manifest_parse(buf, size, &man, &err) == 0)
		dk_manifest_free(&man);
	if (dk_image_config_parse(buf, size, &cfg, &err) == 0)
		dk_image_config_free(&cfg);
	return 0;
}
