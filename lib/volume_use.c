// SPDX-License-Identifier: GPL-2.0-or-later
/* volume_use.c: which containers use a volume (from their records), and
 * the removal of a container's anonymous volumes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "crecord.h"
#include "hostcfg.h"
#include "json.h"
#include "volume.h"

static bool mounts_volume(char *const *mounts, const char *name, bool anonymous_only)
{
	for (; mounts && *mounts; mounts++) {
		struct dk_mountspec m;
		struct dk_err err;
		if (dk_mountspec_parse(*mounts, &m, &err) == 0 && !strcmp(m.type, "volume") &&
		    !strcmp(m.source, name) && (!anonymous_only || m.anonymous))
			return true;
	}
	return false;
}

char **dk_vol_users(const char *root, const char *name, struct dk_err *err)
{
	cleanup_free char *cdir = dk_crec_dir(root);
	char **ids = cdir ? dk_crec_list(cdir, err) : NULL;
	char **users = calloc(1, sizeof(*users));

	if (!ids || !users) {
		dk_strv_free(ids);
		free(users);
		return err->msg[0] ? NULL : (dk_err_sys(err, "volume %s", name), NULL);
	}
	for (char **id = ids; *id; id++) {
		struct dk_crec r;
		struct dk_err ignore;
		if (dk_crec_load(cdir, *id, &r, &ignore) < 0)
			continue;
		if (mounts_volume(r.o.hc.mounts, name, false))
			dk_strv_push(&users, *id);
		dk_crec_free(&r);
	}
	dk_strv_free(ids);
	return users;
}

void dk_vol_remove_anonymous(const char *root, char *const *mounts, const char *id)
{
	for (char *const *s = mounts; s && *s; s++) {
		struct dk_mountspec m;
		struct dk_err err;
		char **users;
		size_t n = 0;

		if (dk_mountspec_parse(*s, &m, &err) < 0 || strcmp(m.type, "volume") ||
		    !m.anonymous)
			continue;
		users = dk_vol_users(root, m.source, &err);
		for (char **u = users; u && *u; u++)
			n += strcmp(*u, id) != 0;
		if (users && n == 0)
			dk_vol_remove(root, m.source, &err);
		dk_strv_free(users);
	}
}
