// SPDX-License-Identifier: GPL-2.0-or-later
/* diff.c: `diff CONTAINER`: docker's A/C/D lines from the snapshot's
 * upper directory (an overlay whiteout is D; what a lower layer has is C,
 * the rest A), sorted by path. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cleanup.h"
#include "dirwalk.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "container.h"

struct walk {
	char **lowers; /* layer fs directories, any order */
	char **lines;
};

/* Lower layers are looked up by path: one longer than a path cannot be
 * checked there and counts as added. */
static bool in_lower(const struct walk *w, const char *path)
{
	struct stat st;

	for (char **l = w->lowers; *l; l++) {
		cleanup_free char *full = NULL;

		if (asprintf(&full, "%s%s", *l, path) >= 0 && lstat(full, &st) == 0)
			return true;
	}
	return false;
}

static void add(struct walk *w, char kind, const char *path)
{
	char *line = NULL;

	if (asprintf(&line, "%c %s", kind, path) < 0)
		return;
	dk_strv_push(&w->lines, line); /* on failure the line is missing */
	free(line);
}

/* The empty files the runtime made as mount points for the container's
 * own hosts, hostname and resolv.conf: not changes, as for docker. */
static bool net_mountpoint(const char *path, const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_size == 0 &&
	       (!strcmp(path, "/etc/hosts") || !strcmp(path, "/etc/hostname") ||
		!strcmp(path, "/etc/resolv.conf"));
}

/* One entry of the upper directory (dk_dirwalk_fn). */
static int visit(void *ctx, int dirfd, const char *name, const char *path, struct dk_err *err)
{
	struct walk *w = ctx;
	struct stat st;

	(void)err;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
		add(w, 'D', path);
		return 0;
	}
	if (net_mountpoint(path, &st) && !in_lower(w, path))
		return 0;
	add(w, in_lower(w, path) ? 'C' : 'A', path);
	return S_ISDIR(st.st_mode);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

/* The layer directories from the snapshot's meta.json. */
static char **lowers(const char *id, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	char path[4200], **v = calloc(1, sizeof(char *));
	struct dk_json *meta;
	const struct dk_json *layers;
	size_t len;

	snprintf(path, sizeof(path), "%s/snapshots/%s/meta.json", ctr_g.root, id);
	if (!v || dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, err) < 0)
		return NULL;
	meta = dk_json_parse(buf, len, path, err);
	layers = dk_json_get(meta, "layers");
	for (size_t i = 0; i < dk_json_len(layers); i++) {
		snprintf(path, sizeof(path), "%s/layers/%s/fs", ctr_g.root,
			 dk_json_str(dk_json_at(layers, i)));
		dk_strv_push(&v, path);
	}
	dk_json_free(meta);
	return v;
}

int ctr_cmd_diff(int argc, char **argv)
{
	struct walk w = {0};
	struct dk_crec r;
	struct dk_err err = {0};
	char upper[4200];
	int fd = -1;

	if (argc != 2)
		return ctr_usage("diff", "\"diff\" requires exactly 1 argument.");
	if (ctr_find(argv[1], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	snprintf(upper, sizeof(upper), "%s/snapshots/%s/upper", ctr_g.root, r.id);
	w.lowers = lowers(r.id, &err);
	dk_crec_free(&r);
	fd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!w.lowers || fd < 0) {
		if (!err.msg[0])
			dk_err_sys(&err, "%s", upper);
		if (fd >= 0)
			close(fd);
		dk_strv_free(w.lowers);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	w.lines = calloc(1, sizeof(char *));
	if (dk_dirwalk(fd, "/", visit, &w, &err) < 0) {
		dk_strv_free(w.lines);
		dk_strv_free(w.lowers);
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	qsort(w.lines, dk_strv_len(w.lines), sizeof(char *), cmp);
	for (char **l = w.lines; *l; l++)
		printf("%s\n", *l);
	dk_strv_free(w.lines);
	dk_strv_free(w.lowers);
	return 0;
}
