// SPDX-License-Identifier: GPL-2.0-or-later
/* proxy.h: the port publisher's options and its relay loop. */
#ifndef PROXY_H
#define PROXY_H

#include <netinet/in.h>
#include "err.h"

struct proxy_opts {
	const char *netns, *pid_file;
	struct sockaddr_in listen, to;
};

/* "ADDR:PORT" or "PORT" (ADDR defaults to def) -> IPv4 socket address. */
int proxy_parse_addr(const char *s, const char *def, struct sockaddr_in *out, struct dk_err *err);

/* Listen, enter the namespace, relay connections until killed. */
int proxy_run(const struct proxy_opts *o, struct dk_err *err);

#endif
