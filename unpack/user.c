// SPDX-License-Identifier: GPL-2.0-or-later
/* user.c: the image's User resolved against the rootfs (lib/userfs.c). */
#include "userspec.h"
#include "unpack.h"

int unpack_resolve_user(const struct dk_image *img, int rootfd, struct dk_user *u,
			struct dk_err *err)
{
	return dk_user_resolve_at(img->config.config.user, rootfd, u, err);
}
