// SPDX-License-Identifier: GPL-2.0-or-later
/* dockerfile.c: parsing Dockerfile instructions into struct dk_df_instr:
 * keywords, flags, JSON and shell forms, words, key=value pairs, whole
 * files with comments and line continuations. No expansion here. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cleanup.h"
#include "dockerfile.h"
#include "df_int.h"
#include "json.h"

static const char *const cmd_names[] = {
    [DK_DF_ADD] = "ADD",
    [DK_DF_ARG] = "ARG",
    [DK_DF_CMD] = "CMD",
    [DK_DF_COPY] = "COPY",
    [DK_DF_ENTRYPOINT] = "ENTRYPOINT",
    [DK_DF_ENV] = "ENV",
    [DK_DF_EXPOSE] = "EXPOSE",
    [DK_DF_FROM] = "FROM",
    [DK_DF_HEALTHCHECK] = "HEALTHCHECK",
    [DK_DF_LABEL] = "LABEL",
    [DK_DF_MAINTAINER] = "MAINTAINER",
    [DK_DF_ONBUILD] = "ONBUILD",
    [DK_DF_RUN] = "RUN",
    [DK_DF_SHELL] = "SHELL",
    [DK_DF_STOPSIGNAL] = "STOPSIGNAL",
    [DK_DF_USER] = "USER",
    [DK_DF_VOLUME] = "VOLUME",
    [DK_DF_WORKDIR] = "WORKDIR",
};
#define N_CMDS (sizeof(cmd_names) / sizeof(cmd_names[0]))

const char *dk_df_cmd_name(enum dk_df_cmd cmd)
{
	return (size_t)cmd < N_CMDS ? cmd_names[cmd] : "?";
}

int dk_df_cmd_lookup(const char *name)
{
	for (size_t i = 0; i < N_CMDS; i++)
		if (strcasecmp(cmd_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* A growing NULL-terminated vector. */
static int strv_push(char ***v, const char *s, size_t n)
{
	size_t len = dk_strv_len(*v);
	char **nv = realloc(*v, (len + 2) * sizeof(*nv));

	if (!nv)
		return -1;
	*v = nv;
	nv[len] = strndup(s, n);
	nv[len + 1] = NULL;
	return nv[len] ? 0 : -1;
}

static const char *skip_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* End of the raw word starting at p: whitespace outside quotes ends it. */
static const char *word_end(const char *p, char esc, struct dk_err *err)
{
	char quote = 0;

	for (; *p; p++) {
		if (*p == esc && quote != '\'') {
			if (p[1])
				p++;
		} else if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (isspace((unsigned char)*p)) {
			break;
		}
	}
	if (quote)
		return dk_err_set(err, "unterminated %s quote", quote == '"' ? "double" : "single"),
		       NULL;
	return p;
}

/* Split s into raw words (quotes kept) appended to *v. */
int dk_df_split_words(const char *s, char esc, char ***v, struct dk_err *err)
{
	for (const char *p = skip_space(s); *p; p = skip_space(p)) {
		const char *e = word_end(p, esc, err);

		if (!e)
			return -1;
		if (strv_push(v, p, e - p) < 0)
			return dk_err_sys(err, "parsing");
		p = e;
	}
	return 0;
}

/* A JSON array of strings, or NULL (not an error: shell form). */
static char **parse_json_form(const char *rest)
{
	struct dk_err ignored;
	struct dk_json *doc;
	char **v = NULL;

	if (*rest != '[')
		return NULL;
	doc = dk_json_parse(rest, strlen(rest), "JSON form", &ignored);
	if (doc && dk_json_type(doc) == DK_JSON_ARRAY)
		v = dk_json_strv(doc, "JSON form", &ignored);
	dk_json_free(doc);
	return v;
}

