// SPDX-License-Identifier: GPL-2.0-or-later
/* output.c: -o/--output: the built image also as a tar in docker's save
 * format, which is an OCI layout too (type=oci or type=docker: oci-layout,
 * index.json, manifest.json, the image's blobs), a tar of its
 * filesystem (type=tar) or its files in a directory (type=local). Entries
 * are sorted and dated $SOURCE_DATE_EPOCH (else 0), so the same image
 * gives the same bytes. dest=- writes a tar to standard output. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "cli.h"
#include "copyfs.h"
#include "fs.h"
#include "imgarchive.h"
#include "tarwrite.h"
#include "treetar.h"

int bf_output_parse(const char *text, struct bf_output *out)
{
	cleanup_free char *copy = strdup(text);
	char *save = NULL;

	memset(out, 0, sizeof(*out));
	if (!copy)
		return dk_usage_error("out of memory");
	if (!strchr(text, '=')) { /* -o DIR */
		out->type = BF_OUT_LOCAL;
		snprintf(out->dest, sizeof(out->dest), "%s", text);
		return 0;
	}
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(f, '=');
		const char *v = eq ? eq + 1 : "";

		if (eq)
			*eq = '\0';
		if (!strcmp(f, "type") && !strcmp(v, "oci"))
			out->type = BF_OUT_OCI;
		else if (!strcmp(f, "type") && !strcmp(v, "docker"))
			out->type = BF_OUT_DOCKER;
		else if (!strcmp(f, "type") && !strcmp(v, "tar"))
			out->type = BF_OUT_TAR;
		else if (!strcmp(f, "type") && !strcmp(v, "local"))
			out->type = BF_OUT_LOCAL;
		else if (!strcmp(f, "type"))
			return dk_usage_error(
			    "-o type=%s: not supported (oci, docker, tar or local)", v);
		else if (!strcmp(f, "dest"))
			snprintf(out->dest, sizeof(out->dest), "%s", v);
		else
			return dk_usage_error("-o %s: unknown key \"%s\" (type, dest)", text, f);
	}
	if (out->type == BF_OUT_NONE || !out->dest[0])
		return dk_usage_error("-o %s: want type=oci|docker|tar|local,dest=PATH", text);
	if (out->type == BF_OUT_LOCAL && !strcmp(out->dest, "-"))
		return dk_usage_error("-o type=local: dest must be a directory");
	return 0;
}

static int64_t epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");

	return s && *s ? strtoll(s, NULL, 10) : 0;
}

/* --- type=oci and type=docker: docker's save format, an OCI layout with
 * manifest.json (lib/imgarchive.c) --------------------------------------- */

static int write_oci(struct bf_build *b, struct dk_tar_writer *w, const char *digest,
		     struct dk_err *err)
{
	const char *tag = b->o->tags && b->o->tags[0] ? b->o->tags[0] : NULL;
	struct dk_archive_image a;
	int ret;

	if (dk_archive_image_load(&b->store, digest, &a, err) < 0)
		return -1;
	ret = tag ? dk_archive_image_name(&a, tag) : 0;
	if (ret < 0)
		ret = dk_err_sys(err, "output");
	if (ret == 0)
		ret = dk_archive_write(&b->store, w, &a, 1, epoch(), err);
	dk_archive_image_free(&a);
	return ret;
}

/* unpack IMAGE into a private bundle; *rootfs its rootfs. */
static int unpack_image(struct bf_build *b, const char *digest, char **bundle, char **rootfs,
			struct dk_err *err)
{
	int st;

	if (asprintf(bundle, "%s/build/%s-out", b->root, b->prefix) < 0 ||
	    !(*rootfs = dk_path_join(*bundle, "rootfs")))
		return dk_err_sys(err, "output");
	char *argv[] = {"unpack", "--root", b->root, "--force", (char *)digest, *bundle, NULL};
	st = bf_tool(argv, -1, STDERR_FILENO, NULL, err);
	if (st != 0)
		return st < 0 ? -1 : dk_err_set(err, "unpack %s failed (status %d)", digest, st);
	return 0;
}

static int write_local(const char *rootfs, const char *dest, struct dk_err *err)
{
	struct bf_links links = {0};
	struct bf_copyfs_opts o = {.keep_owner = true, .links = &links};
	cleanup_close int sfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC), dfd = -1;
	int ret;

	if (sfd < 0 || dk_mkdir_p(dest, 0755, err) < 0 ||
	    (dfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return dk_err_sys(err, "%s", sfd < 0 ? rootfs : dest);
	ret = bf_copyfs_one(sfd, ".", dfd, "/", true, false, &o, err);
	bf_links_free(&links);
	return ret;
}

static int write_tar(struct bf_build *b, const char *digest, int fd, struct dk_err *err)
{
	struct dk_tar_writer *w = dk_tar_writer_new(fd, err);
	cleanup_free char *bundle = NULL, *rootfs = NULL;
	struct dk_err ignored;
	int ret = w ? 0 : -1;

	if (ret == 0 && (b->o->output.type == BF_OUT_OCI || b->o->output.type == BF_OUT_DOCKER)) {
		ret = write_oci(b, w, digest, err);
	} else if (ret == 0 && (ret = unpack_image(b, digest, &bundle, &rootfs, err)) == 0) {
		cleanup_close int rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		ret = rfd < 0 ? dk_err_sys(err, "%s", rootfs) : dk_tar_tree(w, rfd, "", err);
	}
	if (ret == 0)
		ret = dk_tar_writer_finish(w, err);
	dk_tar_writer_free(w);
	if (bundle)
		dk_rm_rf_at(AT_FDCWD, bundle, &ignored);
	return ret;
}

int bf_output_write(struct bf_build *b, const char *digest, struct dk_err *err)
{
	const struct bf_output *o = &b->o->output;
	cleanup_free char *bundle = NULL, *rootfs = NULL, *tmp = NULL;
	struct dk_err ignored;
	int ret, fd;

	if (o->type == BF_OUT_LOCAL) {
		ret = unpack_image(b, digest, &bundle, &rootfs, err);
		if (ret == 0)
			ret = write_local(rootfs, o->dest, err);
		if (bundle)
			dk_rm_rf_at(AT_FDCWD, bundle, &ignored);
		return ret < 0 ? dk_err_wrap(err, "-o type=local,dest=%s", o->dest) : 0;
	}
	if (!strcmp(o->dest, "-"))
		return write_tar(b, digest, STDOUT_FILENO, err);
	/* a temporary file renamed into place: never a half-written archive */
	if (asprintf(&tmp, "%s.dk-tmp-%d", o->dest, (int)getpid()) < 0)
		return dk_err_sys(err, "-o");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return dk_err_sys(err, "-o dest=%s", o->dest);
	ret = write_tar(b, digest, fd, err);
	if (close(fd) < 0 && ret == 0)
		ret = dk_err_sys(err, "%s", tmp);
	if (ret == 0 && rename(tmp, o->dest) < 0)
		ret = dk_err_sys(err, "-o dest=%s", o->dest);
	if (ret < 0)
		unlink(tmp);
	return ret < 0 ? dk_err_wrap(err, "-o dest=%s", o->dest) : 0;
}
