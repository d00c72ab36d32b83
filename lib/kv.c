// SPDX-License-Identifier: GPL-2.0-or-later
/* kv.c: key/value string vectors (annotations, labels) and reading them
 * from JSON objects of strings. */
#include <stdlib.h>
#include <string.h>
#include "oci.h"
#include "kv.h"

const char *dk_kv_get(char *const *kv, const char *key)
{
	for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
		if (strcmp(kv[i], key) == 0)
			return kv[i + 1];
	return NULL;
}

int dk_kv_set(char ***kv, const char *key, const char *value)
{
	size_t n = dk_strv_len(*kv);
	char *v = strdup(value), *k;
	char **nkv;

	if (!v)
		return -1;
	for (size_t i = 0; i + 1 < n; i += 2) {
		if (strcmp((*kv)[i], key) == 0) {
			free((*kv)[i + 1]);
			(*kv)[i + 1] = v;
			return 0;
		}
	}
	k = strdup(key);
	nkv = realloc(*kv, (n + 3) * sizeof(char *));
	if (!k || !nkv) {
		free(k);
		free(v);
		if (nkv)
			*kv = nkv;
		return -1;
	}
	nkv[n] = k;
	nkv[n + 1] = v;
	nkv[n + 2] = NULL;
	*kv = nkv;
	return 0;
}

char **dk_kv_from_json(const struct dk_json *obj, const char *what, struct dk_err *err)
{
	size_t n = dk_json_len(obj);
	char **kv = calloc(2 * n + 1, sizeof(char *));

	if (!kv)
		return dk_err_sys(err, "%s", what), NULL;
	if (obj && dk_json_type(obj) != DK_JSON_OBJECT) {
		free(kv);
		dk_err_set(err, "%s: not an object", what);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *v = dk_json_str(dk_json_at(obj, i));

		if (!v) {
			dk_strv_free(kv);
			dk_err_set(err, "%s.%s: not a string", what, dk_json_key_at(obj, i));
			return NULL;
		}
		kv[2 * i] = strdup(dk_json_key_at(obj, i));
		kv[2 * i + 1] = strdup(v);
		if (!kv[2 * i] || !kv[2 * i + 1]) {
			dk_strv_free(kv);
			return dk_err_sys(err, "%s", what), NULL;
		}
	}
	return kv;
}

/* Object keys only ({"80/tcp":{}} -> "80/tcp"), for ports and volumes. */
char **dk_keys_from_json(const struct dk_json *obj, const char *what, struct dk_err *err)
{
	size_t n = dk_json_len(obj);
	char **v = calloc(n + 1, sizeof(char *));

	if (!v)
		return dk_err_sys(err, "%s", what), NULL;
	if (obj && dk_json_type(obj) != DK_JSON_OBJECT) {
		free(v);
		dk_err_set(err, "%s: not an object", what);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = strdup(dk_json_key_at(obj, i));
		if (!v[i]) {
			dk_strv_free(v);
			return dk_err_sys(err, "%s", what), NULL;
		}
	}
	return v;
}

void dk_jgen_kv(struct dk_jgen *g, char *const *kv)
{
	dk_jgen_map_open(g);
	for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
		dk_jgen_kstr(g, kv[i], kv[i + 1]);
	dk_jgen_map_close(g);
}

void dk_jgen_keys(struct dk_jgen *g, char *const *keys)
{
	dk_jgen_map_open(g);
	for (size_t i = 0; keys && keys[i]; i++) {
		dk_jgen_str(g, keys[i]);
		dk_jgen_map_open(g);
		dk_jgen_map_close(g);
	}
	dk_jgen_map_close(g);
}
