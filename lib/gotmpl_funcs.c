// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_funcs.c: the function table and text/template's builtins: and,
 * or, not, len, index and the comparisons. */
#include <string.h>
#include "gotmpl_int.h"
#include "gotmpl_funcs.h"

int tfn_arity(struct texec *x, const char *name, size_t n, size_t min, size_t max)
{
	if (n < min && min == max)
		return dk_err_set(x->err, "wrong number of args for %s: want %zu got %zu", name,
				  min, n);
	if (n < min)
		return dk_err_set(x->err, "wrong number of args for %s: want at least %zu got %zu",
				  name, min, n);
	if (n > max)
		return dk_err_set(x->err, "wrong number of args for %s: want %zu got %zu", name,
				  max, n);
	return 0;
}

static int fn_and(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	size_t i = 0;

	if (tfn_arity(x, "and", n, 1, TMPL_MAX_ARGS + 1) < 0)
		return -1;
	while (i + 1 < n && tval_truth(&a[i]))
		i++;
	*res = a[i];
	return 0;
}

static int fn_or(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	size_t i = 0;

	if (tfn_arity(x, "or", n, 1, TMPL_MAX_ARGS + 1) < 0)
		return -1;
	while (i + 1 < n && !tval_truth(&a[i]))
		i++;
	*res = a[i];
	return 0;
}

static int fn_not(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	if (tfn_arity(x, "not", n, 1, 1) < 0)
		return -1;
	res->k = TV_BOOL;
	res->b = !tval_truth(&a[0]);
	return 0;
}

static int fn_len(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	bool missing;
	const char *s;
	enum dk_json_type t;

	if (tfn_arity(x, "len", n, 1, 1) < 0)
		return -1;
	t = tval_type(&a[0], &missing);
	res->k = TV_INT;
	if (tval_as_str(&a[0], &s))
		res->i = (int64_t)strlen(s);
	else if (t == DK_JSON_ARRAY || t == DK_JSON_OBJECT)
		res->i = (int64_t)tval_len(&a[0]);
	else
		return dk_err_set(x->err, "error calling len: len of %s",
				  missing || t == DK_JSON_NULL ? "untyped nil" : "type");
	return 0;
}

/* a map[string]string's missing key gives "" in docker (Labels,
 * Options); other objects give no value */
static struct tval missing_key(const struct dk_json *obj)
{
	struct tval v = {.k = TV_STR, .s = ""};

	for (size_t i = 0; i < dk_json_len(obj); i++)
		if (dk_json_type(dk_json_at(obj, i)) != DK_JSON_STRING)
			return tval_json(NULL);
	return v;
}

static int index_one(struct texec *x, struct tval *item, const struct tval *key)
{
	bool missing, is_int;
	enum dk_json_type t = tval_type(item, &missing);
	const char *s;
	int64_t i;
	double d;

	if (t == DK_JSON_OBJECT && tval_as_str(key, &s)) {
		const struct dk_json *f = dk_json_get(item->j, s);

		*item = f ? tval_json(f) : missing_key(item->j);
		return 0;
	}
	if (t == DK_JSON_ARRAY && tval_as_num(key, &d, &i, &is_int) && is_int) {
		if (i < 0 || (size_t)i >= tval_len(item))
			return dk_err_set(x->err, "error calling index: index out of range: %lld",
					  (long long)i);
		*item = tval_elem(item, (size_t)i);
		return 0;
	}
	if (missing || t == DK_JSON_NULL)
		return dk_err_set(x->err, "error calling index: index of untyped nil");
	if (t == DK_JSON_OBJECT || t == DK_JSON_ARRAY)
		return dk_err_set(x->err, "error calling index: cannot index %s with %s",
				  tval_typename(item), tval_typename(key));
	return dk_err_set(x->err, "error calling index: can't index item of type %s",
			  tval_typename(item));
}

static int fn_index(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	if (tfn_arity(x, "index", n, 1, TMPL_MAX_ARGS + 1) < 0)
		return -1;
	*res = a[0];
	for (size_t i = 1; i < n; i++)
		if (index_one(x, res, &a[i]) < 0)
			return -1;
	return 0;
}

static int compare(struct texec *x, const char *name, struct tval *a, size_t n, int *cmp)
{
	int rc;

	if (tfn_arity(x, name, n, 2, 2) < 0)
		return -1;
	rc = tmpl_compare(x, &a[0], &a[1], cmp, false);
	if (rc < 0)
		return dk_err_wrap(x->err, "error calling %s", name);
	return 0;
}

static int fn_eq(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	int cmp;

	if (n == 1)
		return dk_err_set(x->err, "error calling eq: missing argument for comparison");
	if (tfn_arity(x, "eq", n, 2, TMPL_MAX_ARGS + 1) < 0)
		return -1;
	res->k = TV_BOOL;
	for (size_t i = 1; i < n && !res->b; i++) {
		int rc = tmpl_compare(x, &a[0], &a[i], &cmp, true);

		if (rc < 0)
			return dk_err_wrap(x->err, "error calling eq");
		res->b = rc == 0 && cmp == 0;
	}
	return 0;
}

static int fn_ne(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	int rc, cmp;

	if (tfn_arity(x, "ne", n, 2, 2) < 0)
		return -1;
	if ((rc = tmpl_compare(x, &a[0], &a[1], &cmp, true)) < 0)
		return dk_err_wrap(x->err, "error calling ne");
	res->k = TV_BOOL;
	res->b = rc == 1 || cmp != 0;
	return 0;
}

#define ORDER_FN(fname, op)                                                                \
	static int fn_##fname(struct texec *x, struct tval *a, size_t n, struct tval *res) \
	{                                                                                  \
		int cmp;                                                                   \
		if (compare(x, #fname, a, n, &cmp) < 0)                                    \
			return -1;                                                         \
		res->k = TV_BOOL;                                                          \
		res->b = cmp op 0;                                                         \
		return 0;                                                                  \
	}
ORDER_FN(lt, <)
ORDER_FN(le, <=)
ORDER_FN(gt, >)
ORDER_FN(ge, >=)

static const struct {
	const char *name;
	tfunc_fn fn;
} funcs[] = {
    {"and", fn_and},
    {"or", fn_or},
    {"not", fn_not},
    {"len", fn_len},
    {"index", fn_index},
    {"eq", fn_eq},
    {"ne", fn_ne},
    {"lt", fn_lt},
    {"le", fn_le},
    {"gt", fn_gt},
    {"ge", fn_ge},
    {"print", tmpl_fn_print},
    {"printf", tmpl_fn_printf},
    {"println", tmpl_fn_println},
    {"json", tmpl_fn_json},
    {"join", tmpl_fn_join},
    {"split", tmpl_fn_split},
    {"lower", tmpl_fn_lower},
    {"upper", tmpl_fn_upper},
    {"title", tmpl_fn_title},
    {"truncate", tmpl_fn_truncate},
    {"pad", tmpl_fn_pad},
};

tfunc_fn tmpl_func_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++)
		if (strcmp(funcs[i].name, name) == 0)
			return funcs[i].fn;
	return NULL;
}
