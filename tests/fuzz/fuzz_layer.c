// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_layer.c: a layer stream (tar, gzip or zstd: libarchive) applied to
 * a scratch root, emptied after each input. Whatever the entries say,
 * nothing may appear outside the root (checked: a sibling directory must
 * stay empty). */
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "../../lib/fs.h"
#include "../../lib/layer.h"

static char top[] = "/tmp/dk-fuzz-layer-XXXXXX";
static char root[64], outside[64];

static void scratch(void)
{
	if (root[0])
		return;
	if (!mkdtemp(top))
		abort();
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	if (mkdir(outside, 0755) < 0)
		abort();
}

static void outside_empty(void)
{
	DIR *d = opendir(outside);
	struct dirent *e;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			abort(); /* an entry escaped the root */
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dk_layer_opts o = {.whiteouts = DK_WHITEOUT_APPLY, .rootless = true, .what = "fuzz"};
	struct dk_err err;
	int in, rootfd;

	scratch();
	if (mkdir(root, 0755) < 0 || (rootfd = open(root, O_RDONLY | O_DIRECTORY)) < 0)
		abort();
	in = memfd_create("layer", MFD_CLOEXEC);
	if (in < 0 || dk_write_all(in, data, size, &err) < 0 || lseek(in, 0, SEEK_SET) < 0)
		abort();
	dk_layer_apply(rootfd, in, &o, NULL, &err);
	close(in);
	close(rootfd);
	dk_rm_rf_at(AT_FDCWD, root, &err);
	outside_empty();
	return 0;
}
