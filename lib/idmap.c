// SPDX-License-Identifier: GPL-2.0-or-later
/* idmap.c: uid/gid maps ("C:H:N" lines) for unpacking into a user
 * namespace (pure). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "layer.h"

static int parse_u32(const char **s, char stop, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (**s < '0' || **s > '9')
		return -1;
	errno = 0;
	v = strtoull(*s, &end, 10);
	if (errno || v > UINT32_MAX || *end != stop)
		return -1;
	*out = (uint32_t)v;
	*s = end + (stop ? 1 : 0);
	return 0;
}

int dk_idmap_parse(const char *s, struct dk_idmap *out, struct dk_err *err)
{
	const char *p = s;

	if (parse_u32(&p, ':', &out->inside) < 0 || parse_u32(&p, ':', &out->outside) < 0 ||
	    parse_u32(&p, '\0', &out->count) < 0 || out->count == 0 ||
	    (uint64_t)out->inside + out->count > (uint64_t)UINT32_MAX + 1 ||
	    (uint64_t)out->outside + out->count > (uint64_t)UINT32_MAX + 1)
		return dk_err_set(err, "id map \"%s\": want CONTAINER:HOST:COUNT", s);
	return 0;
}

int dk_idmap_map(const struct dk_idmap *map, size_t n, uint32_t id, uint32_t *out)
{
	if (n == 0) {
		*out = id;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (id >= map[i].inside && id - map[i].inside < map[i].count) {
			*out = map[i].outside + (id - map[i].inside);
			return 0;
		}
	}
	return -1;
}
