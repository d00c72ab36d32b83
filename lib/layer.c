// SPDX-License-Identifier: GPL-2.0-or-later
/* layer.c: dk_layer_apply, the loop over a layer's tar entries: whiteouts
 * to lib/layer_whiteout.c, everything else to lib/layer_entry.c, then the
 * deferred directory metadata and the digest checks. */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "archive_dl.h"
#include "cleanup.h"
#include "cli.h"
#include "layer_int.h"
#include "path.h"

void dk_layer_warn(struct dk_layer_ctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->stats)
		c->stats->skipped++;
	if (c->opts->warn)
		c->opts->warn(c->opts->warn_arg, msg);
	else
		fprintf(stderr, "%s: warning: %s%s%s\n", dk_tool_name,
			c->opts->what ? c->opts->what : "", c->opts->what ? ": " : "", msg);
}

/* Writing an entry changes the times of the directory it goes in; they are
 * put back afterwards (directories of this layer get theirs at the end),
 * so the tree does not depend on when it was unpacked. */
struct saved_times {
	int fd;
	struct timespec ts[2];
};

static void save_times(struct dk_layer_ctx *c, const char *dir, struct saved_times *s)
{
	struct dk_err ignore;
	struct stat st;

	s->fd = dk_path_open(c->rootfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, &ignore);
	if (s->fd >= 0 && fstat(s->fd, &st) < 0)
		dk_closep(&s->fd), s->fd = -1;
	else if (s->fd >= 0)
		s->ts[0] = st.st_atim, s->ts[1] = st.st_mtim;
}

static void restore_times(struct saved_times *s)
{
	if (s->fd < 0)
		return;
	futimens(s->fd, s->ts);
	dk_closep(&s->fd);
}

/* The directory whose times an entry at path changes ("/a" for "/a/b"),
 * into out (of strlen(path) + 1 bytes at least). */
static void parent_of(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash && slash != path ? (size_t)(slash - path) : 1;

	memcpy(out, path, n);
	out[n] = '\0';
}

/* path is cleaned, of any length; target and dir fit any part of it. */
static int write_one(struct dk_layer_ctx *c, struct archive_entry *e, const char *path,
		     struct dk_err *err)
{
	size_t size = strlen(path) + 2;
	cleanup_free char *target = malloc(size), *dir = malloc(size);
	enum dk_wh_kind kind = target && dir ? dk_whiteout_parse(path, target, size) : DK_WH_NONE;
	struct saved_times saved = {.fd = -1};
	int r;

	if (!target || !dir)
		return dk_err_sys(err, "entry");
	if (kind == DK_WH_INVALID)
		return dk_err_set(err, "whiteout names no valid file");
	if (kind == DK_WH_OPAQUE)
		strcpy(dir, target);
	else
		parent_of(kind == DK_WH_FILE ? target : path, dir);
	if (strcmp(path, "/") != 0)
		save_times(c, dir, &saved);
	if (kind != DK_WH_NONE)
		r = dk_layer_whiteout(c, kind, target, err);
	else
		r = dk_layer_write_entry(c, e, path, err);
	restore_times(&saved);
	return r;
}

static int apply_entry(struct dk_layer_ctx *c, struct archive_entry *e, struct dk_err *err)
{
	const char *raw = archive_entry_pathname(e);
	cleanup_free char *path = NULL, *target = NULL;
	size_t size;

	if (!raw || !*raw)
		return dk_err_set(err, "entry without a name");
	size = strlen(raw) + 2; /* a cleaned path is at most one byte longer */
	path = malloc(size);
	target = malloc(size);
	if (!path || !target)
		return dk_err_sys(err, "entry");
	dk_path_clean(raw, path, size);
	if (write_one(c, e, path, err) < 0)
		return -1;
	if (dk_whiteout_parse(path, target, size) != DK_WH_NONE)
		return 0;
	if (dk_pathset_add_tree(&c->added, path) < 0)
		return dk_err_sys(err, "remembering entries");
	if (c->stats)
		c->stats->entries++;
	return 0;
}

#define NAME_SHOWN 100 /* bytes of each end of a long name in errors */

static int apply_all(struct dk_layer_ctx *c, struct dk_err *err)
{
	struct archive_entry *e;
	int r;

	for (;;) {
		r = archive_read_next_header(c->ar, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN)
			return dk_err_set(err, "reading the tar stream: %s",
					  archive_error_string(c->ar));
		if (apply_entry(c, e, err) < 0) {
			const char *n = archive_entry_pathname(e);
			size_t len = n ? strlen(n) : 0;

			if (len <= 2 * NAME_SHOWN)
				return dk_err_wrap(err, "entry \"%s\"", n ? n : "");
			/* a long name would push the cause out of the message */
			return dk_err_wrap(err, "entry \"%.*s...%s\"", NAME_SHOWN, n,
					   n + len - NAME_SHOWN);
		}
	}
}

static int check_digest(const char *what, const struct dk_digest *want, const struct dk_digest *got,
			struct dk_err *err)
{
	if (!want || dk_digest_equal(want, got))
		return 0;
	return dk_err_set(err, "%s mismatch: expected %s, got %s", what, want->str, got->str);
}

static void ctx_free(struct dk_layer_ctx *c)
{
	for (size_t i = 0; i < c->n_dirs; i++)
		free(c->dirs[i].path);
	free(c->dirs);
	dk_pathset_free(&c->added);
}

int dk_layer_apply(int rootfd, int fd, const struct dk_layer_opts *opts,
		   struct dk_layer_stats *stats, struct dk_err *err)
{
	struct dk_layer_stream s;
	struct dk_layer_ctx c = {.rootfd = rootfd, .opts = opts, .stats = stats};
	struct dk_digest z, t;
	int r = -1;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	dk_path_cache_begin();
	if (dk_layer_stream_open(&s, fd, opts, err) < 0)
		goto out;
	c.ar = s.inner;
	if (apply_all(&c, err) < 0 || dk_layer_finish_dirs(&c, err) < 0 ||
	    dk_layer_stream_finish(&s, &z, &t, err) < 0)
		goto out;
	if (check_digest("digest", opts->digest, &z, err) < 0 ||
	    check_digest("diff_id", opts->diff_id, &t, err) < 0)
		goto out;
	if (stats) {
		stats->digest = z;
		stats->diff_id = t;
	}
	r = 0;
out:
	dk_path_cache_end();
	dk_layer_stream_close(&s);
	ctx_free(&c);
	if (r < 0 && opts->what)
		dk_err_wrap(err, "%s", opts->what);
	return r;
}
