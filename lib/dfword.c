// SPDX-License-Identifier: GPL-2.0-or-later
/* dfword.c: Dockerfile word processing: $VAR and every ${VAR...} form of
 * the Dockerfile reference expanded from an environment, quote removal,
 * escapes (with the file's escape character); here-document expansion. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "dockerfile.h"

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

struct wctx {
	char *const *env;
	char esc;
	bool raw_quotes; /* here-document: quotes are plain characters */
	struct dk_err *err;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2 + 16;
		char *ns = realloc(b->s, cap);

		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_addc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

static const char *env_lookup(char *const *env, const char *name, size_t n)
{
	const char *found = NULL;

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			found = env[i] + n + 1; /* the last one wins */
	return found;
}

static bool name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

static const char *process(const char *p, const char *stops, const struct wctx *c, struct sbuf *b);

/* The word of a ${...} form up to one of stops: expanded into *out. */
static const char *sub_word(const char *p, const char *stops, const struct wctx *c, char **out)
{
	struct sbuf w = {0};

	sb_add(&w, "", 0);
	p = process(p, stops, c, &w);
	if (!p || w.oom || !*p) {
		if (p && !w.oom)
			dk_err_set(c->err, "bad substitution: missing '}'");
		free(w.s);
		return NULL;
	}
	*out = w.s;
	return p;
}

/* Prefix (from_end false) or suffix removal; longest or shortest match. */
static void trim_match(const char *val, const char *pat, bool from_end, bool longest,
		       struct sbuf *b)
{
	size_t len = strlen(val);

	for (size_t k = 0; k <= len; k++) {
		size_t n = longest ? len - k : k;
		cleanup_free char *part = from_end ? strdup(val + len - n) : strndup(val, n);

		if (part && fnmatch(pat, part, 0) == 0) {
			sb_add(b, from_end ? val : val + n, len - n);
			return;
		}
	}
	sb_add(b, val, len);
}

/* The longest non-empty match of pat starting at s, 0 if none. */
static size_t match_at(const char *s, const char *pat)
{
	for (size_t n = strlen(s); n > 0; n--) {
		cleanup_free char *part = strndup(s, n);

		if (part && fnmatch(pat, part, 0) == 0)
			return n;
	}
	return 0;
}

static void replace(const char *val, const char *pat, const char *rep, bool all, struct sbuf *b)
{
	bool done = false;

	while (*val) {
		size_t n = done || !*pat ? 0 : match_at(val, pat);

		if (n) {
			sb_add(b, rep, strlen(rep));
			val += n;
			done = !all;
		} else {
			sb_addc(b, *val++);
		}
	}
}

/* ${NAME OP WORD}: p at OP; val the value (NULL unset). */
static const char *apply_op(const char *p, const char *name, size_t n, const char *val,
			    const struct wctx *c, struct sbuf *b)
{
	bool colon = *p == ':';
	const char *op = p + colon;
	cleanup_free char *w = NULL, *rep = NULL;

	if (colon && !strchr("-+?", *op))
		return dk_err_set(c->err, "unsupported substitution \"${%.*s:%c\"", (int)n, name,
				  *op),
		       NULL;
	bool dbl = (op[0] == '#' || op[0] == '%' || op[0] == '/') && op[1] == op[0];
	const char *q = sub_word(op + 1 + dbl, *op == '/' ? "/}" : "}", c, &w);
	if (!q)
		return NULL;
	bool set = val && (!colon || *val);
	switch (*op) {
	case '-': sb_add(b, set ? val : w, strlen(set ? val : w)); break;
	case '+':
		if (set)
			sb_add(b, w, strlen(w));
		break;
	case '?':
		if (!set)
			return dk_err_set(c->err, "%.*s: %s", (int)n, name,
					  *w ? w : "is not allowed to be unset"),
			       NULL;
		sb_add(b, val, strlen(val));
		break;
	case '#':
	case '%': trim_match(val ? val : "", w, *op == '%', dbl, b); break;
	case '/':
		if (*q == '/' && !(q = sub_word(q + 1, "}", c, &rep)))
			return NULL;
		replace(val ? val : "", w, rep ? rep : "", dbl, b);
		break;
	default:
		return dk_err_set(c->err, "unsupported substitution \"${%.*s%c\"", (int)n, name,
				  *op),
		       NULL;
	}
	return q + 1;
}

