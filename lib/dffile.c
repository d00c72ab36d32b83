// SPDX-License-Identifier: GPL-2.0-or-later
/* dffile.c: a whole Dockerfile into instructions, as BuildKit's parser
 * reads it: parser directives (syntax, escape, check) at the top; comment
 * and blank lines skipped (also inside a continuation); a line ending in
 * the escape character continues on the next, joined without a space;
 * RUN, COPY and ADD followed by the lines of their here-documents. Each
 * instruction is numbered by the line it starts on. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cleanup.h"
#include "df_int.h"

struct cursor {
	const char *p;
	int lineno;
};

struct buf {
	char *s;
	size_t len, cap;
};

static int append(struct buf *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->len + n + 1) * 2;
		char *nb = realloc(l->s, cap);

		if (!nb)
			return -1;
		l->s = nb;
		l->cap = cap;
	}
	memcpy(l->s + l->len, s, n);
	l->len += n;
	l->s[l->len] = '\0';
	return 0;
}

/* The next physical line, without its "\n" or "\r\n". */
static bool next_line(struct cursor *c, const char **s, size_t *n)
{
	const char *e;

	if (!*c->p)
		return false;
	e = strchr(c->p, '\n');
	*s = c->p;
	*n = e ? (size_t)(e - c->p) : strlen(c->p);
	c->p += *n + (e ? 1 : 0);
	c->lineno++;
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	return true;
}

static size_t lead_space(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i;
}

static bool blank(const char *s, size_t n)
{
	return lead_space(s, n) == n;
}

static bool comment(const char *s, size_t n)
{
	size_t i = lead_space(s, n);

	return i < n && s[i] == '#';
}

static int set_directive(struct dk_df_file *f, const char *key, const char *val, int lineno,
			 struct dk_err *err)
{
	char **slot = strcasecmp(key, "syntax") == 0  ? &f->syntax
		      : strcasecmp(key, "check") == 0 ? &f->check
						      : NULL;
	if (!slot) { /* escape */
		if (f->escape)
			return dk_err_set(
			    err, "line %d: only one escape parser directive can be used", lineno);
		if (strcmp(val, "\\") != 0 && strcmp(val, "`") != 0)
			return dk_err_set(
			    err, "line %d: invalid escape token '%s' does not match ` or \\",
			    lineno, val);
		f->escape = val[0];
		return 0;
	}
	if (*slot)
		return dk_err_set(err, "line %d: only one %s parser directive can be used", lineno,
				  key);
	return (*slot = strdup(val)) ? 0 : dk_err_sys(err, "parser directive");
}

/* "# key=value" with a key we know: 1 (recorded), 0 not a directive. */
static int directive(struct dk_df_file *f, const char *s, size_t n, int lineno, struct dk_err *err)
{
	char line[1024], key[32], *p, *eq;
	size_t k;

	if (n >= sizeof(line) || !n || s[0] != '#')
		return 0;
	snprintf(line, sizeof(line), "%.*s", (int)n, s);
	p = line + 1 + lead_space(line + 1, n - 1);
	if (!(eq = strchr(p, '=')))
		return 0;
	for (k = 0; isalnum((unsigned char)p[k]); k++)
		;
	if (k == 0 || k >= sizeof(key) || p + k + lead_space(p + k, eq - p - k) != eq)
		return 0;
	snprintf(key, sizeof(key), "%.*s", (int)k, p);
	if (strcasecmp(key, "syntax") && strcasecmp(key, "escape") && strcasecmp(key, "check"))
		return 0;
	p = eq + 1 + lead_space(eq + 1, strlen(eq + 1));
	k = strlen(p);
	while (k && isspace((unsigned char)p[k - 1]))
		p[--k] = '\0';
	return set_directive(f, key, p, lineno, err) < 0 ? -1 : 1;
}

/* Does the logical line so far end in the escape character (trailing
 * blanks allowed)? Drops both if so. */
