// SPDX-License-Identifier: GPL-2.0-or-later
/* mount.h: RUN --mount: the parsed specs (type=cache, bind, tmpfs,
 * secret, ssh) and the mounts one RUN gets in its config.json, with what must
 * be undone after it (cache locks, snapshots of --from sources, secret
 * files, the mount points the runtime made in the rootfs). */
#ifndef BUILDFILE_MOUNT_H
#define BUILDFILE_MOUNT_H

#include <stdbool.h>
#include "build.h"

enum bf_mount_type { BF_MOUNT_BIND, BF_MOUNT_CACHE, BF_MOUNT_TMPFS, BF_MOUNT_SECRET, BF_MOUNT_SSH };

struct bf_mount_spec {
	enum bf_mount_type type;
	char *target, *source, *from, *id, *sharing, *env;
	bool rw, required;
	long long uid, gid, mode, size; /* -1: not given */
};

/* Parse one --mount value ("type=cache,target=/c,sharing=locked"). */
int bf_mount_parse(const char *text, struct bf_mount_spec *out, struct dk_err *err);
void bf_mount_spec_free(struct bf_mount_spec *m);

/* One mount of the build container (an OCI runtime-spec mount). */
struct bf_mount {
	char *type, *source, *dest;
	char **options;
};

/* The mounts of one RUN and their cleanup. */
struct bf_mounts {
	struct bf_mount *v;
	size_t n;
	int *locks; /* held cache locks */
	size_t n_locks;
	char **snaps;	 /* snapshot keys of --from sources */
	char *tmpdir;	 /* secrets and here-document scripts, host side */
	char **stubs;	 /* mount points to remove from the rootfs afterwards, */
	char **stub_top; /* each down to the topmost directory made for it */
	char **env;	 /* secrets given as environment variables, "K=V" */
	int n_ssh;	 /* type=ssh mounts so far (ssh_agent.N) */
};

/* The mounts in's --mount flags ask for (expanded with st's args). */
int bf_mounts_prepare(struct bf_build *b, struct bf_stage *st, struct bf_stage *stages,
		      size_t n_stages, const struct dk_df_instr *in, const char *key,
		      struct bf_mounts *out, struct dk_err *err);
/* A read-only bind of the host file src at dest. */
int bf_mounts_add_bind(struct bf_mounts *m, const char *src, const char *dest, struct dk_err *err);
/* A read-only file mount of data at dest (a here-document script). */
int bf_mounts_add_file(struct bf_build *b, struct bf_mounts *m, const char *key, const char *name,
		       const char *data, const char *dest, struct dk_err *err);
/* Before the run: remember which mount points do not exist in rootfd. */
int bf_mounts_note_stubs(struct bf_mounts *m, int rootfd, struct dk_err *err);
/* After the run: remove the mount points the runtime created. */
void bf_mounts_remove_stubs(const struct bf_mounts *m, int rootfd);
void bf_mounts_release(struct bf_build *b, struct bf_mounts *m);

#endif
