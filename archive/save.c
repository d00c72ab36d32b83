// SPDX-License-Identifier: GPL-2.0-or-later
/* save.c: `save [-o FILE] IMAGE...`: the images as one tar in docker's
 * save format (lib/imgarchive.c), on stdout or in FILE. FILE appears
 * whole or not at all: it is written beside, synced and renamed. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "imgarchive.h"
#include "archive.h"

/* Entry times: $SOURCE_DATE_EPOCH, else 0, so one image gives one tar. */
static int64_t epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");

	return s && *s ? strtoll(s, NULL, 10) : 0;
}

static int write_tar(struct dk_store *s, char *const *names, size_t n, int fd, struct dk_err *err)
{
	struct dk_archive_image *v = calloc(n ? n : 1, sizeof(*v));
	struct dk_tar_writer *w = NULL;
	size_t loaded = 0;
	int ret = v ? 0 : dk_err_sys(err, "save");

	for (; ret == 0 && loaded < n; loaded++)
		if (dk_archive_image_load(s, names[loaded], &v[loaded], err) < 0)
			ret = dk_err_wrap(err, "%s", names[loaded]);
	if (ret == 0 && !(w = dk_tar_writer_new(fd, err)))
		ret = -1;
	if (ret == 0)
		ret = dk_archive_write(s, w, v, n, epoch(), err);
	if (ret == 0)
		ret = dk_tar_writer_finish(w, err);
	dk_tar_writer_free(w);
	for (size_t i = 0; v && i < loaded; i++)
		dk_archive_image_free(&v[i]);
	free(v);
	return ret;
}

/* Into path through a temporary file beside it. */
static int save_file(struct dk_store *s, char *const *names, size_t n, const char *path,
		     struct dk_err *err)
{
	cleanup_free char *tmp = NULL;
	int fd, ret;

	if (asprintf(&tmp, "%s.tmp-%d", path, (int)getpid()) < 0)
		return dk_err_sys(err, "%s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return dk_err_sys(err, "%s", path);
	ret = write_tar(s, names, n, fd, err);
	if (ret == 0 && fsync(fd) < 0)
		ret = dk_err_sys(err, "%s", path);
	close(fd);
	if (ret == 0 && rename(tmp, path) < 0)
		ret = dk_err_sys(err, "%s", path);
	if (ret < 0)
		unlink(tmp);
	return ret;
}

int archive_cmd_save(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"platform", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	struct dk_store s;
	struct dk_err err = {0};
	int c, ret;

	while ((c = dk_getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'P': return dk_usage_error("save: --platform is not supported");
		case 'h': printf("Usage: archive save [-o FILE] IMAGE...\n"); return DK_EXIT_OK;
		default: return dk_usage_error("save: unknown option");
		}
	}
	if (optind >= argc)
		return dk_usage_error("save: want at least one image");
	if (!out && isatty(1)) {
		dk_err_set(&err, "cowardly refusing to save to a terminal. Use the -o flag or "
				 "redirect");
		return dk_fail(&err);
	}
	if (dk_store_open_default(&s, archive_root_opt, false, &err) < 0)
		return dk_fail(&err);
	if (out)
		ret = save_file(&s, argv + optind, (size_t)(argc - optind), out, &err);
	else
		ret = write_tar(&s, argv + optind, (size_t)(argc - optind), 1, &err);
	dk_store_close(&s);
	return ret < 0 ? dk_fail(&err) : DK_EXIT_OK;
}
