// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_lex.c: splits the inside of a template action into tokens
 * (fields, variables, identifiers, quoted strings, numbers, punctuation),
 * with Go's error messages. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gotmpl_lex.h"

int tparse_err(struct tparser *P, size_t pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int line = 1;

	for (size_t i = 0; i < pos && i < P->len; i++)
		line += P->src[i] == '\n';
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dk_err_set(P->err, "template: :%d: %s", line, msg);
}

void tmpl_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void ttoken_clear(struct ttoken *t)
{
	free(t->val);
	tmpl_strv_free(t->fields);
	memset(t, 0, sizeof(*t));
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static char *dup_range(const char *s, size_t n)
{
	char *r = strndup(s, n);

	if (!r)
		abort(); /* out of memory while parsing a command line argument */
	return r;
}

/* .A.B... at P->p into t->fields (none: fields stays NULL) */
static void lex_fields(struct tparser *P, struct ttoken *t)
{
	size_t n = 0;

	while (P->p + 1 < P->len && P->src[P->p] == '.' && is_word(P->src[P->p + 1]) &&
	       !isdigit((unsigned char)P->src[P->p + 1])) {
		size_t s = ++P->p;

		while (P->p < P->len && is_word(P->src[P->p]))
			P->p++;
		t->fields = realloc(t->fields, (n + 2) * sizeof(char *));
		if (!t->fields)
			abort();
		t->fields[n++] = dup_range(P->src + s, P->p - s);
		t->fields[n] = NULL;
	}
}

static int utf8_put(char *o, unsigned long c)
{
	if (c < 0x80)
		return o[0] = (char)c, 1;
	if (c < 0x800)
		return o[0] = (char)(0xc0 | c >> 6), o[1] = (char)(0x80 | (c & 0x3f)), 2;
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18 & 0x07));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* one escape after a backslash at s; writes to o, returns bytes written
 * or -1; *used gets the characters consumed after the backslash */
static int unescape(const char *s, size_t avail, char *o, size_t *used)
{
	static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
	const char *m = avail ? strchr(from, s[0]) : NULL;
	size_t want = 0;

	*used = 1;
	if (m && s[0])
		return o[0] = to[m - from], 1;
	if (avail && s[0] == 'x')
		want = 2;
	else if (avail && s[0] == 'u')
		want = 4;
	else if (avail && s[0] == 'U')
		want = 8;
	if (!want || avail < want + 1)
		return -1;
	unsigned long c = 0;
	for (size_t i = 1; i <= want; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		c = c * 16 + (unsigned long)(isdigit((unsigned char)s[i])
						 ? s[i] - '0'
						 : (tolower(s[i]) - 'a' + 10));
	}
	*used = want + 1;
	if (want == 2)
		return o[0] = (char)c, 1;
	if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return -1;
	return utf8_put(o, c);
}

static int lex_quoted(struct tparser *P, struct ttoken *t)
{
	size_t start = P->p++;
	char *o = malloc(P->len - start + 1);
	size_t n = 0;

	if (!o)
		abort();
	while (P->p < P->len && P->src[P->p] != '"' && P->src[P->p] != '\n') {
		size_t used;
		int w;

		if (P->src[P->p] != '\\') {
			o[n++] = P->src[P->p++];
			continue;
		}
		w = unescape(P->src + P->p + 1, P->len - P->p - 1, o + n, &used);
		if (w < 0) {
			free(o);
			return tparse_err(P, start, "bad escape in quoted string");
		}
		n += (size_t)w;
		P->p += 1 + used;
	}
	if (P->p >= P->len || P->src[P->p] != '"') {
		free(o);
		return tparse_err(P, start, "unterminated quoted string");
	}
	P->p++;
	o[n] = '\0';
	t->k = K_STRING;
	t->val = o;
	return 0;
}

