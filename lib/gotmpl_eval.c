// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_eval.c: runs a parsed template against a JSON value: fields,
 * variables, pipelines, function calls, if/range/with, with Go's
 * execution errors ("template: :1:2: executing \"\" at <.A>: ..."). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl_int.h"

static int walk_list(struct texec *x, const struct tlist *l, struct tval dot);
static int eval_pipe(struct texec *x, const struct tpipe *p, struct tval dot, bool bind,
		     struct tval *res);

int tmpl_errorf(struct texec *x, size_t pos, const char *ctx, const char *fmt, ...)
{
	const char *src = x->t->src;
	char msg[1024], where[32];
	size_t line = 1, col = 0;
	va_list ap;

	for (size_t i = 0; i < pos && src[i]; i++, col++)
		if (src[i] == '\n')
			line++, col = (size_t)-1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strlen(ctx) > 20)
		snprintf(where, sizeof(where), "%.20s...", ctx);
	else
		snprintf(where, sizeof(where), "%s", ctx);
	return dk_err_set(x->err, "template: :%zu:%zu: executing \"\" at <%s>: %s", line, col,
			  where, msg);
}

/* the source text of a command, for errors */
static const char *cmd_text(struct texec *x, const struct tcmd *c, char *buf, size_t size)
{
	size_t n = c->end > c->pos ? c->end - c->pos : 0;

	snprintf(buf, size, "%.*s", (int)n, x->t->src + c->pos);
	return buf;
}

static int cmd_err(struct texec *x, const struct tcmd *c, const char *msg)
{
	char ctx[128], m[DK_ERR_MSG_MAX];

	snprintf(m, sizeof(m), "%s", msg);
	return tmpl_errorf(x, c->pos, cmd_text(x, c, ctx, sizeof(ctx)), "%s", m);
}

static int field_of(struct texec *x, const struct tcmd *c, struct tval *v, const char *name)
{
	char m[512];
	bool missing;
	enum dk_json_type t = tval_type(v, &missing);

	if (missing)
		return 0;
	if (t == DK_JSON_NULL) {
		snprintf(m, sizeof(m), "nil pointer evaluating interface {}.%s", name);
		return cmd_err(x, c, m);
	}
	if (t != DK_JSON_OBJECT || v->k != TV_JSON) {
		snprintf(m, sizeof(m), "can't evaluate field %s in type %s", name,
			 tval_typename(v));
		return cmd_err(x, c, m);
	}
	const struct dk_json *f = dk_json_get(v->j, name);
	if (!f && (x->flags & DK_TMPL_STRUCTS) && tval_struct_like(v->j)) {
		snprintf(m, sizeof(m), "map has no entry for key \"%s\"", name);
		return cmd_err(x, c, m);
	}
	*v = tval_json(f);
	return 0;
}

static int walk_fields(struct texec *x, const struct tcmd *c, struct tval *v, char **fields)
{
	for (size_t i = 0; fields && fields[i]; i++)
		if (field_of(x, c, v, fields[i]) < 0)
			return -1;
	return 0;
}

static struct tval *var_ref(struct texec *x, const char *name)
{
	for (size_t i = x->n_vars; i-- > 0;)
		if (strcmp(x->vars[i].name, name) == 0)
			return &x->vars[i].v;
	return NULL; /* the parser checked every reference */
}

static void var_push(struct texec *x, const char *name, struct tval v)
{
	if (x->n_vars == x->cap_vars) {
		x->cap_vars = x->cap_vars ? 2 * x->cap_vars : 8;
		x->vars = realloc(x->vars, x->cap_vars * sizeof(*x->vars));
		if (!x->vars)
			abort();
	}
	x->vars[x->n_vars].name = name;
	x->vars[x->n_vars++].v = v;
}

static int call_func(struct texec *x, const struct tcmd *c, size_t from, const char *name,
		     struct tval dot, const struct tval *final, struct tval *res);

static int eval_arg(struct texec *x, const struct tcmd *c, const struct targ *a, struct tval dot,
		    struct tval *res)
{
	struct tval *ref;

