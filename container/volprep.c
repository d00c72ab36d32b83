// SPDX-License-Identifier: GPL-2.0-or-later
/* volprep.c: the volumes of a container being created: anonymous ones
 * named, each made unless it exists, and an empty one filled from what
 * the image has at the mount's target (docker's copy-up; volume-nocopy
 * turns it off). The image's directory is opened confined to the rootfs
 * and copied by `cp -a`, which copies symlinks as symlinks. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "json.h"
#include "path.h"
#include "volume.h"
#include "container.h"

int ctr_volumes_name(struct dk_hostcfg *h)
{
	for (char **s = h->mounts; s && *s; s++) {
		struct dk_mountspec m;
		struct dk_err err;
		unsigned char b[32];
		char *text;

		if (dk_mountspec_parse(*s, &m, &err) < 0 || strcmp(m.type, "volume") || m.source[0])
			continue;
		if (getrandom(b, sizeof(b), 0) != sizeof(b))
			return -1;
		for (int i = 0; i < 32; i++)
			sprintf(m.source + 2 * i, "%02x", b[i]);
		m.anonymous = true;
		text = dk_mountspec_format(&m);
		if (!text)
			return -1;
		free(*s);
		*s = text;
	}
	return 0;
}

static bool is_empty(const char *dir)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			return false;
	return true;
}

static int copy_up(const char *rootfs, const char *target, const char *data, struct dk_err *err)
{
	cleanup_close int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int src = -1;
	struct dk_err ignore;
	char from[64];
	int status;
	pid_t pid;

	if (root < 0)
		return dk_err_sys(err, "rootfs %s", rootfs);
	src = dk_path_open(root, target, O_RDONLY | O_DIRECTORY, 0, &ignore);
	if (src < 0)
		return 0; /* nothing there in the image */
	snprintf(from, sizeof(from), "/proc/self/fd/%d/.", src);
	pid = fork();
	if (pid < 0)
		return dk_err_sys(err, "fork");
	if (pid == 0) {
		fcntl(src, F_SETFD, 0);
		execlp("cp", "cp", "-a", "--", from, data, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return dk_err_set(err, "copying the image's %s into its volume failed", target);
	return 0;
}

static int prepare_one(const struct dk_mountspec *m, const char *rootfs, char ***made,
		       struct dk_err *err)
{
	cleanup_free char *data = NULL;
	bool created;

	if (dk_vol_create(ctr_g.root, m->source, m->anonymous, NULL, &created, err) < 0)
		return -1;
	if (created && dk_strv_push(made, m->source) < 0)
		return dk_err_sys(err, "volume %s", m->source);
	data = dk_vol_data(ctr_g.root, m->source);
	if (!data)
		return dk_err_sys(err, "volume %s", m->source);
	if (!m->nocopy && is_empty(data) && copy_up(rootfs, m->target, data, err) < 0)
		return dk_err_wrap(err, "volume %s", m->source);
	return 0;
}

/* On failure the volumes made here are removed again. */
int ctr_volumes_prepare(const struct dk_crec *rec, const char *rootfs, struct dk_err *err)
{
	char **made = NULL;
	int rc = 0;

	for (char **s = rec->o.hc.mounts; s && *s && rc == 0; s++) {
		struct dk_mountspec m;
		rc = dk_mountspec_parse(*s, &m, err);
		if (rc == 0 && !strcmp(m.type, "volume"))
			rc = prepare_one(&m, rootfs, &made, err);
	}
	for (char **n = made; rc < 0 && n && *n; n++) {
		struct dk_err ignore;
		dk_vol_remove(ctr_g.root, *n, &ignore);
	}
	dk_strv_free(made);
	return rc;
}
