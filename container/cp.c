// SPDX-License-Identifier: GPL-2.0-or-later
/* cp.c: `cp CONTAINER:PATH DEST` and `cp SRC CONTAINER:PATH`, archive
 * mode. The container's side is always resolved inside its rootfs: out
 * of it, cp -a reads from the confined file descriptor; into it, a tar of
 * SRC is applied by `unpack layer`, whose extraction never leaves the
 * root whatever links the container holds. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "fmt.h"
#include "cli.h"
#include "fs.h"
#include "json.h"
#include "path.h"
#include "container.h"

struct cp_opts {
	bool archive, follow; /* -a, -L */
};

static int wait_all(pid_t a, pid_t b)
{
	int wa = 0, wb = 0;

	if (a > 0)
		waitpid(a, &wa, 0);
	if (b > 0)
		waitpid(b, &wb, 0);
	return WIFEXITED(wa) && !WEXITSTATUS(wa) && WIFEXITED(wb) && !WEXITSTATUS(wb) ? 0 : -1;
}

static int open_rootfs(const char *id, struct dk_err *err)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/snapshots/%s/rootfs", ctr_g.root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? dk_err_sys(err, "container %s: rootfs", id) : fd;
}

/* A symbolic link at path in the container, copied as a link (docker's cp
 * without -L). Returns 1 when path is no link. */
