// SPDX-License-Identifier: GPL-2.0-or-later
/* test_path.c: unit tests for lib/path.c. A temporary root holds symlinks
 * that try to leave it; every lookup case runs once with openat2 and once
 * with the forced component walk, and checks nothing appeared outside. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "../../lib/path.h"

static char top[] = "/tmp/dk-path-XXXXXX";
static char root[64];	 /* top/root: the "/" of every lookup */
static char outside[64]; /* top/outside: must never change */
static char escape[64];	 /* host path a dangling link aims at */
static int rootfd = -1;
static int first_free_fd; /* after the fixture: later ones must be too */
static const char *impl = "openat2";

/* ---- helpers ---- */

static void ensure(bool ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(1);
	}
}

static void mk_dir(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ensure(mkdir(p, 0755) == 0, p);
}

static void mk_file(const char *dir, const char *rel)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ensure(fd >= 0 && write(fd, rel, strlen(rel)) > 0, p);
	close(fd);
}

static void mk_link(const char *target, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ensure(symlink(target, p) == 0, p);
}

/* Inode of root/rel (not following a last symlink), 0 if missing. */
static ino_t ino_at(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &st) == 0 ? st.st_ino : 0;
}

static ino_t ino_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

static bool host_exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_rf(const char *p)
{
	if (host_exists(p))
		nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void rm_in_root(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	rm_rf(p);
}

/* Open path in the root, expect success, return the inode and close. */
static ino_t open_ino(const char *path, int flags)
{
	struct dk_err err = {0};
	int fd = dk_path_open(rootfd, path, flags, 0, &err);
	ino_t ino;

	CHECK_MSG(fd >= 0, "%s: open \"%s\": %s", impl, path, err.msg);
	if (fd < 0)
		return 0;
	ino = ino_fd(fd);
	close(fd);
	return ino;
}

/* Open path in the root, expect failure with errno want. */
static void open_fails(const char *path, int flags, int want)
{
	struct dk_err err = {0};
	int fd = dk_path_open(rootfd, path, flags, 0644, &err);

	CHECK_MSG(fd < 0, "%s: \"%s\" opened", impl, path);
	if (fd >= 0)
		close(fd);
	CHECK_MSG(err.code == want, "%s: \"%s\": got %d (%s), want %d", impl, path, err.code,
		  err.msg, want);
}

static void check_resolve(const char *path, const char *want)
{
	struct dk_err err = {0};
	char out[PATH_MAX] = "";

	CHECK_MSG(dk_path_resolve(rootfd, path, out, sizeof(out), &err) == 0, "resolve \"%s\": %s",
		  path, err.msg);
	CHECK_STR(out, want);
}

/* Run body with openat2 (where the kernel has it), then with the walk. */
static void both(void (*body)(void))
{
	for (int walk = 0; walk <= 1; walk++) {
		int before = t_case_failed;

		dk_path_force_walk(walk);
		impl = walk ? "walk" : "openat2";
		body();
		if (t_case_failed && !before)
			fprintf(stderr, "# (failed with %s)\n", impl);
	}
	dk_path_force_walk(false);
}

/* ---- fixture ---- */

static void fixture(void)
{
	ensure(mkdtemp(top) != NULL, "mkdtemp");
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	snprintf(escape, sizeof(escape), "%s-escape", top);
	ensure(mkdir(root, 0755) == 0 && mkdir(outside, 0755) == 0, top);
	mk_file(outside, "file");
	mk_dir("etc");
	mk_file(root, "etc/marker");
	mk_dir("dir");
	mk_dir("dir/inner");
	mk_file(root, "dir/f");
	mk_dir("sub");
	mk_file(root, "sub/f");
	mk_dir("tmp");
	mk_link("/etc", "abs");
	mk_link("../../../outside", "up");
	mk_link("b", "a");
	mk_link("c", "b");
	mk_link("dir", "c");
	mk_link("y", "x");
	mk_link("x", "y");
	mk_link("sub/../sub", "rel");
	mk_link("../../outside/file", "dd");
	mk_link(escape, "dangle");
	mk_link("../../outside/created", "dangle-out");
	mk_link("../outside", "mkout");
	mk_link(outside, "mkabs");
	mk_link("/etc/marker", "flink");
	mk_link("dir/inner", "deep");
	mk_link("../sub", "dir/back");
	mk_link("../../../..", "dir/top");
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ensure(rootfd >= 0, root);
	first_free_fd = dup(0);
	close(first_free_fd);
	CHECK(!host_exists(escape));
}

/* ---- lookups ---- */

static void abs_link_body(void)
{
	CHECK_INT(open_ino("abs", O_RDONLY | O_DIRECTORY), ino_at("etc"));
	CHECK_INT(open_ino("abs/marker", O_RDONLY), ino_at("etc/marker"));
	CHECK_INT(open_ino("/abs/marker", O_RDONLY), ino_at("etc/marker"));
	open_fails("abs/passwd", O_RDONLY, ENOENT); /* not the host's */
}

static void abs_link(void)
{
	both(abs_link_body);
}

static void up_link_body(void)
{
	open_fails("up", O_RDONLY, ENOENT);
	open_fails("up/file", O_RDONLY, ENOENT);
	open_fails("dd", O_RDONLY, ENOENT);
}

static void up_link(void)
{
	both(up_link_body);
}

static void dotdot_literal_body(void)
{
	open_fails("../../outside/file", O_RDONLY, ENOENT);
	open_fails("/../outside/file", O_RDONLY, ENOENT);
	CHECK_INT(open_ino("../../../etc/marker", O_RDONLY), ino_at("etc/marker"));
	CHECK_INT(open_ino("dir/../../../sub/f", O_RDONLY), ino_at("sub/f"));
	CHECK_INT(open_ino("..", O_RDONLY | O_DIRECTORY), ino_at("."));
}

static void dotdot_literal(void)
{
	both(dotdot_literal_body);
}

/* ".." after a symlink is physical: deep/.. is dir, not the root */
static void dotdot_physical_body(void)
{
	CHECK_INT(open_ino("deep/../f", O_RDONLY), ino_at("dir/f"));
	CHECK_INT(open_ino("abs/../sub/f", O_RDONLY), ino_at("sub/f"));
	CHECK_INT(open_ino("dir/top/etc/marker", O_RDONLY), ino_at("etc/marker"));
	CHECK_INT(open_ino("dir/back/f", O_RDONLY), ino_at("sub/f"));
}

static void dotdot_physical(void)
{
	both(dotdot_physical_body);
}

static void chain_body(void)
{
	CHECK_INT(open_ino("a", O_RDONLY | O_DIRECTORY), ino_at("dir"));
	CHECK_INT(open_ino("a/f", O_RDONLY), ino_at("dir/f"));
	CHECK_INT(open_ino("a", O_PATH), ino_at("dir"));
	CHECK_INT(open_ino("rel/f", O_RDONLY), ino_at("sub/f"));
}

static void chain(void)
{
	both(chain_body);
}

static void odd_paths_body(void)
{
	CHECK_INT(open_ino("//sub///./f", O_RDONLY), ino_at("sub/f"));
	CHECK_INT(open_ino("dir/", O_RDONLY | O_DIRECTORY), ino_at("dir"));
	CHECK_INT(open_ino("", O_RDONLY | O_DIRECTORY), ino_at("."));
	CHECK_INT(open_ino("/", O_RDONLY | O_DIRECTORY), ino_at("."));
	CHECK_INT(open_ino("dir/.", O_RDONLY | O_DIRECTORY), ino_at("dir"));
}

static void odd_paths(void)
{
	both(odd_paths_body);
}

static void not_dir_body(void)
{
	open_fails("flink/x", O_RDONLY, ENOTDIR);
	open_fails("dir/f/", O_RDONLY | O_DIRECTORY, ENOTDIR);
	open_fails("dir/f/", O_RDONLY, ENOTDIR);
	open_fails("flink/", O_RDONLY, ENOTDIR);
	open_fails("dir/f", O_RDONLY | O_DIRECTORY, ENOTDIR);
}

static void not_dir(void)
{
	both(not_dir_body);
}

static void loop_body(void)
{
	open_fails("x", O_RDONLY, ELOOP);
	open_fails("y/f", O_RDONLY, ELOOP);
	open_fails("x", O_WRONLY | O_CREAT, ELOOP);
}

static void loop(void)
{
	both(loop_body);
}

static void err_message_body(void)
{
	struct dk_err err = {0};

	CHECK(dk_path_open(rootfd, "x", O_RDONLY, 0, &err) < 0);
	CHECK_MSG(strncmp(err.msg, "resolving \"x\" in root", 21) == 0, "%s", err.msg);
	CHECK(strstr(err.msg, strerror(ELOOP)) != NULL);
}

static void err_message(void)
{
	both(err_message_body);
}

/* ---- creating files ---- */

static void dangle_creat_body(void)
{
	struct dk_err err = {0};
	char in_root[128];
	int fd;

	snprintf(in_root, sizeof(in_root), "%s%s", root, escape);
	fd = dk_path_open(rootfd, "dangle", O_WRONLY | O_CREAT, 0644, &err);
	CHECK_MSG(fd >= 0, "%s", err.msg);
	if (fd >= 0)
		close(fd);
	CHECK(host_exists(in_root));
	CHECK(!host_exists(escape));
	unlink(in_root);
}

static void dangle_creat(void)
{
	both(dangle_creat_body);
}

static void dangle_out_body(void)
{
	char host[128];

	snprintf(host, sizeof(host), "%s/created", outside);
	open_fails("dangle-out", O_WRONLY | O_CREAT, ENOENT);
	CHECK(!host_exists(host));
	CHECK(ino_at("outside") == 0);
}

static void dangle_out(void)
{
	both(dangle_out_body);
}

/* O_CREAT|O_EXCL does not follow a last symlink, as open(2) */
static void creat_excl_body(void)
{
	char in_root[128];

	snprintf(in_root, sizeof(in_root), "%s%s", root, escape);
	open_fails("dangle", O_WRONLY | O_CREAT | O_EXCL, EEXIST);
	CHECK(!host_exists(in_root));
	CHECK(!host_exists(escape));
}

static void creat_excl(void)
{
	both(creat_excl_body);
}

static void nofollow_body(void)
{
	struct dk_err err = {0};
	char marker[128];
	struct stat st;
	int fd;

	open_fails("abs", O_RDONLY | O_NOFOLLOW, ELOOP);
	open_fails("flink", O_WRONLY | O_TRUNC | O_NOFOLLOW, ELOOP);
	fd = dk_path_open(rootfd, "abs", O_PATH | O_NOFOLLOW, 0, &err);
	CHECK_MSG(fd >= 0, "%s", err.msg);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(fd >= 0 && ino_fd(fd) == ino_at("abs"));
	if (fd >= 0)
		close(fd);
	/* O_NOFOLLOW is for the last component only */
	CHECK_INT(open_ino("abs/marker", O_RDONLY | O_NOFOLLOW), ino_at("etc/marker"));
	CHECK_INT(open_ino("flink", O_RDONLY), ino_at("etc/marker"));
	snprintf(marker, sizeof(marker), "%s/etc/marker", root);
	CHECK(stat(marker, &st) == 0 && st.st_size > 0); /* not truncated */
}

static void nofollow(void)
{
	both(nofollow_body);
}

/* ---- creating directories ---- */

/* mkdir_all(path) must give a directory at root/want, nothing on the host */
static void mkdir_all_check(const char *path, const char *want, const char *host)
{
	struct dk_err err = {0};
	int fd = dk_path_mkdir_all(rootfd, path, 0755, &err);

	CHECK_MSG(fd >= 0, "%s: %s: %s", impl, path, err.msg);
	CHECK_MSG(fd >= 0 && ino_fd(fd) == ino_at(want), "%s: %s not at %s", impl, path, want);
	if (fd >= 0)
		close(fd);
	CHECK_MSG(!host_exists(host), "%s: %s created", impl, host);
}

static void mkdir_all_rel_body(void)
{
	char host[128];

	snprintf(host, sizeof(host), "%s/new", outside);
	mkdir_all_check("mkout/new/deeper", "outside/new/deeper", host);
	rm_in_root("outside");
}

static void mkdir_all_rel(void)
{
	both(mkdir_all_rel_body);
}

static void mkdir_all_abs_body(void)
{
	char host[128];

	snprintf(host, sizeof(host), "%s/d", outside);
	mkdir_all_check("mkabs/d", host, host);
	rm_in_root(top + 1); /* root/tmp/dk-path-XXXXXX */
}

static void mkdir_all_abs(void)
{
	both(mkdir_all_abs_body);
}

static void mkdir_all_dangle_body(void)
{
	char want[128];

	snprintf(want, sizeof(want), "%s/sub", escape);
	mkdir_all_check("dangle/sub", want, escape);
	rm_in_root(escape + 1);
}

static void mkdir_all_dangle(void)
{
	both(mkdir_all_dangle_body);
}

static void mkdir_all_existing_body(void)
{
	struct dk_err err = {0};
	int fd = dk_path_mkdir_all(rootfd, "a", 0755, &err);

	CHECK(fd >= 0 && ino_fd(fd) == ino_at("dir"));
	if (fd >= 0)
		close(fd);
	fd = dk_path_mkdir_all(rootfd, "dir/f/g", 0755, &err);
	CHECK(fd < 0 && err.code == ENOTDIR);
	fd = dk_path_mkdir_all(rootfd, "x/new", 0755, &err);
	CHECK(fd < 0 && err.code == ELOOP);
}

static void mkdir_all_existing(void)
{
	both(mkdir_all_existing_body);
}

static void open_parent_mkdirs_body(void)
{
	struct dk_err err = {0};
	const char *base = NULL;
	struct stat st;
	char p[128];
	int fd;

	fd = dk_path_open_parent(rootfd, "p/q/r/file", true, &base, &err);
	CHECK_MSG(fd >= 0, "%s", err.msg);
	CHECK_STR(base, "file");
	CHECK(fd >= 0 && ino_fd(fd) == ino_at("p/q/r"));
	if (fd >= 0)
		close(fd);
	CHECK(ino_at("p/q/r/file") == 0);
	snprintf(p, sizeof(p), "%s/p/q", root);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == (0755 & ~022));
	rm_in_root("p");
}