/* ${...} at p (p points after "${"); returns the end (after '}'). */
static const char *expand_braced(const char *p, const struct wctx *c, struct sbuf *b)
{
	size_t n = 0;

	while (name_char(p[n], n == 0))
		n++;
	if (n == 0 || !strchr(p + n, '}'))
		return dk_err_set(c->err, "bad substitution \"${%s\"", p), NULL;
	const char *val = env_lookup(c->env, p, n);
	if (p[n] == '}') {
		if (val)
			sb_add(b, val, strlen(val));
		return p + n + 1;
	}
	return apply_op(p + n, p, n, val, c, b);
}

/* $ at p: expand; returns the end of what was consumed. */
static const char *expand(const char *p, const struct wctx *c, struct sbuf *b)
{
	size_t n = 0;

	if (p[1] == '{')
		return expand_braced(p + 2, c, b);
	while (name_char(p[1 + n], n == 0))
		n++;
	if (n == 0) {
		sb_addc(b, '$');
		return p + 1;
	}
	const char *val = env_lookup(c->env, p + 1, n);
	if (val)
		sb_add(b, val, strlen(val));
	return p + 1 + n;
}

static const char *double_quoted(const char *p, const struct wctx *c, struct sbuf *b)
{
	while (p && *p && *p != '"') {
		if (*p == c->esc && p[1] && (p[1] == '"' || p[1] == '$' || p[1] == c->esc)) {
			sb_addc(b, p[1]);
			p += 2;
		} else if (*p == '$') {
			p = expand(p, c, b);
		} else {
			sb_addc(b, *p++);
		}
	}
	if (p && *p != '"')
		return dk_err_set(c->err, "unterminated double quote"), NULL;
	return p ? p + 1 : NULL;
}

static const char *single_quoted(const char *p, const struct wctx *c, struct sbuf *b)
{
	const char *e = strchr(p, '\'');

	if (!e)
		return dk_err_set(c->err, "unterminated single quote"), NULL;
	sb_add(b, p, e - p);
	return e + 1;
}

/* Words until an unquoted character of stops (or the end). */
static const char *process(const char *p, const char *stops, const struct wctx *c, struct sbuf *b)
{
	while (p && *p && !strchr(stops, *p)) {
		if (*p == c->esc && p[1]) {
			if (c->raw_quotes && p[1] != '$' && p[1] != c->esc)
				sb_addc(b, *p);
			sb_addc(b, p[1]);
			p += 2;
		} else if (*p == '\'' && !c->raw_quotes) {
			p = single_quoted(p + 1, c, b);
		} else if (*p == '"' && !c->raw_quotes) {
			p = double_quoted(p + 1, c, b);
		} else if (*p == '$') {
			p = expand(p, c, b);
		} else {
			sb_addc(b, *p++);
		}
	}
	return p;
}

static char *run(const char *raw, const struct wctx *c)
{
	struct sbuf b = {0};
	const char *p;

	sb_add(&b, "", 0);
	p = process(raw, "", c, &b);
	if (!p || b.oom) {
		if (b.oom)
			dk_err_set(c->err, "out of memory");
		free(b.s);
		return NULL;
	}
	return b.s;
}

char *dk_df_word_esc(const char *raw, char *const *env, char esc, struct dk_err *err)
{
	struct wctx c = {.env = env, .esc = esc ? esc : '\\', .err = err};

	return run(raw, &c);
}

char *dk_df_word(const char *raw, char *const *env, struct dk_err *err)
{
	return dk_df_word_esc(raw, env, '\\', err);
}

char *dk_df_heredoc_expand(const char *text, char *const *env, char esc, struct dk_err *err)
{
	struct wctx c = {.env = env, .esc = esc ? esc : '\\', .raw_quotes = true, .err = err};

	return run(text, &c);
}
