// SPDX-License-Identifier: GPL-2.0-or-later
/* df_int.h: what the Dockerfile parser's files (dockerfile.c, dffile.c,
 * dfheredoc.c) share and nothing else uses. */
#ifndef DK_DF_INT_H
#define DK_DF_INT_H

#include "dockerfile.h"

/* Split s into raw words (quotes kept, esc the escape character),
 * appended to *v. */
int dk_df_split_words(const char *s, char esc, char ***v, struct dk_err *err);

/* The here-document markers (<<NAME, <<-NAME, <<"NAME") among in's words,
 * added to in->heredocs without content. RUN, COPY and ADD in shell form
 * only; 0 markers is not an error. */
int dk_df_heredoc_markers(struct dk_df_instr *in, struct dk_err *err);

/* After every here-document's content was read: RUN's command and the
 * instruction text get them, as BuildKit hands them to the shell. */
int dk_df_heredoc_finish(struct dk_df_instr *in, struct dk_err *err);

#endif
