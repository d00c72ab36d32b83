// SPDX-License-Identifier: GPL-2.0-or-later
/* idmap_opt.c: --uid-map / --gid-map option values. */
#include "unpack.h"

int unpack_parse_idmap(struct unpack_opts *o, bool uid, const char *arg, struct dk_err *err)
{
	struct dk_idmap *map = uid ? o->uid_map : o->gid_map;
	size_t *n = uid ? &o->n_uid_map : &o->n_gid_map;

	if (*n >= sizeof(o->uid_map) / sizeof(o->uid_map[0]))
		return dk_err_set(err, "too many --%s-map lines", uid ? "uid" : "gid");
	if (dk_idmap_parse(arg, &map[*n], err) < 0)
		return -1;
	(*n)++;
	return 0;
}
