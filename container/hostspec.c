// SPDX-License-Identifier: GPL-2.0-or-later
/* hostspec.c: the parts of config.json the run flags decide: the
 * capability sets, rlimits, the mounts of volumes, binds and tmpfs, the
 * init binary, resource limits, devices and the seccomp filter. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "capnames.h"
#include "cleanup.h"
#include "fs.h"
#include "json.h"
#include "rtspec.h"
#include "seccomp_default.h"
#include "container.h"

#define INIT_IN_CONTAINER "/sbin/docker-init"

static bool listed(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

/* CapBnd of this process: "all" capabilities are those we can give. */
static uint64_t bounding(void)
{
	cleanup_file FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long v = ~0ULL;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapBnd: %llx", &v) == 1)
			break;
	return v;
}

size_t ctr_caps_of(const struct dk_hostcfg *h, const char **out, size_t size)
{
	uint64_t bnd = bounding();
	unsigned i = 0;

	bool all = h->privileged || listed(h->cap_add, "ALL");
	bool none = listed(h->cap_drop, "ALL") && !h->privileged;
	size_t n = 0;

	for (const char *const *c = dk_cap_names; *c && n < size; c++, i++) {
		bool on = (all && (bnd >> i & 1)) ||
			  (!none && listed((char *const *)dk_cap_default, *c)) ||
			  listed(h->cap_add, *c);
		if (!h->privileged && listed(h->cap_drop, *c))
			on = false;
		if (on)
			out[n++] = *c;
	}
	return n;
}

void ctr_spec_caps(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	static const char *const sets[] = {"bounding", "effective", "permitted", NULL};
	const char *caps[64];
	size_t n = ctr_caps_of(h, caps, 63);

	caps[n] = NULL;
	dk_jgen_str(g, "capabilities");
	dk_jgen_map_open(g);
	for (const char *const *s = sets; *s; s++) {
		dk_jgen_str(g, *s);
		dk_jgen_strv(g, (char *const *)caps);
	}
	dk_jgen_map_close(g);
}

static void rlimit(struct dk_jgen *g, const char *name, long long soft, long long hard)
{
	char type[32];

	snprintf(type, sizeof(type), "RLIMIT_%s", name);
	for (char *p = type; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "type", type);
	dk_jgen_str(g, "hard");
	dk_jgen_uint(g, hard < 0 ? UINT64_MAX : (uint64_t)hard);
	dk_jgen_str(g, "soft");
	dk_jgen_uint(g, soft < 0 ? UINT64_MAX : (uint64_t)soft);
	dk_jgen_map_close(g);
}

/* --ulimit NAME=SOFT[:HARD] ones, and nofile 1024 unless given. */
void ctr_spec_rlimits(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	bool nofile = false;

	dk_jgen_str(g, "rlimits");
	dk_jgen_array_open(g);
	for (char **u = h->ulimits; u && *u; u++) {
		char name[32];
		long long soft, hard;
		int n = sscanf(*u, "%31[^=]=%lld:%lld", name, &soft, &hard);
		if (n < 2)
			continue; /* replaced by a later one */
		rlimit(g, name, soft, n == 3 ? hard : soft);
		nofile |= !strcmp(name, "nofile");
	}
	if (!nofile)
		rlimit(g, "nofile", 1024, 1024);
	dk_jgen_array_close(g);
}

static void mount(struct dk_jgen *g, const char *dest, const char *type, const char *src,
		  char *const *opts)
{
	dk_jgen_map_open(g);
	dk_jgen_kstr(g, "destination", dest);
	dk_jgen_kstr(g, "type", type);
	dk_jgen_kstr(g, "source", src);
	dk_jgen_str(g, "options");
	dk_jgen_strv(g, opts);
	dk_jgen_map_close(g);
}

static void user_mount(struct dk_jgen *g, const struct dk_mountspec *m, const char *root)
{
	char src[4200], *opts[16] = {0};
	char *tmp = NULL, *save = NULL;
	size_t n = 0;

	if (!strcmp(m->type, "tmpfs")) {
		opts[n++] = "nosuid", opts[n++] = "nodev", opts[n++] = "noexec";
		tmp = strdup(m->tmpfs_opts);
		for (char *t = tmp ? strtok_r(tmp, ",", &save) : NULL; t && n < 15;
		     t = strtok_r(NULL, ",", &save))
			opts[n++] = t;
		mount(g, m->target, "tmpfs", "tmpfs", opts);
		free(tmp);
		return;
	}
	if (!strcmp(m->type, "volume"))
		snprintf(src, sizeof(src), "%s/volumes/%s/_data", root, m->source);
	else
		snprintf(src, sizeof(src), "%s", m->source);
	opts[n++] = "rbind";
	opts[n++] = m->propagation[0] ? (char *)m->propagation : "rprivate";
	opts[n++] = m->readonly ? "ro" : "rw";
	mount(g, m->target, "bind", src, opts);
}

void ctr_spec_mounts(struct dk_jgen *g, const struct dk_hostcfg *h, const char *root,
		     const char *id)
{
	dk_jgen_str(g, "mounts");
	dk_jgen_array_open(g);
	dk_rtspec_mounts_std(g, false, false, ctr_shm(h));
	for (char **s = h->mounts; s && *s; s++) {
		struct dk_mountspec m;
		struct dk_err err;
		if (dk_mountspec_parse(*s, &m, &err) == 0)
			user_mount(g, &m, root);
	}
	if (h->init && ctr_init_path())
		mount(g, INIT_IN_CONTAINER, "bind", ctr_init_path(),
		      (char *const[]){"rbind", "rprivate", "ro", NULL});
	ctr_net_mounts(g, id);
	dk_jgen_array_close(g);
}

const char *ctr_init_path(void)
{
	static const char *const known[] = {"/usr/bin/tini-static", "/usr/bin/catatonit",
					    "/usr/libexec/podman/catatonit",
					    "/usr/local/bin/tini-static", NULL};
	const char *env = getenv("DK_INIT_PATH");

	if (env && *env)
		return access(env, X_OK) == 0 ? env : NULL;
	for (const char *const *k = known; *k; k++)
		if (access(*k, X_OK) == 0)
			return *k;
	return NULL;
}

int ctr_init_args(char ***args)
{
	char **v = NULL;

	if (dk_strv_push(&v, INIT_IN_CONTAINER) < 0 || dk_strv_push(&v, "--") < 0)
		goto fail;
	for (char **a = *args; *a; a++)
		if (dk_strv_push(&v, *a) < 0)
			goto fail;
	dk_strv_free(*args);
	*args = v;
	return 0;
fail:
	dk_strv_free(v);
	return -1;
}
