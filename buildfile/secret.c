// SPDX-License-Identifier: GPL-2.0-or-later
/* secret.c: the --secret option: id=X,src=FILE (or source=), id=X,env=VAR,
 * or id=X alone (the environment variable X), as docker build takes it. */
#include <stdio.h>
#include <string.h>
#include "build.h"
#include "cleanup.h"

int bf_secret_parse(const char *text, struct bf_secret *out, struct dk_err *err)
{
	cleanup_free char *copy = strdup(text);
	char *save = NULL;

	memset(out, 0, sizeof(*out));
	if (!copy)
		return dk_err_sys(err, "--secret");
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(f, '=');
		const char *v = eq ? eq + 1 : "";

		if (eq)
			*eq = '\0';
		if (!strcmp(f, "id"))
			snprintf(out->id, sizeof(out->id), "%s", v);
		else if (!strcmp(f, "src") || !strcmp(f, "source"))
			snprintf(out->src, sizeof(out->src), "%s", v);
		else if (!strcmp(f, "env"))
			snprintf(out->env, sizeof(out->env), "%s", v);
		else if (strcmp(f, "type") || (strcmp(v, "file") && strcmp(v, "env")))
			return dk_err_set(err, "--secret %s: unknown key \"%s\"", text, f);
	}
	if (!out->id[0])
		return dk_err_set(err, "--secret %s: needs id=", text);
	if (out->src[0] && out->env[0])
		return dk_err_set(err, "--secret %s: src= or env=, not both", text);
	if (!out->src[0] && !out->env[0])
		snprintf(out->env, sizeof(out->env), "%s", out->id);
	return 0;
}
