// SPDX-License-Identifier: GPL-2.0-or-later
/* dfword.c: Dockerfile word processing: $VAR / ${VAR} / ${VAR:-d} /
 * ${VAR:+a} expansion from an environment, quote removal, escapes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "dockerfile.h"

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
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

/* ${...} at p (p points after "${"); returns the end (after '}'). */
static const char *expand_braced(const char *p, char *const *env, struct sbuf *b,
				 struct dk_err *err)
{
	const char *name = p, *close;
	size_t n = 0;

	while (name_char(p[n], n == 0))
		n++;
	close = strchr(p + n, '}');
	if (n == 0 || !close)
		return dk_err_set(err, "bad substitution \"${%s\"", p), NULL;
	const char *val = env_lookup(env, name, n);
	if (p[n] == '}') {
		if (val)
			sb_add(b, val, strlen(val));
	} else if (p[n] == ':' && (p[n + 1] == '-' || p[n + 1] == '+')) {
		const char *word = p + n + 2;
		bool set = val && *val;

		if (p[n + 1] == '-')
			sb_add(b, set ? val : word, set ? strlen(val) : (size_t)(close - word));
		else if (set)
			sb_add(b, word, close - word);
	} else {
		return dk_err_set(err, "unsupported substitution \"${%.*s}\"", (int)(close - p), p),
		       NULL;
	}
	return close + 1;
}

/* $ at p: expand; returns the end of what was consumed. */
static const char *expand(const char *p, char *const *env, struct sbuf *b, struct dk_err *err)
{
	size_t n = 0;

	if (p[1] == '{')
		return expand_braced(p + 2, env, b, err);
	while (name_char(p[1 + n], n == 0))
		n++;
	if (n == 0) {
		sb_addc(b, '$');
		return p + 1;
	}
	const char *val = env_lookup(env, p + 1, n);
	if (val)
		sb_add(b, val, strlen(val));
	return p + 1 + n;
}

static const char *double_quoted(const char *p, char *const *env, struct sbuf *b,
				 struct dk_err *err)
{
	while (p && *p && *p != '"') {
		if (*p == '\\' && p[1] && strchr("\"\\$", p[1])) {
			sb_addc(b, p[1]);
			p += 2;
		} else if (*p == '$') {
			p = expand(p, env, b, err);
		} else {
			sb_addc(b, *p++);
		}
	}
	if (p && *p != '"')
		return dk_err_set(err, "unterminated double quote"), NULL;
	return p ? p + 1 : NULL;
}

static const char *single_quoted(const char *p, struct sbuf *b, struct dk_err *err)
{
	const char *e = strchr(p, '\'');

	if (!e)
		return dk_err_set(err, "unterminated single quote"), NULL;
	sb_add(b, p, e - p);
	return e + 1;
}

char *dk_df_word(const char *raw, char *const *env, struct dk_err *err)
{
	struct sbuf b = {0};
	const char *p = raw;

	sb_add(&b, "", 0);
	while (p && *p) {
		if (*p == '\\' && p[1]) {
			sb_addc(&b, p[1]);
			p += 2;
		} else if (*p == '\'') {
			p = single_quoted(p + 1, &b, err);
		} else if (*p == '"') {
			p = double_quoted(p + 1, env, &b, err);
		} else if (*p == '$') {
			p = expand(p, env, &b, err);
		} else {
			sb_addc(&b, *p++);
		}
	}
	if (!p || b.oom) {
		if (b.oom)
			dk_err_set(err, "out of memory");
		free(b.s);
		return NULL;
	}
	return b.s;
}
