// SPDX-License-Identifier: GPL-2.0-or-later
/* loopback.c: a new network namespace starts with "lo" down; bring it up,
 * as runc and crun do, so servers in the container can be reached on
 * 127.0.0.1 (dk run -p relies on it). */
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cleanup.h"
#include "loopback.h"

int rt_loopback_up(struct dk_err *err)
{
	cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;

	if (fd < 0)
		return dk_err_sys(err, "bringing up lo: socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return dk_err_sys(err, "bringing up lo: reading its flags");
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return dk_err_sys(err, "bringing up lo");
	return 0;
}
