// SPDX-License-Identifier: GPL-2.0-or-later
/* load.c: `load [-i FILE] [-q]`: images from a tar (plain or compressed)
 * that docker save, podman save or skopeo wrote: an OCI layout (docker 25
 * and later, oci-archive) or the older docker archive (manifest.json with
 * a config file and a layer tar per layer). The archive is hostile: it is
 * extracted with the layer code's confinement into a scratch directory,
 * only regular files are read from it, every blob is verified against its
 * digest, and tags are set only once all of an image's blobs are in. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "layer.h"
#include "path.h"
#include "ref.h"
#include "load.h"
#include "archive.h"

int load_open_member(struct load *l, const char *name, struct dk_err *err)
{
	struct stat st;
	int fd = dk_path_open(l->dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0, err);

	if (fd < 0)
		return dk_err_wrap(err, "archive member %s", name);
	/* a device or fifo the archive made must never be read as a blob */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dk_err_set(err, "archive member %s: not a regular file", name);
	}
	fcntl(fd, F_SETFL, 0);
	return fd;
}

bool load_has_member(struct load *l, const char *name)
{
	struct dk_err ignored;
	int fd = dk_path_open(l->dirfd, name, O_PATH | O_CLOEXEC, 0, &ignored);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

int load_read_member(struct load *l, const char *name, char **buf, size_t *len, struct dk_err *err)
{
	int fd = load_open_member(l, name, err);
	int ret;

	if (fd < 0)
		return -1;
	ret = dk_read_fd(fd, 8 << 20, buf, len, err);
	close(fd);
	return ret < 0 ? dk_err_wrap(err, "archive member %s", name) : 0;
}

void load_announce(struct load *l, const char *name, const struct dk_digest *config)
{
	struct dk_ref ref;
	struct dk_err ignored;
	char buf[1024];

	if (name && dk_ref_parse(name, &ref, &ignored) == 0) {
		dk_ref_format_familiar(&ref, buf, sizeof(buf));
		printf("Loaded image: %s\n", buf);
	} else if (config) {
		printf("Loaded image ID: %s\n", config->str);
	}
	l->loaded++;
}

/* Tag name (as written in the archive) for desc, normalised as docker. */
int load_tag(struct load *l, const char *name, const struct dk_descriptor *desc, struct dk_err *err)
{
	struct dk_ref ref;
	char full[1024];

	if (dk_ref_parse(name, &ref, err) < 0 || ref.digest[0])
		return dk_err_set(err, "invalid tag \"%s\" in the archive", name);
	dk_ref_format(&ref, full, sizeof(full));
	return dk_store_tag(&l->store, full, desc, err);
}

/* The archive extracted into a scratch directory below the dk root. */
static int extract(struct load *l, int fd, struct dk_err *err)
{
	cleanup_free char *root = dk_default_root(archive_root_opt);
	cleanup_free char *tmp = root ? dk_path_join(root, "tmp") : NULL;
	struct dk_layer_opts o = {
	    .whiteouts = DK_WHITEOUT_APPLY, .rootless = geteuid() != 0, .what = "the archive"};

	if (!tmp)
		return dk_err_sys(err, "root directory");
	if (dk_mkdir_p(tmp, 0700, err) < 0)
		return dk_err_wrap(err, "scratch directory");
	if (asprintf(&l->scratch, "%s/load-XXXXXX", tmp) < 0 || !mkdtemp(l->scratch))
		return dk_err_sys(err, "scratch directory in %s", tmp);
	l->dirfd = open(l->scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->dirfd < 0)
		return dk_err_sys(err, "%s", l->scratch);
	if (dk_layer_apply(l->dirfd, fd, &o, NULL, err) < 0)
		return dk_err_wrap(err, "reading the archive");
	return 0;
}

static int load_all(struct load *l, int fd, struct dk_err *err)
{
	if (extract(l, fd, err) < 0)
		return -1;
	if (dk_store_open_default(&l->store, archive_root_opt, true, err) < 0)
		return -1;
	l->store_open = true;
	dk_store_hold_blobs(&l->store);
	if (load_has_member(l, "index.json"))
		return load_oci(l, err);
	if (load_has_member(l, "manifest.json"))
		return load_docker(l, err);
	return dk_err_set(err,
			  "not a docker or OCI image archive (no index.json or manifest.json)");
}

static void load_done(struct load *l)
{
	if (l->store_open)
		dk_store_close(&l->store);
	if (l->dirfd >= 0)
		close(l->dirfd);
	if (l->scratch) {
		struct dk_err ignored;
		dk_rm_rf_at(AT_FDCWD, l->scratch, &ignored);
	}
	free(l->scratch);
}

int archive_cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"input", required_argument, NULL, 'i'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"platform", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *in = NULL;
	struct load l = {.dirfd = -1};
	struct dk_err err = {0};
	int c, fd, ret;

	while ((c = dk_getopt_long(argc, argv, "+i:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': in = optarg; break;
		case 'q': break; /* no progress is printed anyway */
		case 'P': return dk_usage_error("load: --platform is not supported");
		case 'h': printf("Usage: archive load [-i FILE] [-q]\n"); return DK_EXIT_OK;
		default: return dk_usage_error("load: unknown option");
		}
	}
	if (optind < argc)
		return dk_usage_error("load: unexpected argument \"%s\"", argv[optind]);
	if (!in && isatty(0))
		return dk_usage_error("load: requested load from stdin, but stdin is empty");
	fd = in ? open(in, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		dk_err_sys(&err, "%s", in);
		return dk_fail(&err);
	}
	ret = load_all(&l, fd, &err);
	if (ret == 0 && !l.loaded)
		ret = dk_err_set(&err, "the archive holds no image");
	load_done(&l);
	if (in)
		close(fd);
	if (ret < 0) {
		dk_err_wrap(&err, "load");
		return dk_fail(&err);
	}
	return DK_EXIT_OK;
}
