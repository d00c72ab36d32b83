// SPDX-License-Identifier: GPL-2.0-or-later
/* dfheredoc.c: here-documents of RUN, COPY and ADD: finding the markers
 * in an instruction's words, and giving RUN its command once the contents
 * are read (a lone here-document is the script; otherwise the shell gets
 * the command line followed by every here-document, as BuildKit does). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "df_int.h"
#include "json.h"

/* "<<NAME", "<<-NAME", "2<<'NAME'": the marker's name and flags, or
 * false when word is no marker. */
static bool marker(const char *word, char *name, size_t size, bool *chomp, bool *expand)
{
	const char *p = word;
	size_t n;

	while (isdigit((unsigned char)*p))
		p++;
	if (strncmp(p, "<<", 2) != 0)
		return false;
	p += 2;
	*chomp = *p == '-';
	p += *chomp;
	n = strlen(p);
	if (n == 0 || strchr(p, '<') || n >= size)
		return false;
	*expand = true;
	if (n >= 2 && (p[0] == '\'' || p[0] == '"') && p[n - 1] == p[0]) {
		*expand = false;
		p++;
		n -= 2;
	}
	if (n == 0 || memchr(p, '\'', n) || memchr(p, '"', n))
		return false;
	snprintf(name, size, "%.*s", (int)n, p);
	return true;
}

static int add_marker(struct dk_df_instr *in, const char *name, bool chomp, bool expand)
{
	struct dk_df_heredoc *v = realloc(in->heredocs, (in->n_heredocs + 1) * sizeof(*v));

	if (!v)
		return -1;
	in->heredocs = v;
	v[in->n_heredocs] =
	    (struct dk_df_heredoc){.name = strdup(name), .expand = expand, .chomp = chomp};
	in->n_heredocs++;
	return v[in->n_heredocs - 1].name ? 0 : -1;
}

int dk_df_heredoc_markers(struct dk_df_instr *in, struct dk_err *err)
{
	char **words = NULL;
	int ret = 0;

	if (in->json || !(in->cmd == DK_DF_RUN || in->cmd == DK_DF_COPY || in->cmd == DK_DF_ADD))
		return 0;
	if (in->cmd == DK_DF_RUN) {
		if (dk_df_split_words(in->args[0], in->escape, &words, err) < 0) {
			dk_strv_free(words); /* the words split before the error */
			return dk_err_wrap(err, "RUN");
		}
	} else if (!(words = dk_strv_dup(in->args))) {
		return dk_err_sys(err, "parsing");
	}
	for (size_t i = 0; ret == 0 && words && words[i]; i++) {
		char name[256];
		bool chomp, expand;

		if (marker(words[i], name, sizeof(name), &chomp, &expand) &&
		    add_marker(in, name, chomp, expand) < 0)
			ret = dk_err_sys(err, "parsing");
	}
	dk_strv_free(words);
	return ret;
}

static int append(char **s, const char *a, const char *b)
{
	char *n = NULL;

	if (asprintf(&n, "%s\n%s%s", *s, a, b) < 0)
		return -1;
	free(*s);
	*s = n;
	return 0;
}

/* RUN <<EOF alone: the content is the command. */
static bool lone_heredoc(const struct dk_df_instr *in)
{
	char **words = NULL;
	struct dk_err ignored;
	char name[256];
	bool chomp, expand, lone;

	if (in->cmd != DK_DF_RUN || in->n_heredocs != 1)
		return false;
	if (dk_df_split_words(in->args[0], in->escape, &words, &ignored) < 0) {
		dk_strv_free(words);
		return false;
	}
	lone = dk_strv_len(words) == 1 && marker(words[0], name, sizeof(name), &chomp, &expand);
	dk_strv_free(words);
	return lone;
}

int dk_df_heredoc_finish(struct dk_df_instr *in, struct dk_err *err)
{
	bool lone = lone_heredoc(in);

	for (size_t i = 0; i < in->n_heredocs; i++) {
		const struct dk_df_heredoc *h = &in->heredocs[i];

		if (append(&in->text, h->content, h->name) < 0 ||
		    (in->cmd == DK_DF_RUN && !lone &&
		     append(&in->args[0], h->content, h->name) < 0))
			return dk_err_sys(err, "here-document");
	}
	if (!lone)
		return 0;
	char *content = strdup(in->heredocs[0].content);
	if (!content)
		return dk_err_sys(err, "here-document");
	free(in->args[0]);
	in->args[0] = content;
	in->heredoc_run = true;
	in->heredoc_script = strncmp(content, "#!", 2) == 0;
	return 0;
}
