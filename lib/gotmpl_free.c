// SPDX-License-Identifier: GPL-2.0-or-later
/* gotmpl_free.c: frees a template's parse tree. */
#include <stdlib.h>
#include "gotmpl_lex.h"

static void free_args(struct targ *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].str);
		tmpl_strv_free(a[i].fields);
		tmpl_free_pipe(a[i].pipe);
	}
	free(a);
}

void tmpl_free_pipe(struct tpipe *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_vars; i++)
		free(p->vars[i]);
	for (size_t i = 0; i < p->n_cmds; i++)
		free_args(p->cmds[i].args, p->cmds[i].n_args);
	free(p->cmds);
	free(p);
}

void tmpl_free_list(struct tlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->nodes[i].text);
		tmpl_free_pipe(l->nodes[i].pipe);
		tmpl_free_list(l->nodes[i].list);
		tmpl_free_list(l->nodes[i].else_list);
	}
	free(l->nodes);
	free(l);
}

void dk_tmpl_free(struct dk_tmpl *t)
{
	if (!t)
		return;
	tmpl_free_list(t->root);
	free(t->src);
	free(t);
}
