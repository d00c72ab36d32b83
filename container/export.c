// SPDX-License-Identifier: GPL-2.0-or-later
/* export.c: `export [-o FILE] CONTAINER`: the container's filesystem (its
 * snapshot's merged rootfs, running or not) as one tar, as docker export.
 * FILE appears whole or not at all. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "treetar.h"
#include "container.h"

static int export_to(const char *id, int fd, struct dk_err *err)
{
	char path[4200];
	cleanup_close int rootfd = -1;
	struct dk_tar_writer *w;
	int ret;

	snprintf(path, sizeof(path), "%s/snapshots/%s/rootfs", ctr_g.root, id);
	rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return dk_err_sys(err, "container %s: rootfs", id);
	w = dk_tar_writer_new(fd, err);
	if (!w)
		return -1;
	ret = dk_tar_tree(w, rootfd, "", err);
	if (ret == 0)
		ret = dk_tar_writer_finish(w, err);
	dk_tar_writer_free(w);
	return ret;
}

static int export_file(const char *id, const char *out, struct dk_err *err)
{
	cleanup_free char *tmp = NULL;
	int fd, ret;

	if (asprintf(&tmp, "%s.tmp-%d", out, (int)getpid()) < 0)
		return dk_err_sys(err, "%s", out);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return dk_err_sys(err, "%s", out);
	ret = export_to(id, fd, err);
	if (ret == 0 && fsync(fd) < 0)
		ret = dk_err_sys(err, "%s", out);
	close(fd);
	if (ret == 0 && rename(tmp, out) < 0)
		ret = dk_err_sys(err, "%s", out);
	if (ret < 0)
		unlink(tmp);
	return ret;
}

int ctr_cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	struct dk_err err = {0};
	struct dk_crec r;
	int c, ret;

	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = ctr_optarg(argv); break;
		case 'h': printf("Usage: container export [-o FILE] CONTAINER\n"); return 0;
		default: return ctr_usage("export", "unknown flag: %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return ctr_usage("export", "\"export\" requires exactly 1 argument.");
	if (!out && isatty(1))
		return ctr_usage("export", "cowardly refusing to save to a terminal. Use the -o "
					   "flag or redirect");
	if (ctr_find(argv[optind], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	ret = out ? export_file(r.id, out, &err) : export_to(r.id, 1, &err);
	dk_crec_free(&r);
	return ret < 0 ? ctr_daemon_error(DK_EXIT_FAIL, &err) : 0;
}
