// SPDX-License-Identifier: GPL-2.0-or-later
/* du.c: disk usage as docker reports it: the bytes of a tree's files and
 * links, and sizes in docker's decimal units ("12B", "1.09MB"). */
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include "fs.h"

static _Thread_local long long walked;

static int add(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)path, (void)type, (void)f;
	if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode))
		walked += st->st_size;
	return 0;
}

long long dk_tree_bytes(const char *path)
{
	walked = 0;
	nftw(path, add, 16, FTW_PHYS | FTW_MOUNT);
	return walked;
}

void dk_human_size(long long bytes, char *buf, size_t size)
{
	const char *u[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)bytes;
	int i = 0;

	while (v >= 1000 && i < 4)
		v /= 1000, i++;
	snprintf(buf, size, i ? "%.3g%s" : "%.0f%s", v, u[i]);
}
