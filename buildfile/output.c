// SPDX-License-Identifier: GPL-2.0-or-later
/* output.c: -o/--output: the built image also as an OCI layout tar
 * (type=oci: oci-layout, index.json, the image's blobs), a tar of its
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
#include "tarwrite.h"

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
		else if (!strcmp(f, "type") && !strcmp(v, "tar"))
			out->type = BF_OUT_TAR;
		else if (!strcmp(f, "type") && !strcmp(v, "local"))
			out->type = BF_OUT_LOCAL;
		else if (!strcmp(f, "type"))
			return dk_usage_error("-o type=%s: not supported (oci, tar or local)", v);
		else if (!strcmp(f, "dest"))
			snprintf(out->dest, sizeof(out->dest), "%s", v);
		else
			return dk_usage_error("-o %s: unknown key \"%s\" (type, dest)", text, f);
	}
	if (out->type == BF_OUT_NONE || !out->dest[0])
		return dk_usage_error("-o %s: want type=oci|tar|local,dest=PATH", text);
	if (out->type == BF_OUT_LOCAL && !strcmp(out->dest, "-"))
		return dk_usage_error("-o type=local: dest must be a directory");
	return 0;
}

static int64_t epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");

	return s && *s ? strtoll(s, NULL, 10) : 0;
}

/* --- type=oci ----------------------------------------------------------- */

static int tar_bytes(struct dk_tar_writer *w, const char *name, const char *buf, struct dk_err *err)
{
	struct dk_tar_entry e = {.name = name,
				 .type = DK_TAR_REG,
				 .mode = 0644,
				 .size = (int64_t)strlen(buf),
				 .mtime = epoch()};

	if (dk_tar_write_header(w, &e, err) < 0)
		return -1;
	return dk_tar_write_data(w, buf, strlen(buf), err);
}

static int tar_dir(struct dk_tar_writer *w, const char *name, struct dk_err *err)
{
	struct dk_tar_entry e = {.name = name, .type = DK_TAR_DIR, .mode = 0755, .mtime = epoch()};

	return dk_tar_write_header(w, &e, err);
}

static int tar_blob(struct bf_build *b, struct dk_tar_writer *w, const struct dk_digest *d,
		    struct dk_err *err)
{
	cleanup_free char *path = dk_store_blob_path(&b->store, d);
	char name[160];
	struct stat sb;
	cleanup_close int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0 || fstat(fd, &sb) < 0)
		return dk_err_sys(err, "blob %s", d->str);
	snprintf(name, sizeof(name), "blobs/sha256/%s", dk_digest_hex(d));
	struct dk_tar_entry e = {
	    .name = name, .type = DK_TAR_REG, .mode = 0644, .size = sb.st_size, .mtime = epoch()};
	return dk_tar_write_file(w, &e, fd, err);
}

static int oci_index(struct bf_build *b, const struct dk_image *img, int64_t size, char **out,
		     struct dk_err *err)
{
	const char *tag = b->o->tags && b->o->tags[0] ? b->o->tags[0] : NULL;
	int n = asprintf(
	    out,
	    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+"
	    "json\",\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld%s%s%s}]}\n",
	    img->manifest.media_type ? img->manifest.media_type : DK_MT_OCI_MANIFEST,
	    img->desc.digest.str, (long long)size,
	    tag ? ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" : "", tag ? tag : "",
	    tag ? "\"}" : "");

	return n < 0 ? dk_err_sys(err, "index.json") : 0;
}

static int write_oci(struct bf_build *b, struct dk_tar_writer *w, const char *digest,
		     struct dk_err *err)
{
	struct dk_image img;
	cleanup_free char *index = NULL, *mbuf = NULL;
	size_t mlen;
	int ret;

	if (dk_store_load_image(&b->store, digest, NULL, &img, err) < 0)
		return -1;
	ret = dk_store_read_blob(&b->store, &img.desc.digest, 8 << 20, &mbuf, &mlen, err);
	if (ret == 0)
		ret = oci_index(b, &img, (int64_t)mlen, &index, err);
	if (ret == 0)
		ret = tar_bytes(w, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}\n", err);
	if (ret == 0)
		ret = tar_bytes(w, "index.json", index, err);
	if (ret == 0)
		ret = tar_dir(w, "blobs", err) < 0 || tar_dir(w, "blobs/sha256", err) < 0 ? -1 : 0;
	if (ret == 0)
		ret = tar_blob(b, w, &img.desc.digest, err);
	if (ret == 0)
		ret = tar_blob(b, w, &img.manifest.config.digest, err);
	for (size_t i = 0; ret == 0 && i < img.manifest.n_layers; i++)
		ret = tar_blob(b, w, &img.manifest.layers[i].digest, err);
	dk_image_free(&img);
	return ret;
}

