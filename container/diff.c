// SPDX-License-Identifier: GPL-2.0-or-later
/* diff.c: `diff CONTAINER`: docker's A/C/D lines from the snapshot's
 * upper directory (an overlay whiteout is D; what a lower layer has is C,
 * the rest A), sorted by path. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cleanup.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "container.h"

struct walk {
	char **lowers; /* layer fs directories, any order */
	char **lines;
};

static bool in_lower(const struct walk *w, const char *path)
{
	struct stat st;
	char full[8192];

	for (char **l = w->lowers; *l; l++) {
		snprintf(full, sizeof(full), "%s%s", *l, path);
		if (lstat(full, &st) == 0)
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

static void walk_dir(struct walk *w, int dirfd, const char *prefix)
{
	cleanup_dir DIR *d = fdopendir(dup(dirfd));
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", prefix, e->d_name);
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
			add(w, 'D', path);
			continue;
		}
		if (net_mountpoint(path, &st) && !in_lower(w, path))
			continue;
		add(w, in_lower(w, path) ? 'C' : 'A', path);
		if (S_ISDIR(st.st_mode)) {
			cleanup_close int sub = openat(
			    dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				walk_dir(w, sub, path);
		}
	}
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
	cleanup_close int fd = -1;

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
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	}
	w.lines = calloc(1, sizeof(char *));
	walk_dir(&w, fd, "");
	qsort(w.lines, dk_strv_len(w.lines), sizeof(char *), cmp);
	for (char **l = w.lines; *l; l++)
		printf("%s\n", *l);
	dk_strv_free(w.lines);
	dk_strv_free(w.lowers);
	return 0;
}
