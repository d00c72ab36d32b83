// SPDX-License-Identifier: GPL-2.0-or-later
/* pull.h: the subcommands behind fetch's main, one file each. */
#ifndef FETCH_PULL_H
#define FETCH_PULL_H

#include "client.h"
#include "err.h"

int fx_pull(const struct fx_opts *o, const char *ref, struct dk_err *err);
int fx_push(const struct fx_opts *o, const char *local, const char *remote,
	    struct dk_err *err);
/* password NULL: read it from stdin (from_stdin) or the terminal. */
int fx_login(const struct fx_opts *o, const char *registry, const char *user,
	     const char *password, bool from_stdin, struct dk_err *err);
int fx_logout(const char *registry, struct dk_err *err);
int fx_tags(const struct fx_opts *o, const char *repo, struct dk_err *err);
int fx_inspect(const struct fx_opts *o, const char *ref, bool raw,
	       bool config, struct dk_err *err);
int fx_search(const struct fx_opts *o, const char *term, long limit,
	      bool json, struct dk_err *err);

#endif