static void open_parent_mkdirs(void)
{
	both(open_parent_mkdirs_body);
}

static void open_parent_missing_body(void)
{
	struct dk_err err = {0};
	const char *base = NULL;
	int fd = dk_path_open_parent(rootfd, "p/q/file", false, &base, &err);

	CHECK(fd < 0 && err.code == ENOENT);
	CHECK(ino_at("p") == 0);
	fd = dk_path_open_parent(rootfd, "x/f", false, &base, &err);
	CHECK(fd < 0 && err.code == ELOOP);
}

static void open_parent_missing(void)
{
	both(open_parent_missing_body);
}

static void open_parent_escape_body(void)
{
	struct dk_err err = {0};
	const char *base = NULL;
	char host[128];
	int fd;

	fd = dk_path_open_parent(rootfd, "up/new/x", true, &base, &err);
	CHECK_MSG(fd >= 0, "%s", err.msg);
	CHECK(fd >= 0 && ino_fd(fd) == ino_at("outside/new"));
	if (fd >= 0)
		close(fd);
	CHECK_STR(base, "x");
	snprintf(host, sizeof(host), "%s/new", outside);
	CHECK(!host_exists(host));
	rm_in_root("outside");
}

static void open_parent_escape(void)
{
	both(open_parent_escape_body);
}

