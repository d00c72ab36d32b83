// SPDX-License-Identifier: GPL-2.0-or-later
/* mountspec.c: docker's --mount value, parsed into a struct and written
 * back in one normalised form (the form container records keep). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hostcfg.h"

static bool is_true(const char *v, bool *out)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
		return *out = true;
	if (!strcmp(v, "false") || !strcmp(v, "0"))
		return !(*out = false);
	return false;
}

static int copy(char *dst, size_t size, const char *v, const char *key, struct dk_err *err)
{
	if (!v || !*v)
		return dk_err_set(err, "invalid field '%s' must be a key=value pair", key);
	if (strlen(v) >= size)
		return dk_err_set(err, "field '%s' is too long", key);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int add_opt(struct dk_mountspec *m, const char *k, const char *v, struct dk_err *err)
{
	size_t n = strlen(m->tmpfs_opts), size = sizeof(m->tmpfs_opts) - n;

	if (!v || !*v ||
	    snprintf(m->tmpfs_opts + n, size, "%s%s=%s", n ? "," : "", k, v) >= (int)size)
		return dk_err_set(err, "invalid value for '%s'", k);
	return 0;
}

static int field(struct dk_mountspec *m, const char *k, const char *v, struct dk_err *err)
{
	bool b;

	if (!strcmp(k, "type"))
		return copy(m->type, sizeof(m->type), v, k, err);
	if (!strcmp(k, "source") || !strcmp(k, "src"))
		return copy(m->source, sizeof(m->source), v, k, err);
	if (!strcmp(k, "target") || !strcmp(k, "dst") || !strcmp(k, "destination"))
		return copy(m->target, sizeof(m->target), v, k, err);
	if (!strcmp(k, "readonly") || !strcmp(k, "ro")) {
		if (!is_true(v, &b) && v && strcmp(v, "false") && strcmp(v, "0"))
			return dk_err_set(err, "invalid value for %s: %s", k, v);
		m->readonly = b;
		return 0;
	}
	if (!strcmp(k, "volume-nocopy")) {
		if (!is_true(v, &b) && v && strcmp(v, "false") && strcmp(v, "0"))
			return dk_err_set(err, "invalid value for %s: %s", k, v);
		m->nocopy = b;
		return 0;
	}
	if (!strcmp(k, "anonymous")) /* the normalised form's own */
		return (m->anonymous = true), 0;
	if (!strcmp(k, "bind-propagation"))
		return copy(m->propagation, sizeof(m->propagation), v, k, err);
	if (!strcmp(k, "tmpfs-size"))
		return add_opt(m, "size", v, err);
	if (!strcmp(k, "tmpfs-mode"))
		return add_opt(m, "mode", v, err);
	if (!strcmp(k, "tmpfs-options")) { /* the normalised form's, ';' for ',' */
		if (copy(m->tmpfs_opts, sizeof(m->tmpfs_opts), v, k, err) < 0)
			return -1;
		for (char *p = m->tmpfs_opts; (p = strchr(p, ';'));)
			*p = ',';
		return 0;
	}
	return dk_err_set(err, "unexpected key '%s' in '%s=%s'", k, k, v ? v : "");
}

static int check(const struct dk_mountspec *m, struct dk_err *err)
{
	if (strcmp(m->type, "bind") && strcmp(m->type, "volume") && strcmp(m->type, "tmpfs"))
		return dk_err_set(err, "type '%s' is not supported (bind, volume, tmpfs)", m->type);
	if (!m->target[0])
		return dk_err_set(err,
				  "invalid mount config for type \"%s\": field Target must "
				  "not be empty",
				  m->type);
	if (m->target[0] != '/')
		return dk_err_set(err,
				  "invalid mount config for type \"%s\": invalid mount path: "
				  "'%s' mount path must be absolute",
				  m->type, m->target);
	if (!strcmp(m->type, "bind") && !m->source[0])
		return dk_err_set(err, "invalid mount config for type \"bind\": field Source "
				       "must not be empty");
	if (!strcmp(m->type, "tmpfs") && m->source[0])
		return dk_err_set(err, "invalid mount config for type \"tmpfs\": field Source "
				       "must not be specified");
	return 0;
}

int dk_mountspec_parse(const char *s, struct dk_mountspec *m, struct dk_err *err)
{
	char *dup = strdup(s), *save = NULL;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	snprintf(m->type, sizeof(m->type), "volume"); /* docker's default */
	if (!dup)
		return dk_err_sys(err, "--mount");
	for (char *t = strtok_r(dup, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		if (eq)
			*eq++ = '\0';
		rc = field(m, t, eq, err);
	}
	free(dup);
	if (rc == 0 && !strcmp(m->type, "volume") && !m->source[0])
		m->anonymous = true;
	return rc < 0 ? -1 : check(m, err);
}

char *dk_mountspec_format(const struct dk_mountspec *m)
{
	char opts[sizeof(m->tmpfs_opts)], *s = NULL;

	snprintf(opts, sizeof(opts), "%s", m->tmpfs_opts);
	for (char *p = opts; (p = strchr(p, ','));)
		*p = ';';
	if (asprintf(&s, "type=%s%s%s,target=%s%s%s%s%s%s%s%s", m->type,
		     m->source[0] ? ",source=" : "", m->source, m->target,
		     m->readonly ? ",readonly" : "", m->nocopy ? ",volume-nocopy" : "",
		     m->anonymous ? ",anonymous" : "",
		     m->propagation[0] ? ",bind-propagation=" : "", m->propagation,
		     opts[0] ? ",tmpfs-options=" : "", opts) < 0)
		return NULL;
	return s;
}
