// SPDX-License-Identifier: GPL-2.0-or-later
/* userspec.h: resolving an image's User ("name", "uid", "uid:gid",
 * "name:group", ...) against the contents of a rootfs's /etc/passwd and
 * /etc/group, as docker does (pure: the caller reads the files). */
#ifndef DK_USERSPEC_H
#define DK_USERSPEC_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define DK_USER_MAX_GROUPS 64

struct dk_user {
	uint32_t uid, gid;
	uint32_t groups[DK_USER_MAX_GROUPS]; /* supplementary gids */
	size_t n_groups;
	char home[256]; /* "/" when unknown */
	char name[256]; /* the passwd name, "" when not found */
};

/* Resolve spec ("" means root) with passwd and group (NUL-terminated file
 * contents, either may be NULL when the file is missing). A name that is
 * not found is an error; a numeric id needs no entry. Supplementary
 * groups come from /etc/group memberships when spec names no group. */
int dk_user_resolve(const char *spec, const char *passwd, const char *group, struct dk_user *out,
		    struct dk_err *err);

/* True when spec has a part that is a name, not a number (then resolving
 * needs the files). */
int dk_user_needs_files(const char *spec);

/* Resolve spec (NULL or "" means root) against the /etc/passwd and
 * /etc/group of the rootfs at rootfd, opened with confined resolution
 * (userfs.c). rootfd < 0: no files. */
int dk_user_resolve_at(const char *spec, int rootfd, struct dk_user *u, struct dk_err *err);

#endif
