// SPDX-License-Identifier: GPL-2.0-or-later
/* platform.c: the host platform in OCI terms, matching and parsing
 * "os/arch[/variant]". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "oci.h"

/* uname machine -> GOARCH, as image indexes name architectures */
static const struct {
	const char *machine, *arch, *variant;
} arch_map[] = {
    {"x86_64", "amd64", NULL},	  {"aarch64", "arm64", "v8"}, {"armv7l", "arm", "v7"},
    {"armv6l", "arm", "v6"},	  {"i686", "386", NULL},      {"i386", "386", NULL},
    {"ppc64le", "ppc64le", NULL}, {"s390x", "s390x", NULL},   {"riscv64", "riscv64", NULL},
};

void dk_platform_host(struct dk_platform *p)
{
	static char machine[65];
	struct utsname u;

	memset(p, 0, sizeof(*p));
	p->os = (char *)"linux";
	if (uname(&u) < 0)
		return;
	for (size_t i = 0; i < sizeof(arch_map) / sizeof(arch_map[0]); i++) {
		if (strcmp(u.machine, arch_map[i].machine) == 0) {
			p->architecture = (char *)arch_map[i].arch;
			p->variant = (char *)arch_map[i].variant;
			return;
		}
	}
	snprintf(machine, sizeof(machine), "%s", u.machine);
	p->architecture = machine;
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A wanted variant must match; a missing variant on either side matches
 * (arm64 images often omit "v8"). */
bool dk_platform_match(const struct dk_platform *have, const struct dk_platform *want)
{
	if (!have)
		return false;
	if (!str_eq(have->os, want->os) || !str_eq(have->architecture, want->architecture))
		return false;
	if (want->variant && have->variant && !str_eq(have->variant, want->variant))
		return false;
	return true;
}

int dk_platform_parse(const char *s, struct dk_platform *out, struct dk_err *err)
{
	char *copy = strdup(s), *save = NULL;
	char *parts[4] = {0};
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (!copy)
		return dk_err_sys(err, "platform %s", s);
	for (char *t = strtok_r(copy, "/", &save); t && n < 4; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n < 2 || n > 3) {
		free(copy);
		return dk_err_set(err, "invalid platform \"%s\": want OS/ARCH[/VARIANT]", s);
	}
	out->os = strdup(parts[0]);
	out->architecture = strdup(parts[1]);
	out->variant = n == 3 ? strdup(parts[2]) : NULL;
	free(copy);
	return 0;
}

void dk_platform_format(const struct dk_platform *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s%s%s", p->os ? p->os : "?",
		 p->architecture ? p->architecture : "?", p->variant ? "/" : "",
		 p->variant ? p->variant : "");
}
