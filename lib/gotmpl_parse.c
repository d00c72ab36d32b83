// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_parse.c: text/template source -> parse tree (text, actions,
 * if/range/with with else and else-if, pipelines, variables), with Go's
 * parse errors and a cap on nesting. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl_lex.h"

enum tend { END_EOF, END_END, END_ELSE, END_ELSE_IF, END_ELSE_WITH };

static int parse_list(struct tparser *P, struct tlist *l, enum tend *end);
static int parse_pipe(struct tparser *P, const char *ctx, bool paren, struct tpipe **out);

/* template numbers are integers (decimal, 0x hex, 0 octal) in int64 */
static bool tmpl_int_ok(const char *s)
{
	char *e;

	errno = 0;
	(void)strtoll(s, &e, 0);
	return errno == 0 && e != s && *e == '\0';
}

static void *grow(void *p, size_t n, size_t size)
{
	p = realloc(p, n * size);
	if (!p)
		abort(); /* out of memory while parsing a command line argument */
	return p;
}

static struct tnode *add_node(struct tlist *l, enum tnode_kind k)
{
	l->nodes = grow(l->nodes, l->n + 1, sizeof(*l->nodes));
	memset(&l->nodes[l->n], 0, sizeof(l->nodes[0]));
	l->nodes[l->n].kind = k;
	return &l->nodes[l->n++];
}

static void scope_push(struct tparser *P, const char *name)
{
	if (P->n_scope == P->cap_scope) {
		P->cap_scope = P->cap_scope ? 2 * P->cap_scope : 8;
		P->scope = grow(P->scope, P->cap_scope, sizeof(*P->scope));
	}
	P->scope[P->n_scope++] = name;
}

static bool scope_has(const struct tparser *P, const char *name)
{
	if (strcmp(name, "$") == 0)
		return true;
	for (size_t i = P->n_scope; i-- > 0;)
		if (strcmp(P->scope[i], name) == 0)
			return true;
	return false;
}

static int deeper(struct tparser *P, size_t pos)
{
	if (++P->depth > TMPL_MAX_DEPTH)
		return tparse_err(P, pos, "nesting too deep (limit %d)", TMPL_MAX_DEPTH);
	return 0;
}

/* an identifier operand: a constant or a function name */
static int ident_arg(struct tparser *P, struct ttoken *t, struct targ *a)
{
	if (strcmp(t->val, "true") == 0 || strcmp(t->val, "false") == 0) {
		a->kind = TA_BOOL;
		a->b = t->val[0] == 't';
		return 0;
	}
	if (strcmp(t->val, "nil") == 0) {
		a->kind = TA_NIL;
		return 0;
	}
	if (!tmpl_func_lookup(t->val))
		return tparse_err(P, t->pos, "function \"%s\" not defined", t->val);
	a->kind = TA_FUNC;
	a->str = t->val;
	t->val = NULL;
	return 0;
}

static int paren_arg(struct tparser *P, struct ttoken *t, struct targ *a)
{
	struct ttoken close;

	if (deeper(P, t->pos) < 0 || parse_pipe(P, "parenthesized pipeline", true, &a->pipe) < 0)
		return -1;
	P->depth--;
	a->kind = TA_PIPE;
	/* parse_pipe stopped right after ")": take its field chain */
	memset(&close, 0, sizeof(close));
	while (P->p + 1 < P->len && P->src[P->p] == '.' &&
	       (isalpha((unsigned char)P->src[P->p + 1]) || P->src[P->p + 1] == '_')) {
		if (tlex(P, &close) < 0)
			return -1;
		a->fields = close.fields;
		close.fields = NULL;
		ttoken_clear(&close);
	}
	return 0;
}