static void parent_base_body(void)
{
	static const struct {
		const char *path, *base, *dir;
	} cases[] = {
	    {"/", "", "."},
	    {"", "", "."},
	    {"file", "file", "."},
	    {"/a/f", "f", "dir"},
	    {"dir/..", ".", "."},
	    {"dir/.", ".", "dir"},
	    {"dir/sub/", "sub/", "dir"},
	    {"abs/marker", "marker", "etc"},
	    {"abs/..", ".", "."},
	    {"a/../..", ".", "."},
	};
	struct dk_err err = {0};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *base = NULL;
		int fd = dk_path_open_parent(rootfd, cases[i].path, false, &base, &err);

		CHECK_MSG(fd >= 0, "%s: %s", cases[i].path, err.msg);
		CHECK_STR(base, cases[i].base);
		CHECK_MSG(fd >= 0 && ino_fd(fd) == ino_at(cases[i].dir), "%s: parent not %s",
			  cases[i].path, cases[i].dir);
		if (fd >= 0)
			close(fd);
	}
}

static void parent_base(void)
{
	both(parent_base_body);
}

/* ---- resolve and clean ---- */

static void resolve(void)
{
	char want[128];

	check_resolve("abs", "/etc");
	check_resolve("a", "/dir");
	check_resolve("a/f", "/dir/f");
	check_resolve("rel/f", "/sub/f");
	check_resolve("up/file", "/outside/file");
	check_resolve("dd", "/outside/file");
	check_resolve("flink", "/etc/marker");
	check_resolve("deep/..", "/dir");
	check_resolve("../../q/../y", "/y");
	check_resolve("", "/");
	check_resolve("//", "/");
	check_resolve("dir/top/sub", "/sub");
	check_resolve("a/", "/dir");
	check_resolve("nothing/", "/nothing");
	snprintf(want, sizeof(want), "%s/more", escape);
	check_resolve("dangle/more", want);
}

