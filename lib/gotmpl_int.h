// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_int.h: the parse tree, values and evaluator state shared by the
 * gotmpl_*.c files (private to lib/). */
#ifndef DK_GOTMPL_INT_H
#define DK_GOTMPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "gotmpl.h"

#define TMPL_MAX_DEPTH 100
#define TMPL_MAX_ARGS  64
/* bounds on one run, so a template cannot make dk loop or eat memory */
#define TMPL_MAX_STEPS (1L << 22)
#define TMPL_MAX_BYTES (1L << 26)

/* an operand of a command */
enum targ_kind {
	TA_DOT,	   /* . */
	TA_FIELD,  /* .A.B on dot */
	TA_VAR,	   /* $x.A.B (fields may be empty) */
	TA_FUNC,   /* identifier naming a function */
	TA_STRING, /* "..." or `...` (unquoted into str) */
	TA_NUMBER, /* number text in str */
	TA_BOOL,
	TA_NIL,
	TA_PIPE, /* ( pipeline ) with optional .A.B after it */
};

struct tpipe;

struct targ {
	enum targ_kind kind;
	size_t pos;    /* offset in the template text */
	char *str;     /* string, number text, function or variable name */
	char **fields; /* NULL-ended field chain, or NULL */
	bool b;
	struct tpipe *pipe;
};

struct tcmd {
	struct targ *args;
	size_t n_args;
	size_t pos, end; /* source text of the command, for errors */
};

struct tpipe {
	char *vars[2]; /* declared or assigned variables */
	size_t n_vars;
	bool assign; /* = rather than := */
	struct tcmd *cmds;
	size_t n_cmds;
	size_t pos;
};

enum tnode_kind { TN_TEXT, TN_ACTION, TN_IF, TN_RANGE, TN_WITH };

struct tnode {
	enum tnode_kind kind;
	char *text; /* TN_TEXT */
	size_t text_len;
	struct tpipe *pipe;
	struct tlist *list, *else_list;
};

struct tlist {
	struct tnode *nodes;
	size_t n;
};

struct dk_tmpl {
	char *src;
	struct tlist *root;
};

/* a value while evaluating */
enum tval_kind {
	TV_MISSING, /* Go's invalid value: prints <no value> */
	TV_JSON,    /* a node of the input (null, bool, number, string, array, object) */
	TV_STR,
	TV_INT,
	TV_BOOL,
	TV_STRV, /* array of strings (split) */
};

struct tval {
	enum tval_kind k;
	const struct dk_json *j;
	const char *s;
	char **sv;
	int64_t i;
	bool b;
};

struct tvar {
	const char *name;
	struct tval v;
};

struct texec {
	const struct dk_tmpl *t;
	FILE *out;
	int flags;
	struct tvar *vars;
	size_t n_vars, cap_vars;
	void **arena; /* strings made while running, freed at the end */
	size_t n_arena, cap_arena;
	long steps, bytes; /* nodes run, bytes of values made */
	struct dk_err *err;
};

void tmpl_free_list(struct tlist *l);
void tmpl_free_pipe(struct tpipe *p);

/* gotmpl_value.c */
enum dk_json_type tval_type(const struct tval *v, bool *missing);
bool tval_truth(const struct tval *v);
int tval_print(struct texec *x, FILE *f, const struct tval *v, bool top);
const char *tval_typename(const struct tval *v);
bool tval_as_str(const struct tval *v, const char **s);
bool tval_as_num(const struct tval *v, double *d, int64_t *i, bool *is_int);
struct tval tval_json(const struct dk_json *j);
/* keep s (or p of n bytes) until the run ends; counted against the limit */
char *tval_keep(struct texec *x, char *s);
void tval_keep_n(struct texec *x, void *p, size_t n);
size_t tval_len(const struct tval *v);
struct tval tval_elem(const struct tval *v, size_t i);
/* an object standing for a Go struct (every key starts upper-case), not
 * a map: its fields keep their order in json, a missing one can be an
 * error */
bool tval_struct_like(const struct dk_json *obj);
int tval_sorted_keys(const struct dk_json *obj, size_t **order);

/* gotmpl_eval.c */
int tmpl_errorf(struct texec *x, size_t pos, const char *ctx, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* one more step of the run; -1 past the limits */
int tmpl_step(struct texec *x);

/* gotmpl_funcs.c */
typedef int (*tfunc_fn)(struct texec *x, struct tval *args, size_t n, struct tval *res);
tfunc_fn tmpl_func_lookup(const char *name);
/* gotmpl_cmp.c */
int tmpl_compare(struct texec *x, const struct tval *a, const struct tval *b, int *cmp,
		 bool eq_only);

#endif