/* fill a from token t (owned: strings move into a) */
static int make_arg(struct tparser *P, struct ttoken *t, struct targ *a)
{
	a->pos = t->pos;
	switch (t->k) {
	case K_FIELD: a->kind = TA_FIELD; break;
	case K_DOT: a->kind = TA_DOT; break;
	case K_VAR:
		if (!scope_has(P, t->val))
			return tparse_err(P, t->pos, "undefined variable \"%s\"", t->val);
		a->kind = TA_VAR;
		break;
	case K_STRING: a->kind = TA_STRING; break;
	case K_NUMBER:
		if (!tmpl_int_ok(t->val))
			return tparse_err(P, t->pos, "bad number syntax: \"%s\"", t->val);
		a->kind = TA_NUMBER;
		break;
	case K_IDENT: return ident_arg(P, t, a);
	case K_LPAREN: return paren_arg(P, t, a);
	default:
		return tparse_err(P, t->pos, "unexpected \"%.*s\" in operand",
				  (int)(t->end - t->pos), P->src + t->pos);
	}
	a->str = t->val;
	a->fields = t->fields;
	t->val = NULL;
	t->fields = NULL;
	return 0;
}

/* the operands of one command, up to | or the end; *term gets that token */
static int parse_cmd(struct tparser *P, bool paren, struct tcmd *c, enum ttok *term)
{
	struct ttoken t;

	for (;;) {
		if (tlex(P, &t) < 0)
			return -1;
		*term = t.k;
		if (t.k == K_PIPE || t.k == K_CLOSE || t.k == K_RPAREN) {
			P->trim_next = t.trim;
			if (t.k == K_CLOSE && paren)
				return tparse_err(P, t.pos, "unclosed left paren");
			if (t.k == K_RPAREN && !paren)
				return tparse_err(P, t.pos, "unexpected right paren");
			if (c->n_args == 0)
				return tparse_err(P, t.pos, "missing value for command");
			return 0;
		}
		if (c->n_args == TMPL_MAX_ARGS) {
			ttoken_clear(&t);
			return tparse_err(P, P->p, "too many arguments (limit %d)", TMPL_MAX_ARGS);
		}
		c->args = grow(c->args, c->n_args + 1, sizeof(*c->args));
		memset(&c->args[c->n_args], 0, sizeof(c->args[0]));
		if (c->n_args == 0)
			c->pos = t.pos;
		int rc = make_arg(P, &t, &c->args[c->n_args++]);
		c->end = t.end > P->p ? t.end : P->p;
		ttoken_clear(&t);
		if (rc < 0)
			return -1;
	}
}

/* "$x :=", "$x =", "$k, $v :=" at the start of a pipeline; rewinds when
 * the pipeline declares nothing */
static int parse_decl(struct tparser *P, struct tpipe *p)
{
	size_t save = P->p;
	struct ttoken a, b;

	if (tlex(P, &a) < 0)
		return -1;
	if (a.k != K_VAR || a.fields || tlex(P, &b) < 0 ||
	    (b.k != K_DECL && b.k != K_ASSIGN && b.k != K_COMMA)) {
		if (a.k == K_VAR && !a.fields)
			ttoken_clear(&b);
		ttoken_clear(&a);
		dk_err_clear(P->err);
		P->p = save;
		return 0;
	}
	p->vars[p->n_vars++] = a.val;
	a.val = NULL;
	if (b.k == K_COMMA) {
		ttoken_clear(&b);
		if (tlex(P, &a) < 0 || a.k != K_VAR || a.fields) {
			ttoken_clear(&a);
			return tparse_err(P, P->p, "range can only initialize variables");
		}
		p->vars[p->n_vars++] = a.val;
		a.val = NULL;
		if (tlex(P, &b) < 0 || (b.k != K_DECL && b.k != K_ASSIGN)) {
			ttoken_clear(&b);
			return tparse_err(P, P->p, "expected := or = after variables");
		}
	}
	p->assign = b.k == K_ASSIGN;
	ttoken_clear(&b);
	return 1;
}

