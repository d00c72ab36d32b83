// SPDX-License-Identifier: GPL-2.0-or-later
/* hosts.h: how to reach a registry: API host (docker.io ->
 * registry-1.docker.io), plain HTTP or TLS, and docker's per-host TLS
 * files in /etc/docker/certs.d/HOST/. */
#ifndef FETCH_HOSTS_H
#define FETCH_HOSTS_H

#include <stdbool.h>
#include "err.h"

struct fx_host {
	char *base;			/* "https://registry-1.docker.io" */
	char *ca_file, *cert_file, *key_file;	/* NULL when absent */
	bool plain_http;
};

/* Resolve domain (as in a reference). insecure forces plain HTTP; so do
 * loopback hosts and the "insecure-registries" of /etc/docker/daemon.json
 * (or $DK_DAEMON_JSON), as docker does. */
int fx_host_resolve(const char *domain, bool insecure, struct fx_host *out,
		    struct dk_err *err);
void fx_host_free(struct fx_host *h);

#endif
