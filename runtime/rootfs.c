// SPDX-License-Identifier: GPL-2.0-or-later
/* rootfs.c: root preparation, devices, pivot_root. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "cleanup.h"
#include "mounts.h"
#include "path.h"
#include "rootfs.h"

int rt_rootfs_prepare(const struct rt_spec *s, struct dk_err *err)
{
	unsigned long prop = s->rootfs_prop ? s->rootfs_prop : MS_SLAVE | MS_REC;
	int fd;

	/* shared and unbindable are set after pivot (rt_rootfs_finish): an
	 * unbindable / could not be bind mounted as the rootfs */
	if (prop & (MS_SHARED | MS_UNBINDABLE))
		prop = MS_PRIVATE | MS_REC;
	if (mount(NULL, "/", NULL, prop | MS_REC, NULL) < 0)
		return dk_err_sys(err, "making / private");
	if (mount(s->root_path, s->root_path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return dk_err_sys(err, "bind mounting the rootfs %s", s->root_path);
	fd = open(s->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dk_err_sys(err, "opening the rootfs %s", s->root_path);
	return fd;
}

struct dev_default {
	const char *path;
	int major, minor;
};

static const struct dev_default defaults[] = {
    {"/dev/null", 1, 3},   {"/dev/zero", 1, 5},	   {"/dev/full", 1, 7},
    {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

static int bind_device(int dir, const char *base, const char *host, struct dk_err *err)
{
	cleanup_close int fd = -1;
	char target[64];

	fd = openat(dir, base, O_CREAT | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return dk_err_sys(err, "creating %s", base);
	rt_fd_path(fd, target, sizeof(target));
	if (mount(host, target, NULL, MS_BIND, NULL) < 0)
		return dk_err_sys(err, "bind mounting %s", host);
	return 0;
}

static int make_device(int rootfd, const struct rt_device *d, bool in_userns, struct dk_err *err)
{
	cleanup_close int dir = -1;
	const char *base;
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	mode_t mode = d->has_mode ? d->mode & 07777 : 0666;

	dir = dk_path_open_parent(rootfd, d->path, true, &base, err);
	if (dir < 0)
		return -1;
	unlinkat(dir, base, 0);
	if (in_userns && type != S_IFIFO)
		return bind_device(dir, base, d->path, err);
	if (mknodat(dir, base, type | mode, makedev(d->major, d->minor)) < 0)
		return dk_err_sys(err, "mknod");
	if (fchmodat(dir, base, mode, 0) < 0)
		return dk_err_sys(err, "chmod");
	if ((d->has_uid || d->has_gid) &&
	    fchownat(dir, base, d->has_uid ? d->uid : (uid_t)-1, d->has_gid ? d->gid : (gid_t)-1,
		     AT_SYMLINK_NOFOLLOW) < 0)
		return dk_err_sys(err, "chown");
	return 0;
}

static int dev_links(int rootfd, struct dk_err *err)
{
	static const char *links[][2] = {
	    {"/proc/self/fd", "fd"},	   {"/proc/self/fd/0", "stdin"},
	    {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
	    {"pts/ptmx", "ptmx"},
	};
	cleanup_close int dev = dk_path_mkdir_all(rootfd, "/dev", 0755, err);

	if (dev < 0)
		return -1;
	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++) {
		struct stat st;
		if (i == 4 && fstatat(dev, "pts", &st, 0) < 0)
			continue;
		unlinkat(dev, links[i][1], 0);
		if (symlinkat(links[i][0], dev, links[i][1]) < 0)
			return dk_err_sys(err, "creating /dev/%s", links[i][1]);
	}
	return 0;
}

static bool dev_is_mounted(const struct rt_spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++)
		if (strcmp(s->mounts[i].dest, "/dev") == 0)
			return !s->mounts[i].bind;
	return false;
}

int rt_rootfs_devices(int rootfd, const struct rt_spec *s, bool in_userns, struct dk_err *err)
{
	bool dev = dev_is_mounted(s);

	for (size_t i = 0; dev && i < sizeof(defaults) / sizeof(*defaults); i++) {
		struct rt_device d = {.path = (char *)defaults[i].path,
				      .type = 'c',
				      .major = defaults[i].major,
				      .minor = defaults[i].minor,
				      .has_mode = true,
				      .mode = 0666};
		bool listed = false;
		for (size_t j = 0; j < s->n_devices; j++)
			listed |= strcmp(s->devices[j].path, d.path) == 0;
		if (!listed && make_device(rootfd, &d, in_userns, err) < 0)
			return dk_err_wrap(err, "creating device %s", d.path);
	}
	for (size_t i = 0; i < s->n_devices; i++)
		if (make_device(rootfd, &s->devices[i], in_userns, err) < 0)
			return dk_err_wrap(err, "creating device %s", s->devices[i].path);
	if (dev)
		return dev_links(rootfd, err);
	return 0;
}

/* Whether mountpoint is root or below it. */
static bool below(const char *mnt, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(mnt, root, n) && (mnt[n] == '/' || !mnt[n]);
}

/* --no-pivot keeps the host's mounts reachable in our mount namespace: as
 * runc, take away the host's proc and sysfs mounts first (or cover them),
 * so that the kernel does not let the container mount a proc (in a new
 * user namespace) that would show what the container's masks hide. */
static int hide_host_proc(int rootfd, struct dk_err *err)
{
	char fdp[64], root[4096], line[4096];
	char(*mnts)[512] = NULL;
	size_t n = 0;
	ssize_t rl;
	FILE *f;
	int rc = 0;

	rt_fd_path(rootfd, fdp, sizeof(fdp));
	rl = readlink(fdp, root, sizeof(root) - 1);
	if (rl <= 0)
		return dk_err_sys(err, "finding the rootfs path");
	root[rl] = 0;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return dk_err_sys(err, "reading /proc/self/mountinfo");
	while (fgets(line, sizeof(line), f)) {
		char mnt[512], fstype[64], *dash = strstr(line, " - ");
		void *m;
		if (!dash || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s", fstype) != 1 ||
		    (strcmp(fstype, "proc") && strcmp(fstype, "sysfs")) || below(mnt, root))
			continue;
		if (!(m = realloc(mnts, (n + 1) * sizeof(*mnts))))
			break;
		mnts = m;
		snprintf(mnts[n++], sizeof(*mnts), "%s", mnt);
	}
	fclose(f);
	for (size_t i = 0; i < n && rc == 0; i++) {
		mount(NULL, mnts[i], NULL, MS_SLAVE | MS_REC, NULL);
		if (umount2(mnts[i], MNT_DETACH) == 0 || errno == ENOENT)
			continue;
		if (errno == EINVAL && access(mnts[i], F_OK) < 0)
			continue; /* went with a mount above it */
		if (mount("tmpfs", mnts[i], "tmpfs", 0, NULL) < 0)
			rc = dk_err_sys(err, "covering the host's %s", mnts[i]);
	}
	free(mnts);
	return rc;
}

int rt_rootfs_pivot(int rootfd, bool no_pivot, struct dk_err *err)
{
	if (no_pivot && hide_host_proc(rootfd, err) < 0)
		return -1;
	if (fchdir(rootfd) < 0)
		return dk_err_sys(err, "entering the rootfs");
	if (no_pivot) {
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return dk_err_sys(err, "moving the rootfs to /");
		if (chroot(".") < 0)
			return dk_err_sys(err, "chroot");
	} else {
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return dk_err_sys(err, "pivot_root");
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return dk_err_sys(err, "making the old root a slave");
		if (umount2(".", MNT_DETACH) < 0)
			return dk_err_sys(err, "detaching the old root");
	}
	if (chdir("/") < 0)
		return dk_err_sys(err, "chdir /");
	return 0;
}

int rt_rootfs_finish(const struct rt_spec *s, struct dk_err *err)
{
	for (size_t i = 0; i < s->n_mounts; i++)
		if (rt_mount_is_dev_ro(&s->mounts[i]) && rt_remount_ro("/dev", err) < 0)
			return dk_err_wrap(err, "making /dev read-only");
	if (s->root_ro && rt_remount_ro("/", err) < 0)
		return dk_err_wrap(err, "making the root read-only");
	if (s->rootfs_prop && mount(NULL, "/", NULL, s->rootfs_prop, NULL) < 0)
		return dk_err_sys(err, "setting rootfsPropagation");
	return 0;
}

/* Without a mount namespace the container shares the runtime's mounts:
 * anything that mounts would change the host's, so it is refused. */
int rt_nomnt_check(const struct rt_spec *s, struct dk_err *err)
{
	const char *what = s->n_mounts	    ? "mounts"
			   : s->masked[0]   ? "linux.maskedPaths"
			   : s->readonly[0] ? "linux.readonlyPaths"
			   : s->n_devices   ? "linux.devices"
			   : s->root_ro	    ? "root.readonly"
			   : s->rootfs_prop ? "linux.rootfsPropagation"
					    : NULL;

	if (what)
		return dk_err_set(err,
				  "%s: needs a mount namespace; without one, its mounts would "
				  "change the host's",
				  what);
	return 0;
}

int rt_rootfs_chroot(int rootfd, struct dk_err *err)
{
	if (fchdir(rootfd) < 0)
		return dk_err_sys(err, "entering the rootfs");
	if (chroot(".") < 0)
		return dk_err_sys(err, "chroot");
	if (chdir("/") < 0)
		return dk_err_sys(err, "chdir /");
	return 0;
}
