// SPDX-License-Identifier: GPL-2.0-or-later
/* flags_mounts.c: -v/--volume, --mount and --tmpfs, docker's spelling,
 * each turned into the normalised --mount text the record keeps; the
 * checks between them (bind sources exist, one mount per target). */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "json.h"
#include "path.h"
#include "container.h"

static int add(const char *cmd, const struct dk_mountspec *m, struct dk_hostcfg *h)
{
	cleanup_free char *s = NULL;

	if (strchr(m->source, ',') || strchr(m->target, ','))
		return ctr_usage(cmd, "mount path \"%s\": a ',' in a path is not supported",
				 strchr(m->target, ',') ? m->target : m->source);
	if (!strcmp(m->target, "/"))
		return ctr_usage(cmd, "invalid specification: destination can't be '/'");
	s = dk_mountspec_format(m);
	return s && dk_strv_push(&h->mounts, s) == 0 ? -1 : ctr_usage(cmd, "out of memory");
}

static int volume_mode(const char *cmd, const char *spec, char *mode, struct dk_mountspec *m)
{
	static const char *const props[] = {"shared",  "rshared",  "slave", "rslave",
					    "private", "rprivate", NULL};
	char *save = NULL;

	for (char *t = strtok_r(mode, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		bool prop = false;
		for (const char *const *p = props; *p; p++)
			if (!strcmp(t, *p))
				prop = true,
				snprintf(m->propagation, sizeof(m->propagation), "%s", t);
		if (prop || !strcmp(t, "rw"))
			continue;
		if (!strcmp(t, "ro"))
			m->readonly = true;
		else if (!strcmp(t, "nocopy"))
			m->nocopy = true;
		else
			return ctr_usage(
			    cmd, "invalid volume specification: '%s': invalid mode: %s", spec, t);
	}
	return -1;
}

static bool valid_volume_name(const char *s)
{
	return dk_crec_valid_name(s);
}

/* docker's CLI takes "./dir" and "../dir" as host paths from here. */
static int relative_source(struct dk_mountspec *m)
{
	char cwd[4096], joined[8200], clean[8200];

	if (strcmp(m->source, ".") && strcmp(m->source, "..") && strncmp(m->source, "./", 2) &&
	    strncmp(m->source, "../", 3))
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	/* both fit: cwd and source are under 4096 bytes each */
	snprintf(joined, sizeof(joined), "%s/%s", cwd, m->source);
	dk_path_clean(joined, clean, sizeof(clean));
	if (strlen(clean) >= sizeof(m->source)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(m->source, clean);
	return 0;
}

/* [SRC:]DST[:MODE]: SRC absolute (or ./, ../) is a bind, else a volume's
 * name. */
int ctr_flag_volume(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	char buf[4096], *part[4] = {0};
	struct dk_mountspec m = {.type = "volume"};
	int n = 0, rc;

	if (!*a)
		return ctr_usage(cmd, "invalid empty volume spec");
	if (strlen(a) >= sizeof(buf))
		return ctr_usage(cmd, "invalid volume specification: '%s': too long", a);
	for (const char *p = a; *p; p++)
		n += *p == ':';
	if (n > 2)
		return ctr_usage(cmd, "invalid spec: %s: too many colons", a);
	snprintf(buf, sizeof(buf), "%s", a);
	part[0] = buf;
	for (int i = 1; i <= n; i++) {
		part[i] = strchr(part[i - 1], ':');
		*part[i]++ = '\0';
	}
	n++;
	if (n == 3 && (rc = volume_mode(cmd, a, part[2], &m)) >= 0)
		return rc;
	memcpy(m.target, part[n == 1 ? 0 : 1], strlen(part[n == 1 ? 0 : 1]) + 1);
	if (n == 1)
		m.anonymous = true;
	else
		memcpy(m.source, part[0], strlen(part[0]) + 1);
	if (!m.source[0] && n > 1)
		return ctr_usage(cmd, "invalid volume specification: '%s'", a);
	if (m.target[0] != '/')
		return ctr_usage(cmd,
				 "invalid volume specification: '%s': invalid mount path: '%s' "
				 "mount path must be absolute",
				 a, m.target);
	if (m.source[0] == '.' && relative_source(&m) < 0)
		return ctr_usage(cmd, "invalid volume specification: '%s': %m", a);
	if (m.source[0] == '/')
		snprintf(m.type, sizeof(m.type), "bind");
	else if (m.source[0] && !valid_volume_name(m.source))
		return ctr_usage(cmd,
				 "create %s: \"%s\" includes invalid characters for a local volume "
				 "name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you "
				 "intended to pass a host directory, use absolute path",
				 m.source, m.source);
	/* docker: an anonymous volume is Config.Volumes', not a bind */
	if (!m.anonymous && dk_strv_push(&h->binds, a) < 0)
		return ctr_usage(cmd, "out of memory");
	return add(cmd, &m, h);
}

int ctr_flag_mount(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	struct dk_mountspec m;
	struct dk_err err = {0};

	if (dk_mountspec_parse(a, &m, &err) < 0)
		return ctr_usage(cmd, "invalid argument \"%s\" for \"--mount\" flag: %s", a,
				 err.msg);
	if (!strcmp(m.type, "volume") && m.source[0] && !valid_volume_name(m.source))
		return ctr_usage(cmd,
				 "create %s: \"%s\" includes invalid characters for a local volume "
				 "name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed",
				 m.source, m.source);
	if (!strcmp(m.type, "bind") && m.source[0] != '/')
		return ctr_usage(cmd,
				 "invalid mount config for type \"bind\": invalid mount path: '%s' "
				 "mount path must be absolute",
				 m.source);
	return add(cmd, &m, h);
}

static bool tmpfs_opt_ok(const char *o)
{
	static const char *const flags[] = {
	    "rw",    "ro",    "exec",	 "noexec",   "suid",	    "nosuid",	  "dev",
	    "nodev", "atime", "noatime", "relatime", "strictatime", "nodiratime", NULL};
	static const char *const keys[] = {
	    "size=", "mode=", "uid=", "gid=", "nr_inodes=", "nr_blocks=", NULL};

	for (const char *const *f = flags; *f; f++)
		if (!strcmp(o, *f))
			return true;
	for (const char *const *k = keys; *k; k++)
		if (!strncmp(o, *k, strlen(*k)) && o[strlen(*k)])
			return true;
	return false;
}

/* DST[:OPT,OPT...] */
int ctr_flag_tmpfs(const char *cmd, const char *a, struct dk_hostcfg *h)
{
	struct dk_mountspec m = {.type = "tmpfs"};
	const char *colon = strchr(a, ':');
	char opts[sizeof(m.tmpfs_opts)], *save = NULL;
	size_t n = colon ? (size_t)(colon - a) : strlen(a);

	if (n >= sizeof(m.target) || a[0] != '/')
		return ctr_usage(cmd,
				 "invalid argument \"%s\" for \"--tmpfs\" flag: the path must "
				 "be absolute",
				 a);
	memcpy(m.target, a, n);
	snprintf(opts, sizeof(opts), "%s", colon ? colon + 1 : "");
	for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!tmpfs_opt_ok(t))
			return ctr_usage(cmd,
					 "invalid argument \"%s\" for \"--tmpfs\" flag: option "
					 "\"%s\" is not supported",
					 a, t);
		if (!strcmp(t, "ro"))
			m.readonly = true;
	}
	snprintf(m.tmpfs_opts, sizeof(m.tmpfs_opts), "%s", colon ? colon + 1 : "");
	return add(cmd, &m, h);
}

int ctr_mounts_check(const char *cmd, const struct dk_hostcfg *h)
{
	for (size_t i = 0; h->mounts && h->mounts[i]; i++) {
		struct dk_mountspec m;
		struct dk_err err = {0};
		struct stat st;

		if (dk_mountspec_parse(h->mounts[i], &m, &err) < 0)
			return ctr_usage(cmd, "%s", err.msg);
		if (!strcmp(m.type, "bind") && stat(m.source, &st) < 0)
			return ctr_usage(cmd,
					 "invalid mount config for type \"bind\": bind source path "
					 "does not exist: %s",
					 m.source);
		for (size_t j = 0; j < i; j++) {
			struct dk_mountspec o;
			if (dk_mountspec_parse(h->mounts[j], &o, &err) == 0 &&
			    !strcmp(o.target, m.target))
				return ctr_usage(cmd, "Duplicate mount point: %s", m.target);
		}
	}
	return -1;
}
