// SPDX-License-Identifier: GPL-2.0-or-later
/* plan.c: --print: the parsed build as JSON without running anything: the
 * parser directives, the global build args as resolved, each stage with
 * its expanded base, the stages and images it depends on (FROM, COPY
 * --from, RUN --mount from=), whether the target needs it, and its
 * instructions with flags, arguments and here-documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "build.h"
#include "cleanup.h"
#include "json.h"
#include "mount.h"

struct pstage {
	size_t first, end; /* instructions [first, end), first is the FROM */
	char *name, *base;
	char **refs; /* every stage or image it reads from, as written */
	int *deps;   /* stage indices, -1 terminated */
	bool needed;
};

static int stage_index(const struct pstage *s, size_t n, const char *ref)
{
	char *end;
	long i = strtol(ref, &end, 10);

	if (*ref && !*end && i >= 0 && (size_t)i < n)
		return (int)i;
	for (size_t k = 0; k < n; k++)
		if (s[k].name && !strcasecmp(s[k].name, ref))
			return (int)k;
	return -1;
}

static int add_ref(struct pstage *s, const char *ref)
{
	return dk_strv_push(&s->refs, ref);
}

/* The stages or images an instruction reads from. */
static int instr_refs(struct pstage *s, const struct dk_df_instr *in)
{
	const char *from = dk_df_flag(in, "from");

	if ((in->cmd == DK_DF_COPY) && from && add_ref(s, from) < 0)
		return -1;
	for (size_t i = 0; in->cmd == DK_DF_RUN && in->flags && in->flags[i]; i += 2) {
		struct bf_mount_spec m;
		struct dk_err ignored;

		if (strcmp(in->flags[i], "mount") || bf_mount_parse(in->flags[i + 1], &m, &ignored))
			continue;
		int r = m.from ? add_ref(s, m.from) : 0;
		bf_mount_spec_free(&m);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int split_stages(struct bf_build *b, const struct dk_df_file *df, struct pstage *s,
			size_t *n, struct dk_err *err)
{
	for (size_t i = 0; i < df->n; i++) {
		const struct dk_df_instr *in = &df->v[i];

		if (in->cmd == DK_DF_FROM) {
			struct pstage *p = &s[(*n)++];

			p->first = i;
			p->base = dk_df_word_esc(in->args[0], b->global_args, in->escape, err);
			if (!p->base)
				return dk_err_wrap(err, "line %d: FROM", in->line);
			if (in->args[1] && in->args[2] && !(p->name = strdup(in->args[2])))
				return dk_err_sys(err, "plan");
			if (add_ref(p, p->base) < 0)
				return dk_err_sys(err, "plan");
		} else if (*n && instr_refs(&s[*n - 1], in) < 0) {
			return dk_err_sys(err, "plan");
		}
		if (*n)
			s[*n - 1].end = i + 1;
	}
	return 0;
}

static int resolve_deps(struct pstage *s, size_t n, struct dk_err *err)
{
	for (size_t k = 0; k < n; k++) {
		size_t m = dk_strv_len(s[k].refs);

		if (!(s[k].deps = malloc((m + 1) * sizeof(int))))
			return dk_err_sys(err, "plan");
		size_t d = 0;
		for (size_t i = 0; i < m; i++) {
			int idx = stage_index(s, k, s[k].refs[i]);

			if (idx >= 0)
				s[k].deps[d++] = idx;
		}
		s[k].deps[d] = -1;
	}
	return 0;
}

static void mark_needed(struct pstage *s, int k)
{
	if (s[k].needed)
		return;
	s[k].needed = true;
	for (int *d = s[k].deps; *d >= 0; d++)
		mark_needed(s, *d);
}

static void emit_instr(struct dk_jgen *g, const struct dk_df_instr *in)
{
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "line", in->line);
	dk_jgen_kstr(g, "instruction", dk_df_cmd_name(in->cmd));
	dk_jgen_str(g, "flags");
	dk_jgen_array_open(g);
	for (size_t i = 0; in->flags && in->flags[i]; i += 2) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "name", in->flags[i]);
		dk_jgen_kstr(g, "value", in->flags[i + 1]);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	dk_jgen_kbool(g, "json", in->json);
	dk_jgen_str(g, "args");
	dk_jgen_strv(g, in->kv ? in->kv : in->args);
	dk_jgen_str(g, "heredocs");
	dk_jgen_array_open(g);
	for (size_t i = 0; i < in->n_heredocs; i++) {
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "name", in->heredocs[i].name);
		dk_jgen_kbool(g, "expand", in->heredocs[i].expand);
		dk_jgen_kstr(g, "content", in->heredocs[i].content);
		dk_jgen_map_close(g);
	}
	dk_jgen_array_close(g);
	dk_jgen_kstr(g, "text", in->text);
	dk_jgen_map_close(g);
}