static int copy_link_out(int rootfd, const char *path, const char *target, struct dk_err *err)
{
	const char *base;
	char link[4096];
	struct stat st;
	ssize_t n;
	cleanup_close int dir = dk_path_open_parent(rootfd, path, false, &base, err);

	if (dir < 0)
		return dk_err_wrap(err, "Could not find the file %s in container", path);
	if (!*base || fstatat(dir, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
		return 1;
	n = readlinkat(dir, base, link, sizeof(link) - 1);
	if (n < 0)
		return dk_err_sys(err, "%s", path);
	link[n] = '\0';
	if (symlink(link, target) < 0)
		return dk_err_sys(err, "copying %s to %s", path, target);
	return 0;
}

static int copy_out(int rootfd, const char *path, const char *dest, const struct cp_opts *o,
		    struct dk_err *err)
{
	cleanup_free char *copy = strdup(path);
	char src[64], target[4200];
	struct stat st;
	int fd, rc;
	pid_t pid;

	if (!copy)
		return dk_err_sys(err, "%s", path);
	rc = stat(dest, &st) == 0 && S_ISDIR(st.st_mode)
		 ? dk_fmt(target, sizeof(target), err, "%s/%s", dest, basename(copy))
		 : dk_fmt(target, sizeof(target), err, "%s", dest);
	if (rc < 0)
		return rc;
	if (!o->follow && (rc = copy_link_out(rootfd, path, target, err)) <= 0)
		return rc;
	fd = dk_path_open(rootfd, path, O_PATH, 0, err);
	if (fd < 0)
		return dk_err_wrap(err, "Could not find the file %s in container", path);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	pid = fork();
	if (pid == 0) {
		fcntl(fd, F_SETFD, 0);
		/* docker: without -a, files get the ids of who runs cp */
		execlp("cp", "cp", "-R", "-H", "-T",
		       o->archive ? "--preserve=all" : "--preserve=mode,timestamps,links", src,
		       target, (char *)NULL);
		_exit(127);
	}
	close(fd);
	return wait_all(pid, 0) < 0 ? dk_err_set(err, "copying %s to %s failed", path, dest) : 0;
}

/* Append s to out with a backslash before each character of special. */
static char *put_escaped(char *out, const char *s, const char *special)
{
	for (; *s; s++) {
		if (strchr(special, *s))
			*out++ = '\\';
		*out++ = *s;
	}
	return out;
}

/* "s|^NAME|TARGET|" with the regex characters of NAME escaped (any
 * length: each character takes at most two). NULL when out of memory. */
static char *transform(const char *name, const char *target)
{
	char *buf = malloc(2 * (strlen(name) + strlen(target)) + 8), *p = buf;

	if (!buf)
		return NULL;
	p = stpcpy(p, "s|^");
	p = put_escaped(p, name, "\\.*[]^$|&");
	*p++ = '|';
	p = put_escaped(p, target, "\\|&");
	strcpy(p, "|");
	return buf;
}

static int copy_in(int rootfd, const char *src, const char *path, const char *rootfs,
		   const struct cp_opts *o, struct dk_err *err)
{
	/* -L: the file SRC links to, under SRC's own name */
	cleanup_free char *real = o->follow ? realpath(src, NULL) : NULL;
	const char *from = real ? real : src;
	cleanup_free char *a = strdup(src), *dir = strdup(from), *name = strdup(from), *xf = NULL;
	char target[4200], *unpack = ctr_tool_path("unpack");
	struct dk_err e2;
	int fd = dk_path_open(rootfd, path, O_PATH | O_DIRECTORY, 0, &e2), p[2];
	pid_t tar, un;

	int rc = !a || !dir || !name ? dk_err_sys(err, "%s", src)
		 : fd >= 0 ? dk_fmt(target, sizeof(target), err, "%s/%s", path, basename(a))
			   : dk_fmt(target, sizeof(target), err, "%s", path);

	if (fd >= 0)
		close(fd);
	if (rc < 0)
		return rc;
	xf = transform(basename(name), target + strspn(target, "/"));
	if (!xf)
		return dk_err_sys(err, "%s", src);
	if ((o->follow && !real) || access(src, F_OK) < 0 || pipe(p) < 0)
		return dk_err_sys(err, "%s", src);
	tar = fork();
	if (tar == 0) {
		dup2(p[1], 1);
		close(p[0]), close(p[1]);
		/* docker: without -a, what is copied in belongs to root */
		execlp("tar", "tar", "-C", dirname(dir), "-cf", "-", "--transform", xf,
		       o->archive ? "--numeric-owner" : "--owner=0",
		       o->archive ? "-p" : "--group=0", basename(name), (char *)NULL);
		_exit(127);
	}
	un = fork();
	if (un == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(p[0], 0), dup2(null, 1); /* not its digest line */
		close(p[0]), close(p[1]);
		execl(unpack, unpack, "layer", rootfs, (char *)NULL);
		_exit(127);
	}
	close(p[0]), close(p[1]);
	free(unpack);
	return wait_all(tar, un) < 0 ? dk_err_set(err, "copying %s into %s failed", src, path) : 0;
}

/* -a (archive: ownership as at the source), -L, -q (no progress is
 * printed anyway). Returns -1 to go on, else a status. */
static int cp_options(int argc, char **argv, struct cp_opts *o)
{
	static const struct option opts[] = {
	    {"archive", no_argument, NULL, 'a'},
	    {"follow-link", no_argument, NULL, 'L'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = dk_getopt_long(argc, argv, "+aLq", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->archive = true; break;
		case 'q': break;
		case 'L': o->follow = true; break;
		case 'h':
			printf("Usage: container cp [-aLq] CONTAINER:SRC DEST | SRC "
			       "CONTAINER:DEST\n");
			return 0;
		default: return ctr_usage("cp", "unknown flag: %s", argv[optind - 1]);
		}
	}
	return -1;
}

int ctr_cmd_cp(int argc, char **argv)
{
	struct dk_crec r;
	struct dk_err err = {0};
	int from, rc;
	char *colon, rootfs[4200];
	cleanup_close int rootfd = -1;
	struct cp_opts o = {0};

	if ((rc = cp_options(argc, argv, &o)) >= 0)
		return rc;
	if (argc - optind != 2)
		return ctr_usage("cp", "\"cp\" requires exactly 2 arguments.");
	from = strchr(argv[optind], ':') && argv[optind][0] != '/' ? optind : optind + 1;
	colon = strchr(argv[from], ':');
	if (!colon || argv[from][0] == '/')
		return ctr_usage("cp", "must specify at least one container source");
	*colon = '\0';
	if (ctr_find(argv[from], &r, &err) < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	snprintf(rootfs, sizeof(rootfs), "%s/snapshots/%s/rootfs", ctr_g.root, r.id);
	rootfd = open_rootfs(r.id, &err);
	dk_crec_free(&r);
	if (rootfd < 0)
		return ctr_daemon_error(DK_EXIT_FAIL, &err);
	if (from == optind)
		rc = copy_out(rootfd, colon + 1, argv[optind + 1], &o, &err);
	else
		rc = copy_in(rootfd, argv[optind], colon + 1, rootfs, &o, &err);
	return rc < 0 ? ctr_daemon_error(DK_EXIT_FAIL, &err) : 0;
}
