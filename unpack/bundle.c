// SPDX-License-Identifier: GPL-2.0-or-later
/* bundle.c: image -> bundle. Everything is built in a temporary directory
 * next to BUNDLE and renamed into place (exchanged with the old bundle
 * under --force) only once every layer verified, so a failure leaves
 * nothing half-written behind. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "userspec.h"
#include "unpack.h"

/* 0: BUNDLE absent, 1: an empty directory, 2: non-empty directory. */
static int bundle_state(const char *bundle, struct dk_err *err)
{
	cleanup_dir DIR *d = opendir(bundle);
	struct dirent *de;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return dk_err_sys(err, "bundle %s", bundle);
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			return 2;
	return 1;
}

/* Write rootfs/ and config.json into the directory dirfd. */
static int fill(struct dk_store *s, const struct dk_image *img, int dirfd,
		const struct unpack_opts *o, struct dk_err *err)
{
	cleanup_close int rootfd = -1;
	cleanup_free char *json = NULL;
	struct dk_user u;
	size_t len;

	if (mkdirat(dirfd, "rootfs", 0755) < 0)
		return dk_err_sys(err, "creating rootfs");
	rootfd = openat(dirfd, "rootfs", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return dk_err_sys(err, "opening rootfs");
	if (unpack_layers(s, img, rootfd, o, err) < 0 ||
	    unpack_resolve_user(img, rootfd, &u, err) < 0 ||
	    unpack_spec(img, &u, o, &json, &len, err) < 0)
		return -1;
	if (dk_write_file_at(dirfd, "config.json", json, len, 0644, err) < 0)
		return dk_err_wrap(err, "config.json");
	return 0;
}

/* Move the finished tmp into place as bundle. */
static int publish(const char *tmp, const char *bundle, int state, struct dk_err *err)
{
	if (state == 0 || state == 1) {
		if (rename(tmp, bundle) < 0)
			return dk_err_sys(err, "renaming into %s", bundle);
		return 0;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, bundle, RENAME_EXCHANGE) < 0)
		return dk_err_sys(err, "replacing %s", bundle);
	/* tmp now holds the old bundle; the new one is in place */
	struct dk_err ignore;
	dk_rm_rf_at(AT_FDCWD, tmp, &ignore);
	return 0;
}

static int make_tmp(const char *bundle, char *tmp, size_t size, struct dk_err *err)
{
	cleanup_free char *copy = strdup(bundle);
	char *dir;

	if (!copy)
		return dk_err_sys(err, "bundle");
	dir = dirname(copy);
	if (dk_mkdir_p(dir, 0755, err) < 0)
		return -1;
	if (snprintf(tmp, size, "%s/.unpack-XXXXXX", dir) >= (int)size)
		return dk_err_set(err, "bundle %s: name too long", bundle);
	/* 0700 from mkdtemp, and it stays so: the rootfs keeps the image's
	 * setuid files and device nodes, which no local user may reach */
	if (!mkdtemp(tmp))
		return dk_err_sys(err, "creating a directory next to %s", bundle);
	return 0;
}

/* The host id that id 0 of the container maps to, or -1. */
static long mapped_root(const struct dk_idmap *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].inside == 0 && m[i].count > 0)
			return (long)m[i].outside;
	return -1;
}

/* With an id map, the container's root must still traverse the 0700
 * bundle: it becomes the bundle's owner (umoci leaves that to the user). */
static int give_to_mapped_root(int dirfd, const struct unpack_opts *o, struct dk_err *err)
{
	long uid = mapped_root(o->uid_map, o->n_uid_map);
	long gid = mapped_root(o->gid_map, o->n_gid_map);

	if (uid < 0 && gid < 0)
		return 0;
	if (fchown(dirfd, (uid_t)uid, (gid_t)gid) < 0)
		return dk_err_sys(err, "giving the bundle to the mapped root %ld:%ld", uid, gid);
	return 0;
}

/* Killed while filling the temporary directory: remove it (rm -rf in a
 * child, as only async-signal-safe calls may run here), then die of the
 * same signal. */
static char tmp_path[PATH_MAX];

static void on_signal(int sig)
{
	char *const argv[] = {"rm", "-rf", "--", tmp_path, NULL};
	char *const envp[] = {NULL};
	pid_t pid = fork();

	if (pid == 0) {
		execve("/bin/rm", argv, envp);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard(bool on)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa = {.sa_handler = on ? on_signal : SIG_DFL};

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int unpack_bundle(struct dk_store *s, const struct dk_image *img, const struct unpack_opts *o,
		  struct dk_err *err)
{
	char tmp[PATH_MAX];
	cleanup_close int dirfd = -1;
	int state = bundle_state(o->bundle, err);

	if (state < 0)
		return -1;
	if (state == 2 && !o->force)
		return dk_err_set(err,
				  "bundle %s: not empty (use --force to "
				  "replace it)",
				  o->bundle);
	if (make_tmp(o->bundle, tmp, sizeof(tmp), err) < 0)
		return -1;
	memcpy(tmp_path, tmp, sizeof(tmp_path));
	guard(true);
	dirfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		dk_err_sys(err, "%s", tmp);
	} else if (give_to_mapped_root(dirfd, o, err) == 0 && fill(s, img, dirfd, o, err) == 0 &&
		   publish(tmp, o->bundle, state, err) == 0) {
		guard(false);
		return 0;
	}
	struct dk_err ignore;
	dk_rm_rf_at(AT_FDCWD, tmp, &ignore);
	guard(false);
	return -1;
}
