// SPDX-License-Identifier: GPL-2.0-or-later
/* dockerfile.h: Dockerfile instructions. Parsing turns text into plain data
 * (no side effects, no variable expansion); applying the config-changing
 * instructions to a struct dk_run_config is a separate step. Shared by
 * `commit --change` and the Dockerfile builder. */
#ifndef DK_DOCKERFILE_H
#define DK_DOCKERFILE_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"
#include "oci.h"

enum dk_df_cmd {
	DK_DF_ADD,
	DK_DF_ARG,
	DK_DF_CMD,
	DK_DF_COPY,
	DK_DF_ENTRYPOINT,
	DK_DF_ENV,
	DK_DF_EXPOSE,
	DK_DF_FROM,
	DK_DF_HEALTHCHECK,
	DK_DF_LABEL,
	DK_DF_MAINTAINER,
	DK_DF_ONBUILD,
	DK_DF_RUN,
	DK_DF_SHELL,
	DK_DF_STOPSIGNAL,
	DK_DF_USER,
	DK_DF_VOLUME,
	DK_DF_WORKDIR,
};

/* A here-document of RUN, COPY or ADD: `<<NAME` (`<<-NAME` strips leading
 * tabs, a quoted 'NAME' or "NAME" turns expansion off). */
struct dk_df_heredoc {
	char *name;    /* the delimiter, unquoted */
	char *content; /* the lines up to the delimiter, each with its newline */
	bool expand;   /* unquoted delimiter: $VARs are expanded (COPY, ADD) */
	bool chomp;    /* <<-: leading tabs already stripped from content */
};

/* One instruction. Words are kept as written (quotes and $VARs intact);
 * dk_df_word() expands and unquotes them when the instruction is applied. */
struct dk_df_instr {
	enum dk_df_cmd cmd;
	int line;    /* 1-based line where the instruction starts */
	char *text;  /* the instruction as written, continuations joined, then
		      * each here-document's lines and delimiter */
	bool json;   /* exec (JSON array) form */
	char escape; /* the escape character: '\\' or '`' (# escape=) */
	/* RUN whose whole command is one here-document: args[0] is its
	 * content; script: it starts with "#!" and runs as a file. */
	bool heredoc_run, heredoc_script;
	struct dk_df_heredoc *heredocs; /* in the order of their markers */
	size_t n_heredocs;
	/* JSON form: the array elements. Shell form of RUN, CMD, ENTRYPOINT,
	 * HEALTHCHECK, ONBUILD, MAINTAINER: one element, the rest of the
	 * line. Every other instruction: its words. */
	char **args;
	char **kv;		     /* ENV, LABEL: key, value, ..., NULL (raw) */
	char **flags;		     /* leading --name=value: name, value, ..., NULL */
	struct dk_df_instr *trigger; /* ONBUILD: the parsed trigger */
};

/* Instruction name ("ENV") and its lookup (case-insensitive); -1 if unknown. */
const char *dk_df_cmd_name(enum dk_df_cmd cmd);
int dk_df_cmd_lookup(const char *name);

/* Parse one instruction (one logical line, no comment). lineno is used in
 * errors: "line 3: ENV: missing value for \"a\"". */
int dk_df_parse_line(const char *line, int lineno, struct dk_df_instr *out, struct dk_err *err);

/* Parse a whole Dockerfile text: comments, blank lines, backslash line
 * continuations. *out is a malloc'd array of *n instructions. */
int dk_df_parse(const char *text, struct dk_df_instr **out, size_t *n, struct dk_err *err);

/* A parsed Dockerfile: its parser directives and instructions. */
struct dk_df_file {
	struct dk_df_instr *v;
	size_t n;
	char *syntax; /* # syntax= (recorded, never fetched), or NULL */
	char *check;  /* # check= (accepted), or NULL */
	char escape;  /* # escape=, default '\\' */
};

/* Parse a Dockerfile as BuildKit does: parser directives at the top,
 * comment lines (also inside continuations), escape-character line
 * continuations joined without a space, here-documents of RUN, COPY and
 * ADD. */
int dk_df_parse_file(const char *text, struct dk_df_file *out, struct dk_err *err);
void dk_df_file_free(struct dk_df_file *f);

/* Parse one logical line with escape character esc ('\\' or '`'). */
int dk_df_parse_line_esc(const char *line, int lineno, char esc, struct dk_df_instr *out,
			 struct dk_err *err);

/* The flag NAME's value (the last one given), or NULL. */
const char *dk_df_flag(const struct dk_df_instr *in, const char *name);

/* Every flag of in is one this builder honours; a flag the Dockerfile
 * reference has but dk does not implement is "not supported", any other
 * "unknown flag". */
int dk_df_check_flags(const struct dk_df_instr *in, struct dk_err *err);

void dk_df_instr_free(struct dk_df_instr *in);
void dk_df_instrs_free(struct dk_df_instr *v, size_t n);

/* Expand $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt} from env ("K=V", ...)
 * and remove quotes and backslash escapes, as the shell-like word rules of
 * Dockerfiles do. Returns a malloc'd string or NULL with err. */
char *dk_df_word(const char *raw, char *const *env, struct dk_err *err);
/* The same with escape character esc; every ${VAR...} form of the
 * reference: ${V:-w} ${V-w} ${V:+w} ${V+w} ${V:?m} ${V?m} ${V#p} ${V##p}
 * ${V%p} ${V%%p} ${V/p/r} ${V//p/r} (p a shell pattern). */
char *dk_df_word_esc(const char *raw, char *const *env, char esc, struct dk_err *err);
/* Here-document text: $VAR expansion and escapes of $ and esc only,
 * quotes kept (as a shell treats an unquoted here-document). */
char *dk_df_heredoc_expand(const char *text, char *const *env, char esc, struct dk_err *err);

/* HEALTHCHECK (flags, CMD or NONE) as config.Healthcheck; *out malloc'd
 * (dk_healthcheck_free). */
int dk_df_healthcheck(const struct dk_df_instr *in, struct dk_healthcheck **out,
		      struct dk_err *err);

/* True for the instructions `docker commit --change` accepts. */
bool dk_df_commit_allowed(enum dk_df_cmd cmd);

/* What applying carries from one instruction to the next. */
struct dk_df_state {
	char *const *shell; /* SHELL for shell forms; NULL: rc->shell */
	bool cmd_set;	    /* a CMD was applied (ENTRYPOINT keeps it) */
	char *const *args;  /* build args ("K=V", ...) seen by expansion
				 * below rc->env; NULL: none */
};

/* Apply a config-changing instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
 * USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD, SHELL, HEALTHCHECK) to rc,
 * expanding variables from rc->env (and st->args). As docker, ENTRYPOINT
 * clears an inherited CMD unless a CMD came before it (st->cmd_set); shell
 * forms use st->shell, else rc->shell (SHELL), else /bin/sh -c. st may be
 * NULL. Other instructions are an error. */
int dk_df_apply(const struct dk_df_instr *in, struct dk_run_config *rc, struct dk_df_state *st,
		struct dk_err *err);

#endif