static bool continues(struct buf *l, char esc)
{
	size_t n = l->len;

	while (n && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
		n--;
	if (!n || l->s[n - 1] != esc)
		return false;
	l->len = n - 1;
	l->s[l->len] = '\0';
	return true;
}

/* The first line is in l: join continuation lines. */
static int join(struct cursor *c, struct buf *l, char esc)
{
	const char *s;
	size_t n;

	bool more = continues(l, esc);

	while (more && next_line(c, &s, &n)) {
		if (comment(s, n) || blank(s, n))
			continue;
		if (append(l, s, n) < 0)
			return -1;
		more = continues(l, esc);
	}
	return 0;
}

/* One here-document's lines, up to its delimiter. */
static int read_heredoc(struct cursor *c, struct dk_df_heredoc *h, int start, struct dk_err *err)
{
	struct buf body = {0};
	const char *s;
	size_t n;

	if (append(&body, "", 0) < 0)
		return dk_err_sys(err, "here-document");
	while (next_line(c, &s, &n)) {
		if (h->chomp)
			while (n && *s == '\t')
				s++, n--;
		if (n == strlen(h->name) && memcmp(s, h->name, n) == 0) {
			h->content = body.s;
			return 0;
		}
		if (append(&body, s, n) < 0 || append(&body, "\n", 1) < 0) {
			free(body.s);
			return dk_err_sys(err, "here-document");
		}
	}
	free(body.s);
	return dk_err_set(err, "line %d: here-document <<%s is not terminated (no line \"%s\")",
			  start, h->name, h->name);
}

static int instruction(struct cursor *c, const char *s, size_t n, char esc, struct dk_df_instr *in,
		       struct dk_err *err)
{
	struct buf l = {0};
	int start = c->lineno, ret;

	if (append(&l, s + lead_space(s, n), n - lead_space(s, n)) < 0 || join(c, &l, esc) < 0) {
		free(l.s);
		return dk_err_sys(err, "parsing Dockerfile");
	}
	ret = dk_df_parse_line_esc(l.s, start, esc, in, err);
	free(l.s);
	if (ret < 0)
		return -1;
	if (dk_df_heredoc_markers(in, err) < 0)
		ret = dk_err_wrap(err, "line %d", start);
	for (size_t i = 0; ret == 0 && i < in->n_heredocs; i++)
		ret = read_heredoc(c, &in->heredocs[i], start, err);
	if (ret == 0 && in->n_heredocs && dk_df_heredoc_finish(in, err) < 0)
		ret = dk_err_wrap(err, "line %d", start);
	if (ret < 0)
		dk_df_instr_free(in);
	return ret;
}

static int push(struct dk_df_file *f, struct cursor *c, const char *s, size_t n, struct dk_err *err)
{
	struct dk_df_instr *nv = realloc(f->v, (f->n + 1) * sizeof(*nv));

	if (!nv)
		return dk_err_sys(err, "parsing Dockerfile");
	f->v = nv;
	if (instruction(c, s, n, f->escape, &nv[f->n], err) < 0)
		return -1;
	f->n++;
	return 0;
}

int dk_df_parse_file(const char *text, struct dk_df_file *out, struct dk_err *err)
{
	struct cursor c = {.p = text};
	bool directives = true;
	const char *s;
	size_t n;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	while (ret == 0 && next_line(&c, &s, &n)) {
		int d = directives ? directive(out, s, n, c.lineno, err) : 0;

		if (d != 0) {
			ret = d < 0 ? -1 : 0;
			continue;
		}
		directives = false;
		if (!out->escape)
			out->escape = '\\';
		if (!blank(s, n) && !comment(s, n))
			ret = push(out, &c, s, n, err);
	}
	if (!out->escape)
		out->escape = '\\';
	if (ret < 0) {
		dk_df_file_free(out);
		return -1;
	}
	return 0;
}

void dk_df_file_free(struct dk_df_file *f)
{
	dk_df_instrs_free(f->v, f->n);
	free(f->syntax);
	free(f->check);
	memset(f, 0, sizeof(*f));
}

int dk_df_parse(const char *text, struct dk_df_instr **out, size_t *n, struct dk_err *err)
{
	struct dk_df_file f;

	if (dk_df_parse_file(text, &f, err) < 0)
		return -1;
	*out = f.v;
	*n = f.n;
	f.v = NULL;
	f.n = 0;
	dk_df_file_free(&f);
	return 0;
}
