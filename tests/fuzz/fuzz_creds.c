// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_creds.c: fetch's reading of docker's config.json credentials
 * (auths, base64 user:password, credHelpers, credsStore) and the rewrite
 * login does, compiled in. Credential helpers are not run: the stub below
 * only checks what would be handed to one. */
#include "fuzz.h"
#include "../../fetch/creds.c"

int fx_credhelper_get(const char *name, const char *server, struct fx_creds *out,
		      struct dk_err *err)
{
	(void)out;
	if (!name || !*name || !server || !*server)
		return dk_err_set(err, "credential helper without a name or server");
	return 1;
}

int fx_credhelper_store(const char *name, const char *server, const char *user, const char *secret,
			struct dk_err *err)
{
	(void)name, (void)server, (void)user, (void)secret;
	return dk_err_set(err, "not run while fuzzing");
}

int fx_credhelper_erase(const char *name, const char *server, struct dk_err *err)
{
	(void)name, (void)server;
	return dk_err_set(err, "not run while fuzzing");
}

static const char *const domains[] = {"docker.io", "registry.example:5000", "127.0.0.1:5000",
				      "localhost"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dk_err err;
	struct dk_json *doc = dk_json_parse((const char *)data, size, "config.json", &err);

	for (size_t i = 0; doc && i < sizeof(domains) / sizeof(domains[0]); i++) {
		struct fx_creds c = {0};
		char *buf = NULL;
		size_t len;
		bool found = false;

		if (get_from(doc, domains[i], &c, &err) == 0 && (!c.user || !c.secret))
			abort(); /* success promises both */
		fx_creds_free(&c);
		if (rewrite(doc, domains[i], i % 2 ? NULL : "dXNlcjpwYXNz", &buf, &len, &found,
			    &err) == 0) {
			struct dk_json *again = dk_json_parse(buf, len, "rewritten", &err);

			if (!again)
				abort(); /* what login writes must read back */
			dk_json_free(again);
		}
		free(buf);
	}
	dk_json_free(doc);
	return 0;
}
