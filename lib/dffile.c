// SPDX-License-Identifier: GPL-2.0-or-later
/* dffile.c: a whole Dockerfile into instructions: comment lines, blank
 * lines and backslash continuations, each instruction numbered by the line
 * it starts on. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "dockerfile.h"

struct logical {
	char *buf;
	size_t len, cap;
	int start; /* line number of the first physical line, 0: none */
};

static int append(struct logical *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->len + n + 1) * 2;
		char *nb = realloc(l->buf, cap);

		if (!nb)
			return -1;
		l->buf = nb;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
	return 0;
}

static bool blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i == n || s[i] == '#';
}

static int push_instr(struct dk_df_instr **v, size_t *n, struct logical *l, struct dk_err *err)
{
	struct dk_df_instr *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return dk_err_sys(err, "parsing Dockerfile");
	*v = nv;
	if (dk_df_parse_line(l->buf, l->start, &nv[*n], err) < 0)
		return -1;
	(*n)++;
	l->len = 0;
	l->start = 0;
	return 0;
}

/* One physical line: joins continuations, emits complete instructions. */
static int feed_line(const char *s, size_t n, int lineno, struct logical *l, struct dk_df_instr **v,
		     size_t *count, struct dk_err *err)
{
	bool cont;

	if (blank_or_comment(s, n))
		return 0; /* also inside a continuation, as docker */
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	cont = n && s[n - 1] == '\\';
	if (cont)
		n--;
	if (!l->start)
		l->start = lineno;
	if (append(l, s, n) < 0 || (cont && append(l, " ", 1) < 0))
		return dk_err_sys(err, "parsing Dockerfile");
	return cont ? 0 : push_instr(v, count, l, err);
}

int dk_df_parse(const char *text, struct dk_df_instr **out, size_t *n, struct dk_err *err)
{
	struct logical l = {0};
	struct dk_df_instr *v = NULL;
	size_t count = 0;
	int lineno = 0, ret = 0;

	for (const char *p = text; ret == 0 && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		ret = feed_line(p, len, ++lineno, &l, &v, &count, err);
		p += len + (e ? 1 : 0);
	}
	if (ret == 0 && l.start && l.len) /* file ends in a continuation */
		ret = push_instr(&v, &count, &l, err);
	free(l.buf);
	if (ret < 0) {
		dk_df_instrs_free(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}