/* Leading --name=value flags of ADD, COPY, RUN, FROM, HEALTHCHECK. */
static const char *parse_flags(const char *rest, struct dk_df_instr *in, struct dk_err *err)
{
	const char *p = rest;

	while (p[0] == '-' && p[1] == '-') {
		const char *e = word_end(p, in->escape, err), *eq;

		if (!e)
			return NULL;
		if (e == p + 2) /* a bare "--" ends the flags */
			return skip_space(e);
		eq = memchr(p, '=', e - p);
		if (strv_push(&in->flags, p + 2, (eq ? eq : e) - (p + 2)) < 0 ||
		    strv_push(&in->flags, eq ? eq + 1 : "", eq ? e - eq - 1 : 0) < 0)
			return dk_err_sys(err, "parsing flags"), NULL;
		p = skip_space(e);
	}
	return p;
}

/* ENV and LABEL: key=value words, or the legacy "key value with spaces". */
static int parse_kv(const char *rest, struct dk_df_instr *in, struct dk_err *err)
{
	cleanup_free char *first = NULL;
	const char *e = word_end(rest, in->escape, err);
	char **words = NULL;
	int ret = 0;

	if (!e)
		return -1;
	if (!memchr(rest, '=', e - rest)) {
		const char *val = skip_space(e);

		if (!*val)
			return dk_err_set(err, "missing value for \"%.*s\" (use %s key=value)",
					  (int)(e - rest), rest, dk_df_cmd_name(in->cmd));
		if (strv_push(&in->kv, rest, e - rest) < 0 ||
		    strv_push(&in->kv, val, strlen(val)) < 0)
			return dk_err_sys(err, "parsing");
		return 0;
	}
	if (dk_df_split_words(rest, in->escape, &words, err) < 0)
		ret = -1;
	for (size_t i = 0; ret == 0 && words && words[i]; i++) {
		const char *w = words[i], *eq = strchr(w, '=');

		if (!eq)
			ret = dk_err_set(err, "\"%s\" is not of the form key=value", w);
		else if (eq == w)
			ret = dk_err_set(err, "\"%s\": empty key", w);
		else if (strv_push(&in->kv, w, eq - w) < 0 ||
			 strv_push(&in->kv, eq + 1, strlen(eq + 1)) < 0)
			ret = dk_err_sys(err, "parsing");
	}
	dk_strv_free(words);
	return ret;
}

static int parse_rest_string(const char *rest, struct dk_df_instr *in, struct dk_err *err)
{
	if (strv_push(&in->args, rest, strlen(rest)) < 0)
		return dk_err_sys(err, "parsing");
	return 0;
}

/* JSON form if it parses as one, else the shell form as one string (as_words
 * false) or as words. */
static int parse_json_or(const char *rest, struct dk_df_instr *in, bool as_words,
			 struct dk_err *err)
{
	char **v = parse_json_form(rest);

	if (v) {
		in->json = true;
		in->args = v;
		return 0;
	}
	if (in->cmd == DK_DF_SHELL)
		return dk_err_set(
		    err,
		    "needs its arguments in JSON form: SHELL [\"executable\", \"parameters\"]");
	return as_words ? dk_df_split_words(rest, in->escape, &in->args, err)
			: parse_rest_string(rest, in, err);
}

static int parse_trigger(const char *rest, int lineno, struct dk_df_instr *in, struct dk_err *err)
{
	const char *e = rest;
	char kw[16];

	while (*e && !isspace((unsigned char)*e))
		e++;
	snprintf(kw, sizeof(kw), "%.*s", (int)(e - rest), rest);
	int c = dk_df_cmd_lookup(kw);
	if (c == DK_DF_ONBUILD || c == DK_DF_FROM || c == DK_DF_MAINTAINER)
		return dk_err_set(err, "ONBUILD %s is not allowed", kw);
	if (in->cmd == DK_DF_HEALTHCHECK && c != DK_DF_CMD)
		return dk_err_set(err, "expected NONE or CMD, got \"%s\"", kw);
	in->trigger = calloc(1, sizeof(*in->trigger));
	if (!in->trigger)
		return dk_err_sys(err, "parsing");
	if (dk_df_parse_line_esc(rest, lineno, in->escape, in->trigger, err) < 0) {
		free(steal_ptr(in->trigger));
		return -1;
	}
	return parse_rest_string(rest, in, err);
}

