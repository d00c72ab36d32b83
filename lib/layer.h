// SPDX-License-Identifier: GPL-2.0-or-later
/* layer.h: applying one image layer (a tar stream, plain, gzip or zstd,
 * detected from its bytes) to a directory, every path resolved inside it.
 * Shared by unpack (bundles) and snapshot (the layer cache).
 *
 * Hostile input: entry names and hardlink targets are confined (resolved
 * as if the directory were "/": "../" at the top stays at the top, symlinks
 * are followed only inside it); whiteouts naming "", "." or "..", hardlinks
 * to directories and entries that would replace the root with a
 * non-directory are rejected. */
#ifndef DK_LAYER_H
#define DK_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "digest.h"

enum dk_whiteout_mode {
	DK_WHITEOUT_APPLY,   /* .wh. entries delete from the directory */
	DK_WHITEOUT_OVERLAY, /* become overlayfs whiteouts / opaque dirs */
};

/* One line of an id map: container ids [inside, inside+count) are stored
 * on disk as [outside, outside+count). */
struct dk_idmap {
	uint32_t inside, outside, count;
};

struct dk_layer_opts {
	enum dk_whiteout_mode whiteouts;
	bool rootless;	  /* no devices (warn), no chown to other ids,
				   directories keep u+rwx, xattrs the caller
				   may not set are warned about, and
				   user.overlay.* xattrs */
	bool userns_root; /* with rootless: root of a user namespace, so
			     owners are applied (and must be mapped in it)
			     and directories keep their modes */
	/* When set, the bytes read (compressed, as stored) and the
	 * uncompressed tar must hash to these; a mismatch fails the apply. */
	const struct dk_digest *digest;
	const struct dk_digest *diff_id;
	const char *what; /* names the layer in errors */
	/* Optional id maps (ignored when rootless); an owner outside a
	 * given map fails the apply. */
	const struct dk_idmap *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;
	/* Overlay mode: read-only lower layer directories, topmost first,
	 * searched for the target of a hardlink not found in this layer
	 * (the file is then copied, as a link cannot cross layers). */
	const int *lower_fds;
	size_t n_lower;
	/* Warnings (skipped devices, unsupported xattrs); NULL prints
	 * "tool: warning: ..." on stderr. */
	void (*warn)(void *arg, const char *msg);
	void *warn_arg;
};

struct dk_layer_stats {
	uint64_t entries, bytes;  /* entries applied, file bytes written */
	uint64_t skipped;	  /* entries skipped with a warning */
	struct dk_digest digest;  /* of the bytes read, as stored */
	struct dk_digest diff_id; /* sha256 of the uncompressed tar */
};

/* Apply the layer read from fd to the directory rootfd. stats may be NULL. */
int dk_layer_apply(int rootfd, int fd, const struct dk_layer_opts *opts,
		   struct dk_layer_stats *stats, struct dk_err *err);

/* Whiteouts (pure; lib/whiteout.c). */
#define DK_WH_PREFIX	  ".wh."
#define DK_WH_OPAQUE_NAME ".wh..wh..opq"

enum dk_wh_kind {
	DK_WH_NONE,    /* an ordinary entry */
	DK_WH_FILE,    /* ".wh.NAME": target is the path of NAME */
	DK_WH_OPAQUE,  /* ".wh..wh..opq": target is its directory */
	DK_WH_INVALID, /* ".wh.", ".wh..", ".wh...": names nothing valid */
};

/* Classify a cleaned absolute entry path ("/a/.wh.b") and write the
 * path it acts on into target ("/a/b"; "/a" for an opaque marker). */
enum dk_wh_kind dk_whiteout_parse(const char *path, char *target, size_t size);

/* The OCI whiteout name for name (".wh." + name); -1 if it does not fit
 * or name is not a single valid component. */
int dk_whiteout_name(const char *name, char *out, size_t size);

/* The overlayfs xattr names: "trusted.overlay.opaque" or, rootless (user
 * namespace, userxattr mounts), "user.overlay.opaque". */
const char *dk_overlay_opaque_xattr(bool rootless);
/* True for xattrs a layer may not set (they would steer overlayfs). */
bool dk_overlay_xattr_reserved(const char *name);

/* Parse "C:H:N" into an id map line; -1 with err on bad input. */
int dk_idmap_parse(const char *s, struct dk_idmap *out, struct dk_err *err);
/* Map a container id through map (n lines); -1 when it is not mapped.
 * An empty map is the identity. */
int dk_idmap_map(const struct dk_idmap *map, size_t n, uint32_t id, uint32_t *out);

#endif
