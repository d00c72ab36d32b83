// SPDX-License-Identifier: GPL-2.0-or-later
/* gitsrc.c: ADD of a git repository, URL[#ref[:subdir]], cloned by the
 * builder with the git program: a shallow fetch of the ref first, a full
 * one when the server cannot do shallow (dumb HTTP) or the ref is a
 * commit. The checkout goes into the source directory; its .git is kept
 * only with --keep-git-dir=true; a subdir is resolved inside the
 * checkout (a symlink there cannot lead out of it). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "build.h"
#include "cleanup.h"
#include "fs.h"
#include "path.h"

struct git_url {
	char repo[4096], ref[1024], subdir[4096];
};

static int parse_url(const char *w, struct git_url *u, struct dk_err *err)
{
	size_t n = strcspn(w, "#");
	const char *frag = w[n] ? w + n + 1 : "";
	size_t rn = strcspn(frag, ":");

	if (n >= sizeof(u->repo) || strlen(frag) >= sizeof(u->subdir))
		return dk_err_set(err, "%s: URL too long", w);
	snprintf(u->repo, sizeof(u->repo), "%.*s", (int)n, w);
	snprintf(u->ref, sizeof(u->ref), "%.*s", (int)rn, frag);
	snprintf(u->subdir, sizeof(u->subdir), "%s", frag[rn] ? frag + rn + 1 : "");
	if (u->ref[0] == '-' || u->repo[0] == '-')
		return dk_err_set(err, "%s: a ref or URL may not start with '-'", w);
	return 0;
}

/* git -C dir ARGS...: its exit status (0 when it worked). */
static int git(const char *dir, const char *const *args, char **capture, struct dk_err *err)
{
	const char *argv[24] = {
	    "git", "-c", "protocol.file.allow=never", "-c", "core.hooksPath=/dev/null", "-C", dir};
	size_t n = 7;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC), st;

	for (size_t i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	st = bf_tool((char *const *)argv, null, capture ? -1 : null, capture, err);
	if (null >= 0)
		close(null);
	return st;
}

static bool is_commit(const char *ref)
{
	size_t n = strlen(ref);

	return n >= 7 && n <= 64 && strspn(ref, "0123456789abcdef") == n;
}

/* The ref fetched and checked out in dir. */
static int checkout(const char *dir, const struct git_url *u, struct dk_err *err)
{
	const char *ref = u->ref[0] ? u->ref : "HEAD";
	const char *shallow[] = {"fetch", "-q", "--depth=1", "origin", ref, NULL};
	const char *full[] = {"fetch", "-q", "origin", ref, NULL};
	const char *all[] = {"fetch",
			     "-q",
			     "origin",
			     "+refs/heads/*:refs/remotes/origin/*",
			     "+refs/tags/*:refs/tags/*",
			     NULL};
	const char *co_head[] = {"checkout", "-q", "FETCH_HEAD", NULL};
	const char *co_ref[] = {"checkout", "-q", ref, "--", NULL};

	if (!is_commit(ref) &&
	    (git(dir, shallow, NULL, err) == 0 || git(dir, full, NULL, err) == 0))
		return git(dir, co_head, NULL, err) == 0 ? 0 : dk_err_set(err, "checkout failed");
	if (git(dir, shallow, NULL, err) == 0 && git(dir, co_head, NULL, err) == 0)
		return 0;
	if (git(dir, all, NULL, err) != 0)
		return dk_err_set(err, "fetching %s failed", ref);
	if (git(dir, co_ref, NULL, err) != 0)
		return dk_err_set(err, "ref %s not found", ref);
	return 0;
}

static int clone(const char *dir, const struct git_url *u, struct dk_err *err)
{
	const char *init[] = {"init", "-q", NULL};
	const char *remote[] = {"remote", "add", "origin", u->repo, NULL};

	int st;

	/* never wait for a password on the terminal */
	if (setenv("GIT_TERMINAL_PROMPT", "0", 1) < 0)
		return dk_err_sys(err, "setenv");
	st = git(dir, init, NULL, err);

	if (st == 127)
		return dk_err_set(err, "the git program is not installed");
	if (st != 0 || git(dir, remote, NULL, err) != 0)
		return dk_err_set(err, "git init failed");
	return checkout(dir, u, err);
}

/* --checksum of a git source: the commit checked out, as BuildKit checks
 * it (a full sha1 or sha256 commit id; no "sha256:" prefix). */
static int check_commit(const char *dir, const char *want, struct dk_err *err)
{
	const char *rev[] = {"rev-parse", "HEAD", NULL};
	cleanup_free char *head = NULL;

	if (git(dir, rev, &head, err) != 0 || !head)
		return dk_err_set(err, "reading the commit checked out failed");
	if (strcmp(head, want))
		return dk_err_set(err, "checksum mismatch: expected commit %s, got %s", want, head);
	return 0;
}

int bf_git_fetch(struct bf_build *b, const char *url, const char *checksum, bool keep_git_dir,
		 int dirfd, char **name, struct dk_err *err)
{
	struct git_url u;
	char self[64], dir[4096], res[4096];
	ssize_t n;
	cleanup_close int fd = -1;

	if (parse_url(url, &u, err) < 0)
		return -1;
	if (checksum &&
	    !(is_commit(checksum) && (strlen(checksum) == 40 || strlen(checksum) == 64)))
		return dk_err_set(err,
				  "%s: --checksum=%s: want a full commit id (40 or 64 hex digits)",
				  url, checksum);
	bf_progress(b, " ---> cloning %s\n", u.repo);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", dirfd);
	if ((n = readlink(self, dir, sizeof(dir) - 5)) < 0)
		return dk_err_sys(err, "%s", url);
	memcpy(dir + n, "/git", 5);
	if (mkdirat(dirfd, "git", 0700) < 0)
		return dk_err_sys(err, "%s", url);
	if (clone(dir, &u, err) < 0 || (checksum && check_commit(dir, checksum, err) < 0))
		return dk_err_wrap(err, "%s", url);
	if (!keep_git_dir && dk_rm_rf_at(dirfd, "git/.git", err) < 0)
		return -1;
	fd = openat(dirfd, "git", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "%s", url);
	if (dk_path_resolve(fd, u.subdir[0] ? u.subdir : ".", res, sizeof(res), err) < 0)
		return dk_err_wrap(err, "%s: subdirectory %s", url, u.subdir);
	if (res[1] && faccessat(fd, res + 1, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_set(err, "%s: subdirectory %s: not in the repository", url, u.subdir);
	return asprintf(name, "git%s", res[1] ? res : "") < 0 ? dk_err_sys(err, "%s", url) : 0;
}
