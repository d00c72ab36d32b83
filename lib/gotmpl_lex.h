// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_lex.h: the tokens inside a {{ }} action and the parser state
 * the lexer shares with gotmpl_parse.c (private to lib/). */
#ifndef DK_GOTMPL_LEX_H
#define DK_GOTMPL_LEX_H

#include "gotmpl_int.h"

enum ttok {
	K_CLOSE, /* }} or -}} */
	K_FIELD, /* .A.B */
	K_DOT,
	K_VAR, /* $x.A */
	K_IDENT,
	K_STRING,
	K_NUMBER,
	K_LPAREN,
	K_RPAREN,
	K_PIPE,
	K_DECL,
	K_ASSIGN,
	K_COMMA,
};

struct ttoken {
	enum ttok k;
	size_t pos, end;
	char *val;     /* ident, var name, unquoted string, number text */
	char **fields; /* field chain following the token */
	bool trim;     /* K_CLOSE: -}} */
};

struct tparser {
	const char *src;
	size_t len, p;
	int depth;
	bool trim_next;
	const char **scope; /* variables visible here */
	size_t n_scope, cap_scope;
	struct dk_err *err;
};

/* Set a parse error "template: :LINE: msg" at offset pos; returns -1. */
int tparse_err(struct tparser *P, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Next token of the action; -1 with the error set. */
int tlex(struct tparser *P, struct ttoken *t);
void ttoken_clear(struct ttoken *t);
void tmpl_strv_free(char **v);

#endif
