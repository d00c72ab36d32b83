// SPDX-License-Identifier: GPL-2.0-or-later
/* jsongen.c: JSON generation through yajl_gen, with sticky errors so callers
 * write a document straight through and check once at the end. */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "json.h"

struct dk_jgen {
	yajl_gen gen;
	yajl_gen_status status; /* first failure, yajl_gen_status_ok if none */
};

static void jgen_note(struct dk_jgen *g, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok && g->status == yajl_gen_status_ok)
		g->status = st;
}

struct dk_jgen *dk_jgen_new(bool pretty)
{
	struct dk_jgen *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->gen = yajl_gen_alloc(NULL);
	if (!g->gen) {
		free(g);
		return NULL;
	}
	if (pretty) {
		yajl_gen_config(g->gen, yajl_gen_beautify, 1);
		yajl_gen_config(g->gen, yajl_gen_indent_string, "  ");
	}
	return g;
}

void dk_jgen_free(struct dk_jgen *g)
{
	if (!g)
		return;
	yajl_gen_free(g->gen);
	free(g);
}

void dk_jgen_map_open(struct dk_jgen *g)
{
	jgen_note(g, yajl_gen_map_open(g->gen));
}
void dk_jgen_map_close(struct dk_jgen *g)
{
	jgen_note(g, yajl_gen_map_close(g->gen));
}
void dk_jgen_array_open(struct dk_jgen *g)
{
	jgen_note(g, yajl_gen_array_open(g->gen));
}
void dk_jgen_array_close(struct dk_jgen *g)
{
	jgen_note(g, yajl_gen_array_close(g->gen));
}
void dk_jgen_null(struct dk_jgen *g)
{
	jgen_note(g, yajl_gen_null(g->gen));
}
void dk_jgen_bool(struct dk_jgen *g, bool v)
{
	jgen_note(g, yajl_gen_bool(g->gen, v));
}

void dk_jgen_strn(struct dk_jgen *g, const char *s, size_t n)
{
	jgen_note(g, yajl_gen_string(g->gen, (const unsigned char *)s, n));
}

void dk_jgen_str(struct dk_jgen *g, const char *s)
{
	if (!s)
		dk_jgen_null(g);
	else
		dk_jgen_strn(g, s, strlen(s));
}

void dk_jgen_int(struct dk_jgen *g, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);

	jgen_note(g, yajl_gen_number(g->gen, buf, n));
}

void dk_jgen_uint(struct dk_jgen *g, uint64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	jgen_note(g, yajl_gen_number(g->gen, buf, n));
}

void dk_jgen_kstr(struct dk_jgen *g, const char *key, const char *s)
{
	dk_jgen_str(g, key);
	dk_jgen_str(g, s);
}

void dk_jgen_kint(struct dk_jgen *g, const char *key, int64_t v)
{
	dk_jgen_str(g, key);
	dk_jgen_int(g, v);
}

void dk_jgen_kbool(struct dk_jgen *g, const char *key, bool v)
{
	dk_jgen_str(g, key);
	dk_jgen_bool(g, v);
}

void dk_jgen_strv(struct dk_jgen *g, char *const *v)
{
	dk_jgen_array_open(g);
	for (size_t i = 0; v && v[i]; i++)
		dk_jgen_str(g, v[i]);
	dk_jgen_array_close(g);
}

void dk_jgen_value(struct dk_jgen *g, const struct dk_json *v)
{
	yajl_val y = (yajl_val)v;

	if (!y) {
		dk_jgen_null(g);
		return;
	}
	switch (y->type) {
	case yajl_t_string: dk_jgen_str(g, y->u.string); break;
	case yajl_t_number:
		jgen_note(g, yajl_gen_number(g->gen, y->u.number.r, strlen(y->u.number.r)));
		break;
	case yajl_t_true: dk_jgen_bool(g, true); break;
	case yajl_t_false: dk_jgen_bool(g, false); break;
	case yajl_t_array:
		dk_jgen_array_open(g);
		for (size_t i = 0; i < y->u.array.len; i++)
			dk_jgen_value(g, (struct dk_json *)y->u.array.values[i]);
		dk_jgen_array_close(g);
		break;
	case yajl_t_object:
		dk_jgen_map_open(g);
		dk_jgen_members_except(g, v, NULL);
		dk_jgen_map_close(g);
		break;
	default: dk_jgen_null(g); break;
	}
}

static bool in_list(const char *key, const char *const *list)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

void dk_jgen_members_except(struct dk_jgen *g, const struct dk_json *v, const char *const *skip)
{
	for (size_t i = 0; i < dk_json_len(v); i++) {
		const char *key = dk_json_key_at(v, i);

		if (!key || in_list(key, skip))
			continue;
		dk_jgen_str(g, key);
		dk_jgen_value(g, dk_json_at(v, i));
	}
}

int dk_jgen_finish(struct dk_jgen *g, const char **buf, size_t *len, struct dk_err *err)
{
	const unsigned char *out;

	if (g->status != yajl_gen_status_ok)
		return dk_err_set(err, "generating JSON: yajl status %d", (int)g->status);
	if (yajl_gen_get_buf(g->gen, &out, len) != yajl_gen_status_ok)
		return dk_err_set(err, "generating JSON: incomplete document");
	*buf = (const char *)out;
	return 0;
}

int dk_jgen_finish_dup(struct dk_jgen *g, char **buf, size_t *len, struct dk_err *err)
{
	const char *b;
	int ret = dk_jgen_finish(g, &b, len, err);

	if (ret == 0) {
		*buf = malloc(*len + 1);
		if (!*buf) {
			ret = dk_err_sys(err, "generating JSON");
		} else {
			memcpy(*buf, b, *len);
			(*buf)[*len] = '\0';
		}
	}
	dk_jgen_free(g);
	return ret;
}
