// SPDX-License-Identifier: GPL-2.0-or-later
/* warm.c: independent stages built side by side, as BuildKit does. Before
 * the stages run in order, each stage that reads no other stage (its FROM,
 * COPY --from and RUN --mount from= name images only, with no variables)
 * is built, quietly, in a child process of its own when there are at
 * least two such stages. Their steps land in the layer cache, and the run
 * in order then takes them from there (the keys written by this build's
 * children are taken under --no-cache and --no-cache-filter too). A
 * child's failure is not reported here: the ordered run meets that step
 * again and reports it as usual. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"
#include "mount.h"

#define MAX_WARM 64

/* A reference to another stage, or one not known before the build runs. */
static bool reads_stage(const struct dk_df_instr *v, size_t n, const char *ref)
{
	if (strchr(ref, '$') || strspn(ref, "0123456789") == strlen(ref))
		return true;
	for (size_t i = 0; i < n; i++)
		if (v[i].cmd == DK_DF_FROM && v[i].args[1] && v[i].args[2] &&
		    !strcasecmp(v[i].args[2], ref))
			return true;
	return false;
}

static bool instr_reads_stage(const struct dk_df_instr *v, size_t n, const struct dk_df_instr *in)
{
	const char *from = dk_df_flag(in, "from");

	if (in->cmd == DK_DF_FROM)
		return reads_stage(v, n, in->args[0]);
	if (in->cmd == DK_DF_COPY && from)
		return reads_stage(v, n, from);
	if (in->cmd == DK_DF_ONBUILD)
		return true;
	for (size_t i = 0; in->cmd == DK_DF_RUN && in->flags && in->flags[i]; i += 2)
		if (!strcmp(in->flags[i], "mount") &&
		    (strchr(in->flags[i + 1], '$') || strstr(in->flags[i + 1], "from=")))
			return true;
	return false;
}

/* The stage ends where the next FROM begins. */
static size_t stage_end(const struct dk_df_instr *v, size_t n, size_t first)
{
	size_t e = first + 1;

	while (e < n && v[e].cmd != DK_DF_FROM)
		e++;
	return e;
}

static bool independent(const struct dk_df_instr *v, size_t n, size_t first)
{
	for (size_t i = first; i < stage_end(v, n, first); i++)
		if (instr_reads_stage(v, n, &v[i]))
			return false;
	return true;
}

/* In the child: build the stage [first, end) as stage k; never returns. */
static void child(struct bf_build *b, const struct dk_df_instr *v, size_t first, size_t end,
		  size_t k, int keys)
{
	struct bf_opts o = *b->o;
	struct bf_stage *stages = calloc(k + 1, sizeof(*stages)), *st = NULL;
	size_t n_stages = k;
	struct dk_err err;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC), ret;

	if (null >= 0 && (dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0))
		_exit(1);
	o.quiet = true;
	o.tty = false;
	b->o = &o;
	b->warm_fd = keys;
	snprintf(b->prefix, sizeof(b->prefix), "dk-build-%d", (int)getpid());
	b->seq = 0;
	ret = stages ? bf_from_step(b, stages, &n_stages, &st, &v[first], &err) : -1;
	for (size_t i = first + 1; ret == 0 && i < end && !bf_interrupted; i++)
		ret = bf_step(b, st, stages, n_stages, &v[i], &err);
	_exit(ret == 0 && !bf_interrupted ? 0 : 1);
}

static void wait_all(pid_t *pids, size_t n)
{
	bool killed = false;

	for (size_t i = 0; i < n; i++) {
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {
			for (size_t j = 0; bf_interrupted && !killed && j < n; j++)
				kill(pids[j], SIGTERM);
			killed = killed || bf_interrupted;
		}
	}
}

/* The keys the children wrote, taken as this build's own. */
static void load_keys(struct bf_build *b, const char *path)
{
	cleanup_free char *buf = NULL;
	struct dk_err ignored;
	char *save = NULL;
	size_t len;

	if (dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, &ignored) < 0)
		return;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		dk_strv_push(&b->warm_keys, l);
}

/* Stages [first FROM .. last built]: candidates, forked when two or more. */
void bf_warm_stages(struct bf_build *b, const struct dk_df_instr *v, size_t from, size_t n,
		    size_t last)
{
	struct {
		size_t first, k; /* its FROM, its index */
	} c[MAX_WARM];
	size_t n_warm = 0, k = 0;
	pid_t pids[MAX_WARM];
	size_t n_pids = 0;
	cleanup_free char *path = NULL;

	for (size_t i = from; i < n && k <= last; i = stage_end(v, n, i), k++)
		if (n_warm < MAX_WARM && independent(v, n, i))
			c[n_warm].first = i, c[n_warm++].k = k;
	if (n_warm < 2 || asprintf(&path, "%s/build/%s-warm", b->root, b->prefix) < 0)
		return;
	struct dk_err ignored;
	cleanup_free char *dir = dk_path_join(b->root, "build");
	int keys = dir && dk_mkdir_p(dir, 0700, &ignored) == 0
		       ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)
		       : -1;
	if (keys < 0)
		return;
	bf_progress(b, "Building %zu independent stages side by side\n", n_warm);
	fflush(NULL);
	for (size_t i = 0; i < n_warm; i++) {
		pid_t pid = fork();

		if (pid == 0)
			child(b, v, c[i].first, stage_end(v, n, c[i].first), c[i].k, keys);
		if (pid > 0)
			pids[n_pids++] = pid;
	}
	close(keys);
	wait_all(pids, n_pids);
	load_keys(b, path);
	unlink(path);
}

bool bf_cache_warmed(const struct bf_build *b, const struct dk_digest *key)
{
	for (size_t i = 0; b->warm_keys && b->warm_keys[i]; i++)
		if (!strcmp(b->warm_keys[i], key->str))
			return true;
	return false;
}