/* --- type=tar: a filesystem tree ---------------------------------------- */

static int no_dots(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

static int tar_entry(struct dk_tar_writer *w, int dirfd, const char *name, const char *path,
		     struct bf_links *l, struct dk_err *err);

static int tar_tree(struct dk_tar_writer *w, int dirfd, const char *prefix, struct bf_links *l,
		    struct dk_err *err)
{
	struct dirent **names = NULL;
	int n = scandirat(dirfd, ".", &names, no_dots, alphasort), ret = 0;

	if (n < 0)
		return dk_err_sys(err, "%s", prefix[0] ? prefix : "/");
	for (int i = 0; i < n; i++) {
		cleanup_free char *path = NULL;

		if (ret == 0 && asprintf(&path, "%s%s", prefix, names[i]->d_name) < 0)
			ret = dk_err_sys(err, "tar");
		if (ret == 0)
			ret = tar_entry(w, dirfd, names[i]->d_name, path, l, err);
		free(names[i]);
	}
	free(names);
	return ret;
}

static int tar_entry(struct dk_tar_writer *w, int dirfd, const char *name, const char *path,
		     struct bf_links *l, struct dk_err *err)
{
	struct stat sb;
	char target[4096];
	struct dk_tar_entry e = {.name = path, .uid = 0};

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "%s", path);
	e.mode = sb.st_mode & 07777;
	e.uid = sb.st_uid;
	e.gid = sb.st_gid;
	e.mtime = sb.st_mtime;
	if (S_ISDIR(sb.st_mode)) {
		cleanup_close int fd =
		    openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		cleanup_free char *sub = NULL;

		e.type = DK_TAR_DIR;
		if (fd < 0 || asprintf(&sub, "%s/", path) < 0)
			return dk_err_sys(err, "%s", path);
		return dk_tar_write_header(w, &e, err) < 0 ? -1 : tar_tree(w, fd, sub, l, err);
	}
	if (S_ISREG(sb.st_mode) && sb.st_nlink > 1) {
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].dev == sb.st_dev && l->v[i].ino == sb.st_ino) {
				e.type = DK_TAR_LINK;
				e.linkname = l->v[i].dest;
				return dk_tar_write_header(w, &e, err);
			}
		struct bf_link *v = realloc(l->v, (l->n + 1) * sizeof(*v));
		if (!v)
			return dk_err_sys(err, "tar");
		l->v = v;
		v[l->n++] =
		    (struct bf_link){.dev = sb.st_dev, .ino = sb.st_ino, .dest = strdup(path)};
	}
	if (S_ISREG(sb.st_mode)) {
		cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		e.type = DK_TAR_REG;
		e.size = sb.st_size;
		return fd < 0 ? dk_err_sys(err, "%s", path) : dk_tar_write_file(w, &e, fd, err);
	}
	if (S_ISLNK(sb.st_mode)) {
		ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

		if (n < 0)
			return dk_err_sys(err, "%s", path);
		target[n] = '\0';
		e.type = DK_TAR_SYMLINK;
		e.linkname = target;
	} else if (S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode)) {
		e.type = S_ISCHR(sb.st_mode) ? DK_TAR_CHR : DK_TAR_BLK;
		e.devmajor = major(sb.st_rdev);
		e.devminor = minor(sb.st_rdev);
	} else if (S_ISFIFO(sb.st_mode)) {
		e.type = DK_TAR_FIFO;
	} else {
		return 0; /* sockets are not archived */
	}
	return dk_tar_write_header(w, &e, err);
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
	struct bf_links links = {0};
	struct dk_err ignored;
	int ret = w ? 0 : -1;

	if (ret == 0 && b->o->output.type == BF_OUT_OCI) {
		ret = write_oci(b, w, digest, err);
	} else if (ret == 0 && (ret = unpack_image(b, digest, &bundle, &rootfs, err)) == 0) {
		cleanup_close int rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		ret = rfd < 0 ? dk_err_sys(err, "%s", rootfs) : tar_tree(w, rfd, "", &links, err);
	}
	if (ret == 0)
		ret = dk_tar_writer_finish(w, err);
	dk_tar_writer_free(w);
	bf_links_free(&links);
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
