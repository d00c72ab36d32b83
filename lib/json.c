// SPDX-License-Identifier: GPL-2.0-or-later
/* json.c: the yajl wall. Parsing builds a yajl tree; struct dk_json is a
 * yajl_val in disguise. Generation wraps yajl_gen with sticky errors. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <errno.h>
#include <yajl/yajl_tree.h>
#include <yajl/yajl_gen.h>
#include "json.h"

#define V(v) ((yajl_val)(v))

struct dk_json *dk_json_parse(const char *buf, size_t len, const char *what, struct dk_err *err)
{
	char errbuf[256] = "";
	char *copy = malloc(len + 1);
	yajl_val root;

	if (!copy)
		return dk_err_sys(err, "parsing %s", what), NULL;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	if (strlen(copy) != len) {
		free(copy);
		dk_err_set(err, "parsing %s: NUL byte in JSON", what);
		return NULL;
	}
	root = yajl_tree_parse(copy, errbuf, sizeof(errbuf));
	free(copy);
	if (!root) {
		/* yajl's message spans lines; keep the first */
		errbuf[strcspn(errbuf, "\n")] = '\0';
		dk_err_set(err, "parsing %s: malformed JSON: %s", what,
			   errbuf[0] ? errbuf : "parse error");
		return NULL;
	}
	return (struct dk_json *)root;
}

void dk_json_free(struct dk_json *root)
{
	if (root)
		yajl_tree_free(V(root));
}

enum dk_json_type dk_json_type(const struct dk_json *v)
{
	if (!v)
		return DK_JSON_NULL;
	switch (V(v)->type) {
	case yajl_t_string: return DK_JSON_STRING;
	case yajl_t_number: return DK_JSON_NUMBER;
	case yajl_t_object: return DK_JSON_OBJECT;
	case yajl_t_array: return DK_JSON_ARRAY;
	case yajl_t_true:
	case yajl_t_false: return DK_JSON_BOOL;
	default: return DK_JSON_NULL;
	}
}

struct dk_json *dk_json_get(const struct dk_json *v, const char *key)
{
	if (!v || !YAJL_IS_OBJECT(V(v)))
		return NULL;
	for (size_t i = 0; i < V(v)->u.object.len; i++)
		if (strcmp(V(v)->u.object.keys[i], key) == 0)
			return (struct dk_json *)V(v)->u.object.values[i];
	return NULL;
}

struct dk_json *dk_json_path(const struct dk_json *v, ...)
{
	const struct dk_json *cur = v;
	const char *key;
	va_list ap;

	va_start(ap, v);
	while (cur && (key = va_arg(ap, const char *)))
		cur = dk_json_get(cur, key);
	va_end(ap);
	return (struct dk_json *)cur;
}

const char *dk_json_str(const struct dk_json *v)
{
	return v && YAJL_IS_STRING(V(v)) ? V(v)->u.string : NULL;
}

const char *dk_json_get_str(const struct dk_json *v, const char *key)
{
	return dk_json_str(dk_json_get(v, key));
}

bool dk_json_is_true(const struct dk_json *v)
{
	return v && YAJL_IS_TRUE(V(v));
}

const char *dk_json_number_text(const struct dk_json *v)
{
	return v && YAJL_IS_NUMBER(V(v)) ? V(v)->u.number.r : NULL;
}

int dk_json_int64(const struct dk_json *v, int64_t *out)
{
	const char *s = dk_json_number_text(v);
	char *end;

	if (!s)
		return -1;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

int dk_json_uint64(const struct dk_json *v, uint64_t *out)
{
	const char *s = dk_json_number_text(v);
	char *end;

	if (!s || s[0] == '-')
		return -1;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

size_t dk_json_len(const struct dk_json *v)
{
	if (v && YAJL_IS_ARRAY(V(v)))
		return V(v)->u.array.len;
	if (v && YAJL_IS_OBJECT(V(v)))
		return V(v)->u.object.len;
	return 0;
}

struct dk_json *dk_json_at(const struct dk_json *v, size_t i)
{
	if (i >= dk_json_len(v))
		return NULL;
	if (YAJL_IS_ARRAY(V(v)))
		return (struct dk_json *)V(v)->u.array.values[i];
	return (struct dk_json *)V(v)->u.object.values[i];
}

const char *dk_json_key_at(const struct dk_json *v, size_t i)
{
	if (!v || !YAJL_IS_OBJECT(V(v)) || i >= V(v)->u.object.len)
		return NULL;
	return V(v)->u.object.keys[i];
}
