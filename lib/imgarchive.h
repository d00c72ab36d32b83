// SPDX-License-Identifier: GPL-2.0-or-later
/* imgarchive.h: images of the store as one tar, the format `docker save`
 * writes since docker 25: an OCI image layout (oci-layout, index.json,
 * blobs/sha256/...) that is also a docker archive (manifest.json naming
 * each image's config, tags and layer blobs). docker load, podman load and
 * skopeo (docker-archive: and oci-archive:) read it. */
#ifndef DK_IMGARCHIVE_H
#define DK_IMGARCHIVE_H

#include <stdint.h>
#include "store.h"
#include "tarwrite.h"

/* One image to write: what the user named it by and what it resolved to. */
struct dk_archive_image {
	struct dk_image img;
	char *full_name; /* "docker.io/library/busybox:latest", NULL: by id */
	char *repo_tag;	 /* docker's RepoTags entry "busybox:latest", or NULL */
	char *ref_name;	 /* the tag alone, for org.opencontainers.image.ref.name */
};

/* Resolve what (a name, digest or image id) in s into a. */
int dk_archive_image_load(struct dk_store *s, const char *what, struct dk_archive_image *a,
			  struct dk_err *err);
void dk_archive_image_free(struct dk_archive_image *a);
/* Name a by ref (a reference with a tag; ids and digests name nothing):
 * its RepoTags entry and index.json annotations. */
int dk_archive_image_name(struct dk_archive_image *a, const char *ref);

/* Write the n images to w, each blob once, every entry dated mtime. The
 * caller finishes the tar. */
int dk_archive_write(struct dk_store *s, struct dk_tar_writer *w, const struct dk_archive_image *v,
		     size_t n, int64_t mtime, struct dk_err *err);

#endif