static void resolve_errors(void)
{
	struct dk_err err = {0};
	char small[4], out[PATH_MAX];

	CHECK(dk_path_resolve(rootfd, "x", out, sizeof(out), &err) < 0);
	CHECK_INT(err.code, ELOOP);
	CHECK(dk_path_resolve(rootfd, "dir/f/g", out, sizeof(out), &err) < 0);
	CHECK_INT(err.code, ENOTDIR);
	CHECK(dk_path_resolve(rootfd, "sub", small, sizeof(small), &err) < 0);
	CHECK_INT(err.code, ENAMETOOLONG);
	CHECK(dk_path_resolve(rootfd, "up", small, sizeof(small), &err) < 0);
	CHECK_INT(err.code, ENAMETOOLONG);
}

static void clean(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"", "/"},
	    {"/", "/"},
	    {"a/../..", "/"},
	    {"//a//b/./c/..", "/a/b"},
	    {"a/b/", "/a/b"},
	    {"../x", "/x"},
	    {"/..", "/"},
	    {"a/./b/.", "/a/b"},
	    {"...", "/..."},
	    {".a/..b/", "/.a/..b"},
	    {"a/b/../../c", "/c"},
	    {"///", "/"},
	    {"a/..b/..", "/a"},
	    {"./././a", "/a"},
	};
	char out[PATH_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dk_path_clean(cases[i].in, out, sizeof(out));
		CHECK_STR(out, cases[i].want);
	}
}

