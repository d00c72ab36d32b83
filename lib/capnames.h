// SPDX-License-Identifier: GPL-2.0-or-later
/* capnames.h: Linux capability names (no libcap: names only), for the
 * flags that take them (--cap-add, --cap-drop) and generated configs. */
#ifndef DK_CAPNAMES_H
#define DK_CAPNAMES_H

#include <stdbool.h>
#include <stddef.h>

/* Every capability the kernel knows, CAP_CHOWN (0) .. CAP_CHECKPOINT_RESTORE
 * (40), NULL-terminated. */
extern const char *const dk_cap_names[];
/* docker's default set (a container without --cap-add/--cap-drop). */
extern const char *const dk_cap_default[];
/* "net_admin", "NET_ADMIN", "CAP_NET_ADMIN" -> the table's "CAP_NET_ADMIN";
 * "ALL"/"all" -> "ALL"; NULL when unknown. */
const char *dk_cap_canon(const char *name);

#endif
