// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_strfuncs.c: docker's template functions: json, join, split,
 * lower, upper, title, truncate, pad. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl_funcs.h"

static int want_str(struct texec *x, const char *fn, const struct tval *v, const char **s)
{
	if (tval_as_str(v, s))
		return 0;
	return dk_err_set(x->err, "error calling %s: wrong type for value; expected string; got %s",
			  fn, tval_typename(v));
}

static int want_int(struct texec *x, const char *fn, const struct tval *v, int64_t *i)
{
	bool is_int;
	double d;

	if (tval_as_num(v, &d, i, &is_int) && is_int)
		return 0;
	return dk_err_set(x->err, "error calling %s: wrong type for value; expected int; got %s",
			  fn, tval_typename(v));
}

static void str_result(struct texec *x, struct tval *res, char *s)
{
	res->k = TV_STR;
	res->s = tval_keep(x, s);
}

/* v as Go's encoding/json writes it: a map's keys sorted, a struct's
 * fields in order */
static int jgen_json(struct texec *x, struct dk_jgen *g, const struct dk_json *v, int depth)
{
	enum dk_json_type t = dk_json_type(v);
	size_t n = dk_json_len(v), *order = NULL;

	if (depth > 200)
		return dk_err_set(x->err, "error calling json: value nested too deeply");
	if (t != DK_JSON_ARRAY && t != DK_JSON_OBJECT) {
		dk_jgen_value(g, v);
		return 0;
	}
	if (t == DK_JSON_OBJECT && !tval_struct_like(v))
		tval_sorted_keys(v, &order);
	if (t == DK_JSON_ARRAY)
		dk_jgen_array_open(g);
	else
		dk_jgen_map_open(g);
	for (size_t i = 0; i < n; i++) {
		size_t k = order ? order[i] : i;

		if (t == DK_JSON_OBJECT)
			dk_jgen_str(g, dk_json_key_at(v, k));
		if (jgen_json(x, g, dk_json_at(v, k), depth + 1) < 0) {
			free(order);
			return -1;
		}
	}
	if (t == DK_JSON_ARRAY)
		dk_jgen_array_close(g);
	else
		dk_jgen_map_close(g);
	free(order);
	return 0;
}

static int jgen_tval(struct texec *x, struct dk_jgen *g, const struct tval *v)
{
	switch (v->k) {
	case TV_MISSING: dk_jgen_null(g); break;
	case TV_JSON: return jgen_json(x, g, v->j, 0);
	case TV_STR: dk_jgen_str(g, v->s); break;
	case TV_INT: dk_jgen_int(g, v->i); break;
	case TV_BOOL: dk_jgen_bool(g, v->b); break;
	case TV_STRV: dk_jgen_strv(g, v->sv); break;
	}
	return 0;
}

int tmpl_fn_json(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	struct dk_jgen *g;
	char *out = NULL;
	size_t len;

	if (tfn_arity(x, "json", n, 1, 1) < 0)
		return -1;
	g = dk_jgen_new(false);
	if (jgen_tval(x, g, &a[0]) < 0) {
		dk_jgen_free(g);
		return -1;
	}
	if (dk_jgen_finish_dup(g, &out, &len, x->err) < 0)
		return dk_err_wrap(x->err, "error calling json");
	str_result(x, res, out);
	return 0;
}

int tmpl_fn_join(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	const char *sep, *s;
	size_t len;
	char *out = NULL;
	FILE *f;
	bool missing;

	if (tfn_arity(x, "join", n, 2, 2) < 0 || want_str(x, "join", &a[1], &sep) < 0)
		return -1;
	if (tval_type(&a[0], &missing) != DK_JSON_ARRAY)
		return dk_err_set(x->err,
				  "error calling join: wrong type for value; expected "
				  "[]string; got %s",
				  tval_typename(&a[0]));
	f = open_memstream(&out, &len);
	if (!f)
		abort();
	for (size_t i = 0; i < tval_len(&a[0]); i++) {
		struct tval e = tval_elem(&a[0], i);

		if (!tval_as_str(&e, &s)) {
			fclose(f);
			free(out);
			return dk_err_set(x->err, "error calling join: wrong type for value; "
						  "expected []string; got []interface {}");
		}
		fprintf(f, "%s%s", i ? sep : "", s);
	}
	fclose(f);
	str_result(x, res, out);
	return 0;
}

