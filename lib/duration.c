// SPDX-License-Identifier: GPL-2.0-or-later
/* duration.c: Go's duration syntax, as docker's flags and Dockerfile
 * HEALTHCHECK options take it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "duration.h"

int64_t dk_parse_duration(const char *s)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
	    {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
	};
	double total = 0;

	if (!*s)
		return -1;
	if (strcmp(s, "0") == 0)
		return 0;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		size_t best = 0, blen = 0;

		if (end == s || v < 0)
			return -1;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i].unit);

			if (strncmp(end, units[i].unit, n) == 0 && n > blen &&
			    !isalpha((unsigned char)end[n]))
				best = i, blen = n;
		}
		if (!blen)
			return -1;
		total += v * units[best].ns;
		s = end + blen;
	}
	return total > 9.2e18 ? -1 : (int64_t)total;
}
