// SPDX-License-Identifier: GPL-2.0-or-later
/* unpack.h: the unpack tool's commands and shared pieces. */
#ifndef UNPACK_H
#define UNPACK_H

#include <stdbool.h>
#include "layer.h"
#include "store.h"

/* Options shared by the commands (set by main's global options). */
struct unpack_global {
	const char *root; /* --root */
};
extern struct unpack_global unpack_global;

int unpack_cmd_image(int argc, char **argv);
int unpack_cmd_layer(int argc, char **argv);
int unpack_cmd_config(int argc, char **argv);

/* Options of the image -> bundle command. */
struct unpack_opts {
	const char *image, *bundle, *platform;
	const char *rootfs; /* config: resolve the user against this */
	bool rootless, force;
	struct dk_idmap uid_map[8], gid_map[8];
	size_t n_uid_map, n_gid_map;
};

/* Add a --uid-map (uid true) or --gid-map line. */
int unpack_parse_idmap(struct unpack_opts *o, bool uid, const char *arg, struct dk_err *err);

/* Unpack img into o->bundle (rootfs/ + config.json), all or nothing. */
int unpack_bundle(struct dk_store *s, const struct dk_image *img, const struct unpack_opts *o,
		  struct dk_err *err);

/* Apply the image's layers into rootfd, verifying digests and diff_ids. */
int unpack_layers(struct dk_store *s, const struct dk_image *img, int rootfd,
		  const struct unpack_opts *o, struct dk_err *err);

struct dk_user;

/* Resolve the image's User against the rootfs at rootfd (its /etc/passwd
 * and /etc/group, read with confined resolution). */
int unpack_resolve_user(const struct dk_image *img, int rootfd, struct dk_user *u,
			struct dk_err *err);

/* The runtime config.json (runtime-spec 1.0) for img running as u. */
int unpack_spec(const struct dk_image *img, const struct dk_user *u, const struct unpack_opts *o,
		char **json, size_t *len, struct dk_err *err);

#endif
