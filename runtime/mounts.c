// SPDX-License-Identifier: GPL-2.0-or-later
/* mounts.c: mount options and the spec's mounts, each destination resolved
 * inside the rootfs and mounted through an O_PATH fd so that a symlink in
 * the rootfs can never redirect a mount outside it. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include "cleanup.h"
#include "mounts.h"
#include "path.h"
#include "cgroup.h"
#include "idmount.h"

static const struct {
	const char *name;
	unsigned long set, clear, prop;
	bool bind, rec;
} opts[] = {
    {"ro", MS_RDONLY, 0, 0, 0, 0},
    {"rw", 0, MS_RDONLY, 0, 0, 0},
    {"nosuid", MS_NOSUID, 0, 0, 0, 0},
    {"suid", 0, MS_NOSUID, 0, 0, 0},
    {"nodev", MS_NODEV, 0, 0, 0, 0},
    {"dev", 0, MS_NODEV, 0, 0, 0},
    {"noexec", MS_NOEXEC, 0, 0, 0, 0},
    {"exec", 0, MS_NOEXEC, 0, 0, 0},
    {"sync", MS_SYNCHRONOUS, 0, 0, 0, 0},
    {"async", 0, MS_SYNCHRONOUS, 0, 0, 0},
    {"dirsync", MS_DIRSYNC, 0, 0, 0, 0},
    {"remount", MS_REMOUNT, 0, 0, 0, 0},
    {"mand", MS_MANDLOCK, 0, 0, 0, 0},
    {"nomand", 0, MS_MANDLOCK, 0, 0, 0},
    {"atime", 0, MS_NOATIME, 0, 0, 0},
    {"noatime", MS_NOATIME, 0, 0, 0, 0},
    {"diratime", 0, MS_NODIRATIME, 0, 0, 0},
    {"nodiratime", MS_NODIRATIME, 0, 0, 0, 0},
    {"relatime", MS_RELATIME, 0, 0, 0, 0},
    {"norelatime", 0, MS_RELATIME, 0, 0, 0},
    {"strictatime", MS_STRICTATIME, 0, 0, 0, 0},
    {"nostrictatime", 0, MS_STRICTATIME, 0, 0, 0},
    {"lazytime", MS_LAZYTIME, 0, 0, 0, 0},
    {"nolazytime", 0, MS_LAZYTIME, 0, 0, 0},
    {"bind", 0, 0, 0, 1, 0},
    {"rbind", 0, 0, 0, 1, 1},
    {"shared", 0, 0, MS_SHARED, 0, 0},
    {"rshared", 0, 0, MS_SHARED | MS_REC, 0, 0},
    {"slave", 0, 0, MS_SLAVE, 0, 0},
    {"rslave", 0, 0, MS_SLAVE | MS_REC, 0, 0},
    {"private", 0, 0, MS_PRIVATE, 0, 0},
    {"rprivate", 0, 0, MS_PRIVATE | MS_REC, 0, 0},
    {"unbindable", 0, 0, MS_UNBINDABLE, 0, 0},
    {"runbindable", 0, 0, MS_UNBINDABLE | MS_REC, 0, 0},
    {"nosymfollow", MS_NOSYMFOLLOW, 0, 0, 0, 0},
    {"symfollow", 0, MS_NOSYMFOLLOW, 0, 0, 0},
};

/* The recursive options: applied with mount_setattr(AT_RECURSIVE) to the
 * mount and everything below it. An atime mode replaces the others. */