static int lex_raw(struct tparser *P, struct ttoken *t)
{
	size_t start = ++P->p;
	const char *e = memchr(P->src + start, '`', P->len - start);

	if (!e)
		return tparse_err(P, start, "unterminated raw quoted string");
	t->k = K_STRING;
	t->val = dup_range(P->src + start, (size_t)(e - P->src) - start);
	P->p = (size_t)(e - P->src) + 1;
	return 0;
}

static int lex_number(struct tparser *P, struct ttoken *t)
{
	size_t s = P->p;

	if (P->src[P->p] == '-' || P->src[P->p] == '+')
		P->p++;
	while (P->p < P->len &&
	       (is_word(P->src[P->p]) || P->src[P->p] == '.' ||
		((P->src[P->p] == '-' || P->src[P->p] == '+') && strchr("eEpP", P->src[P->p - 1]))))
		P->p++;
	t->k = K_NUMBER;
	t->val = dup_range(P->src + s, P->p - s);
	return 0;
}

/* punctuation and the close delimiter; 1 when the character is none */
static int lex_punct(struct tparser *P, struct ttoken *t)
{
	const char *s = P->src + P->p;
	size_t left = P->len - P->p;
	static const struct {
		const char *text;
		enum ttok k;
	} tab[] = {{"}}", K_CLOSE}, {"(", K_LPAREN}, {")", K_RPAREN}, {"|", K_PIPE},
		   {":=", K_DECL},  {"=", K_ASSIGN}, {",", K_COMMA}};

	if (left >= 3 && memcmp(s, "-}}", 3) == 0 && P->p > 0 && isspace((unsigned char)s[-1])) {
		t->k = K_CLOSE;
		t->trim = true;
		P->p += 3;
		return 0;
	}
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		size_t n = strlen(tab[i].text);

		if (left >= n && memcmp(s, tab[i].text, n) == 0) {
			t->k = tab[i].k;
			P->p += n;
			return 0;
		}
	}
	return 1;
}

static int lex_word(struct tparser *P, struct ttoken *t)
{
	size_t s = P->p;
	char c = P->src[P->p];

	if (c == '$') {
		P->p++;
		while (P->p < P->len && is_word(P->src[P->p]))
			P->p++;
		t->k = K_VAR;
		t->val = dup_range(P->src + s, P->p - s);
		lex_fields(P, t);
		return 0;
	}
	if (c == '.' && !(P->p + 1 < P->len && is_word(P->src[P->p + 1]))) {
		P->p++;
		t->k = K_DOT;
		return 0;
	}
	if (c == '.') {
		t->k = K_FIELD;
		lex_fields(P, t);
		return 0;
	}
	while (P->p < P->len && is_word(P->src[P->p]))
		P->p++;
	t->k = K_IDENT;
	t->val = dup_range(P->src + s, P->p - s);
	return 0;
}

int tlex(struct tparser *P, struct ttoken *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	while (P->p < P->len && isspace((unsigned char)P->src[P->p]))
		P->p++;
	t->pos = P->p;
	if (P->p >= P->len)
		return tparse_err(P, P->p, "unclosed action");
	char c = P->src[P->p];
	char next = P->p + 1 < P->len ? P->src[P->p + 1] : '\0';
	if (isdigit((unsigned char)c) ||
	    ((c == '-' || c == '+' || c == '.') && isdigit((unsigned char)next)))
		rc = lex_number(P, t);
	else if (c == '"')
		rc = lex_quoted(P, t);
	else if (c == '`')
		rc = lex_raw(P, t);
	else if (c == '$' || c == '.' || isalpha((unsigned char)c) || c == '_')
		rc = lex_word(P, t);
	else if ((rc = lex_punct(P, t)) > 0) {
		if (c == '}')
			return tparse_err(P, P->p, "unexpected \"}\" in operand");
		return tparse_err(P, P->p, "unrecognized character in action: '%c'", c);
	}
	t->end = P->p;
	return rc;
}
