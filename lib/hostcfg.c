// SPDX-License-Identifier: GPL-2.0-or-later
/* hostcfg.c: a container's HostConfig options to and from its record. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "hostcfg.h"

struct strv_field {
	const char *key;
	size_t off;
};

#define SV(k, f)                                  \
	{                                         \
		k, offsetof(struct dk_hostcfg, f) \
	}
static const struct strv_field strvs[] = {
    SV("Binds", binds),	    SV("Mounts", mounts),
    SV("CapAdd", cap_add),  SV("CapDrop", cap_drop),
    SV("Ulimits", ulimits), SV("Devices", devices),
    SV("Labels", labels),   SV("SecurityOpt", security_opt),
};

struct int_field {
	const char *key;
	size_t off;
};

#define IV(k, f)                                  \
	{                                         \
		k, offsetof(struct dk_hostcfg, f) \
	}
static const struct int_field ints[] = {
    IV("Memory", memory),	 IV("MemorySwap", memory_swap), IV("NanoCpus", nano_cpus),
    IV("CpuShares", cpu_shares), IV("PidsLimit", pids_limit),
};

#define FIELD(h, type, off) ((type *)((char *)(h) + (off)))
#define N(a)		    (sizeof(a) / sizeof((a)[0]))

int dk_hostcfg_load(const struct dk_json *v, struct dk_hostcfg *h, struct dk_err *err)
{
	const char *s;

	memset(h, 0, sizeof(*h));
	if (!v)
		return 0;
	for (size_t i = 0; i < N(strvs); i++) {
		const struct dk_json *a = dk_json_get(v, strvs[i].key);
		if (!a)
			continue;
		*FIELD(h, char **, strvs[i].off) = dk_json_strv(a, strvs[i].key, err);
		if (!*FIELD(h, char **, strvs[i].off))
			return -1;
	}
	for (size_t i = 0; i < N(ints); i++)
		dk_json_int64(dk_json_get(v, ints[i].key), FIELD(h, int64_t, ints[i].off));
	s = dk_json_get_str(v, "Seccomp");
	h->seccomp = s ? strdup(s) : NULL;
	h->read_only = dk_json_is_true(dk_json_get(v, "ReadonlyRootfs"));
	h->privileged = dk_json_is_true(dk_json_get(v, "Privileged"));
	h->init = dk_json_is_true(dk_json_get(v, "Init"));
	h->no_new_privs = dk_json_is_true(dk_json_get(v, "NoNewPrivileges"));
	return 0;
}

void dk_hostcfg_emit(struct dk_jgen *g, const struct dk_hostcfg *h)
{
	dk_jgen_str(g, "HostConfig");
	dk_jgen_map_open(g);
	for (size_t i = 0; i < N(strvs); i++) {
		char **v = *FIELD(h, char **, strvs[i].off);
		if (!v)
			continue;
		dk_jgen_str(g, strvs[i].key);
		dk_jgen_strv(g, v);
	}
	for (size_t i = 0; i < N(ints); i++)
		dk_jgen_kint(g, ints[i].key, *FIELD(h, int64_t, ints[i].off));
	if (h->seccomp)
		dk_jgen_kstr(g, "Seccomp", h->seccomp);
	dk_jgen_kbool(g, "ReadonlyRootfs", h->read_only);
	dk_jgen_kbool(g, "Privileged", h->privileged);
	dk_jgen_kbool(g, "Init", h->init);
	dk_jgen_kbool(g, "NoNewPrivileges", h->no_new_privs);
	dk_jgen_map_close(g);
}

void dk_hostcfg_free(struct dk_hostcfg *h)
{
	for (size_t i = 0; i < N(strvs); i++)
		dk_strv_free(*FIELD(h, char **, strvs[i].off));
	free(h->seccomp);
	memset(h, 0, sizeof(*h));
}
