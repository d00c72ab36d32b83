// SPDX-License-Identifier: GPL-2.0-or-later
/* strv.c: NULL-terminated string vectors, and reading them from JSON. */
#include <stdlib.h>
#include <string.h>
#include "json.h"

void dk_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

size_t dk_strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

char **dk_strv_dup(char *const *v)
{
	size_t n = dk_strv_len(v);
	char **out = calloc(n + 1, sizeof(*out));

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		out[i] = strdup(v[i]);
		if (!out[i]) {
			dk_strv_free(out);
			return NULL;
		}
	}
	return out;
}

int dk_strv_push(char ***v, const char *s)
{
	size_t n = dk_strv_len(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(*nv));

	if (!nv)
		return -1;
	*v = nv;
	nv[n] = strdup(s);
	nv[n + 1] = NULL;
	return nv[n] ? 0 : -1;
}

bool dk_strv_contains(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

char **dk_json_strv(const struct dk_json *v, const char *what, struct dk_err *err)
{
	size_t n = dk_json_len(v);
	char **out;

	if (v && dk_json_type(v) != DK_JSON_ARRAY && dk_json_type(v) != DK_JSON_NULL) {
		dk_err_set(err, "%s: not an array of strings", what);
		return NULL;
	}
	out = calloc(n + 1, sizeof(*out));
	if (!out)
		return dk_err_sys(err, "%s", what), NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = dk_json_str(dk_json_at(v, i));

		if (!s) {
			dk_strv_free(out);
			dk_err_set(err, "%s[%zu]: not a string", what, i);
			return NULL;
		}
		out[i] = strdup(s);
		if (!out[i]) {
			dk_strv_free(out);
			return dk_err_sys(err, "%s", what), NULL;
		}
	}
	return out;
}
