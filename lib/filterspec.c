// SPDX-License-Identifier: GPL-2.0-or-later
/* filterspec.c: docker's --filter KEY=VALUE, split and checked against
 * the keys a listing command knows, with docker's messages. */
#include <string.h>
#include "filterspec.h"

int dk_filter_parse(const char *spec, const char *const *keys, const char **value,
		    struct dk_err *err)
{
	size_t n = strcspn(spec, "=");

	if (!spec[n] || !n)
		return dk_err_set(err, "bad format of filter (expected name=value): %s", spec);
	for (int k = 0; keys[k]; k++)
		if (strlen(keys[k]) == n && !strncmp(spec, keys[k], n)) {
			*value = spec + n + 1;
			return k;
		}
	dk_err_set(err, "invalid filter '%.*s'", (int)n, spec);
	return -2;
}