static void clean_truncates(void)
{
	char out[4] = "xyz";

	dk_path_clean("/abc/def", out, sizeof(out));
	CHECK_STR(out, "/ab");
	dk_path_clean("a/b", out, 1);
	CHECK_STR(out, "");
	dk_path_clean("", out, 2);
	CHECK_STR(out, "/");
}

/* ---- magic links (CVE-2024-21626) ---- */

/* From the host's "/" as root: a path through a procfs magic link is
 * refused, by openat2 and by the walk, however it gets there (a missing
 * directory and ".." make openat2 fail first, so the walk runs). */
static void magic_links_body(void)
{
	int hostroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int dir = open(outside, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char via_fd[256], via_root[256], junk[128];
	struct dk_err err = {0};
	int fd;

	snprintf(via_fd, sizeof(via_fd), "%s/nothere/../../../proc/self/fd/%d", top, dir);
	snprintf(via_root, sizeof(via_root), "%s/nothere/../../../proc/%d/root/tmp", top,
		 (int)getpid());
	const char *paths[] = {via_fd, via_root, "/proc/self/cwd", "/proc/self/root/tmp"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		fd = dk_path_mkdir_all(hostroot, paths[i], 0755, &err);
		CHECK_MSG(fd < 0 && err.code == ELOOP, "%s: %s: fd %d, %s", impl, paths[i], fd,
			  err.msg);
		if (fd >= 0)
			close(fd);
		fd = dk_path_open(hostroot, paths[i], O_PATH | O_DIRECTORY, 0, &err);
		CHECK_MSG(fd < 0, "%s: open %s", impl, paths[i]);
		if (fd >= 0)
			close(fd);
	}
	/* a plain procfs symlink still works */
	fd = dk_path_open(hostroot, "/proc/self/fd", O_PATH | O_DIRECTORY, 0, &err);
	CHECK_MSG(fd >= 0, "%s: /proc/self/fd: %s", impl, err.msg);
	if (fd >= 0)
		close(fd);
	snprintf(junk, sizeof(junk), "%s/nothere", top);
	rm_rf(junk);
	close(dir);
	close(hostroot);
}

static void magic_links(void)
{
	both(magic_links_body);
}

/* ---- teardown ---- */

static void nothing_escaped(void)
{
	char p[PATH_MAX];
	int n = 0;
	DIR *d = opendir(outside);
	struct dirent *e;

	CHECK(d != NULL);
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	CHECK_INT(n, 1); /* only "file" */
	n = dup(0);
	CHECK_INT(n, first_free_fd); /* no fd leaked */
	close(n);
	CHECK(!host_exists(escape));
	snprintf(p, sizeof(p), "%s/created", outside);
	CHECK(!host_exists(p));
	close(rootfd);
	rm_rf(top);
	CHECK(!host_exists(top));
}

T_MAIN(T(fixture), T(abs_link), T(up_link), T(dotdot_literal), T(dotdot_physical), T(chain),
       T(odd_paths), T(not_dir), T(loop), T(err_message), T(dangle_creat), T(dangle_out),
       T(creat_excl), T(nofollow), T(mkdir_all_rel), T(mkdir_all_abs), T(mkdir_all_dangle),
       T(mkdir_all_existing), T(open_parent_mkdirs), T(open_parent_missing), T(open_parent_escape),
       T(parent_base), T(resolve), T(resolve_errors), T(clean), T(clean_truncates), T(magic_links),
       T(nothing_escaped))
