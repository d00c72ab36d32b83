// SPDX-License-Identifier: GPL-2.0-or-later
/* state.c: state directories, state.json and container status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "crecord.h"
#include "fs.h"
#include "state.h"

char *rt_state_root(const char *opt)
{
	const char *x = getenv("XDG_RUNTIME_DIR");

	if (opt)
		return strdup(opt);
	if (geteuid() == 0 || !x || !*x)
		return strdup("/run/dk-runtime");
	return dk_path_join(x, "dk-runtime");
}

int rt_id_check(const char *id, struct dk_err *err)
{
	if (!id || !*id)
		return dk_err_set(err, "container id is empty");
	if (!strcmp(id, ".") || !strcmp(id, "..") || strlen(id) > 1024 ||
	    id[strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")])
		return dk_err_set(err, "invalid container id \"%s\"", id);
	return 0;
}

static int lock_dir(int fd, const char *id, struct dk_err *err)
{
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return dk_err_sys(err, "container %s: locking", id);
	return 0;
}

int rt_state_create(const char *root, const char *id, struct dk_err *err)
{
	cleanup_free char *dir = dk_path_join(root, id);
	int fd;

	if (dk_mkdir_p(root, 0711, err) < 0)
		return dk_err_wrap(err, "state root");
	if (mkdir(dir, 0711) < 0)
		return errno == EEXIST ? dk_err_set(err, "container \"%s\" already exists", id)
				       : dk_err_sys(err, "creating %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening %s", dir);
	if (lock_dir(fd, id, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int rt_state_open(const char *root, const char *id, struct dk_err *err)
{
	cleanup_free char *dir = NULL;
	int fd;

	if (rt_id_check(id, err) < 0)
		return -1;
	dir = dk_path_join(root, id);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? dk_err_set(err, "container \"%s\" does not exist", id)
				       : dk_err_sys(err, "opening %s", dir);
	if (lock_dir(fd, id, err) < 0) {
		close(fd);
		return -1;
	}
	/* removed while we waited for the lock? */
	if (faccessat(fd, "state.json", F_OK, 0) < 0 && faccessat(fd, ".creating", F_OK, 0) < 0) {
		close(fd);
		return dk_err_set(err, "container \"%s\" does not exist", id);
	}
	return fd;
}

int rt_state_remove(const char *root, const char *id, struct dk_err *err)
{
	cleanup_close int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return dk_err_sys(err, "opening %s", root);
	return dk_rm_rf_at(fd, id, err);
}

int rt_state_write(int dirfd, const struct rt_state *st, struct dk_err *err)
{
	struct dk_jgen *g = dk_jgen_new(false);
	cleanup_free char *buf = NULL;
	size_t len;

	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "id", st->id);
	dk_jgen_kint(g, "pid", st->pid);
	dk_jgen_kint(g, "startTime", (int64_t)st->start_time);
	dk_jgen_kstr(g, "bundle", st->bundle);
	dk_jgen_kstr(g, "rootfs", st->rootfs);
	dk_jgen_kstr(g, "created", st->created);
	dk_jgen_kint(g, "owner", st->owner);
	dk_jgen_kbool(g, "paused", st->paused);
	dk_jgen_str(g, "cgroups");
	dk_jgen_strv(g, st->cgroups ? st->cgroups : (char *[]){NULL});
	if (st->annotations) {
		dk_jgen_str(g, "annotations");
		dk_jgen_value(g, st->annotations);
	}
	dk_jgen_map_close(g);
	if (dk_jgen_finish_dup(g, &buf, &len, err) < 0)
		return -1;
	return rt_write_atomic(dirfd, "state.json", buf, len, 0600, err);
}

int rt_write_atomic(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
		    struct dk_err *err)
{
	char tmp[300];
	cleanup_close int fd = -1;

	snprintf(tmp, sizeof(tmp), ".%.200s.%d.tmp", name, getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return dk_err_sys(err, "creating %s", tmp);
	if (dk_write_all(fd, buf, len, err) < 0) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		dk_err_sys(err, "renaming %s", tmp);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

static char *dup_str(const struct dk_json *d, const char *k)
{
	const char *s = dk_json_get_str(d, k);

	return strdup(s ? s : "");
}

int rt_state_read(int dirfd, struct rt_state *st, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int64_t v = 0;

	memset(st, 0, sizeof(*st));
	if (dk_read_file_at(dirfd, "state.json", 1 << 20, &buf, &len, err) < 0)
		return -1;
	st->doc = dk_json_parse(buf, len, "state.json", err);
	if (!st->doc)
		return -1;
	st->id = dup_str(st->doc, "id");
	st->bundle = dup_str(st->doc, "bundle");
	st->rootfs = dup_str(st->doc, "rootfs");
	st->created = dup_str(st->doc, "created");
	dk_json_int64(dk_json_get(st->doc, "pid"), &v);
	st->pid = (pid_t)v;
	dk_json_int64(dk_json_get(st->doc, "startTime"), &v);
	st->start_time = (unsigned long long)v;
	dk_json_int64(dk_json_get(st->doc, "owner"), &v);
	st->owner = (uid_t)v;
	st->paused = dk_json_is_true(dk_json_get(st->doc, "paused"));
	st->cgroups = dk_json_strv(dk_json_get(st->doc, "cgroups"), "cgroups", err);
	st->annotations = dk_json_get(st->doc, "annotations");
	return st->cgroups ? 0 : -1;
}

void rt_state_clear(struct rt_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	dk_strv_free(st->cgroups);
	dk_json_free(st->doc);
	memset(st, 0, sizeof(*st));
}

unsigned long long rt_proc_start_time(pid_t pid)
{
	return dk_proc_starttime(pid); /* 0: gone, or a zombie */
}

const char *rt_state_status(int dirfd, const struct rt_state *st)
{
	if (st->pid <= 0 || rt_proc_start_time(st->pid) != st->start_time)
		return "stopped";
	if (st->paused)
		return "paused";
	if (faccessat(dirfd, RT_FIFO, F_OK, 0) == 0)
		return "created";
	return "running";
}

void rt_state_gen(struct dk_jgen *g, const struct rt_state *st, const char *status)
{
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "ociVersion", "1.0.2");
	dk_jgen_kstr(g, "id", st->id);
	dk_jgen_kint(g, "pid", strcmp(status, "stopped") ? st->pid : 0);
	dk_jgen_kstr(g, "status", status);
	dk_jgen_kstr(g, "bundle", st->bundle);
	dk_jgen_kstr(g, "rootfs", st->rootfs);
	dk_jgen_kstr(g, "created", st->created);
	dk_jgen_kint(g, "owner", st->owner);
	if (st->annotations) {
		dk_jgen_str(g, "annotations");
		dk_jgen_value(g, st->annotations);
	}
	dk_jgen_map_close(g);
}

char *rt_state_json(const struct rt_state *st, const char *status)
{
	struct dk_jgen *g = dk_jgen_new(false);
	char *buf = NULL;
	size_t len;
	struct dk_err e;

	rt_state_gen(g, st, status);
	if (dk_jgen_finish_dup(g, &buf, &len, &e) < 0)
		return NULL;
	return buf;
}
