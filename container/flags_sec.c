// SPDX-License-Identifier: GPL-2.0-or-later
/* flags_sec.c: --cap-add/--cap-drop (names as docker takes them, ALL) and
 * --security-opt (no-new-privileges, seccomp=FILE|unconfined). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capnames.h"
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "container.h"

int ctr_flag_cap(const char *cmd, int c, const char *a, struct dk_hostcfg *h)
{
	const char *name = dk_cap_canon(a);

	if (!name)
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"%s\" flag: unknown "
				 "capability: \"%s\"",
				 a, c == OPT_CAP_ADD ? "--cap-add" : "--cap-drop", a);
	return dk_strv_push(c == OPT_CAP_ADD ? &h->cap_add : &h->cap_drop, name) < 0
		   ? ctr_usage(cmd, "out of memory")
		   : -1;
}

/* docker's profile format has conditions (includes/excludes by
 * capability, architecture, kernel) and an archMap that the OCI form
 * lacks: such a profile would be applied wrongly, so it is refused. */
static const char *docker_only(const struct dk_json *v)
{
	const struct dk_json *rules = dk_json_get(v, "syscalls");

	if (dk_json_get(v, "archMap"))
		return "archMap";
	for (size_t i = 0; i < dk_json_len(rules); i++) {
		const struct dk_json *r = dk_json_at(rules, i);
		if (dk_json_len(dk_json_get(r, "includes")))
			return "includes";
		if (dk_json_len(dk_json_get(r, "excludes")))
			return "excludes";
	}
	return NULL;
}

/* The profile must be JSON with a defaultAction; its path is kept. */
static int seccomp_file(const char *cmd, const char *path, struct dk_hostcfg *h)
{
	cleanup_free char *buf = NULL, *abs = NULL;
	struct dk_err err = {0};
	struct dk_json *v;
	const char *what;
	size_t len;
	bool ok;

	if (dk_read_file_at(AT_FDCWD, path, 1 << 22, &buf, &len, &err) < 0)
		return ctr_usage(cmd, "opening seccomp profile (%s) failed: %s", path, err.msg);
	v = dk_json_parse(buf, len, path, &err);
	ok = v && dk_json_get_str(v, "defaultAction");
	what = v ? docker_only(v) : NULL;
	dk_json_free(v);
	if (!ok)
		return ctr_usage(cmd, "decoding seccomp profile failed: %s",
				 err.msg[0] ? err.msg : "no defaultAction");
	if (what)
		return ctr_usage(cmd,
				 "seccomp profile %s: \"%s\" is not supported (an OCI "
				 "linux.seccomp object is)",
				 path, what);
	abs = realpath(path, NULL);
	free(h->seccomp);
	h->seccomp = strdup(abs ? abs : path);
	return -1;
}

static bool nnp(const char *a, bool *on)
{
	static const char *const yes[] = {"no-new-privileges", "no-new-privileges=true",
					  "no-new-privileges:true", NULL};
	static const char *const no[] = {"no-new-privileges=false", "no-new-privileges:false",
					 NULL};

	for (size_t i = 0; yes[i]; i++)
		if (!strcmp(a, yes[i]))
			return *on = true;
	for (size_t i = 0; no[i]; i++)
		if (!strcmp(a, no[i]))
			return !(*on = false);
	return false;
}

int ctr_flag_security(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	int rc;

	if (nnp(a, &h->no_new_privs)) {
		/* recorded below */
	} else if (!strcmp(a, "seccomp=unconfined") || !strcmp(a, "seccomp:unconfined")) {
		free(h->seccomp);
		h->seccomp = strdup("unconfined");
	} else if (!strncmp(a, "seccomp=", 8) || !strncmp(a, "seccomp:", 8)) {
		rc = seccomp_file(cmd, a + 8, h);
		if (rc >= 0)
			return rc;
	} else {
		return ctr_usage(cmd,
				 "invalid --security-opt \"%s\": not supported (no-new-privileges, "
				 "seccomp=FILE, seccomp=unconfined)",
				 a);
	}
	return dk_strv_push(&h->security_opt, a) < 0 ? ctr_usage(cmd, "out of memory") : -1;
}
