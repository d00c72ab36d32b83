// SPDX-License-Identifier: GPL-2.0-or-later
/* userns.c: whether dk runs rootless: as an unprivileged user, or as root
 * of a user namespace (the one `dk` enters for non-root users), where
 * overlayfs needs "userxattr", layers keep user.overlay.* xattrs and the
 * host's devices and cgroups are out of reach. */
#include <stdio.h>
#include <unistd.h>
#include "fs.h"

bool dk_in_userns(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n;

	if (!f)
		return false; /* no procfs: assume the initial namespace */
	n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	fclose(f);
	/* the initial namespace maps all 2^32-1 ids onto themselves */
	return !(n == 3 && inside == 0 && outside == 0 && count == 4294967295UL);
}

bool dk_rootless(void)
{
	return geteuid() != 0 || dk_in_userns();
}
