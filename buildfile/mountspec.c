// SPDX-License-Identifier: GPL-2.0-or-later
/* mountspec.c: parsing RUN --mount values (comma-separated key=value, as
 * BuildKit reads them) into struct bf_mount_spec, with every key the
 * reference lists; unknown keys are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "mount.h"

static const char *const type_names[] = {"bind", "cache", "tmpfs", "secret", "ssh"};

static int parse_type(const char *v, struct bf_mount_spec *m, struct dk_err *err)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(v, type_names[i]) == 0) {
			m->type = (enum bf_mount_type)i;
			return 0;
		}
	return dk_err_set(err, "--mount type=%s: unknown mount type", v);
}

static int parse_bool(const char *key, const char *v, bool *out, struct dk_err *err)
{
	if (!v || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else
		return dk_err_set(err, "--mount %s=%s: want true or false", key, v);
	return 0;
}

static int parse_num(const char *key, const char *v, int base, long long *out, struct dk_err *err)
{
	char *e;

	if (!v || !*v)
		return dk_err_set(err, "--mount %s: needs a value", key);
	*out = strtoll(v, &e, base);
	if (*e || *out < 0)
		return dk_err_set(err, "--mount %s=%s: not a%s number", key, v,
				  base == 8 ? "n octal" : "");
	return 0;
}

static int set_str(char **slot, const char *key, const char *v, struct dk_err *err)
{
	if (!v)
		return dk_err_set(err, "--mount %s: needs a value", key);
	free(*slot);
	return (*slot = strdup(v)) ? 0 : dk_err_sys(err, "--mount");
}

static int parse_key(const char *k, const char *v, struct bf_mount_spec *m, struct dk_err *err)
{
	bool ro = false;

	if (!strcmp(k, "type"))
		return v ? parse_type(v, m, err) : dk_err_set(err, "--mount type: needs a value");
	if (!strcmp(k, "target") || !strcmp(k, "dst") || !strcmp(k, "destination"))
		return set_str(&m->target, k, v, err);
	if (!strcmp(k, "source") || !strcmp(k, "src"))
		return set_str(&m->source, k, v, err);
	if (!strcmp(k, "from"))
		return set_str(&m->from, k, v, err);
	if (!strcmp(k, "id"))
		return set_str(&m->id, k, v, err);
	if (!strcmp(k, "sharing"))
		return set_str(&m->sharing, k, v, err);
	if (!strcmp(k, "env"))
		return set_str(&m->env, k, v, err);
	if (!strcmp(k, "rw") || !strcmp(k, "readwrite"))
		return parse_bool(k, v, &m->rw, err);
	if (!strcmp(k, "ro") || !strcmp(k, "readonly")) {
		if (parse_bool(k, v, &ro, err) < 0)
			return -1;
		m->rw = !ro;
		return 0;
	}
	if (!strcmp(k, "required"))
		return parse_bool(k, v, &m->required, err);
	if (!strcmp(k, "uid"))
		return parse_num(k, v, 10, &m->uid, err);
	if (!strcmp(k, "gid"))
		return parse_num(k, v, 10, &m->gid, err);
	if (!strcmp(k, "mode"))
		return parse_num(k, v, 8, &m->mode, err);
	if (!strcmp(k, "size"))
		return parse_num(k, v, 10, &m->size, err);
	return dk_err_set(err, "--mount: unknown key \"%s\"", k);
}

static int check(struct bf_mount_spec *m, struct dk_err *err)
{
	const char *t = type_names[m->type];

	if (m->type == BF_MOUNT_SECRET && !m->id && m->target) {
		const char *slash = strrchr(m->target, '/');

		if (set_str(&m->id, "id", slash ? slash + 1 : m->target, err) < 0)
			return -1;
	}
	if (m->type == BF_MOUNT_SECRET && !m->id)
		return dk_err_set(err, "--mount type=secret: needs id= or target=");
	if (m->type == BF_MOUNT_SECRET && !m->target && !m->env &&
	    asprintf(&m->target, "/run/secrets/%s", m->id) < 0)
		return dk_err_sys(err, "--mount");
	if (m->type == BF_MOUNT_SSH && (m->uid >= 0 || m->gid >= 0 || m->mode >= 0))
		return dk_err_set(err, "--mount type=ssh: uid, gid and mode: not supported by dk "
				       "(the agent socket is bound as it is)");
	if (m->type == BF_MOUNT_SSH && !m->id && set_str(&m->id, "id", "default", err) < 0)
		return -1;
	if (m->type != BF_MOUNT_SECRET && m->type != BF_MOUNT_SSH && !m->target)
		return dk_err_set(err, "--mount type=%s: needs target=", t);
	if (m->target && m->target[0] != '/')
		return dk_err_set(err, "--mount target=%s: must be an absolute path", m->target);
	if (m->sharing && m->type != BF_MOUNT_CACHE)
		return dk_err_set(err, "--mount type=%s: sharing= is for type=cache", t);
	if (m->sharing && strcmp(m->sharing, "shared") && strcmp(m->sharing, "private") &&
	    strcmp(m->sharing, "locked"))
		return dk_err_set(err, "--mount sharing=%s: want shared, private or locked",
				  m->sharing);
	if (m->from && m->type == BF_MOUNT_CACHE)
		return dk_err_set(err, "--mount type=cache,from=: not supported by dk");
	if (m->from && m->type != BF_MOUNT_BIND)
		return dk_err_set(err, "--mount type=%s: from= is for type=bind", t);
	if (m->size >= 0 && m->type != BF_MOUNT_TMPFS)
		return dk_err_set(err, "--mount type=%s: size= is for type=tmpfs", t);
	if (m->mode > 07777)
		return dk_err_set(err, "--mount mode=%llo: not a file mode", m->mode);
	return 0;
}

int bf_mount_parse(const char *text, struct bf_mount_spec *out, struct dk_err *err)
{
	cleanup_free char *copy = strdup(text);
	char *save = NULL;
	int ret = 0;

	*out = (struct bf_mount_spec){.uid = -1, .gid = -1, .mode = -1, .size = -1};
	if (!copy)
		return dk_err_sys(err, "--mount");
	for (char *f = strtok_r(copy, ",", &save); ret == 0 && f; f = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(f, '=');

		if (eq)
			*eq = '\0';
		ret = parse_key(f, eq ? eq + 1 : NULL, out, err);
	}
	if (ret == 0)
		ret = check(out, err);
	if (ret < 0)
		bf_mount_spec_free(out);
	return ret;
}

void bf_mount_spec_free(struct bf_mount_spec *m)
{
	free(m->target);
	free(m->source);
	free(m->from);
	free(m->id);
	free(m->sharing);
	free(m->env);
	memset(m, 0, sizeof(*m));
}
