// SPDX-License-Identifier: GPL-2.0-or-later
/* creds.c: reading and writing registry credentials in docker's
 * config.json: "auths": {"host": {"auth": base64("user:password")}},
 * "credHelpers": {"host": "NAME"}, "credsStore": "NAME". Entries keyed
 * with a scheme or path ("https://host/v1/") match their host. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base64.h"
#include "cleanup.h"
#include "creds.h"
#include "fs.h"
#include "json.h"

#define HUB_KEY "https://index.docker.io/v1/"

void fx_creds_free(struct fx_creds *c)
{
	free(c->user);
	free(c->secret);
	c->user = c->secret = NULL;
}

char *fx_authfile_path(void)
{
	const char *f = getenv("REGISTRY_AUTH_FILE");
	const char *dir = getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");
	cleanup_free char *d = NULL;

	if (f && *f)
		return strdup(f);
	if (dir && *dir)
		return dk_path_join(dir, "config.json");
	d = dk_path_join(home && *home ? home : "/", ".docker");
	return d ? dk_path_join(d, "config.json") : NULL;
}

const char *fx_creds_key(const char *domain)
{
	if (strcmp(domain, "docker.io") == 0 || strcmp(domain, "index.docker.io") == 0 ||
	    strcmp(domain, "registry-1.docker.io") == 0)
		return HUB_KEY;
	return domain;
}

/* Does config.json key k name domain? ("https://host:5000/v1/" does.) */
static bool key_matches(const char *k, const char *domain)
{
	const char *want = fx_creds_key(domain);
	size_t n;

	if (strcmp(k, want) == 0)
		return true;
	if (strncmp(k, "https://", 8) == 0)
		k += 8;
	else if (strncmp(k, "http://", 7) == 0)
		k += 7;
	n = strcspn(k, "/");
	if (strcmp(want, HUB_KEY) == 0)
		return n == 15 && strncmp(k, "index.docker.io", 15) == 0;
	return strlen(domain) == n && strncmp(k, domain, n) == 0;
}

/* Load the auth file; a missing file is an empty document (NULL, 0). */
static int load(const char *path, struct dk_json **doc, struct dk_err *err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	*doc = NULL;
	if (dk_read_file_at(AT_FDCWD, path, 4 << 20, &buf, &len, err) < 0) {
		if (err->code == ENOENT)
			return 0;
		return -1;
	}
	*doc = dk_json_parse(buf, len, path, err);
	return *doc ? 0 : -1;
}

static const struct dk_json *find_auth(const struct dk_json *auths, const char *domain)
{
	for (size_t i = 0; i < dk_json_len(auths); i++)
		if (key_matches(dk_json_key_at(auths, i), domain))
			return dk_json_at(auths, i);
	return NULL;
}

static int decode_auth(const char *b64, struct fx_creds *out, struct dk_err *err)
{
	cleanup_free char *plain = NULL;
	size_t len;
	char *colon;

	if (dk_base64_decode(b64, &plain, &len, err) < 0)
		return -1;
	colon = strchr(plain, ':');
	if (!colon)
		return dk_err_set(err, "auth is not base64 of user:password");
	out->user = strndup(plain, colon - plain);
	out->secret = strdup(colon + 1);
	return 0;
}

static int get_from(const struct dk_json *doc, const char *domain, struct fx_creds *out,
		    struct dk_err *err)
{
	const char *helper = dk_json_get_str(dk_json_get(doc, "credHelpers"), domain);
	const struct dk_json *a = find_auth(dk_json_get(doc, "auths"), domain);
	const char *b64 = dk_json_get_str(a, "auth");
	const char *store = dk_json_get_str(doc, "credsStore");

	if (helper)
		return fx_credhelper_get(helper, fx_creds_key(domain), out, err);
	if (b64 && *b64)
		return decode_auth(b64, out, err);
	if (store && *store)
		return fx_credhelper_get(store, fx_creds_key(domain), out, err);
	return 1;
}

int fx_creds_get(const char *domain, struct fx_creds *out, struct dk_err *err)
{
	cleanup_free char *path = fx_authfile_path();
	struct dk_json *doc;
	int ret;

	out->user = out->secret = NULL;
	if (!path)
		return dk_err_sys(err, "auth file");
	if (load(path, &doc, err) < 0)
		return dk_err_wrap(err, "reading credentials");
	if (!doc)
		return 1;
	ret = get_from(doc, domain, out, err);
	dk_json_free(doc);
	if (ret < 0)
		return dk_err_wrap(err, "credentials for %s in %s", domain, path);
	return ret;
}