static int parse_args(const char *rest, int lineno, struct dk_df_instr *in, struct dk_err *err)
{
	switch (in->cmd) {
	case DK_DF_RUN:
	case DK_DF_CMD:
	case DK_DF_ENTRYPOINT:
	case DK_DF_SHELL: return parse_json_or(rest, in, false, err);
	case DK_DF_ADD:
	case DK_DF_COPY:
	case DK_DF_VOLUME: return parse_json_or(rest, in, true, err);
	case DK_DF_ENV:
	case DK_DF_LABEL: return parse_kv(rest, in, err);
	case DK_DF_ONBUILD: return parse_trigger(rest, lineno, in, err);
	case DK_DF_HEALTHCHECK:
		if (strcasecmp(rest, "NONE") == 0)
			return parse_rest_string("NONE", in, err);
		return parse_trigger(rest, lineno, in, err);
	case DK_DF_MAINTAINER:
	case DK_DF_USER:
	case DK_DF_WORKDIR:
	case DK_DF_STOPSIGNAL: return parse_rest_string(rest, in, err);
	default: /* ARG, EXPOSE, FROM */ return dk_df_split_words(rest, in->escape, &in->args, err);
	}
}

static bool takes_flags(enum dk_df_cmd c)
{
	return c == DK_DF_ADD || c == DK_DF_COPY || c == DK_DF_RUN || c == DK_DF_FROM ||
	       c == DK_DF_HEALTHCHECK;
}

/* Trailing whitespace trimmed copy of s. */
static char *trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

static int parse_instr(const char *text, struct dk_df_instr *in, struct dk_err *err)
{
	const char *p = skip_space(text), *e = p, *rest;
	char kw[32];
	int c;

	while (*e && !isspace((unsigned char)*e))
		e++;
	if (e == p)
		return dk_err_set(err, "empty instruction");
	snprintf(kw, sizeof(kw), "%.*s", (int)(e - p), p);
	c = e - p < (int)sizeof(kw) ? dk_df_cmd_lookup(kw) : -1;
	if (c < 0)
		return dk_err_set(err, "unknown instruction \"%.*s\"", (int)(e - p), p);
	in->cmd = c;
	rest = skip_space(e);
	if (takes_flags(in->cmd) && !(rest = parse_flags(rest, in, err)))
		return dk_err_wrap(err, "%s", kw);
	if (!*rest)
		return dk_err_set(err, "%s requires at least one argument",
				  dk_df_cmd_name(in->cmd));
	if (parse_args(rest, in->line, in, err) < 0)
		return dk_err_wrap(err, "%s", dk_df_cmd_name(in->cmd));
	return 0;
}

int dk_df_parse_line(const char *line, int lineno, struct dk_df_instr *out, struct dk_err *err)
{
	return dk_df_parse_line_esc(line, lineno, '\\', out, err);
}

int dk_df_parse_line_esc(const char *line, int lineno, char esc, struct dk_df_instr *out,
			 struct dk_err *err)
{
	memset(out, 0, sizeof(*out));
	out->line = lineno;
	out->escape = esc;
	out->text = trimmed(skip_space(line));
	if (!out->text)
		return dk_err_sys(err, "line %d", lineno);
	if (parse_instr(out->text, out, err) < 0) {
		dk_df_instr_free(out);
		return dk_err_wrap(err, "line %d", lineno);
	}
	return 0;
}

void dk_df_instr_free(struct dk_df_instr *in)
{
	if (!in)
		return;
	free(in->text);
	dk_strv_free(in->args);
	dk_strv_free(in->kv);
	dk_strv_free(in->flags);
	for (size_t i = 0; i < in->n_heredocs; i++) {
		free(in->heredocs[i].name);
		free(in->heredocs[i].content);
	}
	free(in->heredocs);
	if (in->trigger) {
		dk_df_instr_free(in->trigger);
		free(in->trigger);
	}
	memset(in, 0, sizeof(*in));
}

void dk_df_instrs_free(struct dk_df_instr *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		dk_df_instr_free(&v[i]);
	free(v);
}
