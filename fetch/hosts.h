// SPDX-License-Identifier: GPL-2.0-or-later
/* hosts.h: how to reach a registry: API host (docker.io ->
 * registry-1.docker.io), plain HTTP or TLS, and docker's per-host TLS
 * files in /etc/docker/certs.d/HOST/. */
#ifndef FETCH_HOSTS_H
#define FETCH_HOSTS_H

#include <stdbool.h>
#include "err.h"

struct fx_host {
	char *base;			      /* "https://registry-1.docker.io" */
	char *ca_file, *cert_file, *key_file; /* NULL when absent */
	bool plain_http;
	bool probe;	  /* try HTTPS, fall back to plain HTTP */
	bool plain_first; /* probe plain HTTP first (loopback) */
	bool skip_verify; /* HTTPS without certificate checks */
};

/* Resolve domain (as in a reference). insecure forces plain HTTP.
 * Loopback hosts and the "insecure-registries" of /etc/docker/daemon.json
 * (or $DK_DAEMON_JSON) are insecure as in docker: HTTPS without
 * certificate checks when it answers, plain HTTP otherwise (probe).
 * On loopback, where TLS protects nothing, plain HTTP is asked first: a
 * TLS handshake costs more than the whole exchange with a local registry.
 * TLS files come from /etc/docker/certs.d/DOMAIN/ (or $DK_CERTS_D). */
int fx_host_resolve(const char *domain, bool insecure, struct fx_host *out, struct dk_err *err);
/* Loopback (an address, "localhost") or listed in insecure-registries:
 * a host docker speaks to without verified TLS. */
bool fx_host_insecure(const char *domain);

void fx_host_free(struct fx_host *h);

#endif
