// SPDX-License-Identifier: GPL-2.0-or-later
/* snapshot.h: the layer cache ($DK_ROOT/layers/<chain id>/fs, extracted
 * once, shared) and snapshots ($DK_ROOT/snapshots/KEY: upper, work,
 * rootfs, meta.json) mounted with overlayfs or copied. */
#ifndef SNAPSHOT_SNAPSHOT_H
#define SNAPSHOT_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include "store.h"

enum snap_driver { SNAP_OVERLAY, SNAP_COPY };

struct snap_root {
	char *root;    /* $DK_ROOT */
	int layers_fd; /* $DK_ROOT/layers */
	int snaps_fd;  /* $DK_ROOT/snapshots */
	char *layers_path, *snaps_path;
};

/* A snapshot's metadata (meta.json). */
struct snap_meta {
	char *key, *image, *manifest, *created;
	enum snap_driver driver;
	char **layers; /* chain id hex of each layer, bottom first */
};

int snap_root_open(struct snap_root *r, const char *root_opt, struct dk_err *err);
void snap_root_close(struct snap_root *r);

/* Layer cache (layers.c). chains gets the chain id hex of each layer of
 * img, bottom first (NULL-terminated, caller frees). */
int snap_chain_ids(const struct dk_image *img, char ***chains, struct dk_err *err);
/* Lock the cache: shared for users, exclusive for prune; the first run to
 * find it free removes crash leftovers. Returns the lock fd. */
int snap_layers_lock(struct snap_root *r, bool exclusive, struct dk_err *err);
/* Extract every layer of img not yet in the cache, in parallel. *extracted
 * (may be NULL) gets how many were extracted now. */
int snap_layers_ensure(struct snap_root *r, struct dk_store *s, const struct dk_image *img,
		       char *const *chains, size_t *extracted, struct dk_err *err);
/* Remove cached layers that neither an image in s nor a snapshot uses. */
int snap_layers_prune(struct snap_root *r, struct dk_store *s, size_t *removed, struct dk_err *err);
/* Short lower-dir name for a cached layer ("l/0123456789ab"), made on
 * demand; relative to layers_path. */
int snap_layer_link(struct snap_root *r, const char *chain, char *out, size_t size,
		    struct dk_err *err);

/* Snapshots (snap.c). */
int snap_key_check(const char *key, struct dk_err *err);
int snap_meta_load(struct snap_root *r, const char *key, struct snap_meta *m, struct dk_err *err);
/* Make KEY's directories and meta.json in a temporary directory, then
 * rename it into place (fails if KEY exists). */
int snap_create_dirs(struct snap_root *r, const struct snap_meta *m, struct dk_err *err);
void snap_meta_free(struct snap_meta *m);
/* Keys of complete snapshots (sorted, NULL-terminated). */
char **snap_list_keys(struct snap_root *r, struct dk_err *err);
/* Path of a snapshot's part: "rootfs", "upper", ... (malloc'd). */
char *snap_path(struct snap_root *r, const char *key, const char *part);
/* Remove half-made snapshot directories of processes that died. */
void snap_clean_leftovers(struct snap_root *r);
/* rm -rf every entry of dirfd whose name match() accepts; failures are
 * warnings (cleanup of leftovers must not stop the command). */
void snap_remove_matching(int dirfd, bool (*match)(const char *name));

/* Mounting (mount.c). */
bool snap_is_mounted(struct snap_root *r, const char *key);
int snap_mount(struct snap_root *r, const struct snap_meta *m, struct dk_err *err);
int snap_umount(struct snap_root *r, const char *key, struct dk_err *err);
/* Copy driver (copy.c): fill KEY's rootfs by applying img's layers. */
int snap_copy_populate(struct snap_root *r, struct dk_store *s, const struct dk_image *img,
		       const char *key, struct dk_err *err);

/* Diff: an upper directory's changes as a layer tar on fd (diff.c); a
 * snapshot's changes, whatever its driver (copy.c for the copy driver).
 * clamp >= 0: no entry gets a later mtime (SOURCE_DATE_EPOCH);
 * mountpoints ("/etc/hosts", NULL-terminated, may be NULL): files left
 * out when they are empty regular files, the mount points an engine made
 * for files it binds over the image's (docker keeps them in an init
 * layer, never in a commit). */
struct snap_diff_opts {
	int64_t clamp;
	char *const *mountpoints;
};
int snap_diff_upper(int upper_fd, int fd, const struct snap_diff_opts *o, struct dk_err *err);
int snap_diff_copy(struct snap_root *r, const struct snap_meta *m, int rootfd, int fd,
		   const struct snap_diff_opts *o, struct dk_err *err);

/* The layer tar emitter behind both diffs (diff.c). */
struct snap_tar;
struct snap_tar *snap_tar_new(int fd, const struct snap_diff_opts *o, struct dk_err *err);
/* name in dfd as path ("a/b"): with recurse, a directory's whole subtree. */
int snap_tar_entry(struct snap_tar *t, int dfd, const char *name, const char *path, bool recurse);
/* A ".wh.name" entry in dir ("" or "a/b/"); st gives its mtime. */
int snap_tar_whiteout(struct snap_tar *t, const char *dir, const char *name, const struct stat *st);
int snap_tar_finish(struct snap_tar *t);
void snap_tar_free(struct snap_tar *t);
int snap_diff(struct snap_root *r, const struct snap_meta *m, int fd,
	      const struct snap_diff_opts *o, struct dk_err *err);

#endif
