// SPDX-License-Identifier: GPL-2.0-or-later
/* detachkeys.c: docker's --detach-keys spelling ("ctrl-p,ctrl-q", "a,b",
 * "ctrl-@") to the bytes a client types. */
#include <stdlib.h>
#include <string.h>
#include "crecord.h"

int dk_detach_keys_parse(const char *s, char *keys, size_t size)
{
	size_t n = 0;
	char *dup = strdup(s && *s ? s : "ctrl-p,ctrl-q"), *save = NULL;

	if (!dup)
		return -1;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == size) {
			n = 0;
			break;
		}
		if (!strncmp(t, "ctrl-", 5) && t[5] && !t[6])
			keys[n++] = (char)(t[5] == '@' ? 0 : (t[5] & 0x1f));
		else if (strlen(t) == 1)
			keys[n++] = t[0];
		else {
			n = 0;
			break;
		}
	}
	free(dup);
	return n ? (int)n : -1;
}
