// SPDX-License-Identifier: GPL-2.0-or-later
/* volume.h: named volumes, $DK_ROOT/volumes/NAME/ holding _data (what
 * containers mount) and meta.json (creation time, labels, whether it is
 * anonymous). Shared by `container` (run -v, volume commands, rm -v) and
 * `monitor` (--rm removes a container's anonymous volumes). */
#ifndef DK_VOLUME_H
#define DK_VOLUME_H

#include <stdbool.h>
#include "err.h"

/* Create volume name unless it exists (*created says which); labels
 * "k=v" may be NULL. */
int dk_vol_create(const char *root, const char *name, bool anonymous, char *const *labels,
		  bool *created, struct dk_err *err);
/* "ROOT/volumes/NAME/_data" (malloc'd). */
char *dk_vol_data(const char *root, const char *name);
/* Does it exist? */
bool dk_vol_exists(const char *root, const char *name);
/* Remove it (the caller checked it is unused). */
int dk_vol_remove(const char *root, const char *name, struct dk_err *err);
/* Every volume's name, sorted (NULL-terminated; dk_strv_free). */
char **dk_vol_list(const char *root, struct dk_err *err);
/* The ids of the containers whose record mounts volume name. */
char **dk_vol_users(const char *root, const char *name, struct dk_err *err);
/* Remove the anonymous volumes among mounts (a record's normalised
 * --mount texts) that no other container uses. */
void dk_vol_remove_anonymous(const char *root, char *const *mounts, const char *id);

#endif
