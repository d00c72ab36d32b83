// SPDX-License-Identifier: GPL-2.0-or-later
/* ssh.c: the --ssh option (docker build's): "default" is the agent of
 * $SSH_AUTH_SOCK, "ID=SOCKET" names another agent socket, and
 * "ID=KEY[,KEY...]" names private key files that an agent of the build's
 * own serves (sshagent.c). RUN --mount=type=ssh binds the socket into the
 * step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "build.h"

/* Every comma-separated name in list is a regular file. */
static int check_keys(const char *text, const char *list, struct dk_err *err)
{
	char key[4096];
	struct stat sb;

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == 0 || n >= sizeof(key))
			return dk_err_set(err, "--ssh %s: an empty or too long key file name",
					  text);
		memcpy(key, p, n);
		key[n] = '\0';
		if (stat(key, &sb) < 0)
			return dk_err_sys(err, "--ssh %s: %s", text, key);
		if (!S_ISREG(sb.st_mode))
			return dk_err_set(err, "--ssh %s: %s is not a key file", text, key);
		p += n + (p[n] == ',');
	}
	return 0;
}

/* The id: all of text, or what comes before '='. */
static int parse_id(const char *text, const char *eq, struct bf_ssh *out, struct dk_err *err)
{
	size_t n = eq ? (size_t)(eq - text) : strlen(text);

	if (n == 0 || n >= sizeof(out->id) || memchr(text, ',', n))
		return dk_err_set(err, "--ssh %s: want default, ID=SOCKET or ID=KEY[,KEY...]",
				  text);
	memcpy(out->id, text, n);
	out->id[n] = '\0';
	return 0;
}

int bf_ssh_parse(const char *text, struct bf_ssh *out, struct dk_err *err)
{
	const char *eq = strchr(text, '=');
	const char *path = eq ? eq + 1 : NULL;
	struct stat sb;

	memset(out, 0, sizeof(*out));
	if (parse_id(text, eq, out, err) < 0)
		return -1;
	if (!path && strcmp(out->id, "default"))
		return dk_err_set(err, "--ssh %s: only default may omit =SOCKET", text);
	if (!path && !(path = getenv("SSH_AUTH_SOCK")))
		return dk_err_set(err, "--ssh default: $SSH_AUTH_SOCK is not set");
	if (strchr(path, ',')) {
		out->keys = path;
		return check_keys(text, path, err);
	}
	if (strlen(path) >= sizeof(out->path))
		return dk_err_set(err, "--ssh %s: path too long", text);
	if (stat(path, &sb) < 0)
		return dk_err_sys(err, "--ssh %s: %s", text, path);
	if (S_ISREG(sb.st_mode)) {
		out->keys = path;
		return 0;
	}
	if (!S_ISSOCK(sb.st_mode))
		return dk_err_set(err, "--ssh %s: %s is neither an agent socket nor a key file",
				  text, path);
	snprintf(out->path, sizeof(out->path), "%s", path);
	return 0;
}
