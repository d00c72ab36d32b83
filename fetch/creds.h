// SPDX-License-Identifier: GPL-2.0-or-later
/* creds.h: registry credentials in docker's config.json format (shared
 * with docker, podman and skopeo): "auths" entries with base64
 * "user:password", "credHelpers" and "credsStore" helper programs. */
#ifndef FETCH_CREDS_H
#define FETCH_CREDS_H

#include "err.h"

struct fx_creds {
	char *user, *secret;
};
void fx_creds_free(struct fx_creds *c);

/* The file we read and write: $REGISTRY_AUTH_FILE, else
 * $DOCKER_CONFIG/config.json, else ~/.docker/config.json (malloc'd). */
char *fx_authfile_path(void);

/* Key a registry has in config.json: docker.io -> https://index.docker.io/v1/ */
const char *fx_creds_key(const char *domain);

/* Credentials for domain: 0 found, 1 none, -1 error. */
int fx_creds_get(const char *domain, struct fx_creds *out, struct dk_err *err);

/* Record (store) or remove (erase) domain's entry in the auth file, keeping
 * everything else in it; the file is written 0600. erase returns 1 when
 * there was nothing to remove. */
int fx_creds_store(const char *domain, const char *user, const char *secret,
		   struct dk_err *err);
int fx_creds_erase(const char *domain, struct dk_err *err);

/* Run docker-credential-NAME get for server; 0 found, 1 none, -1 error. */
int fx_credhelper_get(const char *name, const char *server,
		      struct fx_creds *out, struct dk_err *err);

#endif