static const struct {
	const char *name;
	uint64_t set, clr;
} ropts[] = {
    {"rro", MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, MOUNT_ATTR_NOSUID},
    {"rnodev", MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, MOUNT_ATTR_NODEV},
    {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnorelatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
};

static bool recursive_option(const char *opt, struct rt_mount *m)
{
	if (!strcmp(opt, "idmap") || !strcmp(opt, "ridmap")) {
		m->idmap = true;
		m->ridmap = m->ridmap || opt[0] == 'r';
		return true;
	}
	for (size_t i = 0; i < sizeof(ropts) / sizeof(*ropts); i++) {
		if (strcmp(ropts[i].name, opt) != 0)
			continue;
		if (ropts[i].clr & MOUNT_ATTR__ATIME)
			m->attr_set &= ~(uint64_t)MOUNT_ATTR__ATIME;
		m->attr_set = (m->attr_set & ~ropts[i].clr) | ropts[i].set;
		m->attr_clr = (m->attr_clr & ~ropts[i].set) | ropts[i].clr;
		return true;
	}
	return false;
}

bool rt_mount_option(const char *opt, struct rt_mount *m)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++) {
		if (strcmp(opts[i].name, opt) != 0)
			continue;
		m->flags = (m->flags & ~opts[i].clear) | opts[i].set;
		m->clear |= opts[i].clear;
		if (opts[i].prop)
			m->prop = opts[i].prop;
		if (opts[i].bind)
			m->bind = true;
		if (opts[i].rec)
			m->rec = true;
		return true;
	}
	return recursive_option(opt, m);
}

void rt_fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

int rt_mount_from_fd(int fd, const char *fd_path, const char *target)
{
	cleanup_close int tree = (int)syscall(SYS_open_tree, fd, "",
					      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);

	if (tree >= 0)
		return (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, target,
				    MOVE_MOUNT_F_EMPTY_PATH);
	if (errno != ENOSYS)
		return -1;
	return mount(fd_path, target, NULL, MS_BIND, NULL); /* before Linux 5.2 */
}

