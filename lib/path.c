// SPDX-License-Identifier: GPL-2.0-or-later
/* path.c: resolving paths inside a root directory without leaving it.
 * openat2(RESOLVE_IN_ROOT) does the work where the kernel has it; otherwise
 * a component walk with O_PATH|O_NOFOLLOW fds expands symlinks by hand,
 * restarting absolute ones at the root and re-walking from the root for
 * "..". Creating missing directories and dk_path_resolve() use the walk. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "path.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define MAX_LINKS	 40   /* symlinks followed per lookup, as Linux */
#define OPENAT2_FALLBACK (-2) /* openat2 unusable here: walk instead */
#define WALK_EXPANDED	 (-2) /* last component was a symlink: walk on */
/* Paths this long or longer are resolved in two parts (open_dir_long):
 * the kernel takes at most PATH_MAX bytes per lookup. */
#define LONG 3072

enum walk_mode {
	WALK_DIR,     /* every component is a directory */
	WALK_OPEN,    /* stop before the last name, the caller opens it */
	WALK_RESOLVE, /* last may be any file; missing parts lexical */
};

struct walk {
	int rootfd;
	int dirfd; /* current directory, -1 for the root */
	enum walk_mode mode;
	bool mkdirs;  /* WALK_DIR: create missing directories */
	bool missing; /* WALK_RESOLVE: rest is taken lexically */
	mode_t mkmode;
	int links;
	const char *orig; /* the caller's path, for messages */
	struct dk_err *err;
	size_t pos;		 /* next unread byte of rest */
	char path[PATH_MAX];	 /* resolved so far, "/" or "/a/b" */
	char rest[PATH_MAX];	 /* still to resolve */
	char last[NAME_MAX + 1]; /* WALK_OPEN: the name left to open */
};

static bool force_walk;
static int openat2_state; /* 0 not probed, 1 usable, -1 not */

void dk_path_force_walk(bool on)
{
	force_walk = on;
}

static int sys_openat2(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
	    .flags = (unsigned)flags | O_CLOEXEC,
	    /* IN_ROOT refuses magic links today; say so, as the man page asks */
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		how.mode = mode;
	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Probed once: openat2 may be missing, or hidden by a seccomp filter. */
static bool have_openat2(void)
{
	int s = __atomic_load_n(&openat2_state, __ATOMIC_RELAXED);

	if (!s) {
		int fd = sys_openat2(AT_FDCWD, "/", O_PATH, 0);

		s = fd >= 0 ? 1 : -1;
		dk_closep(&fd);
		__atomic_store_n(&openat2_state, s, __ATOMIC_RELAXED);
	}
	return s > 0;
}

/* openat2 in the root; retries the EAGAIN a racing rename can cause.
 * Returns an fd, -1 with errno, or OPENAT2_FALLBACK. */
static int try_openat2(int rootfd, const char *path, int flags, mode_t mode)
{
	int fd, tries = 16;

	if (force_walk || !have_openat2())
		return OPENAT2_FALLBACK;
	do {
		fd = sys_openat2(rootfd, *path ? path : ".", flags, mode);
	} while (fd < 0 && errno == EAGAIN && --tries);
	if (fd < 0 && errno == ENOSYS)
		__atomic_store_n(&openat2_state, -1, __ATOMIC_RELAXED);
	if (fd < 0 && (errno == ENOSYS || errno == EINVAL))
		return OPENAT2_FALLBACK;
	return fd;
}

/* Fill w->err; errnum 0 takes errno, read before anything else runs. */
static int walk_fail(struct walk *w, int errnum, const char *what, const char *name)
{
	if (!errnum)
		errnum = errno;
	return dk_err_errno(w->err, errnum, "resolving \"%s\" in root: %s \"%s\"", w->orig, what,
			    name);
}

static int walk_init(struct walk *w, int rootfd, const char *path, size_t len, enum walk_mode mode,
		     struct dk_err *err)
{
	*w = (struct walk){
	    .rootfd = rootfd, .dirfd = -1, .mode = mode, .orig = path, .err = err, .path = "/"};
	if (len >= sizeof(w->rest))
		return walk_fail(w, ENAMETOOLONG, "path", path);
	memcpy(w->rest, path, len);
	w->rest[len] = '\0';
	return 0;
}

static int cur(const struct walk *w)
{
	return w->dirfd >= 0 ? w->dirfd : w->rootfd;
}

static void set_dir(struct walk *w, int fd)
{
	dk_closep(&w->dirfd);
	w->dirfd = fd;
}

static int path_push(struct walk *w, const char *name)
{
	size_t len = strlen(w->path), n = strlen(name);

	if (len + 1 + n >= sizeof(w->path))
		return walk_fail(w, ENAMETOOLONG, "at", name);
	if (len > 1)
		w->path[len++] = '/';
	memcpy(w->path + len, name, n + 1);
	return 0;
}

/* Next component of rest into name; *last when nothing follows it.
 * Returns 1, 0 at the end, -1 on a name too long. */
static int next_name(struct walk *w, char *name, bool *last)
{
	const char *s = w->rest + w->pos;
	size_t n;

	s += strspn(s, "/");
	if (!*s)
		return 0;
	n = strcspn(s, "/");
	if (n > NAME_MAX)
		return walk_fail(w, ENAMETOOLONG, "at", s);
	memcpy(name, s, n);
	name[n] = '\0';
	s += n;
	*last = !*s; /* "name/" must be a directory: never last */
	w->pos = s - w->rest;
	return 1;
}

/* ".." lexically, then reopen the new directory by walking down from the
 * root again: every step is a real directory, so it cannot leave. */
static int walk_up(struct walk *w)
{
	const int fl = O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC;
	char copy[PATH_MAX], *save, *c = strrchr(w->path, '/');
	cleanup_close int fd = -1;

	c[c == w->path ? 1 : 0] = '\0';
	if (w->missing)
		return 0;
	strcpy(copy, w->path);
	c = strtok_r(copy, "/", &save);
	for (; c; c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd >= 0 ? fd : w->rootfd, c, fl);

		if (next < 0)
			return walk_fail(w, 0, "reopening", w->path);
		dk_closep(&fd);
		fd = next;
	}
	set_dir(w, steal_fd(fd));
	return 0;
}

