// SPDX-License-Identifier: GPL-2.0-or-later
/* kv.h: JSON objects <-> key/value and key vectors (see oci.h for get/set). */
#ifndef DK_KV_H
#define DK_KV_H

#include "json.h"

/* {"k":"v",...} -> k, v, ..., NULL; NULL obj gives an empty vector. */
char **dk_kv_from_json(const struct dk_json *obj, const char *what, struct dk_err *err);
/* {"k":{},...} -> k, ..., NULL */
char **dk_keys_from_json(const struct dk_json *obj, const char *what, struct dk_err *err);
void dk_jgen_kv(struct dk_jgen *g, char *const *kv);
void dk_jgen_keys(struct dk_jgen *g, char *const *keys);

#endif
