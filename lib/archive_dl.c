// SPDX-License-Identifier: GPL-2.0-or-later
/* archive_dl.c: libarchive loaded on first use; see archive_dl.h. */
#define DK_ARCHIVE_DL_IMPL
#include <dlfcn.h>
#include <stdbool.h>
#include "archive_dl.h"

struct dk_archive_api dk_archive;

/* The soname Debian 12 (and every libarchive 3.x) ships. */
#define LIBARCHIVE_SONAME "libarchive.so.13"

int dk_archive_load(struct dk_err *err)
{
	static bool loaded;
	void *h;

	if (loaded)
		return 0;
	h = dlopen(LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return dk_err_set(err, "loading %s: %s", LIBARCHIVE_SONAME, dlerror());
#define DK_ARCHIVE_SYM(f)                              \
	if (!(*(void **)&dk_archive.f = dlsym(h, #f))) \
		return dk_err_set(err, "%s: no symbol %s", LIBARCHIVE_SONAME, #f);
	DK_ARCHIVE_FUNCS(DK_ARCHIVE_SYM)
#undef DK_ARCHIVE_SYM
	loaded = true;
	return 0;
}