static int parse_pipe(struct tparser *P, const char *ctx, bool paren, struct tpipe **out)
{
	struct tpipe *p = calloc(1, sizeof(*p));
	enum ttok term = K_PIPE;

	if (!p)
		abort();
	*out = p;
	while (P->p < P->len && isspace((unsigned char)P->src[P->p]))
		P->p++;
	p->pos = P->p;
	if (parse_decl(P, p) < 0)
		return -1;
	for (size_t i = 0; p->assign && i < p->n_vars; i++)
		if (!scope_has(P, p->vars[i]))
			return tparse_err(P, p->pos, "undefined variable \"%s\"", p->vars[i]);
	while (term == K_PIPE) {
		p->cmds = grow(p->cmds, p->n_cmds + 1, sizeof(*p->cmds));
		memset(&p->cmds[p->n_cmds], 0, sizeof(p->cmds[0]));
		if (parse_cmd(P, paren, &p->cmds[p->n_cmds++], &term) < 0) {
			if (strstr(P->err->msg, "missing value for command") && p->n_cmds == 1)
				tparse_err(P, p->pos, "missing value for %s", ctx);
			return -1;
		}
	}
	for (size_t i = 0; !p->assign && i < p->n_vars; i++)
		scope_push(P, p->vars[i]);
	return 0;
}

/* {{if}}, {{range}}, {{with}} up to their {{end}}; P->p is after the
 * keyword */
static int parse_control(struct tparser *P, struct tlist *l, enum tnode_kind k, const char *kw)
{
	size_t mark = P->n_scope, pos = P->p;
	struct tnode *n = add_node(l, k);
	enum tend end;

	n->list = calloc(1, sizeof(*n->list));
	if (!n->list || deeper(P, pos) < 0 || parse_pipe(P, kw, false, &n->pipe) < 0 ||
	    parse_list(P, n->list, &end) < 0)
		return -1;
	if (end == END_ELSE_IF || end == END_ELSE_WITH || end == END_ELSE) {
		n->else_list = calloc(1, sizeof(*n->else_list));
		if (!n->else_list)
			abort();
	}
	if (end == END_ELSE_IF || end == END_ELSE_WITH) {
		bool w = end == END_ELSE_WITH;

		if (parse_control(P, n->else_list, w ? TN_WITH : TN_IF, w ? "with" : "if") < 0)
			return -1;
		end = END_END;
	} else if (end == END_ELSE && parse_list(P, n->else_list, &end) < 0) {
		return -1;
	}
	if (end != END_END)
		return tparse_err(P, P->p,
				  end == END_EOF ? "unexpected EOF" : "unexpected {{else}}");
	P->n_scope = mark;
	P->depth--;
	return 0;
}

/* the keyword at P->p (length of the word, 0 if none) */
static size_t word_at(const struct tparser *P, const char *w)
{
	size_t n = strlen(w);

	if (P->len - P->p >= n && memcmp(P->src + P->p, w, n) == 0 &&
	    (P->p + n == P->len ||
	     !(isalnum((unsigned char)P->src[P->p + n]) || P->src[P->p + n] == '_')))
		return n;
	return 0;
}

static int expect_close(struct tparser *P, const char *what)
{
	struct ttoken t;

	if (tlex(P, &t) < 0)
		return -1;
	ttoken_clear(&t);
	if (t.k != K_CLOSE)
		return tparse_err(P, t.pos, "unexpected \"%.*s\" in %s", (int)(t.end - t.pos),
				  P->src + t.pos, what);
	P->trim_next = t.trim;
	return 0;
}

static const char *const unsupported[] = {"define", "template", "block", "break", "continue", NULL};

/* a keyword action; 1 when it ends the list (end, else), 0 otherwise */
static int parse_keyword(struct tparser *P, struct tlist *l, enum tend *end)
{
	size_t n;

	if ((n = word_at(P, "end"))) {
		P->p += n;
		*end = END_END;
		return expect_close(P, "end") < 0 ? -1 : 1;
	}
	if ((n = word_at(P, "else"))) {
		P->p += n;
		while (P->p < P->len && isspace((unsigned char)P->src[P->p]))
			P->p++;
		if ((n = word_at(P, "if")) || (n = word_at(P, "with"))) {
			*end = n == 2 ? END_ELSE_IF : END_ELSE_WITH;
			P->p += n;
			return 1;
		}
		*end = END_ELSE;
		return expect_close(P, "else") < 0 ? -1 : 1;
	}
	if ((n = word_at(P, "if")))
		return P->p += n, parse_control(P, l, TN_IF, "if");
	if ((n = word_at(P, "range")))
		return P->p += n, parse_control(P, l, TN_RANGE, "range");
	if ((n = word_at(P, "with")))
		return P->p += n, parse_control(P, l, TN_WITH, "with");
	for (size_t i = 0; unsupported[i]; i++)
		if (word_at(P, unsupported[i]))
			return tparse_err(P, P->p, "{{%s}} is not supported", unsupported[i]);
	return 2;
}

