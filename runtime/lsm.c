// SPDX-License-Identifier: GPL-2.0-or-later
/* lsm.c: AppArmor and SELinux through /proc/self/attr, when enabled. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "lsm.h"

static bool apparmor_enabled(void)
{
	char c = 0;
	cleanup_close int fd =
	    open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

	return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

static bool selinux_enabled(void)
{
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

int rt_lsm_check(const struct rt_process *p, struct dk_err *err)
{
	if (p->apparmor && *p->apparmor && !apparmor_enabled())
		return dk_err_set(err,
				  "apparmorProfile \"%s\": AppArmor is not enabled on this host",
				  p->apparmor);
	if (p->selinux && *p->selinux && !selinux_enabled())
		return dk_err_set(err, "selinuxLabel \"%s\": SELinux is not enabled on this host",
				  p->selinux);
	return 0;
}

static int write_attr(const char *path, const char *alt, const char *val, struct dk_err *err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(val);

	if (fd < 0 && alt)
		fd = open(alt, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, n) != (ssize_t)n)
		return dk_err_sys(err, "writing \"%s\" to %s", val, path);
	return 0;
}

int rt_lsm_apply(const struct rt_process *p, struct dk_err *err)
{
	char buf[512];

	if (p->apparmor && *p->apparmor) {
		snprintf(buf, sizeof(buf), "exec %s", p->apparmor);
		if (write_attr("/proc/self/attr/apparmor/exec", "/proc/self/attr/exec", buf, err) <
		    0)
			return dk_err_wrap(err, "apparmor");
	}
	if (p->selinux && *p->selinux &&
	    write_attr("/proc/self/attr/exec", NULL, p->selinux, err) < 0)
		return dk_err_wrap(err, "selinux");
	return 0;
}