	memset(res, 0, sizeof(*res));
	switch (a->kind) {
	case TA_DOT:
	case TA_FIELD: *res = dot; break;
	case TA_VAR:
		ref = var_ref(x, a->str);
		*res = ref ? *ref : (struct tval){.k = TV_MISSING};
		break;
	case TA_STRING:
		res->k = TV_STR;
		res->s = a->str;
		return 0;
	case TA_NUMBER:
		res->k = TV_INT;
		res->i = strtoll(a->str, NULL, 0);
		return 0;
	case TA_BOOL:
		res->k = TV_BOOL;
		res->b = a->b;
		return 0;
	case TA_NIL: res->k = TV_MISSING; return 0;
	case TA_FUNC: return call_func(x, c, c->n_args, a->str, dot, NULL, res);
	case TA_PIPE:
		if (eval_pipe(x, a->pipe, dot, false, res) < 0)
			return -1;
		break;
	}
	return walk_fields(x, c, res, a->fields);
}

/* name(args[from..], final); from == n_args for a bare function operand */
static int call_func(struct texec *x, const struct tcmd *c, size_t from, const char *name,
		     struct tval dot, const struct tval *final, struct tval *res)
{
	struct tval args[TMPL_MAX_ARGS + 1];
	size_t n = 0;
	tfunc_fn fn = tmpl_func_lookup(name);

	for (size_t i = from; i < c->n_args; i++)
		if (eval_arg(x, c, &c->args[i], dot, &args[n++]) < 0)
			return -1;
	if (final)
		args[n++] = *final;
	memset(res, 0, sizeof(*res));
	if (fn(x, args, n, res) < 0)
		return cmd_err(x, c, x->err->msg);
	return 0;
}

static int eval_cmd(struct texec *x, const struct tcmd *c, struct tval dot,
		    const struct tval *final, struct tval *res)
{
	const struct targ *first = &c->args[0];
	char m[256], ctx[128];

	if (first->kind == TA_FUNC)
		return call_func(x, c, 1, first->str, dot, final, res);
	if (first->kind == TA_NIL)
		return cmd_err(x, c, "nil is not a command");
	if (c->n_args > 1 || final) {
		snprintf(m, sizeof(m), "can't give argument to non-function %s",
			 cmd_text(x, c, ctx, sizeof(ctx)));
		return cmd_err(x, c, m);
	}
	return eval_arg(x, c, first, dot, res);
}

/* bind: declare or assign the pipeline's variables (not for range) */
static int eval_pipe(struct texec *x, const struct tpipe *p, struct tval dot, bool bind,
		     struct tval *res)
{
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < p->n_cmds; i++) {
		struct tval prev = *res;

		if (eval_cmd(x, &p->cmds[i], dot, i ? &prev : NULL, res) < 0)
			return -1;
	}
	for (size_t i = 0; bind && i < p->n_vars; i++) {
		struct tval *ref = p->assign ? var_ref(x, p->vars[i]) : NULL;

		if (ref)
			*ref = *res;
		else
			var_push(x, p->vars[i], *res);
	}
	return 0;
}

int tmpl_step(struct texec *x)
{
	if (++x->steps > TMPL_MAX_STEPS || x->bytes > TMPL_MAX_BYTES ||
	    ftell(x->out) > TMPL_MAX_BYTES)
		return dk_err_set(x->err,
				  "template: execution too long (limit %ld steps, %ld bytes)",
				  TMPL_MAX_STEPS, TMPL_MAX_BYTES);
	return 0;
}

static int range_body(struct texec *x, const struct tnode *n, struct tval key, struct tval v)
{
	size_t mark = x->n_vars;
	int rc;

	if (tmpl_step(x) < 0)
		return -1;
	if (n->pipe->n_vars == 1)
		var_push(x, n->pipe->vars[0], v);
	if (n->pipe->n_vars == 2) {
		var_push(x, n->pipe->vars[0], key);
		var_push(x, n->pipe->vars[1], v);
	}
	rc = walk_list(x, n->list, v);
	x->n_vars = mark;
	return rc;
}