static int parse_comment(struct tparser *P)
{
	const char *e = strstr(P->src + P->p + 2, "*/");

	if (!e)
		return tparse_err(P, P->p, "unclosed comment");
	P->p = (size_t)(e - P->src) + 2;
	if (P->len - P->p >= 4 && memcmp(P->src + P->p, " -}}", 4) == 0) {
		P->p += 4;
		P->trim_next = true;
		return 0;
	}
	if (P->len - P->p >= 2 && memcmp(P->src + P->p, "}}", 2) == 0) {
		P->p += 2;
		return 0;
	}
	return tparse_err(P, P->p, "comment ends before closing delimiter");
}

/* one action after its {{; 1 when it ends the list */
static int parse_action(struct tparser *P, struct tlist *l, enum tend *end)
{
	struct tnode *n;
	int rc;

	if (P->len - P->p >= 2 && memcmp(P->src + P->p, "/*", 2) == 0)
		return parse_comment(P);
	while (P->p < P->len && isspace((unsigned char)P->src[P->p]))
		P->p++;
	if ((rc = parse_keyword(P, l, end)) != 2)
		return rc;
	n = add_node(l, TN_ACTION);
	return parse_pipe(P, "command", false, &n->pipe);
}

static void add_text(struct tparser *P, struct tlist *l, size_t from, size_t to, bool trim_end)
{
	struct tnode *n;

	if (P->trim_next)
		while (from < to && isspace((unsigned char)P->src[from]))
			from++;
	P->trim_next = false;
	if (trim_end)
		while (to > from && isspace((unsigned char)P->src[to - 1]))
			to--;
	if (to == from)
		return;
	n = add_node(l, TN_TEXT);
	n->text = strndup(P->src + from, to - from);
	if (!n->text)
		abort();
	n->text_len = to - from;
}

static int parse_list(struct tparser *P, struct tlist *l, enum tend *end)
{
	for (;;) {
		const char *o = strstr(P->src + P->p, "{{");
		size_t open = o ? (size_t)(o - P->src) : P->len;
		bool trim = o && open + 3 < P->len && P->src[open + 2] == '-' &&
			    isspace((unsigned char)P->src[open + 3]);
		int rc;

		add_text(P, l, P->p, open, trim);
		if (!o) {
			P->p = P->len;
			*end = END_EOF;
			return 0;
		}
		P->p = open + (trim ? 4 : 2);
		if ((rc = parse_action(P, l, end)) != 0)
			return rc < 0 ? -1 : 0;
	}
}

struct dk_tmpl *dk_tmpl_parse(const char *text, struct dk_err *err)
{
	struct dk_tmpl *t = calloc(1, sizeof(*t));
	struct tparser P = {.src = text, .len = strlen(text), .err = err};
	enum tend end;

	if (!t || !(t->src = strdup(text)) || !(t->root = calloc(1, sizeof(*t->root)))) {
		dk_tmpl_free(t);
		dk_err_set(err, "template: out of memory");
		return NULL;
	}
	P.src = t->src;
	if (parse_list(&P, t->root, &end) < 0 ||
	    (end != END_EOF &&
	     tparse_err(&P, P.p, "unexpected {{%s}}", end == END_END ? "end" : "else") < 0)) {
		free(P.scope);
		dk_tmpl_free(t);
		return NULL;
	}
	free(P.scope);
	return t;
}