/* s split at every sep (at every UTF-8 character when sep is empty) */
int tmpl_fn_split(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	const char *s, *sep, *p;
	size_t cnt = 0, seplen;
	char **v;

	if (tfn_arity(x, "split", n, 2, 2) < 0 || want_str(x, "split", &a[0], &s) < 0 ||
	    want_str(x, "split", &a[1], &sep) < 0)
		return -1;
	seplen = strlen(sep);
	v = calloc(strlen(s) + 2, sizeof(char *));
	if (!v)
		abort();
	tval_keep_n(x, v, (strlen(s) + 2) * sizeof(char *));
	for (p = s; seplen ? true : *p != '\0';) {
		const char *e = seplen ? strstr(p, sep) : p + 1;

		if (!seplen)
			while ((*e & 0xc0) == 0x80)
				e++;
		v[cnt++] = tval_keep(x, strndup(p, e ? (size_t)(e - p) : strlen(p)));
		if (!e)
			break;
		p = e + seplen;
	}
	res->k = TV_STRV;
	res->sv = v;
	return 0;
}

static int map_chars(struct texec *x, const char *fn, struct tval *a, size_t n, struct tval *res,
		     int (*conv)(int))
{
	const char *s;
	char *o;

	if (tfn_arity(x, fn, n, 1, 1) < 0 || want_str(x, fn, &a[0], &s) < 0)
		return -1;
	o = strdup(s);
	for (size_t i = 0; o && o[i]; i++)
		o[i] = (char)conv((unsigned char)o[i]);
	str_result(x, res, o);
	return 0;
}

int tmpl_fn_lower(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	return map_chars(x, "lower", a, n, res, tolower);
}

int tmpl_fn_upper(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	return map_chars(x, "upper", a, n, res, toupper);
}

/* the first letter of each word upper-cased (Go's strings.Title) */
int tmpl_fn_title(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	const char *s;
	char *o;
	bool sep = true;

	if (tfn_arity(x, "title", n, 1, 1) < 0 || want_str(x, "title", &a[0], &s) < 0)
		return -1;
	o = strdup(s);
	for (size_t i = 0; o && o[i]; i++) {
		unsigned char c = (unsigned char)o[i];

		if (sep && islower(c))
			o[i] = (char)toupper(c);
		sep = c < 0x80 && !isalnum(c) && c != '_' && c != '\'';
	}
	str_result(x, res, o);
	return 0;
}

int tmpl_fn_truncate(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	const char *s;
	int64_t len;

	if (tfn_arity(x, "truncate", n, 2, 2) < 0 || want_str(x, "truncate", &a[0], &s) < 0 ||
	    want_int(x, "truncate", &a[1], &len) < 0)
		return -1;
	if (len < 0)
		return dk_err_set(x->err, "error calling truncate: negative length %lld",
				  (long long)len);
	str_result(x, res, strndup(s, (size_t)len));
	return 0;
}

/* docker's pad: spaces before and after a non-empty string */
int tmpl_fn_pad(struct texec *x, struct tval *a, size_t n, struct tval *res)
{
	const char *s;
	int64_t pre, post;
	char *o;

	if (tfn_arity(x, "pad", n, 3, 3) < 0 || want_str(x, "pad", &a[0], &s) < 0 ||
	    want_int(x, "pad", &a[1], &pre) < 0 || want_int(x, "pad", &a[2], &post) < 0)
		return -1;
	if (pre < 0 || post < 0 || pre > 4096 || post > 4096)
		return dk_err_set(x->err, "error calling pad: padding out of range (0-4096)");
	if (!*s)
		pre = post = 0;
	if (asprintf(&o, "%*s%s%*s", (int)pre, "", s, (int)post, "") < 0)
		abort();
	str_result(x, res, o);
	return 0;
}