/* Emit doc with domain's auths entry replaced by b64 (dropped if NULL). */
static int rewrite(const struct dk_json *doc, const char *domain, const char *b64, char **buf,
		   size_t *len, bool *found, struct dk_err *err)
{
	static const char *const skip[] = {"auths", NULL};
	const struct dk_json *auths = dk_json_get(doc, "auths");
	struct dk_jgen *g = dk_jgen_new(true);

	dk_jgen_map_open(g);
	dk_jgen_str(g, "auths");
	dk_jgen_map_open(g);
	for (size_t i = 0; i < dk_json_len(auths); i++) {
		const char *k = dk_json_key_at(auths, i);

		if (key_matches(k, domain)) {
			*found = true;
			continue;
		}
		dk_jgen_str(g, k);
		dk_jgen_value(g, dk_json_at(auths, i));
	}
	if (b64) {
		dk_jgen_str(g, fx_creds_key(domain));
		dk_jgen_map_open(g);
		dk_jgen_kstr(g, "auth", b64);
		dk_jgen_map_close(g);
	}
	dk_jgen_map_close(g);
	if (doc)
		dk_jgen_members_except(g, doc, skip);
	dk_jgen_map_close(g);
	return dk_jgen_finish_dup(g, buf, len, err);
}

/* Write path (0600, its directory 0700 when new) crash-safely. */
static int write_auth_file(const char *path, const char *buf, size_t len, struct dk_err *err)
{
	cleanup_free char *dir = strdup(path);
	cleanup_close int dfd = -1;
	char *slash = dir ? strrchr(dir, '/') : NULL;
	const char *base = path;

	if (!dir)
		return dk_err_sys(err, "%s", path);
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		if (slash != dir && dk_mkdir_p(dir, 0700, err) < 0)
			return -1;
		dfd = open(slash == dir ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return dk_err_sys(err, "%s", dir);
	}
	if (dk_write_file_at(slash ? dfd : AT_FDCWD, base, buf, len, 0600, err) < 0)
		return dk_err_wrap(err, "%s", path);
	return 0;
}

static int update(const char *domain, const char *b64, struct dk_err *err)
{
	cleanup_free char *path = fx_authfile_path();
	cleanup_free char *buf = NULL;
	struct dk_json *doc = NULL;
	bool found = false;
	size_t len;
	int ret;

	if (!path)
		return dk_err_sys(err, "auth file");
	if (load(path, &doc, err) < 0)
		return -1;
	ret = rewrite(doc, domain, b64, &buf, &len, &found, err);
	dk_json_free(doc);
	if (ret < 0)
		return -1;
	if (!b64 && !found)
		return 1;
	return write_auth_file(path, buf, len, err);
}

/* The helper that keeps domain's credentials, or NULL (malloc'd). */
static int helper_for(const char *domain, char **name, struct dk_err *err)
{
	cleanup_free char *path = fx_authfile_path();
	struct dk_json *doc;
	const char *h;

	*name = NULL;
	if (!path)
		return dk_err_sys(err, "auth file");
	if (load(path, &doc, err) < 0)
		return -1;
	h = dk_json_get_str(dk_json_get(doc, "credHelpers"), domain);
	if (!h || !*h)
		h = dk_json_get_str(doc, "credsStore");
	if (h && *h && !(*name = strdup(h))) {
		dk_json_free(doc);
		return dk_err_sys(err, "auth file");
	}
	dk_json_free(doc);
	return 0;
}

int fx_creds_store(const char *domain, const char *user, const char *secret, struct dk_err *err)
{
	size_t n = strlen(user) + strlen(secret) + 2;
	cleanup_free char *plain = malloc(n);
	cleanup_free char *b64 = NULL, *helper = NULL;

	if (!plain)
		return dk_err_sys(err, "credentials");
	if (helper_for(domain, &helper, err) < 0)
		return dk_err_wrap(err, "storing credentials for %s", domain);
	if (helper)
		return fx_credhelper_store(helper, fx_creds_key(domain), user, secret, err) < 0
			   ? dk_err_wrap(err, "storing credentials for %s", domain)
			   : 0;
	snprintf(plain, n, "%s:%s", user, secret);
	b64 = dk_base64_encode(plain, n - 1);
	if (!b64)
		return dk_err_sys(err, "credentials");
	if (update(domain, b64, err) < 0)
		return dk_err_wrap(err, "storing credentials for %s", domain);
	return 0;
}

int fx_creds_erase(const char *domain, struct dk_err *err)
{
	cleanup_free char *helper = NULL;
	int ret;

	if (helper_for(domain, &helper, err) < 0)
		return dk_err_wrap(err, "removing credentials for %s", domain);
	if (helper && fx_credhelper_erase(helper, fx_creds_key(domain), err) < 0)
		return dk_err_wrap(err, "removing credentials for %s", domain);
	ret = update(domain, NULL, err);
	if (ret < 0)
		return dk_err_wrap(err, "removing credentials for %s", domain);
	return helper ? 0 : ret;
}
