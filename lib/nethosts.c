// SPDX-License-Identifier: GPL-2.0-or-later
/* nethosts.c: a container's /etc/hosts as docker writes it (localhost,
 * the IPv6 names, --add-host entries, the container's own address with
 * its host name), written by `container create` and again by the
 * monitor once the network gave the address. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "fs.h"
#include "netconf.h"

static const char base[] = "127.0.0.1\tlocalhost\n"
			   "::1\tlocalhost ip6-localhost ip6-loopback\n"
			   "fe00::0\tip6-localnet\n"
			   "ff00::0\tip6-mcastprefix\n"
			   "ff02::1\tip6-allnodes\n"
			   "ff02::2\tip6-allrouters\n";

int dk_net_write_hosts(const char *dir, const char *ip, const char *hostname, const char *name,
		       char *const *add_hosts, const char *gw, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	cleanup_free char *path = dk_path_join(dir, "hosts");
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || !path)
		return dk_err_sys(err, "hosts");
	fputs(base, f);
	for (char *const *h = add_hosts; h && *h; h++) {
		const char *sep = strpbrk(*h, ":=");
		const char *addr = sep ? sep + 1 : "";
		if (!strcmp(addr, "host-gateway"))
			addr = gw && *gw ? gw : "127.0.0.1";
		fprintf(f, "%s\t%.*s\n", addr, (int)(sep ? sep - *h : 0), *h);
	}
	if (ip && *ip)
		fprintf(f, "%s\t%s%s%s\n", ip, hostname, name && strcmp(name, hostname) ? " " : "",
			name && strcmp(name, hostname) ? name : "");
	if (fclose(f) != 0)
		return dk_err_sys(err, "hosts");
	return dk_write_file_at(AT_FDCWD, path, buf, len, 0644, err);
}
