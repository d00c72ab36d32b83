// SPDX-License-Identifier: GPL-2.0-or-later
/* ssh.c: the --ssh option (docker build's): "default" is the agent of
 * $SSH_AUTH_SOCK, "ID=SOCKET" names another agent socket. RUN
 * --mount=type=ssh binds that socket into the step; key files (an agent
 * the builder would have to run) are not supported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "build.h"

int bf_ssh_parse(const char *text, struct bf_ssh *out, struct dk_err *err)
{
	const char *eq = strchr(text, '=');
	const char *path = eq ? eq + 1 : NULL;
	struct stat sb;

	memset(out, 0, sizeof(*out));
	if (!eq && strlen(text) < sizeof(out->id))
		snprintf(out->id, sizeof(out->id), "%s", text);
	else if (eq && eq - text < (long)sizeof(out->id))
		snprintf(out->id, sizeof(out->id), "%.*s", (int)(eq - text), text);
	if (!out->id[0] || strchr(out->id, ','))
		return dk_err_set(err, "--ssh %s: want default or ID=SOCKET", text);
	if (!path && strcmp(out->id, "default"))
		return dk_err_set(err, "--ssh %s: only default may omit =SOCKET", text);
	if (!path && !(path = getenv("SSH_AUTH_SOCK")))
		return dk_err_set(err, "--ssh default: $SSH_AUTH_SOCK is not set");
	if (strchr(path, ','))
		return dk_err_set(err, "--ssh %s: several paths: not supported by dk", text);
	snprintf(out->path, sizeof(out->path), "%s", path);
	if (stat(out->path, &sb) < 0)
		return dk_err_sys(err, "--ssh %s: %s", text, out->path);
	if (!S_ISSOCK(sb.st_mode))
		return dk_err_set(
		    err, "--ssh %s: %s is not an agent socket (key files: not supported by dk)",
		    text, out->path);
	return 0;
}
