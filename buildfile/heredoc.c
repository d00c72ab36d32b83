// SPDX-License-Identifier: GPL-2.0-or-later
/* heredoc.c: the here-documents of COPY and ADD as files: written into a
 * private directory under $DK_ROOT/build (mode 0644, the name of the
 * delimiter), from which the copy proceeds as from the context. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"

static int write_one(struct bf_build *b, int dfd, char *const *env, const struct dk_df_heredoc *h,
		     struct dk_err *err)
{
	cleanup_free char *text = NULL;

	if (strchr(h->name, '/') || !strcmp(h->name, ".") || !strcmp(h->name, ".."))
		return dk_err_set(err, "<<%s: not a file name", h->name);
	text = h->expand ? dk_df_heredoc_expand(h->content, env, b->df->escape, err)
			 : strdup(h->content);
	if (!text)
		return h->expand ? -1 : dk_err_sys(err, "here-document");
	if (dk_write_file_at(dfd, h->name, text, strlen(text), 0644, err) < 0)
		return -1;
	return fchmodat(dfd, h->name, 0644, 0) < 0 ? dk_err_sys(err, "%s", h->name) : 0;
}

int bf_heredoc_files(struct bf_build *b, struct bf_stage *st, const struct dk_df_instr *in,
		     char **root, char ***srcs, struct dk_err *err)
{
	char **env = bf_env_view(b, st, err);
	cleanup_close int dfd = -1;
	int ret = 0;

	*root = NULL;
	*srcs = NULL;
	if (!env)
		return -1;
	if (asprintf(root, "%s/build/%s-%u-heredoc", b->root, b->prefix, b->seq++) < 0) {
		*root = NULL;
		ret = dk_err_sys(err, "here-document");
	} else if (dk_mkdir_p(*root, 0700, err) < 0 ||
		   (dfd = open(*root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = dfd < 0 ? dk_err_sys(err, "%s", *root) : -1;
	}
	for (size_t i = 0; ret == 0 && i < in->n_heredocs; i++) {
		ret = write_one(b, dfd, env, &in->heredocs[i], err);
		if (ret == 0 && dk_strv_push(srcs, in->heredocs[i].name) < 0)
			ret = dk_err_sys(err, "here-document");
	}
	dk_strv_free(env);
	return ret;
}