static void emit_stage(struct dk_jgen *g, const struct dk_df_file *df, const struct pstage *s,
		       size_t k, size_t n)
{
	dk_jgen_map_open(g);
	dk_jgen_kint(g, "index", (int64_t)k);
	dk_jgen_str(g, "name");
	s[k].name ? dk_jgen_str(g, s[k].name) : dk_jgen_null(g);
	dk_jgen_kint(g, "line", df->v[s[k].first].line);
	dk_jgen_kstr(g, "base", s[k].base);
	dk_jgen_kbool(g, "needed", s[k].needed);
	dk_jgen_str(g, "depends_on");
	dk_jgen_array_open(g);
	for (int *d = s[k].deps; *d >= 0; d++)
		dk_jgen_int(g, *d);
	dk_jgen_array_close(g);
	dk_jgen_str(g, "images");
	dk_jgen_array_open(g);
	for (size_t i = 0; s[k].refs && s[k].refs[i]; i++)
		if (stage_index(s, k, s[k].refs[i]) < 0 && strcmp(s[k].refs[i], "scratch"))
			dk_jgen_str(g, s[k].refs[i]);
	dk_jgen_array_close(g);
	dk_jgen_str(g, "instructions");
	dk_jgen_array_open(g);
	for (size_t i = s[k].first; i < s[k].end; i++)
		emit_instr(g, &df->v[i]);
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
	(void)n;
}

static int emit(struct bf_build *b, const struct dk_df_file *df, const char *file, struct pstage *s,
		size_t n, int target, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(true);
	cleanup_free char *out = NULL;
	size_t len;

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "dockerfile", file);
	dk_jgen_str(g, "syntax");
	df->syntax ? dk_jgen_str(g, df->syntax) : dk_jgen_null(g);
	dk_jgen_str(g, "check");
	df->check ? dk_jgen_str(g, df->check) : dk_jgen_null(g);
	char esc[2] = {df->escape, 0};
	dk_jgen_kstr(g, "escape", esc);
	dk_jgen_str(g, "args");
	dk_jgen_strv(g, b->global_args);
	dk_jgen_kint(g, "target", target);
	dk_jgen_str(g, "stages");
	dk_jgen_array_open(g);
	for (size_t k = 0; k < n; k++)
		emit_stage(g, df, s, k, n);
	dk_jgen_array_close(g);
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &out, &len, err) < 0)
		return -1;
	fwrite(out, 1, len, stdout);
	putchar('\n');
	return 0;
}

int bf_plan_print(struct bf_build *b, const struct dk_df_file *df, const char *file,
		  struct dk_err *err)
{
	struct pstage *s = calloc(df->n + 1, sizeof(*s));
	size_t n = 0;
	int ret = s ? 0 : dk_err_sys(err, "plan"), target = -1;

	for (size_t i = 0; ret == 0 && i < df->n && df->v[i].cmd == DK_DF_ARG; i++)
		ret = bf_arg_apply(b, &b->global_args, b->global_args, &df->v[i], err);
	if (ret == 0)
		ret = split_stages(b, df, s, &n, err);
	if (ret == 0)
		ret = resolve_deps(s, n, err);
	if (ret == 0 && n) {
		target = b->o->target ? stage_index(s, n, b->o->target) : (int)n - 1;
		mark_needed(s, target < 0 ? (int)n - 1 : target);
		ret = emit(b, df, file, s, n, target, err);
	}
	for (size_t k = 0; s && k < n; k++) {
		free(s[k].name);
		free(s[k].base);
		dk_strv_free(s[k].refs);
		free(s[k].deps);
	}
	free(s);
	return ret;
}
