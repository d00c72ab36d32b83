// SPDX-License-Identifier: GPL-2.0-or-later
/* hosts.c: registry endpoint resolution: the Docker Hub API host, the
 * insecure (plain HTTP) decision, and certs.d TLS material. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "fs.h"
#include "hosts.h"
#include "json.h"

#define CERTS_D	    "/etc/docker/certs.d"
#define DAEMON_JSON "/etc/docker/daemon.json"

/* "localhost", an address in 127.0.0.0/8 or [::1], with or without a
 * port: an address, not a name that only starts with "127." */
static bool is_loopback(const char *domain)
{
	char host[64];
	struct in_addr a;
	size_t n;

	if (domain[0] == '[')
		return strncmp(domain, "[::1]", 5) == 0 && (!domain[5] || domain[5] == ':');
	n = strcspn(domain, ":");
	if (n >= sizeof(host))
		return false;
	memcpy(host, domain, n);
	host[n] = '\0';
	if (!strcmp(host, "localhost"))
		return true;
	return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

static bool listed_insecure(const char *domain)
{
	const char *path = getenv("DK_DAEMON_JSON");
	cleanup_free char *buf = NULL;
	struct dk_json *doc;
	struct dk_err err;
	size_t len;
	bool found = false;

	if (!path || !*path)
		path = DAEMON_JSON;
	if (dk_read_file_at(AT_FDCWD, path, 1 << 20, &buf, &len, &err) < 0)
		return false;
	doc = dk_json_parse(buf, len, path, &err);
	const struct dk_json *l = dk_json_get(doc, "insecure-registries");
	for (size_t i = 0; i < dk_json_len(l); i++) {
		const char *s = dk_json_str(dk_json_at(l, i));

		if (s && strcmp(s, domain) == 0)
			found = true;
	}
	dk_json_free(doc);
	return found;
}

bool fx_host_insecure(const char *domain)
{
	return is_loopback(domain) || listed_insecure(domain);
}

static char *certs_file(const char *domain, const char *name)
{
	const char *dir = getenv("DK_CERTS_D");
	char path[4096];

	int n = snprintf(path, sizeof(path), "%s/%s/%s", dir && *dir ? dir : CERTS_D, domain, name);

	/* a path cut short would be another file */
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	return access(path, R_OK) == 0 ? strdup(path) : NULL;
}

int fx_host_resolve(const char *domain, bool insecure, struct fx_host *out, struct dk_err *err)
{
	const char *api = domain;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (strcmp(domain, "docker.io") == 0 || strcmp(domain, "index.docker.io") == 0)
		api = "registry-1.docker.io";
	out->plain_http = insecure;
	out->probe = !insecure && fx_host_insecure(domain);
	out->skip_verify = out->probe;
	out->plain_first = out->probe && is_loopback(domain);
	n = strlen(api) + 16;
	out->base = malloc(n);
	if (!out->base)
		return dk_err_sys(err, "registry %s", domain);
	snprintf(out->base, n, "%s://%s", out->plain_http ? "http" : "https", api);
	out->ca_file = certs_file(domain, "ca.crt");
	out->cert_file = certs_file(domain, "client.cert");
	out->key_file = certs_file(domain, "client.key");
	return 0;
}

void fx_host_free(struct fx_host *h)
{
	free(h->base);
	free(h->ca_file);
	free(h->cert_file);
	free(h->key_file);
	memset(h, 0, sizeof(*h));
}
