// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_value.c: template values over the JSON tree: kinds, truth, length,
 * elements, and printing as Go's fmt prints them (map[k:v], [a b],
 * <no value>). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl_int.h"

#define PRINT_MAX_DEPTH 200

struct tval tval_json(const struct dk_json *j)
{
	struct tval v = {.k = j ? TV_JSON : TV_MISSING, .j = j};

	return v;
}

char *tval_keep(struct texec *x, char *s)
{
	if (!s)
		abort(); /* out of memory */
	tval_keep_n(x, s, strlen(s) + 1);
	return s;
}

void tval_keep_n(struct texec *x, void *p, size_t n)
{
	if (x->n_arena == x->cap_arena) {
		x->cap_arena = x->cap_arena ? 2 * x->cap_arena : 16;
		x->arena = realloc(x->arena, x->cap_arena * sizeof(*x->arena));
		if (!x->arena)
			abort();
	}
	x->arena[x->n_arena++] = p;
	x->bytes += (long)(n + sizeof(void *));
}

/* the JSON type a value has; *missing for Go's invalid value */
enum dk_json_type tval_type(const struct tval *v, bool *missing)
{
	*missing = false;
	switch (v->k) {
	case TV_MISSING: *missing = true; return DK_JSON_NULL;
	case TV_JSON: return dk_json_type(v->j);
	case TV_STR: return DK_JSON_STRING;
	case TV_INT: return DK_JSON_NUMBER;
	case TV_BOOL: return DK_JSON_BOOL;
	case TV_STRV: return DK_JSON_ARRAY;
	}
	return DK_JSON_NULL;
}

bool tval_as_str(const struct tval *v, const char **s)
{
	if (v->k == TV_STR) {
		*s = v->s;
		return true;
	}
	if (v->k == TV_JSON && dk_json_type(v->j) == DK_JSON_STRING) {
		*s = dk_json_str(v->j);
		return true;
	}
	return false;
}

/* a number as int64 when it is one (*is_int), else as a double */
bool tval_as_num(const struct tval *v, double *d, int64_t *i, bool *is_int)
{
	if (v->k == TV_INT) {
		*i = v->i;
		*d = (double)v->i;
		*is_int = true;
		return true;
	}
	if (v->k != TV_JSON || dk_json_type(v->j) != DK_JSON_NUMBER)
		return false;
	*is_int = dk_json_int64(v->j, i) == 0;
	*d = *is_int ? (double)*i : strtod(dk_json_number_text(v->j), NULL);
	return true;
}

size_t tval_len(const struct tval *v)
{
	if (v->k == TV_STRV) {
		size_t n = 0;

		while (v->sv[n])
			n++;
		return n;
	}
	return v->k == TV_JSON ? dk_json_len(v->j) : 0;
}

struct tval tval_elem(const struct tval *v, size_t i)
{
	struct tval e = {.k = TV_STR};

	if (v->k == TV_STRV) {
		e.s = v->sv[i];
		return e;
	}
	return tval_json(dk_json_at(v->j, i));
}

bool tval_truth(const struct tval *v)
{
	bool missing;
	double d;
	int64_t i;
	bool is_int;
	const char *s;

	switch (tval_type(v, &missing)) {
	case DK_JSON_NULL: return false;
	case DK_JSON_BOOL: return v->k == TV_BOOL ? v->b : dk_json_is_true(v->j);
	case DK_JSON_NUMBER: return tval_as_num(v, &d, &i, &is_int) && d != 0;
	case DK_JSON_STRING: return tval_as_str(v, &s) && s[0];
	default: return tval_len(v) > 0;
	}
}

const char *tval_typename(const struct tval *v)
{
	static const char *const names[] = {"<nil>",  "bool",		"json.Number",
					    "string", "[]interface {}", "map[string]interface {}"};
	bool missing;
	enum dk_json_type t = tval_type(v, &missing);

	if (missing)
		return "<no value>";
	if (v->k == TV_INT)
		return "int";
	if (v->k == TV_STRV)
		return "[]string";
	return names[t];
}

bool tval_struct_like(const struct dk_json *obj)
{
	size_t n = dk_json_len(obj);

	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)dk_json_key_at(obj, i)[0]))
			return false;
	return n > 0;
}

static int cmp_keys(const void *a, const void *b, void *obj)
{
	return strcmp(dk_json_key_at(obj, *(const size_t *)a),
		      dk_json_key_at(obj, *(const size_t *)b));
}

/* member indexes of obj in Go's map order (sorted keys); returns the
 * count, *order malloc'd */
int tval_sorted_keys(const struct dk_json *obj, size_t **order)
{
	size_t n = dk_json_len(obj);

	*order = calloc(n ? n : 1, sizeof(size_t));
	if (!*order)
		abort();
	for (size_t i = 0; i < n; i++)
		(*order)[i] = i;
	qsort_r(*order, n, sizeof(size_t), cmp_keys, (void *)obj);
	return (int)n;
}

static int print_json(struct texec *x, FILE *f, const struct dk_json *j, int depth);

static int print_obj(struct texec *x, FILE *f, const struct dk_json *j, int depth)
{
	size_t *order;
	int n = tval_sorted_keys(j, &order), rc = 0;

	fputs("map[", f);
	for (int i = 0; i < n && rc == 0; i++) {
		fprintf(f, "%s%s:", i ? " " : "", dk_json_key_at(j, order[i]));
		rc = print_json(x, f, dk_json_at(j, order[i]), depth + 1);
	}
	fputc(']', f);
	free(order);
	return rc;
}

static int print_json(struct texec *x, FILE *f, const struct dk_json *j, int depth)
{
	if (depth > PRINT_MAX_DEPTH)
		return dk_err_set(x->err, "value nested too deeply to print (limit %d)",
				  PRINT_MAX_DEPTH);
	switch (dk_json_type(j)) {
	case DK_JSON_NULL: fputs("<nil>", f); return 0;
	case DK_JSON_BOOL: fputs(dk_json_is_true(j) ? "true" : "false", f); return 0;
	case DK_JSON_NUMBER: fputs(dk_json_number_text(j), f); return 0;
	case DK_JSON_STRING: fputs(dk_json_str(j), f); return 0;
	case DK_JSON_ARRAY:
		fputc('[', f);
		for (size_t i = 0; i < dk_json_len(j); i++) {
			if (i)
				fputc(' ', f);
			if (print_json(x, f, dk_json_at(j, i), depth + 1) < 0)
				return -1;
		}
		fputc(']', f);
		return 0;
	case DK_JSON_OBJECT: return print_obj(x, f, j, depth);
	}
	return 0;
}

/* v as Go's fmt.Print shows it; top: a null is <no value> there, as Go's
 * pipelines turn a nil interface into no value */
int tval_print(struct texec *x, FILE *f, const struct tval *v, bool top)
{
	switch (v->k) {
	case TV_MISSING: fputs("<no value>", f); return 0;
	case TV_STR: fputs(v->s, f); return 0;
	case TV_INT: fprintf(f, "%" PRId64, v->i); return 0;
	case TV_BOOL: fputs(v->b ? "true" : "false", f); return 0;
	case TV_STRV:
		fputc('[', f);
		for (size_t i = 0; v->sv[i]; i++)
			fprintf(f, "%s%s", i ? " " : "", v->sv[i]);
		fputc(']', f);
		return 0;
	case TV_JSON:
		if (top && dk_json_type(v->j) == DK_JSON_NULL) {
			fputs("<no value>", f);
			return 0;
		}
		return print_json(x, f, v->j, 0);
	}
	return 0;
}