static int range_obj(struct texec *x, const struct tnode *n, const struct tval *v)
{
	size_t *order;
	int cnt = tval_sorted_keys(v->j, &order), rc = 0;

	for (int i = 0; i < cnt && rc == 0; i++) {
		struct tval key = {.k = TV_STR, .s = dk_json_key_at(v->j, order[i])};

		rc = range_body(x, n, key, tval_json(dk_json_at(v->j, order[i])));
	}
	free(order);
	return rc;
}

static int range_node(struct texec *x, const struct tnode *n, const struct tval *v)
{
	bool missing;
	enum dk_json_type t = tval_type(v, &missing);
	char m[128];

	if (t == DK_JSON_NULL || ((t == DK_JSON_ARRAY || t == DK_JSON_OBJECT) && !tval_len(v)) ||
	    (v->k == TV_INT && v->i <= 0))
		return n->else_list ? walk_list(x, n->else_list, *v) : 0;
	if (t == DK_JSON_OBJECT)
		return range_obj(x, n, v);
	if (t == DK_JSON_ARRAY) {
		for (size_t i = 0; i < tval_len(v); i++) {
			struct tval key = {.k = TV_INT, .i = (int64_t)i};

			if (range_body(x, n, key, tval_elem(v, i)) < 0)
				return -1;
		}
		return 0;
	}
	if (v->k == TV_INT) {
		for (int64_t i = 0; i < v->i; i++) {
			struct tval key = {.k = TV_INT, .i = i};

			if (range_body(x, n, key, key) < 0)
				return -1;
		}
		return 0;
	}
	snprintf(m, sizeof(m), "range can't iterate over %s", tval_typename(v));
	return cmd_err(x, &n->pipe->cmds[0], m);
}

static int walk_node(struct texec *x, const struct tnode *n, struct tval dot)
{
	size_t mark = x->n_vars;
	struct tval v;
	int rc = 0;

	if (tmpl_step(x) < 0)
		return -1;
	if (n->kind == TN_TEXT) {
		fwrite(n->text, 1, n->text_len, x->out);
		return 0;
	}
	if (eval_pipe(x, n->pipe, dot, n->kind != TN_RANGE, &v) < 0)
		return -1;
	switch (n->kind) {
	case TN_ACTION: return n->pipe->n_vars ? 0 : tval_print(x, x->out, &v, true);
	case TN_IF:
	case TN_WITH:
		if (tval_truth(&v))
			rc = walk_list(x, n->list, n->kind == TN_WITH ? v : dot);
		else if (n->else_list)
			rc = walk_list(x, n->else_list, dot);
		break;
	case TN_RANGE: rc = range_node(x, n, &v); break;
	default: break;
	}
	x->n_vars = mark;
	return rc;
}

static int walk_list(struct texec *x, const struct tlist *l, struct tval dot)
{
	for (size_t i = 0; i < l->n; i++)
		if (walk_node(x, &l->nodes[i], dot) < 0)
			return -1;
	return 0;
}

int dk_tmpl_exec(const struct dk_tmpl *t, const struct dk_json *v, int flags, FILE *out,
		 struct dk_err *err)
{
	struct texec x = {.t = t, .out = out, .flags = flags, .err = err};
	struct tval dot = tval_json(v);
	int rc;

	var_push(&x, "$", dot);
	rc = walk_list(&x, t->root, dot);
	for (size_t i = 0; i < x.n_arena; i++)
		free(x.arena[i]);
	free(x.arena);
	free(x.vars);
	return rc;
}

int dk_tmpl_render(const struct dk_tmpl *t, const struct dk_json *v, int flags, char **res,
		   struct dk_err *err)
{
	size_t len;
	FILE *f = open_memstream(res, &len);
	int rc;

	if (!f)
		return dk_err_sys(err, "template: output buffer");
	rc = dk_tmpl_exec(t, v, flags, f, err);
	if (fclose(f) != 0 && rc == 0)
		rc = dk_err_sys(err, "template: output buffer");
	if (rc < 0) {
		free(*res);
		*res = NULL;
	}
	return rc;
}