/* A procfs magic link (/proc/self/fd/N, /proc/PID/root, .../exe) reads
 * as text but the kernel follows it to the object itself, which may lie
 * outside the root: expanding its text inside the root would resolve to
 * something else than the kernel later would (CVE-2024-21626). Plain
 * procfs symlinks ("self" -> "123") have relative targets without ':'. */
static bool magic_link(int dirfd, const char *target)
{
	struct statfs sf;

	if (fstatfs(dirfd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		return false;
	return target[0] == '/' || strchr(target, ':') != NULL;
}

/* Splice a symlink's target in front of what is left to resolve. */
static int expand(struct walk *w, char *target, ssize_t n, const char *name)
{
	char tmp[PATH_MAX];
	const char *rest;
	int len;

	if (n < 0)
		return walk_fail(w, 0, "reading link", name);
	if (n >= PATH_MAX)
		return walk_fail(w, ENAMETOOLONG, "reading link", name);
	if (n == 0)
		return walk_fail(w, ENOENT, "empty link", name);
	if (++w->links > MAX_LINKS)
		return walk_fail(w, ELOOP, "following", name);
	target[n] = '\0';
	if (magic_link(cur(w), target))
		return walk_fail(w, ELOOP, "magic link", name);
	rest = w->rest + w->pos;
	len = snprintf(tmp, sizeof(tmp), "%s%s%s", target, *rest ? "/" : "", rest);
	if (len < 0 || (size_t)len >= sizeof(tmp))
		return walk_fail(w, ENAMETOOLONG, "following", name);
	memcpy(w->rest, tmp, len + 1);
	w->pos = 0;
	if (target[0] == '/') {
		strcpy(w->path, "/");
		set_dir(w, -1);
	}
	return 0;
}

static int lookup(struct walk *w, const char *name)
{
	int fl = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(cur(w), name, fl);

	if (fd >= 0 || errno != ENOENT || !w->mkdirs)
		return fd;
	if (mkdirat(cur(w), name, w->mkmode) < 0 && errno != EEXIST)
		return -1;
	return openat(cur(w), name, fl);
}

/* Look name up in the current directory and move into it, or expand it. */
static int walk_step(struct walk *w, const char *name, bool last)
{
	char target[PATH_MAX];
	cleanup_close int fd = lookup(w, name);
	struct stat st;

	if (fd < 0 && errno == ENOENT && w->mode == WALK_RESOLVE) {
		w->missing = true;
		return path_push(w, name);
	}
	if (fd < 0)
		return walk_fail(w, 0, "opening", name);
	if (fstat(fd, &st) < 0)
		return walk_fail(w, 0, "stat", name);
	if (S_ISLNK(st.st_mode))
		return expand(w, target, readlinkat(fd, "", target, sizeof(target)), name);
	if (!S_ISDIR(st.st_mode) && !(last && w->mode == WALK_RESOLVE))
		return walk_fail(w, ENOTDIR, "opening", name);
	if (path_push(w, name) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		set_dir(w, steal_fd(fd));
	return 0;
}

/* Walk what is left of rest; in WALK_OPEN stop before a last plain name,
 * leaving it in w->last. Returns 0 or -1 with w->err set. */
static int walk_run(struct walk *w)
{
	char name[NAME_MAX + 1];
	bool last = false;
	int r;

	w->last[0] = '\0';
	while ((r = next_name(w, name, &last)) > 0) {
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			r = walk_up(w);
		} else if (last && w->mode == WALK_OPEN) {
			strcpy(w->last, name);
			return 0;
		} else if (w->missing) {
			r = path_push(w, name);
		} else {
			r = walk_step(w, name, last);
		}
		if (r < 0)
			return -1;
	}
	return r;
}

/* Open w->last in the current directory. A symlink there is never
 * followed by the kernel: to follow it, it is expanded inside the root and
 * WALK_EXPANDED returned; O_NOFOLLOW then closes the race with a rename. */
static int open_last(struct walk *w, int flags, mode_t mode, bool follow)
{
	char target[PATH_MAX];
	ssize_t n = -1;
	int fd;

	if (follow)
		n = readlinkat(cur(w), w->last, target, sizeof(target));
	if (n >= 0)
		return expand(w, target, n, w->last) < 0 ? -1 : WALK_EXPANDED;
	fd = openat(cur(w), w->last, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return walk_fail(w, 0, "opening", w->last);
	return fd;
}

static int walk_open(struct walk *w, int flags, mode_t mode)
{
	/* O_CREAT|O_EXCL never follows a final symlink, as open(2) */
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	int fd;

	do {
		if (walk_run(w) < 0)
			return -1;
		if (!w->last[0])
			strcpy(w->last, "."); /* names a directory */
		fd = open_last(w, flags, mode, follow);
	} while (fd == WALK_EXPANDED);
	return fd;
}

/* A path of LONG bytes or more: its parent (any length, see open_dir),
 * then the last name, never followed (a link there would be resolved by
 * the kernel from the host's root). */
static int open_long(int rootfd, const char *path, int flags, mode_t mode, struct dk_err *err)
{
	const char *base;
	cleanup_close int pfd = dk_path_open_parent(rootfd, path, false, &base, err);
	int fd;

	if (pfd < 0)
		return -1;
	fd = openat(pfd, *base ? base : ".", flags | O_NOFOLLOW, mode);
	if (fd < 0)
		return dk_err_sys(err, "resolving a path %zu bytes long: opening its last name",
				  strlen(path));
	return fd;
}

int dk_path_open(int rootfd, const char *path, int flags, mode_t mode, struct dk_err *err)
{
	struct walk w;
	int fd;

	if (strlen(path) >= LONG)
		return open_long(rootfd, path, flags, mode, err);
	fd = try_openat2(rootfd, path, flags, mode);

	if (fd >= 0)
		return fd;
	if (fd != OPENAT2_FALLBACK)
		return dk_err_sys(err, "resolving \"%s\" in root", path);
	if (walk_init(&w, rootfd, path, strlen(path), WALK_OPEN, err) < 0)
		return -1;
	fd = walk_open(&w, flags, mode);
	set_dir(&w, -1);
	return fd;
}

static int open_dir(int rootfd, const char *path, size_t len, bool mkdirs, mode_t mode,
		    struct dk_err *err);

/* A directory path of LONG bytes or more, lexically cleaned: its first
 * LONG bytes resolved as any path, the rest descended into plainly; or,
 * when it goes on below the last one, from there. */
static int open_dir_long(int rootfd, const char *path, size_t len, bool mkdirs, mode_t mode,
			 struct dk_err *err)
{
	cleanup_free char *raw = strndup(path, len);
	cleanup_free char *clean = raw ? malloc(len + 2) : NULL;
	cleanup_close int top = -1;
	size_t n, cut;
	int fd;

	if (!clean)
		return dk_err_sys(err, "resolving a path");
	dk_path_clean(raw, clean, len + 2);
	n = strlen(clean);
	if (n < LONG)
		return open_dir(rootfd, clean, n, mkdirs, mode, err);
	/* the names past the first LONG bytes were descended into plainly */
	top = dk_path_cache_find(rootfd, clean, n, true, &cut);
	if (top < 0) {
		for (cut = LONG; cut > 0 && clean[cut] != '/'; cut--)
			;
		top = open_dir(rootfd, clean, cut ? cut : 1, mkdirs, mode, err);
	}
	if (top < 0)
		return -1;
	fd = cut == n ? steal_fd(top)
		      : dk_path_descend(top, clean + cut + 1, n - cut - 1, mkdirs, mode, err);
	if (fd >= 0)
		dk_path_cache_keep(rootfd, clean, n, fd);
	return fd;
}

/* Open the directory named by the first len bytes of path, creating what
 * is missing with mkdirs. */
static int open_dir(int rootfd, const char *path, size_t len, bool mkdirs, mode_t mode,
		    struct dk_err *err)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	struct walk w;
	int fd;

	if (len >= LONG)
		return open_dir_long(rootfd, path, len, mkdirs, mode, err);

	if (walk_init(&w, rootfd, path, len, WALK_DIR, err) < 0)
		return -1;
	fd = try_openat2(rootfd, w.rest, flags, 0);
	if (fd >= 0)
		return fd;
	if (fd != OPENAT2_FALLBACK && (errno != ENOENT || !mkdirs))
		return dk_err_sys(err, "resolving \"%s\" in root", path);
	w.mkdirs = mkdirs;
	w.mkmode = mode;
	fd = -1;
	if (walk_run(&w) == 0) {
		fd = openat(cur(&w), ".", flags);
		if (fd < 0)
			walk_fail(&w, 0, "opening", w.path);
	}
	set_dir(&w, -1);
	return fd;
}

int dk_path_open_parent(int rootfd, const char *path, bool mkdirs, const char **base,
			struct dk_err *err)
{
	size_t end = strlen(path), start, len;

	while (end > 0 && path[end - 1] == '/')
		end--;
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	len = start;
	*base = path + start;
	if (start == end) {
		*base = path + strlen(path); /* path names the root */
	} else if (end - start == 2 && !strncmp(path + start, "..", 2)) {
		/* the parent of ".." is not ours to open: use the dir itself */
		len = strlen(path);
		*base = ".";
	}
	return open_dir(rootfd, path, len, mkdirs, 0755, err);
}

int dk_path_mkdir_all(int rootfd, const char *path, mode_t mode, struct dk_err *err)
{
	return open_dir(rootfd, path, strlen(path), true, mode, err);
}

int dk_path_resolve(int rootfd, const char *path, char *out, size_t size, struct dk_err *err)
{
	struct walk w;
	int r;

	if (walk_init(&w, rootfd, path, strlen(path), WALK_RESOLVE, err) < 0)
		return -1;
	r = walk_run(&w);
	set_dir(&w, -1);
	if (r < 0)
		return -1;
	if (strlen(w.path) >= size)
		return dk_err_errno(err, ENAMETOOLONG, "resolving \"%s\" in root", path);
	strcpy(out, w.path);
	return 0;
}

/* Put "/name" into out[at...], dropping what falls past size - 1. */
static size_t put_name(char *out, size_t size, size_t at, const char *name, size_t len)
{
	for (size_t k = 0; out && k <= len; k++)
		if (at + k + 1 < size)
			out[at + k] = k ? name[k - 1] : '/';
	return len + 1;
}

/* One right-to-left pass over path: components that survive "." and ".."
 * are counted and, with out, written so that the last ends at end.
 * Returns the length of the cleaned path without its "/" for the root. */
static size_t clean_pass(const char *path, char *out, size_t size, size_t end)
{
	size_t i = strlen(path), n = 0, skip = 0;

	while (i > 0) {
		size_t j = i, len;

		while (j > 0 && path[j - 1] != '/')
			j--;
		len = i - j;
		i = j > 0 ? j - 1 : 0;
		if (len == 0 || (len == 1 && path[j] == '.'))
			continue;
		if (len == 2 && path[j] == '.' && path[j + 1] == '.')
			skip++;
		else if (skip)
			skip--;
		else
			n += put_name(out, size, end - n - len - 1, path + j, len);
	}
	return n;
}

void dk_path_clean(const char *path, char *out, size_t size)
{
	size_t n;

	if (!size)
		return;
	n = clean_pass(path, NULL, 0, 0);
	if (!n) {
		out[0] = size > 1 ? '/' : '\0';
		n = size > 1 ? 1 : 0;
	} else {
		clean_pass(path, out, size, n);
	}
	out[n < size ? n : size - 1] = '\0';
}