/* Flags the kernel locks on a mount made in a less privileged namespace. */
static unsigned long locked_flags(const char *path)
{
	struct statvfs st;
	unsigned long f = 0;

	if (statvfs(path, &st) < 0)
		return 0;
	if (st.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (st.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (st.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (st.f_flag & ST_RDONLY)
		f |= MS_RDONLY;
	if (st.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (st.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

static int remount_bind(const char *path, unsigned long flags, struct dk_err *err)
{
	unsigned long keep = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY;

	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags, NULL) == 0)
		return 0;
	if (errno == EPERM && mount(NULL, path, NULL,
				    MS_BIND | MS_REMOUNT | flags |
					(locked_flags(path) & (keep | MS_NOATIME | MS_RELATIME)),
				    NULL) == 0)
		return 0;
	return dk_err_sys(err, "remounting");
}

int rt_remount_ro(const char *path, struct dk_err *err)
{
	return remount_bind(
	    path, MS_RDONLY | (locked_flags(path) & (MS_NOSUID | MS_NODEV | MS_NOEXEC)), err);
}

/* Create the destination (a file for a file bind source) and open it. */
static int open_dest(int rootfd, const struct rt_mount *m, bool file, struct dk_err *err)
{
	cleanup_close int dir = -1;
	const char *base;
	int fd;

	if (!file) {
		dir = dk_path_mkdir_all(rootfd, m->dest, 0755, err);
		if (dir < 0)
			return -1;
		fd = openat(dir, ".", O_PATH | O_CLOEXEC);
		return fd < 0 ? dk_err_sys(err, "opening") : fd;
	}
	dir = dk_path_open_parent(rootfd, m->dest, true, &base, err);
	if (dir < 0)
		return -1;
	fd = dk_path_open(dir, base, O_CREAT | O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0644, err);
	if (fd < 0)
		return -1;
	close(fd);
	return dk_path_open(dir, base, O_PATH | O_CLOEXEC | O_NOFOLLOW, 0, err);
}

/* The fd of a mount's destination names the directory it covers; the new
 * mount is found by looking the destination up again. */
static int reopen(int rootfd, const char *dest, char *target, size_t size, struct dk_err *err)
{
	int fd = dk_path_open(rootfd, dest, O_PATH | O_CLOEXEC, 0, err);

	if (fd >= 0)
		rt_fd_path(fd, target, size);
	return fd;
}

static int do_bind(int rootfd, const struct rt_mount *m, int fd, const char *target,
		   struct dk_err *err)
{
	unsigned long f = MS_BIND | (m->rec ? MS_REC : 0);
	cleanup_close int top = -1;
	char path[64];

	char src[64];

	/* a source the runtime opened for us: a new user namespace may not
	 * reach it by path (a directory only the host's root may enter) */
	if (m->src_fd >= 0)
		rt_fd_path(m->src_fd, src, sizeof(src));
	if (m->idmap && m->src_fd < 0)
		return dk_err_set(err, "the runtime did not pass the idmapped mount");
	if (m->idmap) {
		if (rt_idmount_attach(m->src_fd, fd, err) < 0)
			return -1;
	} else if (mount(m->src_fd >= 0 ? src : m->source, target, NULL, f, NULL) < 0) {
		return dk_err_sys(err, "bind mounting %s", m->source ? m->source : "");
	}
	if (!(m->flags & ~(MS_REMOUNT | MS_BIND | MS_REC)))
		return 0;
	top = reopen(rootfd, m->dest, path, sizeof(path), err);
	if (top < 0)
		return -1;
	return remount_bind(path, m->flags & ~(MS_REMOUNT | MS_REC), err);
}

/* As runc: a tmpfs without mode= gets the mode of the directory it covers. */
static char *tmpfs_data(const struct rt_mount *m, int fd)
{
	struct stat st;
	char *d = NULL;
	const char *old = m->data ? m->data : "";

	if (strcmp(m->type, "tmpfs") != 0 || strstr(old, "mode=") || fstat(fd, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return NULL;
	if (asprintf(&d, "%s%smode=%o", old, *old ? "," : "", (unsigned)(st.st_mode & 07777)) < 0)
		return NULL;
	return d;
}

static int do_plain(const struct rt_mount *m, int fd, const char *target, struct dk_err *err)
{
	const char *src = m->source ? m->source : m->type;
	cleanup_free char *data = tmpfs_data(m, fd);

	if (mount(src, target, m->type, m->flags, data ? data : m->data) == 0)
		return 0;
	/* sysfs without a network namespace of our own, as runc does */
	if (errno == EPERM && strcmp(m->type, "sysfs") == 0 &&
	    mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) == 0)
		return remount_bind(target, m->flags, err);
	/* mqueue in a user namespace without its own ipc namespace */
	if (errno == EPERM && strcmp(m->type, "mqueue") == 0 &&
	    mount("/dev/mqueue", target, NULL, MS_BIND | MS_REC, NULL) == 0)
		return 0;
	return dk_err_sys(err, "mount type %s", m->type);
}

static bool source_is_file(const struct rt_mount *m)
{
	struct stat st;

	return m->bind && m->source && stat(m->source, &st) == 0 && !S_ISDIR(st.st_mode);
}

bool rt_mount_is_dev_ro(const struct rt_mount *m)
{
	return !m->bind && !strcmp(m->dest, "/dev") && (m->flags & MS_RDONLY);
}

/* As runc (CVE-2019-19921, CVE-2023-27561): proc and sysfs go on a real
 * directory (or a missing one we create), never through a symlink, so a
 * rootfs cannot move them where masks and read-only paths do not apply. */
static bool plain_dir(int rootfd, const char *dest)
{
	struct stat st;

	while (*dest == '/')
		dest++;
	if (!*dest || fstatat(rootfd, dest, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return true;
	return S_ISDIR(st.st_mode);
}

/* rro, rnosuid ...: on the mount at top and every mount below it */
static int set_recursive(int top, const struct rt_mount *m, struct dk_err *err)
{
	struct mount_attr a = {.attr_set = m->attr_set, .attr_clr = m->attr_clr};

	if (!m->attr_set && !m->attr_clr)
		return 0;
	if (mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
		return dk_err_sys(err, "setting recursive mount options (mount_setattr)");
	return 0;
}

static int mount_one(int rootfd, const struct rt_mount *m, bool cgns, struct dk_err *err)
{
	cleanup_close int fd = -1;
	char target[64];

	if (!m->bind && !m->type)
		return dk_err_set(err, "no type given");
	if (!m->bind && (!strcmp(m->type, "proc") || !strcmp(m->type, "sysfs")) &&
	    !plain_dir(rootfd, m->dest))
		return dk_err_set(
		    err, "%s cannot be mounted on %s: must be mounted on ordinary directory",
		    m->type, m->dest);
	fd = open_dest(rootfd, m, source_is_file(m), err);
	if (fd < 0)
		return -1;
	rt_fd_path(fd, target, sizeof(target));
	if (m->bind) {
		if (do_bind(rootfd, m, fd, target, err) < 0)
			return -1;
	} else if (strcmp(m->type, "cgroup") == 0) {
		if (rt_cgroup_mount(rootfd, fd, m->dest, m->flags, cgns, err) < 0)
			return -1;
	} else if (do_plain(m, fd, target, err) < 0) {
		return -1;
	}
	if (m->prop || m->attr_set || m->attr_clr) {
		/* the fd names the covered directory; reopen the new mount */
		cleanup_close int top = reopen(rootfd, m->dest, target, sizeof(target), err);
		if (top < 0)
			return -1;
		if (m->prop && mount(NULL, target, NULL, m->prop, NULL) < 0)
			return dk_err_sys(err, "setting propagation");
		if (set_recursive(top, m, err) < 0)
			return -1;
	}
	return 0;
}

int rt_mounts_setup(int rootfd, const struct rt_spec *s, const struct rt_mount_hook *h,
		    struct dk_err *err)
{
	size_t rl = strlen(s->root_path);

	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct rt_mount *m = &s->mounts[i];
		struct rt_mount in_root = *m;
		/* as runc: a destination that already starts with the rootfs
		 * path is taken as that path inside the rootfs */
		if (rl > 1 && !strncmp(m->dest, s->root_path, rl) && m->dest[rl] == '/')
			in_root.dest = m->dest + rl;
		/* a read-only /dev is filled first, made read-only at the end
		 * (rt_rootfs_finish) */
		if (rt_mount_is_dev_ro(m))
			in_root.flags &= ~MS_RDONLY;
		if (h && m->type && !strcmp(m->type, "cgroup") && h->before_cgroup(h->ctx, err) < 0)
			return -1;
		if (mount_one(rootfd, &in_root, rt_spec_ns(s, CLONE_NEWCGROUP) != NULL, err) < 0)
			return dk_err_wrap(err, "mounting %s at %s",
					   m->source ? m->source : (m->type ? m->type : "?"),
					   m->dest);
	}
	return 0;
}

/* The container's /dev/null, checked to be the 1:3 character device: a
 * rootfs without a /dev tmpfs could make it a symlink to the very file we
 * mask (CVE-2025-31133). Masks are mounted from this fd, never by path. */
static int open_dev_null(struct dk_err *err)
{
	cleanup_close int fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return dk_err_sys(err, "opening /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return dk_err_set(err, "/dev/null is not the null device");
	return steal_fd(fd);
}

/* *null_fd is opened on the first file to mask */
static int mask_one(const char *p, int *null_fd, struct dk_err *err)
{
	struct stat st;
	char src[64];

	if (lstat(p, &st) < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "masking %s", p);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL) < 0)
			return dk_err_sys(err, "masking %s", p);
		return 0;
	}
	if (*null_fd < 0 && (*null_fd = open_dev_null(err)) < 0)
		return dk_err_wrap(err, "masking %s", p);
	rt_fd_path(*null_fd, src, sizeof(src));
	if (rt_mount_from_fd(*null_fd, src, p) < 0)
		return dk_err_sys(err, "masking %s", p);
	return 0;
}

static int readonly_one(const char *p, struct dk_err *err)
{
	if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : dk_err_sys(err, "readonly path %s", p);
	if (rt_remount_ro(p, err) < 0)
		return dk_err_wrap(err, "readonly path %s", p);
	return 0;
}

int rt_mounts_mask(const struct rt_spec *s, struct dk_err *err)
{
	cleanup_close int null_fd = -1;

	for (size_t i = 0; s->readonly[i]; i++)
		if (readonly_one(s->readonly[i], err) < 0)
			return -1;
	for (size_t i = 0; s->masked[i]; i++)
		if (mask_one(s->masked[i], &null_fd, err) < 0)
			return -1;
	return 0;
}

void rt_mounts_close_sources(const struct rt_spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct rt_mount *m = (struct rt_mount *)&s->mounts[i];
		dk_closep(&m->src_fd);
	}
}
