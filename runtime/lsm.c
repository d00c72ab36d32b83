// SPDX-License-Identifier: GPL-2.0-or-later
/* lsm.c: AppArmor and SELinux through /proc/self/attr, when enabled. */
#include <errno.h>
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

/* /proc/self/attr/REL through the checked procfs handle, else ALT */
static int write_attr(const struct rt_procfs *pfs, const char *rel, const char *alt,
		      const char *val, struct dk_err *err)
{
	if (rt_procfs_write(pfs, true, rel, val, err) == 0)
		return 0;
	if (alt && err->code == ENOENT && rt_procfs_write(pfs, true, alt, val, err) == 0)
		return 0;
	return dk_err_wrap(err, "writing \"%s\"", val);
}

int rt_lsm_apply(const struct rt_process *p, const struct rt_procfs *pfs, struct dk_err *err)
{
	char buf[512];

	if (p->apparmor && *p->apparmor) {
		snprintf(buf, sizeof(buf), "exec %s", p->apparmor);
		if (write_attr(pfs, "attr/apparmor/exec", "attr/exec", buf, err) < 0)
			return dk_err_wrap(err, "apparmor");
	}
	if (p->selinux && *p->selinux && write_attr(pfs, "attr/exec", NULL, p->selinux, err) < 0)
		return dk_err_wrap(err, "selinux");
	return 0;
}
