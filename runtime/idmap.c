// SPDX-License-Identifier: GPL-2.0-or-later
/* idmap.c: uid_map and gid_map of a new user namespace: written directly
 * by root or for the caller's own id, through newuidmap/newgidmap (with
 * /etc/subuid and /etc/subgid) when an unprivileged caller asks for more. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "container.h"

extern char **environ;

int rt_write_map(pid_t pid, const char *file, const struct rt_idmap *m, size_t n,
		 struct dk_err *err)
{
	char path[64], buf[4096];
	size_t len = 0;
	cleanup_close int fd = -1;

	for (size_t i = 0; i < n && len < sizeof(buf) - 40; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].container,
				m[i].host, m[i].size);
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return dk_err_sys(err, "writing %s", file);
	return 0;
}

/* newuidmap PID C H S ... */
static int map_helper(const char *tool, pid_t pid, const struct rt_idmap *m, size_t n,
		      struct dk_err *err)
{
	char **argv = calloc(3 * n + 3, sizeof(char *));
	char num[32];
	pid_t child;
	int st = 0, rc;

	if (!argv)
		return dk_err_errno(err, ENOMEM, "%s", tool);
	argv[0] = (char *)tool;
	snprintf(num, sizeof(num), "%d", pid);
	argv[1] = strdup(num);
	for (size_t i = 0; i < n; i++) {
		if (asprintf(&argv[2 + 3 * i], "%u", m[i].container) < 0 ||
		    asprintf(&argv[3 + 3 * i], "%u", m[i].host) < 0 ||
		    asprintf(&argv[4 + 3 * i], "%u", m[i].size) < 0)
			break;
	}
	rc = posix_spawnp(&child, tool, NULL, NULL, argv, environ);
	for (size_t i = 1; i < 3 * n + 2; i++)
		free(argv[i]);
	free(argv);
	if (rc != 0)
		return dk_err_errno(err, rc, "running %s", tool);
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			return dk_err_sys(err, "waiting for %s", tool);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return dk_err_set(err, "%s failed (are the ids in /etc/subuid and /etc/subgid?)",
				  tool);
	return 0;
}

/* Just the caller's own id, once: no helper needed. */
static bool own_only(const struct rt_idmap *m, size_t n, unsigned id)
{
	return n == 1 && m[0].size == 1 && m[0].host == id;
}

static int deny_setgroups(pid_t pid, struct dk_err *err)
{
	char path[64];
	cleanup_close int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "deny", 4) != 4)
		return dk_err_sys(err, "writing setgroups");
	return 0;
}

int rt_write_idmaps(pid_t pid, const struct rt_spec *s, struct dk_err *err)
{
	bool root = geteuid() == 0;
	int rc;

	if (!s->n_uidmap || !s->n_gidmap)
		return dk_err_set(err, "a new user namespace needs uidMappings and gidMappings");
	if (root || own_only(s->uidmap, s->n_uidmap, geteuid()))
		rc = rt_write_map(pid, "uid_map", s->uidmap, s->n_uidmap, err);
	else
		rc = map_helper("newuidmap", pid, s->uidmap, s->n_uidmap, err);
	if (rc == 0 && (root || !own_only(s->gidmap, s->n_gidmap, getegid())))
		rc = root ? rt_write_map(pid, "gid_map", s->gidmap, s->n_gidmap, err)
			  : map_helper("newgidmap", pid, s->gidmap, s->n_gidmap, err);
	else if (rc == 0) /* an unprivileged writer of gid_map gives up setgroups */
		rc = deny_setgroups(pid, err) < 0
			 ? -1
			 : rt_write_map(pid, "gid_map", s->gidmap, s->n_gidmap, err);
	return rc < 0 ? dk_err_wrap(err, "user namespace") : 0;
}
